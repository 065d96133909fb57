"""Renderers draw the import graph. They know the graph, never rules or findings."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from archlint.graph.model import ImportGraph, Node

RENDERERS: dict[str, str] = {
    "json": "archlint.render.json:render",
    "dot": "archlint.render.dot:render",
    "mermaid": "archlint.render.mermaid:render",
}


def get_renderer(name: str) -> Callable[[ImportGraph], str]:
    module_name, function = RENDERERS[name].split(":")
    return getattr(importlib.import_module(module_name), function)


def collapse(graph: ImportGraph, depth: int) -> ImportGraph:
    """Fold internal modules into their ancestor package at ``depth`` dotted segments.

    ``app.services.users`` at depth 2 becomes ``app.services``. Imports inside one folded
    package disappear; every other site is kept on the folded edge.
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")

    def fold(module: str) -> str:
        node = graph.nodes[module]
        return module if node.external else ".".join(module.split(".")[:depth])

    folded = ImportGraph()
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        new_id = fold(node.id)
        if new_id in folded.nodes:
            continue
        original = graph.nodes.get(new_id)
        path = original.path if original is not None else _common_dir(graph, new_id)
        folded.add_node(Node(new_id, path, node.language, node.external))
    for importer, imported in graph.edges():
        source, target = fold(importer), fold(imported)
        if source == target:
            continue
        for site in graph.sites(importer, imported):
            folded.add_import(source, target, site)
    return folded


def _common_dir(graph: ImportGraph, package: str) -> str | None:
    """The directory of a folded namespace package: where its first member's file lives."""
    prefix = package + "."
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        if node.id.startswith(prefix) and node.path:
            depth_below = node.id.count(".") - package.count(".")
            parts = node.path.split("/")
            return "/".join(parts[: len(parts) - depth_below]) or None
    return None
