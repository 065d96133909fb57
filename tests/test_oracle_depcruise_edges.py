"""The whole JS/TS pipeline against dependency-cruiser: discovery, tree-sitter extraction,
resolution and graph building must give depcruise's edge set.

test_oracle_depcruise_resolve.py checks the resolver alone on the specifiers depcruise
reports; this test starts from the files instead, so an import the frontend misses (or
invents) shows up here. Same trees, same deliberate differences (DELIBERATE there): an
alias out of the root is an ``unresolved-import`` finding instead of an edge, and an
unbuilt workspace package resolves to its source.
"""

from __future__ import annotations

from pathlib import Path

from archlint.config.load import load_config
from archlint.engine import load_project
from archlint.graph.model import ImportGraph
from tests.test_oracle_depcruise_resolve import DELIBERATE, Pair, expected

Edge = tuple[str, str]


def _node(kind: str, target: str) -> str:
    return {"internal": "", "builtin": "node:", "external": "npm:"}[kind] + target


def _depcruise_view(tree: str, found: list[Pair]) -> tuple[set[Edge], set[tuple[str, str]]]:
    """(edges, unresolved (importer, specifier)) as depcruise sees them, in archlint's
    node names, with the deliberate differences applied as archlint answers them."""
    edges: set[Edge] = set()
    unresolved: set[tuple[str, str]] = set()
    for importer, raw, dep in found:
        kind, target = DELIBERATE.get((tree, importer, raw), expected(dep))
        if kind == "unresolved":
            unresolved.add((importer, raw))
        else:
            edges.add((importer, _node(kind, target)))
    return edges, unresolved


def _archlint_view(root: Path) -> tuple[ImportGraph, set[Edge], set[tuple[str, str]]]:
    project = load_project(load_config(None, root), use_cache=False, jobs=1)
    graph = project.graph
    edges = {
        (a, b) for a, b in graph.edges() if graph.nodes[a].language in ("javascript", "typescript")
    }
    unresolved = {
        (f.path, f.message.split("'")[1]) for f in project.file_findings if f.rule == "unresolved-import"
    }
    assert not [f for f in project.file_findings if f.rule == "parse-error"]
    return graph, edges, unresolved


def _assert_same(ours: set, theirs: set, what: str) -> None:
    assert ours == theirs, (
        f"{what} only archlint has: {sorted(ours - theirs)[:30]}\n"
        f"{what} only dependency-cruiser has: {sorted(theirs - ours)[:30]}"
    )


def test_depcruise_own_source_edges(depcruise_own_tree: tuple[Path, list[Pair]]) -> None:
    root, found = depcruise_own_tree
    theirs, theirs_unresolved = _depcruise_view("depcruise", found)
    graph, ours, ours_unresolved = _archlint_view(root)
    assert len(ours) > 400
    _assert_same(ours, theirs, "edges")
    _assert_same(ours_unresolved, theirs_unresolved, "unresolved imports")


def test_ts_app_edges_and_type_only_imports(ts_app: tuple[Path, list[Pair]]) -> None:
    root, found = ts_app
    theirs, theirs_unresolved = _depcruise_view("ts_app", found)
    graph, ours, ours_unresolved = _archlint_view(root)
    _assert_same(ours, theirs, "edges")
    _assert_same(ours_unresolved, theirs_unresolved, "unresolved imports")
    # depcruise sometimes merges the imports of one specifier in a file into one dependency
    # (marked "type-only" when any of them is) and sometimes lists them apart: compare per
    # (file, specifier). Any type-only import <=> a type_only site; a dependency without
    # the mark => a site that is not type_only. Project files only: depcruise does not mark
    # `import type` of an npm package (react) as type-only at all.
    marks: dict[tuple[str, str, str], list[bool]] = {}
    for importer, raw, dep in found:
        kind, target = DELIBERATE.get(("ts_app", importer, raw), expected(dep))
        if kind == "internal":
            key = (importer, raw, _node(kind, target))
            marks.setdefault(key, []).append("type-only" in dep["dependencyTypes"])
    for (importer, raw, node), typed in marks.items():
        kinds = {s.kind for s in graph.sites(importer, node) if s.imported == raw}
        assert kinds, (importer, raw)
        assert ("type_only" in kinds) == any(typed), (importer, raw, kinds, typed)
        if not all(typed):
            assert kinds - {"type_only"}, (importer, raw, kinds, typed)
    assert sum(any(typed) for typed in marks.values()) >= 2
