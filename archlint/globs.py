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
from typing import Any

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
def _parse_path_glob(pattern: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """(segments, the regex of each segment, has wildcards) of a path glob; raises on an
    invalid one. The regex of a segment that is not the last ends with its "/"."""
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
    return tuple(segments), tuple(parts), has_wildcard


@lru_cache(maxsize=1024)
def compile_path_glob(pattern: str) -> re.Pattern[str]:
    """Compile a path glob, relative to the project root, into an anchored regex."""
    _, parts, has_wildcard = _parse_path_glob(pattern)
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


@lru_cache(maxsize=256)
def module_pattern_literals(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """Strings one of which every module name matching one of the patterns contains (a test
    cheaper than the regex, to ask first): a segment without wildcards of each ("services" of
    "**.services.**"), none contained in another. Empty when a pattern has no such segment."""
    found: set[str] = set()
    for pattern in patterns:
        literal = [s for s in pattern.strip().split(".") if "*" not in s]
        if not literal:
            return ()
        found.add(max(literal, key=len))
    return tuple(sorted(f for f in found if not any(o != f and o in f for o in found)))


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

# Matching many paths against a list of globs without one regex match per path and glob.
# A path "d1/d2/name" is read as its directory ("d1/d2/", "" at the root) and its name:
# - a glob ending in "**" matches a path exactly when its regex matches the path's directory
#   (the final "(?:.*)" then takes the name), so its answer depends on the directory alone;
# - a glob whose last segment cannot match "/" ("*.py", "routes.py", "*.[jt]s") matches when
#   the regex of its other segments matches the directory and its last segment the name;
# - a glob without wildcards ("app/db") is the file of that name, or any path below it.
# Answers are remembered per directory, and a project has far fewer directories than files.
# A path holding "\n" (which ".*" does not match) and a glob whose last segment could match
# "/" (a "[!a]" class) are asked the plain regex of the glob, so answers stay exactly the same.

_SAFE_CLASS = re.compile(r"(?:[A-Za-z0-9_.]|[A-Za-z0-9]-[A-Za-z0-9])+\Z")  # never matches "/"
_EXPANSIONS = 64  # most names a class-only segment is spelled out to ("*.[jt]s": 2)
_DirTest = Callable[[str], object]
_LITERAL_START = re.compile(r"[^*?\[]*")


def _name_test(segment: str) -> tuple[str, Any, str] | None:
    """How to test a file name against a glob's last segment, and a name it matches: ("names",
    the names it spells), ("suffixes", the endings after a leading "*"), ("contains", what
    comes between a leading and a trailing "*"), or ("regex", the literal start of the names):
    ask the glob's regex. None when a character class of it could match "/"."""
    pieces: list[tuple[str, ...] | None] = []  # None: "*", "?" or a range
    witness: list[str] = []
    i = 0
    while i < len(segment):
        char = segment[i]
        if char == "[":
            end = segment.find("]", i + 1)
            body = segment[i + 1 : end]
            if not _SAFE_CLASS.match(body):
                return None
            pieces.append(None if "-" in body else tuple(dict.fromkeys(body)))
            witness.append(body[0])
            i = end
        else:
            pieces.append(None if char in "*?" else (char,))
            witness.append("" if char == "*" else "a" if char == "?" else char)
        i += 1
    example = "".join(witness)
    kind = "names"
    if segment.startswith("*"):
        kind, pieces = "suffixes", pieces[1:]
        if pieces and segment.endswith("*"):  # the class check above let no "*" in a class
            kind, pieces = "contains", pieces[:-1]
    count = 1
    for piece in pieces:
        count *= len(piece) if piece is not None else _EXPANSIONS + 1
    if count > _EXPANSIONS:
        return "regex", _LITERAL_START.match(segment).group(), example  # type: ignore[union-attr]
    spelled = [""]
    for piece in pieces:
        spelled = [text + char for text in spelled for char in piece]  # type: ignore[union-attr]
    return kind, tuple(dict.fromkeys(spelled)), example


class NameTest:
    """Whether a file of a directory is one the globs that match the directory accept: by its
    name (``names``, ``suffixes``, ``contains``: a search for the strings of ``inner``), or
    else by the whole path (``regexes``: a start the names have, and the glob's regex)."""

    __slots__ = ("contains", "inner", "names", "regexes", "starts", "suffixes")

    def __init__(self, tests: list[tuple[str, Any]]) -> None:
        found: dict[str, dict[Any, None]] = {kind: {} for kind in _KINDS}
        for kind, value in tests:
            found[kind].update(dict.fromkeys(value) if kind != "regex" else {value: None})
        self.names = frozenset(found["names"])
        self.suffixes = tuple(found["suffixes"])
        self.inner = tuple(found["contains"])
        self.contains = (
            re.compile("|".join(re.escape(text) for text in self.inner)).search
            if self.inner else None
        )  # fmt: skip
        self.regexes: tuple[tuple[str, Callable[[str], object]], ...] = tuple(found["regex"])
        self.starts = tuple(start for start, _ in self.regexes)

    def __call__(self, directory: str, name: str) -> bool:
        if name in self.names or name.endswith(self.suffixes):
            return True
        if self.contains is not None and self.contains(name):
            return True
        return name.startswith(self.starts) and any(
            name.startswith(start) and match(directory + name) for start, match in self.regexes
        )


_KINDS = ("names", "suffixes", "contains", "regex")


class GlobSet:
    """Any of several path globs, answering exactly as their regexes do (see above). Asks
    only the regexes of the globs (compiled once, when the config was read)."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.regexes = tuple(compile_path_glob(p).match for p in patterns)  # raises if invalid
        self.plain: tuple[Callable[[str], object], ...] = ()  # globs asked per path
        # first directory segment a glob needs (None: any) -> directory tests
        self._whole: dict[str | None, list[_DirTest]] = {}  # matching: every file matches
        self._tails: dict[str | None, list[tuple[_DirTest, int]]] = {}  # then the name test
        self._names: list[tuple[str, Any]] = []
        self._dirs: dict[str, NameTest | bool] = {}
        self._verdicts: dict[tuple[int, ...], NameTest] = {}
        plain: list[Callable[[str], object]] = []
        for pattern, match in zip(patterns, self.regexes):
            segments, _, has_wildcard = _parse_path_glob(pattern)
            first = segments[0] if len(segments) > 1 and not is_wildcard(segments[0]) else None
            if not has_wildcard:
                text = "/".join(segments)
                self._whole.setdefault(segments[0], []).append(_starts(text + "/"))
                directory = text[: len(text) - len(segments[-1])]
                self._add_tail(first, _equals(directory), ("names", {segments[-1]}))
            elif segments[-1] == "**":
                self._whole.setdefault(first, []).append(match)
            elif (test := _name_test(segments[-1])) is None:
                plain.append(match)
            else:
                kind, value, witness = test
                name = (kind, value if kind != "regex" else (value, match))
                if not any(is_wildcard(s) for s in segments[:-1]):
                    self._add_tail(first, _equals("".join(s + "/" for s in segments[:-1])), name)
                else:  # the regex matches directory + a name of the last segment
                    self._add_tail(first, _with_name(match, witness), name)
        self.plain = tuple(plain)

    def _add_tail(self, first: str | None, directory: _DirTest, test: tuple[str, Any]) -> None:
        self._tails.setdefault(first, []).append((directory, len(self._names)))
        self._names.append(test)

    def directory(self, directory: str) -> NameTest | bool:
        """For the files of ``directory`` ("a/b/", or "" for the root; no newline): True
        when the globs match them all, False when none, else the test of the rest. Globs in
        ``plain`` are not asked."""
        known = self._dirs.get(directory)
        if known is not None:
            return known
        if len(self._dirs) >= _MEMO_LIMIT:
            self._dirs.clear()
        first = directory.partition("/")[0]
        verdict: NameTest | bool = any(
            test(directory) for key in (first, None) for test in self._whole.get(key, ())
        )
        if not verdict:
            tails = tuple(sorted(
                index for key in (first, None)
                for test, index in self._tails.get(key, ()) if test(directory)
            ))  # fmt: skip
            if tails:
                verdict = self._verdicts.get(tails) or self._verdicts.setdefault(
                    tails, NameTest([self._names[i] for i in tails])
                )
        self._dirs[directory] = verdict
        return verdict

    def files(
        self, directory: str, names: list[str], keys: list[str], by_name: dict[str, Any]
    ) -> list[str]:
        """The keys of the files of ``directory`` that match (``plain`` globs not asked):
        ``names`` and ``keys`` side by side, and ``by_name`` a name's key or list of keys."""
        verdict = self.directory(directory)
        if verdict is True:
            return keys
        if not verdict:
            return []
        found: list[str] = []
        wanted = verdict.names
        for name in wanted if len(wanted) < len(by_name) else wanted & by_name.keys():
            hit = by_name.get(name)
            if isinstance(hit, str):
                found.append(hit)
            elif hit:
                found.extend(hit)
        if suffixes := verdict.suffixes:
            found.extend(k for n, k in zip(names, keys) if n.endswith(suffixes))
        if (contains := verdict.contains) is not None:
            found.extend(k for n, k in zip(names, keys) if contains(n))
        for start, match in verdict.regexes:
            found.extend(
                k for n, k in zip(names, keys) if n.startswith(start) and match(directory + n)
            )
        return found

    def match(self, path: str) -> bool:
        if "\n" in path:
            return any(match(path) for match in self.regexes)
        cut = path.rfind("/") + 1
        directory = path[:cut]
        verdict = self.directory(directory)
        if verdict is True:
            return True
        if verdict and verdict(directory, path[cut:]):
            return True
        return any(match(path) for match in self.plain)


def _with_name(match: Callable[[str], object], name: str) -> _DirTest:
    return lambda directory: match(directory + name)


def _starts(prefix: str) -> _DirTest:
    return lambda directory: directory.startswith(prefix)


def _equals(text: str) -> _DirTest:
    return lambda directory: directory == text


@lru_cache(maxsize=256)
def glob_set(patterns: tuple[str, ...]) -> GlobSet:
    return GlobSet(patterns)


class _Answers(dict[str, bool]):
    """path -> whether the globs match it, asking the matcher once per path: a hit is one
    dict lookup, with no Python call."""

    __slots__ = ("ask",)

    def __init__(self, ask: Callable[[str], bool]) -> None:
        super().__init__()
        self.ask = ask

    def __missing__(self, path: str) -> bool:
        if len(self) >= _MEMO_LIMIT:
            self.clear()
        known = self[path] = self.ask(path)
        return known


@lru_cache(maxsize=256)
def path_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """A test of a path against any of the globs, remembering its answers: the same exclude
    lists and components are asked about the same files by many rules in one run."""
    if not patterns:
        return lambda path: False
    return _Answers(glob_set(patterns).match).__getitem__
