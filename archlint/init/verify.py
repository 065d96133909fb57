"""Contracts ``archlint init`` proposes, and checking the config before it is written.

Precision over recall: a contract is proposed only where the layout says the parts should
not depend on each other (the apps of a Django project, the apps of a monorepo's ``apps/``
or ``services/``), and kept only when it holds today: the project's import graph is built
(files read, never run) and the contract checked on it, so a fresh config starts without
findings of its own making. The same graph checks that the whole config can be checked
(``archlint check`` would exit 2 on a module in two layers, say); an addition that breaks
that is dropped.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from archlint.errors import ArchlintError
from archlint.init.detect import Detection
from archlint.init.plan import ContractPlan, Plan

if TYPE_CHECKING:
    from archlint.config.model import Config

SIBLING_FOLDERS = ("apps", "services")  # packages/* are shared: they import each other


def propose_contracts(detection: Detection) -> list[ContractPlan]:
    proposals: list[ContractPlan] = []
    apps = detection.django_apps
    if len(apps) >= 2:
        labels = ", ".join(a.label for a in apps)
        proposals.append(
            ContractPlan(
                "Django apps are independent",
                "independence",
                {"components": [f"{a.folder}/**" for a in apps]},
                [
                    (
                        f"the project's Django apps ({labels}, from INSTALLED_APPS) import none"
                        " of each other today (checked); delete this contract if one app should"
                        " build on another"
                    )
                ],
            )
        )
    groups: dict[str, list[str]] = {}
    for part in detection.parts:
        folder, _, _ = part.path.rpartition("/")
        if part.role != "library" and folder.rpartition("/")[2] in SIBLING_FOLDERS:
            groups.setdefault(folder, []).append(part.path)
    for folder, paths in sorted(groups.items()):
        if len(paths) >= 2:
            names = ", ".join(p.rpartition("/")[2] for p in sorted(paths))
            proposals.append(
                ContractPlan(
                    f"{folder}/* do not import each other",
                    "independence",
                    {"components": [f"{p}/**" for p in sorted(paths)]},
                    [
                        (
                            f"the deployable apps in {folder}/ ({names}) import none of each other"
                            " today (checked): shared code belongs in a package of its own"
                        )
                    ],
                )
            )
    return proposals


def load_text(text: str, root: Path) -> Config:
    """The Config that ``text`` (an archlint.toml) gives for the project at ``root``."""
    from archlint.config.load import load_config

    with tempfile.TemporaryDirectory(prefix="archlint-init-") as folder:
        path = Path(folder) / "archlint.toml"
        path.write_text(text, encoding="utf-8")
        return load_config(path, root)


def verify(plan: Plan, root: Path, render: Callable[[Plan], str]) -> None:
    """Drop proposed contracts that do not hold and additions that make the config
    uncheckable; say why in ``plan.notes``."""
    from archlint import engine
    from archlint.contracts import check_contracts

    config = load_text(render(plan), root)
    try:
        graph = engine.load_project(config, use_cache=False).graph
    except ArchlintError as error:  # a tsconfig.json that does not parse, say
        dropped = ", ".join(f"'{c.name}'" for c in plan.contracts)
        plan.notes.append(
            f"could not build the import graph ({error}): nothing verified"
            + (f", contracts {dropped} left out" if dropped else "")
        )
        plan.contracts = []
        return
    names = {c.name for c in plan.contracts}
    for spec in [s for s in config.contracts if s.name in names]:
        try:
            findings = check_contracts(graph, [spec], "archlint.toml")
        except ArchlintError as error:
            findings, problem = [], error.message
        else:
            problem = ""
        if findings or problem:
            why = problem or f"{findings[0].path}:{findings[0].line} {findings[0].message}"
            plan.notes.append(
                f"not adding the contract '{spec.name}': it does not hold today ({why})"
            )
            plan.contracts = [c for c in plan.contracts if c.name != spec.name]
    while True:
        config = load_text(render(plan), root)
        try:
            check_contracts(graph, config.contracts, "archlint.toml")
            return
        except ArchlintError as error:
            if not plan.components:
                plan.notes.append(f"`archlint check` will stop on this project: {error.message}")
                return
            last = plan.components.pop()
            plan.notes.append(
                f"not changing the component '{last.name}': with the additions, {error.message}"
            )
