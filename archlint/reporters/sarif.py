"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers).

One run. ``tool.driver.rules`` lists every rule archlint has (``Report.rules``), so a
viewer can show any rule's documentation; each result points at its rule by ``ruleId`` and
``ruleIndex``.

* Locations: ``artifactLocation.uri`` is the finding's path relative to the project root,
  percent-encoded, with ``uriBaseId`` ``%SRCROOT%``; ``originalUriBaseIds`` maps
  ``%SRCROOT%`` to the root as a ``file://`` URI ending in ``/``. A finding in a file outside
  the root (a contract of a bundled preset) gets an absolute ``file://`` URI instead.
  archlint's lines and columns are 1-based and count characters (code points), so regions
  are written as they are and the run says ``columnKind: unicodeCodePoints`` (SARIF's
  default would be UTF-16 code units).
* Levels: severity ``error`` -> ``error``, ``warning`` -> ``warning``, ``info`` -> ``note``,
  both for a rule's ``defaultConfiguration`` and for each result (whose severity may have
  been changed in the config). Rules that are off by default have ``enabled: false``.
* ``help``: the rule's whole documentation (what ``archlint explain`` prints), as Markdown
  and as text without heading marks and code fences.
* ``helpUri``: every rule points at the rule table of the README on the project's
  repository, ``{REPOSITORY_URL}#rules-and-findings`` (one stable anchor: the table lists
  every code; the rule's own documentation is in ``help`` itself).
* Chains: a finding that carries an import chain (contracts: layers, forbidden,
  independence, cycles) has one ``relatedLocations`` entry per hop (``id`` 1, 2, … in chain
  order, the message ``importer -> imported``) and, for chains of two hops or more, a
  ``codeFlows`` thread flow of the same hops, which viewers show as a path.
* ``partialFingerprints["archlint/v1"]``: SHA-256 of the rule code, the path, the contract
  name, the message with every run of digits replaced by ``0`` and whitespace collapsed,
  and the chain's ``importer>imported`` module pairs. No line or column goes in, and the
  numbers in messages (statement counts, token lifetimes, cycle sizes) are blanked, so
  editing other parts of a file keeps a finding's fingerprint. Findings that would share
  one (the same message twice in a file) get ``:2``, ``:3`` … in report order.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

from archlint import __version__
from archlint.findings import Finding, Hop
from archlint.fingerprint import finding_subject as fingerprint_subject
from archlint.reporters import Report, RuleDoc

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
REPOSITORY_URL = "https://github.com/archlint/archlint"
HELP_URI = f"{REPOSITORY_URL}#rules-and-findings"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "archlint/v1"

_LEVELS = {"error": "error", "warning": "warning", "info": "note", "note": "note"}


def level(severity: str) -> str:
    return _LEVELS.get(severity, "warning")


def what_it_does(doc: str) -> str:
    """The "What it does" section as plain paragraphs (lines of a paragraph joined)."""
    section = doc.split("## What it does", 1)[-1].split("\n## ", 1)[0].strip()
    paragraphs = (" ".join(line.strip() for line in p.splitlines()) for p in section.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def plain_text(doc: str) -> str:
    """The documentation without Markdown's heading marks and code fences, for ``help.text``."""
    lines = (line.removeprefix("## ") for line in doc.splitlines())
    return "\n".join(line for line in lines if not line.startswith("```"))


def _rule_descriptor(rule: RuleDoc) -> dict:
    doc = rule.doc or rule.summary
    descriptor: dict = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what_it_does(rule.doc) or rule.summary},
        "help": {"text": plain_text(doc), "markdown": doc},
        "helpUri": HELP_URI,
        "defaultConfiguration": {"level": level(rule.severity)},
    }
    if not rule.enabled:
        descriptor["defaultConfiguration"]["enabled"] = False
    return descriptor


def _catalogue(report: Report) -> list[RuleDoc]:
    """The report's rules, plus a bare entry for any code a finding has and they lack."""
    rules = {rule.code: rule for rule in report.rules}
    for finding in report.findings:
        if finding.code not in rules:
            summary = f"archlint rule {finding.code} ({finding.rule})."
            rules[finding.code] = RuleDoc(finding.code, finding.rule, finding.severity, summary, "")
    return [rules[code] for code in sorted(rules)]


def artifact_location(path: str) -> dict:
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _physical(path: str, line: int, column: int) -> dict:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    return {"artifactLocation": artifact_location(path), "region": region}


def _hop_location(hop: Hop, index: int) -> dict:
    return {
        "id": index,
        "physicalLocation": _physical(hop.path, hop.line, hop.column),
        "message": {"text": f"{hop.importer} -> {hop.imported}"},
    }


def fingerprints(findings: list[Finding]) -> list[str]:
    """One stable fingerprint per finding, in the same order."""
    seen: dict[str, int] = {}
    result = []
    for finding in findings:
        digest = hashlib.sha256(fingerprint_subject(finding).encode("utf-8")).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        result.append(digest if seen[digest] == 1 else f"{digest}:{seen[digest]}")
    return result


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict:
    text = finding.message + (f" [{finding.contract}]" if finding.contract else "")
    result: dict = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": _physical(finding.path, finding.line, finding.column)}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if finding.chain:
        hops = [_hop_location(hop, index) for index, hop in enumerate(finding.chain, 1)]
        result["relatedLocations"] = hops
        if len(hops) > 1:
            steps = [{"location": {k: v for k, v in hop.items() if k != "id"}} for hop in hops]
            result["codeFlows"] = [{"threadFlows": [{"locations": steps}]}]
    if finding.contract:
        result["properties"] = {"contract": finding.contract}
    return result


def root_uri(root: str) -> str:
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def build(report: Report) -> dict:
    """The SARIF log as a dict (``render`` serialises it)."""
    rules = _catalogue(report)
    index = {rule.code: i for i, rule in enumerate(rules)}
    prints = fingerprints(report.findings)
    run: dict = {
        "tool": {
            "driver": {
                "name": "archlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": REPOSITORY_URL,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "results": [
            _result(finding, index[finding.code], fingerprint)
            for finding, fingerprint in zip(report.findings, prints)
        ],
        "columnKind": "unicodeCodePoints",
    }
    if report.root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root_uri(report.root)}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"
