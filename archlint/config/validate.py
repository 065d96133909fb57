"""Shared pieces of config validation: error context, type checks, selectors, suggestions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from archlint.config.locate import Locator
from archlint.config.model import SELECTOR_EXTERNAL, SELECTOR_MODULE, SELECTOR_PATH, Selector
from archlint.errors import ConfigError
from archlint.globs import PatternError, compile_module_pattern, compile_path_glob, is_wildcard

ECOSYSTEMS = ("pypi", "npm", "node")  # node: Node.js built-ins ("node:fs")
NAME_RE = re.compile(r"^[A-Za-z0-9_-]+$")  # a component name; bare words in contracts
_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):")
_NPM_NAME = re.compile(r"^(@[A-Za-z0-9._~-]+/)?[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$")


@dataclass(frozen=True, slots=True)
class Context:
    """Where errors point: the config file as messages name it, and its line locator."""

    path: str
    locator: Locator

    def error(self, message: str, *where: str | int) -> ConfigError:
        """A ConfigError at the line of ``where`` (a key path below the archlint table)."""
        return ConfigError(message, path=self.path, line=self.locator.near(*where))

    def table(self, *keys: str) -> str:
        """A table's name as the user writes it: ``tool.archlint.contracts`` in pyproject."""
        return ".".join(self.locator.prefix + keys)


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def type_name(value: Any) -> str:
    """The TOML name of a parsed value's type, with an article, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, (datetime, date, time)):
        return "a date/time"
    return type(value).__name__


def string_list(ctx: Context, value: Any, label: str, *where: str | int) -> list[str]:
    """``value`` as a list of non-empty strings, else a ConfigError naming ``label``."""
    if not isinstance(value, list):
        raise ctx.error(f"{label} must be a list of strings, not {type_name(value)}", *where)
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise ctx.error(
                f"{label} must be a list of strings (item {index + 1} is {type_name(item)})",
                *where,
                index,
            )
        if not item.strip():
            raise ctx.error(f"{label} must not contain an empty string", *where, index)
    return value


def boolean(ctx: Context, value: Any, label: str, *where: str | int) -> bool:
    if not isinstance(value, bool):
        raise ctx.error(f"{label} must be true or false, not {type_name(value)}", *where)
    return value


def unknown_key(key: str, known: Iterable[str], where: str) -> str:
    """The message for a key that is not allowed: ``unknown key 'x' in <where> (did ...)``."""
    return f"unknown key '{key}' in {where}{suggest(key, known)}"


def parse_selector(text: str) -> Selector:
    """Classify and validate one selector as written in a component or a contract.

    ``pypi:x`` / ``npm:x`` force an external package; text with a ``/`` is a path glob;
    anything else is a dotted module pattern. Raises ConfigError (without a location).
    """
    if not isinstance(text, str) or not text.strip():
        raise ConfigError("empty selector")
    text = text.strip()
    prefix = _PREFIX.match(text)
    if prefix:
        return _external(text, prefix.group(1))
    if text.startswith("@") and not is_wildcard(text):
        return _external(f"npm:{text}", "npm", written=text)  # a scoped npm package
    if "/" in text:
        try:
            compile_path_glob(text)
        except PatternError as exc:
            raise ConfigError(f"invalid path selector '{text}': {exc}") from None
        return Selector(text=text, kind=SELECTOR_PATH, pattern=text)
    try:
        compile_module_pattern(text)
    except PatternError as exc:
        raise ConfigError(f"invalid selector '{text}': {exc}") from None
    return Selector(text=text, kind=SELECTOR_MODULE, pattern=text)


def _external(text: str, ecosystem: str, written: str | None = None) -> Selector:
    if ecosystem not in ECOSYSTEMS:
        hint = suggest(ecosystem, ECOSYSTEMS, cutoff=0.5)
        hint = hint.replace("'?)", ":'?)") if hint else " (expected 'pypi:' or 'npm:')"
        raise ConfigError(f"unknown prefix '{ecosystem}:' in selector '{text}'{hint}")
    name = text[len(ecosystem) + 1 :].strip()
    if not name:
        raise ConfigError(f"selector '{text}' needs a package name after '{ecosystem}:'")
    if is_wildcard(name):
        raise ConfigError(f"external selector '{text}' cannot contain wildcards")
    if ecosystem == "pypi":
        try:
            compile_module_pattern(name)
        except PatternError as exc:
            raise ConfigError(f"invalid package in selector '{text}': {exc}") from None
    elif not _NPM_NAME.match(name):
        raise ConfigError(f"invalid {ecosystem} module name in selector '{written or text}'")
    return Selector(
        text=written or text, kind=SELECTOR_EXTERNAL, pattern=name, ecosystem=ecosystem
    )

