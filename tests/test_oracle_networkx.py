"""archlint's own graph algorithms against networkx's, on Django's real import graph.

archlint keeps networkx off its hot path (importing it costs more than a warm run), so its
strongly connected components and shortest cycles are hand-written BFS/Tarjan code. Here
they must agree with networkx on a real graph with many cycles, and
``ImportGraph.to_networkx`` must carry the same nodes, edges and sites.
"""

from __future__ import annotations

import networkx
import pytest

from archlint.graph.model import ImportGraph
from archlint.graph.paths import (
    adjacency,
    shortest_cycle,
    strongly_connected_components,
)
from tests.test_oracle_grimp import archlint_graph, site_dir_of


@pytest.fixture(scope="module")
def django_graph() -> ImportGraph:
    return archlint_graph(site_dir_of("django"), "django")


def test_to_networkx_is_the_same_graph(django_graph: ImportGraph) -> None:
    digraph = django_graph.to_networkx()
    assert set(digraph.nodes) == set(django_graph.nodes)
    assert set(digraph.edges) == set(django_graph.edges())
    node = digraph.nodes["django.db.models.base"]
    assert node == {"path": "django/db/models/base.py", "language": "python", "external": False}
    imported = sorted(django_graph.successors("django.db.models.base"))[0]
    sites = digraph.edges["django.db.models.base", imported]["sites"]
    assert sites and sites == django_graph.sites("django.db.models.base", imported)
    assert digraph.nodes["os"]["external"] is True


def test_strongly_connected_components_match_networkx(django_graph: ImportGraph) -> None:
    ours = {frozenset(c) for c in strongly_connected_components(adjacency(django_graph))}
    theirs = {
        frozenset(c)
        for c in networkx.strongly_connected_components(django_graph.to_networkx())
        if len(c) > 1
    }
    ours = {c for c in ours if len(c) > 1}
    assert len(theirs) > 3  # Django has real cycles: the comparison is not vacuous
    assert ours == theirs


def test_shortest_cycles_are_cycles_of_minimal_length(django_graph: ImportGraph) -> None:
    out = adjacency(django_graph)
    digraph = django_graph.to_networkx()
    for component in strongly_connected_components(out):
        if len(component) < 2:
            continue
        cycle = shortest_cycle(out, component)
        assert cycle is not None and cycle[0] == cycle[-1]
        assert all(django_graph.has_edge(a, b) for a, b in zip(cycle, cycle[1:]))
        # networkx: the shortest cycle through the same start node has the same length.
        start = cycle[0]
        back = min(
            (
                networkx.shortest_path_length(digraph, successor, start)
                for successor in digraph.successors(start)
                if successor in component
            ),
        )
        assert len(cycle) - 1 == back + 1
