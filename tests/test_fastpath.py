"""Replaying an unchanged run from its manifest, and noticing every change that matters.

Runs are in-process, with both "racy" windows at zero so that what was written a moment ago
is trusted (otherwise a test would have to wait two seconds before every run). The replay
is proven by making the ordinary run impossible: ``engine.check`` raises if it is called.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from archlint import engine
from archlint.cache import CACHE_DIR_NAME
from archlint.cli import main
from tests.test_cli import CONFIG, layered_project


@pytest.fixture(autouse=True)
def _no_racy_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("archlint.cache._RACY_WINDOW_NS", -(10**18))
    monkeypatch.setattr("archlint.fastpath._RACY_WINDOW_NS", -(10**18))


def _run(*args: str) -> tuple[int, str]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output), pytest.raises(SystemExit) as exit_info:
        main(["check", *args])
    return exit_info.value.code, output.getvalue()


def _json(*args: str) -> dict:
    code, out = _run(*args, "--format", "json")
    assert code in (0, 1), out
    return json.loads(out)


@contextlib.contextmanager
def _replay_only():
    """Inside this block the ordinary run is forbidden: only a replay can answer."""

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("expected a replay, got a full run")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "check", forbidden)
        yield


def _replays(root: Path, *args: str) -> bool:
    """Whether a run answered without the ordinary run (which would exit 2 in here)."""
    with _replay_only(), contextlib.redirect_stderr(io.StringIO()) as errors:
        code, _ = _run(str(root), *args)
    if code == 2:
        assert "expected a replay, got a full run" in errors.getvalue()
        return False
    return True


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    layered_project(tmp_path)
    first = _json(str(tmp_path))
    assert first["summary"]["findings"] == 1
    with _replay_only():
        assert _json(str(tmp_path)) == first
    return tmp_path


def test_replay_matches_a_full_run_and_honours_options(project: Path) -> None:
    with _replay_only():  # output options are applied to the replayed findings
        code, out = _run(str(project), "--statistics", "-q")
        assert code == 1 and out.splitlines()[-1] == "1\tAL101\tlayers"
    # select/ignore decide which rules run at all: another selection is another recording
    assert not _replays(project, "--select", "AL0")
    _run(str(project), "--select", "AL0")  # records it
    with _replay_only():
        code, out = _run(str(project), "--select", "AL0")
        assert (code, out) == (0, "All checks passed (7 files checked).\n")


def test_paths_are_applied_on_replay(project: Path) -> None:
    with _replay_only():  # any start folder inside the project finds the root's manifest
        assert _json(str(project / "app"))["summary"]["findings"] == 1
        assert _json(str(project / "app" / "routes"))["summary"]["findings"] == 0


def test_no_cache_neither_replays_nor_records(project: Path) -> None:
    for manifest in (project / CACHE_DIR_NAME).glob("manifest-*"):
        manifest.unlink()
    _json(str(project), "--no-cache")
    assert not list((project / CACHE_DIR_NAME).glob("manifest-*"))


@pytest.mark.parametrize(
    "change",
    [
        "edit",
        "edit_same_size_old_mtime",
        "new_file",
        "new_folder",
        "delete",
        "gitignore_created",
        "gitignore_edited",
        "git_info_exclude",
        "config_edited",
        "closer_config",
    ],
)
def test_any_change_means_a_full_run(project: Path, change: str) -> None:
    target = project / "app" / "repositories" / "users.py"
    if change == "edit":
        target.write_text("import os\n")
    elif change == "edit_same_size_old_mtime":
        before = target.stat()
        target.write_text(target.read_text().replace("routes", "shared"))
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif change == "new_file":
        (project / "app" / "services" / "extra.py").write_text("import app.routes\n")
    elif change == "new_folder":
        (project / "app" / "services" / "sub").mkdir()
    elif change == "delete":
        target.unlink()
    elif change == "gitignore_created":
        (project / "app" / ".gitignore").write_text("repositories/users.py\n")
    elif change == "gitignore_edited":
        (project / ".gitignore").write_text("")
        _json(str(project))  # record with the (empty) .gitignore in place
        assert _replays(project)
        (project / ".gitignore").write_text("app/repositories/users.py\n")
    elif change == "git_info_exclude":
        (project / ".git" / "info").mkdir(parents=True)
        _json(str(project))
        assert _replays(project)
        (project / ".git" / "info" / "exclude").write_text("app/repositories/users.py\n")
    elif change == "config_edited":
        (project / "archlint.toml").write_text(CONFIG + "\n# a comment\n")
    elif change == "closer_config":
        (project / "app" / "archlint.toml").write_text("")
        assert not _replays(project / "app")
        return
    assert not _replays(project)
    # and the full run that follows is right, and is itself replayed next time
    expected = _json(str(project), "--no-cache")
    assert _json(str(project)) == expected
    assert _replays(project)


def test_damaged_manifest_means_a_full_run(project: Path) -> None:
    for manifest in (project / CACHE_DIR_NAME).glob("manifest-*"):
        manifest.write_bytes(b"\x00\x01garbage")
    assert not _replays(project)
    assert _json(str(project))["summary"]["findings"] == 1
    assert _replays(project)


def test_explicit_config_and_root_options_replay_too(project: Path, tmp_path_factory) -> None:
    config = str(project / "archlint.toml")
    first = _json(str(project), "--config", config)
    with _replay_only():
        assert _json(str(project), "--config", config) == first
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "archlint.toml").write_text(CONFIG)
    by_root = _json(str(project), "--config", str(elsewhere / "archlint.toml"), "--root", str(project))
    assert by_root["findings"] == first["findings"]
    assert _replays(project, "--config", str(elsewhere / "archlint.toml"), "--root", str(project))
    (elsewhere / "archlint.toml").write_text(CONFIG + "# edited\n")  # outside the root
    assert not _replays(project, "--config", str(elsewhere / "archlint.toml"), "--root", str(project))


def test_a_project_without_config_replays_only_from_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "broken.py").write_text("def f(:\n")
    assert _json(str(tmp_path))["summary"]["by_rule"] == {"parse-error": 1}
    assert _replays(tmp_path)
    # From pkg/, without a config, the root is pkg/ itself: not the recorded run.
    assert not _replays(tmp_path / "pkg")
