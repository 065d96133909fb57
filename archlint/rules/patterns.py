"""Matching text against many shell-style patterns at once (callee text, type names …).

Rules test every call of a project against lists of patterns (``*.query``,
``requests.*``); one alternation of them all, compiled once, is one regex match per call
instead of one ``fnmatchcase`` per pattern and call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from fnmatch import translate
from functools import lru_cache


@lru_cache(maxsize=512)
def _compiled(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    if not patterns:
        return lambda text: False
    match = re.compile("|".join(f"(?:{translate(p)})" for p in patterns)).match
    # Callee texts repeat across a project (``self.session.execute``, ``router.get``): a
    # dict lookup is cheaper than the alternation, asked once per distinct text.
    memo: dict[str, bool] = {}

    def matches(text: str) -> bool:
        known = memo.get(text)
        if known is None:
            if len(memo) >= 100_000:
                memo.clear()
            known = memo[text] = match(text) is not None
        return known

    return matches


_BY_IDENTITY: dict[int, tuple[object, Callable[[str], bool]]] = {}


def matcher(patterns: Iterable[object]) -> Callable[[str], bool]:
    """A case-sensitive test (like ``fnmatchcase``) of a text against any of the patterns.

    Rules call this inside loops with the same option list every time: remembered by the
    list's identity (the list itself is kept, so its id cannot be reused by another)."""
    known = _BY_IDENTITY.get(id(patterns))
    if known is not None and known[0] is patterns:
        return known[1]
    match = _compiled(tuple(str(p) for p in patterns))
    if isinstance(patterns, (list, tuple)):
        if len(_BY_IDENTITY) > 1024:
            _BY_IDENTITY.clear()
        _BY_IDENTITY[id(patterns)] = (patterns, match)
    return match


def matches_any(text: str, patterns: Iterable[object]) -> bool:
    return matcher(patterns)(text)
