"""Test helpers that build trees (not a test module, not a conftest: `tests.conftest` names
the reference app's conftest too when both test folders are collected)."""

from __future__ import annotations

import sys
from pathlib import Path


def generate_fullstack(root: Path, files: int) -> int:
    """benchmarks/generate_fullstack.py's project of about ``files`` files, under ``root``."""
    benchmarks = str(Path(__file__).resolve().parents[1] / "benchmarks")
    sys.path.insert(0, benchmarks)
    try:
        from generate_fullstack import generate
    finally:
        sys.path.remove(benchmarks)
    return generate(root, files)
