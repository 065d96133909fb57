"""JUnit XML for CI test-report views (GitLab, Jenkins, Azure Pipelines, test-reporter actions).

``<testsuites name="archlint">`` holds one ``<testsuite name="archlint">`` with one
``<testcase classname="archlint" name="CODE NAME">`` per rule that has findings, in code
order. Each of those fails with one ``<failure type="CODE" message="N findings">`` whose text
lists its findings, one ``path:line:col: message [contract]`` line each, the hops of an
import chain indented below. Every finding fails its testcase, whatever its severity: the
exit code counts them all.

Only rules with findings are testcases: which rules actually ran depends on the config
(contracts present, rules enabled, select/ignore), which a reporter does not see, and a rule
listed as passed should have run. A run without findings has a single passing testcase,
``archlint check``, so that no CI tool mistakes the report for an empty one.

The document is built with ``xml.etree`` (so ``<``, ``&`` and quotes are escaped), and
characters XML 1.0 cannot carry at all (control characters other than tab, newline and
carriage return) are written as ``\\xNN``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from archlint import __version__
from archlint.findings import Finding
from archlint.reporters import Report

CLEAN_TESTCASE = "archlint check"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def finding_text(finding: Finding) -> str:
    head = f"{finding.path}:{finding.line}:{finding.column}: {finding.message}"
    if finding.contract:
        head += f" [{finding.contract}]"
    hops = (f"    {h.importer} -> {h.imported} ({h.path}:{h.line})" for h in finding.chain)
    return "\n".join((head, *hops))


def _element(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attributes.items()})


def build(report: Report) -> ET.Element:
    """The ``<testsuites>`` element (``render`` serialises it)."""
    by_code = sorted(report.findings, key=lambda f: (f.code, f.sort_key()))
    groups = [(code, list(found)) for code, found in groupby(by_code, key=lambda f: f.code)]
    tests = str(max(len(groups), 1))
    failures = str(len(groups))
    counts = {"tests": tests, "failures": failures, "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "archlint", **counts})
    suite = _element(root, "testsuite", name="archlint", **counts)
    properties = _element(suite, "properties")
    _element(properties, "property", name="archlint.version", value=__version__)
    _element(properties, "property", name="files", value=str(report.files))
    _element(properties, "property", name="findings", value=str(len(report.findings)))
    if not groups:
        _element(suite, "testcase", classname="archlint", name=CLEAN_TESTCASE)
    for code, found in groups:
        case = _element(suite, "testcase", classname="archlint", name=f"{code} {found[0].rule}")
        noun = "finding" if len(found) == 1 else "findings"
        failure = _element(case, "failure", type=code, message=f"{len(found)} {noun}")
        failure.text = xml_safe("\n".join(finding_text(f) for f in found)) + "\n"
    return root


def render(report: Report) -> str:
    root = build(report)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
