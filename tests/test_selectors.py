"""Selectors into module sets (graph.selectors) against a plain reference: every component
and library list of the presets, on a generated graph, must pick exactly the same sets."""

from __future__ import annotations

import random
from pathlib import Path

from archlint.config.libraries import default_libraries
from archlint.config.load import load_config
from archlint.config.model import SELECTOR_MODULE, SELECTOR_PATH, Group, Selector
from archlint.config.validate import parse_selector
from archlint.globs import compile_module_pattern, compile_path_glob, is_wildcard
from archlint.graph import selectors
from archlint.graph.model import ImportGraph, Node
from archlint.graph.selectors import ModuleSet, module_set


def reference_union(a: ModuleSet, b: ModuleSet) -> ModuleSet:
    """ModuleSet.__or__ as first written: no shortcuts."""
    partial: dict[str, tuple[str, ...]] = {}
    for source in (a.partial, b.partial):
        for node, prefixes in source.items():
            partial[node] = tuple(sorted(set(partial.get(node, ()) + prefixes)))
    nodes = a.nodes | b.nodes
    for node in nodes:
        partial.pop(node, None)
    return ModuleSet(nodes, partial)


def reference_plain(graph: ImportGraph, pattern: str) -> ModuleSet:
    """A plain module name by scanning every Python module."""
    modules = [n.id for n in graph.nodes.values() if not n.external and n.language == "python"]
    below = pattern + "."
    found = frozenset(m for m in modules if m == pattern or m.startswith(below))
    return ModuleSet(found) if found else selectors._external(graph, pattern)


def reference_set(graph: ImportGraph, selector: Selector) -> ModuleSet:
    if selector.kind == SELECTOR_PATH:
        regex = compile_path_glob(selector.pattern)
        return ModuleSet(frozenset(
            n.id for n in graph.nodes.values()
            if not n.external and n.path is not None and regex.match(n.path)
        ))  # fmt: skip
    if selector.kind == SELECTOR_MODULE:
        if not is_wildcard(selector.pattern):
            return reference_plain(graph, selector.pattern.strip())
        match = compile_module_pattern(selector.pattern).match
        return ModuleSet(frozenset(
            n.id for n in graph.nodes.values()
            if not n.external and n.language == "python" and match(n.id)
        ))  # fmt: skip
    return selectors.selector_set(graph, selector)  # externals: unchanged code


def reference_group(graph: ImportGraph, group: Group) -> ModuleSet:
    result = ModuleSet()
    for selector in group.selectors:
        result = reference_union(result, reference_set(graph, selector))
    return result


def reference_internal(graph: ImportGraph, found: ModuleSet) -> frozenset[str]:
    return frozenset(n for n in found.nodes if not graph.nodes[n].external)


FOLDERS = [
    "backend/app", "backend/app/routes", "backend/app/routers/v1", "backend/app/services",
    "backend/app/repositories", "backend/app/models", "backend/app/tasks", "backend/app/db",
    "backend/app/api/routes", "backend/app/middleware", "backend/app/validators",
    "server/src/routes", "server/src/services", "server/src/controllers", "server/src/db",
    "api/routes", "apps/api/src/routes", "apps/web/src/components/ui", "web/src/hooks",
    "web/src/stores", "web/src/lib", "web/src/components/features/cart", "web/src/types",
    "web/src/app/dashboard", "web/src/pages/api", "src/routes", "routes", "migrations/versions",
    "backend/app/services/billing", "backend/sqlalchemy", "backend/django/http", "",
]  # fmt: skip
NAMES = [
    "users", "routes", "router", "models", "service", "tasks", "index", "client", "api",
    "useCart", "store", "types", "env", "user.service", "user.controller", "user.repository",
    "auth.middleware", "api-client", "apiClient", "schema", "utils", "__init__", "sqlalchemy",
]  # fmt: skip
EXTENSIONS = [".py", ".py", ".ts", ".tsx", ".js", ".jsx", ".d.ts", ".sql"]
LANGUAGES = {".py": "python", ".sql": "sql", ".ts": "typescript", ".tsx": "typescript"}
EXTERNALS = [
    "django", "sqlalchemy", "redis", "celery", "requests", "fastapi", "npm:react", "npm:redis",
    "npm:prisma", "npm:@prisma/client", "node:fs", "npm:lodash.debounce", "psycopg2",
]  # fmt: skip


def generated_graph(count: int, seed: int = 3) -> ImportGraph:
    rng = random.Random(seed)
    graph = ImportGraph()
    for _ in range(count):
        folder, name, extension = rng.choice(FOLDERS), rng.choice(NAMES), rng.choice(EXTENSIONS)
        if extension == ".d.ts" and name == "__init__":
            continue
        path = f"{folder}/{name}{extension}".lstrip("/")
        language = LANGUAGES.get(extension, "javascript")
        if language == "python":
            dotted = path.removeprefix("backend/").removesuffix(".py").replace("/", ".")
            node_id = dotted.removesuffix(".__init__")
        else:
            node_id = path
        graph.add_node(Node(node_id, path, language))
    for name in EXTERNALS:
        graph.add_node(Node(name, None, "python", external=True))
    return graph


