"""Human output in ruff's shape: ``path:line:col: CODE message``, chains indented below."""

from __future__ import annotations

from collections import Counter

from archlint.findings import Finding
from archlint.reporters import Report

_STYLES = {"bold": "1", "red": "31", "cyan": "36", "dim": "2", "green": "32", "yellow": "33"}


def _paint(text: str, style: str, color: bool) -> str:
    if not color:
        return text
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m"


def _finding_lines(finding: Finding, color: bool) -> list[str]:
    location = f"{finding.path}:{finding.line}:{finding.column}:"
    code = _paint(finding.code, "red" if finding.severity == "error" else "yellow", color)
    head = f"{_paint(location, 'bold', color)} {code} {finding.message}"
    if finding.contract:
        head += _paint(f" [{finding.contract}]", "dim", color)
    lines = [head]
    for hop in finding.chain:
        where = _paint(f"({hop.path}:{hop.line})", "dim", color)
        lines.append(f"    {hop.importer} -> {hop.imported} {where}")
    return lines


def render(report: Report) -> str:
    lines: list[str] = []
    for finding in report.findings:
        lines.extend(_finding_lines(finding, report.color))
    if report.statistics and report.findings:
        counts = Counter((f.code, f.rule) for f in report.findings)
        width = len(str(max(counts.values())))
        if lines:
            lines.append("")
        for (code, rule), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"{count:>{width}}\t{_paint(code, 'red', report.color)}\t{rule}")
    if not report.quiet:
        files = f"{report.files} file{'s' if report.files != 1 else ''}"
        if report.findings:
            count = len(report.findings)
            noun = "finding" if count == 1 else "findings"
            lines.append(f"Found {count} {noun} in {files} checked.")
        else:
            lines.append(_paint(f"All checks passed ({files} checked).", "green", report.color))
    return "\n".join(lines) + "\n" if lines else ""
