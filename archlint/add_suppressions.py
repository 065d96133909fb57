"""``archlint check --add-suppressions``: write an inline suppression for every finding.

Python goes through libcst, which gives back every byte it did not change (formatting and
comments kept): the comment goes at the end of the finding's line, or of the last line of
the multi-line string or backslash-joined lines holding it (where archlint.suppressions
looks), and joins an ``# archlint: ignore[...]`` already there. JS/TS gets a
``// archlint-ignore CODE`` line above the finding's line (above the start of a multi-line
template literal holding it), indented the same, or ``{/* archlint-ignore CODE */}`` among
JSX children, where ``//`` would be text; an own-line suppression already there is extended.

What a comment cannot suppress is left: unused-suppression itself, files that do not parse,
other languages (SQL, templates), findings on lines that hold no code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from archlint.findings import Finding, sort_findings
from archlint.rules.unused_suppression import CODE as UNUSED
from archlint.suppressions import group_of, js_groups, python_groups

_PY_EXISTING = re.compile(r"(#[ \t]*archlint:[ \t]*ignore[ \t]*\[)(?P<rules>[^\]\n]*)\]")
_JS_EXISTING = re.compile(
    r"^(?P<head>[ \t]*\{?/[/*][ \t]*archlint-ignore[ \t]+)(?P<rules>.*?)"
    r"(?P<tail>[ \t]+--[ \t].*|[ \t]*\*/\}?[ \t]*|[ \t]*)$"
)
_JS_LANGUAGES = {".js": "javascript", ".jsx": "javascript", ".mjs": "javascript",
                 ".cjs": "javascript", ".ts": "typescript", ".mts": "typescript",
                 ".cts": "typescript", ".tsx": "tsx"}  # fmt: skip


def _with_codes(rules: str, codes: Sequence[str]) -> tuple[str, int]:
    """A written rule list with ``codes`` added (those it does not name yet), and how many."""
    present = {r.upper() for r in re.split(r"[,\s]+", rules) if r}
    missing = [c for c in codes if c.upper() not in present]
    if not missing:
        return rules, 0
    kept = rules.rstrip()
    return (f"{kept}, " if kept.strip() else kept) + ", ".join(missing), len(missing)


def add_suppressions(
    root: str, findings: Sequence[Finding], only_paths: Sequence[str] = ()
) -> tuple[int, list[Finding]]:
    """Suppress ``findings`` in their files: (suppressions added, findings left)."""
    by_path: dict[str, list[Finding]] = {}
    left: list[Finding] = []
    for finding in findings:
        inside = not only_paths or any(
            finding.path == p or finding.path.startswith(p + "/") for p in only_paths
        )
        if finding.code == UNUSED or not inside:  # only the files the user named are edited
            left.append(finding)
        else:
            by_path.setdefault(finding.path, []).append(finding)
    added = 0
    for path, found in sorted(by_path.items()):
        target = Path(root) / path
        suffix = target.suffix.lower()
        wanted: dict[int, list[str]] = {}
        for finding in found:
            codes = wanted.setdefault(finding.line, [])
            if finding.code not in codes:
                codes.append(finding.code)
        try:
            data = target.read_bytes()
        except OSError:
            left.extend(found)
            continue
        if suffix in (".py", ".pyi"):
            result = _python(data, wanted)
        elif suffix in _JS_LANGUAGES:
            result = _javascript(data, wanted, _JS_LANGUAGES[suffix])
        else:
            result = None
        if result is None:
            left.extend(found)
            continue
        new, count, missed = result
        added += count
        left.extend(f for f in found if f.line in missed)
        if new != data:
            mode = os.stat(target).st_mode
            from archlint.atomic import write_atomic

            write_atomic(target, new)
            os.chmod(target, mode & 0o7777)
    return added, sort_findings(left)


# --- Python -----------------------------------------------------------------------------


def _python_comment(existing: str | None, codes: Sequence[str]) -> tuple[str, int]:
    """The trailing comment with ``codes`` suppressed, and how many were added."""
    if existing is not None:
        match = _PY_EXISTING.search(existing)
        if match is not None:
            extended, count = _with_codes(match.group("rules"), codes)
            start, end = match.span("rules")
            return existing[:start] + extended + existing[end:], count
        return f"{existing}  # archlint: ignore[{', '.join(codes)}]", len(codes)
    return f"# archlint: ignore[{', '.join(codes)}]", len(codes)


def _python(data: bytes, wanted: dict[int, list[str]]) -> tuple[bytes, int, set[int]] | None:
    """(new bytes, suppressions added, finding lines not suppressed); None: cannot parse."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        module = cst.parse_module(data)
    except Exception:  # noqa: BLE001 - libcst's parser errors vary by version
        return None
    groups = python_groups(data)
    targets: dict[int, list[str]] = {}  # the line a comment must end -> codes
    where: dict[int, int] = {}  # finding line -> that line
    for line, codes in wanted.items():
        end = group_of(groups, line)[1]
        where[line] = end
        bucket = targets.setdefault(end, [])
        bucket.extend(c for c in codes if c not in bucket)

    class Adder(cst.CSTTransformer):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def __init__(self) -> None:
            super().__init__()
            self.done: set[int] = set()
            self.count = 0

        def leave_TrailingWhitespace(
            self, original: cst.TrailingWhitespace, updated: cst.TrailingWhitespace
        ) -> cst.TrailingWhitespace:
            line = self.get_metadata(PositionProvider, original).start.line
            codes = targets.get(line)
            if not codes or line in self.done:
                return updated
            self.done.add(line)
            existing = updated.comment.value if updated.comment is not None else None
            text, count = _python_comment(existing, codes)
            self.count += count
            whitespace = updated.whitespace
            if existing is None and not whitespace.value:
                whitespace = cst.SimpleWhitespace("  ")
            return updated.with_changes(whitespace=whitespace, comment=cst.Comment(text))

    adder = Adder()
    new = MetadataWrapper(module).visit(adder)
    missed = {line for line, end in where.items() if end not in adder.done}
    return new.bytes, adder.count, missed


