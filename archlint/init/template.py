"""``archlint init --template reference DIR``: copy a bundled example project.

The reference app lives in ``reference_app/`` in the source tree and ships in the wheel as
``archlint/templates/reference`` (bundled by hatch_build.py, as the presets are). What is copied is what
git would track: caches, virtual environments, ``node_modules``, build output, bytecode, local
databases and key files are left behind, and so is whatever the template's own
``.gitignore`` files ignore.
"""

from __future__ import annotations

import os
import shutil
from importlib import resources
from pathlib import Path

from archlint.discover import SKIPPED_DIR_NAMES
from archlint.errors import UsageError

TEMPLATES = {"reference": "reference_app"}  # name -> folder in the source tree
SKIPPED_FILE_SUFFIXES = (
    ".pyc",
    ".pyo",
    ".pem",
    ".key",
    ".p12",
    ".pfx",
    ".crt",
    ".db",
    ".db-journal",
    ".sqlite",
    ".sqlite3",
    ".log",
)
SKIPPED_FILE_NAMES = frozenset({".env", ".DS_Store", "id_rsa", "id_ed25519"})


def template_dir(name: str) -> Path:
    """The bundled template ``name``: ``archlint/templates/<name>`` in a wheel, else the
    source tree's folder."""
    if name not in TEMPLATES:
        raise UsageError(f"unknown template '{name}'; available: {', '.join(TEMPLATES)}")
    try:
        bundled = resources.files("archlint") / "templates" / name
    except (ModuleNotFoundError, TypeError):  # pragma: no cover
        bundled = None
    if isinstance(bundled, Path) and bundled.is_dir():
        return bundled
    import archlint

    source = Path(archlint.__file__).resolve().parent.parent / TEMPLATES[name]
    if not source.is_dir():
        raise UsageError(
            f"the '{name}' template is not bundled with this archlint (looked in {source})"
        )
    return source


def template_files(source: Path) -> list[str]:
    """The files of the template to copy, posix paths relative to ``source``, sorted."""
    from archlint.discover import _load_gitignore

    found: list[str] = []
    ignores: list[tuple[str, object]] = []

    def ignored(relpath: str, is_dir: bool) -> bool:
        verdict = False
        for base, spec in ignores:
            if base and not relpath.startswith(base + "/"):
                continue
            local = relpath[len(base) + 1 :] if base else relpath
            result = spec.check_file(local + "/" if is_dir else local)  # type: ignore[attr-defined]
            if result.include is not None:
                verdict = result.include
        return verdict

    def walk(folder: Path, relfolder: str) -> None:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
        names = {e.name for e in entries}
        if relfolder and "pyvenv.cfg" in names:
            return
        if ".gitignore" in names:
            spec = _load_gitignore(os.path.join(folder, ".gitignore"))
            if spec is not None:
                ignores.append((relfolder, spec))
        for entry in entries:
            relpath = f"{relfolder}/{entry.name}" if relfolder else entry.name
            if entry.is_symlink():
                continue
            if entry.is_dir():
                if entry.name in SKIPPED_DIR_NAMES or entry.name.endswith(".egg-info"):
                    continue
                if not ignored(relpath, True):
                    walk(Path(entry.path), relpath)
            elif entry.is_file():
                if entry.name in SKIPPED_FILE_NAMES or entry.name.endswith(SKIPPED_FILE_SUFFIXES):
                    continue
                if not ignored(relpath, False):
                    found.append(relpath)

    walk(source, "")
    return found


def copy_template(name: str, destination: Path, force: bool, dry_run: bool) -> list[str]:
    """Copy template ``name`` into ``destination``; the files copied (or, with ``dry_run``,
    that would be)."""
    source = template_dir(name)
    if destination.exists() and not destination.is_dir():
        raise UsageError(f"'{destination}' exists and is not a directory")
    if destination.is_dir() and any(destination.iterdir()) and not force:
        raise UsageError(
            f"'{destination}' is not empty; use --force to copy the template into it anyway"
            " (files of the same name are overwritten)"
        )
    files = template_files(source)
    if dry_run:
        return files
    for relpath in files:
        target = destination / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relpath, target)
    return files
