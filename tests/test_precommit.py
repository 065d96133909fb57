"""The pre-commit hook, run by the real `pre-commit` (`try-repo` with this repository).

pre-commit builds the hook's own virtual environment from this repository (pip, from the
package registry), so the first run takes a while; the environment lives in a temporary
PRE_COMMIT_HOME shared by the tests of this module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

CONFIG = """\
[components]
routes = ["app.routes"]
services = ["app.services"]
repositories = ["app.repositories"]

[[contracts]]
name = "Backend layers"
type = "layers"
layers = ["routes", "services", "repositories"]
"""

FILES = {
    "archlint.toml": CONFIG,
    "app/__init__.py": "",
    "app/routes/__init__.py": "",
    "app/routes/users.py": "from app.services import users\n",
    "app/services/__init__.py": "",
    "app/services/users.py": "from app.repositories import users\n",
    "app/repositories/__init__.py": "",
    "app/repositories/users.py": "from app.routes import users  # a layer reaching up\n",
}


def _pre_commit() -> str:
    found = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if found is None:
        message = "pre-commit is not installed (it is in the test extras: pip install -e '.[test]')"
        if os.environ.get("ARCHLINT_REQUIRE_ORACLES") == "1":
            pytest.fail(message + " (ARCHLINT_REQUIRE_ORACLES=1)")
        pytest.skip(message)
    return found


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _try_repo(project: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [_pre_commit(), "try-repo", str(REPO), "archlint", *extra],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def test_the_hook_definition_is_what_pre_commit_expects() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["archlint"]
    hook = hooks[0]
    assert hook["language"] == "python" and hook["entry"] == "archlint check"
    assert {"python", "javascript", "ts", "tsx"} <= set(hook["types_or"])
    assert hook.get("pass_filenames", True) is True  # the staged files, within the whole graph


def test_fails_on_a_violation_and_passes_after_the_fix(tmp_path: Path, pre_commit_home: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    project = tmp_path / "project"
    for name, text in FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    _git(project, "init", "-q")
    _git(project, "config", "user.email", "dev@example.com")
    _git(project, "config", "user.name", "dev")
    _git(project, "add", "-A")

    failed = _try_repo(project, pre_commit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "app/repositories/users.py:1:24: AL101 app.repositories.users imports app.routes.users" in failed.stdout
    assert "Failed" in failed.stdout

    # Only an innocent file is staged: the violation lives in a file not passed, so the
    # hook reports nothing, though it reads the whole project's graph.
    _git(project, "commit", "-q", "-m", "start", "--no-verify")
    (project / "app/services/users.py").write_text("from app.repositories import users  # ok\n")
    _git(project, "add", "app/services/users.py")
    innocent = _try_repo(project, pre_commit_home)
    assert innocent.returncode == 0, innocent.stdout + innocent.stderr

    (project / "app/repositories/users.py").write_text("import sqlite3\n")
    _git(project, "add", "app/repositories/users.py")
    fixed = _try_repo(project, pre_commit_home)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout


def test_files_without_a_config_are_checked_in_the_current_directorys_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What the hook does in a repository without a config: the staged files are passed,
    # and the project is the repository (the current directory), not the files' folder.
    from tests.test_cli import run

    for name, text in FILES.items():
        if name != "archlint.toml":
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["check", "--no-cache", "app/services/users.py", "app/routes/users.py"], capsys)
    assert code == 0
    assert out == "All checks passed (7 files checked).\n"  # the whole project was read
    code, out, _ = run(["check", "--no-cache", "app/services"], capsys)  # a folder: its own root
    assert out == "All checks passed (2 files checked).\n"
