#!/usr/bin/env python3
"""archlint vs import-linter on Django's installed source, side by side in one run.

Both tools get the same `layers` contract over a private copy of the `django` package:

    django.contrib > django.views > django.forms > django.db > django.utils

- cold: no cache for either (`archlint check --no-cache`, `lint-imports --no-cache`);
- warm: each with its own cache primed by a previous run.

Runs are interleaved (archlint, import-linter, archlint, ...) so both see the same machine
state; each case runs --runs times (at least 5) and the medians are compared. Wall time is
for the whole process, from exec to exit; peak memory is the child's max RSS.

    python benchmarks/bench_django.py [--runs 7] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAYERS = ["django.contrib", "django.views", "django.forms", "django.db", "django.utils"]


def _bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        sys.exit(f"bench: '{name}' not found; install the project with its test extras")
    return found


def _prepare(workdir: Path) -> None:
    import django

    shutil.copytree(Path(django.__file__).parent, workdir / "django")
    layers = "\n".join(f"    {layer}" for layer in LAYERS)
    (workdir / ".importlinter").write_text(
        "[importlinter]\nroot_package = django\n\n"
        f"[importlinter:contract:layers]\nname = Django layers\ntype = layers\nlayers =\n{layers}\n"
    )
    quoted = ", ".join(f'"{layer}"' for layer in LAYERS)
    (workdir / "archlint.toml").write_text(
        '[[contracts]]\nname = "Django layers"\ntype = "layers"\n' f"layers = [{quoted}]\n"
    )


def _timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one whole process."""
    env = {**os.environ, "PYTHONPATH": str(cwd), "NO_COLOR": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {command} exited {code}: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=None, help="archlint --jobs (default: CPUs)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    archlint, lint_imports = _bin("archlint"), _bin("lint-imports")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory(prefix="archlint-bench-") as tmp:
        workdir = Path(tmp)
        _prepare(workdir)
        cases = {
            "cold": ([archlint, "check", "--no-cache", *jobs], [lint_imports, "--no-cache"]),
            "warm": ([archlint, "check", *jobs], [lint_imports]),
        }
        # Prime both caches, and let the copied files age past archlint's racy-mtime window.
        _timed(cases["warm"][0], workdir)
        _timed(cases["warm"][1], workdir)
        time.sleep(2.5)
        _timed(cases["warm"][0], workdir)
        print(f"Django source: "
              f"{sum(1 for _ in (workdir / 'django').rglob('*.py'))} files; "
              f"{os.cpu_count()} cores; {runs} runs each, medians")  # fmt: skip
        print(f"{'case':6} {'archlint':>10} {'import-linter':>14} {'ratio':>7}  peak MiB (a / il)")
        for name, (ours, theirs) in cases.items():
            times: dict[str, list[float]] = {"a": [], "il": []}
            memory: dict[str, list[float]] = {"a": [], "il": []}
            for _ in range(runs):
                for key, command in (("a", ours), ("il", theirs)):
                    seconds, mib = _timed(command, workdir)
                    times[key].append(seconds)
                    memory[key].append(mib)
            a, il = statistics.median(times["a"]), statistics.median(times["il"])
            print(
                f"{name:6} {a:9.3f}s {il:13.3f}s {a / il:6.2f}x  "
                f"{statistics.median(memory['a']):.1f} / {statistics.median(memory['il']):.1f}"
            )


if __name__ == "__main__":
    main()
