"""Validating ``[[contracts]]`` entries into :class:`ContractSpec` records."""

from __future__ import annotations

from typing import Any

from archlint.config.model import (
    CONTRACT_TYPES,
    SELECTOR_MODULE,
    Component,
    ContractSpec,
    Group,
    IgnoredImport,
    Selector,
)
from archlint.config.validate import (
    NAME_RE,
    Context,
    boolean,
    parse_selector,
    string_list,
    suggest,
    type_name,
    unknown_key,
)
from archlint.errors import ConfigError
from archlint.globs import PatternError, compile_module_pattern, is_wildcard

COMMON_KEYS = ("name", "type", "ignore_imports", "ignore_type_only", "optional")
TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "layers": ("layers",),
    "forbidden": ("source", "forbidden", "transitive"),
    "independence": ("components",),
    "acyclic": ("packages", "modules"),
}
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "layers": ("layers",),
    "forbidden": ("source", "forbidden"),
    "independence": ("components",),
    "acyclic": (),  # "packages" or "modules", checked on its own
}
MIN_ENTRIES = {"layers": 2, "components": 2}


def parse_contracts(
    ctx: Context, value: Any, components: dict[str, Component]
) -> tuple[ContractSpec, ...]:
    """Validate the ``contracts`` array of tables against the known components."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        got = type_name(value) if not isinstance(value, list) else "an array of non-tables"
        raise ctx.error(
            f"'contracts' must be an array of tables ([[{ctx.table('contracts')}]]), not {got}",
            "contracts",
        )
    specs: list[ContractSpec] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(value):
        spec = _contract(ctx, raw, index, components)
        if spec.name in seen:
            first = ctx.locator.line("contracts", seen[spec.name])
            also = f" at line {first}" if first is not None else f" #{seen[spec.name] + 1}"
            raise ctx.error(
                f"duplicate contract name '{spec.name}' (also used by the contract{also})",
                "contracts",
                index,
                "name",
            )
        seen[spec.name] = index
        specs.append(spec)
    return tuple(specs)


def _contract(
    ctx: Context, raw: dict[str, Any], index: int, components: dict[str, Component]
) -> ContractSpec:
    where: tuple[str | int, ...] = ("contracts", index)
    label = f"contract #{index + 1}"
    name = raw.get("name")
    if name is None:
        raise ctx.error(f"{label} has no 'name'", *where)
    if not isinstance(name, str):
        message = f"'name' of {label} must be a string, not {type_name(name)}"
        raise ctx.error(message, *where, "name")
    name = name.strip()
    if not name:
        raise ctx.error(f"'name' of {label} must not be empty", *where, "name")
    label = f"contract '{name}'"

    kind = raw.get("type")
    expected = ", ".join(CONTRACT_TYPES)
    if kind is None:
        raise ctx.error(f"{label} has no 'type' (one of {expected})", *where)
    if not isinstance(kind, str):
        message = f"'type' of {label} must be a string, not {type_name(kind)}"
        raise ctx.error(message, *where, "type")
    if kind not in CONTRACT_TYPES:
        hint = suggest(kind, CONTRACT_TYPES) or f" (expected one of {expected})"
        raise ctx.error(f"unknown contract type '{kind}' in {label}{hint}", *where, "type")

    allowed = COMMON_KEYS + TYPE_KEYS[kind]
    for key in raw:
        if key in allowed:
            continue
        owners = [other for other, keys in TYPE_KEYS.items() if key in keys]
        if owners:
            message = (
                f"key '{key}' does not apply to {label} of type '{kind}'"
                f" (it belongs to '{owners[0]}' contracts)"
            )
        else:
            message = unknown_key(key, allowed, label)
        raise ctx.error(message, *where, key)
    for key in REQUIRED_KEYS[kind]:
        if key not in raw:
            raise ctx.error(f"{label} of type '{kind}' needs '{key}'", *where)
    if kind == "acyclic" and "packages" not in raw and "modules" not in raw:
        raise ctx.error(f"{label} of type 'acyclic' needs 'packages' or 'modules'", *where)

    options: dict[str, Any] = {}
    for key in TYPE_KEYS[kind]:
        if key == "transitive":
            options[key] = boolean(ctx, raw.get(key, True), f"'{key}' of {label}", *where, key)
        elif key in raw:
            options[key] = _groups(ctx, raw[key], key, label, where, components)
        else:
            options[key] = ()
    if kind == "acyclic":
        _check_packages(ctx, options["packages"], label, where)

    ignored: tuple[IgnoredImport, ...] = ()
    if "ignore_imports" in raw:
        ignored = _ignored_imports(ctx, raw["ignore_imports"], label, where)
    type_only = boolean(
        ctx,
        raw.get("ignore_type_only", False),
        f"'ignore_type_only' of {label}",
        *where,
        "ignore_type_only",
    )
    optional = boolean(
        ctx, raw.get("optional", False), f"'optional' of {label}", *where, "optional"
    )
    return ContractSpec(
        name=name,
        type=kind,
        options=options,
        ignore_imports=ignored,
        ignore_type_only=type_only,
        line=ctx.locator.line(*where),
        optional=optional,
    )


def _groups(
    ctx: Context,
    value: Any,
    key: str,
    label: str,
    where: tuple[str | int, ...],
    components: dict[str, Component],
) -> tuple[Group, ...]:
    entries = string_list(ctx, value, f"'{key}' of {label}", *where, key)
    minimum = MIN_ENTRIES.get(key, 1)
    if len(entries) < minimum:
        what = "at least 2 entries" if minimum == 2 else "at least one entry"
        raise ctx.error(f"'{key}' of {label} needs {what}", *where, key)
    groups: list[Group] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        at = (*where, key, index)
        text = entry.strip()
        if key == "layers" and "|" in text:
            raise ctx.error(
                f"layer '{text}' in {label}: sibling layers written with '|' are not supported"
                " yet; give each layer its own entry",
                *at,
            )
        if text in seen:
            raise ctx.error(f"'{text}' is listed twice in '{key}' of {label}", *at)
        seen.add(text)
        groups.append(_group(ctx, text, key, label, at, components))
    return tuple(groups)


def _group(
    ctx: Context,
    text: str,
    key: str,
    label: str,
    at: tuple[str | int, ...],
    components: dict[str, Component],
) -> Group:
    """A component by name, else an inline selector; a near-miss of a name is an error."""
    component = components.get(text)
    if component is not None:
        return Group(label=text, selectors=component.selectors)
    name_like = bool(NAME_RE.match(text))
    if name_like:
        hint = suggest(text, components, cutoff=0.75)
        if hint:
            raise ctx.error(f"unknown component '{text}'{hint}", *at)
    try:
        selector = parse_selector(text)
    except ConfigError as exc:
        if name_like:
            raise ctx.error(
                f"unknown component '{text}' in '{key}' of {label}"
                f" (and not a valid selector: {exc.message})",
                *at,
            ) from None
        raise ctx.error(f"{exc.message} in '{key}' of {label}", *at) from None
    return Group(label=text, selectors=(selector,))


def _check_packages(
    ctx: Context, groups: tuple[Group, ...], label: str, where: tuple[str | int, ...]
) -> None:
    """Acyclic ``packages`` are dotted package names: no paths, externals or wildcards."""
    for index, group in enumerate(groups):
        for selector in group.selectors:
            if selector.kind == SELECTOR_MODULE and not is_wildcard(selector.pattern):
                continue
            origin = "" if group.label == selector.text else f" (in component '{group.label}')"
            raise ctx.error(
                f"'packages' of {label} must be module names without wildcards,"
                f" not '{selector.text}'{origin}",
                *where,
                "packages",
                index,
            )


def _ignored_imports(
    ctx: Context, value: Any, label: str, where: tuple[str | int, ...]
) -> tuple[IgnoredImport, ...]:
    entries = string_list(ctx, value, f"'ignore_imports' of {label}", *where, "ignore_imports")
    ignored: list[IgnoredImport] = []
    for index, entry in enumerate(entries):
        at = (*where, "ignore_imports", index)
        text = entry.strip()
        parts = [part.strip() for part in text.split("->")]
        problem = ""
        if len(parts) != 2 or not all(parts):
            problem = "expected 'importer -> imported'"
        else:
            for part in parts:
                try:
                    compile_module_pattern(part)
                except PatternError as exc:
                    problem = str(exc)
                    break
        if problem:
            raise ctx.error(
                f"invalid ignore_imports entry '{text}' in {label}: {problem}", *at
            )
        importer, imported = (Selector(text=p, kind=SELECTOR_MODULE, pattern=p) for p in parts)
        ignored.append(
            IgnoredImport(
                text=text, importer=importer, imported=imported, line=ctx.locator.near(*at)
            )
        )
    return tuple(ignored)
