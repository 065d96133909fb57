"""Rate limiting: at most N requests per client and time window, then 429 Too Many Requests.

The counters are in memory, per process, in a limiter object the app factory creates (not in
module globals). That is right for one process; with several workers or instances each one
counts on its own, so a deployment puts the same :class:`RateLimiter` interface over a shared
store (Redis ``INCR`` + ``EXPIRE``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from starlette.types import ASGIApp, Receive, Scope, Send

from blog.middleware.errors import error_response


@dataclass(frozen=True)
class RateLimitDecision:
    allowed: bool
    retry_after_seconds: int = 0


class RateLimiter(Protocol):
    def hit(self, key: str) -> RateLimitDecision: ...


class FixedWindowRateLimiter:
    """Counts hits per key in fixed windows of ``window`` length."""

    def __init__(
        self, limit: int, window: timedelta, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window.total_seconds()
        self._clock = clock
        self._current_window = -1
        self._counts: dict[str, int] = {}

    def hit(self, key: str) -> RateLimitDecision:
        now = self._clock()
        window = int(now // self._window)
        if window != self._current_window:  # a new window: forget the old counts
            self._current_window = window
            self._counts = {}
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        if count <= self._limit:
            return RateLimitDecision(allowed=True)
        retry_after = math.ceil((window + 1) * self._window - now)
        return RateLimitDecision(allowed=False, retry_after_seconds=max(retry_after, 1))


class RateLimitMiddleware:
    """ASGI middleware: limits HTTP requests per client address.

    Behind a proxy, run uvicorn with ``--proxy-headers`` so that the client address is the
    real client's, not the proxy's.
    """

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        decision = self.limiter.hit(client[0] if client else "unknown")
        if decision.allowed:
            await self.app(scope, receive, send)
            return
        response = error_response(
            429,
            "rate_limited",
            "too many requests, slow down",
            headers={"Retry-After": str(decision.retry_after_seconds)},
        )
        await response(scope, receive, send)
