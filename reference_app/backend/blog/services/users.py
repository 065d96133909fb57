"""Signing up, and reading one's own account."""

from __future__ import annotations

import logging
from uuid import UUID, uuid4

from blog.queue.jobs import JobQueue, WelcomeEmailJob
from blog.types.domain import NewUser, User
from blog.types.errors import ConflictError, NotFoundError
from blog.types.protocols import Clock, PasswordHasher, UnitOfWork

logger = logging.getLogger(__name__)


class UserService:
    def __init__(
        self, uow: UnitOfWork, hasher: PasswordHasher, jobs: JobQueue, clock: Clock
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._jobs = jobs
        self._clock = clock

    def register(self, new_user: NewUser) -> User:
        """Create the account, then queue the welcome mail (the caller does not wait for it)."""
        email = normalize_email(new_user.email)
        password_hash = self._hasher.hash(new_user.password)  # slow: outside the transaction
        with self._uow:
            if self._uow.users.get_by_email(email) is not None:
                raise ConflictError("this email address is already registered")
            now = self._clock()
            user = User(
                id=uuid4(),
                email=email,
                display_name=new_user.display_name,
                password_hash=password_hash,
                created_at=now,
                updated_at=now,
            )
            self._uow.users.add(user)
            self._uow.commit()
        self._jobs.enqueue(
            WelcomeEmailJob(user_id=user.id, email=user.email, display_name=user.display_name)
        )
        logger.info("user registered", extra={"user_id": str(user.id)})
        return user

    def get(self, user_id: UUID) -> User:
        with self._uow:
            user = self._uow.users.get(user_id)
        if user is None:
            raise NotFoundError("user", user_id)
        return user


def normalize_email(email: str) -> str:
    return email.strip().lower()
