"""## What it does
Reports an inline suppression that suppresses nothing: a rule named in a
`# archlint: ignore[...]` (Python) or `// archlint-ignore ...` (JS/TS) comment that has no
finding on the lines the comment covers (in the file, for `ignore-file`). It also reports a
suppression naming a rule that does not exist (with the closest name), one naming no rule at
all, and an unknown `archlint` directive. A suppression of a rule that did not run
(deselected with `--select`/`--ignore`, or off) is never reported as unused.

Suppressions cover the line they end, or, alone on their line, the next line; a comment on
the last line of a multi-line string or of lines joined by a backslash covers all of them.
Rules are named by code (`AL301`) or name (`token-in-web-storage`), never by prefix.
`archlint check --add-suppressions` writes them for the current findings.

## Why is this bad?
A suppression outlives the code it was written for: once the finding is fixed, the comment
silently pre-approves the next violation on that line. A misspelt rule name never suppressed
anything and hides a real finding's cause. A bare `# archlint: ignore` is not accepted: it
would hide every rule, including the ones added next year.

## Example
```python
token = create_token(user)  # archlint: ignore[AL303]   (the token is no longer long-lived)
import requests  # archlint: ignore[token-in-webstorage]
```

## Use instead
```python
token = create_token(user)
import requests  # archlint: ignore[token-in-web-storage]
```
This rule cannot be suppressed on a line (a comment would suppress the report about
itself): deselect it (`--ignore AL004`), or write `# archlint: ignore-file[AL004]` /
`// archlint-ignore-file AL004` to stop reporting a file's suppressions.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence

from archlint.config.model import Config
from archlint.facts import Suppression
from archlint.findings import Finding
from archlint.rules import RuleInfo, all_rules

CODE = "AL004"
NAME = "unused-suppression"
SEVERITY = "warning"


def _lookup() -> dict[str, RuleInfo]:
    rules = all_rules()
    return {**{r.code: r for r in rules}, **{r.name: r for r in rules}}


def _resolve(token: str, lookup: Mapping[str, RuleInfo]) -> RuleInfo | None:
    return lookup.get(token.upper()) or lookup.get(token.lower())


def _did_you_mean(token: str) -> str:
    rules = all_rules()
    close = difflib.get_close_matches(token.lower(), [r.name for r in rules], n=1, cutoff=0.6)
    close = close or difflib.get_close_matches(token.upper(), [r.code for r in rules], n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _at(path: str, entry: Suppression, message: str) -> Finding:
    return Finding(CODE, NAME, SEVERITY, message, path, entry.line, entry.column)


def apply_suppressions(
    findings: Iterable[Finding],
    by_path: Mapping[str, Sequence[Suppression]],
    ran: Callable[[str], bool],
) -> list[Finding]:
    """``findings`` without the suppressed ones, plus this rule's findings when it ran.
    ``ran(code)`` says whether a rule ran in this run (selected and on)."""
    if not by_path:  # the common case: no file mentions archlint
        return list(findings)
    lookup = _lookup()
    # path -> code -> [(entry index, first, last)]
    index: dict[str, dict[str, list[tuple[int, int, int]]]] = {}
    for path, entries in by_path.items():
        for number, entry in enumerate(entries):
            rule = _resolve(entry.rule, lookup) if entry.rule else None
            if rule is not None and rule.code != CODE:
                index.setdefault(path, {}).setdefault(rule.code, []).append(
                    (number, entry.first, entry.last)
                )
    used: set[tuple[str, int]] = set()
    kept: list[Finding] = []
    for finding in findings:
        candidates = index.get(finding.path, {}).get(finding.code, ())
        hits = [n for n, first, last in candidates if first == 0 or first <= finding.line <= last]
        if hits:
            used.update((finding.path, n) for n in hits)
        else:
            kept.append(finding)
    if ran(CODE):
        for path in sorted(by_path):
            kept.extend(_reports(path, by_path[path], used, lookup, ran))
    return kept


def _reports(
    path: str,
    entries: Sequence[Suppression],
    used: set[tuple[str, int]],
    lookup: Mapping[str, RuleInfo],
    ran: Callable[[str], bool],
) -> Iterable[Finding]:
    """This rule's findings about one file's suppressions."""
    resolved = [_resolve(e.rule, lookup) if e.rule else None for e in entries]
    if any(r is not None and r.code == CODE and e.first == 0 for e, r in zip(entries, resolved)):
        return  # `ignore-file[AL004]`: this file's suppressions are not checked
    for number, (entry, rule) in enumerate(zip(entries, resolved)):
        if entry.problem:
            yield _at(path, entry, entry.problem)
        elif rule is None:
            hint = _did_you_mean(entry.rule)
            yield _at(path, entry, f"unknown rule '{entry.rule}' in suppression{hint}")
        elif rule.code == CODE:
            message = f"'{entry.rule}' cannot be suppressed on a line: use ignore-file or "
            message += f"--ignore {CODE}"
            yield _at(path, entry, message)
        elif (path, number) not in used and ran(rule.code):
            if entry.first == 0:
                where = "in this file"
            elif entry.first == entry.last:
                where = f"on line {entry.first}"
            else:
                where = f"on lines {entry.first}-{entry.last}"
            message = f"unused suppression '{entry.rule}': no {rule.code} ({rule.name}) finding "
            message += where
            yield _at(path, entry, message)


def active_codes(
    config: Config, select: Sequence[str], wanted: Callable[[str, str], bool]
) -> set[str]:
    """The codes of the rules that run: on (by default, config or select) and wanted."""
    from archlint.rules.context import _active_rules

    return {rule.code for rule, _, _ in _active_rules(config, tuple(select), wanted)}
