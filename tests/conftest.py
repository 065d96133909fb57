"""Fixtures shared across test modules."""

# The dependency-cruiser trees are built once per module that uses them; the edge-level
# oracle reuses the resolver oracle's fixtures.
from tests.test_oracle_depcruise_resolve import depcruise_own_tree, ts_app  # noqa: F401


def generate_fullstack(root, files: int) -> int:
    """benchmarks/generate_fullstack.py's project of about ``files`` files, under ``root``."""
    import sys
    from pathlib import Path

    benchmarks = str(Path(__file__).resolve().parents[1] / "benchmarks")
    sys.path.insert(0, benchmarks)
    try:
        from generate_fullstack import generate
    finally:
        sys.path.remove(benchmarks)
    return generate(root, files)
