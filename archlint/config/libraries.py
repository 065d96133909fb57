"""Library lists: named lists of packages that rules refer to (``db_clients``, ...).

The bundled defaults are ``rules/libraries.toml`` (``archlint/presets/libraries.toml`` in the
wheel): one ``name = [selectors]`` per list. A config changes them under ``[libraries]``:

    [libraries]
    db_clients = ["sqlalchemy", "npm:pg"]      # replaces the bundled list

    [libraries.extend]
    db_clients = ["mydb", "npm:@acme/db"]       # adds to it

Entries are selectors (README, "Selectors"): a bare name is the package in every ecosystem,
``npm:`` / ``pypi:`` / ``node:`` pick one, a scoped npm package is written as is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from archlint.config import presets
from archlint.config.document import parse_toml, read_text, shown
from archlint.config.locate import Locator
from archlint.config.model import Selector
from archlint.config.validate import (
    Context,
    parse_selector,
    string_list,
    suggest,
    type_name,
)
from archlint.errors import ConfigError

EXTEND_KEY = "extend"
_LIST_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

Libraries = dict[str, tuple[Selector, ...]]


def default_libraries() -> Libraries:
    """The bundled library lists, by name, in the order the file lists them."""
    path = presets.preset_dir() / presets.LIBRARIES_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1  # reading it reports why
    return dict(_bundled(str(path), stamp))


@lru_cache(maxsize=4)
def _bundled(path: str, stamp: int) -> tuple[tuple[str, tuple[Selector, ...]], ...]:
    where = shown(Path(path))
    text = read_text(Path(path), where)
    document = parse_toml(text, where)
    ctx = Context(path=where, locator=Locator(text))
    lists: list[tuple[str, tuple[Selector, ...]]] = []
    for name, entries in document.items():
        if not _LIST_NAME.match(name):
            raise ctx.error(f"invalid library list name '{name}': use lower_snake_case", name)
        lists.append((name, _selectors(ctx, entries, f"library list '{name}'", (name,))))
    return tuple(lists)


def apply_libraries(ctx: Context, value: Any, lists: Libraries, known: tuple[str, ...]) -> None:
    """Apply one file's ``[libraries]`` table to ``lists``: replace, then extend, in place.

    ``known`` are the bundled list names: any other name is a ConfigError.
    """
    label = f"[{ctx.table('libraries')}]"
    if not isinstance(value, dict):
        raise ctx.error(
            f"'libraries' must be a table of name = [packages], not {type_name(value)}",
            "libraries",
        )
    for name, entries in value.items():
        if name == EXTEND_KEY:
            continue
        _known(ctx, name, known, label, ("libraries", name))
        lists[name] = _selectors(ctx, entries, f"library list '{name}'", ("libraries", name))
    extend = value.get(EXTEND_KEY)
    if extend is None:
        return
    where = ("libraries", EXTEND_KEY)
    label = f"[{ctx.table('libraries', EXTEND_KEY)}]"
    if not isinstance(extend, dict):
        raise ctx.error(
            f"'libraries.extend' must be a table of name = [packages to add],"
            f" not {type_name(extend)}",
            *where,
        )
    for name, entries in extend.items():
        _known(ctx, name, known, label, (*where, name))
        added = _selectors(ctx, entries, f"'libraries.extend.{name}'", (*where, name))
        present = {selector.text for selector in lists.get(name, ())}
        lists[name] = lists.get(name, ()) + tuple(s for s in added if s.text not in present)


def _known(
    ctx: Context, name: str, known: tuple[str, ...], label: str, where: tuple[str | int, ...]
) -> None:
    if name in known:
        return
    hint = suggest(name, known)
    if not hint:
        hint = f" (the lists are: {', '.join(known)})"
    raise ctx.error(f"unknown library list '{name}' in {label}{hint}", *where)


def _selectors(
    ctx: Context, value: Any, label: str, where: tuple[str | int, ...]
) -> tuple[Selector, ...]:
    if not isinstance(value, list):
        raise ctx.error(
            f"{label} must be a list of packages (strings), not {type_name(value)}", *where
        )
    string_list(ctx, value, label, *where)
    selectors: list[Selector] = []
    for index, entry in enumerate(value):
        try:
            selectors.append(parse_selector(entry))
        except ConfigError as exc:
            raise ctx.error(f"{exc.message} in {label}", *where, index) from None
    return tuple(selectors)
