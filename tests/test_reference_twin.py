"""The reference app's violating twin: ``fixtures/reference_twin`` is a copy of
``reference_app`` (without its tests) with one realistic violation planted for every rule
archlint has and every contract of its configuration, each marked on the line archlint
reports it at by a comment ``expect: <rule-name>`` (``expect: a, b`` for two findings on one
line; a contract's finding names it too: ``expect: layers [Backend layers]``).

The check's findings must be exactly the markers: none missing, none extra. The reference
app itself stays at zero findings (``reference_app/backend/tests/test_blog_architecture.py``).

A folder of the twin with its own ``archlint.toml`` is a nested project: it is checked on
its own, and its markers are expected from that run (``tools/stats``: tables without
migrations, which a project that has migrations cannot show).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tokenize
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
TWIN = REPO / "fixtures" / "reference_twin"

# Rules the twin cannot show (by code), with the reason. Every other rule must be planted.
EXCLUDED_RULES = {
    "AL002": (
        "unreadable-file needs a file archlint cannot read: git does not store permissions "
        "beyond the executable bit, the tests may run as root (who reads anything), and an "
        "unreadable file could not hold its marker anyway"
    ),
}
# Contracts of the twin's configuration that it cannot break, with the reason (none).
EXCLUDED_CONTRACTS: dict[str, str] = {}

# One expected finding: (rule name, path from the twin's root, line, contract or None).
Expected = tuple[str, str, int, str | None]

_MARKER = re.compile(r"(?:^|[\s#/*!-])expect:(?P<entries>.*)$", re.DOTALL)
_ENTRY = re.compile(r"^(?P<rule>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\s*\[(?P<contract>[^\[\]]+)\])?$")
_SKIPPED_DIRS = {"node_modules", "__pycache__", ".archlint_cache", ".pytest_cache", ".venv"}


# --- the markers --------------------------------------------------------------------------


def _python_comments(text: str) -> Iterator[tuple[int, str]]:
    """Python's own tokenizer: only real comments, never text in strings. It reads files
    that do not parse too (the parse-error marker sits on a merge-conflict line)."""
    lines = iter(text.splitlines(keepends=True))
    for token in tokenize.generate_tokens(lambda: next(lines, "")):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


def _c_like_comments(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """``//`` and ``/* */`` comments of JavaScript / TypeScript, skipping '…', "…" and
    `…` strings (template substitutions are read as part of the string: no marker sits in
    one). Regex literals are not told apart from division; the twin has none."""
    i, line, n = 0, first_line, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in "'\"`":
            i += 1
            while i < n and text[i] != c:
                if text[i] == "\\":
                    i += 1
                elif text[i] == "\n":
                    if c != "`":
                        break  # an unterminated string ends with its line
                    line += 1
                i += 1
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            yield line, text[i:end]
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            comment = text[i:end]
            yield line + comment.count("\n"), comment.removesuffix("*/")
            line += comment.count("\n")
            i = end
        else:
            i += 1


def _sql_comments(text: str) -> Iterator[tuple[int, str]]:
    """``--`` comments, skipping '…' strings and "…" identifiers."""
    for number, line in enumerate(text.splitlines(), 1):
        quote = None
        for i, c in enumerate(line):
            if quote is not None:
                quote = None if c == quote else quote
            elif c in "'\"":
                quote = c
            elif line.startswith("--", i):
                yield number, line[i:]
                break


def _toml_comments(text: str) -> Iterator[tuple[int, str]]:
    """``#`` comments outside basic ("…", with escapes) and literal ('…') strings."""
    for number, line in enumerate(text.splitlines(), 1):
        quote, i = None, 0
        while i < len(line):
            c = line[i]
            if quote is not None:
                if c == "\\" and quote == '"':
                    i += 1
                elif c == quote:
                    quote = None
            elif c in "'\"":
                quote = c
            elif c == "#":
                yield number, line[i:]
                break
            i += 1


_SCRIPT = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--(?P<body>.*?)-->", re.DOTALL)


def _html_comments(text: str) -> Iterator[tuple[int, str]]:
    """``<!-- … -->`` comments, and the JavaScript comments of inline ``<script>`` elements
    (a finding inside a script is marked with a comment of the script's language)."""
    scripts = [(m.start("body"), m.end("body")) for m in _SCRIPT.finditer(text)]
    for match in _HTML_COMMENT.finditer(text):
        if not any(start <= match.start() < end for start, end in scripts):
            end_line = text.count("\n", 0, match.end()) + 1
            yield end_line, match.group("body")
    for start, end in scripts:
        yield from _c_like_comments(text[start:end], text.count("\n", 0, start) + 1)


