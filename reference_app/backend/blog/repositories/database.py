"""The engine and the sessions: one :class:`Database` per application instance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from blog.repositories.unit_of_work import SqlAlchemyUnitOfWork


class Database:
    def __init__(self, url: str) -> None:
        is_sqlite = url.startswith("sqlite")
        # SQLite connections are used by FastAPI's worker threads, one request at a time.
        connect_args = {"check_same_thread": False} if is_sqlite else {}
        self._engine = create_engine(url, connect_args=connect_args)
        if is_sqlite:
            event.listen(self._engine, "connect", _enable_sqlite_foreign_keys)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def unit_of_work(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self._sessions)

    def dispose(self) -> None:
        self._engine.dispose()


def _enable_sqlite_foreign_keys(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
