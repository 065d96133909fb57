"""Finding, reading and validating the configuration into a :class:`Config`.

The settings live in ``archlint.toml`` (keys at top level) or in ``pyproject.toml`` under
``[tool.archlint]``. Every problem is a :class:`ConfigError` naming the file and, where the
:class:`Locator` finds it, the line.

A config may ``extends`` bundled presets (:mod:`archlint.config.presets`); without any config
file a project is checked with ``fullstack``. The files apply in order, presets first:

* ``include``, ``exclude``, ``select``, ``ignore``, ``python.roots``: the last file that gives
  the key wins;
* ``components``: a component of the same name replaces the earlier one's selectors (``[]``
  empties a preset's component: "this project has none");
* ``contracts``: added in order; one with the name of an earlier file's contract replaces it
  in place. Contracts from presets are ``optional``; every contract is checked against the
  components as they stand after all files;
* ``rules.<name>``: merged key by key; ``libraries``: see :mod:`archlint.config.libraries`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from archlint.config.contracts import parse_contracts
from archlint.config.document import parse_toml, read_text, shown, tomllib
from archlint.config.libraries import apply_libraries, default_libraries
from archlint.config.locate import Locator
from archlint.config.model import Component, Config, ContractSpec, Selector
from archlint.config.presets import Source, default_sources, expand
from archlint.config.rule_options import parse_rule_tables
from archlint.config.validate import (
    NAME_RE,
    Context,
    parse_selector,
    string_list,
    suggest,
    type_name,
    unknown_key,
)
from archlint.errors import ConfigError
from archlint.globs import PatternError, compile_path_glob

__all__ = ["CONFIG_FILES", "find_config", "load_config", "parse_selector"]

CONFIG_FILES = ("archlint.toml", "pyproject.toml")
TOP_LEVEL_KEYS = (
    "extends",
    "include",
    "exclude",
    "python",
    "sql",
    "components",
    "contracts",
    "select",
    "ignore",
    "rules",
    "libraries",
)
KEY_HINTS = {"preset": "extends", "presets": "extends", "extend": "extends"}
PYTHON_KEYS = ("roots",)
SQL_KEYS = ("dialect",)

_PYPROJECT_PREFIX = ("tool", "archlint")
_MENTIONS_TABLE = re.compile(rb"tool\s*\.\s*[\"']?archlint")
_RULE_SELECTOR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def find_config(start: Path) -> Path | None:
    """Search upward from ``start`` (a file or directory) for the configuration file.

    In each directory ``archlint.toml`` wins over ``pyproject.toml``; a ``pyproject.toml``
    without a ``[tool.archlint]`` table is skipped. The search stops at the filesystem root.
    """
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_FILES[0]
        if candidate.is_file():
            return candidate
        candidate = folder / CONFIG_FILES[1]
        if candidate.is_file() and _has_archlint_table(candidate):
            return candidate
    return None


def _has_archlint_table(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    try:
        document = tomllib.loads(data.decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        # A broken file that seems to configure archlint: pick it, so loading reports why.
        return _MENTIONS_TABLE.search(data) is not None
    tool = document.get("tool")
    return isinstance(tool, dict) and "archlint" in tool


def load_config(path: Path | None, root: Path | None = None) -> Config:
    """Read and validate the configuration at ``path``; the ``fullstack`` preset when
    ``path`` is None.

    ``root`` defaults to the directory holding the config file (or the current directory
    when there is no file). Raises :class:`ConfigError` on any problem.
    """
    if path is None:
        base = (root if root is not None else Path.cwd()).resolve()
        return _build(default_sources(), base, None)
    name = shown(path)
    text = read_text(path, name)
    document = parse_toml(text, name)
    if path.name == CONFIG_FILES[1]:
        locator = Locator(text, _PYPROJECT_PREFIX)
        tool = document.get("tool")
        table = tool.get("archlint") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError("no [tool.archlint] table in pyproject.toml", path=name)
        if not isinstance(table, dict):
            raise ConfigError(
                f"'tool.archlint' must be a table, not {type_name(table)}",
                path=name,
                line=locator.near(),
            )
    else:
        locator = Locator(text)
        table = document
    resolved = path.resolve()
    user = Source(Context(path=name, locator=locator), table)
    _check_keys(user.ctx, table)
    sources = [*expand(user), user]
    return _build(sources, (root if root is not None else resolved.parent).resolve(), resolved)


def _check_keys(ctx: Context, table: dict[str, Any]) -> None:
    for key in table:
        if key in TOP_LEVEL_KEYS:
            continue
        if key == "tool" and not ctx.locator.prefix:
            raise ctx.error(
                "unknown key 'tool' (outside pyproject.toml, write the settings at the top"
                " level, without [tool.archlint])",
                key,
            )
        where = f" in [{ctx.table()}]" if ctx.locator.prefix else ""
        hint = f" (did you mean '{KEY_HINTS[key]}'?)" if key in KEY_HINTS else ""
        raise ctx.error(f"unknown key '{key}'{where}{hint or suggest(key, TOP_LEVEL_KEYS)}", key)


def _build(sources: list[Source], root: Path, path: Path | None) -> Config:
    """Apply the files in order (presets first) into one :class:`Config`."""
    settings: dict[str, tuple[str, ...]] = {}
    components: dict[str, Component] = {}
    rules: dict[str, dict[str, object]] = {}
    libraries = default_libraries()
    known_lists = tuple(libraries)
    for source in sources:
        ctx, table = source.ctx, source.table
        if source.preset is not None:
            _check_keys(ctx, table)
        for key in ("include", "exclude"):
            if key in table:
                settings[key] = _path_globs(ctx, table[key], key)
        for key in ("select", "ignore"):
            if key in table:
                settings[key] = _rule_selectors(ctx, table[key], key)
        if "python" in table:
            roots = _python_roots(ctx, table["python"])
            if "roots" in table["python"]:
                settings["python.roots"] = roots
        if "sql" in table:
            settings["sql.dialect"] = (_sql_dialect(ctx, table["sql"]),)
        components.update(_components(ctx, table.get("components", {}), components))
        for name, options in parse_rule_tables(ctx, table.get("rules", {})).items():
            rules.setdefault(name, {}).update(options)
        if "libraries" in table:
            apply_libraries(ctx, table["libraries"], libraries, known_lists)
    contracts: list[ContractSpec] = []
    position: dict[str, int] = {}
    for source in sources:
        for spec in parse_contracts(source.ctx, source.table.get("contracts", []), components):
            if source.preset is not None:  # absolute: the same from any working directory
                origin = str(Path(source.ctx.path).resolve())
                spec = dataclasses.replace(spec, optional=True, origin=origin)
            if spec.name in position:
                contracts[position[spec.name]] = spec
            else:
                position[spec.name] = len(contracts)
                contracts.append(spec)
    return Config(
        root=root,
        path=path,
        include=settings.get("include", ()),
        exclude=settings.get("exclude", ()),
        python_roots=settings.get("python.roots", ()),
        sql_dialect=(settings.get("sql.dialect") or (None,))[0],
        components=components,
        contracts=tuple(contracts),
        select=settings.get("select", ()),
        ignore=settings.get("ignore", ()),
        rules=rules,
        libraries=libraries,
        presets=tuple(source.preset for source in sources if source.preset is not None),
    )


def _escapes_root(text: str) -> str:
    """Why a path is not inside the root, or an empty string."""
    if (
        PurePosixPath(text).is_absolute()
        or PureWindowsPath(text).is_absolute()
        or PureWindowsPath(text).drive
        or text.startswith("~")
    ):
        return f"'{text}' must be relative to the root"
    if ".." in text.replace("\\", "/").split("/"):
        return f"'{text}' must not leave the root ('..')"
    return ""


def _path_globs(ctx: Context, value: Any, key: str) -> tuple[str, ...]:
    items = string_list(ctx, value, f"'{key}'", key)
    for index, item in enumerate(items):
        problem = _escapes_root(item.strip())
        if not problem:
            try:
                compile_path_glob(item)
            except PatternError as exc:
                problem = str(exc)
        if problem:
            raise ctx.error(f"invalid path in '{key}': {problem}", key, index)
    return tuple(item.strip() for item in items)


def _python_roots(ctx: Context, value: Any) -> tuple[str, ...]:
    if not isinstance(value, dict):
        raise ctx.error(f"'python' must be a table, not {type_name(value)}", "python")
    for key in value:
        if key not in PYTHON_KEYS:
            raise ctx.error(unknown_key(key, PYTHON_KEYS, "'python'"), "python", key)
    items = string_list(ctx, value.get("roots", []), "'python.roots'", "python", "roots")
    roots: list[str] = []
    for index, item in enumerate(items):
        text = item.strip()
        problem = _escapes_root(text)
        while text.startswith("./"):
            text = text[2:]
        text = text.rstrip("/") or "."
        if not problem and text != ".":
            try:
                compile_path_glob(text)
            except PatternError as exc:
                problem = str(exc)
        if problem:
            raise ctx.error(f"invalid path in 'python.roots': {problem}", "python", "roots", index)
        roots.append(text)
    return tuple(roots)


def _sql_dialect(ctx: Context, value: Any) -> str | None:
    """``sql.dialect``: which parser reads the project's ``*.sql`` files (default: each
    file's own markers, else PostgreSQL). "" sets it back to that default."""
    if not isinstance(value, dict):
        raise ctx.error(f"'sql' must be a table, not {type_name(value)}", "sql")
    for key in value:
        if key not in SQL_KEYS:
            raise ctx.error(unknown_key(key, SQL_KEYS, "'sql'"), "sql", key)
    dialect = value.get("dialect", "")
    if not isinstance(dialect, str):
        raise ctx.error(f"'sql.dialect' must be a string, not {type_name(dialect)}", "sql", "dialect")
    name = dialect.strip().lower()
    if not name:
        return None
    from archlint.frontends.sql_dialects import known_dialects

    known = known_dialects()
    if name not in known:
        raise ctx.error(
            f"unknown SQL dialect '{dialect}' in 'sql.dialect'{suggest(name, known)}; known: "
            + ", ".join(sorted(known)),
            "sql", "dialect",
        )  # fmt: skip
    return name


