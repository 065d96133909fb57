"""Writing the config ``archlint init`` planned: ``archlint.toml``, or a ``[tool.archlint]``
table in an existing ``pyproject.toml`` whose other content stays byte for byte.

The TOML is rendered here, with a comment above each entry saying why it is there.
``pyproject.toml`` is read with tomlkit (imported only then): an old ``[tool.archlint]``
(with ``--force``) is removed through it, and the new table is appended at the end of the
file, so no other table, comment or blank line moves.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from archlint.config.document import tomllib
from archlint.errors import ConfigError
from archlint.init.plan import ComponentPlan, Plan

ARCHLINT_TOML, PYPROJECT_TOML = "archlint.toml", "pyproject.toml"
WIDTH = 96


@dataclass(frozen=True, slots=True)
class Target:
    path: Path
    kind: str  # "archlint" | "pyproject"
    configured: bool  # it already holds archlint's configuration


def choose_target(root: Path) -> Target:
    """``archlint.toml``; or the ``pyproject.toml`` there when there is no archlint.toml."""
    archlint, pyproject = root / ARCHLINT_TOML, root / PYPROJECT_TOML
    if archlint.exists():
        return Target(archlint, "archlint", True)
    if pyproject.is_file():
        return Target(pyproject, "pyproject", _has_table(pyproject))
    return Target(archlint, "archlint", False)


def _has_table(path: Path) -> bool:
    from archlint.config.load import _has_archlint_table

    return _has_archlint_table(path)


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _comment(lines: list[str], indent: str = "", hang: str = "  ") -> list[str]:
    """Comment lines, wrapped; a wrapped line's continuation is indented by ``hang``."""
    out: list[str] = []
    for line in lines:
        wrapped = textwrap.wrap(
            line, WIDTH - len(indent) - 2, break_long_words=False, break_on_hyphens=False
        ) or [""]
        out.extend(f"{indent}# {hang * (n > 0)}{w}" for n, w in enumerate(wrapped))
    return out


def _array(values: list[str]) -> str:
    inline = "[" + ", ".join(_string(v) for v in values) + "]"
    if len(inline) <= 60:
        return inline
    return "[\n" + "".join(f"    {_string(v)},\n" for v in values) + "]"


def _component(component: ComponentPlan) -> list[str]:
    lines = _comment(component.reasons)
    name = component.name
    if not component.inherited:
        return [*lines, f"{name} = {_array(component.added)}"]
    lines.append(f"{name} = [")
    lines.extend(_comment([f"from the {component.preset or 'presets'} preset:"], "    "))
    lines.extend(f"    {_string(s)}," for s in component.inherited)
    lines.extend(_comment(["added for this project:"], "    "))
    lines.extend(f"    {_string(s)}," for s in component.added)
    lines.append("]")
    return lines


def render(plan: Plan, prefix: str = "") -> str:
    """The config as TOML; ``prefix`` "tool.archlint" for pyproject.toml."""
    lines = [
        "# archlint's configuration, written by `archlint init` from what it found in this",
        "# project: each comment says why the entry below it is here. Edit freely (README,",
        '# "Configuration reference"); `archlint check` checks the project against it.',
    ]
    if prefix:
        lines = [f"[{prefix}]", *lines]
    lines.append("")
    lines.extend(_comment(plan.extends_reasons))
    lines.append(f"extends = {_array(plan.extends)}")
    if plan.python_roots:
        lines.append("")
        lines.extend(
            _comment(
                [
                    (
                        "Python import roots the defaults (the first folder above a file without an"
                        " __init__.py) get wrong:"
                    ),
                    *plan.roots_reasons,
                ]
            )
        )
        lines.append(f"python.roots = {_array(plan.python_roots)}")
    if plan.components:
        lines.extend(["", f"[{prefix + '.' if prefix else ''}components]"])
        lines.extend(
            _comment(
                hang="",
                lines=[
                    (
                        "A component written here replaces the presets' list of the same name, so"
                        " each one below repeats the preset's selectors that can match a file of"
                        " this project, then adds this project's."
                    ),
                ],
            )
        )
        lines.append("")
        for index, component in enumerate(plan.components):
            lines.extend([""] * (index > 0) + _component(component))
    for contract in plan.contracts:
        lines.append("")
        lines.extend(_comment(contract.reasons))
        lines.append(f"[[{prefix + '.' if prefix else ''}contracts]]")
        lines.append(f"name = {_string(contract.name)}")
        lines.append(f"type = {_string(contract.type)}")
        for key, value in contract.fields.items():
            shown = _array(value) if isinstance(value, list) else json.dumps(value)
            lines.append(f"{key} = {shown}")
    return "\n".join(lines) + "\n"


