"""Contracts on hand-built graphs, and on a fixture project with planted violations."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from archlint.config.model import ContractSpec, Group, IgnoredImport, Selector
from archlint.config.validate import parse_selector
from archlint.contracts import CODES, CONTRACTS, check_contracts
from archlint.errors import ConfigError
from archlint.facts import KIND_IMPORT, KIND_TYPE_ONLY, FileFacts, ImportSite, SourceFile
from archlint.findings import Finding, Hop
from archlint.graph.build import build_graph
from archlint.graph.model import ImportGraph

CONFIG = "archlint.toml"


def make_graph(spec: dict[str, list[Any]], packages: set[str] = frozenset()) -> ImportGraph:
    """{module: [imported, ...]}: each import on its own line (1, 2, ...), column 1.

    An entry may be (name, kind) for a type-only import; a dotted external name is imported
    with ``import name``.
    """
    files = []
    for module, imports in spec.items():
        sites = []
        for line, entry in enumerate(imports, start=1):
            name, kind = entry if isinstance(entry, tuple) else (entry, KIND_IMPORT)
            sites.append(ImportSite(name, None, 0, line, 1, kind))
        package = module in packages
        path = module.replace(".", "/") + ("/__init__.py" if package else ".py")
        files.append((SourceFile(path, "python", module, package), FileFacts("python", tuple(sites))))
    return build_graph(files)


def grp(text: str, *more: str) -> Group:
    return Group(text, tuple(parse_selector(t) for t in (text, *more)))


def ignore(text: str, line: int | None = None) -> IgnoredImport:
    importer, imported = (p.strip() for p in text.split("->"))
    return IgnoredImport(
        text, Selector(importer, "module", importer), Selector(imported, "module", imported), line
    )


def spec(kind: str, line: int | None = 7, **options: Any) -> ContractSpec:
    ignores = tuple(options.pop("ignore_imports", ()))
    type_only = options.pop("ignore_type_only", False)
    for key, value in options.items():
        if isinstance(value, list):
            options[key] = tuple(grp(v) if isinstance(v, str) else v for v in value)
    return ContractSpec("C", kind, options, ignores, type_only, line)


def check(graph: ImportGraph, *specs: ContractSpec) -> list[Finding]:
    return sorted(check_contracts(graph, specs, CONFIG), key=Finding.sort_key)


def brief(findings: list[Finding]) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.path, f.line, f.message) for f in findings]


def chains(findings: list[Finding]) -> list[tuple[str, ...]]:
    return [(f.chain[0].importer, *(h.imported for h in f.chain)) for f in findings]


# --- layers ---------------------------------------------------------------------------

APP = {
    "app.routes.users": ["app.services.users"],
    "app.services.users": ["app.repositories.users"],
    "app.repositories.users": ["app.utils", "app.models"],
    "app.utils": ["app.helpers"],
    "app.helpers": ["app.routes.users"],
    "app.models": [],
}
LAYERS = ["app.routes", "app.services", "app.repositories"]


def test_registry_codes_and_documentation() -> None:
    from archlint.rules import find_rule

    assert sorted(CONTRACTS) == ["acyclic", "forbidden", "independence", "layers"]
    expected = {
        "AL101": "layers",
        "AL102": "forbidden-import",
        "AL103": "independence",
        "AL104": "import-cycle",
        "AL105": "unmatched-ignore",
    }
    assert {code: rule for code, (rule, _) in CODES.items()} == expected
    for code, name in expected.items():
        rule = find_rule(code)  # found by archlint.rules through the module's CODE / NAME
        assert rule is not None and (rule.name, rule.severity) == (name, "error")
        sections = [line for line in rule.doc.splitlines() if line.startswith("## ")]
        assert sections == ["## What it does", "## Why is this bad?", "## Example", "## Use instead"]


def test_layers_direct_violation() -> None:
    graph = make_graph({**APP, "app.repositories.users": ["app.models", "app.routes.users"]})
    [finding] = check(graph, spec("layers", layers=LAYERS))
    assert finding == Finding(
        code="AL101",
        rule="layers",
        severity="error",
        message=(
            "app.repositories.users imports app.routes.users"
            " (layer 'app.repositories' must not import higher layer 'app.routes')"
        ),
        path="app/repositories/users.py",
        line=2,
        column=1,
        contract="C",
        chain=(Hop("app.repositories.users", "app.routes.users", "app/repositories/users.py", 2, 1),),
    )


def test_layers_indirect_violation_through_unlayered_modules() -> None:
    [finding] = check(make_graph(APP), spec("layers", layers=LAYERS))
    assert finding.message == (
        "app.repositories.users indirectly imports app.routes.users via app.utils -> app.helpers"
        " (layer 'app.repositories' must not import higher layer 'app.routes')"
    )
    assert finding.chain == (
        Hop("app.repositories.users", "app.utils", "app/repositories/users.py", 1, 1),
        Hop("app.utils", "app.helpers", "app/utils.py", 1, 1),
        Hop("app.helpers", "app.routes.users", "app/helpers.py", 1, 1),
    )
    assert (finding.path, finding.line) == ("app/repositories/users.py", 1)


def test_layers_report_the_shortest_chain() -> None:
    graph = make_graph({
        **APP,
        "app.repositories.users": ["app.utils"],
        "app.utils": ["app.helpers", "app.routes.users"],
    })
    [finding] = check(graph, spec("layers", layers=LAYERS))
    assert chains([finding]) == [("app.repositories.users", "app.utils", "app.routes.users")]


def test_chain_through_another_layer_belongs_to_that_layer() -> None:
    # repositories -> services -> routes: two violations of adjacent pairs, not a third one.
    graph = make_graph({
        "app.routes.users": [],
        "app.services.users": ["app.routes.users"],
        "app.repositories.users": ["app.services.users"],
    })
    assert chains(check(graph, spec("layers", layers=LAYERS))) == [
        ("app.repositories.users", "app.services.users"),
        ("app.services.users", "app.routes.users"),
    ]


def test_routes_are_squashed_by_middle() -> None:
    # Two repository modules reach routes through the same helper: one route, shown from
    # its first importer, like import-linter.
    graph = make_graph({
        "app.routes.a": [],
        "app.routes.b": [],
        "app.services.s": [],
        "app.repositories.x": ["app.helpers"],
        "app.repositories.w": ["app.helpers"],
        "app.helpers": ["app.routes.b", "app.routes.a"],
    })
    assert chains(check(graph, spec("layers", layers=LAYERS))) == [
        ("app.repositories.w", "app.helpers", "app.routes.a")
    ]


def test_layer_matching_nothing_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        check(make_graph(APP), spec("layers", layers=[*LAYERS, "app.nothing"]))
    assert str(caught.value) == (
        "archlint.toml:7: contract 'C': layer 'app.nothing' matches no module of the project"
    )


def test_module_in_two_layers_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="module app.routes.users is in both layer 'app.routes' and layer 'app.\\*\\*'"):
        check(make_graph(APP), spec("layers", layers=["app.routes", "app.**"]))


def test_layers_with_components_and_path_selectors() -> None:
    layers = [grp("app/routes/**"), Group("middle", (parse_selector("app.services"),)), grp("app.repositories")]
    [finding] = check(make_graph(APP), spec("layers", layers=layers))
    assert finding.message.endswith("(layer 'app.repositories' must not import higher layer 'app/routes/**')")


def test_layer_with_an_external_submodule() -> None:
    # The web layer is our routes plus fastapi.routing; fastapi.params is not in it.
    graph = make_graph({
        "app.routes.users": [],
        "app.services.users": ["fastapi.params", "app.util"],
        "app.services.orders": ["fastapi.routing.APIRouter"],
        "app.util": ["fastapi.routing"],
    })
    web = Group("web", (parse_selector("app.routes"), parse_selector("fastapi.routing")))
    findings = check(graph, spec("layers", layers=[web, grp("app.services")]))
    assert brief(findings) == [
        ("AL101", "app/services/orders.py", 1,
         "app.services.orders imports fastapi.routing.APIRouter"
         " (layer 'app.services' must not import higher layer 'web')"),
        ("AL101", "app/services/users.py", 2,
         "app.services.users indirectly imports fastapi.routing via app.util"
         " (layer 'app.services' must not import higher layer 'web')"),
    ]


# --- ignores --------------------------------------------------------------------------


def test_ignore_imports_and_stale_entries() -> None:
    findings = check(make_graph(APP), spec(
        "layers",
        layers=LAYERS,
        ignore_imports=[ignore("app.utils -> app.helpers", line=12), ignore("app.routes.* -> app.nothing")],
    ))
    assert brief(findings) == [(
        "AL105", CONFIG, 7,
        "ignore_imports entry 'app.routes.* -> app.nothing' in contract 'C' matches no import",
    )]
    assert findings[0].rule == "unmatched-ignore" and findings[0].contract == "C"
    assert findings[0].chain == ()


def test_ignore_entry_without_wildcard_is_exact() -> None:
    # import-linter semantics: 'app.routes -> ...' is not 'app.routes.users -> ...'.
    findings = check(make_graph(APP), spec(
        "layers", layers=LAYERS, ignore_imports=[ignore("app.helpers -> app.routes", line=3)]
    ))
    assert [(f.code, f.path, f.line) for f in findings] == [
        ("AL101", "app/repositories/users.py", 1), ("AL105", CONFIG, 3)
    ]


def test_ignore_wildcards() -> None:
    findings = check(make_graph(APP), spec(
        "layers", layers=LAYERS, ignore_imports=[ignore("app.** -> app.routes.*")]
    ))
    assert findings == []


def test_ignore_type_only() -> None:
    graph = make_graph({**APP, "app.utils": [("app.helpers", KIND_TYPE_ONLY)]})
    assert [f.code for f in check(graph, spec("layers", layers=LAYERS))] == ["AL101"]
    assert check(graph, spec("layers", layers=LAYERS, ignore_type_only=True)) == []


def test_type_only_import_still_counts_as_matched_for_ignores() -> None:
    graph = make_graph({**APP, "app.utils": [("app.helpers", KIND_TYPE_ONLY)]})
    findings = check(graph, spec(
        "layers", layers=LAYERS, ignore_type_only=True, ignore_imports=[ignore("app.utils -> app.helpers")]
    ))
    assert findings == []


def test_ignore_external_submodule() -> None:
    graph = make_graph({"app.domain": ["django.http.request", "django.db.models"], "app.web": []})
    findings = check(graph, spec(
        "forbidden", source=["app.domain"], forbidden=["django"],
        ignore_imports=[ignore("app.domain -> django.http")],
    ))
    assert brief(findings) == [(
        "AL102", "app/domain.py", 2,
        "app.domain imports django.db.models ('app.domain' must not import 'django')",
    )]


# --- forbidden ------------------------------------------------------------------------

FORBID = {
    "app.domain.orders": ["app.domain.money", "app.shared"],
    "app.domain.money": ["django.http", "sqlalchemy.orm.session"],
    "app.shared": ["app.web.views"],
    "app.web.views": ["app.domain.orders", "django.http.response"],
}


def test_forbidden_internal_is_transitive() -> None:
    findings = check(make_graph(FORBID), spec("forbidden", source=["app.domain"], forbidden=["app.web"]))
    assert brief(findings) == [(
        "AL102", "app/domain/orders.py", 2,
        "app.domain.orders indirectly imports app.web.views via app.shared"
        " ('app.domain' must not import 'app.web')",
    )]


def test_forbidden_not_transitive() -> None:
    graph = make_graph(FORBID)
    assert check(graph, spec("forbidden", source=["app.domain"], forbidden=["app.web"], transitive=False)) == []
    findings = check(graph, spec("forbidden", source=["app.shared"], forbidden=["app.web"], transitive=False))
    assert chains(findings) == [("app.shared", "app.web.views")]


def test_forbidden_external_package_and_submodule_are_direct_only() -> None:
    graph = make_graph(FORBID)
    whole = check(graph, spec("forbidden", source=["app.domain"], forbidden=["django", "pypi:sqlalchemy"]))
    assert brief(whole) == [
        ("AL102", "app/domain/money.py", 1,
         "app.domain.money imports django.http ('app.domain' must not import 'django')"),
        ("AL102", "app/domain/money.py", 2,
         "app.domain.money imports sqlalchemy.orm.session ('app.domain' must not import 'pypi:sqlalchemy')"),
    ]
    # app.domain reaches django.http.response only through app.web.views: not reported.
    sub = check(graph, spec("forbidden", source=["app.domain"], forbidden=["sqlalchemy.orm", "django.db"]))
    assert chains(sub) == [("app.domain.money", "sqlalchemy")]
    assert sub[0].message.startswith("app.domain.money imports sqlalchemy.orm.session ")
    assert sub[0].line == 2


def test_forbidden_overlap_is_left_out() -> None:
    graph = make_graph(FORBID)
    findings = check(graph, spec("forbidden", source=["app.domain"], forbidden=["app.**"]))
    # app.domain.* is in both: only imports of app.shared / app.web count.
    assert chains(findings) == [("app.domain.orders", "app.shared")]


def test_forbidden_source_matching_nothing_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="source 'app.nope' matches no module"):
        check(make_graph(FORBID), spec("forbidden", source=["app.nope"], forbidden=["django"]))
    assert check(make_graph(FORBID), spec("forbidden", source=["app.domain"], forbidden=["flask"])) == []


# --- independence ---------------------------------------------------------------------


def test_independence() -> None:
    graph = make_graph({
        "app.billing.invoices": ["app.shipping.rates", "app.common"],
        "app.shipping.rates": ["app.common"],
        "app.catalog.items": ["app.glue"],
        "app.glue": ["app.billing.invoices"],
        "app.common": [],
    })
    findings = check(graph, spec("independence", components=["app.billing", "app.catalog", "app.shipping"]))
    assert brief(findings) == [
        ("AL103", "app/billing/invoices.py", 1,
         "app.billing.invoices imports app.shipping.rates"
         " (component 'app.billing' must not import component 'app.shipping')"),
        ("AL103", "app/catalog/items.py", 1,
         "app.catalog.items indirectly imports app.billing.invoices via app.glue"
         " (component 'app.catalog' must not import component 'app.billing')"),
    ]


def test_independence_chain_through_a_third_component_is_reported_once() -> None:
    graph = make_graph({"a.x": ["b.x"], "b.x": ["c.x"], "c.x": []})
    assert chains(check(graph, spec("independence", components=["a", "b", "c"]))) == [
        ("a.x", "b.x"), ("b.x", "c.x")
    ]


# --- acyclic --------------------------------------------------------------------------


def test_acyclic_packages_squash_children_and_report_the_shortest_cycle() -> None:
    graph = make_graph({
        "app": ["app.orders"],  # the package's own __init__ is not a child
        "app.orders.service": ["app.billing.api", "app.catalog"],
        "app.billing.api": ["app.shipping"],
        "app.billing.tasks": ["app.orders.models"],
        "app.orders.models": [],
        "app.catalog": ["app.shipping"],
        "app.shipping": ["app.orders.service"],
    }, packages={"app"})
    [finding] = check(graph, spec("acyclic", packages=["app"], modules=[]))
    assert finding.code == "AL104" and finding.rule == "import-cycle"
    assert finding.message == (
        "import cycle between children of 'app': app.billing -> app.orders -> app.billing"
        " (4 children are in this cycle group, 2 more than shown)"
    )
    assert finding.chain == (
        Hop("app.billing.tasks", "app.orders.models", "app/billing/tasks.py", 1, 1),
        Hop("app.orders.service", "app.billing.api", "app/orders/service.py", 1, 1),
    )
    assert (finding.path, finding.line) == ("app/billing/tasks.py", 1)


def test_acyclic_modules_only_count_imports_inside_the_set() -> None:
    graph = make_graph({
        "app.a": ["app.b"],
        "app.b": ["lib.x"],
        "lib.x": ["app.a"],
        "app.c": ["app.d"],
        "app.d": ["app.e"],
        "app.e": ["app.c", "app.d"],
    })
    [finding] = check(graph, spec("acyclic", packages=[], modules=["app.*"]))
    assert finding.message == (
        "import cycle: app.d -> app.e -> app.d (3 modules are in this cycle group, 1 more than shown)"
    )
    assert check(graph, spec("acyclic", packages=[], modules=["app.a", "app.b", "lib"])) != []


def test_acyclic_clean() -> None:
    graph = make_graph({"app.a": ["app.b"], "app.b": []})
    assert check(graph, spec("acyclic", packages=["app"], modules=["app.**"])) == []


# --- determinism ----------------------------------------------------------------------


def test_findings_do_not_depend_on_file_order() -> None:
    specs = [
        spec("layers", layers=LAYERS),
        spec("forbidden", source=["app.repositories"], forbidden=["app.routes"]),
        spec("acyclic", packages=["app"], modules=["app.**"]),
    ]
    reference = check(make_graph(APP), *specs)
    items = list(APP.items())
    for seed in range(5):
        random.Random(seed).shuffle(items)
        assert check(make_graph(dict(items)), *specs) == reference


# --- a fixture project ----------------------------------------------------------------

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "layered_app"


def _fixture_findings() -> list[Finding]:
    from archlint.config.load import load_config
    from archlint.frontends.python import parse_python
    from archlint.frontends.python_modules import PythonModuleNamer

    config = load_config(FIXTURE / "archlint.toml", root=FIXTURE)
    namer = PythonModuleNamer(FIXTURE, config.python_roots)
    files = []
    for directory, _, names in os.walk(FIXTURE):
        for name in names:
            if name.endswith(".py"):
                rel = (Path(directory) / name).relative_to(FIXTURE).as_posix()
                module, package = namer.name_for(rel) or (None, False)
                facts = parse_python((FIXTURE / rel).read_bytes())
                files.append((SourceFile(rel, "python", module, package), facts))
    return check(build_graph(files), *config.contracts)


def test_fixture_project_findings() -> None:
    got = [(f.code, f.rule, f.path, f.line, f.contract) for f in _fixture_findings()]
    assert got == [
        ("AL104", "import-cycle", "app/domain/orders.py", 3, "No cycles in app.domain"),
        ("AL102", "forbidden-import", "app/domain/pricing.py", 4, "Domain is pure"),
        ("AL102", "forbidden-import", "app/domain/pricing.py", 5, "Domain is pure"),
        ("AL101", "layers", "app/repositories/orders.py", 7, "Layers"),
        ("AL101", "layers", "app/repositories/orders.py", 10, "Layers"),
        ("AL104", "import-cycle", "app/repositories/orders.py", 10, "Features do not tangle"),
        ("AL103", "independence", "app/services/billing.py", 3, "Services are independent"),
        ("AL101", "layers", "app/services/orders.py", 4, "Layers"),
        ("AL105", "unmatched-ignore", "archlint.toml", 28, "Domain is pure"),
    ]


def test_fixture_project_messages() -> None:
    messages = [f.message for f in _fixture_findings()]
    assert messages[0] == (
        "import cycle: app.domain.orders -> app.domain.pricing -> app.domain.orders"
    )
    assert messages[2] == (
        "app.domain.pricing imports sqlalchemy.orm.Session"
        " ('app.domain' must not import 'sqlalchemy.orm')"
    )
    assert messages[3] == (
        "app.repositories.orders indirectly imports app.routes.orders via app.helpers"
        " (layer 'repositories' must not import higher layer 'routes')"
    )
    assert messages[5] == (
        "import cycle between children of 'app': app.repositories -> app.services"
        " -> app.repositories (4 children are in this cycle group, 2 more than shown)"
    )
