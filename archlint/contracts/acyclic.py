"""## What it does
Reports import cycles. With `packages`, the direct children of each package (`app.orders`,
`app.billing`, ...) must not import each other in a cycle; each child stands for itself and
everything below it, so `app.orders.models -> app.billing.api` plus
`app.billing.tasks -> app.orders.service` is the cycle `app.orders -> app.billing ->
app.orders`. The package's own `__init__` is not a child, and only imports between two
children count. With `modules`, the matched modules, each on its own, must not import each
other in a cycle; only imports between two matched modules count, so a cycle that leaves
the set through an unmatched module is outside what the contract names (match a wider set,
such as `app.**`, to cover it).

Each group of modules that all reach each other (a strongly connected component) is
reported once, with its shortest cycle, starting at the smallest module name, and the file
and line of one import for each hop.

## Why is this bad?
No member of a cycle can be understood, tested or extracted without all the others, and
import order starts to matter: `ImportError: cannot import name ... (most likely due to a
circular import)` appears as soon as someone moves a top-level import.

## Example
```toml
[[contracts]]
name = "no cycles between features"
type = "acyclic"
packages = ["app"]
```
```python
# app/orders/service.py
from app.billing import invoices  # AL104 when app/billing/tasks.py imports app.orders
```

## Use instead
Find the import in the cycle that goes the "wrong" way and break it: move the shared code
into a new module both can import, pass the dependency in, or turn the import into an
event or a callback. A justified exception goes in `ignore_imports`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from archlint.contracts.base import Contract
from archlint.findings import Finding, Hop
from archlint.globs import compile_module_pattern
from archlint.graph.model import ImportGraph
from archlint.graph.paths import shortest_cycle, strongly_connected_components

CODE = "AL104"
NAME = "import-cycle"
SEVERITY = "error"


class AcyclicContract(Contract):
    type_name = "acyclic"
    code = CODE
    rule = NAME

    def violations(self, graph: ImportGraph) -> list[Finding]:
        findings: list[Finding] = []
        for group in self.spec.options.get("packages", ()):
            self.resolve(graph, group, "package")
            for selector in group.selectors:
                findings.extend(self._package(graph, selector.pattern))
        modules: set[str] = set()
        for group in self.spec.options.get("modules", ()):
            modules |= self.resolve(graph, group, "modules entry").internal(graph)
        if modules:
            findings.extend(self._modules(graph, modules))
        return findings

    def _package(self, graph: ImportGraph, package: str) -> list[Finding]:
        regex = compile_module_pattern(package)
        prefix = len(package) + 1
        child: dict[str, str] = {}
        for node in graph.nodes.values():
            if not node.external and node.id != package and regex.match(node.id):
                child[node.id] = package + "." + node.id[prefix:].partition(".")[0]
        # Squash each child with its descendants; remember one concrete import per pair.
        edges: dict[tuple[str, str], tuple[str, str]] = {}
        for importer in sorted(child):
            for imported in sorted(graph.successors(importer)):
                a, b = child[importer], child.get(imported)
                if b is None or a == b:
                    continue
                edges.setdefault((a, b), (importer, imported))
        out: dict[str, list[str]] = {c: [] for c in child.values()}
        for a, b in sorted(edges):
            out[a].append(b)
        title = f"import cycle between children of '{package}'"
        return self._cycles(graph, out, lambda pair: edges[pair], title, "children")

    def _modules(self, graph: ImportGraph, modules: set[str]) -> list[Finding]:
        out = {m: tuple(s for s in sorted(graph.successors(m)) if s in modules) for m in modules}
        return self._cycles(graph, out, lambda pair: pair, "import cycle", "modules")

    def _cycles(
        self,
        graph: ImportGraph,
        out: Mapping[str, Sequence[str]],
        concrete: Callable[[tuple[str, str]], tuple[str, str]],
        title: str,
        noun: str,
    ) -> list[Finding]:
        """One finding per tangle of ``out``, showing its shortest cycle. ``concrete`` maps
        an edge of ``out`` to a real import of the graph (children squash many modules)."""
        findings: list[Finding] = []
        for component in strongly_connected_components(out):
            if len(component) < 2:
                continue
            cycle = shortest_cycle(out, component)
            assert cycle is not None
            hops = tuple(self._hop(graph, *concrete(pair)) for pair in zip(cycle, cycle[1:]))
            message = f"{title}: {' -> '.join(cycle)}" + _more(component, cycle, noun)
            findings.append(self.finding(message, hops))
        return findings

    @staticmethod
    def _hop(graph: ImportGraph, importer: str, imported: str) -> Hop:
        site = graph.sites(importer, imported)[0]
        return Hop(importer, imported, site.path, site.line, site.column)


def _more(component: list[str], cycle: tuple[str, ...], noun: str) -> str:
    """Say so when the shortest cycle is only part of a larger tangle."""
    extra = len(component) - (len(cycle) - 1)
    if extra <= 0:
        return ""
    return f" ({len(component)} {noun} are in this cycle group, {extra} more than shown)"
