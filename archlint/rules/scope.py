"""Which files the code-reading rules look at: the application layers, minus tests.

Shared by the rules that read code facts, so "application code" means one thing everywhere.
Each such rule exposes the two options below and may narrow or widen them in the config.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from archlint.codefacts import CodeFacts
from archlint.globs import path_matcher
from archlint.rules.context import RuleContext

APPLICATION_LAYERS = ["routes", "controllers", "services", "repositories", "middleware", "validators"]
TEST_FILES = ["**/tests/**", "**/test/**", "**/test_*.py", "**/*_test.py", "**/conftest.py",
              "**/*.test.*", "**/*.spec.*", "**/__tests__/**"]  # fmt: skip

T = TypeVar("T")


def per_run(context: RuleContext, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, once per run of the rules (``context.memo``) and shard, for ``key``,
    which must hold every option and trigger the value depends on."""
    memo = context.memo
    full_key = (*key, context.shard)
    if full_key not in memo:
        memo[full_key] = compute()
    return memo[full_key]  # type: ignore[no-any-return]


def listed_files(context: RuleContext, layers: tuple[str, ...], exclude: tuple[str, ...]
                 ) -> list[tuple[str, str]]:
    """(module id, path) of the files of these components not matching ``exclude``, sorted
    by path (``context.files``), remembered for the run."""

    def compute() -> list[tuple[str, str]]:
        excluded = path_matcher(exclude)
        return [(m, path) for m, path in context.files(*layers) if not excluded(path)]

    return per_run(context, ("files", layers, exclude), compute)


def code_of_files(context: RuleContext, files: list[tuple[str, str]], key: tuple
                  ) -> list[tuple[str, str, CodeFacts]]:
    """(module id, path, code facts) of those ``files`` (listed under ``key``) that have
    code facts for this rule (its triggers), remembered for the run."""

    def compute() -> list[tuple[str, str, CodeFacts]]:
        found = []
        code = context.code
        for module, path in files:
            facts = code(path)
            if facts is not None:
                found.append((module, path, facts))
        return found

    return per_run(context, ("code", key, context.triggers), compute)


def application_code(context: RuleContext) -> Iterator[tuple[str, CodeFacts]]:
    """(path, code facts) of every file in the rule's ``layers`` and not in ``exclude``."""
    exclude = tuple(str(p) for p in context.options.get("exclude", TEST_FILES))
    layers = tuple(str(name) for name in context.options.get("layers", APPLICATION_LAYERS))
    files = listed_files(context, layers, exclude)
    for _module, path, facts in code_of_files(context, files, ("layers", layers, exclude)):
        yield path, facts
