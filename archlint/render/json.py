"""The graph as JSON: nodes and edges with every import site, sorted, stable across runs."""

from __future__ import annotations

import json

from archlint.graph.model import ImportGraph


def render(graph: ImportGraph) -> str:
    nodes = [
        {"id": n.id, "path": n.path, "language": n.language, "external": n.external}
        for n in sorted(graph.nodes.values(), key=lambda n: n.id)
    ]
    edges = [
        {
            "source": importer,
            "target": imported,
            "sites": [
                {"path": s.path, "line": s.line, "column": s.column, "kind": s.kind}
                for s in graph.sites(importer, imported)
            ],
        }
        for importer, imported in graph.edges()
    ]
    return json.dumps({"nodes": nodes, "edges": edges}, indent=2) + "\n"
