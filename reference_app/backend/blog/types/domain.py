"""Entities, commands and results, as immutable dataclasses.

Services create and return these; repositories map them to and from database rows;
controllers map them to response schemas. None of them is an ORM object or a pydantic model,
so a service can be called (and tested) without a database or a web request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar
from uuid import UUID

T = TypeVar("T")


@dataclass(frozen=True)
class User:
    id: UUID
    email: str
    display_name: str
    password_hash: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Post:
    id: UUID
    author_id: UUID
    author_name: str
    title: str
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Comment:
    id: UUID
    post_id: UUID
    author_id: UUID
    author_name: str
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RefreshToken:
    """A session's refresh token as the server stores it: only the SHA-256 of the token."""

    id: UUID
    user_id: UUID
    token_hash: str
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a collection, newest first."""

    items: Sequence[T]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class Principal:
    """Who is making a request, as proven by a verified access token."""

    user_id: UUID


@dataclass(frozen=True)
class AccessToken:
    value: str
    issued_at: datetime
    expires_at: datetime

    @property
    def lifetime(self) -> timedelta:
        return self.expires_at - self.issued_at


@dataclass(frozen=True)
class SessionTokens:
    """What a log-in or a refresh hands out: a short-lived access token and the session's
    new refresh token (returned once, in clear, and stored only as a hash)."""

    access_token: AccessToken
    refresh_token: str
    refresh_expires_at: datetime


# Commands: the input of a use case, already validated for shape by the validators.


@dataclass(frozen=True)
class NewUser:
    email: str
    password: str
    display_name: str


@dataclass(frozen=True)
class NewPost:
    title: str
    body: str


@dataclass(frozen=True)
class PostChanges:
    """A partial update: ``None`` leaves a field as it is."""

    title: str | None = None
    body: str | None = None
