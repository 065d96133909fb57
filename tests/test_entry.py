"""The console entry's replay: the CLI's answer, without importing click, or no answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archlint.cli import main as cli_main
from archlint.entry import _plain_check, quick
from tests.test_cli import layered_project


@pytest.fixture(autouse=True)
def _no_racy_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("archlint.cache._RACY_WINDOW_NS", -(10**18))
    monkeypatch.setattr("archlint.fastpath._RACY_WINDOW_NS", -(10**18))


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        cli_main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def _quick(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | None, str, str]:
    code = quick(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    layered_project(tmp_path, {"app/routes/notes.py": "from app import services\n"})
    assert _cli(["check", str(tmp_path)], capsys)[0] == 1  # the run the replays replay
    return tmp_path


def test_plain_invocations_answer_as_the_cli_does(project: Path, capsys) -> None:
    invocations = [
        ["check", str(project)],
        ["check", str(project), "-q"],
        ["check", "--quiet", str(project)],
        ["check", str(project), "--format", "json"],
        ["check", str(project), "--format=json"],
        ["check", str(project / "app" / "repositories" / "users.py")],  # a finding's file
        ["check", str(project / "app" / "services")],  # no finding there: exit 0
    ]
    for args in invocations:
        expected = _cli(args, capsys)
        assert _quick(args, capsys) == expected, args
    assert json.loads(_quick(invocations[3], capsys)[1])["summary"]["findings"] == 1
    assert _quick(invocations[-1], capsys)[0] == 0


@pytest.mark.parametrize(
    "extra",
    [["--select", "AL1"], ["--no-cache"], ["--format", "sarif"], ["--format"], ["--exit-zero"],
     ["--statistics"], ["--output", "x.txt"], ["--config", "archlint.toml"]],
)  # fmt: skip
def test_anything_else_is_left_to_the_cli(project: Path, capsys, extra: list[str]) -> None:
    assert _quick(["check", str(project), *extra], capsys) == (None, "", "")


def test_doubts_are_left_to_the_cli(project: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _quick(["--debug", "check", str(project)], capsys)[0] is None
    assert _quick(["graph", str(project)], capsys)[0] is None
    assert _quick(["check", str(project / "missing.py")], capsys) == (None, "", "")
    assert _quick(["check", str(project.parent)], capsys)[0] is None  # no manifest up there
    (project / ".archlint-baseline.json").write_text("{}")  # a baseline: the CLI honours it
    assert _quick(["check", str(project)], capsys) == (None, "", "")
    (project / ".archlint-baseline.json").unlink()
    monkeypatch.setenv("ARCHLINT_NO_REPLAY", "1")
    assert _quick(["check", str(project)], capsys) == (None, "", "")
    monkeypatch.delenv("ARCHLINT_NO_REPLAY")
    (project / "app" / "services" / "users.py").write_text("from app.repositories import users\n\n")
    assert _quick(["check", str(project)], capsys) == (None, "", "")  # changed: a full run


def test_option_parsing() -> None:
    assert _plain_check(["check"]) == ((), False, "text")
    assert _plain_check(["check", "a", "-q", "b", "--format", "json"]) == (("a", "b"), True, "json")
    assert _plain_check(["check", "--format", "junit"]) is None
    assert _plain_check(["check", "-j", "2"]) is None
    assert _plain_check(["rules"]) is None


def test_a_replay_does_not_import_click(tmp_path: Path) -> None:
    layered_project(tmp_path)
    old = time.time() - 3600  # older than the racy window: a real process trusts the stats
    for path in [tmp_path, *tmp_path.rglob("*")]:
        os.utime(path, (old, old))
    probe = ("import sys; from archlint.entry import quick; code = quick(sys.argv[1:]); "
             "print(code, 'click' in sys.modules)")  # fmt: skip
    command = [sys.executable, "-c", probe, "check", str(tmp_path)]
    first = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert first.stdout.splitlines()[-1] == "None False"  # nothing to replay yet
    run = [sys.executable, "-m", "archlint", "check", str(tmp_path)]
    subprocess.run(run, capture_output=True, timeout=120)
    # That run created .archlint_cache/, changing the root folder too close to its record
    # to trust it; the next one, past the window, records what a replay can trust.
    time.sleep(2.2)
    subprocess.run(run, capture_output=True, timeout=120)
    second = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert second.stdout.splitlines()[-1] == "1 False", second.stdout + second.stderr
    assert "AL101" in second.stdout


def test_the_command_exits_with_the_cli_code_and_all_of_its_output(tmp_path: Path) -> None:
    """`archlint` ends with os._exit (no interpreter teardown): the exit code must still be
    the CLI's and every byte of a long report must reach a pipe."""
    layered_project(tmp_path, {f"app/repositories/r{i}.py": "from app.routes import users\n"
                               for i in range(400)})  # fmt: skip
    command = [sys.executable, "-m", "archlint", "check", "--no-cache", "--format", "json", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert len(json.loads(done.stdout)["findings"]) >= 400  # a long report, complete
    clean = subprocess.run([*command[:-1], "--select", "AL003", str(tmp_path)], capture_output=True)
    assert clean.returncode == 0
    usage = subprocess.run([*command, "--no-such-option"], capture_output=True, text=True)
    assert usage.returncode == 2 and "no-such-option" in usage.stderr
