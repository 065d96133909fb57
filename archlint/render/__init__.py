"""Renderers draw the import graph. They know the graph, and which of its edges violate a
contract (drawn red); only the HTML page also lists findings. Never rules."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from archlint.graph.model import ImportGraph, Node

RENDERERS: dict[str, str] = {
    "json": "archlint.render.json:render",
    "dot": "archlint.render.dot:render",
    "mermaid": "archlint.render.mermaid:render",
    "html": "archlint.render.html:render",
}


def get_renderer(name: str) -> Callable[..., str]:  # (graph, violations=(), ...) -> text
    module_name, function = RENDERERS[name].split(":")
    return getattr(importlib.import_module(module_name), function)


def collapse(graph: ImportGraph, depth: int) -> ImportGraph:
    """Fold internal modules into their ancestor package at ``depth`` dotted segments.

    ``app.services.users`` at depth 2 becomes ``app.services``; a JS/TS module, named by its
    path, folds into its folder ``depth`` segments deep (``web/src/lib/api.ts`` at depth 2
    becomes ``web/src/``). Imports inside one folded package disappear; every other site is
    kept on the folded edge.
    """
    fold = folder(graph, depth)
    folded = ImportGraph()
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        new_id = fold(node.id)
        if new_id in folded.nodes:
            continue
        original = graph.nodes.get(new_id)
        if original is not None:
            path = original.path
        elif new_id.endswith("/"):
            path = new_id.rstrip("/")
        else:
            path = _common_dir(graph, new_id)
        folded.add_node(Node(new_id, path, node.language, node.external))
    for importer, imported in graph.edges():
        source, target = fold(importer), fold(imported)
        if source == target:
            continue
        for site in graph.sites(importer, imported):
            folded.add_import(source, target, site)
    return folded


def folder(graph: ImportGraph, depth: int) -> Callable[[str], str]:
    """module id -> the id it has in ``collapse(graph, depth)``."""
    if depth < 1:
        raise ValueError("depth must be at least 1")

    def fold(module: str) -> str:
        node = graph.nodes[module]
        if node.external:
            return module
        if node.language == "python":
            return ".".join(module.split(".")[:depth])
        # JS/TS modules are named by path: fold into the folder ``depth`` segments deep.
        parts = module.split("/")
        return module if len(parts) <= depth else "/".join(parts[:depth]) + "/"

    return fold


def _common_dir(graph: ImportGraph, package: str) -> str | None:
    """The directory of a folded namespace package: where its first member's file lives."""
    prefix = package + "."
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        if node.id.startswith(prefix) and node.path:
            depth_below = node.id.count(".") - package.count(".")
            parts = node.path.split("/")
            return "/".join(parts[: len(parts) - depth_below]) or None
    return None
