"""GitHub Actions workflow commands: one annotation per finding, nothing else.

``::error file=PATH,line=L,col=C,title=CODE NAME::MESSAGE`` (``warning`` for warning
findings, ``notice`` for info ones). The message is the finding's message, its contract in
brackets, then one line per hop of its import chain. Paths are the findings' paths as
archlint gives them, relative to the project root: annotations land on the right files when
the project root is the repository root (the usual place for ``archlint.toml``).

Escaping follows the runner's (``@actions/core``'s ``escapeData`` / ``escapeProperty``):
in the message ``%`` -> ``%25``, ``\\r`` -> ``%0D``, ``\\n`` -> ``%0A``; in properties
(``file``, ``title``) also ``:`` -> ``%3A`` and ``,`` -> ``%2C``.
"""

from __future__ import annotations

from archlint.findings import Finding
from archlint.reporters import Report

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(finding: Finding) -> str:
    lines = [finding.message + (f" [{finding.contract}]" if finding.contract else "")]
    lines.extend(f"{h.importer} -> {h.imported} ({h.path}:{h.line})" for h in finding.chain)
    return "\n".join(lines)


def command(finding: Finding) -> str:
    name = _COMMANDS.get(finding.severity, "warning")
    properties = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in (
            ("file", finding.path),
            ("line", max(finding.line, 1)),
            ("col", max(finding.column, 1)),
            ("title", f"{finding.code} {finding.rule}"),
        )
    )
    return f"::{name} {properties}::{escape_data(_message(finding))}"


def render(report: Report) -> str:
    return "".join(command(finding) + "\n" for finding in report.findings)