_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*([^\[\]#]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$")
_QUOTES = re.compile(r"[\"']")


def _is_archlint_header(keys: str) -> bool:
    parts = [p.strip() for p in _QUOTES.sub("", keys).split(".")]
    return parts[:2] == ["tool", "archlint"]


def _without_tables(text: str) -> str:
    """``text`` without its ``[tool.archlint]`` and ``[tool.archlint.*]`` tables. Comments
    and blank lines at the end of one of them stay: they sit above the next table and are
    about it."""
    lines = text.splitlines(keepends=True)
    keep: list[bool] = []
    inside = False
    for line in lines:
        match = _HEADER.match(line.rstrip("\r\n"))
        if match:
            if inside and not _is_archlint_header(match.group(1)):
                # Give back the comments above this header, from the first one on.
                start = len(keep)
                for index in range(len(keep) - 1, -1, -1):
                    stripped = lines[index].strip()
                    if keep[index] or (stripped and not stripped.startswith("#")):
                        break
                    if stripped:
                        start = index
                for index in range(start, len(keep)):
                    keep[index] = True
            inside = _is_archlint_header(match.group(1))
        keep.append(not inside)
    return "".join(line for line, kept in zip(lines, keep) if kept)


def _drop_archlint(data: dict) -> dict:
    data = dict(data)
    tool = dict(data.get("tool", {}))
    tool.pop("archlint", None)
    data.pop("tool", None)
    if tool:
        data["tool"] = tool
    return data


def merged_pyproject(original: str, section: str) -> str:
    """``original`` (a pyproject.toml) with ``section`` (a ``[tool.archlint]`` table) as its
    archlint configuration: any old one removed, the new one appended at the end; every
    other byte stays."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    bom = "\ufeff" if original.startswith("\ufeff") else ""
    text = original.removeprefix(bom)
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        document = tomlkit.parse(text)
        before = tomllib.loads(text)
    except (TOMLKitError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot add [tool.archlint]: {error}", path=PYPROJECT_TOML) from None
    if "archlint" in before.get("tool", {}):
        removed = _without_tables(text)
        try:
            same = _drop_archlint(tomllib.loads(removed)) == _drop_archlint(before)
        except tomllib.TOMLDecodeError:
            same = False
        if not same or "archlint" in tomllib.loads(removed).get("tool", {}):
            # Written some other way ([tool] archlint.x = ..., an inline table): tomlkit
            # takes it out, and the comments around it may move.
            del document["tool"]["archlint"]
            removed = document.as_string()
        text = removed
    if text and not text.endswith(("\n", "\r\n")):
        text += newline
    if text.strip():
        text += newline
    result = text + section.replace("\n", newline)
    expected = tomllib.loads(section)["tool"]["archlint"]
    merged = tomllib.loads(result)
    tomlkit.parse(result)  # tools that edit pyproject.toml with tomlkit can read it too
    if merged.get("tool", {}).get("archlint") != expected or _drop_archlint(
        merged
    ) != _drop_archlint(before):
        raise ConfigError(  # pragma: no cover - a table written in a way we cannot append to
            "cannot add [tool.archlint] without changing other tables; write it by hand"
            " (archlint init --dry-run prints it)",
            path=PYPROJECT_TOML,
        )
    return bom + result


def write(target: Target, plan: Plan) -> str:
    """Write the config to ``target``; returns the text written there."""
    from archlint.atomic import write_atomic

    if target.kind == "pyproject":
        try:
            original = target.path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(
                "not valid UTF-8: cannot add [tool.archlint]", path=PYPROJECT_TOML
            ) from None
        text = merged_pyproject(original, render(plan, "tool.archlint"))
    else:
        text = render(plan)
    write_atomic(target.path, text.encode("utf-8"))
    return text
