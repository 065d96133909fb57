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
from archlint.globs import (
    compile_module_pattern,
    glob_set,
    is_wildcard,
    module_pattern_literals,
)
from archlint.graph.model import ImportGraph, Node, Site


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
        return _index(graph).internal(self.nodes, graph)

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
        # Unions with an empty set are most of them (RuleContext.component starts from one):
        # the other side is the answer when it is already in the form a union gives, which
        # also keeps it the same object, so that internal() remembers it.
        if not other and self._normal():
            return self
        if not self and other._normal():
            return other
        if not self.partial and not other.partial:
            return _union(self.nodes, other.nodes)
        partial: dict[str, tuple[str, ...]] = {}
        for source in (self.partial, other.partial):
            for node, prefixes in source.items():
                partial[node] = tuple(sorted(set(partial.get(node, ()) + prefixes)))
        nodes = self.nodes | other.nodes
        for node in [n for n in partial if n in nodes]:
            del partial[node]  # a whole node beats any filter on it
        return ModuleSet(nodes, partial)

    def _normal(self) -> bool:
        """Whether ``self | ModuleSet()`` would equal self, with the same types."""
        nodes, partial = self.nodes, self.partial
        return (
            type(nodes) is frozenset
            and type(partial) is dict
            and all(
                type(p) is tuple and p == tuple(sorted(set(p))) and n not in nodes
                for n, p in partial.items()
            )
        )

    def __bool__(self) -> bool:
        return bool(self.nodes or self.partial)


_UNIONS: dict[tuple[int, int], tuple[frozenset[str], frozenset[str], ModuleSet]] = {}


def _union(a: frozenset[str], b: frozenset[str]) -> ModuleSet:
    """The union of two sets of whole nodes, remembered (by the identity of the two, which
    the entry holds): rules ask for the same few components together again and again, and
    getting the same object back lets internal() remember its answer too."""
    if type(a) is not frozenset or type(b) is not frozenset:
        return ModuleSet(a | b, {})
    known = _UNIONS.get((id(a), id(b)))
    if known is not None and known[0] is a and known[1] is b:
        return known[2]
    if len(_UNIONS) >= 64:  # a run asks for a few dozen; older runs' sets are let go
        _UNIONS.clear()
    result = ModuleSet(a | b, {})
    _UNIONS[id(a), id(b)] = (a, b, result)
    return result


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


class _Dir:
    """The files of one directory: names and ids side by side, and ids by name (a path is
    one node but for odd graphs, so an id stands alone until a second one comes)."""

    __slots__ = ("by_name", "ids", "names")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.ids: list[str] = []
        self.by_name: dict[str, str | list[str]] = {}

    def add_more(self, name: str, node_id: str) -> None:
        known = self.by_name[name]
        if isinstance(known, str):
            self.by_name[name] = [known, node_id]
        else:
            known.append(node_id)


class _Index:
    """What selectors ask of one graph's nodes, worked out once per graph (nodes are only
    ever added, so a graph with as many nodes as when it was indexed is unchanged)."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes  # held, so that id(nodes) names this dict while indexed
        self.size = len(nodes)
        self.last = next(reversed(nodes)) if nodes else None
        self._internal_ids: frozenset[str] | None = None
        self._python: list[str] | None = None
        self._by_top: dict[str, list[str]] | None = None
        self._dirs: dict[str, _Dir] | None = None
        self._odd: list[tuple[str, str]] = []  # (path, id) of files whose path holds "\n"
        self.by_globs: dict[tuple[str, ...], frozenset[str]] = {}
        self.by_patterns: dict[tuple[str, ...], frozenset[str]] = {}
        self._internal: dict[int, tuple[frozenset[str], frozenset[str]]] = {}

    def current(self, nodes: dict[str, Node]) -> bool:
        return (
            self.nodes is nodes
            and self.size == len(nodes)
            and (not nodes or self.last == next(reversed(nodes)))
        )

    def python(self) -> list[str]:
        """Internal Python module ids: the only nodes with dotted names. JS/TS and SQL modules
        are named by path (``web/src/user.service.ts``), which a module pattern such as
        ``**.service.**`` must not read as dotted segments."""
        if self._python is None:
            self._python = [
                n.id for n in self.nodes.values() if not n.external and n.language == "python"
            ]
        return self._python

    def by_top(self) -> dict[str, list[str]]:
        """Python module ids by their first dotted segment, in graph order."""
        if self._by_top is None:
            self._by_top = {}
            for module in self.python():
                self._by_top.setdefault(module.partition(".")[0], []).append(module)
        return self._by_top

    def dirs(self) -> dict[str, _Dir]:
        """Directory ("a/b/", "" at the root) -> its internal files. Few objects per file:
        each one the collector tracks makes its passes come sooner."""
        if self._dirs is None:
            self._dirs = {}
            for n in self.nodes.values():
                path = n.path
                if n.external or path is None:
                    continue
                if "\n" in path:
                    self._odd.append((path, n.id))
                    continue
                cut = path.rfind("/") + 1
                directory = path[:cut]
                entry = self._dirs.get(directory)
                if entry is None:
                    entry = self._dirs[directory] = _Dir()
                name, node_id = path[cut:], n.id
                entry.names.append(name)
                entry.ids.append(node_id)
                known = entry.by_name.setdefault(name, node_id)
                if known is not node_id:  # a second node of the same path
                    entry.add_more(name, node_id)
        return self._dirs

    def internal(self, nodes: frozenset[str], graph: ImportGraph) -> frozenset[str]:
        """``nodes`` without the external ones, remembered per set: rules ask it again and
        again of the same components."""
        known = self._internal.get(id(nodes))
        if known is not None and known[0] is nodes:
            return known[1]
        if self._internal_ids is None:
            self._internal_ids = frozenset(k for k, n in self.nodes.items() if not n.external)
        found = nodes & self._internal_ids if type(nodes) is frozenset else None
        if found is None or (
            len(found) != len(nodes) and any(n not in graph.nodes for n in nodes - found)
        ):
            # the plain way, for its KeyError on a node not in the graph
            return frozenset(n for n in nodes if not graph.nodes[n].external)
        if len(self._internal) >= _MEMO_LIMIT:
            self._internal.clear()
        self._internal[id(nodes)] = (nodes, found)
        return found


_INDEXES: dict[int, _Index] = {}  # id(graph.nodes) -> its index, most recently used last
_INDEX_LIMIT = 4  # graphs indexed at once: a run has up to three (a --watch
# session must not keep old runs' graphs alive)
_MEMO_LIMIT = 1024


def _index(graph: ImportGraph) -> _Index:
    nodes = graph.nodes
    index = _INDEXES.pop(id(nodes), None)
    if index is None or not index.current(nodes):
        index = _Index(nodes)
        while len(_INDEXES) >= _INDEX_LIMIT:
            del _INDEXES[next(iter(_INDEXES))]
    _INDEXES[id(nodes)] = index
    return index


@lru_cache(maxsize=256)
def _any_module_pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{compile_module_pattern(p).pattern})" for p in patterns))


def _wild_modules(graph: ImportGraph, patterns: tuple[str, ...]) -> frozenset[str]:
    """Python modules matching any of the wildcard module patterns. The regex is asked only
    of the modules holding one of the patterns' literal segments."""
    index = _index(graph)
    known = index.by_patterns.get(patterns)
    if known is not None:
        return known
    if len(patterns) == 1:
        match = compile_module_pattern(patterns[0]).match
    else:
        match = _any_module_pattern(patterns).match
    modules = index.python()
    parts = module_pattern_literals(patterns)
    if len(parts) == 1:
        part = parts[0]
        modules = [m for m in modules if part in m]
    elif parts:
        modules = [m for m in modules if any(p in m for p in parts)]
    result = index.by_patterns[patterns] = frozenset(m for m in modules if match(m))
    return result


