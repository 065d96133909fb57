"""The graph as one self-contained HTML page: no network, the data inline, a small script.

Modules are grouped by component (the config's components, in config order: a module in
several is drawn in the first and its panel names the others); a module in no component
goes to its package two segments deep (``django.db``; a JS/TS file to its folder, at most
three deep), external packages to one group of their own. Groups are laid out in columns
by rank (importers left of what they import; cycles broken deterministically), so the same
graph always gives the same page. Past ``LARGE`` modules the page opens on the
component view: one box per group, expanding on a click.

The data goes in a ``<script type="application/json">``: every ``<``, ``>`` and ``&`` of it
is written as a JSON escape, so no name or message can close the script element.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from archlint.findings import Finding
from archlint.graph.model import ImportGraph, Node

if TYPE_CHECKING:
    from archlint.config.model import Config

LARGE = 300  # internal modules past which the page opens on the component view
EXTERNAL_GROUP = "external packages"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def component_members(graph: ImportGraph, config: Config) -> list[tuple[str, frozenset[str]]]:
    """(component name, the graph's node ids in it), in config order."""
    from archlint.config.model import Group
    from archlint.graph.selectors import module_set

    return [
        (name, module_set(graph, Group(name, component.selectors)).nodes)
        for name, component in config.components.items()
    ]


def json_for_script(data: object) -> str:
    """JSON that is safe inside a ``<script>`` element: ``</script>`` and ``<!--`` cannot
    occur in it (``<`` is written ``\\u003c``, which JSON.parse reads back as ``<``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def package_of(node: Node) -> str:
    """The group of a module in no component: its package, two segments deep."""
    if node.language == "python" and "/" not in node.id:
        is_package = (node.path or "").endswith("__init__.py")
        parts = node.id.split(".") if is_package else node.id.split(".")[:-1]
        return ".".join(parts[:2]) or "(top level)"
    trimmed = node.id.rstrip("/").split("/")
    folders = trimmed if node.id.endswith("/") else trimmed[:-1]  # a folded folder: itself
    return "/".join(folders[:3]) + "/" if folders else "./"


def _ranks(count: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Column of each group: the longest path from a group nothing imports, once the DFS
    back edges (visited in index order) are dropped to break the cycles."""
    successors: list[list[int]] = [[] for _ in range(count)]
    for source, target in sorted(set(edges)):
        if source != target:
            successors[source].append(target)
    state = [0] * count  # 0 new, 1 on the stack, 2 done
    order: list[int] = []  # reverse postorder = a topological order of the acyclic rest
    forward: list[list[int]] = [[] for _ in range(count)]
    for start in range(count):
        if state[start]:
            continue
        state[start] = 1
        stack = [(start, iter(successors[start]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if state[child] == 1:
                    continue  # a back edge: closes a cycle
                forward[node].append(child)
                if state[child] == 0:
                    state[child] = 1
                    stack.append((child, iter(successors[child])))
                    break
            else:
                state[node] = 2
                order.append(node)
                stack.pop()
    rank = [0] * count
    for node in reversed(order):
        for child in forward[node]:
            rank[child] = max(rank[child], rank[node] + 1)
    return rank


def page_data(
    graph: ImportGraph,
    *,
    violations: Collection[tuple[str, str]] = (),
    findings: Sequence[Finding] = (),
    components: Sequence[tuple[str, Collection[str]]] = (),
    fold: Callable[[str], str] | None = None,
    title: str = "",
) -> dict[str, Any]:
    """What the page's script draws: groups, nodes, edges and findings, by index."""
    nodes = sorted(graph.nodes.values(), key=lambda n: n.id)
    index = {node.id: i for i, node in enumerate(nodes)}
    member_of: dict[str, list[str]] = {}
    for name, members in components:
        for module in members:
            if module in index:
                member_of.setdefault(module, []).append(name)
    group_names: dict[tuple[str, str], int] = {}
    keys: list[tuple[str, str]] = []
    for node in nodes:
        names = member_of.get(node.id)
        if names:
            keys.append(("component", names[0]))
        elif node.external:
            keys.append(("external", EXTERNAL_GROUP))
        else:
            keys.append(("package", package_of(node)))
    order = {name: i for i, (name, _) in enumerate(components)}
    kind_order = {"component": 0, "package": 1, "external": 2}
    for key in sorted(set(keys), key=lambda k: (kind_order[k[0]], order.get(k[1], 0), k[1])):
        group_names[key] = len(group_names)
    group_of = [group_names[key] for key in keys]
    edges: list[list[int]] = []
    for importer, imported in graph.edges():
        sites = graph.sites(importer, imported)
        flags = (1 if (importer, imported) in violations else 0) | (
            2 if all(site.kind == "type_only" for site in sites) else 0
        )
        edges.append([index[importer], index[imported], flags, sites[0].line])
    ranks = _ranks(len(group_names), ((group_of[s], group_of[t]) for s, t, _, _ in edges))
    external = group_names.get(("external", EXTERNAL_GROUP))
    if external is not None:  # externals in the last column, whatever imports them
        others = [r for g, r in enumerate(ranks) if g != external]
        ranks[external] = max(others, default=-1) + 1
    by_path = _paths(graph)
    return {
        "title": title,
        "view": "component" if sum(not n.external for n in nodes) > LARGE else "module",
        "groups": [
            {"name": name, "kind": kind, "rank": ranks[i]}
            for i, (kind, name) in enumerate(group_names)
        ],
        "nodes": [
            {
                "id": node.id,
                "group": group_of[i],
                "path": node.path,
                "external": node.external,
                "also": member_of.get(node.id, [])[1:],
            }
            for i, node in enumerate(nodes)
        ],
        "edges": edges,
        "findings": [_finding(f, by_path, index, fold) for f in findings],
    }


def _finding(
    finding: Finding,
    by_path: dict[str, str],
    index: dict[str, int],
    fold: Callable[[str], str] | None,
) -> dict[str, Any]:
    touched: list[int] = []
    for hop in finding.chain:
        for module in (hop.importer, hop.imported):
            folded = fold(module) if fold is not None else module
            if folded in index and index[folded] not in touched:
                touched.append(index[folded])
    if not finding.chain:
        located = _node_for_path(by_path, finding.path)
        if located is not None:
            touched.append(index[located])
    return {
        "code": finding.code, "rule": finding.rule, "severity": finding.severity,
        "message": finding.message, "path": finding.path, "line": finding.line,
        "contract": finding.contract, "nodes": touched,
        "chain": [[h.importer, h.imported, h.path, h.line] for h in finding.chain],
    }  # fmt: skip


def _node_for_path(by_path: dict[str, str], path: str) -> str | None:
    """The node a file belongs to: its module, or on a collapsed graph the package or folder
    it was folded into."""
    candidate = path
    while candidate:
        for probe in (candidate, candidate + "/__init__.py", candidate + "/"):
            if probe in by_path:
                return by_path[probe]
        candidate = candidate.rpartition("/")[0]
    return None


def _paths(graph: ImportGraph) -> dict[str, str]:
    """file path -> node id (a folded JS/TS folder is found by its own id, ``web/src/``)."""
    mapping = {n.path: n.id for n in graph.nodes.values() if n.path and not n.external}
    mapping.update({n.id: n.id for n in graph.nodes.values() if n.id.endswith("/")})
    return mapping


@cache
def _asset(name: str) -> str:
    return resources.files("archlint.render").joinpath("assets", name).read_text(encoding="utf-8")


def render(
    graph: ImportGraph,
    violations: Collection[tuple[str, str]] = (),
    *,
    findings: Sequence[Finding] = (),
    components: Sequence[tuple[str, Collection[str]]] = (),
    fold: Callable[[str], str] | None = None,
    title: str = "",
) -> str:
    """The whole page, one string."""
    data = page_data(graph, violations=set(violations), findings=findings,
                     components=components, fold=fold, title=title)  # fmt: skip
    parts = {
        "title": html.escape(f"archlint graph: {title}" if title else "archlint graph"),
        "css": _asset("graph.css"),
        "js": _asset("graph.js"),
        "data": json_for_script(data),
    }
    # One pass: a name in the data that reads "{{js}}" stays text.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], _asset("page.html"))
