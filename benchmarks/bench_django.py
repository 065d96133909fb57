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
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import compare, compile_archlint, find_tool, timed  # noqa: E402

LAYERS = ["django.contrib", "django.views", "django.forms", "django.db", "django.utils"]


def _prepare(workdir: Path) -> None:
    import django

    shutil.copytree(Path(django.__file__).parent, workdir / "django")
    layers = "\n".join(f"    {layer}" for layer in LAYERS)
    (workdir / ".importlinter").write_text(
        "[importlinter]\nroot_package = django\n\n"
        f"[importlinter:contract:layers]\nname = Django layers\ntype = layers\nlayers =\n{layers}\n"
    )
    quoted = ", ".join(f'"{layer}"' for layer in LAYERS)
    # Django ships JavaScript for its admin too; import-linter reads only the Python, so
    # archlint is told to do the same job.
    (workdir / "archlint.toml").write_text(
        'include = ["**/*.py"]\nselect = ["AL0", "AL1"]  # contracts, as import-linter checks\n\n[[contracts]]\nname = "Django layers"\ntype = "layers"\n'
        f"layers = [{quoted}]\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=None, help="archlint --jobs (default: CPUs)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    compile_archlint()
    archlint, lint_imports = find_tool("archlint"), find_tool("lint-imports")
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory(prefix="archlint-bench-") as tmp:
        workdir = Path(tmp)
        _prepare(workdir)
        env = {"PYTHONPATH": str(workdir)}  # lint-imports finds the copied django there
        cases = {
            "cold": ([archlint, "check", "--no-cache", *jobs], [lint_imports, "--no-cache"]),
            "warm": ([archlint, "check", *jobs], [lint_imports]),
        }
        # Prime both caches, and let the copied files age past archlint's racy-mtime window.
        timed(cases["warm"][0], workdir, env)
        timed(cases["warm"][1], workdir, env)
        time.sleep(2.5)
        timed(cases["warm"][0], workdir, env)
        files = sum(1 for _ in (workdir / "django").rglob("*.py"))
        print(f"Django source: {files} files; {os.cpu_count()} cores; {runs} runs each, medians")
        compare(cases, workdir, runs, "import-linter", env)


if __name__ == "__main__":
    main()
