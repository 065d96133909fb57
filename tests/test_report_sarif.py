"""`check --format sarif`: real runs, checked against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from archlint.cli import main
from archlint.findings import Finding, Hop
from archlint.reporters.sarif import HELP_URI, fingerprints
from tests.test_cli import write_tree

REPO = Path(__file__).resolve().parent.parent
LAYERED = REPO / "fixtures" / "layered_app"
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, _ = capsys.readouterr()
    return exit_info.value.code, out


def sarif(root: Path, capsys, *extra: str) -> dict:
    code, out = run(["check", str(root), "--format", "sarif", *extra], capsys)
    assert code in (0, 1), out
    log = json.loads(out)
    errors = sorted(VALIDATOR.iter_errors(log), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    return log


def findings_json(root: Path, capsys) -> list[dict]:
    _, out = run(["check", str(root), "--no-cache", "--format", "json"], capsys)
    return json.loads(out)["findings"]


@pytest.fixture
def layered(tmp_path: Path) -> Path:
    target = tmp_path / "layered_app"
    shutil.copytree(LAYERED, target, ignore=shutil.ignore_patterns(".archlint_cache"))
    return target


def test_schema_is_enforced() -> None:
    """The validator is not a rubber stamp: a region starting at line 0 is rejected."""
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a.py"}, "region": {"startLine": 0}}}]}]}]}  # fmt: skip
    assert list(VALIDATOR.iter_errors(bad))


def test_layered_app_results_match_the_findings(layered: Path, capsys) -> None:
    log = sarif(layered, capsys, "--no-cache")
    expected = findings_json(layered, capsys)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run_ = log["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    root_uri = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri == layered.resolve().as_uri() + "/"
    rules = run_["tool"]["driver"]["rules"]
    results = run_["results"]
    assert len(results) == len(expected) == 9
    for result, finding in zip(results, expected):
        assert result["ruleId"] == finding["code"]
        assert rules[result["ruleIndex"]]["id"] == finding["code"]
        assert rules[result["ruleIndex"]]["name"] == finding["rule"]
        assert result["level"] == "error"
        assert result["message"]["text"] == f"{finding['message']} [{finding['contract']}]"
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding["path"], "uriBaseId": "%SRCROOT%"}
        region = {"startLine": finding["line"], "startColumn": finding["column"]}
        assert location["region"] == region
        assert result["properties"] == {"contract": finding["contract"]}


def test_driver_lists_every_rule_with_its_docs(layered: Path, capsys) -> None:
    _, out = run(["rules", "--format", "json"], capsys)
    catalogue = json.loads(out)
    driver = sarif(layered, capsys, "--no-cache")["runs"][0]["tool"]["driver"]
    assert driver["name"] == "archlint" and driver["version"]
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r["code"] for r in catalogue]
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule, known in zip(rules, catalogue):
        assert rule["name"] == known["name"]
        assert rule["shortDescription"]["text"] == known["summary"]
        assert rule["fullDescription"]["text"].startswith(known["summary"].rstrip("."))
        assert rule["defaultConfiguration"]["level"] == levels[known["severity"]]
        assert rule["defaultConfiguration"].get("enabled", True) == known["enabled"]
        assert rule["helpUri"] == HELP_URI
        assert rule["help"]["markdown"].startswith("## What it does")
        assert "## Why is this bad?" in rule["help"]["markdown"]
        assert "Why is this bad?" in rule["help"]["text"] and "## " not in rule["help"]["text"]
        assert "```" not in rule["help"]["text"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["AL404"]["defaultConfiguration"] == {"level": "note", "enabled": False}
    assert by_id["AL204"]["defaultConfiguration"] == {"level": "warning"}
    # "What it does" in full, not only its first sentence; nothing from the next section
    full = by_id["AL102"]["fullDescription"]["text"]
    assert "overlapping pairs too" in full and "Why is this bad" not in full
    assert HELP_URI.endswith("#rules-and-findings")
    readme = (REPO / "README.md").read_text()
    assert "\n## Rules and findings\n" in readme  # the anchor the URI points at exists


def test_chain_hops_are_related_locations(layered: Path, capsys) -> None:
    results = sarif(layered, capsys, "--no-cache")["runs"][0]["results"]
    [via] = [r for r in results if "via app.helpers" in r["message"]["text"]]
    related = via["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert [r["message"]["text"] for r in related] == [
        "app.repositories.orders -> app.helpers",
        "app.helpers -> app.routes.orders",
    ]
    physical = [r["physicalLocation"] for r in related]
    where = [(p["artifactLocation"]["uri"], p["region"]["startLine"]) for p in physical]
    assert where == [("app/repositories/orders.py", 7), ("app/helpers.py", 3)]
    flow = via["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["message"]["text"] for s in flow] == [
        r["message"]["text"] for r in related
    ]
    # a one-hop chain: a related location, no code flow; no chain (AL105): neither
    [direct] = [r for r in results if "imports django.http" in r["message"]["text"]]
    assert len(direct["relatedLocations"]) == 1 and "codeFlows" not in direct
    [unmatched] = [r for r in results if r["ruleId"] == "AL105"]
    assert "relatedLocations" not in unmatched and "codeFlows" not in unmatched


def _prints(log: dict) -> dict[str, tuple[str, int]]:
    return {
        r["partialFingerprints"]["archlint/v1"]: (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in log["runs"][0]["results"]
    }


def test_fingerprints_survive_unrelated_edits(layered: Path, capsys) -> None:
    before = _prints(sarif(layered, capsys, "--no-cache"))
    assert len(before) == 9  # one per finding, none shared
    for relpath in ("app/repositories/orders.py", "app/domain/pricing.py"):  # 5 findings
        path = layered / relpath
        path.write_text("# an unrelated comment\n\n" + path.read_text())
    after = _prints(sarif(layered, capsys, "--no-cache"))
    assert after.keys() == before.keys()
    edited = ("app/repositories/orders.py", "app/domain/pricing.py")
    moved = {fp for fp, (uri, _) in before.items() if uri in edited}
    assert len(moved) == 5
    for fp, (uri, line) in before.items():
        assert after[fp] == (uri, line + 2 if fp in moved else line)


def test_fingerprints_change_with_the_offending_import(layered: Path, capsys) -> None:
    before = _prints(sarif(layered, capsys, "--no-cache"))
    pricing = layered / "app/domain/pricing.py"
    pricing.write_text(pricing.read_text().replace("import django.http", "import django.forms"))
    after = _prints(sarif(layered, capsys, "--no-cache"))
    assert len(after.keys() - before.keys()) == 1 and len(before.keys() - after.keys()) == 1


def test_fingerprint_normalisation() -> None:
    def at(line: int, message: str, target: str = "app.b") -> Finding:
        hop = Hop("app.a", target, "app/a.py", line, 5)
        return Finding("AL101", "layers", "error", message, "app/a.py", line, 5, "L", (hop,))

    same = fingerprints([at(3, "handler has 61 statements"), at(90, "handler has 7 statements")])
    assert same[0] == same[1].split(":")[0] and same[1].endswith(":2")  # duplicates: numbered
    other = fingerprints([at(3, "handler has 61 statements", target="app.c")])
    assert other[0] != same[0]
    assert len(same[0]) == 64  # a SHA-256


def test_paths_are_percent_encoded_uris(tmp_path: Path, capsys) -> None:
    weird = "we,ird dir/100% #x:y.py"
    write_tree(tmp_path, {"archlint.toml": '[components]\nx = ["app"]\n', weird: "def f(:\n",
                          "app/__init__.py": ""})  # fmt: skip
    results = sarif(tmp_path, capsys, "--no-cache")["runs"][0]["results"]
    [result] = results
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "we%2Cird%20dir/100%25%20%23x%3Ay.py" and unquote(uri) == weird


def test_columns_count_characters(tmp_path: Path, capsys) -> None:
    config = '[components]\nlow = ["app.low"]\nhigh = ["app.high"]\n\n[[contracts]]\nname = "L"\n' \
             'type = "layers"\nlayers = ["high", "low"]\n'  # fmt: skip
    source = 'café = "😀"; from app.high import x\n'
    write_tree(tmp_path, {"archlint.toml": config, "app/__init__.py": "",
                          "app/high.py": "x = 1\n", "app/low.py": source})  # fmt: skip
    [result] = sarif(tmp_path, capsys, "--no-cache")["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    # the imported name, in code points: 😀 is one (two UTF-16 units, four UTF-8 bytes)
    assert region == {"startLine": 1, "startColumn": source.rindex("x") + 1}


def test_output_file_replay_and_determinism(layered: Path, tmp_path: Path, capsys) -> None:
    _, cold = run(["check", str(layered), "--format", "sarif", "--no-cache"], capsys)
    _, again = run(["check", str(layered), "--format", "sarif", "--no-cache"], capsys)
    assert cold == again
    run(["check", str(layered), "--format", "sarif"], capsys)  # records the run
    _, replayed = run(["check", str(layered), "--format", "sarif"], capsys)  # replays it
    assert replayed == cold
    target = tmp_path / "out" / "report.sarif"
    target.parent.mkdir()
    code, out = run(["check", str(layered), "--format", "sarif", "--output", str(target)], capsys)
    assert (code, out) == (1, "")
    assert target.read_text() == cold
    assert [p.name for p in target.parent.iterdir()] == ["report.sarif"]


def test_clean_run_is_valid(capsys) -> None:
    log = sarif(REPO / "fixtures" / "sample_app", capsys, "--no-cache")
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"]


def test_finding_outside_the_root_gets_an_absolute_uri(tmp_path: Path) -> None:
    """A contract of a bundled preset is reported in the preset's file, outside the root."""
    from archlint.reporters import Report
    from archlint.reporters.sarif import build

    preset = tmp_path / "presets" / "back end.toml"
    finding = Finding("AL105", "unmatched-ignore", "error", "stale", str(preset), 4, 1, "C")
    log = build(Report([finding], 1, root=str(tmp_path / "project")))
    assert not list(VALIDATOR.iter_errors(log))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": preset.as_uri()}
    assert "%20" in preset.as_uri()
    # without the CLI's catalogue the rule still gets a descriptor for its ruleIndex
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "AL105"
