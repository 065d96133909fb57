"""Findings: what every check produces and every reporter consumes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Hop:
    """One import in a chain: ``importer`` imports ``imported`` at path:line:column."""

    importer: str
    imported: str
    path: str
    line: int
    column: int = 1


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable: "AL" + three digits
    rule: str  # stable kebab-case name
    severity: str  # one of SEVERITIES
    message: str
    path: str  # posix path relative to the project root
    line: int  # 1-based
    column: int  # 1-based
    contract: str | None = None  # the contract's name, for graph checks
    chain: tuple[Hop, ...] = field(default=())

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message, self.contract or "")

    def to_record(self) -> tuple:
        """Primitives only, for the cache (`marshal`)."""
        chain = tuple((h.importer, h.imported, h.path, h.line, h.column) for h in self.chain)
        return (self.code, self.rule, self.severity, self.message, self.path, self.line,
                self.column, self.contract, chain)  # fmt: skip

    @classmethod
    def from_record(cls, record: tuple) -> Finding:
        *head, chain = record
        return cls(*head, chain=tuple(Hop(*hop) for hop in chain))

    def to_dict(self) -> dict:
        data: dict = {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
        }
        if self.contract is not None:
            data["contract"] = self.contract
        if self.chain:
            data["chain"] = [
                {
                    "importer": h.importer,
                    "imported": h.imported,
                    "path": h.path,
                    "line": h.line,
                    "column": h.column,
                }
                for h in self.chain
            ]
        return data


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """The one order every reporter uses: deterministic whatever the workers or cache did."""
    return sorted(set(findings), key=Finding.sort_key)


def touches(finding: Finding, prefixes: Sequence[str]) -> bool:
    """Whether a finding is in, or its chain passes through, one of the given paths."""
    paths = (finding.path, *(hop.path for hop in finding.chain))
    return any(p == prefix or p.startswith(prefix + "/") for p in paths for prefix in prefixes)
