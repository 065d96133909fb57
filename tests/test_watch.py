"""check --watch: a check now, and again after each change that matters."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archlint.watch import matters
from tests.test_cli import layered_project, run


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("app/services/users.py", True),
        ("web/src/App.tsx", True),
        ("migrations/V1__init.sql", True),
        ("templates/login.html", True),
        ("archlint.toml", True),
        ("web/tsconfig.base.json", True),
        ("web/package.json", True),
        ("README.md", False),
        ("app/__pycache__/users.cpython-311.pyc", False),
        (".archlint_cache/facts-1.bin", False),
        ("web/node_modules/react/index.js", False),
        (".git/index", False),
    ],
)
def test_what_matters(path: str, expected: bool) -> None:
    assert matters(path) is expected


def test_watch_cannot_write_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layered_project(tmp_path)
    code, _, err = run(["check", str(tmp_path), "--watch", "--add-suppressions"], capsys)
    assert code == 2 and "--watch cannot be combined" in err


def _read_until(stream, text: str, timeout: float) -> str:  # noqa: ANN001
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{text!r} did not come within {timeout} s; got {seen.decode()!r}")
        ready, _, _ = select.select([stream], [], [], left)
        if ready:
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                raise AssertionError(f"the watcher ended; got {seen.decode()!r}")
            seen += chunk
    return seen.decode()


def test_a_change_is_checked_again_and_ctrl_c_ends_the_watch(tmp_path: Path) -> None:
    layered_project(tmp_path)
    bad = tmp_path / "app/repositories/users.py"
    bad.write_text("import os\n")  # clean to start with
    env = dict(os.environ)
    with subprocess.Popen(
        [sys.executable, "-m", "archlint", "check", str(tmp_path), "--watch"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    ) as child:  # fmt: skip
        try:
            assert child.stdout is not None and child.stderr is not None
            assert "All checks passed" in _read_until(child.stdout, "All checks passed", 60)
            _read_until(child.stderr, "watching", 60)
            time.sleep(1.1)  # a polling watcher (WATCHFILES_FORCE_POLLING) sees whole seconds
            bad.write_text("import os\nfrom app.routes import users\n")
            out = _read_until(child.stdout, "Found 1 finding", 60)
            assert "app/repositories/users.py:2:24: AL101" in out
            assert "app/repositories/users.py changed, checking again" in _read_until(
                child.stderr, "checking again", 5)  # fmt: skip
            (tmp_path / "notes.md").write_text("nothing archlint reads\n")
            time.sleep(1.1)
            bad.write_text("import os\n")
            assert "All checks passed" in _read_until(child.stdout, "All checks passed", 60)
            child.send_signal(signal.SIGINT)
            assert child.wait(timeout=30) == 0
        finally:
            if child.poll() is None:
                child.kill()
