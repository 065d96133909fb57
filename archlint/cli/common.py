"""What every command shares: finding the project and its config, the common options,
writing the output, exit codes."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from archlint.errors import UsageError

if TYPE_CHECKING:  # pathlib costs ~5 ms to import: the replay path does without it
    from pathlib import Path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split_tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select AL1,layers --select AL104`` -> ("AL1", "layers", "AL104")."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def _start_folder(paths: tuple[str, ...]) -> str:
    """Where the search for the configuration starts: the first PATH's folder, or here."""
    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"path '{path}' does not exist")
    start = os.path.realpath(paths[0] if paths else ".")
    return start if os.path.isdir(start) else os.path.dirname(start)


def _default_root(paths: tuple[str, ...]) -> str | None:
    """The project root when no config is found, if not the start folder: for files only
    (a pre-commit hook passes the staged files), the current directory when it holds them
    all, so that they are checked within the whole project's graph."""
    if not paths or any(os.path.isdir(path) for path in paths):
        return None
    here = os.path.realpath(".")
    inside = all(os.path.realpath(p).startswith(here.rstrip(os.sep) + os.sep) for p in paths)
    return here if inside else None


def _locate(
    start_folder: str, config_file: str | None, root: str | None, default_root: str | None = None
) -> tuple[Path | None, Path, list[str]]:
    """(config file, project root, config candidates looked at on the way)."""
    from pathlib import Path

    from archlint.config.load import CONFIG_FILES, find_config

    start = Path(start_folder)
    looked_at: list[str] = []
    if config_file is not None:
        config_path: Path | None = Path(config_file).resolve()
        assert config_path is not None
        if not config_path.is_file():
            raise UsageError(f"config file '{config_file}' does not exist")
        looked_at.append(str(config_path))
    else:
        config_path = find_config(start)
        for folder in (start, *start.parents):
            for name in CONFIG_FILES:
                candidate = folder / name
                looked_at.append(str(candidate))
                if candidate == config_path:
                    break
            if config_path is not None and folder == config_path.parent:
                break
    if root is not None:
        project_root = Path(root).resolve()
        if not project_root.is_dir():
            raise UsageError(f"root '{root}' is not a directory")
    elif config_path is not None:
        project_root = config_path.parent
    else:
        project_root = Path(default_root) if default_root else start
    return config_path, project_root, looked_at


def _relative_paths(paths: tuple[str, ...], project_root: str) -> list[str]:
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


def _resolve_project(paths: tuple[str, ...], config_file: str | None, root: str | None):
    """The configuration and the paths (relative to the root) that findings must touch."""
    from archlint.config.load import load_config

    config_path, project_root, _ = _locate(_start_folder(paths), config_file, root, _default_root(paths))
    config = load_config(config_path, project_root)
    return config, _relative_paths(paths, str(project_root))


def _write_output(text: str, output: str | None, color: bool = False) -> None:
    """Print, or write the file atomically so a reader never sees half a report."""
    if output is None:
        click.echo(text, nl=False, color=color)  # click strips colour off a TTY otherwise
        return
    from pathlib import Path

    target = Path(output)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write '{output}': directory '{directory}' does not exist")
    from archlint.atomic import write_atomic

    write_atomic(target, text.encode("utf-8"))


def _use_color(output: str | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


_config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), default=None,
    help="Config file (archlint.toml or pyproject.toml); default: searched upward.",
)  # fmt: skip
_root_option = click.option(
    "--root", type=click.Path(file_okay=False), default=None,
    help="Project root; default: the config file's directory, else PATH.",
)  # fmt: skip
