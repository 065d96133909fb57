"""In-memory fakes of the protocols in ``blog.types.protocols`` (and of the queue and the
mailer), for the service tests. They live with the tests, not in the application."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime, timedelta, timezone
from types import TracebackType
from uuid import UUID

from blog.queue.jobs import Job
from blog.queue.mail import OutgoingMail
from blog.types.domain import Comment, Page, Post, RefreshToken, User

# The current time, to the second: access tokens are verified against the real clock.
START = datetime.now(timezone.utc).replace(microsecond=0)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class FakeUserRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, User] = {}

    def add(self, user: User) -> None:
        self.rows[user.id] = user

    def get(self, user_id: UUID) -> User | None:
        return self.rows.get(user_id)

    def get_by_email(self, email: str) -> User | None:
        return next((u for u in self.rows.values() if u.email == email), None)


class FakePostRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Post] = {}
        self.deleted_at: dict[UUID, datetime] = {}

    def add(self, post: Post) -> None:
        self.rows[post.id] = post

    def get(self, post_id: UUID) -> Post | None:
        return None if post_id in self.deleted_at else self.rows.get(post_id)

    def page(self, limit: int, offset: int) -> Page[Post]:
        live = [p for p in self.rows.values() if p.id not in self.deleted_at]
        live.sort(key=lambda p: p.created_at, reverse=True)
        return Page(
            items=live[offset : offset + limit], total=len(live), limit=limit, offset=offset
        )

    def update(self, post: Post) -> None:
        self.rows[post.id] = post

    def soft_delete(self, post_id: UUID, deleted_at: datetime) -> None:
        self.deleted_at[post_id] = deleted_at


class FakeCommentRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, Comment] = {}
        self.deleted_at: dict[UUID, datetime] = {}

    def add(self, comment: Comment) -> None:
        self.rows[comment.id] = comment

    def get(self, post_id: UUID, comment_id: UUID) -> Comment | None:
        comment = self.rows.get(comment_id)
        if comment is None or comment.post_id != post_id or comment_id in self.deleted_at:
            return None
        return comment

    def page_for_post(self, post_id: UUID, limit: int, offset: int) -> Page[Comment]:
        live = [
            c for c in self.rows.values() if c.post_id == post_id and c.id not in self.deleted_at
        ]
        live.sort(key=lambda c: c.created_at)
        return Page(
            items=live[offset : offset + limit], total=len(live), limit=limit, offset=offset
        )

    def update(self, comment: Comment) -> None:
        self.rows[comment.id] = comment

    def soft_delete(self, comment_id: UUID, deleted_at: datetime) -> None:
        self.deleted_at[comment_id] = deleted_at


class FakeRefreshTokenRepository:
    def __init__(self) -> None:
        self.rows: dict[UUID, RefreshToken] = {}

    def add(self, token: RefreshToken) -> None:
        self.rows[token.id] = token

    def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return next((t for t in self.rows.values() if t.token_hash == token_hash), None)

    def revoke(self, token_id: UUID, revoked_at: datetime) -> None:
        token = self.rows[token_id]
        if token.revoked_at is None:
            self.rows[token_id] = dataclasses.replace(token, revoked_at=revoked_at)

    def revoke_all_for_user(self, user_id: UUID, revoked_at: datetime) -> None:
        for token in list(self.rows.values()):
            if token.user_id == user_id:
                self.revoke(token.id, revoked_at)


class FakeUnitOfWork:
    """Writes go straight to the fake repositories; ``commits`` counts the commits."""

    def __init__(self) -> None:
        self.users = FakeUserRepository()
        self.posts = FakePostRepository()
        self.comments = FakeCommentRepository()
        self.refresh_tokens = FakeRefreshTokenRepository()
        self.commits = 0

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1


class FakePasswordHasher:
    """Readable, instant hashes: the service tests are about the rules, not about scrypt."""

    def hash(self, password: str) -> str:
        return f"hashed:{password}"

    def verify(self, password: str, password_hash: str) -> bool:
        return password_hash == f"hashed:{password}"


class RecordingJobQueue:
    def __init__(self) -> None:
        self.jobs: list[Job] = []

    def enqueue(self, job: Job) -> None:
        self.jobs.append(job)


class RecordingMailer:
    """Collects the mails the app sends (from the queue's worker thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: list[OutgoingMail] = []

    def send(self, mail: OutgoingMail) -> None:
        with self._lock:
            self._sent.append(mail)

    @property
    def sent(self) -> list[OutgoingMail]:
        with self._lock:
            return list(self._sent)
