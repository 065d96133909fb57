"""A progress bar on stderr, for runs long enough to need one, on a terminal only.

The run's stages report through module functions (:func:`phase`, :func:`advance`) that do
nothing unless the CLI has opened a bar with :func:`shown`: the engine and the parsers know
nothing of terminals, and a run without a bar (tests, CI, a pipe) pays one attribute lookup.
The bar stays hidden for the first ``delay`` seconds (``ARCHLINT_PROGRESS_DELAY``, default 1)
so that quick runs never flicker, redraws at most ten times a second, and erases itself when
the run ends, leaving stderr as it would be without it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

DEFAULT_DELAY = 1.0
_REDRAW_EVERY = 0.1
_WIDTH = 24


class Bar:
    def __init__(
        self, stream: TextIO, delay: float = DEFAULT_DELAY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.pid = os.getpid()  # forked parser workers inherit the bar: they must not draw
        self.label = ""
        self.total = 0
        self.done = 0
        self.scale = 1  # work units per unit this process sees (parsing shared with workers)
        self.drawn = False
        self.last_draw = -1.0

    def phase(self, label: str, total: int, scale: int = 1) -> None:
        self.label, self.total, self.done, self.scale = label, total, 0, max(1, scale)
        self._draw(force=True)

    def advance(self, count: int = 1, exact: bool = False) -> None:
        """``count`` more units done; ``exact``: counted, not estimated with ``scale``."""
        self.done += count if exact else count * self.scale
        self._draw()

    def close(self) -> None:
        if self.drawn and os.getpid() == self.pid:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False

    def _draw(self, force: bool = False) -> None:
        if os.getpid() != self.pid:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if not force and now - self.last_draw < _REDRAW_EVERY:
            return
        self.last_draw = now
        self.stream.write("\r\x1b[K" + self.render())
        self.stream.flush()
        self.drawn = True

    def render(self) -> str:
        if self.total <= 0:
            return f"archlint: {self.label}"
        done = min(self.done, self.total)
        filled = round(_WIDTH * done / self.total)
        bar = "█" * filled + "░" * (_WIDTH - filled)
        return f"archlint: {self.label} ▕{bar}▏ {done:,}/{self.total:,}"


_ACTIVE: Bar | None = None


def phase(label: str, total: int = 0, scale: int = 1) -> None:
    if _ACTIVE is not None:
        _ACTIVE.phase(label, total, scale)


def advance(count: int = 1, exact: bool = False) -> None:
    if _ACTIVE is not None:
        _ACTIVE.advance(count, exact)


def wanted(stream: TextIO, quiet: bool = False) -> bool:
    """Whether to show a bar: a terminal on ``stream``, not quiet, not TERM=dumb."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and not quiet and os.environ.get("TERM") != "dumb"


@contextmanager
def shown(stream: TextIO, enabled: bool = True) -> Iterator[Bar | None]:
    """Report the run's progress on ``stream`` while the block runs (when ``enabled``)."""
    global _ACTIVE
    if not enabled:
        yield None
        return
    try:
        delay = float(os.environ.get("ARCHLINT_PROGRESS_DELAY", DEFAULT_DELAY))
    except ValueError:
        delay = DEFAULT_DELAY
    bar = Bar(stream, delay)
    previous, _ACTIVE = _ACTIVE, bar
    try:
        yield bar
    finally:
        bar.close()
        _ACTIVE = previous
