"""Bundled presets: finding them, and expanding ``extends`` into the files to apply, in order.

A preset is a TOML file of ordinary settings (components, contracts, ...) shipped with
archlint: ``rules/<name>.toml`` in the source tree, ``archlint/presets/<name>.toml`` in the
wheel. ``extends = ["fullstack"]`` (or ``extends = "fullstack"``) applies the named presets
first, each after the presets it extends itself, then the file that names them; a preset
reached twice is applied once, where it is first reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from archlint.config.document import parse_toml, read_text, shown
from archlint.config.locate import Locator
from archlint.config.validate import Context, string_list, suggest, type_name
from archlint.errors import ConfigError

DEFAULT_PRESETS = ("fullstack",)  # what a project without any config file is checked with
LIBRARIES_FILE = "libraries.toml"  # lives with the presets, but is not one
_SUFFIX = ".toml"


@dataclass(frozen=True, slots=True)
class Source:
    """One file of settings, in the order the files apply: presets first, the user last."""

    ctx: Context
    table: dict[str, Any]
    preset: str | None = None  # the preset's name; None for the user's own config file


def preset_dir() -> Path:
    """The folder of the bundled presets.

    ``archlint/presets/`` inside an installed wheel (hatch_build.py bundles ``rules/`` there);
    else, in a source checkout or an editable install, the repository's ``rules/`` folder.
    """
    try:
        bundled = resources.files("archlint") / "presets"
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - archlint not importable
        bundled = None
    if isinstance(bundled, Path) and bundled.is_dir():
        return bundled
    import archlint

    return Path(archlint.__file__).resolve().parent.parent / "rules"


def available_presets() -> list[str]:
    """The names of the bundled presets, sorted (``libraries.toml`` is not a preset)."""
    try:
        files = list(preset_dir().iterdir())
    except OSError:
        return []
    return sorted(
        path.name[: -len(_SUFFIX)]
        for path in files
        if path.name.endswith(_SUFFIX) and path.name != LIBRARIES_FILE and path.is_file()
    )


def load_preset(name: str) -> Source:
    """Read one bundled preset by name (the name must be one of :func:`available_presets`)."""
    path = preset_dir() / f"{name}{_SUFFIX}"
    where = shown(path)
    text = read_text(path, where)
    return Source(Context(path=where, locator=Locator(text)), parse_toml(text, where), name)


def expand(source: Source) -> list[Source]:
    """The presets ``source`` extends, recursively, in the order they apply (not ``source``).

    Each preset comes after the presets it extends itself. A preset reached a second time
    (``fullstack`` and ``django`` both extend ``backend``) is not applied again; a preset
    that extends itself, directly or through others, is a ConfigError at that entry.
    """
    order: list[Source] = []
    done: set[str] = set()

    def visit(current: Source, stack: tuple[str, ...]) -> None:
        for name, where in _extends(current.ctx, current.table):
            if name in stack:
                cycle = " -> ".join((*stack, name))
                raise current.ctx.error(f"presets extend each other in a cycle: {cycle}", *where)
            if name in done:
                continue
            preset = load_preset(name)
            visit(preset, (*stack, name))
            done.add(name)
            order.append(preset)

    visit(source, (source.preset,) if source.preset else ())
    return order


def default_sources() -> list[Source]:
    """The presets a project without a config file is checked with, in order."""
    known = available_presets()
    for name in DEFAULT_PRESETS:
        if name not in known:
            raise ConfigError(
                f"archlint's bundled preset '{name}' is missing (looked in {preset_dir()});"
                " write a config file, or reinstall archlint"
            )
    extends = list(DEFAULT_PRESETS)
    root = Source(Context(path="<defaults>", locator=Locator("")), {"extends": extends})
    return expand(root)


def _extends(ctx: Context, table: dict[str, Any]) -> list[tuple[str, tuple[str | int, ...]]]:
    """The preset names of ``extends`` with where each is written; checked against the
    bundled presets."""
    if "extends" not in table:
        return []
    value = table["extends"]
    entries: list[tuple[str, tuple[str | int, ...]]]
    if isinstance(value, str):
        if not value.strip():
            raise ctx.error("'extends' must not be empty", "extends")
        entries = [(value.strip(), ("extends",))]
    elif isinstance(value, list):
        items = string_list(ctx, value, "'extends'", "extends")
        entries = [(item.strip(), ("extends", index)) for index, item in enumerate(items)]
    else:
        raise ctx.error(
            f"'extends' must be a preset name or a list of preset names, not {type_name(value)}",
            "extends",
        )
    known = available_presets()
    seen: set[str] = set()
    for name, where in entries:
        if name in seen:
            raise ctx.error(f"preset '{name}' is listed twice in 'extends'", *where)
        seen.add(name)
        if name not in known:
            listed = ", ".join(known) if known else f"none (no presets in {preset_dir()})"
            hint = suggest(name.removesuffix(_SUFFIX), known)
            raise ctx.error(
                f"unknown preset '{name}' in 'extends'{hint}; available presets: {listed}",
                *where,
            )
    return entries
