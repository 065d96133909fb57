#!/usr/bin/env python3
"""archlint vs dependency-cruiser on dependency-cruiser's own source, in one run.

The tree is a copy of dependency-cruiser 17.4.3's ``src/`` (196 JS modules using package.json
"imports", ``node:`` built-ins and npm packages) with its package.json, and its
node_modules linked beside it, as tests/oracle installs it (``npm ci`` in tests/oracle).
Both tools do the same job: read every module, resolve every import, produce the graph.

- cold: ``archlint check --no-cache`` vs ``depcruise … --output-type json`` (no cache);
- warm: ``archlint check`` with its cache primed vs ``depcruise --cache`` primed.

Runs are interleaved, at least 5 each, medians compared; wall time of whole processes.

    python benchmarks/bench_depcruise.py [--runs 7]
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

ORACLE = Path(__file__).resolve().parent.parent / "tests" / "oracle" / "node_modules"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = max(5, args.runs)
    package = ORACLE / "dependency-cruiser"
    if not package.is_dir():
        sys.exit("bench: dependency-cruiser is not installed: run `npm ci` in tests/oracle")
    compile_archlint()
    archlint = find_tool("archlint")
    depcruise = str(ORACLE / ".bin" / "depcruise")
    with tempfile.TemporaryDirectory(prefix="archlint-bench-") as tmp:
        root = Path(tmp)
        shutil.copytree(package / "src", root / "src")
        shutil.copy(package / "package.json", root / "package.json")
        (root / "node_modules").symlink_to(ORACLE, target_is_directory=True)
        (root / "archlint.toml").write_text(
            '[[contracts]]\nname = "no cycles"\ntype = "acyclic"\nmodules = ["src/**"]\n'
        )
        crawl = [depcruise, "src", "--no-config", "--preserve-symlinks",
                 "--ts-pre-compilation-deps", "--do-not-follow", "node_modules",
                 "--output-type", "json"]  # fmt: skip
        cache_dir = str(root / ".depcruise-cache")
        cases = {
            "cold": ([archlint, "check", "--no-cache"], crawl),
            "warm": ([archlint, "check"], [*crawl, "--cache", cache_dir]),
        }
        for command in (cases["warm"][0], cases["warm"][1]):
            timed(command, root)  # prime both caches
        time.sleep(2.5)  # past archlint's racy-mtime window for the freshly copied files
        timed(cases["warm"][0], root)
        files = sum(1 for p in (root / "src").rglob("*") if p.suffix in (".mjs", ".cjs", ".mts"))
        print(f"dependency-cruiser's source: {files} modules; {os.cpu_count()} cores; "
              f"{runs} runs each, medians")  # fmt: skip
        compare(cases, root, runs, "dependency-cruiser")


if __name__ == "__main__":
    main()
