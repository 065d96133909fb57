"""``[rules.<rule-name>]`` tables: per-rule options, checked for shape only.

Which rules exist and which options each takes is the rules' business, checked when they
run; here a rule name must be kebab-case, its table must hold TOML values (strings,
numbers, booleans and arrays of them), and the two options every rule shares must be
right: ``enabled = true|false`` and ``severity = "error"|"warning"|"info"``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from archlint.config.validate import NAME_RE, Context, boolean, suggest, type_name

SEVERITIES = ("error", "warning", "info")
RULE_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")  # kebab-case: fat-route-handler

RuleOptions = dict[str, dict[str, object]]


def parse_rule_tables(ctx: Context, value: Any) -> RuleOptions:
    """The ``rules`` table of one file, validated; the dictionaries are fresh copies."""
    if not isinstance(value, dict):
        raise ctx.error(
            f"'rules' must be a table of [{ctx.table('rules')}.<rule-name>] tables,"
            f" not {type_name(value)}",
            "rules",
        )
    rules: RuleOptions = {}
    for name, options in value.items():
        where = ("rules", name)
        if not RULE_NAME_RE.match(name):
            fixed = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            hint = f" (did you mean '{fixed}'?)" if RULE_NAME_RE.match(fixed) else ""
            raise ctx.error(
                f"invalid rule name '{name}' in [{ctx.table('rules')}]: rule names are"
                f" kebab-case, lower-case words joined by '-'{hint}",
                *where,
            )
        label = f"rule '{name}'"
        if not isinstance(options, dict):
            raise ctx.error(
                f"'rules.{name}' must be a table of options ([{ctx.table('rules', name)}]),"
                f" not {type_name(options)}",
                *where,
            )
        for key, option in options.items():
            at = (*where, key)
            if not NAME_RE.match(key):
                raise ctx.error(
                    f"invalid option name '{key}' for {label}: use letters, digits, '_' and '-'",
                    *at,
                )
            if key == "enabled":
                boolean(ctx, option, f"'enabled' of {label}", *at)
            elif key == "severity":
                _severity(ctx, option, label, at)
            else:
                _value(ctx, option, f"option '{key}' of {label}", at)
        rules[name] = {key: _copy(option) for key, option in options.items()}
    return rules


def _severity(ctx: Context, value: Any, label: str, at: tuple[str | int, ...]) -> None:
    expected = ", ".join(f"'{s}'" for s in SEVERITIES)
    if not isinstance(value, str):
        raise ctx.error(
            f"'severity' of {label} must be one of {expected}, not {type_name(value)}", *at
        )
    if value not in SEVERITIES:
        hint = suggest(value, SEVERITIES) or f" (expected one of {expected})"
        raise ctx.error(f"unknown severity '{value}' for {label}{hint}", *at)


def _value(ctx: Context, value: Any, label: str, at: tuple[str | int, ...]) -> None:
    if isinstance(value, (str, int, float, bool)) and not isinstance(
        value, (datetime, date, time)
    ):
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _value(ctx, item, f"item {index + 1} of {label}", (*at, index))
        return
    raise ctx.error(
        f"{label} must be a string, number, boolean or array of them, not {type_name(value)}",
        *at,
    )


def _copy(value: object) -> object:
    return [_copy(item) for item in value] if isinstance(value, list) else value
