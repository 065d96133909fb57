"""Chains and cycles: plain breadth-first searches over a sorted adjacency mapping.

No networkx here: importing it costs more than a whole warm run. Every search visits
sources and successors in sorted order, so every answer is deterministic.

:func:`shortest_chains` is grimp's ``find_shortest_chains`` loop (which import-linter's
``layers``, ``independence`` and ``forbidden`` contracts all use): find the shortest chain
from any source to any target, forbid that chain's imports, and search again until nothing
is left. A chain never passes *through* a source, a target or a blocked module. With
``squash=True`` chains that share the same middle modules are one "route", as grimp's
``find_illegal_dependencies_for_layers`` reports them; the route is shown as import-linter
renders it, from its first head (sorted) through the middle to its first tail.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from archlint.graph.model import ImportGraph

Adjacency = Mapping[str, Sequence[str]]
EdgeFilter = Callable[[str, str], bool]  # (importer, imported) -> whether it counts
Chain = tuple[str, ...]


def adjacency(graph: ImportGraph) -> dict[str, tuple[str, ...]]:
    """Every node's successors, sorted: built once per (filtered) graph, then searched."""
    return {node: tuple(sorted(graph.successors(node))) for node in graph.nodes}


def _bfs(
    out: Adjacency,
    sources: Sequence[str],
    targets: Collection[str],
    blocked: Collection[str],
    banned: Mapping[str, set[str]],
    edge_ok: EdgeFilter | None,
) -> Chain | None:
    """The shortest chain of length >= 2 hops from a source to a target, or None."""
    parent: dict[str, str | None] = dict.fromkeys(sources)
    frontier = list(sources)
    while frontier:
        following: list[str] = []
        for node in frontier:
            skip = banned.get(node)
            is_source = parent[node] is None
            for successor in out.get(node, ()):
                if skip is not None and successor in skip:
                    continue
                if successor in targets:
                    if is_source or (edge_ok is not None and not edge_ok(node, successor)):
                        continue  # direct imports are collected separately
                    chain = [successor, node]
                    step = parent[node]
                    while step is not None:
                        chain.append(step)
                        step = parent[step]
                    return tuple(reversed(chain))
                if successor in parent or successor in blocked:
                    continue
                parent[successor] = node
                following.append(successor)
        frontier = following
    return None


def direct_imports(
    out: Adjacency,
    sources: Iterable[str],
    targets: Collection[str],
    edge_ok: EdgeFilter | None = None,
) -> list[Chain]:
    """Every (source, target) edge, sorted."""
    found: list[Chain] = []
    for source in sorted(sources):
        for successor in out.get(source, ()):
            if successor in targets and (edge_ok is None or edge_ok(source, successor)):
                found.append((source, successor))
    return found


def shortest_chains(
    out: Adjacency,
    sources: Iterable[str],
    targets: Collection[str],
    *,
    blocked: Collection[str] = frozenset(),
    edge_ok: EdgeFilter | None = None,
    squash: bool = False,
) -> list[Chain]:
    """Direct imports from sources to targets, then indirect chains, grimp-style.

    ``sources`` and ``targets`` must not overlap. ``blocked`` modules are never passed
    through. ``edge_ok`` filters the final hop into a target (for partially matched
    external packages).
    """
    starts = sorted(set(sources))
    direct = direct_imports(out, starts, targets, edge_ok)
    # Direct imports come out of grimp's loop first (they are the shortest chains) and
    # cannot be part of a longer one, so they need no search.
    sources_set = set(starts)
    banned: dict[str, set[str]] = {}
    indirect: list[Chain] = []
    while True:
        chain = _bfs(out, starts, targets, blocked, banned, edge_ok)
        if chain is None:
            break
        for importer, imported in zip(chain, chain[1:]):
            banned.setdefault(importer, set()).add(imported)
        indirect.append(chain)
    if squash:
        indirect = _squash(out, sources_set, targets, indirect, edge_ok)
    return direct + indirect


def _squash(
    out: Adjacency,
    sources: set[str],
    targets: Collection[str],
    chains: list[Chain],
    edge_ok: EdgeFilter | None,
) -> list[Chain]:
    """One chain per distinct middle: (first head, *middle, first tail), as import-linter shows."""
    routes: dict[Chain, Chain] = {}
    for chain in chains:
        middle = chain[1:-1]
        if middle in routes:
            continue
        first, last = middle[0], middle[-1]
        head = min(s for s in sources if first in out.get(s, ()))
        tail = min(
            t
            for t in out.get(last, ())
            if t in targets and (edge_ok is None or edge_ok(last, t))
        )
        routes[middle] = (head, *middle, tail)
    return list(routes.values())


# --- cycles ---------------------------------------------------------------------------


def strongly_connected_components(out: Adjacency) -> list[list[str]]:
    """Tarjan's algorithm, iteratively; each component sorted, components sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(out):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = out.get(node, ())
            recurse = False
            while position < len(successors):
                successor = successors[position]
                position += 1
                if successor not in index:
                    work.append((node, position))
                    work.append((successor, 0))
                    recurse = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if recurse:
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(components)


def _cycle_through(out: Adjacency, start: str, members: set[str], limit: int) -> Chain | None:
    """The shortest cycle start -> ... -> start inside ``members`` shorter than ``limit``."""
    parent: dict[str, str | None] = {start: None}
    frontier = [start]
    depth = 0
    while frontier and depth + 2 < limit:  # a longer cycle could not beat `limit`
        depth += 1
        following: list[str] = []
        for node in frontier:
            for successor in out.get(node, ()):
                if successor == start:
                    chain = [start, node]
                    step = parent[node]
                    while step is not None:
                        chain.append(step)
                        step = parent[step]
                    return tuple(reversed(chain))
                if successor in members and successor not in parent:
                    parent[successor] = node
                    following.append(successor)
        frontier = following
    return None


def shortest_cycle(out: Adjacency, component: Iterable[str]) -> Chain | None:
    """The shortest cycle inside a strongly connected component, as (m, ..., m).

    Among cycles of equal length, the one through the smallest module id wins, and the
    cycle starts there, so the answer does not depend on any iteration order.
    """
    members = set(component)
    best: Chain | None = None
    for start in sorted(members):
        limit = len(best) if best is not None else len(members) + 2
        found = _cycle_through(out, start, members, limit)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
            if len(best) == 3:  # a <-> b: nothing shorter exists (no self-imports)
                break
    return best
