"""Access tokens (RS256 JWTs) and refresh tokens (opaque random strings).

Access tokens are signed with the private key and verified with the public one: a service
that only verifies tokens never holds a key that can mint them. They live 15 minutes and are
not stored. Refresh tokens are 256 random bits; the database keeps only their SHA-256, so a
leaked table cannot be replayed. (A fast hash is right here: unlike a password, the token has
full entropy, so there is nothing to brute-force.)
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from uuid import UUID

import jwt

from blog.types.domain import AccessToken, Principal
from blog.types.errors import AuthenticationError


class AccessTokenService:
    def __init__(
        self,
        private_key_pem: bytes,
        public_key_pem: bytes,
        ttl: timedelta,
        issuer: str,
        audience: str,
    ) -> None:
        self._private_key = private_key_pem
        self._public_key = public_key_pem
        self._ttl = ttl
        self._issuer = issuer
        self._audience = audience

    def issue(self, user_id: UUID, now: datetime) -> AccessToken:
        expires_at = now + self._ttl
        claims = {
            "sub": str(user_id),
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "exp": expires_at,
        }
        value = jwt.encode(claims, self._private_key, algorithm="RS256")
        return AccessToken(value=value, issued_at=now, expires_at=expires_at)

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; :class:`AuthenticationError` for any other."""
        try:
            claims = jwt.decode(
                token,
                self._public_key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["sub", "iat", "exp"]},
            )
            return Principal(user_id=UUID(claims["sub"]))
        except (jwt.PyJWTError, ValueError) as error:
            raise AuthenticationError("invalid or expired access token") from error


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
