"""Which files the code-reading rules look at: the application layers, minus tests.

Shared by the rules that read code facts, so "application code" means one thing everywhere.
Each such rule exposes the two options below and may narrow or widen them in the config.
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.codefacts import CodeFacts
from archlint.globs import path_matcher
from archlint.rules.context import RuleContext

APPLICATION_LAYERS = ["routes", "controllers", "services", "repositories", "middleware", "validators"]
TEST_FILES = ["**/tests/**", "**/test/**", "**/test_*.py", "**/*_test.py", "**/conftest.py",
              "**/*.test.*", "**/*.spec.*", "**/__tests__/**"]  # fmt: skip


def application_code(context: RuleContext) -> Iterator[tuple[str, CodeFacts]]:
    """(path, code facts) of every file in the rule's ``layers`` and not in ``exclude``."""
    excluded = path_matcher(tuple(str(p) for p in context.options.get("exclude", TEST_FILES)))
    layers = [str(name) for name in context.options.get("layers", APPLICATION_LAYERS)]
    for _module, path in context.files(*layers):
        if excluded(path):
            continue
        facts = context.code(path)
        if facts is not None:
            yield path, facts
