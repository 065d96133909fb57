"""Reading one TOML file of settings: the user's config, a bundled preset or library list.

Every problem is a :class:`ConfigError` naming the file as messages show it and, when TOML
says where, the line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from archlint.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_TOML_LOCATION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working directory when inside."""
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except (ValueError, OSError):
            return str(path)
    return str(path)


def read_text(path: Path, name: str) -> str:
    """The file's text (UTF-8, a leading BOM dropped); ``name`` is how errors name it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file: {exc.strerror or exc}", path=name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"config file is not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=name, line=line
        ) from None
    return text.removeprefix("\ufeff")


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """The parsed document; a syntax error is a ConfigError at its line, without TOML's
    own "(at line ...)" suffix."""
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
        raise ConfigError(f"invalid TOML: {message}", path=name, line=line) from None
