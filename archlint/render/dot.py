"""The graph in Graphviz DOT: internal modules as boxes, external packages dashed.

Imports that violate a contract come last, in a subgraph that draws its edges red.
"""

from __future__ import annotations

from collections.abc import Collection

from archlint.graph.model import ImportGraph


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(graph: ImportGraph, violations: Collection[tuple[str, str]] = ()) -> str:
    """``violations``: the (importer, imported) edges to draw red."""
    lines = [
        "digraph archlint {",
        "  rankdir=LR;",
        '  node [shape=box, fontname="Helvetica"];',
    ]
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        style = ", style=dashed" if node.external else ""
        lines.append(f"  {_quote(node.id)} [label={_quote(node.id)}{style}];")
    red: list[str] = []
    for importer, imported in graph.edges():
        kinds = {site.kind for site in graph.sites(importer, imported)}
        style = " [style=dashed]" if kinds == {"type_only"} else ""
        edge = f"{_quote(importer)} -> {_quote(imported)}{style};"
        if (importer, imported) in violations:
            red.append(f"    {edge}")
        else:
            lines.append(f"  {edge}")
    if red:
        lines.extend(["  subgraph violations {", "    edge [color=red, penwidth=2];", *red, "  }"])
    lines.append("}")
    return "\n".join(lines) + "\n"
