"""Which files a run reads: .gitignore, include/exclude, skipped folders, symlink safety."""

from __future__ import annotations

import os
from pathlib import Path

from archlint.discover import MAX_FILE_BYTES, MAX_FILE_BYTES_DEFAULT, discover


def _touch(root: Path, *paths: str) -> None:
    for path in paths:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x = 1\n")


def _paths(root: Path, **kwargs) -> list[str]:
    return [f.path for f in discover(root, **kwargs).files]


def test_finds_python_files_sorted_and_skips_other_files(tmp_path: Path) -> None:
    _touch(tmp_path, "b.py", "a/z.py", "a/y.pyi", "a/readme.md", "c.txt")
    assert _paths(tmp_path) == ["a/y.pyi", "a/z.py", "b.py"]


def test_skips_caches_vcs_build_output_and_virtualenvs(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "app/main.py",
        ".git/hooks/x.py",
        "app/__pycache__/m.py",
        ".archlint_cache/x.py",
        "node_modules/pkg/x.py",
        "build/lib/x.py",
        "pkg.egg-info/x.py",
        "myenv/lib/site.py",
    )
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    assert _paths(tmp_path) == ["app/main.py"]


def test_honours_gitignore_at_every_level_with_negation(tmp_path: Path) -> None:
    _touch(tmp_path, "keep.py", "gen_a.py", "sub/gen_b.py", "sub/gen_keep.py", "out/x.py")
    (tmp_path / ".gitignore").write_text("gen_*.py\nout/\n")
    (tmp_path / "sub" / ".gitignore").write_text("!gen_keep.py\n")
    assert _paths(tmp_path) == ["keep.py", "sub/gen_keep.py"]


def test_honours_git_info_exclude(tmp_path: Path) -> None:
    _touch(tmp_path, "a.py", "local_only.py")
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("local_only.py\n")
    assert _paths(tmp_path) == ["a.py"]


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "backend/app/a.py",
        "backend/app/migrations/0001.py",
        "frontend/x.py",
        "scripts/s.py",
    )
    found = _paths(tmp_path, include=["backend", "frontend/**"], exclude=["**/migrations/**"])
    assert found == ["backend/app/a.py", "frontend/x.py"]


def test_never_follows_a_symlink_out_of_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _touch(outside, "secret.py", "pkg/mod.py")
    root = tmp_path / "root"
    _touch(root, "a.py")
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(outside / "pkg", root / "linkdir")
    result = discover(root)
    assert [f.path for f in result.files] == ["a.py"]
    assert any("link.py" in n and "outside" in n for n in result.notes)
    assert any("linkdir" in n and "outside" in n for n in result.notes)


def test_follows_symlinks_inside_the_root_once_and_ends_loops(tmp_path: Path) -> None:
    _touch(tmp_path, "real/mod.py")
    os.symlink(tmp_path / "real", tmp_path / "alias")  # a second way into real/
    os.symlink(tmp_path / "real", tmp_path / "real" / "loop")  # a loop
    os.symlink(tmp_path / "nowhere", tmp_path / "broken.py")
    result = discover(tmp_path)
    assert [f.path for f in result.files] == ["real/mod.py"]
    assert any("broken.py" in n for n in result.notes)


def test_unreadable_directory_is_a_note(tmp_path: Path, monkeypatch) -> None:
    # chmod cannot lock out root (CI runs as root), so the refusal is simulated where it
    # happens: os.scandir on that directory.
    _touch(tmp_path, "ok.py", "locked/x.py")
    real_scandir = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr("archlint.discover.os.scandir", scandir)
    result = discover(tmp_path)
    assert [f.path for f in result.files] == ["ok.py"]
    assert result.notes == ["locked: directory skipped, cannot be read (Permission denied)"]


def test_oversized_file_is_skipped_with_a_note(tmp_path: Path) -> None:
    _touch(tmp_path, "ok.py")
    with open(tmp_path / "huge.py", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES["python"] + 1)
    result = discover(tmp_path)
    assert [f.path for f in result.files] == ["ok.py"]
    assert any(n.startswith("huge.py: skipped") for n in result.notes)


def test_empty_project(tmp_path: Path) -> None:
    result = discover(tmp_path)
    assert result.files == [] and result.notes == []


def test_javascript_and_typescript_files_and_what_is_skipped(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "web/src/app.tsx",
        "web/src/lib/api.ts",
        "web/src/types.d.ts",
        "web/src/legacy.jsx",
        "web/src/worker.mjs",
        "web/server.cjs",
        "web/public/vendor.min.js",
        "web/.next/server/page.js",
        "web/coverage/lcov-report/prettify.js",
        "web/node_modules/react/index.js",
        "web/dist/bundle.js",
    )
    with open(tmp_path / "web" / "src" / "huge.js", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES_DEFAULT + 1)
    result = discover(tmp_path)
    found = {(f.path, f.language) for f in result.files}
    assert found == {
        ("web/server.cjs", "javascript"),
        ("web/src/app.tsx", "tsx"),
        ("web/src/legacy.jsx", "javascript"),
        ("web/src/lib/api.ts", "typescript"),
        ("web/src/types.d.ts", "typescript"),
        ("web/src/worker.mjs", "javascript"),
    }
    assert result.notes == ["web/src/huge.js: skipped, 1024 KiB is over the 1024 KiB limit for javascript files"]


def test_project_files_are_collected_and_watched(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "package.json",
        "web/tsconfig.json",
        "web/tsconfig.base.json",
        "web/node_modules/x/package.json",
        "pnpm-workspace.yaml",
        "web/other.json",
    )
    result = discover(tmp_path)
    assert result.project_files == [
        "package.json", "pnpm-workspace.yaml", "web/tsconfig.base.json", "web/tsconfig.json",
    ]  # fmt: skip
    watched = {path for path, _ in result.watched}
    assert set(result.project_files) <= watched
    assert {"", "web", ".git/info/exclude"} <= watched
