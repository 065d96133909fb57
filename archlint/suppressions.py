"""Inline suppressions: reading them from comments, and which lines each one covers.

Python::

    x = call()  # archlint: ignore[AL301, token-in-web-storage]
    # archlint: ignore[AL301]            (alone on its line: covers the next line)
    # archlint: ignore-file[AL601]       (anywhere in the file: covers all of it)

JavaScript / TypeScript::

    call(); // archlint-ignore AL301, token-in-web-storage -- why
    /* archlint-ignore AL301 */         (alone on its line, or `{/* … */}` in JSX: next line)
    // archlint-ignore-file AL601

Rules are named by code or kebab-case name, never by prefix: a prefix would also hide the
rules added to it later. A comment naming no rule suppresses nothing and is reported.

Comments are told from strings by the languages' own tokenizers (Python's ``tokenize``,
tree-sitter's comment nodes), and only in files whose bytes mention ``archlint``, since
``tokenize`` is slow. A comment cannot sit inside a multi-line string, nor after a line
ending in a backslash, so those lines are grouped: a trailing comment on a group's last line,
or a comment alone on the line above its first, covers the whole group.
"""

from __future__ import annotations

import io
import re
import tokenize
from bisect import bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from archlint.facts import Suppression

if TYPE_CHECKING:
    from tree_sitter import Node, Query

PY_MARK = b"archlint"
JS_MARK = b"archlint-"

_PY_DIRECTIVE = re.compile(r"#[ \t]*archlint:[ \t]*(?P<word>[\w-]*)")
_PY_LIST = re.compile(r"[ \t]*\[(?P<rules>[^\]\n]*)\]")
_JS_DIRECTIVE = re.compile(r"(?://|/\*)[\s*]*archlint-(?P<word>[\w-]*)")
_SEPARATOR = re.compile(r"[^,\s]+")  # rules are separated by commas and/or spaces
_JS_REASON = re.compile(r"(?:^|\s)--(?:\s|$)")  # eslint's `-- reason` after the rules

Groups = list[tuple[int, int]]  # sorted, disjoint (first line, last line) ranges


# --- shared -----------------------------------------------------------------------------


def _merge(ranges: Iterable[tuple[int, int]]) -> Groups:
    merged: Groups = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def group_of(groups: Groups, line: int) -> tuple[int, int]:
    """The group holding ``line``, or (line, line) when it stands alone."""
    index = bisect_right(groups, (line, 1 << 62)) - 1
    if index >= 0 and groups[index][0] <= line <= groups[index][1]:
        return groups[index]
    return line, line


def _covered(groups: Groups, line: int, own_line: bool) -> tuple[int, int]:
    """The lines a comment on ``line`` covers: the group starting on the next line, or the
    group ending on this one."""
    if own_line:
        first, last = group_of(groups, line + 1)
        return (line + 1, last) if first == line + 1 else (line + 1, line + 1)
    first, last = group_of(groups, line)
    return (first, line) if last == line else (line, line)


def _entries(
    word: str, rules: str | None, rules_column: int, line: int, column: int,
    covers: tuple[int, int], prefix: str, example: str,
) -> list[Suppression]:  # fmt: skip
    """The records of one directive; ``rules_column`` is the column of ``rules[0]``."""
    if word not in ("ignore", "ignore-file"):
        problem = (
            f"unknown directive '{prefix}{word}': use '{prefix}ignore' or '{prefix}ignore-file'"
        )
        return [Suppression("", line, column, *covers, problem=problem)]
    first, last = (0, 0) if word == "ignore-file" else covers
    names = [(m.group(), m.start()) for m in _SEPARATOR.finditer(rules or "")]
    if not names:
        problem = f"suppression names no rule: write the codes to ignore, e.g. '{example}'"
        return [Suppression("", line, column, first, last, problem=problem)]
    return [Suppression(name, line, rules_column + at, first, last) for name, at in names]


# --- Python -----------------------------------------------------------------------------

_SKIP = (tokenize.ENCODING, tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT)
_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)  # 3.12+: f-strings are token runs
_FSTRING_END = getattr(tokenize, "FSTRING_END", -1)


def _python_tokens(data: bytes) -> Iterable[Any]:
    """The tokens of ``data`` up to the first error (a broken file still has comments)."""
    try:
        yield from tokenize.tokenize(io.BytesIO(data).readline)
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        return


