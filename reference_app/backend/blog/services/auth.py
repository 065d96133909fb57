"""Sessions: log in, refresh with rotation, log out.

A session is a chain of refresh tokens. Each refresh revokes the token it was given and
issues the next one, so a token works once. Presenting a token that was already used means
two parties hold the chain (the token was stolen), so every session of that user is ended.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from blog.services.tokens import AccessTokenService, hash_refresh_token, new_refresh_token
from blog.services.users import normalize_email
from blog.types.domain import RefreshToken, SessionTokens
from blog.types.errors import AuthenticationError
from blog.types.protocols import Clock, PasswordHasher, UnitOfWork

logger = logging.getLogger(__name__)


class AuthService:
    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        access_tokens: AccessTokenService,
        clock: Clock,
        refresh_token_ttl: timedelta,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._access_tokens = access_tokens
        self._clock = clock
        self._refresh_token_ttl = refresh_token_ttl

    def log_in(self, email: str, password: str) -> SessionTokens:
        with self._uow:
            user = self._uow.users.get_by_email(normalize_email(email))
            if user is None:
                self._hasher.hash(password)  # same work as a wrong password: no timing oracle
                raise AuthenticationError("wrong email or password")
            if not self._hasher.verify(password, user.password_hash):
                raise AuthenticationError("wrong email or password")
            tokens = self._start_session(user.id, self._clock())
            self._uow.commit()
        logger.info("user logged in", extra={"user_id": str(user.id)})
        return tokens

    def refresh(self, refresh_token: str) -> SessionTokens:
        """Exchange a refresh token for a new access token and a new refresh token."""
        now = self._clock()
        with self._uow:
            stored = self._uow.refresh_tokens.get_by_hash(hash_refresh_token(refresh_token))
            if stored is None:
                raise AuthenticationError("unknown refresh token")
            if stored.revoked_at is not None:
                self._uow.refresh_tokens.revoke_all_for_user(stored.user_id, now)
                self._uow.commit()
                logger.warning(
                    "refresh token reused: all sessions revoked",
                    extra={"user_id": str(stored.user_id)},
                )
                raise AuthenticationError("refresh token already used")
            if stored.expires_at <= now:
                raise AuthenticationError("refresh token expired")
            self._uow.refresh_tokens.revoke(stored.id, now)
            tokens = self._start_session(stored.user_id, now)
            self._uow.commit()
        return tokens

    def log_out(self, refresh_token: str) -> None:
        """Revoke the session's refresh token. Unknown or revoked tokens are ignored."""
        now = self._clock()
        with self._uow:
            stored = self._uow.refresh_tokens.get_by_hash(hash_refresh_token(refresh_token))
            if stored is None or stored.revoked_at is not None:
                return
            self._uow.refresh_tokens.revoke(stored.id, now)
            self._uow.commit()
        logger.info("user logged out", extra={"user_id": str(stored.user_id)})

    def _start_session(self, user_id: UUID, now: datetime) -> SessionTokens:
        refresh_token = new_refresh_token()
        expires_at = now + self._refresh_token_ttl
        self._uow.refresh_tokens.add(
            RefreshToken(
                id=uuid4(),
                user_id=user_id,
                token_hash=hash_refresh_token(refresh_token),
                expires_at=expires_at,
                revoked_at=None,
                created_at=now,
                updated_at=now,
            )
        )
        return SessionTokens(
            access_token=self._access_tokens.issue(user_id, now),
            refresh_token=refresh_token,
            refresh_expires_at=expires_at,
        )
