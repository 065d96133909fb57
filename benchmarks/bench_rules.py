#!/usr/bin/env python3
"""What the rule pack costs: a full check against the core check alone, in one run.

The core check is the import graph with its contracts (`--select AL0,AL1`: parse errors,
unresolved imports and contracts; no rule runs then, and no code facts are extracted); the
full check adds every rule that is on by default. Both cold (`--no-cache`), whole
processes, interleaved, medians of at least 5 runs, on two trees:

- Django's installed source with the `backend` preset (Python only, like import-linter);
- a generated 5,000-file full-stack project (FastAPI backend + React/TS frontend,
  benchmarks/generate_fullstack.py) with the `fullstack` preset.

The issue's budget: the rule pack may add at most 50% (ratio <= 1.5).

    python benchmarks/bench_rules.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_fullstack import generate  # noqa: E402
from timing import compare, compile_archlint, find_tool  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = max(5, args.runs)
    compile_archlint()
    archlint = find_tool("archlint")
    core = [archlint, "check", "--no-cache", "--select", "AL0,AL1"]
    full = [archlint, "check", "--no-cache"]
    with tempfile.TemporaryDirectory(prefix="archlint-bench-") as tmp:
        import django

        django_root = Path(tmp) / "django-tree"
        shutil.copytree(Path(django.__file__).parent, django_root / "django")
        (django_root / "archlint.toml").write_text('extends = ["backend"]\ninclude = ["**/*.py"]\n')
        generated = Path(tmp) / "fullstack"
        count = generate(generated, 5000)
        print(f"{os.cpu_count()} cores; {runs} runs each, medians; ratio = full / core")
        for title, root in (("Django, backend preset", django_root),
                            (f"generated full-stack project ({count} files)", generated)):  # fmt: skip
            print(f"\n{title}")
            compare({"cold": (full, core)}, root, runs, "core check", labels=("rule pack", "core"))


if __name__ == "__main__":
    main()