def preset_groups(tmp_path: Path) -> list[Group]:
    (tmp_path / "archlint.toml").write_text("extends = ['fullstack']\n", encoding="utf-8")
    config = load_config(tmp_path / "archlint.toml", tmp_path)
    groups = [Group(name, c.selectors) for name, c in config.components.items()]
    groups += [Group(name, tuple(s)) for name, s in default_libraries().items()]
    assert len(groups) > 20
    return groups


def test_presets_pick_what_the_plain_scan_picks(tmp_path: Path) -> None:
    graph = generated_graph(3000)
    picked = 0
    for group in preset_groups(tmp_path):
        found = module_set(graph, group)
        expected = reference_group(graph, group)
        assert found == expected, group.label
        assert found.internal(graph) == reference_internal(graph, expected), group.label
        assert found.internal(graph) is found.internal(graph)  # remembered
        for selector in group.selectors:
            assert module_set(graph, selector) == reference_set(graph, selector), selector
        picked += len(found.nodes)
    assert picked > 2000


def test_plain_module_names_by_first_segment() -> None:
    graph = generated_graph(2000)
    modules = [n.id for n in graph.nodes.values() if n.language == "python" and not n.external]
    names = {m.rsplit(".", k)[0] for m in modules for k in range(3)} | set(EXTERNALS)
    names |= {"app.rout", "app.", "ap", "", "sqlalchemy.orm", "django.http", "nothing.here"}
    for name in sorted(names):
        assert selectors._plain_module(graph, name) == reference_plain(graph, name), name


def test_a_graph_that_grows_is_indexed_again() -> None:
    graph = generated_graph(200)
    group = Group("routes", (parse_selector("**/routes/**"), parse_selector("newpkg")))
    before = module_set(graph, group)
    assert not {"newpkg", "newpkg.routes.x"} & before.nodes
    graph.add_node(Node("newpkg.routes.x", "newpkg/routes/x.py", "python"))
    after = module_set(graph, group)
    assert after == reference_group(graph, group)
    assert {"newpkg.routes.x"} <= after.internal(graph)


def test_internal_of_a_node_not_in_the_graph_raises_as_before() -> None:
    graph = generated_graph(50)
    stray = ModuleSet(frozenset({"not.a.node"}))
    try:
        stray.internal(graph)
    except KeyError as exc:
        assert exc.args == ("not.a.node",)
    else:
        raise AssertionError("expected a KeyError")


def random_module_set(rng: random.Random) -> ModuleSet:
    pool = ["a", "b", "c", "django", "redis"]
    nodes = frozenset(rng.sample(pool, rng.randint(0, 2)))
    partial = {
        node: tuple(rng.choice(["django.http", "django.db", "redis.x", "b.y"]) for _ in range(2))
        for node in rng.sample(pool, rng.randint(0, 2))
    }
    return ModuleSet(nodes, partial)


def test_union_is_the_plain_union() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        a, b = random_module_set(rng), random_module_set(rng)
        found, expected = a | b, reference_union(a, b)
        assert found == expected, (a, b)
        assert type(found.nodes) is frozenset and type(found.partial) is dict
        assert list(found.partial) == list(expected.partial)
    empty = ModuleSet()
    whole = ModuleSet(frozenset({"a"}), {"django": ("django.http",)})
    assert (empty | whole) is whole and (whole | empty) is whole


def test_wildcard_module_patterns_pick_what_their_regex_picks() -> None:
    graph = generated_graph(2000)
    modules = [n.id for n in graph.nodes.values() if n.language == "python" and not n.external]
    segments = ["**", "*", "app", "routes", "services", "service", "s*", "*s", "*_*", "db"]
    rng = random.Random(5)
    checked = 0
    for _ in range(300):
        patterns = tuple(
            ".".join(rng.choice(segments) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(1, 3))
        )
        patterns = tuple(p for p in patterns if is_wildcard(p) and "***" not in p)
        if not patterns:
            continue
        try:
            regexes = [compile_module_pattern(p) for p in patterns]
        except ValueError:
            continue
        expected = frozenset(m for m in modules if any(r.match(m) for r in regexes))
        group = Group("g", tuple(Selector(p, SELECTOR_MODULE, p) for p in patterns))
        assert module_set(graph, group).nodes == expected, patterns
        checked += bool(expected)
        for pattern, regex in zip(patterns, regexes):
            alone = frozenset(m for m in modules if regex.match(m))
            assert module_set(graph, Selector(pattern, SELECTOR_MODULE, pattern)).nodes == alone
    assert checked > 100


def test_nodes_sharing_a_path_are_all_picked() -> None:
    graph = ImportGraph()
    for node_id in ("one", "two", "three"):
        graph.add_node(Node(node_id, "a/x.py", "python"))
    graph.add_node(Node("other", "a/y.py", "python"))
    graph.add_node(Node("odd", "a/new\nline.py", "python"))
    for glob in ("a/x.py", "a/*.py", "a/x.*", "**", "a/**", "*/x.py", "a/[x]*", "a/[!y]*"):
        group = Group(glob, (parse_selector(glob),))
        assert module_set(graph, group) == reference_group(graph, group), glob
    assert module_set(graph, Group("x", (parse_selector("a/x.py"),))).nodes == {
        "one", "two", "three"
    }
