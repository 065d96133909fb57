"""Job payloads and the queue protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True)
class WelcomeEmailJob:
    """Send the welcome mail to a user who just signed up (payload version 1)."""

    user_id: UUID
    email: str
    display_name: str
    version: int = 1


# Every job the application knows; a new job type is added to this union.
Job = WelcomeEmailJob


class JobQueue(Protocol):
    """Where services put slow work that the request must not wait for."""

    def enqueue(self, job: Job) -> None: ...
