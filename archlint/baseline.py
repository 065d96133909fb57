"""The baseline: today's findings, written down so that ``check`` reports only new ones.

``archlint baseline`` writes ``.archlint-baseline.json`` at the project root; ``check`` reads
it when it is there. An entry is keyed by rule code, path and a fingerprint that holds no
line number, so that edits elsewhere in a file keep its findings baselined:

* a finding with an import chain (contracts): its contract, message (digits blanked) and the
  chain's ``importer>imported`` module pairs, i.e. the import, not where it is written;
* any other finding: its message (digits blanked) and the text of the offending source line,
  whitespace collapsed, read from the file. Editing that line makes the finding new.

Identical findings in one file (the same ``print("debug")`` twice) share an entry with a
``count``: a third copy is new. Paths are the findings' own, posix and relative to the root,
so a baseline written on one OS holds on another.

Only ``archlint baseline`` adds entries; ``check --update-baseline`` only removes (or lowers
the count of) those that no longer occur.

This module is imported by ``check`` on every run (to look for the file): its heavier
imports (json, hashlib) wait until a baseline is actually read or written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from archlint.errors import ArchlintError, UsageError
from archlint.findings import Finding
from archlint.locate import BASELINE_NAME

VERSION = 1  # of the file's layout; bump it on any change to the fingerprint
_LISTED = 20  # gone entries named in the note; the rest are counted

Key = tuple[str, str, str]  # (code, path, fingerprint)


class BaselineError(ArchlintError):
    """The baseline file cannot be used: unreadable, not JSON, or another version."""


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    rule: str
    path: str
    fingerprint: str
    count: int
    message: str = ""  # for the reader of the file; not part of the key
    contract: str | None = None

    @property
    def key(self) -> Key:
        return (self.code, self.path, self.fingerprint)

    def to_dict(self) -> dict:
        data: dict = {"code": self.code, "rule": self.rule, "path": self.path}
        if self.contract is not None:
            data["contract"] = self.contract
        data.update(message=self.message, count=self.count, fingerprint=self.fingerprint)
        return data

    def sort_key(self) -> tuple:
        return (self.path, self.code, self.contract or "", self.message, self.fingerprint)


# --- where it is ----------------------------------------------------------------------


def resolve_path(root: str, option: str | None, disabled: bool, update: bool) -> str | None:
    """The baseline ``check`` honours: ``--baseline FILE``, else the root's file when it
    exists; None for none. A baseline that was asked for and is missing is a usage error."""
    if disabled:
        if update:
            raise UsageError("--update-baseline cannot be combined with --no-baseline")
        return None
    if option is not None:
        if not os.path.isfile(option):
            raise UsageError(f"baseline file '{option}' does not exist")
        return os.path.abspath(option)
    default = os.path.join(root, BASELINE_NAME)
    if os.path.isfile(default):
        return default
    if update:
        raise UsageError(
            f"no baseline to update: '{default}' does not exist (write one with `archlint baseline`)"
        )
    return None


def display_path(path: str, root: str) -> str:
    """The file as notes name it: relative to the root when inside it."""
    relative = os.path.relpath(path, root)
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


# --- fingerprints ---------------------------------------------------------------------


class SourceLines:
    """Lines of the project's files, each file read once."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._files: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str:
        if path not in self._files:
            try:
                with open(os.path.join(self.root, path), "rb") as handle:
                    text = handle.read().decode("utf-8", errors="replace")
            except OSError:
                text = ""  # gone or outside the project: the message alone identifies it
            # "\n" only, as tree-sitter counts rows; a "\r" left over is whitespace, collapsed.
            self._files[path] = text.split("\n")
        lines = self._files[path]
        return lines[number - 1] if 1 <= number <= len(lines) else ""


def fingerprint(finding: Finding, lines: SourceLines) -> str:
    import hashlib

    from archlint.fingerprint import collapse_spaces, finding_subject

    subject = finding_subject(finding)
    if not finding.chain:  # a code finding: what the offending line says
        subject += "\0" + collapse_spaces(lines.line(finding.path, finding.line))
    return hashlib.sha256(subject.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]


def _keyed(findings: Iterable[Finding], root: str) -> list[tuple[Key, Finding]]:
    lines = SourceLines(root)
    return [((f.code, f.path, fingerprint(f, lines)), f) for f in findings]


def entries_of(findings: Iterable[Finding], root: str) -> list[Entry]:
    """The findings as baseline entries, identical ones counted, sorted."""
    entries: dict[Key, Entry] = {}
    for key, finding in _keyed(findings, root):
        if key in entries:
            entries[key] = replace(entries[key], count=entries[key].count + 1)
        else:
            entries[key] = Entry(finding.code, finding.rule, finding.path, key[2], 1,
                                 finding.message, finding.contract)  # fmt: skip
    return sorted(entries.values(), key=Entry.sort_key)


# --- the file -------------------------------------------------------------------------