COMMENT_READERS = {
    ".py": _python_comments,
    ".ts": _c_like_comments, ".tsx": _c_like_comments, ".mts": _c_like_comments,
    ".cts": _c_like_comments, ".js": _c_like_comments, ".jsx": _c_like_comments,
    ".mjs": _c_like_comments, ".cjs": _c_like_comments,
    ".sql": _sql_comments,
    ".toml": _toml_comments,
    ".html": _html_comments, ".htm": _html_comments, ".jinja": _html_comments,
    ".jinja2": _html_comments, ".j2": _html_comments,
}  # fmt: skip


def _entries(text: str) -> list[tuple[str, str | None]]:
    """``a, b [Contract name]`` -> [("a", None), ("b", "Contract name")]."""
    entries, depth, current = [], 0, ""
    for c in text + ",":
        if c == "," and depth == 0:
            entry = " ".join(current.split())
            match = _ENTRY.match(entry)
            assert match is not None, f"malformed marker entry {entry!r} in {text!r}"
            entries.append((match["rule"], match["contract"]))
            current = ""
            continue
        depth += {"[": 1, "]": -1}.get(c, 0)
        current += c
    return entries


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not _SKIPPED_DIRS.intersection(path.relative_to(root).parts):
            yield path


def _nested_projects(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.rglob("archlint.toml") if p.parent != root)


@cache
def markers(root: Path = TWIN) -> dict[Path, Counter[Expected]]:
    """The markers of every file under ``root``, per project (the root's, and each nested
    project's), paths relative to that project."""
    projects = [root, *_nested_projects(root)]
    found: dict[Path, Counter[Expected]] = {project: Counter() for project in projects}
    for path in _files(root):
        project = max((p for p in projects if p in path.parents), key=lambda p: len(p.parts))
        relative = path.relative_to(project).as_posix()
        text = path.read_text(encoding="utf-8")
        reader = COMMENT_READERS.get(path.suffix)
        if reader is None:
            assert "expect:" not in text, f"{relative}: a marker in a file no scanner reads"
            continue
        for line, comment in reader(text):
            match = _MARKER.search(comment.rstrip())
            if match is None:
                continue
            for rule, contract in _entries(match["entries"].strip()):
                found[project][(rule, relative, line, contract)] += 1
    return found


# --- the findings -------------------------------------------------------------------------


