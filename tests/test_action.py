"""action.yml, the composite GitHub Action: its structure, and its check step run for real.

GitHub cannot run here, so the action is validated: the YAML a composite action needs,
references that resolve, options archlint accepts, and the check step's script executed
with bash the way the runner would (environment variables and $GITHUB_OUTPUT).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from archlint.cli import cli as archlint_cli

REPO = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
STEPS = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


def _expressions(value: object) -> list[str]:
    if isinstance(value, dict):
        return [e for item in value.values() for e in _expressions(item)]
    if isinstance(value, list):
        return [e for item in value for e in _expressions(item)]
    return [m.strip() for m in EXPRESSION.findall(str(value))]


def test_a_composite_action_with_a_name_and_a_description() -> None:
    assert ACTION["name"] and ACTION["description"]
    assert ACTION["runs"]["using"] == "composite"
    for step in STEPS:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step["shell"] == "bash"  # composite run steps must name their shell
        else:
            assert re.fullmatch(r"[\w-]+/[\w/-]+@v\d+", step["uses"]), step["uses"]


def test_every_reference_resolves() -> None:
    inputs = set(ACTION["inputs"])
    step_ids = {step["id"] for step in STEPS if "id" in step}
    expressions = _expressions(ACTION["runs"]) + _expressions(ACTION["outputs"])
    assert expressions
    for expression in expressions:
        for name in re.findall(r"inputs\.([\w-]+)", expression):
            assert name in inputs, expression
        for name in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            assert name[0] in step_ids, expression
    for name, spec in ACTION["inputs"].items():
        assert spec.get("description"), name
        assert "default" in spec or spec.get("required"), name


def test_inputs_reach_scripts_through_the_environment_only() -> None:
    # ${{ }} inside a script is pasted into the shell: an input holding "; rm -rf ~" would
    # run. The scripts read inputs from env: instead.
    for step in STEPS:
        if "run" in step:
            assert not EXPRESSION.search(step["run"]), step["run"]


def test_the_options_used_are_archlints() -> None:
    check = archlint_cli.commands["check"]
    options = {opt for param in check.params for opt in getattr(param, "opts", [])}
    formats = next(p for p in check.params if p.name == "output_format").type
    assert isinstance(formats, click.Choice)
    script = next(step["run"] for step in STEPS if step.get("id") == "check")
    used = re.findall(r"archlint check [^\n]*", script)
    assert len(used) == 2
    for command in used:
        for option in re.findall(r"\s(--[\w-]+)", command):
            assert option in options, option
        for value in re.findall(r"--format (\w+)", command):
            assert value in formats.choices, value


@pytest.mark.parametrize(("fixture", "expected"), [("layered_app", "1"), ("sample_app", "0")])
def test_the_check_step_runs(tmp_path: Path, fixture: str, expected: str) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    project = tmp_path / fixture
    shutil.copytree(REPO / "fixtures" / fixture, project)
    output = tmp_path / "github_output"
    output.write_text("")
    script = next(step for step in STEPS if step.get("id") == "check")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_OUTPUT": str(output),
        "ARCHLINT_PATH": str(project),
        "ARCHLINT_ARGS": "--no-cache",
        "ARCHLINT_SARIF": str(tmp_path / "archlint.sarif"),
    }
    assert set(script["env"]) <= set(env)
    done = subprocess.run(["bash", "-e", "-c", script["run"]], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr  # findings do not fail this step: the last one does
    assert output.read_text() == f"exit-code={expected}\n"
    sarif = json.loads((tmp_path / "archlint.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert bool(sarif["runs"][0]["results"]) == (expected == "1")
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert bool(annotations) == (expected == "1")


def test_a_configuration_error_fails_the_check_step(tmp_path: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    (tmp_path / "archlint.toml").write_text("selct = []\n")
    output = tmp_path / "github_output"
    script = next(step for step in STEPS if step.get("id") == "check")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_OUTPUT": str(output), "ARCHLINT_PATH": str(tmp_path), "ARCHLINT_ARGS": "",
        "ARCHLINT_SARIF": str(tmp_path / "out.sarif"),
    }  # fmt: skip
    done = subprocess.run(["bash", "-e", "-c", script["run"]], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 2
    assert output.read_text() == "exit-code=2\n"
    assert "selct" in done.stderr
