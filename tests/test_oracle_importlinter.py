"""archlint's contracts against import-linter's, on Django's installed source.

Each case is one contract written for both tools. import-linter runs through its contract
classes on a grimp graph (its own engine, minus config-file parsing); archlint runs its
contract on its own graph (built without importing Django). They must agree on:

- the verdict (kept or broken);
- the exact set of broken direct imports (importer, imported);
- for indirect chains, what does not depend on how ties between equally short chains are
  broken: which (importer package, imported package) pairs have indirect chains, and the
  length of the shortest one for each pair.

Route-for-route equality is not asserted: grimp's bidirectional search breaks ties by hash
order, archlint's by module name, and the loop that excludes each found chain's imports
can then find different (equally valid) further routes. On Django 5.2 the number of routes
and their lengths per layer pair do match exactly.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest

from archlint.config.model import ContractSpec, Group, IgnoredImport, Selector
from archlint.config.validate import parse_selector
from archlint.contracts import check_contracts
from archlint.graph.model import ImportGraph

grimp = pytest.importorskip("grimp")
pytest.importorskip("importlinter")
pytest.importorskip("django")

from importlinter import api as _configure_importlinter  # noqa: E402,F401  (sets up settings)
from importlinter.contracts.forbidden import ForbiddenContract  # noqa: E402
from importlinter.contracts.independence import IndependenceContract  # noqa: E402
from importlinter.contracts.layers import LayersContract  # noqa: E402
from test_oracle_grimp import archlint_graph, site_dir_of  # noqa: E402

LAYERS = ["django.contrib", "django.views", "django.forms", "django.db", "django.utils"]
AUTH_TRIO = ["django.contrib.auth", "django.contrib.admin", "django.contrib.contenttypes"]

Pair = tuple[str, str]


@dataclass(frozen=True)
class Case:
    name: str
    linter: type
    linter_options: dict[str, Any]
    archlint_type: str
    archlint_options: dict[str, Any]
    ignore_imports: tuple[str, ...] = ()
    kept: bool | None = None  # the verdict we expect, so no case silently tests nothing
    groups: tuple[str, ...] = field(default=())  # the packages chains are grouped by


def groups(*texts: str) -> tuple[Group, ...]:
    return tuple(Group(t, (parse_selector(t),)) for t in texts)


CASES = [
    Case("layers", LayersContract, {"layers": LAYERS}, "layers",
         {"layers": groups(*LAYERS)}, kept=False, groups=tuple(LAYERS)),
    Case("layers-ignoring", LayersContract, {"layers": LAYERS}, "layers",
         {"layers": groups(*LAYERS)},
         ignore_imports=(
             "django.db.models.* -> django.forms",
             "django.utils.html -> django.core.serializers.json",
             "django.conf -> django.urls",
         ),
         kept=False, groups=tuple(LAYERS)),
    Case("layers-kept", LayersContract, {"layers": ["django.contrib.sitemaps", "django.contrib.sites"]},
         "layers", {"layers": groups("django.contrib.sitemaps", "django.contrib.sites")}, kept=True),
    Case("layers-small", LayersContract, {"layers": ["django.views", "django.http", "django.utils"]},
         "layers", {"layers": groups("django.views", "django.http", "django.utils")},
         kept=False, groups=("django.views", "django.http", "django.utils")),
    Case("forbidden", ForbiddenContract,
         {"source_modules": ["django.forms"], "forbidden_modules": ["django.db"]},
         "forbidden", {"source": groups("django.forms"), "forbidden": groups("django.db"),
                       "transitive": True},
         kept=False, groups=("django.forms", "django.db")),
    Case("forbidden-direct", ForbiddenContract,
         {"source_modules": ["django.utils"], "forbidden_modules": ["django.core"],
          "allow_indirect_imports": "true"},
         "forbidden", {"source": groups("django.utils"), "forbidden": groups("django.core"),
                       "transitive": False},
         kept=False, groups=("django.utils", "django.core")),
    Case("forbidden-kept", ForbiddenContract,
         {"source_modules": ["django.utils.functional"], "forbidden_modules": ["django.db"]},
         "forbidden", {"source": groups("django.utils.functional"), "forbidden": groups("django.db"),
                       "transitive": True},
         kept=True),
    Case("independence", IndependenceContract, {"modules": AUTH_TRIO}, "independence",
         {"components": groups(*AUTH_TRIO)}, kept=False, groups=tuple(AUTH_TRIO)),
    Case("independence-kept", IndependenceContract,
         {"modules": ["django.contrib.humanize", "django.contrib.sitemaps", "django.contrib.redirects"]},
         "independence",
         {"components": groups("django.contrib.humanize", "django.contrib.sitemaps",
                               "django.contrib.redirects")},
         kept=True),
]


@pytest.fixture(scope="module")
def grimp_graph() -> Any:
    return grimp.build_graph("django", cache_dir=None)


@pytest.fixture(scope="module")
def our_graph() -> ImportGraph:
    return archlint_graph(site_dir_of("django"), "django")


def _package_of(module: str, packages: tuple[str, ...]) -> str:
    for package in packages:
        if module == package or module.startswith(package + "."):
            return package
    raise AssertionError(f"{module} is in none of {packages}")


@dataclass
class Outcome:
    kept: bool
    direct: set[Pair]
    # (importer package, imported package) -> lengths (in hops) of the indirect chains
    indirect: dict[Pair, list[int]]

    def shortest(self) -> dict[Pair, int]:
        return {pair: min(lengths) for pair, lengths in self.indirect.items()}


def run_importlinter(case: Case, graph: Any) -> Outcome:
    options = dict(case.linter_options)
    if case.ignore_imports:
        options["ignore_imports"] = list(case.ignore_imports)
    contract = case.linter(name=case.name, session_options={"root_packages": ["django"]},
                           contract_options=options)
    check = contract.check(copy.deepcopy(graph), verbose=False)
    chains: list[list[dict]] = []
    if case.linter is ForbiddenContract:
        chains = [c for data in check.metadata["invalid_chains"] for c in data["chains"]]
    else:
        key = "invalid_dependencies" if case.linter is LayersContract else "invalid_chains"
        for data in check.metadata[key]:
            routes = data["routes"] if "routes" in data else data["chains"]
            for route in routes:
                chains.append(route["chain"])
                # Squashed routes: extra heads/tails of a direct route are direct imports too.
                if len(route["chain"]) == 1:
                    chains.extend([link] for link in route["extra_firsts"] + route["extra_lasts"])
    return _outcome(check.kept, [[(l["importer"], l["imported"]) for l in c] for c in chains], case)


def run_archlint(case: Case, graph: ImportGraph) -> Outcome:
    ignores = tuple(
        IgnoredImport(text, *(Selector(p.strip(), "module", p.strip()) for p in text.split("->")))
        for text in case.ignore_imports
    )
    spec = ContractSpec(case.name, case.archlint_type, case.archlint_options, ignores)
    findings = check_contracts(graph, [spec], "archlint.toml")
    assert all(f.code != "AL105" for f in findings), [f.message for f in findings]
    chains = [[(hop.importer, hop.imported) for hop in f.chain] for f in findings]
    return _outcome(not findings, chains, case)


def _outcome(kept: bool, chains: list[list[Pair]], case: Case) -> Outcome:
    direct: set[Pair] = set()
    indirect: dict[Pair, list[int]] = defaultdict(list)
    for chain in chains:
        if len(chain) == 1:
            direct.add(chain[0])
        else:
            pair = (_package_of(chain[0][0], case.groups), _package_of(chain[-1][1], case.groups))
            indirect[pair].append(len(chain))
    return Outcome(kept, direct, dict(indirect))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_verdicts_and_broken_imports_as_importlinter(
    case: Case, grimp_graph: Any, our_graph: ImportGraph
) -> None:
    theirs = run_importlinter(case, grimp_graph)
    ours = run_archlint(case, our_graph)
    assert theirs.kept is case.kept, "the case no longer tests what it says"
    assert ours.kept == theirs.kept
    assert ours.direct == theirs.direct, (
        f"only import-linter: {sorted(theirs.direct - ours.direct)}\n"
        f"only archlint: {sorted(ours.direct - theirs.direct)}"
    )
    assert ours.indirect.keys() == theirs.indirect.keys()
    assert ours.shortest() == theirs.shortest()
    if not case.kept:
        assert ours.direct or ours.indirect
