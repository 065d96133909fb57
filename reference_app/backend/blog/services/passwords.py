"""Password hashing with scrypt, from the standard library.

The stored form is self-describing, ``scrypt$<n>$<r>$<p>$<salt>$<hash>``, so the cost can be
raised later without invalidating existing hashes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_SCHEME = "scrypt"
_SALT_BYTES = 16
_KEY_BYTES = 32


class ScryptPasswordHasher:
    def __init__(self, n: int = 2**14, r: int = 8, p: int = 1) -> None:
        self._n, self._r, self._p = n, r, p

    def hash(self, password: str) -> str:
        salt = secrets.token_bytes(_SALT_BYTES)
        digest = self._derive(password, salt, self._n, self._r, self._p)
        return "$".join(
            (_SCHEME, str(self._n), str(self._r), str(self._p), _b64(salt), _b64(digest))
        )

    def verify(self, password: str, password_hash: str) -> bool:
        try:
            scheme, n, r, p, salt, expected = password_hash.split("$")
            if scheme != _SCHEME:
                return False
            digest = self._derive(password, _unb64(salt), int(n), int(r), int(p))
        except ValueError:
            return False
        return hmac.compare_digest(digest, _unb64(expected))

    @staticmethod
    def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        return hashlib.scrypt(
            password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r, dklen=_KEY_BYTES
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
