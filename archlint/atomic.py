"""Writing a file so that a reader sees the old bytes or the new ones, never half of them."""

from __future__ import annotations

import os
import time


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    The temporary name is unique to this process and moment (pid + clock) and created
    exclusively, so two runs writing at once never share one; ``tempfile`` would do the
    same but costs ~10 ms to import on every run.
    """
    tmp = f"{os.fspath(path)}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
