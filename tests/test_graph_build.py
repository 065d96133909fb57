"""Building the import graph: grimp's resolution rules, on hand-written facts."""

from __future__ import annotations

import random

import pytest

from archlint.config.model import Group, Selector
from archlint.facts import KIND_DYNAMIC, KIND_IMPORT, KIND_TYPE_ONLY, FileFacts, ImportSite, SourceFile
from archlint.graph.build import build_graph
from archlint.graph.model import ImportGraph, Node, Site
from archlint.graph.paths import shortest_chains, shortest_cycle, strongly_connected_components
from archlint.graph.selectors import ModuleSet, module_set, select


def src(module: str, *imports: ImportSite, package: bool = False, path: str | None = None) -> tuple[SourceFile, FileFacts]:
    if path is None:
        path = module.replace(".", "/") + ("/__init__.py" if package else ".py")
    return SourceFile(path, "python", module, package), FileFacts("python", tuple(imports))


def imp(module: str, line: int = 1, kind: str = KIND_IMPORT) -> ImportSite:
    return ImportSite(module, None, 0, line, 1, kind)


def frm(module: str, name: str, level: int = 0, line: int = 1) -> ImportSite:
    return ImportSite(module, name, level, line, 1)


def edges(graph: ImportGraph) -> set[tuple[str, str]]:
    return set(graph.edges())


PKG = [
    src("pkg", package=True),
    src("pkg.sub", package=True),
    src("pkg.sub.mod"),
    src("pkg.other"),
]


def test_nodes_for_named_files_only() -> None:
    graph = build_graph([*PKG, (SourceFile("scripts/run-me.py", "python", None), FileFacts("python"))])
    assert graph.internal_modules == {"pkg", "pkg.sub", "pkg.sub.mod", "pkg.other"}
    assert graph.nodes["pkg.sub"] == Node("pkg.sub", "pkg/sub/__init__.py", "python")


def test_absolute_and_from_imports_resolve_to_modules() -> None:
    graph = build_graph([
        *PKG[:3],
        src("pkg.other", imp("pkg.sub.mod"), frm("pkg.sub", "mod"), frm("pkg.sub.mod", "func")),
    ])
    assert edges(graph) == {("pkg.other", "pkg.sub.mod")}
    assert [s.imported for s in graph.sites("pkg.other", "pkg.sub.mod")] == [
        "pkg.sub.mod", "pkg.sub.mod", "pkg.sub.mod.func"
    ]


def test_from_package_import_attribute_goes_to_the_package() -> None:
    graph = build_graph([*PKG[:3], src("pkg.other", frm("pkg.sub", "helper"))])
    assert edges(graph) == {("pkg.other", "pkg.sub")}


@pytest.mark.parametrize(
    ("importer", "package", "site", "expected"),
    [
        ("pkg.sub.mod", False, frm("", "other", level=2), "pkg.other"),
        ("pkg.sub.mod", False, frm("", "sub", level=2), "pkg.sub"),
        ("pkg.sub", True, frm("mod", "x", level=1), "pkg.sub.mod"),  # level 1 in a package: itself
        ("pkg.sub", True, frm("", "other", level=2), "pkg.other"),
        ("pkg.sub.mod", False, frm("..other", "*", level=0), None),  # nonsense absolute name
        ("pkg.other", False, frm("sub.mod", "x", level=1), "pkg.sub.mod"),
    ],
)
def test_relative_imports(importer: str, package: bool, site: ImportSite, expected: str | None) -> None:
    files = [f for f in PKG if f[0].module != importer] + [src(importer, site, package=package)]
    graph = build_graph(files)
    got = {b for a, b in graph.edges() if a == importer}
    assert got == ({expected} if expected else set())


def test_relative_import_above_the_top_is_dropped() -> None:
    graph = build_graph([
        *PKG[1:3],
        src("pkg", frm("", "x", level=2), package=True),
        src("pkg.other", frm("", "x", level=3)),
    ])
    assert edges(graph) == set()


