"""Language frontends: the bytes of one file in, :class:`~archlint.facts.FileFacts` out.

Each frontend module defines ``parse_<language>(data: bytes) -> FileFacts`` and never decides
what is a violation. The registry below names them without importing them: a warm run that
takes every file's facts from the cache never loads a parser.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import lru_cache

from archlint.facts import FileFacts

# language -> (module, parse function, version). Bump a version whenever that parser's
# output changes: it is part of the cache key, so old facts are never misread.
FRONTENDS: dict[str, tuple[str, str, str]] = {
    "python": ("archlint.frontends.python", "parse_python", "python-ast-2"),
    # The output depends on the grammar too: bump these when a tree-sitter grammar changes.
    "javascript": ("archlint.frontends.javascript", "parse_javascript", "javascript-ts-3"),
    "typescript": ("archlint.frontends.javascript", "parse_typescript", "typescript-ts-4"),
    "tsx": ("archlint.frontends.javascript", "parse_tsx", "tsx-ts-4"),
    "sql": ("archlint.frontends.sql", "parse_sql", "sql-1"),
    # Templates import nothing: no graph modules, only code facts of their inline scripts.
    "html": ("archlint.frontends.html_code", "parse_html", "html-1"),
}


def parser_versions() -> tuple[str, ...]:
    return tuple(sorted(version for _, _, version in FRONTENDS.values()))


@lru_cache(maxsize=None)
def parser_for(language: str) -> Callable[[bytes], FileFacts]:
    module, function, _ = FRONTENDS[language]
    return getattr(importlib.import_module(module), function)


# Code facts, for the rules that look inside the code: language -> (module, function,
# version). Extracted lazily, only for the files some enabled rule asks about.
CODE_FRONTENDS: dict[str, tuple[str, str, str]] = {
    "python": ("archlint.frontends.python_code", "extract_python_code", "python-code-2"),
    "javascript": ("archlint.frontends.javascript_code", "extract_javascript_code", "javascript-code-1"),
    "typescript": ("archlint.frontends.javascript_code", "extract_typescript_code", "typescript-code-2"),
    "tsx": ("archlint.frontends.javascript_code", "extract_tsx_code", "tsx-code-2"),
    # The inline scripts, read by the JavaScript extractor: its version is in the store's
    # key too, so a bump of either re-extracts templates.
    "html": ("archlint.frontends.html_code", "extract_html_code", "html-code-1"),
}


@lru_cache(maxsize=None)
def code_extractor_for(language: str) -> Callable[[bytes], object] | None:
    entry = CODE_FRONTENDS.get(language)
    if entry is None:
        return None
    module, function, _ = entry
    return getattr(importlib.import_module(module), function)


# One parse for both kinds of facts where a language can: language -> (module, function)
# returning (FileFacts, CodeFacts).
COMBINED_FRONTENDS: dict[str, tuple[str, str]] = {
    "python": ("archlint.frontends.python", "parse_python_with_code"),
}


@lru_cache(maxsize=None)
def combined_parser_for(language: str) -> Callable[[bytes], tuple] | None:
    entry = COMBINED_FRONTENDS.get(language)
    if entry is None:
        return None
    return getattr(importlib.import_module(entry[0]), entry[1])
