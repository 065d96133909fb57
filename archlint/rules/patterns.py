"""Matching text against many shell-style patterns at once (callee text, type names …).

Rules test every call of a project against lists of patterns (``*.query``,
``requests.*``). Most patterns are an exact text, a prefix, a suffix or a part between
stars, tested with str methods; the rest share one regex alternation, compiled once. Each
distinct text is answered once per list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from fnmatch import translate
from functools import lru_cache

_WILD = frozenset("*?[")


def _shapes(patterns: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...],
                                               tuple[str, ...], tuple[str, ...]]:
    """The patterns sorted by shape: (exact texts, "prefix*", "*suffix", "*part*", others).
    The first four are tested with str methods: compiling a regex alternation of dozens of
    patterns costs more (~1 ms a list, in every process) than a whole run matches with it."""
    exact, prefixes, suffixes, parts, others = set(), [], [], [], []
    for pattern in patterns:
        inner = pattern.strip("*")
        if _WILD.intersection(inner):
            others.append(pattern)  # ?, [...] or an inner *: fnmatch's regex
        elif pattern == inner:
            exact.add(pattern)
        elif not inner:
            parts.append("")  # "*", "**": anything
        elif pattern.startswith("*") and pattern.endswith("*"):
            parts.append(inner)
        elif pattern.startswith("*"):
            suffixes.append(inner)
        else:
            prefixes.append(inner)
    return frozenset(exact), tuple(prefixes), tuple(suffixes), tuple(parts), tuple(others)


@lru_cache(maxsize=512)
def _compiled(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    if not patterns:
        return lambda text: False
    exact, prefixes, suffixes, parts, others = _shapes(patterns)
    regex = re.compile("|".join(f"(?:{translate(p)})" for p in others)).match if others else None
    # Callee texts repeat across a project (``self.session.execute``, ``router.get``): a
    # dict lookup is cheaper than the tests, asked once per distinct text.
    memo: dict[str, bool] = {}

    def matches(text: str) -> bool:
        known = memo.get(text)
        if known is None:
            if len(memo) >= 100_000:
                memo.clear()
            known = memo[text] = (
                text in exact
                or (bool(prefixes) and text.startswith(prefixes))
                or (bool(suffixes) and text.endswith(suffixes))
                or any(part in text for part in parts)
                or (regex is not None and regex(text) is not None)
            )
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
