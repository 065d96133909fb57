"""The application-wide objects, built once by :func:`blog.app.create_app`.

Request-scoped objects (a unit of work, the services and controllers over it) are built per
request from these by :mod:`blog.dependencies`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from blog.queue.jobs import JobQueue
from blog.services.tokens import AccessTokenService
from blog.settings import Settings
from blog.types.protocols import Clock, PasswordHasher, UnitOfWork


@dataclass(frozen=True)
class Container:
    settings: Settings
    unit_of_work: Callable[[], UnitOfWork]
    access_tokens: AccessTokenService
    password_hasher: PasswordHasher
    jobs: JobQueue
    clock: Clock


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
