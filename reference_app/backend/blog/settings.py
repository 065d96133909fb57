"""The application's configuration, read once from the environment at start-up.

Settings are plain values: nothing here opens a connection or touches the disk. Every layer
receives what it needs through the composition root (:mod:`blog.app`), never by importing
this module and reading globals.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ENV_PREFIX = "BLOG_"


@dataclass(frozen=True)
class Settings:
    """Configuration of one application instance.

    The access-token lifetime is deliberately not configurable: 15 minutes is the longest an
    unrevocable bearer credential should live. Sessions last as long as the refresh token,
    which the server can revoke.
    """

    database_url: str = "sqlite:///./blog.db"
    keys_dir: Path = Path("var/keys")
    access_token_ttl: timedelta = timedelta(minutes=15)
    refresh_token_ttl: timedelta = timedelta(days=14)
    jwt_issuer: str = "blog"
    jwt_audience: str = "blog-api"
    rate_limit_requests: int = 120
    rate_limit_window: timedelta = timedelta(minutes=1)
    password_hash_cost: int = 2**14  # scrypt's N: memory and CPU cost, a power of two
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Settings from ``BLOG_*`` environment variables; defaults for those not set."""
        defaults = cls()

        def text(name: str, default: str) -> str:
            return environ.get(ENV_PREFIX + name, default)

        def number(name: str, default: int) -> int:
            return int(text(name, str(default)))

        return cls(
            database_url=text("DATABASE_URL", defaults.database_url),
            keys_dir=Path(text("KEYS_DIR", str(defaults.keys_dir))),
            refresh_token_ttl=timedelta(
                days=number("REFRESH_TOKEN_DAYS", defaults.refresh_token_ttl.days)
            ),
            rate_limit_requests=number("RATE_LIMIT_REQUESTS", defaults.rate_limit_requests),
            rate_limit_window=timedelta(
                seconds=number(
                    "RATE_LIMIT_WINDOW_SECONDS", int(defaults.rate_limit_window.total_seconds())
                )
            ),
            password_hash_cost=number("PASSWORD_HASH_COST", defaults.password_hash_cost),
            log_level=text("LOG_LEVEL", defaults.log_level),
        )
