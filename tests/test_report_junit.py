"""`check --format junit`: JUnit XML, parsed back with xml.etree."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

from archlint.cli import main
from tests.test_cli import write_tree

REPO = Path(__file__).resolve().parent.parent
LAYERED = REPO / "fixtures" / "layered_app"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, _ = capsys.readouterr()
    return exit_info.value.code, out


def junit(root: Path, capsys) -> tuple[ET.Element, str]:
    _, out = run(["check", str(root), "--no-cache", "--format", "junit"], capsys)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(out.encode("utf-8")), out


def findings_json(root: Path, capsys) -> list[dict]:
    _, out = run(["check", str(root), "--no-cache", "--format", "json"], capsys)
    return json.loads(out)["findings"]


def test_one_failing_testcase_per_rule_with_findings(capsys) -> None:
    root, _ = junit(LAYERED, capsys)
    expected = findings_json(LAYERED, capsys)
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for finding in expected:
        by_rule[f"{finding['code']} {finding['rule']}"].append(finding)
    assert root.tag == "testsuites" and root.get("name") == "archlint"
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "archlint"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == sorted(by_rule) == [
        "AL101 layers", "AL102 forbidden-import", "AL103 independence", "AL104 import-cycle",
        "AL105 unmatched-ignore",
    ]  # fmt: skip
    for element in (root, suite):
        counts = [element.get(k) for k in ("tests", "failures", "errors", "skipped")]
        assert counts == ["5", "5", "0", "0"]
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["files"] == "12" and properties["findings"] == "9"
    for case in cases:
        found = by_rule[case.get("name")]
        [failure] = case.findall("failure")
        noun = "finding" if len(found) == 1 else "findings"
        assert failure.get("message") == f"{len(found)} {noun}"
        assert failure.get("type") == found[0]["code"]
        heads = [line for line in failure.text.splitlines() if not line.startswith("    ")]
        assert heads == [
            f"{f['path']}:{f['line']}:{f['column']}: {f['message']} [{f['contract']}]"
            for f in found
        ]
    layers = cases[0].find("failure").text
    assert (
        "via app.helpers (layer 'repositories' must not import higher layer 'routes') [Layers]\n"
        "    app.repositories.orders -> app.helpers (app/repositories/orders.py:7)\n"
        "    app.helpers -> app.routes.orders (app/helpers.py:3)\n"
    ) in layers


def test_clean_run_has_one_passing_testcase(capsys) -> None:
    root, _ = junit(REPO / "fixtures" / "sample_app", capsys)
    [suite] = root.findall("testsuite")
    [case] = suite.findall("testcase")
    assert case.get("name") == "archlint check" and list(case) == []
    assert (suite.get("tests"), suite.get("failures")) == ("1", "0")


def test_markup_and_control_characters_are_escaped(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {
        "archlint.toml": '[components]\nx = ["app"]\n',
        "app/<b>&amp;.py": "def f(:\n",  # markup in a path
        "app/x.js": 'import a from "./<&>\\"\\u0001\\u001b]]>";\nexport default a;\n',
    })  # fmt: skip
    root, out = junit(tmp_path, capsys)  # parses: nothing raw that XML cannot carry
    assert "\x01" not in out and "\x1b" not in out and "<b>" not in out
    failures = {c.get("name"): c.find("failure").text for c in root.iter("testcase")}
    assert failures["AL001 parse-error"].startswith("app/<b>&amp;.py:1:7: ")
    unresolved = failures["AL003 unresolved-import"]
    assert "cannot resolve './<&>\"\\x01\\x1b]]>'" in unresolved


def test_output_file_and_determinism(tmp_path: Path, capsys) -> None:
    _, first = junit(LAYERED, capsys)
    _, second = junit(LAYERED, capsys)
    assert first == second
    target = tmp_path / "junit.xml"
    code, out = run(["check", str(LAYERED), "--no-cache", "--format", "junit",
                     "--output", str(target)], capsys)  # fmt: skip
    assert (code, out) == (1, "") and target.read_text() == first
    assert [p.name for p in tmp_path.iterdir()] == ["junit.xml"]
