"""`archlint rules` and `archlint explain`: every rule documented, found by code or name."""

from __future__ import annotations

import json
import re

from archlint.rules import all_rules
from tests.test_cli import run

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


def test_every_rule_has_a_stable_code_a_kebab_name_and_full_docs() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules) and len({r.name for r in rules}) == len(rules)
    for rule in rules:
        assert re.fullmatch(r"AL\d{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        positions = [rule.doc.find(section) for section in SECTIONS]
        assert -1 not in positions and positions == sorted(positions), (rule.name, positions)
        assert rule.severity in ("error", "warning", "info")


def test_rules_lists_every_rule(capsys) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [r.code for r in all_rules()]
    assert any(re.match(r"AL201  presentation-imports-data-layer +error +Reports", line) for line in lines)


def test_rules_as_json(capsys) -> None:
    code, out, _ = run(["rules", "--format", "json"], capsys)
    assert code == 0
    document = json.loads(out)
    by_code = {entry["code"]: entry for entry in document}
    assert by_code["AL203"]["name"] == "db-access-outside-repository"
    assert by_code["AL203"]["options"] == {
        "layers": ["routes", "controllers", "services", "middleware", "validators"]
    }
    assert by_code["AL101"]["enabled"] is True


def test_explain_by_code_and_by_name(capsys) -> None:
    code, by_code, _ = run(["explain", "AL202"], capsys)
    assert code == 0
    assert by_code.startswith("# service-imports-web-framework (AL202)\n")
    assert "## Why is this bad?" in by_code and "## Use instead" in by_code
    code, by_name, _ = run(["explain", "service-imports-web-framework"], capsys)
    assert (code, by_name) == (0, by_code)


def test_explain_unknown_rule(capsys) -> None:
    code, out, err = run(["explain", "n-plus-on-query"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("archlint: error: unknown rule 'n-plus-on-query'")


def test_readme_lists_every_rule() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    rows = set(re.findall(r"^\| (AL\d{3}) \| `([a-z0-9-]+)` \|", readme, flags=re.M))
    assert rows == {(r.code, r.name) for r in all_rules()}


def test_a_rule_off_by_default_runs_when_named_or_with_all_not_for_a_prefix(tmp_path, capsys) -> None:
    from tests.test_cli import write_tree

    write_tree(tmp_path, {
        "app/__init__.py": "",
        "app/routes/__init__.py": "",
        "app/routes/users.py": "from fastapi import APIRouter\nrouter = APIRouter()\n\n\n"
                               "@router.get('/v1/user/{user_id}')\ndef show(user_id: int) -> dict:\n"
                               "    return {}\n",
    })  # fmt: skip

    def codes(*select: str) -> list[str]:
        code, out, _ = run(["check", str(tmp_path), "--no-cache", "--format", "json", *select], capsys)
        assert code in (0, 1)
        return sorted({f["code"] for f in json.loads(out)["findings"]})

    assert "AL404" not in codes()  # singular-resource-name is off by default
    assert "AL404" not in codes("--select", "AL4")  # a prefix: the AL4 rules that are on
    assert "AL404" in codes("--select", "AL404")
    assert "AL404" in codes("--select", "singular-resource-name")
    assert "AL404" in codes("--select", "ALL")
