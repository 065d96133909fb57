"""The ports the services depend on. The repositories package implements the data ones with
SQLAlchemy; the tests implement them in memory; the services only see these protocols."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Protocol
from uuid import UUID

from blog.types.domain import Comment, Page, Post, RefreshToken, User

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware (UTC). Injected so that tests control time."""


class UserRepository(Protocol):
    def add(self, user: User) -> None: ...

    def get(self, user_id: UUID) -> User | None: ...

    def get_by_email(self, email: str) -> User | None: ...


class PostRepository(Protocol):
    def add(self, post: Post) -> None: ...

    def get(self, post_id: UUID) -> Post | None: ...

    def page(self, limit: int, offset: int) -> Page[Post]: ...

    def update(self, post: Post) -> None: ...

    def soft_delete(self, post_id: UUID, deleted_at: datetime) -> None: ...


class CommentRepository(Protocol):
    def add(self, comment: Comment) -> None: ...

    def get(self, post_id: UUID, comment_id: UUID) -> Comment | None: ...

    def page_for_post(self, post_id: UUID, limit: int, offset: int) -> Page[Comment]: ...

    def update(self, comment: Comment) -> None: ...

    def soft_delete(self, comment_id: UUID, deleted_at: datetime) -> None: ...


class RefreshTokenRepository(Protocol):
    def add(self, token: RefreshToken) -> None: ...

    def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        """The token with this hash, revoked or not (a revoked one signals reuse)."""
        ...

    def revoke(self, token_id: UUID, revoked_at: datetime) -> None: ...

    def revoke_all_for_user(self, user_id: UUID, revoked_at: datetime) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over the repositories: ``with uow: ...; uow.commit()``.

    Leaving the block without ``commit()`` rolls back whatever was done in it.
    """

    @property
    def users(self) -> UserRepository: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def comments(self) -> CommentRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, password_hash: str) -> bool: ...
