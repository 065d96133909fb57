"""Shared by the benchmark scripts: time whole processes side by side, report medians."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def find_tool(name: str, *extra_dirs: Path) -> str:
    """A command from this environment's bin folder, the given folders, or PATH."""
    for folder in (Path(sys.executable).parent, *extra_dirs):
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        sys.exit(f"bench: '{name}' not found")
    return found


def compile_archlint() -> None:
    """Byte-compile archlint, as pip does for an installed wheel. An editable install has no
    .pyc files, and with PYTHONDONTWRITEBYTECODE set every run would compile its modules
    from source again, a cost no installed copy pays (import-linter's are compiled)."""
    import compileall

    import archlint

    compileall.compile_dir(Path(archlint.__file__).parent, quiet=1)


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one whole process, from exec to exit."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    assert process.stderr is not None
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {command} exited {code}: {errors[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def compare(
    cases: dict[str, tuple[list[str], list[str]]],
    cwd: Path,
    runs: int,
    peer: str,
    env: dict[str, str] | None = None,
    labels: tuple[str, str] = ("archlint", ""),
) -> None:
    """Run each case's two commands interleaved ``runs`` times; print medians and ratios."""
    ours, theirs = labels[0], labels[1] or peer
    print(f"{'case':6} {ours:>10} {theirs:>16} {'ratio':>7}  peak MiB ({ours} / {theirs})")
    for name, (ours, theirs) in cases.items():
        times: dict[str, list[float]] = {"a": [], "p": []}
        memory: dict[str, list[float]] = {"a": [], "p": []}
        for _ in range(runs):
            for key, command in (("a", ours), ("p", theirs)):
                seconds, mib = timed(command, cwd, env)
                times[key].append(seconds)
                memory[key].append(mib)
        a, p = statistics.median(times["a"]), statistics.median(times["p"])
        print(
            f"{name:6} {a:9.3f}s {p:15.3f}s {a / p:6.2f}x  "
            f"{statistics.median(memory['a']):.1f} / {statistics.median(memory['p']):.1f}"
        )
