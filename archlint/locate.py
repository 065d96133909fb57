"""Where a run starts and what its PATHs mean: shared by the CLI and the console entry's
replay (archlint/entry.py), so it imports nothing heavier than ``os``."""

from __future__ import annotations

import os
import sys

from archlint.errors import UsageError


def start_folder(paths: tuple[str, ...]) -> str:
    """Where the search for the configuration starts: the first PATH's folder, or here."""
    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"path '{path}' does not exist")
    start = os.path.realpath(paths[0] if paths else ".")
    return start if os.path.isdir(start) else os.path.dirname(start)


def default_root(paths: tuple[str, ...]) -> str | None:
    """The project root when no config is found, if not the start folder: for files only
    (a pre-commit hook passes the staged files), the current directory when it holds them
    all, so that they are checked within the whole project's graph."""
    if not paths or any(os.path.isdir(path) for path in paths):
        return None
    here = os.path.realpath(".")
    inside = all(os.path.realpath(p).startswith(here.rstrip(os.sep) + os.sep) for p in paths)
    return here if inside else None


def relative_paths(paths: tuple[str, ...], project_root: str) -> list[str]:
    """PATHs relative to the root, to limit findings to; empty for the whole project."""
    only: list[str] = []
    for path in paths:
        resolved = os.path.realpath(path)
        if resolved != project_root and not resolved.startswith(project_root.rstrip(os.sep) + os.sep):
            raise UsageError(f"path '{path}' is outside the project root '{project_root}'")
        relative = os.path.relpath(resolved, project_root).replace(os.sep, "/")
        if relative == ".":
            return []
        only.append(relative)
    return only


def use_color(output: str | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


BASELINE_NAME = ".archlint-baseline.json"


def uses_baseline(
    project_root: str, baseline_file: str | None, no_baseline: bool, update_baseline: bool
) -> bool:
    """Whether a check matches its findings against a baseline: one is named, one is to be
    updated, or the project root has one and --no-baseline was not given."""
    if baseline_file or update_baseline:
        return True
    return not no_baseline and os.path.isfile(os.path.join(project_root, BASELINE_NAME))
