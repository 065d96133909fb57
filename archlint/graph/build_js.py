"""Adding JS/TS modules to the import graph, resolved like Node.js and TypeScript would.

A JS/TS module is a node named by its path from the root (``web/src/app/page.tsx``): the
same path globs select it as select Python files. What an import points to comes from
:class:`~archlint.graph.js_resolve.JsResolver`:

- a project file: an edge to its node (a stylesheet or an image imported for its side
  effect becomes a node of its own, with the language ``asset``);
- an npm package: an edge to the external node ``npm:<package>`` (``npm:react``);
- a Node built-in: an edge to the external node ``node:<module>`` (``node:fs``);
- nothing: an ``unresolved-import`` finding, and no edge.

A dynamic import with no literal target (``import(`./locale/${lang}`)``) has no edge and no
finding: archlint does not guess.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from archlint.facts import FileFacts, SourceFile
from archlint.findings import Finding
from archlint.graph.js_resolve import JsResolver
from archlint.graph.model import ImportGraph, Node, Site
from archlint.graph.selectors import NODE_PREFIX, NPM_PREFIX
from archlint.rules import unresolved_import

# Parser dialects as the graph shows them: .tsx is TypeScript.
DISPLAY_LANGUAGE = {"javascript": "javascript", "typescript": "typescript", "tsx": "typescript"}
_LANGUAGE_BY_SUFFIX = {
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
}  # fmt: skip


def add_js_modules(
    graph: ImportGraph,
    root: Path,
    files: Iterable[tuple[SourceFile, FileFacts]],
    project_files: Iterable[str] = (),
) -> tuple[list[Finding], list[str]]:
    """Add every JS/TS file and its resolved imports to ``graph``.

    Returns the unresolved imports, and every configuration file the resolution read
    (tsconfig.json, package.json …): a cached answer must be dropped when one changes.
    """
    pairs = sorted(files, key=lambda pair: pair[0].path)
    for source, _ in pairs:
        graph.add_node(Node(source.path, source.path, DISPLAY_LANGUAGE[source.language]))
    resolver = JsResolver(root, [source.path for source, _ in pairs])
    resolver.check_configs(
        [p for p in project_files if p.rpartition("/")[2] in ("tsconfig.json", "jsconfig.json")]
    )
    findings: list[Finding] = []
    for source, facts in pairs:
        for site in facts.imports:
            if not site.module:
                continue  # a computed specifier: no target, by design
            target = resolver.resolve(source.path, site.module)
            if target.kind == "unresolved":
                findings.append(unresolved_import.finding(source.path, site, target.target))
                continue
            if target.kind == "skipped":
                continue  # a file the run does not read: no module of the graph, no finding
            node_id = _node_for(graph, target.kind, target.target)
            if node_id == source.path:
                continue  # a module importing itself is no dependency
            graph.add_import(
                source.path,
                node_id,
                Site(source.path, site.line, site.column, site.kind, site.module),
            )
    return findings, resolver.inputs


def _node_for(graph: ImportGraph, kind: str, target: str) -> str:
    if kind == "internal":
        if target not in graph.nodes:  # a file that is no source: CSS, SVG, JSON …
            language = _LANGUAGE_BY_SUFFIX.get(os.path.splitext(target)[1], "asset")
            graph.add_node(Node(target, target, language))
        return target
    node_id = (NODE_PREFIX if kind == "builtin" else NPM_PREFIX) + target
    graph.add_node(Node(node_id, None, "javascript", external=True))
    return node_id
