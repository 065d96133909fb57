"""The graph in Graphviz DOT: internal modules as boxes, external packages dashed."""

from __future__ import annotations

from archlint.graph.model import ImportGraph


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(graph: ImportGraph) -> str:
    lines = [
        "digraph archlint {",
        "  rankdir=LR;",
        '  node [shape=box, fontname="Helvetica"];',
    ]
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        style = ", style=dashed" if node.external else ""
        lines.append(f"  {_quote(node.id)} [label={_quote(node.id)}{style}];")
    for importer, imported in graph.edges():
        kinds = {site.kind for site in graph.sites(importer, imported)}
        style = " [style=dashed]" if kinds == {"type_only"} else ""
        lines.append(f"  {_quote(importer)} -> {_quote(imported)}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"