# --- JavaScript / TypeScript ----------------------------------------------------------


def _in_jsx_children(root: object, offset: int) -> bool:
    """Whether the code starting at ``offset`` is a child of a JSX element (where a ``//``
    line would be text)."""
    node = root.descendant_for_byte_range(offset, offset)  # type: ignore[attr-defined]
    while node is not None and node.parent is not None:
        if node.parent.start_byte != node.start_byte:
            break
        node = node.parent
    return node is not None and node.parent is not None and node.parent.type == "jsx_element"


def _javascript(
    data: bytes, wanted: dict[int, list[str]], language: str
) -> tuple[bytes, int, set[int]] | None:
    """(new bytes, suppressions added, finding lines not suppressed)."""
    from tree_sitter import Parser

    from archlint.frontends.javascript import _BOM, _grammar, _repair, _strings_query

    bom = _BOM if data.startswith(_BOM) else b""
    body = data[len(bom) :]
    source = _repair(body)[0] if language != "javascript" else body
    root = Parser(_grammar(language)[0]).parse(source).root_node
    groups = js_groups(root, _strings_query(language))
    newline = b"\r\n" if b"\r\n" in body else b"\n"
    lines = body.split(b"\n")
    starts = [0]
    for text in lines[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    targets: dict[int, list[str]] = {}  # the line a comment goes above -> codes
    missed: set[int] = set()
    for line, codes in wanted.items():
        first = group_of(groups, line)[0]
        if not 0 < first <= len(lines) or not lines[first - 1].strip():
            missed.add(line)
            continue
        bucket = targets.setdefault(first, [])
        bucket.extend(c for c in codes if c not in bucket)
    count = 0
    for first in sorted(targets, reverse=True):  # bottom up: earlier line numbers hold
        codes = targets[first]
        above = first - 1
        previous = lines[above - 1].decode("utf-8", "replace").rstrip("\r") if above else None
        existing = _JS_EXISTING.match(previous) if previous is not None else None
        if existing is not None and group_of(groups, above) == (above, above):
            extended, added = _with_codes(existing.group("rules"), codes)
            count += added
            updated = existing.group("head") + extended + existing.group("tail")
            lines[above - 1] = updated.encode("utf-8") + (b"\r" if newline == b"\r\n" else b"")
            continue
        current = lines[first - 1]
        indent = current[: len(current) - len(current.lstrip(b" \t"))]
        listed = ", ".join(codes).encode()
        if _in_jsx_children(root, starts[first - 1] + len(indent)):
            comment = b"{/* archlint-ignore " + listed + b" */}"
        else:
            comment = b"// archlint-ignore " + listed
        lines.insert(first - 1, indent + comment + (b"\r" if newline == b"\r\n" else b""))
        count += len(codes)
    return bom + b"\n".join(lines), count, missed