def _scan_python(data: bytes) -> tuple[list[Any], Groups]:
    """The comment tokens of ``data`` and its groups of lines no comment can split."""
    comments: list[Any] = []
    ranges: list[tuple[int, int]] = []
    fstrings: list[int] = []
    previous: Any = None
    for token in _python_tokens(data):
        kind, (row, _), (end_row, _) = token.type, token.start, token.end
        if kind == tokenize.COMMENT:
            comments.append(token)
        elif kind == tokenize.STRING and end_row > row:
            ranges.append((row, end_row))
        elif kind == _FSTRING_START:
            fstrings.append(row)
        elif kind == _FSTRING_END and fstrings:
            start = fstrings.pop()
            if end_row > start:
                ranges.append((start, end_row))
        if previous is not None and row > previous.end[0] and previous.type not in _SKIP:
            ranges.append((previous.end[0], row))  # a backslash joined these lines
        if kind not in (tokenize.INDENT, tokenize.DEDENT):
            previous = token
    return comments, _merge(ranges)


def python_groups(data: bytes) -> Groups:
    return _scan_python(data)[1]


def scan_python(data: bytes) -> tuple[Suppression, ...]:
    """The suppressions in the comments of a Python file's bytes. Never raises."""
    if PY_MARK not in data:
        return ()
    comments, groups = _scan_python(data)
    found: list[Suppression] = []
    for token in comments:
        text, (row, col) = token.string, token.start
        own_line = not token.line[:col].strip()
        for match in _PY_DIRECTIVE.finditer(text):
            word, rules, at = match.group("word"), None, match.end()
            listed = _PY_LIST.match(text, match.end())
            if listed is not None:
                rules, at = listed.group("rules"), listed.start("rules")
            covers = _covered(groups, row, own_line)
            column = col + match.start() + 1
            example = "# archlint: ignore[AL301]"
            found.extend(
                _entries(word, rules, col + at + 1, row, column, covers, "archlint: ", example)
            )
    return tuple(found)


# --- JavaScript / TypeScript ----------------------------------------------------------


def js_groups(root: Node, query: Query) -> Groups:
    """Multi-line template literals (and strings continued with a backslash)."""
    from tree_sitter import QueryCursor

    nodes = QueryCursor(query).captures(root).get("string", ())
    return _merge(
        (n.start_point[0] + 1, n.end_point[0] + 1)
        for n in nodes
        if n.end_point[0] > n.start_point[0]
    )


def _chars(data: bytes, line_start: int, offset: int) -> int:
    """The 1-based character column of a byte offset on the line starting at ``line_start``."""
    return len(data[line_start:offset].decode("utf-8", "replace")) + 1


def scan_javascript(data: bytes, root: Node, query: Query) -> tuple[Suppression, ...]:
    """The suppressions in the comments of a JS/TS file (``data`` as parsed, BOM removed),
    found through tree-sitter's comment nodes: text in strings, templates or JSX is not a
    comment. ``query`` captures string-like nodes as ``@string`` (for the groups)."""
    if JS_MARK not in data:
        return ()
    groups: Groups | None = None
    seen: set[int] = set()
    found: list[Suppression] = []
    position = data.find(JS_MARK)
    while position != -1:
        node = root.descendant_for_byte_range(position, position + len(JS_MARK))
        position = data.find(JS_MARK, position + 1)
        if node is None or node.type != "comment" or node.start_byte in seen:
            continue
        seen.add(node.start_byte)
        start, end = node.start_byte, node.end_byte
        text = data[start:end].decode("utf-8", "replace")
        match = _JS_DIRECTIVE.match(text)
        if match is None:
            continue  # `archlint-` mentioned in a comment that is no directive
        line_start = data.rfind(b"\n", 0, start) + 1
        line_end = data.find(b"\n", end)
        before = data[line_start:start].strip()
        after = data[end : len(data) if line_end == -1 else line_end].strip()
        own_line = before in (b"", b"{") and after in (b"", b"}")  # `{/* … */}` in JSX
        if groups is None:
            groups = js_groups(root, query)
        row = node.start_point[0] + 1
        covers = _covered(groups, node.end_point[0] + 1 if own_line else row, own_line)
        body = text[match.end() :]
        if text.startswith("/*"):
            body = body.removesuffix("*/")
        reason = _JS_REASON.search(body)
        rules = body[: reason.start()] if reason is not None else body
        if "\n" in rules:  # a block comment over several lines: rules on its first line only
            rules = rules.split("\n", 1)[0]
        prefix = data[start : start + len(text[: match.end()].encode("utf-8"))]
        rules_column = _chars(data, line_start, start + len(prefix))
        column = _chars(data, line_start, start)
        example = "// archlint-ignore AL301"
        word = match.group("word")
        found.extend(_entries(word, rules, rules_column, row, column, covers, "archlint-", example))
    return tuple(found)
