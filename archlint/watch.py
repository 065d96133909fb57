"""`archlint check --watch`: check, then check again whenever a file that matters changes.

For a terminal beside the editor. Each re-check is an ordinary run, so it is fast through
the cache: only the files that changed are parsed again. A configuration error while the
config is being edited is printed and waited out, not fatal; Ctrl-C ends the watch (exit 0).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from archlint.cache import CACHE_DIR_NAME
from archlint.discover import LANGUAGE_BY_SUFFIX, PROJECT_FILE_NAMES
from archlint.errors import ArchlintError

# Besides sources: what changes a run's answer (configs, ignore files, resolution configs).
WATCHED_NAMES = frozenset({*PROJECT_FILE_NAMES, "archlint.toml", "pyproject.toml", ".gitignore"})
IGNORED_DIRS = frozenset({CACHE_DIR_NAME, ".git", ".hg", ".svn", "node_modules", ".venv", "venv",
                          "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tox",
                          "dist", "build", ".next", "coverage"})  # fmt: skip


def matters(path: str) -> bool:
    """Whether a change to ``path`` can change the findings."""
    parts = Path(path).parts
    if any(part in IGNORED_DIRS for part in parts[:-1]):
        return False
    name = parts[-1] if parts else ""
    if name in WATCHED_NAMES or (name.startswith("tsconfig") and name.endswith(".json")):
        return True
    suffix = name[name.rfind(".") :] if "." in name else ""
    return suffix in LANGUAGE_BY_SUFFIX


def _names(changes: Iterable[tuple[object, str]], root: Path) -> list[str]:
    names = set()
    for _, path in changes:
        try:
            names.add(Path(path).relative_to(root).as_posix())
        except ValueError:
            names.add(path)
    return sorted(names)


def watch(root: Path, check_once: Callable[[], int], stop_after: int | None = None) -> int:
    """Run ``check_once`` now and after every change under ``root``; 0 when interrupted.
    ``stop_after``: end after that many re-checks (for tests)."""
    from watchfiles import watch as changes_of

    def run() -> None:
        try:
            check_once()
        except ArchlintError as error:  # a config half-edited: say so, wait for the fix
            click.echo(f"archlint: error: {error}", err=True)
        except click.ClickException as error:
            error.show()

    run()
    click.echo(f"archlint: watching {root} for changes (Ctrl-C to stop)", err=True)
    rechecks = 0
    try:
        for changes in changes_of(root, watch_filter=lambda _, path: matters(path),
                                  raise_interrupt=False):  # fmt: skip
            names = _names(changes, root)
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            click.echo(f"\narchlint: {time.strftime('%H:%M:%S')} {shown} changed, checking again",
                       err=True)  # fmt: skip
            run()
            rechecks += 1
            if stop_after is not None and rechecks >= stop_after:
                break
    except KeyboardInterrupt:
        pass
    return 0
