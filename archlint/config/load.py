"""Finding, reading and validating the configuration into a :class:`Config`.

The settings live in ``archlint.toml`` (keys at top level) or in ``pyproject.toml`` under
``[tool.archlint]``. Every problem is a :class:`ConfigError` naming the file and, where the
:class:`Locator` finds it, the line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from archlint.config.contracts import parse_contracts
from archlint.config.locate import Locator
from archlint.config.model import Component, Config, Selector
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

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["CONFIG_FILES", "find_config", "load_config", "parse_selector"]

CONFIG_FILES = ("archlint.toml", "pyproject.toml")
TOP_LEVEL_KEYS = ("include", "exclude", "python", "components", "contracts", "select", "ignore")
NOT_SUPPORTED_YET = ("rules", "preset")
PYTHON_KEYS = ("roots",)

_PYPROJECT_PREFIX = ("tool", "archlint")
_TOML_LOCATION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
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
    """Read and validate the configuration at ``path``; defaults when ``path`` is None.

    ``root`` defaults to the directory holding the config file (or the current directory
    when there is no file). Raises :class:`ConfigError` on any problem.
    """
    if path is None:
        return Config(root=(root if root is not None else Path.cwd()).resolve())
    shown = _shown(path)
    text = _read(path, shown)
    document = _parse(text, shown)
    if path.name == CONFIG_FILES[1]:
        locator = Locator(text, _PYPROJECT_PREFIX)
        tool = document.get("tool")
        table = tool.get("archlint") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError("no [tool.archlint] table in pyproject.toml", path=shown)
        if not isinstance(table, dict):
            raise ConfigError(
                f"'tool.archlint' must be a table, not {type_name(table)}",
                path=shown,
                line=locator.near(),
            )
    else:
        locator = Locator(text)
        table = document
    resolved = path.resolve()
    ctx = Context(path=shown, locator=locator)
    return _build(ctx, table, (root if root is not None else resolved.parent).resolve(), resolved)


def _shown(path: Path) -> str:
    """The config path as messages show it: relative to the working directory when inside."""
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except (ValueError, OSError):
            return str(path)
    return str(path)


def _read(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file: {exc.strerror or exc}", path=shown) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"config file is not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=shown, line=line
        ) from None
    return text.removeprefix("\ufeff")


def _parse(text: str, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(getattr(exc, "msg", None) or exc)
        line: int | None = getattr(exc, "lineno", None)
        match = _TOML_LOCATION.search(message)
        if match:
            line = line or int(match.group(1))
            message = message[: match.start()]
        elif _TOML_AT_END.search(message):
            line = line or max(len(text.splitlines()), 1)
            message = _TOML_AT_END.sub("", message)
        raise ConfigError(f"invalid TOML: {message}", path=shown, line=line) from None


def _build(ctx: Context, table: dict[str, Any], root: Path, path: Path) -> Config:
    for key in table:
        if key in TOP_LEVEL_KEYS:
            continue
        if key in NOT_SUPPORTED_YET:
            raise ctx.error(f"'{key}' is not supported yet", key)
        if key == "tool" and not ctx.locator.prefix:
            raise ctx.error(
                "unknown key 'tool' (outside pyproject.toml, write the settings at the top"
                " level, without [tool.archlint])",
                key,
            )
        if ctx.locator.prefix:
            raise ctx.error(unknown_key(key, TOP_LEVEL_KEYS, f"[{ctx.table()}]"), key)
        raise ctx.error(f"unknown key '{key}'{suggest(key, TOP_LEVEL_KEYS)}", key)
    components = _components(ctx, table.get("components", {}))
    return Config(
        root=root,
        path=path,
        include=_path_globs(ctx, table.get("include", []), "include"),
        exclude=_path_globs(ctx, table.get("exclude", []), "exclude"),
        python_roots=_python_roots(ctx, table.get("python", {})),
        components=components,
        contracts=parse_contracts(ctx, table.get("contracts", []), components),
        select=_rule_selectors(ctx, table.get("select", []), "select"),
        ignore=_rule_selectors(ctx, table.get("ignore", []), "ignore"),
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


def _components(ctx: Context, value: Any) -> dict[str, Component]:
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
        if not entries:
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