def test_missing_internal_modules_follow_grimp() -> None:
    # grimp tries the name, then the name minus one segment; the rest is dropped.
    graph = build_graph([
        *PKG[:3],
        src("pkg.other", imp("pkg.sub.missing", 1), frm("pkg.missing", "x", 2), imp("pkg.a.b.c", 3)),
    ])
    assert edges(graph) == {("pkg.other", "pkg.sub")}
    assert [s.line for s in graph.sites("pkg.other", "pkg.sub")] == [1]


def test_star_import_only_tries_the_module_itself() -> None:
    graph = build_graph([
        *PKG[:3],
        src("pkg.other", frm("pkg.sub", "*", line=1), frm("pkg.sub.missing", "*", line=2)),
    ])
    assert edges(graph) == {("pkg.other", "pkg.sub")}
    assert graph.sites("pkg.other", "pkg.sub")[0].imported == "pkg.sub"


def test_external_imports_are_squashed_to_the_top_package() -> None:
    graph = build_graph([src("app", frm("django.http", "HttpResponse", line=3), imp("os.path", 4), package=True)])
    assert edges(graph) == {("app", "django"), ("app", "os")}
    assert graph.nodes["django"] == Node("django", None, "python", external=True)
    assert graph.sites("app", "django") == [Site("app/__init__.py", 3, 1, KIND_IMPORT, "django.http.HttpResponse")]


def test_self_imports_are_dropped() -> None:
    graph = build_graph([src("pkg", frm("", "helper", level=1), imp("pkg"), package=True), src("pkg.m", imp("pkg.m"))])
    assert edges(graph) == set()


def test_kinds_are_kept() -> None:
    graph = build_graph([*PKG[:3], src("pkg.other", imp("pkg.sub", 1, KIND_TYPE_ONLY), imp("pkg.sub", 2, KIND_DYNAMIC))])
    assert [s.kind for s in graph.sites("pkg.other", "pkg.sub")] == [KIND_TYPE_ONLY, KIND_DYNAMIC]


def test_py_beats_pyi_and_first_sorted_path_wins() -> None:
    stub = src("pkg.m", imp("pkg.other"), path="a/pkg/m.pyi")
    real = src("pkg.m", imp("os"), path="b/pkg/m.py")
    other_root = src("pkg.m", imp("sys"), path="c/pkg/m.py")
    graph = build_graph([other_root, stub, real, src("pkg.other", path="a/pkg/other.py")])
    assert graph.nodes["pkg.m"].path == "b/pkg/m.py"
    assert edges(graph) == {("pkg.m", "os")}


def test_same_graph_whatever_the_order() -> None:
    files = [
        *PKG[:3],
        src("pkg.other", imp("pkg.sub.mod", 2), frm("pkg.sub", "mod", line=1), imp("requests", 5)),
        src("pkg.z", frm("", "other", level=1), imp("pkg.sub", 3, KIND_TYPE_ONLY)),
    ]
    reference = build_graph(files)
    for seed in range(5):
        shuffled = files[:]
        random.Random(seed).shuffle(shuffled)
        graph = build_graph(shuffled)
        assert graph.nodes == reference.nodes
        assert list(graph.edges()) == list(reference.edges())
        for a, b in graph.edges():
            assert graph.sites(a, b) == reference.sites(a, b)


# --- selectors ----------------------------------------------------------------------


def _selector_graph() -> ImportGraph:
    return build_graph([
        src("app", package=True),
        src("app.api", frm("django.http", "JsonResponse", line=1), imp("django.db", 2), package=True),
        src("app.api.views", imp("requests", 1)),
        src("app.core"),
    ])


