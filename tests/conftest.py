"""Fixtures shared across test modules."""

# The dependency-cruiser trees are built once per module that uses them; the edge-level
# oracle reuses the resolver oracle's fixtures.
from tests.test_oracle_depcruise_resolve import depcruise_own_tree, ts_app  # noqa: F401

