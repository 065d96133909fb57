"""Hatch build hook: the wheel's bundled folders, file by file, as git sees them.

``rules/`` ships as ``archlint/presets`` (what ``extends`` reads) and ``reference_app/`` as
``archlint/templates/reference`` (what ``archlint init --template reference`` copies). A
static force-include would copy the folders as they are on disk, with whatever a working
tree has gathered there (``.archlint_cache/``, ``__pycache__/``, generated keys): every file
that a ``.gitignore`` on its way ignores is left out instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pathspec
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLED = {"rules": "archlint/presets", "reference_app": "archlint/templates/reference"}


def shipped_files(root: Path, folder: Path) -> list[Path]:
    """The files under ``folder`` that no .gitignore from ``root`` down ignores, sorted."""
    relative = folder.relative_to(root)
    above = [root / parent for parent in reversed(relative.parents)]  # root first
    specs = [(directory, _spec(directory / ".gitignore"))
             for directory in [*above, folder] if (directory / ".gitignore").is_file()]  # fmt: skip
    found: list[Path] = []
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        if here != folder and (here / ".gitignore").is_file():
            specs = [*specs, (here, _spec(here / ".gitignore"))]
        dirs[:] = sorted(d for d in dirs if not _ignored(here / d, specs, directory=True))
        found.extend(here / f for f in sorted(files) if not _ignored(here / f, specs, directory=False))
    return found


def _spec(path: Path) -> pathspec.PathSpec:
    return pathspec.GitIgnoreSpec.from_lines(path.read_text(encoding="utf-8").splitlines())


def _ignored(path: Path, specs: list[tuple[Path, pathspec.PathSpec]], directory: bool) -> bool:
    for base, spec in specs:
        try:
            relative = path.relative_to(base).as_posix()
        except ValueError:
            continue  # a sibling folder's .gitignore
        if spec.match_file(relative + ("/" if directory else "")):
            return True
    return False


class BundleHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "standard":  # an editable install reads the folders where they are
            return
        root = Path(self.root)
        for source, target in BUNDLED.items():
            for path in shipped_files(root, root / source):
                relative = path.relative_to(root / source).as_posix()
                build_data["force_include"][str(path)] = f"{target}/{relative}"
