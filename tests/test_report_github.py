"""`check --format github`: GitHub Actions workflow commands, parsed back the runner's way."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archlint.cli import main
from tests.test_cli import write_tree

REPO = Path(__file__).resolve().parent.parent
LAYERED = REPO / "fixtures" / "layered_app"
COMMAND = re.compile(r"^::(?P<kind>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, _ = capsys.readouterr()
    return exit_info.value.code, out


def unescape(text: str) -> str:
    """The runner's reading of an escaped value (``%3A`` and ``%2C`` only occur in properties)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse(out: str) -> list[dict]:
    """One dict per command line: kind, its properties and its message, unescaped."""
    assert out.endswith("\n") or out == ""
    commands = []
    for line in out.splitlines():
        match = COMMAND.match(line)
        assert match, line
        props = dict(p.split("=", 1) for p in match["props"].split(","))
        commands.append({
            "kind": match["kind"], **{k: unescape(v) for k, v in props.items()},
            "message": unescape(match["data"]),
        })  # fmt: skip
    return commands


def findings_json(root: Path, capsys) -> list[dict]:
    _, out = run(["check", str(root), "--no-cache", "--format", "json"], capsys)
    return json.loads(out)["findings"]


def test_one_annotation_per_finding(capsys) -> None:
    code, out = run(["check", str(LAYERED), "--no-cache", "--format", "github"], capsys)
    expected = findings_json(LAYERED, capsys)
    commands = parse(out)
    assert code == 1 and len(commands) == len(expected) == 9
    for command, finding in zip(commands, expected):
        assert command["kind"] == "error"
        assert command["file"] == finding["path"]
        assert (command["line"], command["col"]) == (str(finding["line"]), str(finding["column"]))
        assert command["title"] == f"{finding['code']} {finding['rule']}"
        first, *hops = command["message"].split("\n")
        assert first == f"{finding['message']} [{finding['contract']}]"
        assert hops == [
            f"{h['importer']} -> {h['imported']} ({h['path']}:{h['line']})"
            for h in finding.get("chain", [])
        ]
    via = next(c for c in commands if "via app.helpers" in c["message"])
    assert via["message"].endswith(
        "\napp.repositories.orders -> app.helpers (app/repositories/orders.py:7)"
        "\napp.helpers -> app.routes.orders (app/helpers.py:3)"
    )


def test_severities_map_to_commands(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {
        "archlint.toml": 'extends = ["backend"]\n\n[rules.verb-in-route-path]\nseverity = "info"\n',
        "app/__init__.py": "", "app/services/__init__.py": "", "app/routes/__init__.py": "",
        "app/services/users.py": "def load(user_id):\n    print(user_id)\n    return user_id\n",
        "app/routes/users.py": "from fastapi import APIRouter\nrouter = APIRouter()\n\n\n"
                               '@router.get("/getUser")\ndef get_user():\n    return {}\n',
        "app/broken.py": "def f(:\n",
    })  # fmt: skip
    _, out = run(["check", str(tmp_path), "--no-cache", "--format", "github"], capsys)
    kinds = {c["title"].split()[0]: c["kind"] for c in parse(out)}
    assert kinds == {"AL001": "error", "AL601": "warning", "AL401": "notice"}


def test_escaping_of_paths_and_messages(tmp_path: Path, capsys) -> None:
    weird = "we,ird:dir/100% a,b\nc.py"  # a comma, a colon, a percent sign and a newline
    write_tree(tmp_path, {
        "archlint.toml": '[components]\nx = ["app"]\n',
        weird: "def f(:\n",
        "app/x.js": 'import a from "./%0A,b:c\\r\\nd";\nexport default a;\n',
    })  # fmt: skip
    code, out = run(["check", str(tmp_path), "--no-cache", "--format", "github"], capsys)
    expected = findings_json(tmp_path, capsys)
    assert code == 1 and len(out.splitlines()) == len(expected) == 2  # no raw line break
    commands = parse(out)
    assert sorted(c["file"] for c in commands) == sorted(["app/x.js", weird])
    for command, finding in zip(commands, expected):
        assert (command["file"], command["message"]) == (finding["path"], finding["message"])
    # the escaped forms, literally: %0A in the source stays text (%250A), \r\n is escaped
    js = next(line for line in out.splitlines() if "file=app/x.js" in line)
    assert "./%250A,b:c%0D%0Ad" in js
    other = next(line for line in out.splitlines() if "file=app/x.js" not in line)
    assert other.startswith("::error file=we%2Cird%3Adir/100%25 a%2Cb%0Ac.py,line=1,col=7,")


def test_clean_run_prints_nothing_and_output_file(tmp_path: Path, capsys) -> None:
    code, out = run(["check", str(REPO / "fixtures" / "sample_app"), "--no-cache",
                     "--format", "github"], capsys)  # fmt: skip
    assert (code, out) == (0, "")
    target = tmp_path / "annotations.txt"
    _, printed = run(["check", str(LAYERED), "--no-cache", "--format", "github"], capsys)
    code, out = run(["check", str(LAYERED), "--no-cache", "--format", "github",
                     "-o", str(target)], capsys)  # fmt: skip
    assert (code, out) == (1, "") and target.read_text() == printed
    assert [p.name for p in tmp_path.iterdir()] == ["annotations.txt"]
