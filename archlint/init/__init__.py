"""``archlint init``: detect a project's languages and layout and write its config.

scan (read the files, never import or run them) -> detect (parts, frameworks, Python roots,
migrations) -> plan (presets, components where the layout differs from them) -> verify
(proposed contracts hold today, the config can be checked) -> write (archlint.toml, or
``[tool.archlint]`` in pyproject.toml). What was found, and why, is printed to stderr; the
config itself goes to stdout with ``--dry-run``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from archlint.errors import UsageError

if TYPE_CHECKING:
    from archlint.init.detect import Detection
    from archlint.init.plan import Plan

Echo = Callable[[str], None]


def _exclude() -> tuple[str, ...]:
    """The test files the presets leave out: no evidence of a layer either."""
    from archlint.config.presets import load_preset

    value = load_preset("backend").table.get("exclude", [])
    return tuple(v for v in value if isinstance(v, str))


def plan_for(root: Path) -> tuple[Detection, Plan]:
    """Detect and plan, without writing anything."""
    from archlint.init.detect import detect
    from archlint.init.plan import Planner
    from archlint.init.scan import scan
    from archlint.init.verify import propose_contracts, verify
    from archlint.init.write import render

    detection = detect(scan(root, _exclude()))
    plan = Planner(detection).run()
    plan.contracts = propose_contracts(detection)
    verify(plan, root, render)
    plan.notes[:0] = detection.notes
    return detection, plan


def run_init(path: str, *, force: bool, dry_run: bool, echo: Echo, out: Echo) -> str:
    """``archlint init PATH``; returns the config text. ``echo`` prints the report (stderr),
    ``out`` the config on ``--dry-run`` (stdout)."""
    from archlint.init.write import choose_target, render, write

    root = Path(path)
    if not root.exists():
        raise UsageError(f"path '{path}' does not exist")
    if not root.is_dir():
        raise UsageError(f"'{path}' is not a directory")
    root = root.resolve()
    target = choose_target(root)
    where = target.path.name + (" [tool.archlint]" if target.kind == "pyproject" else "")
    if target.configured and not force and not dry_run:
        raise UsageError(
            f"{target.path} already configures archlint; use --force to replace"
            f" {'it' if target.kind == 'archlint' else 'its [tool.archlint] table'},"
            " or --dry-run to see what init would write"
        )
    echo(f"archlint init: looking at {root} (files are read, never run)")
    detection, plan = plan_for(root)
    from archlint.config.load import find_config

    above = find_config(root.parent) if root.parent != root else None
    if above is not None and not target.configured:
        plan.notes.append(f"{above} configures the folders above; the new config takes over here")
    report(detection, plan, echo)
    if dry_run:
        text = render(plan, "tool.archlint" if target.kind == "pyproject" else "")
        out(text)
        echo(f"archlint init: --dry-run, nothing written (would write {where})")
        return text
    text = write(target, plan)
    verb = "replaced" if target.configured else "wrote"
    echo(f"archlint init: {verb} {where}; run `archlint check` next")
    return text


def report(detection: Detection, plan: Plan, echo: Echo) -> None:
    """What was found and why, one line each."""
    names = {
        "python": "Python",
        "javascript": "JavaScript",
        "typescript": "TypeScript",
        "sql": "SQL",
        "html": "HTML/templates",
    }
    counts = sorted(detection.languages.items(), key=lambda kv: -kv[1])
    shown = ", ".join(f"{names.get(k, k)} ({n} file{'s' * (n != 1)})" for k, n in counts)
    echo(f"  languages: {shown or 'no source files found'}")
    for part in detection.parts:
        kind = part.framework or ("Python" if part.stack == "python" else "JS/TS")
        why = f" ({'; '.join(part.evidence)})" if part.evidence else ""
        echo(f"  {part.role}: {kind} in {part.where}{why}")
    if detection.monorepo:
        echo(f"  monorepo: {'; '.join(detection.monorepo)}")
    packages = detection.python.packages
    if packages:
        layouts = []
        for name, folder in sorted(packages.items()):
            note = " (src-layout)" if folder.rpartition("/")[2] == "src" else ""
            layouts.append(f"{name} in {folder or '.'}/{note}")
        echo(f"  Python packages: {', '.join(layouts)}")
    for line in plan.roots_reasons:
        echo(f"  python.roots needed: {line}")
    if detection.django_apps:
        echo(
            f"  Django apps: {', '.join(f'{a.label} ({a.folder}/)' for a in detection.django_apps)}"
        )
    for found in detection.migrations:
        folders = ", ".join(f"{f or '.'}/" for f in found.folders)
        echo(f"  migrations: {found.kind} in {folders} ({found.evidence})")
    echo(f"  -> extends = {plan.extends}: {plan.summary}")
    if plan.python_roots:
        echo(f"  -> python.roots = {plan.python_roots}")
    for component in plan.components:
        why = "; ".join(r for r in component.reasons if not r.startswith("("))
        echo(f"  -> components.{component.name} += {component.added}: {why}")
    for contract in plan.contracts:
        echo(f"  -> contract '{contract.name}' ({contract.type}): {'; '.join(contract.reasons)}")
    if not plan.components:
        echo("  -> no components: the presets' defaults fit this layout")
    for note in plan.notes:
        echo(f"  note: {note}")