def _components(
    ctx: Context, value: Any, inherited: Collection[str] = ()
) -> dict[str, Component]:
    """One file's components; ``[]`` is allowed only to empty an ``inherited`` one."""
    if not isinstance(value, dict):
        raise ctx.error(
            f"'components' must be a table of name = [selectors], not {type_name(value)}",
            "components",
        )
    components: dict[str, Component] = {}
    for name, entries in value.items():
        where = ("components", name)
        if not NAME_RE.match(name):
            raise ctx.error(
                f"invalid component name '{name}': use letters, digits, '_' and '-'", *where
            )
        label = f"component '{name}'"
        if not isinstance(entries, list):
            raise ctx.error(
                f"{label} must be a list of selectors (strings), not {type_name(entries)}", *where
            )
        string_list(ctx, entries, label, *where)
        if not entries and name not in inherited:
            raise ctx.error(f"{label} has no selectors", *where)
        selectors: list[Selector] = []
        for index, entry in enumerate(entries):
            try:
                selectors.append(parse_selector(entry))
            except ConfigError as exc:
                raise ctx.error(f"{exc.message} in {label}", *where, index) from None
        components[name] = Component(
            name=name, selectors=tuple(selectors), line=ctx.locator.line(*where)
        )
    return components


def _rule_selectors(ctx: Context, value: Any, key: str) -> tuple[str, ...]:
    items = string_list(ctx, value, f"'{key}'", key)
    for index, item in enumerate(items):
        if not _RULE_SELECTOR.match(item.strip()):
            raise ctx.error(
                f"invalid entry '{item}' in '{key}': expected a rule code, code prefix"
                " or rule name",
                key,
                index,
            )
    return tuple(item.strip() for item in items)
