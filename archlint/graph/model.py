"""The import graph: modules as nodes, imports as edges that keep every import site.

A small adjacency structure of our own rather than a networkx.DiGraph on the hot path:
importing networkx alone costs ~130 ms, about twice a whole warm archlint run. Anything
that wants networkx's algorithms gets a real DiGraph from :meth:`ImportGraph.to_networkx`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx


@dataclass(frozen=True, slots=True)
class Node:
    id: str  # dotted module name ("app.services.users"), or top-level package for externals
    path: str | None  # posix path relative to the root; None for external packages
    language: str  # "python" (later "javascript", "typescript")
    external: bool = False


@dataclass(frozen=True, slots=True)
class Site:
    """Where one import happens: in ``path`` at line/column, of what name, how."""

    path: str
    line: int
    column: int
    kind: str  # "import" | "type_only" | "dynamic"
    imported: str  # the absolute dotted name as imported ("django.http.HttpResponse")

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.imported, self.kind)


@dataclass(slots=True)
class ImportGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    # importer -> imported -> sites, insertion order irrelevant: readers sort.
    _out: dict[str, dict[str, list[Site]]] = field(default_factory=dict)
    _in: dict[str, set[str]] = field(default_factory=dict)

    def add_node(self, node: Node) -> None:
        self.nodes.setdefault(node.id, node)
        self._out.setdefault(node.id, {})
        self._in.setdefault(node.id, set())

    def add_import(self, importer: str, imported: str, site: Site) -> None:
        """Record one import site. Both nodes must have been added."""
        self._out[importer].setdefault(imported, []).append(site)
        self._in[imported].add(importer)

    # --- questions ---------------------------------------------------------------

    def __contains__(self, module: object) -> bool:
        return module in self.nodes

    @property
    def internal_modules(self) -> set[str]:
        return {n.id for n in self.nodes.values() if not n.external}

    @property
    def external_modules(self) -> set[str]:
        return {n.id for n in self.nodes.values() if n.external}

    def successors(self, module: str) -> Iterable[str]:
        return self._out.get(module, {}).keys()

    def predecessors(self, module: str) -> Iterable[str]:
        return self._in.get(module, ())

    def sites(self, importer: str, imported: str) -> list[Site]:
        """Every site of importer -> imported, sorted; empty when there is no such import."""
        sites = self._out.get(importer, {}).get(imported)
        if not sites:
            return []
        if len(sites) > 1:
            sites.sort(key=Site.sort_key)  # in place: sorted once, nearly free when asked again
        return list(sites)

    def has_edge(self, importer: str, imported: str) -> bool:
        return imported in self._out.get(importer, {})

    def edges(self) -> Iterator[tuple[str, str]]:
        """Every (importer, imported) pair, sorted."""
        for importer in sorted(self._out):
            for imported in sorted(self._out[importer]):
                yield importer, imported

    def edge_count(self) -> int:
        return sum(len(targets) for targets in self._out.values())

    def without_sites(self, drop) -> ImportGraph:  # noqa: ANN001 - predicate(importer, imported, site)
        """A copy without the sites for which ``drop(importer, imported, site)`` is true.

        Edges left with no site disappear. Used for ``ignore_type_only`` and ``ignore_imports``.
        """
        copy = ImportGraph()
        for node in self.nodes.values():
            copy.add_node(node)
        for importer, targets in self._out.items():
            for imported, sites in targets.items():
                for site in sites:
                    if not drop(importer, imported, site):
                        copy.add_import(importer, imported, site)
        return copy

    def to_networkx(self) -> networkx.DiGraph:
        """The same graph as a networkx.DiGraph (node and edge attributes included)."""
        import networkx

        digraph = networkx.DiGraph()
        for node in sorted(self.nodes.values(), key=lambda n: n.id):
            digraph.add_node(node.id, path=node.path, language=node.language, external=node.external)
        for importer, imported in self.edges():
            digraph.add_edge(importer, imported, sites=self.sites(importer, imported))
        return digraph
