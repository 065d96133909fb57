"""The graph as a Mermaid flowchart: external packages drawn as rounded stadiums.

Imports that violate a contract are drawn red (``linkStyle`` by link number).
"""

from __future__ import annotations

from collections.abc import Collection

from archlint.graph.model import ImportGraph


def _label(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def render(graph: ImportGraph, violations: Collection[tuple[str, str]] = ()) -> str:
    """``violations``: the (importer, imported) edges to draw red."""
    nodes = sorted(graph.nodes.values(), key=lambda n: n.id)
    ids = {node.id: f"n{index}" for index, node in enumerate(nodes)}
    lines = ["flowchart LR"]
    for node in nodes:
        shape = f"([{_label(node.id)}])" if node.external else f"[{_label(node.id)}]"
        lines.append(f"  {ids[node.id]}{shape}")
    red: list[str] = []
    for number, (importer, imported) in enumerate(graph.edges()):
        kinds = {site.kind for site in graph.sites(importer, imported)}
        arrow = "-.->" if kinds == {"type_only"} else "-->"
        lines.append(f"  {ids[importer]} {arrow} {ids[imported]}")
        if (importer, imported) in violations:
            red.append(str(number))
    if red:
        lines.append(f"  linkStyle {','.join(red)} stroke:red,stroke-width:2px")
    return "\n".join(lines) + "\n"
