"""Reporters turn findings into text. They know findings, never rules or the graph.

A reporter is a function ``(report: Report) -> str`` registered under a format name; adding
a format is one new module and one line in ``REPORTERS``. A reporter that describes the
rules themselves (SARIF) gets them as plain data in ``Report.rules``, filled by the command
line for the formats in ``WITH_RULES`` only (loading the catalogue imports every rule).
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from archlint.findings import Finding


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """One rule as reporters see it: plain data, no link back to the rule registry."""

    code: str  # "AL101"
    name: str  # kebab-case: "layers"
    severity: str  # default severity, one of archlint.findings.SEVERITIES
    summary: str  # the first sentence of "What it does"
    doc: str  # the whole documentation, Markdown with "## What it does" … sections
    enabled: bool = True  # on by default


@dataclass(frozen=True, slots=True)
class Report:
    findings: list[Finding]
    files: int
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    notes: list[str] = field(default_factory=list)
    root: str | None = None  # the project root (absolute): finding paths are relative to it
    rules: tuple[RuleDoc, ...] = ()  # every rule archlint has, by code; see WITH_RULES

    def by_rule(self) -> dict[str, int]:
        counts = Counter(f"{f.code} {f.rule}" for f in self.findings)
        return {key.split(" ", 1)[1]: counts[key] for key in sorted(counts)}


# format name -> "module:function", imported only when asked for
REPORTERS: dict[str, str] = {
    "text": "archlint.reporters.text:render",
    "json": "archlint.reporters.json:render",
    "sarif": "archlint.reporters.sarif:render",
    "github": "archlint.reporters.github:render",
    "junit": "archlint.reporters.junit:render",
}

# formats whose reporter reads Report.rules (the command line fills it only for these)
WITH_RULES: frozenset[str] = frozenset({"sarif"})


def get_reporter(name: str) -> Callable[[Report], str]:
    module_name, function = REPORTERS[name].split(":")
    return getattr(importlib.import_module(module_name), function)