def render(entries: Iterable[Entry]) -> str:
    """Pretty JSON, entries sorted, keys in a fixed order: the same findings always give the
    same bytes, and a change gives a small diff."""
    import json

    document = {
        "version": VERSION,
        "comment": "Written by `archlint baseline`: `archlint check` reports only findings "
        "not listed here. `archlint check --update-baseline` drops entries that no longer occur.",
        "findings": [e.to_dict() for e in sorted(entries, key=Entry.sort_key)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(path: str, entries: Iterable[Entry]) -> None:
    from archlint.atomic import write_atomic

    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write '{path}': directory '{folder}' does not exist")
    write_atomic(path, render(entries).encode("utf-8"))


def record(findings: list[Finding], root: str, target: str | None) -> str:
    """Write the findings as the baseline (``target``, else the root's); what was done."""
    target = target or os.path.join(root, BASELINE_NAME)
    write(target, entries_of(findings, root))
    return f"Wrote {_count(len(findings), 'finding', 'findings')} to {display_path(target, root)}."


def _entry(raw: object, index: int, path: str) -> Entry:
    def bad(why: str) -> BaselineError:
        return BaselineError(f"baseline entry {index + 1} {why}", path=path)

    if not isinstance(raw, dict):
        raise bad("is not an object")
    for name in ("code", "rule", "path", "fingerprint"):
        if not isinstance(raw.get(name), str):
            raise bad(f"has no string '{name}'")
    count = raw.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise bad("has a 'count' that is not a positive integer")
    contract = raw.get("contract")
    return Entry(raw["code"], raw["rule"], raw["path"], raw["fingerprint"], count,
                 str(raw.get("message", "")), contract if isinstance(contract, str) else None)  # fmt: skip


def load(path: str) -> dict[Key, Entry]:
    """The entries of a baseline file, by key; BaselineError (exit 2) when it is unusable."""
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise BaselineError(f"cannot read the baseline: {error.strerror}", path=path) from None
    except UnicodeDecodeError:
        raise BaselineError("the baseline is not UTF-8 text", path=path) from None
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"the baseline is not valid JSON ({error.msg}, line {error.lineno} column "
            f"{error.colno}); rewrite it with `archlint baseline`",
            path=path,
        ) from None
    version = document.get("version") if isinstance(document, dict) else None
    if version != VERSION:
        raise BaselineError(
            f"unsupported baseline version {version!r} (this archlint reads version {VERSION}); "
            "rewrite it with `archlint baseline`",
            path=path,
        )
    raw_entries = document.get("findings")
    if not isinstance(raw_entries, list):
        raise BaselineError("the baseline has no 'findings' list", path=path)
    entries: dict[Key, Entry] = {}
    for index, raw in enumerate(raw_entries):
        entry = _entry(raw, index, path)
        if entry.key in entries:  # merged by hand: the counts add up
            entry = replace(entry, count=entries[entry.key].count + entry.count)
        entries[entry.key] = entry
    return entries


# --- comparing ------------------------------------------------------------------------


@dataclass(slots=True)
class Comparison:
    new: list[Finding]  # in the order given
    baselined: int  # findings the baseline hides
    gone: list[Entry]  # counts: how many of each no longer occur
    kept: list[Entry]  # the baseline without what is gone


def compare(
    findings: list[Finding],
    entries: dict[Key, Entry],
    root: str,
    in_scope: Callable[[str, str], bool] = lambda code, rule: True,
) -> Comparison:
    """Match findings to entries, each entry up to its count (the first findings in report
    order are the baselined ones). Entries of rules this run did not report on
    (``in_scope(code, rule)`` false: left out by --select/--ignore) are kept, never gone."""
    left = {key: entry.count for key, entry in entries.items()}
    new: list[Finding] = []
    for key, finding in _keyed(findings, root):
        if left.get(key, 0) > 0:
            left[key] -= 1
        else:
            new.append(finding)
    gone: list[Entry] = []
    kept: list[Entry] = []
    for key, entry in entries.items():
        missing = left[key] if in_scope(entry.code, entry.rule) else 0
        if missing:
            gone.append(replace(entry, count=missing))
        if entry.count - missing:
            kept.append(replace(entry, count=entry.count - missing))
    baselined = len(findings) - len(new)
    return Comparison(new, baselined, sorted(gone, key=Entry.sort_key), kept)


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def honour(
    findings: list[Finding],
    root: str,
    path: str,
    in_scope: Callable[[str, str], bool],
    update: bool,
) -> tuple[list[Finding], list[str]]:
    """(the findings the baseline does not list, notes for stderr); with ``update``, the
    baseline is rewritten without the entries that no longer occur."""
    result = compare(findings, load(path), root, in_scope)
    shown = display_path(path, root)
    notes: list[str] = []
    if result.baselined:
        found = _count(result.baselined, "finding", "findings")
        notes.append(f"{found} in the baseline ({shown}) not reported")
    gone = sum(entry.count for entry in result.gone)
    entries = _count(gone, "baseline entry", "baseline entries")
    occur = "occurs" if gone == 1 else "occur"
    if gone and update:
        write(path, result.kept)
        notes.append(f"removed {entries} that no longer {occur} from {shown}")
    elif gone:
        listed = [f"    {e.code} {e.path}: {e.message}" + (f" (x{e.count})" if e.count > 1 else "")
                  for e in result.gone[:_LISTED]]  # fmt: skip
        if len(result.gone) > _LISTED:
            listed.append(f"    … and {len(result.gone) - _LISTED} more")
        notes.append(f"{entries} no longer {occur}; run with --update-baseline to prune them:\n"
                     + "\n".join(listed))  # fmt: skip
    return result.new, notes