def test_module_path_and_external_selectors() -> None:
    graph = _selector_graph()
    assert select(graph, Selector("app.api", "module", "app.api")) == {"app.api", "app.api.views"}
    assert select(graph, Selector("app.*", "module", "app.*")) == {"app.api", "app.core"}
    assert select(graph, Selector("app/api/**", "path", "app/api/**")) == {"app.api", "app.api.views"}
    assert select(graph, Selector("requests", "module", "requests")) == {"requests"}
    assert select(graph, Selector("pypi:django", "external", "django", "pypi")) == {"django"}
    assert select(graph, Selector("npm:django", "external", "django", "npm")) == frozenset()
    assert select(graph, Selector("app.nothing", "module", "app.nothing")) == frozenset()
    assert select(graph, Selector("flask", "module", "flask")) == frozenset()


def test_external_submodule_selector_matches_sites() -> None:
    graph = _selector_graph()
    http = module_set(graph, Selector("django.http", "module", "django.http"))
    assert http == ModuleSet(frozenset(), {"django": ("django.http",)})
    assert [s.line for s in http.matching_sites(graph, "app.api", "django")] == [1]
    assert http.enters(graph, "app.api", "django")
    db_or_http = module_set(graph, Group("web", (
        Selector("django.http", "module", "django.http"), Selector("django.db", "module", "django.db"),
    )))
    assert [s.line for s in db_or_http.matching_sites(graph, "app.api", "django")] == [1, 2]
    whole = db_or_http | module_set(graph, Selector("django", "module", "django"))
    assert whole.nodes == {"django"} and not whole.partial


def test_module_patterns_read_only_python_names() -> None:
    # JS/TS modules are named by path: "web/src/user.service.ts" has dots, but no dotted
    # segments a Python module pattern could mean.
    graph = ImportGraph()
    graph.add_node(Node("app.user.service", "app/user/service.py", "python"))
    graph.add_node(Node("web/src/user.service.ts", "web/src/user.service.ts", "typescript"))
    wildcard = Selector("**.service", "module", "**.service")
    assert select(graph, wildcard) == {"app.user.service"}
    group = Group("services", (wildcard, Selector("**.service.**", "module", "**.service.**"),
                               Selector("web/**/*.service.ts", "path", "web/**/*.service.ts")))
    assert select(graph, group) == {"app.user.service", "web/src/user.service.ts"}
    # a group answers as the union of its selectors, one by one
    one_by_one = frozenset().union(*(select(graph, s) for s in group.selectors))
    assert select(graph, group) == one_by_one


# --- paths --------------------------------------------------------------------------


def test_shortest_chains_loop_like_grimp() -> None:
    out = {
        "lo.a": ("m1", "m2", "hi.x"),
        "lo.b": ("m2",),
        "m1": ("hi.x",),
        "m2": ("hi.x", "hi.y"),
        "m3": (),
    }
    chains = shortest_chains(out, {"lo.a", "lo.b"}, {"hi.x", "hi.y"})
    assert chains == [("lo.a", "hi.x"), ("lo.a", "m1", "hi.x"), ("lo.a", "m2", "hi.x"), ("lo.b", "m2", "hi.y")]
    squashed = shortest_chains(out, {"lo.a", "lo.b"}, {"hi.x", "hi.y"}, squash=True)
    assert squashed == [("lo.a", "hi.x"), ("lo.a", "m1", "hi.x"), ("lo.a", "m2", "hi.x")]
    assert shortest_chains(out, {"lo.a", "lo.b"}, {"hi.x", "hi.y"}, blocked={"m2"}) == [
        ("lo.a", "hi.x"), ("lo.a", "m1", "hi.x")
    ]


def test_cycles() -> None:
    out = {"a": ("b",), "b": ("c", "d"), "c": ("a",), "d": ("b",), "e": ("a",)}
    assert strongly_connected_components(out) == [["a", "b", "c", "d"], ["e"]]
    assert shortest_cycle(out, ["a", "b", "c", "d"]) == ("b", "d", "b")
