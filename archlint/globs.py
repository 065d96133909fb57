"""Compiling the two pattern languages of selectors into regular expressions.

Path globs (``app/services/**``): ``*`` and ``?`` stay inside one path segment, ``**`` spans
any number of segments, ``[abc]`` is a character class. A glob without wildcards names a
file or a directory and everything under it.

Module patterns (``app.services.*``, ``app.**``): ``*`` is exactly one dotted segment (or a
part of one, as in ``app.*_views``), ``**`` one or more segments. A pattern without wildcards
names a module and everything it contains.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_MODULE_SEGMENT = re.compile(r"^(\*\*|[A-Za-z_*][A-Za-z0-9_*]*)$")


class PatternError(ValueError):
    """A glob or module pattern that cannot be compiled; the message says why."""


def _glob_part(segment: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = segment.find("]", i + 1)
            if end == -1:
                raise PatternError(f"unclosed '[' in glob segment {segment!r}")
            body = segment[i + 1 : end]
            if not body:
                raise PatternError(f"empty character class '[]' in {segment!r}")
            if body[0] == "!":
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def compile_path_glob(pattern: str) -> re.Pattern[str]:
    """Compile a path glob, relative to the project root, into an anchored regex."""
    text = pattern.strip()
    if not text:
        raise PatternError("empty path glob")
    if text.startswith("/") or text.startswith("../") or "/../" in text or text == "..":
        raise PatternError(f"path glob {pattern!r} must be relative to the project root")
    text = text.removeprefix("./").rstrip("/")
    segments = text.split("/")
    has_wildcard = any(c in text for c in "*?[")
    parts: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            parts.append("(?:.*)" if last else "(?:[^/]+/)*")
            continue
        if "**" in segment:
            raise PatternError(f"'**' must be a whole path segment in {pattern!r}")
        if segment in ("", "."):
            raise PatternError(f"empty segment in path glob {pattern!r}")
        parts.append(_glob_part(segment) + ("" if last else "/"))
    regex = "".join(parts)
    if not has_wildcard:
        regex += "(?:/.*)?"  # a plain path: that file, or that directory and all below it
    return re.compile(regex + r"\Z")


@lru_cache(maxsize=1024)
def compile_module_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a dotted module pattern into an anchored regex over module names."""
    text = pattern.strip()
    if not text:
        raise PatternError("empty module pattern")
    segments = text.split(".")
    parts: list[str] = []
    for segment in segments:
        if not _MODULE_SEGMENT.match(segment):
            raise PatternError(f"{segment!r} is not a valid segment of module pattern {pattern!r}")
        if segment == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        elif "**" in segment:
            raise PatternError(f"'**' must be a whole segment in {pattern!r}")
        else:
            parts.append(re.escape(segment).replace(r"\*", "[^.]*"))
    regex = r"\.".join(parts)
    if "*" not in text:
        regex += r"(?:\..+)?"  # a plain name: the module and everything it contains
    return re.compile(regex + r"\Z")


def is_wildcard(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


@lru_cache(maxsize=256)
def compile_path_globs(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex matching a path when any of the globs does (None for no globs): a list of
    exclude globs costs one match per file instead of one per glob and file."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{compile_path_glob(p).pattern})" for p in patterns))


_MEMO_LIMIT = 200_000  # paths remembered per matcher, so a long --watch session stays small


@lru_cache(maxsize=256)
def path_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """A test of a path against any of the globs, remembering its answers: the same exclude
    lists and components are asked about the same files by many rules in one run."""
    regex = compile_path_globs(patterns)
    if regex is None:
        return lambda path: False
    match = regex.match
    memo: dict[str, bool] = {}

    def matches(path: str) -> bool:
        known = memo.get(path)
        if known is None:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            known = memo[path] = match(path) is not None
        return known

    return matches