def _by_path(graph: ImportGraph, globs: tuple[str, ...]) -> frozenset[str]:
    """Internal modules whose file matches any of the globs. Files are asked per directory
    (see globs.GlobSet): most directories match all their files or none."""
    index = _index(graph)
    known = index.by_globs.get(globs)
    if known is not None:
        return known
    matcher = glob_set(globs)
    found: list[str] = []
    for directory, files in index.dirs().items():
        found.extend(matcher.files(directory, files.names, files.ids, files.by_name))
    if matcher.plain:  # globs whose last segment could match "/": asked of every path
        found.extend(
            n.id for n in graph.nodes.values()
            if not n.external and n.path is not None and "\n" not in n.path
            and any(match(n.path) for match in matcher.plain)
        )  # fmt: skip
    found.extend(i for path, i in index._odd if matcher.match(path))
    result = index.by_globs[globs] = frozenset(found)
    return result


def _plain_module(graph: ImportGraph, pattern: str) -> ModuleSet:
    """A module name without wildcards: that module and everything below it, or else the
    external package or submodule of that name."""
    # Only modules of the same first segment can be it or below it.
    below = pattern + "."
    candidates = _index(graph).by_top().get(pattern.partition(".")[0], ())
    found = frozenset(m for m in candidates if m == pattern or m.startswith(below))
    return ModuleSet(found) if found else _external(graph, pattern)


def selector_set(graph: ImportGraph, selector: Selector) -> ModuleSet:
    """The :class:`ModuleSet` of one selector."""
    if selector.kind == SELECTOR_PATH:
        return ModuleSet(_by_path(graph, (selector.pattern,)))
    if selector.kind == SELECTOR_EXTERNAL:
        return _external(graph, selector.pattern, selector.ecosystem or "pypi")
    if selector.kind == SELECTOR_MODULE:
        if not is_wildcard(selector.pattern):
            return _plain_module(graph, selector.pattern.strip())
        return ModuleSet(_wild_modules(graph, (selector.pattern,)))
    raise ValueError(f"unknown selector kind {selector.kind!r}")


def module_set(graph: ImportGraph, group_or_selector: Group | Selector) -> ModuleSet:
    """The :class:`ModuleSet` of a group (the union of its selectors) or of one selector."""
    if isinstance(group_or_selector, Selector):
        return selector_set(graph, group_or_selector)
    # Presets give a component dozens of globs and patterns: the globs are asked together, per
    # directory (see _by_path), and the wildcard patterns as one alternation.
    selectors = group_or_selector.selectors
    globs = tuple(s.pattern for s in selectors if s.kind == SELECTOR_PATH)
    wild = tuple(s.pattern for s in selectors if s.kind == SELECTOR_MODULE and is_wildcard(s.pattern))
    nodes: frozenset[str] = frozenset()
    if globs:
        nodes = _by_path(graph, globs)
    if wild:
        nodes |= _wild_modules(graph, wild)
    result = ModuleSet(nodes)
    for selector in selectors:
        if selector.kind == SELECTOR_EXTERNAL:
            result = result | selector_set(graph, selector)
        elif selector.kind == SELECTOR_MODULE and not is_wildcard(selector.pattern):
            result = result | _plain_module(graph, selector.pattern.strip())
    return result


def select(graph: ImportGraph, group_or_selector: Group | Selector) -> frozenset[str]:
    """The ids of the nodes a group or selector picks.

    Partially matched externals (``django.http``) are included as their package node
    (``django``); use :func:`module_set` when the difference matters.
    """
    return module_set(graph, group_or_selector).node_ids
