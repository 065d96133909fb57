"""## What it does
Reports an import from a lower layer into a higher one, direct or through any chain of
modules. `layers` lists groups of modules from the top down: a module may import the
layers below its own, never those above it. For each pair of layers, every direct import is
reported, and every indirect route once, with its shortest chain and the file and line of
each hop. A chain through a third layer is reported as that layer's violation instead. The
semantics are import-linter's `layers` contract (grimp's
`find_illegal_dependencies_for_layers`): the same broken imports, the same routes.

## Why is this bad?
Layers keep the policy of an application (routes, views) apart from its mechanisms
(repositories, utilities). One import the wrong way round makes a low layer depend on
everything above it: it can no longer be tested, reused or changed alone, and import cycles
follow.

## Example
```toml
[[contracts]]
name = "api layers"
type = "layers"
layers = ["app.routes", "app.services", "app.repositories"]
```
```python
# app/repositories/users.py
from app.routes import users_router  # AL101: repositories must not import routes
```

## Use instead
Move what the lower layer needs down into it (or into a layer below both), pass it in as an
argument or a callback, or invert the dependency with an interface the lower layer owns. A
justified exception goes in `ignore_imports`:
```toml
ignore_imports = ["app.repositories.users -> app.routes"]
```
A layer that matches no module of the project is a configuration error, and so is a module
that two layers both match.
"""

from __future__ import annotations

from archlint.contracts.base import Contract
from archlint.findings import Finding
from archlint.graph.model import ImportGraph
from archlint.graph.paths import shortest_chains

CODE = "AL101"
NAME = "layers"
SEVERITY = "error"


class LayersContract(Contract):
    type_name = "layers"
    code = CODE
    rule = NAME

    def violations(self, graph: ImportGraph) -> list[Finding]:
        groups = self.spec.options["layers"]
        sets = [self.resolve(graph, group, "layer") for group in groups]
        self.check_disjoint(graph, groups, sets, "layer")
        internal = [found.internal(graph) for found in sets]
        everything = frozenset().union(*internal)
        out = self.adjacency(graph)
        findings: list[Finding] = []
        for high in range(len(groups)):
            higher = sets[high]
            targets = higher.node_ids
            for low in range(high + 1, len(groups)):
                sources = internal[low]
                # Chains may not pass through any other layer (grimp's excluded modules).
                blocked = everything - sources - internal[high]
                edge_ok = None
                if higher.partial:
                    edge_ok = lambda a, b, s=higher: s.enters(graph, a, b)  # noqa: E731
                reason = (
                    f"layer '{groups[low].label}' must not import"
                    f" higher layer '{groups[high].label}'"
                )
                for chain in shortest_chains(
                    out, sources, targets, blocked=blocked, edge_ok=edge_ok, squash=True
                ):
                    findings.append(self.chain_finding(graph, chain, reason, higher))
        return findings
