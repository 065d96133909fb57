"""What every command shares: finding the project and its config, the common options,
writing the output, exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from archlint.errors import UsageError
from archlint.locate import default_root as _default_root
from archlint.locate import relative_paths as _relative_paths
from archlint.locate import start_folder as _start_folder

if TYPE_CHECKING:  # pathlib costs ~5 ms to import: the replay path does without it
    from pathlib import Path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split_tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select AL1,layers --select AL104`` -> ("AL1", "layers", "AL104")."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


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


_config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), default=None,
    help="Config file (archlint.toml or pyproject.toml); default: searched upward.",
)  # fmt: skip
_root_option = click.option(
    "--root", type=click.Path(file_okay=False), default=None,
    help="Project root; default: the config file's directory, else PATH.",
)  # fmt: skip
_no_cache_option = click.option(
    "--no-cache", is_flag=True, help="Neither read nor write .archlint_cache/."
)
_jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None,
    help="Worker processes for parsing and the one-file rules [default: CPU count].",
)  # fmt: skip
