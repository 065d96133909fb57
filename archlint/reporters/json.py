"""Machine output: ``{"version", "findings": [...], "summary": {...}}``, keys sorted."""

from __future__ import annotations

import json

from archlint import __version__
from archlint.reporters import Report


def render(report: Report) -> str:
    document = {
        "version": __version__,
        "findings": [f.to_dict() for f in report.findings],
        "summary": {
            "files": report.files,
            "findings": len(report.findings),
            "by_rule": report.by_rule(),
        },
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