@cache
def check(project: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "archlint", "check", str(project), "--format", "json",
         "--no-cache"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def findings(project: Path) -> Counter[Expected]:
    return Counter(
        (f["rule"], f["path"], f["line"], f.get("contract")) for f in check(project)["findings"]
    )


def _show(items: Counter[Expected], title: str) -> list[str]:
    if not items:
        return []
    lines = [f"{title}:"]
    for (rule, path, line, contract), count in sorted(items.items(), key=lambda i: i[0][1:3]):
        what = rule if contract is None else f"{rule} [{contract}]"
        lines.append(f"  {path}:{line}: {what}" + (f" (x{count})" if count > 1 else ""))
    return lines


def _rules() -> list[dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "archlint", "rules", "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rules: list[dict[str, Any]] = json.loads(result.stdout)
    return rules


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "project", [TWIN, *_nested_projects(TWIN)], ids=lambda p: p.relative_to(TWIN).as_posix() or "."
)
def test_the_findings_are_exactly_the_markers(project: Path) -> None:
    expected = markers()[project]
    actual = findings(project)

    missing, extra = expected - actual, actual - expected
    report = [
        *_show(missing, "marked but not reported (false negatives, or a marker on the wrong line)"),
        *_show(extra, "reported but not marked (false positives, or a missing marker)"),
    ]
    assert not report, "\n".join(report)
    assert expected  # a project without markers would prove nothing
    per_rule = Counter(rule for (rule, *_rest) in expected.elements())
    assert per_rule == Counter(rule for (rule, *_rest) in actual.elements())


def test_every_rule_is_planted() -> None:
    rules = _rules()
    names = {rule["name"] for rule in rules}
    codes = {rule["code"]: rule["name"] for rule in rules}
    assert set(EXCLUDED_RULES) <= set(codes), "an exclusion names no rule"
    excluded = {codes[code] for code in EXCLUDED_RULES}
    planted = Counter(
        rule for counter in markers().values() for (rule, *_rest) in counter.elements()
    )
    reported = Counter(f["rule"] for project in markers() for f in check(project)["findings"])
    assert set(planted) <= names, f"markers name unknown rules: {sorted(set(planted) - names)}"
    assert not excluded & set(planted), "an excluded rule is planted: drop the exclusion"
    missing = sorted(names - excluded - set(planted))
    assert not missing, f"rules with no planted violation: {missing}"
    not_reported = sorted(names - excluded - set(reported))
    assert not not_reported, f"rules the twin does not trigger: {not_reported}"
    # The rules that are off by default are enabled by the twin's config, as in the app's.
    assert {rule["name"] for rule in rules if not rule["enabled"]} <= set(reported)


def test_every_contract_is_broken() -> None:
    from archlint.config.load import load_config

    contracts = {spec.name for spec in load_config(TWIN / "archlint.toml").contracts}
    # The fullstack preset's contracts that apply here, and the twin's own.
    assert {
        "Backend layers",
        "Application code does not import migrations",
        "Presentation does not reach the repositories",
        "Frontend features are independent",
        "Backend packages have no import cycles",
    } <= contracts
    assert set(EXCLUDED_CONTRACTS) <= contracts, "an exclusion names no contract"
    marked = {contract for (_, _, _, contract) in markers()[TWIN] if contract is not None}
    reported = {f.get("contract") for f in check(TWIN)["findings"]}
    missing = sorted(contracts - set(EXCLUDED_CONTRACTS) - marked)
    assert not missing, f"contracts with no planted violation: {missing}"
    assert not sorted(contracts - set(EXCLUDED_CONTRACTS) - reported)


def test_the_twin_is_a_copy_of_the_reference_app_without_its_tests() -> None:
    assert (TWIN / "backend" / "blog" / "app.py").is_file()
    assert (TWIN / "frontend" / "src" / "main.tsx").is_file()
    assert not (TWIN / "backend" / "tests").exists()
    assert not (TWIN / "frontend" / "node_modules").exists()


def test_the_marker_scanner_reads_comments_only() -> None:
    def marked(reader: Any, text: str) -> list[tuple[int, str]]:
        return [
            (line, match["entries"].strip())
            for line, comment in reader(text)
            if (match := _MARKER.search(comment.rstrip())) is not None
        ]

    assert marked(_python_comments, 'x = "# expect: no"\ny = 1  # expect: a, b\n') == [(2, "a, b")]
    assert marked(_python_comments, "<<<<<<< HEAD  # expect: parse-error\n") == [(1, "parse-error")]
    ts = 'const u = "http://x"; // expect: a\nconst s = `// expect: no`;\n/* expect: b */\n'
    assert marked(_c_like_comments, ts) == [(1, "a"), (3, "b")]
    assert marked(_sql_comments, "SELECT '-- expect: no';  -- expect: c\n") == [(1, "c")]
    toml = 'a = "# expect: no"  # expect: d [A contract]\n'
    assert marked(_toml_comments, toml) == [(1, "d [A contract]")]
    html = "<p>\n<!-- expect: e -->\n<script>\nx = 1; // expect: f\n</script>\n"
    assert sorted(marked(_html_comments, html)) == [(2, "e"), (4, "f")]
    assert _entries("a, b [C, d], e") == [("a", None), ("b", "C, d"), ("e", None)]


# Files changed only to make room for a planted violation (no marker of their own).
SUPPORTING_EDITS = {
    "backend/blog/app.py": "mounts the planted webhooks router",
    "frontend/src/components/features/posts/PostDetail.tsx": "exports the Byline that the "
    "comments feature imports (the independence violation)",
}
NOT_COPIED = ("backend/tests/", "backend/conftest.py")  # the app's own tests stay with it


def _tracked(root: Path) -> set[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=root, capture_output=True,
                            check=False)  # fmt: skip
    if listed.returncode != 0 or not listed.stdout:
        pytest.skip("needs the git checkout, to list the reference app's files")
    return {name for name in listed.stdout.decode().split("\0") if name}


def test_the_twin_is_the_reference_app_plus_the_planted_violations() -> None:
    # The twin stays a copy of the app: every file of the app is in it, and a file differs
    # only where a violation is planted (or to make room for one, listed above).
    app = REPO / "reference_app"
    app_files = {f for f in _tracked(app) if not f.startswith(NOT_COPIED)}
    missing = sorted(f for f in app_files if not (TWIN / f).is_file())
    assert not missing, f"files of reference_app missing from the twin: {missing}"
    planted = {relative for (_, relative, _, _) in markers(TWIN)[TWIN]}
    changed = sorted(f for f in app_files if (TWIN / f).read_bytes() != (app / f).read_bytes())
    unexplained = [f for f in changed if f not in planted and f not in SUPPORTING_EDITS]
    assert not unexplained, f"twin files that differ from reference_app without a marker: {unexplained}"
    stale = sorted(set(SUPPORTING_EDITS) - set(changed))
    assert not stale, f"SUPPORTING_EDITS lists files that no longer differ: {stale}"
