"""The graph as a Mermaid flowchart: external packages drawn as rounded stadiums."""

from __future__ import annotations

from archlint.graph.model import ImportGraph


def _label(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def render(graph: ImportGraph) -> str:
    nodes = sorted(graph.nodes.values(), key=lambda n: n.id)
    ids = {node.id: f"n{index}" for index, node in enumerate(nodes)}
    lines = ["flowchart LR"]
    for node in nodes:
        shape = f"([{_label(node.id)}])" if node.external else f"[{_label(node.id)}]"
        lines.append(f"  {ids[node.id]}{shape}")
    for importer, imported in graph.edges():
        kinds = {site.kind for site in graph.sites(importer, imported)}
        arrow = "-.->" if kinds == {"type_only"} else "-->"
        lines.append(f"  {ids[importer]} {arrow} {ids[imported]}")
    return "\n".join(lines) + "\n"
