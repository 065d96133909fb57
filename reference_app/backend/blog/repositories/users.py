from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from blog.repositories.orm import UserRow
from blog.types.domain import User
from blog.types.errors import ConflictError


class SqlAlchemyUserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, user: User) -> None:
        self._session.add(
            UserRow(
                id=user.id,
                email=user.email,
                display_name=user.display_name,
                password_hash=user.password_hash,
                created_at=user.created_at,
                updated_at=user.updated_at,
            )
        )
        try:
            self._session.flush()
        except IntegrityError as error:  # a concurrent sign-up with the same address
            raise ConflictError("this email address is already registered") from error

    def get(self, user_id: UUID) -> User | None:
        row = self._session.scalar(
            select(UserRow).where(UserRow.id == user_id, UserRow.deleted_at.is_(None))
        )
        return None if row is None else _to_user(row)

    def get_by_email(self, email: str) -> User | None:
        row = self._session.scalar(
            select(UserRow).where(UserRow.email == email, UserRow.deleted_at.is_(None))
        )
        return None if row is None else _to_user(row)


def _to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        password_hash=row.password_hash,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
