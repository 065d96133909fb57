"""Turning selectors and groups into the set of graph nodes (and import sites) they pick.

- ``path`` selector: internal modules whose file matches the glob.
- ``module`` selector: internal modules matching the dotted pattern. A pattern without
  wildcards that matches no internal module names an external package (``django``) or an
  external submodule (``django.http``).
- ``external`` selector (``pypi:redis``, ``npm:redis``, ``node:fs``, ``@scope/pkg``):
  external packages only, never internal modules. A bare name (``redis``) that matches no
  internal module picks the package of that name in every ecosystem.

External packages are single, squashed nodes (``django``), so "``django.http``" cannot be
a node: it is the subset of the *import sites* into the ``django`` node whose imported
name is ``django.http`` or starts with ``django.http.``. A :class:`ModuleSet` carries both
halves (whole nodes and such site filters) and is what contracts ask.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from archlint.config.model import (
    SELECTOR_EXTERNAL,
    SELECTOR_MODULE,
    SELECTOR_PATH,
    Group,
    Selector,
)
from archlint.globs import compile_module_pattern, is_wildcard, path_matcher
from archlint.graph.model import ImportGraph, Site


@dataclass(frozen=True, slots=True)
class ModuleSet:
    """What a group picks: whole nodes, plus external nodes matched only by some sites.

    ``nodes`` holds internal module ids and wholly matched external packages.
    ``partial`` maps an external node id to dotted prefixes: an import into that node
    belongs to the set only when the site's imported name is one of them or below one.
    """

    nodes: frozenset[str] = frozenset()
    partial: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def node_ids(self) -> frozenset[str]:
        """Every node the set touches, partially matched externals included."""
        return self.nodes | frozenset(self.partial)

    def internal(self, graph: ImportGraph) -> frozenset[str]:
        return frozenset(n for n in self.nodes if not graph.nodes[n].external)

    def matches_site(self, importer: str, imported: str, site: Site) -> bool:  # noqa: ARG002
        """Whether the import of ``imported`` at ``site`` imports something in the set."""
        if imported in self.nodes:
            return True
        prefixes = self.partial.get(imported)
        if not prefixes:
            return False
        name = site.imported
        return any(name == p or name.startswith(p + ".") for p in prefixes)

    def matching_sites(self, graph: ImportGraph, importer: str, imported: str) -> list[Site]:
        """The sites of importer -> imported that import something in the set, sorted."""
        sites = graph.sites(importer, imported)
        if imported in self.nodes:
            return sites
        return [s for s in sites if self.matches_site(importer, imported, s)]

    def enters(self, graph: ImportGraph, importer: str, imported: str) -> bool:
        """Whether the edge importer -> imported imports something in the set."""
        if imported in self.nodes:
            return True
        if imported not in self.partial:
            return False
        return bool(self.matching_sites(graph, importer, imported))

    def __or__(self, other: ModuleSet) -> ModuleSet:
        partial: dict[str, tuple[str, ...]] = {}
        for source in (self.partial, other.partial):
            for node, prefixes in source.items():
                partial[node] = tuple(sorted(set(partial.get(node, ()) + prefixes)))
        nodes = self.nodes | other.nodes
        for node in nodes:
            partial.pop(node, None)  # a whole node beats any filter on it
        return ModuleSet(nodes, partial)

    def __bool__(self) -> bool:
        return bool(self.nodes or self.partial)


# How external nodes are named: Python packages by their top-level name ("django", as grimp
# names them), npm packages and Node built-ins with a prefix ("npm:react", "node:fs"), so a
# package of the same name in both ecosystems ("redis") stays two nodes.
NPM_PREFIX = "npm:"
NODE_PREFIX = "node:"


def _python_external(graph: ImportGraph, pattern: str) -> ModuleSet:
    top = pattern.partition(".")[0]
    node = graph.nodes.get(top)
    if node is None or not node.external:
        return ModuleSet()
    if top == pattern:
        return ModuleSet(frozenset({top}))
    return ModuleSet(partial={top: (pattern,)})


def _prefixed_external(graph: ImportGraph, node_id: str) -> ModuleSet:
    node = graph.nodes.get(node_id)
    if node is None or not node.external:
        return ModuleSet()
    return ModuleSet(frozenset({node_id}))


def _external(graph: ImportGraph, pattern: str, ecosystem: str | None = None) -> ModuleSet:
    """The external package (or submodule sites) a name without wildcards means.

    ``pypi:x`` only a Python package, ``npm:x`` only an npm package (names may hold dots:
    ``lodash.debounce``), ``node:x`` only a Node built-in, and a bare name any of them.
    """
    if ecosystem == "pypi":
        return _python_external(graph, pattern)
    if ecosystem == "npm":
        return _prefixed_external(graph, NPM_PREFIX + pattern)
    if ecosystem == "node":
        return _prefixed_external(graph, NODE_PREFIX + pattern)
    return (
        _python_external(graph, pattern)
        | _prefixed_external(graph, NPM_PREFIX + pattern)
        | _prefixed_external(graph, NODE_PREFIX + pattern)
    )


def _python_modules(graph: ImportGraph) -> list[str]:
    """Internal Python module ids: the only nodes with dotted names. JS/TS and SQL modules are
    named by path (``web/src/user.service.ts``), which a module pattern such as
    ``**.service.**`` must not read as dotted segments."""
    return [n.id for n in graph.nodes.values() if not n.external and n.language == "python"]


@lru_cache(maxsize=256)
def _any_module_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{compile_module_pattern(p).pattern})" for p in patterns))


def _by_path(graph: ImportGraph, globs: tuple[str, ...]) -> frozenset[str]:
    # path_matcher remembers its answers: the files are asked about again by the next graph
    # of the same run (the rules' scope is known before parsing, from paths alone).
    match = path_matcher(globs)
    return frozenset(
        n.id for n in graph.nodes.values() if not n.external and n.path is not None and match(n.path)
    )


def _plain_module(graph: ImportGraph, modules: list[str], pattern: str) -> ModuleSet:
    """A module name without wildcards: that module and everything below it, or else the
    external package or submodule of that name."""
    below = pattern + "."
    found = frozenset(m for m in modules if m == pattern or m.startswith(below))
    return ModuleSet(found) if found else _external(graph, pattern)


def selector_set(graph: ImportGraph, selector: Selector) -> ModuleSet:
    """The :class:`ModuleSet` of one selector."""
    if selector.kind == SELECTOR_PATH:
        return ModuleSet(_by_path(graph, (selector.pattern,)))
    if selector.kind == SELECTOR_EXTERNAL:
        return _external(graph, selector.pattern, selector.ecosystem or "pypi")
    if selector.kind == SELECTOR_MODULE:
        modules = _python_modules(graph)
        if not is_wildcard(selector.pattern):
            return _plain_module(graph, modules, selector.pattern.strip())
        match = compile_module_pattern(selector.pattern).match
        return ModuleSet(frozenset(m for m in modules if match(m)))
    raise ValueError(f"unknown selector kind {selector.kind!r}")


def module_set(graph: ImportGraph, group_or_selector: Group | Selector) -> ModuleSet:
    """The :class:`ModuleSet` of a group (the union of its selectors) or of one selector."""
    if isinstance(group_or_selector, Selector):
        return selector_set(graph, group_or_selector)
    # Presets give a component dozens of globs and patterns: one alternation of each kind
    # costs one regex match per module instead of one per pattern and module.
    selectors = group_or_selector.selectors
    globs = tuple(s.pattern for s in selectors if s.kind == SELECTOR_PATH)
    wild = tuple(s.pattern for s in selectors if s.kind == SELECTOR_MODULE and is_wildcard(s.pattern))
    nodes: frozenset[str] = frozenset()
    if globs:
        nodes = _by_path(graph, globs)
    modules = _python_modules(graph) if any(s.kind == SELECTOR_MODULE for s in selectors) else []
    if wild:
        match = _any_module_pattern(wild).match
        nodes |= frozenset(m for m in modules if match(m))
    result = ModuleSet(nodes)
    for selector in selectors:
        if selector.kind == SELECTOR_EXTERNAL:
            result = result | selector_set(graph, selector)
        elif selector.kind == SELECTOR_MODULE and not is_wildcard(selector.pattern):
            result = result | _plain_module(graph, modules, selector.pattern.strip())
    return result


def select(graph: ImportGraph, group_or_selector: Group | Selector) -> frozenset[str]:
    """The ids of the nodes a group or selector picks.

    Partially matched externals (``django.http``) are included as their package node
    (``django``); use :func:`module_set` when the difference matters.
    """
    return module_set(graph, group_or_selector).node_ids
