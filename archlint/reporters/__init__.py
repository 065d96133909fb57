"""Reporters turn findings into text. They know findings, never rules or the graph.

A reporter is a function ``(report: Report) -> str`` registered under a format name; adding
a format (SARIF, GitHub, JUnit …) is one new module and one line in ``REPORTERS``.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from archlint.findings import Finding


@dataclass(frozen=True, slots=True)
class Report:
    findings: list[Finding]
    files: int
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    notes: list[str] = field(default_factory=list)

    def by_rule(self) -> dict[str, int]:
        counts = Counter(f"{f.code} {f.rule}" for f in self.findings)
        return {key.split(" ", 1)[1]: counts[key] for key in sorted(counts)}


# format name -> "module:function", imported only when asked for
REPORTERS: dict[str, str] = {
    "text": "archlint.reporters.text:render",
    "json": "archlint.reporters.json:render",
}


def get_reporter(name: str) -> Callable[[Report], str]:
    module_name, function = REPORTERS[name].split(":")
    return getattr(importlib.import_module(module_name), function)
