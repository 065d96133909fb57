"""The SQLAlchemy unit of work: one session, one transaction, the repositories over it."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from blog.repositories.comments import SqlAlchemyCommentRepository
from blog.repositories.posts import SqlAlchemyPostRepository
from blog.repositories.refresh_tokens import SqlAlchemyRefreshTokenRepository
from blog.repositories.users import SqlAlchemyUserRepository


class SqlAlchemyUnitOfWork:
    users: SqlAlchemyUserRepository
    posts: SqlAlchemyPostRepository
    comments: SqlAlchemyCommentRepository
    refresh_tokens: SqlAlchemyRefreshTokenRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        self._session = self._session_factory()
        self.users = SqlAlchemyUserRepository(self._session)
        self.posts = SqlAlchemyPostRepository(self._session)
        self.comments = SqlAlchemyCommentRepository(self._session)
        self.refresh_tokens = SqlAlchemyRefreshTokenRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._session.rollback()  # whatever was not committed
        self._session.close()

    def commit(self) -> None:
        self._session.commit()
