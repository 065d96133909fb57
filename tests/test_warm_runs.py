"""A warm run must see every change a cold run would: edits, new and deleted files, config.

Each test compares a cached run with a --no-cache run of the same tree. Runs are in-process
with the cache's "racy" window at zero, so that files written a moment ago are trusted by
the stat index and the warm paths (stat index, run memo) are really taken.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archlint.cache import CACHE_DIR_NAME
from archlint.cli import main
from tests.test_cli import CONFIG, layered_project


@pytest.fixture(autouse=True)
def _no_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("archlint.cache._RACY_WINDOW_NS", -(10**18))


def _check(root: Path, *options: str) -> dict:
    output = io.StringIO()
    with contextlib.redirect_stdout(output), pytest.raises(SystemExit) as exit_info:
        main(["check", str(root), "--format", "json", *options])
    assert exit_info.value.code in (0, 1)
    return json.loads(output.getvalue())


def _cached_matches_uncached(root: Path) -> dict:
    cached = _check(root)
    assert cached == _check(root, "--no-cache")
    return cached


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    layered_project(tmp_path)
    first = _cached_matches_uncached(tmp_path)
    assert first["summary"]["findings"] == 1
    with pytest.MonkeyPatch.context() as patch:  # a second identical run builds nothing
        patch.setattr("archlint.engine._build_project", _must_not_build)
        assert _check(tmp_path) == first
    return tmp_path


def _must_not_build(*args: object) -> None:
    raise AssertionError("the run memo should have answered")


def test_edit_with_same_size_and_mtime_is_seen(project: Path) -> None:
    target = project / "app" / "repositories" / "users.py"
    before = target.stat()
    target.write_text("import os\nfrom app.shared import users\n")  # same length as before
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime
    after = target.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert _cached_matches_uncached(project)["summary"]["findings"] == 0


def test_edit_is_seen(project: Path) -> None:
    (project / "app" / "repositories" / "users.py").write_text("import os\n")
    assert _cached_matches_uncached(project)["summary"]["findings"] == 0


def test_new_file_is_seen(project: Path) -> None:
    (project / "app" / "services" / "bad.py").write_text("import app.routes.users\n")
    result = _cached_matches_uncached(project)
    assert result["summary"]["by_rule"] == {"layers": 2}


def test_deleted_file_is_seen(project: Path) -> None:
    (project / "app" / "repositories" / "users.py").unlink()
    assert _cached_matches_uncached(project)["summary"]["findings"] == 0


def test_config_change_is_seen(project: Path) -> None:
    ignore = 'ignore_imports = ["app.repositories.users -> app.routes.users"]\n'
    (project / "archlint.toml").write_text(CONFIG + ignore)
    assert _cached_matches_uncached(project)["summary"]["findings"] == 0


def test_corrupt_run_memo_is_ignored(project: Path) -> None:
    for path in (project / CACHE_DIR_NAME).glob("*.bin"):
        path.write_bytes(b"\xff" * 64)
    assert _cached_matches_uncached(project)["summary"]["findings"] == 1


def test_foreign_entries_are_rebuilt(project: Path) -> None:
    """Well-formed marshal data of the wrong shape: ignored, recomputed, never a crash."""
    import marshal

    for path in (project / CACHE_DIR_NAME).glob("runs-*.bin"):
        key = next(iter(marshal.loads(path.read_bytes())))
        path.write_bytes(marshal.dumps({key: [("not", "a", "finding")]}))
    for path in (project / CACHE_DIR_NAME).glob("facts-*.bin"):
        facts = marshal.loads(path.read_bytes())
        path.write_bytes(marshal.dumps({digest: ("python", 42) for digest in facts}))
    assert _cached_matches_uncached(project)["summary"]["findings"] == 1


def test_two_runs_at_once_are_safe(tmp_path: Path) -> None:
    layered_project(tmp_path)
    for i in range(40):  # enough files for the runs to overlap while writing the cache
        (tmp_path / "app" / "services" / f"m{i}.py").write_text(f"import os\nX = {i}\n")
    command = [sys.executable, "-m", "archlint", "check", str(tmp_path), "--format", "json"]
    for _ in range(3):
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(4)]
        outputs = [run.communicate()[0] for run in runs]
        assert [run.returncode for run in runs] == [1, 1, 1, 1]
        assert len(set(outputs)) == 1
    assert not list((tmp_path / CACHE_DIR_NAME).glob("*.tmp"))
    assert json.loads(outputs[0]) == _check(tmp_path, "--no-cache")
