"""Replaying a run when nothing it read has changed, with nothing but ``stat`` calls.

After a cached ``check``, archlint writes a manifest next to its cache: the ``stat`` of every
file and folder the run looked at (config candidates, every walked folder, every source
file, every .gitignore) and the run's findings. The next ``check`` from the same place first
re-``stat``s that list: when every entry is unchanged, the findings are replayed without
importing the config loader, the parsers or the graph. Any difference (a file edited,
added or removed: the folder's mtime moves; a config or .gitignore touched) falls back to
the ordinary run, which writes a fresh manifest.

A folder's mtime changes when an entry is added, removed or renamed in it, and a file's
ctime on every write (even when its mtime is put back), as git's index and untracked cache
rely on. Entries whose times fall within two seconds of the manifest are not trusted.

This module must stay cheap to import: nothing beyond a few C-backed standard modules.
"""

from __future__ import annotations

import marshal
import os
import time
import zlib
from array import array

from archlint.atomic import write_atomic

_LAYOUT = 1  # of the manifest files; bump it on any change
_CACHE_DIR_NAME = ".archlint_cache"
_RACY_WINDOW_NS = 2_000_000_000
_MISSING = (-1, -1, -1)

Stat = tuple[int, int, int] | None  # (size, mtime_ns, ctime_ns); None: did not exist


def stat_of(path: str) -> Stat:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def invocation_key(config_file: str | None, root: str | None, version: str) -> str:
    """What, besides the files, decides a run's findings: archlint and the two options that
    choose the configuration and the root. The folder a run starts from only matters
    through the config files found on the way up, which :func:`replay` checks."""
    return "\0".join((version, config_file or "", root or ""))


def check_key(
    config_file: str | None, root: str | None, select: tuple[str, ...], ignore: tuple[str, ...]
) -> str:
    """The key of an ``archlint check`` invocation: its config and root options, and the
    --select and --ignore tokens (they decide which rules run at all)."""
    from archlint import __version__

    chosen = "\0".join((__version__, ",".join(sorted(select)), ",".join(sorted(ignore))))
    return invocation_key(
        os.path.realpath(config_file) if config_file else None,
        os.path.realpath(root) if root else None,
        chosen,
    )


_CONFIG_NAMES = ("archlint.toml", "pyproject.toml")


def _manifest_path(root: str, key: str) -> str:
    # One small file per invocation, so a replay reads only its own.
    name = f"{zlib.crc32(key.encode()):08x}"  # the stored key settles any collision
    return os.path.join(root, _CACHE_DIR_NAME, f"manifest-{_LAYOUT}-{name}.bin")


def _flatten(stats: list[Stat]) -> array:
    """Stats as one flat array of integers (-1 for a missing file): compared in one go."""
    flat = array("q")
    for stat in stats:
        flat.extend(stat if stat is not None else _MISSING)
    return flat


def _current(paths: list[str]) -> array:
    flat = array("q")
    extend = flat.extend
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            extend(_MISSING)
            continue
        extend((info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    return flat


def replay(
    start: str, key: str, searches_config: bool
) -> tuple[str, list, int, list[str], tuple, tuple] | None:
    """(root, finding records, files, notes, config select, config ignore) or None.

    ``start`` is the absolute folder the invocation starts from. The manifest is looked for
    there and in every folder above it. When the run would search for its config file
    (``searches_config``), a folder passed on the way must hold no config candidate: one
    there could be the config this run would find instead.
    """
    folder = start
    while True:
        manifest = _manifest_path(folder, key)
        try:
            with open(manifest, "rb") as handle:
                entry = marshal.load(handle)
        except FileNotFoundError:
            entry = None
        except (OSError, EOFError, ValueError, TypeError):
            return None  # damaged: run normally, which rewrites it
        if entry is not None:
            try:
                if searches_config and not entry["config_found"] and folder != start:
                    return None  # without a config the root is the start folder itself
                return _validate(folder, key, entry)
            except (TypeError, ValueError, IndexError, KeyError, AttributeError):
                return None  # a foreign layout: run normally
        if searches_config and any(
            os.path.exists(os.path.join(folder, name)) for name in _CONFIG_NAMES
        ):
            return None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _validate(
    root: str, key: str, entry: dict
) -> tuple[str, list, int, list[str], tuple, tuple] | None:
    if entry["key"] != key or entry["newest"] >= entry["written"] - _RACY_WINDOW_NS:
        return None  # something changed too close to the recording to trust its times
    paths = entry["absolute"].split("\0") if entry["absolute"] else []
    prefix = root + os.sep
    if entry["relative"]:
        paths.extend(prefix + p for p in entry["relative"].split("\0"))
    recorded = array("q")
    recorded.frombytes(entry["stats"])
    if _current(paths) != recorded:
        return None
    return (
        root,
        entry["findings"],
        entry["files"],
        entry["notes"],
        tuple(entry["select"]),
        tuple(entry["ignore"]),
    )


def record(
    root: str,
    key: str,
    *,
    absolute: list[tuple[str, Stat]],
    relative: list[tuple[str, Stat]],
    config_found: bool,
    findings: list,
    files: int,
    notes: list[str],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    """Remember a run. Never raises: a manifest that cannot be written is only slower."""
    stats = [s for _, s in absolute] + [s for _, s in relative]
    times = [t for s in stats if s is not None for t in s[1:]]
    entry = {
        "key": key,
        "written": time.time_ns(),
        "newest": max(times, default=0),
        "absolute": "\0".join(p for p, _ in absolute),
        "relative": "\0".join(p for p, _ in relative),
        "stats": _flatten(stats).tobytes(),
        "config_found": config_found,
        "findings": findings,
        "files": files,
        "notes": notes,
        "select": list(select),
        "ignore": list(ignore),
    }
    try:
        write_atomic(_manifest_path(root, key), marshal.dumps(entry))
    except (OSError, ValueError):
        pass
