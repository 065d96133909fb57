"""archlint: an architecture linter for layered full-stack repositories."""

__version__ = "0.1.0"
