"""## What it does
Reports an import between two of the `components`, in either direction, direct or through
modules that belong to no component. For each ordered pair of components, every direct
import is reported, and every indirect route once, with its shortest chain and the file and
line of each hop. A chain through a third component is reported as that component's
violation instead. The semantics are import-linter's `independence` contract.

## Why is this bad?
Independent components (bounded contexts, plugins, feature packages) can be built, tested,
owned and deleted one at a time. One import between two of them couples their release
cycles and, sooner or later, their data models.

## Example
```toml
[[contracts]]
name = "features are independent"
type = "independence"
components = ["app.billing", "app.catalog", "app.shipping"]
```
```python
# app/billing/invoices.py
from app.shipping.rates import rate_for  # AL103: billing must not import shipping
```

## Use instead
Move what both need into a shared module below them (`app.common`), or let them talk
through an event, a callback or an interface owned by a module that imports both. A
justified exception goes in `ignore_imports`:
```toml
ignore_imports = ["app.billing.invoices -> app.shipping.rates"]
```
A component that matches no module of the project is a configuration error, and so is a
module that two components both match.
"""

from __future__ import annotations

from archlint.contracts.base import Contract
from archlint.findings import Finding
from archlint.graph.model import ImportGraph
from archlint.graph.paths import shortest_chains

CODE = "AL103"
NAME = "independence"
SEVERITY = "error"


class IndependenceContract(Contract):
    type_name = "independence"
    code = CODE
    rule = NAME

    def violations(self, graph: ImportGraph) -> list[Finding]:
        groups = self.spec.options["components"]
        sets = [self.resolve(graph, group, "component") for group in groups]
        self.check_disjoint(graph, groups, sets, "component")
        internal = [found.internal(graph) for found in sets]
        everything = frozenset().union(*internal)
        out = self.adjacency(graph)
        findings: list[Finding] = []
        for source, importer_group in enumerate(groups):
            for target, imported_group in enumerate(groups):
                if source == target:
                    continue
                wanted = sets[target]
                edge_ok = None
                if wanted.partial:
                    edge_ok = lambda a, b, s=wanted: s.enters(graph, a, b)  # noqa: E731
                reason = (
                    f"component '{importer_group.label}' must not import"
                    f" component '{imported_group.label}'"
                )
                chains = shortest_chains(
                    out,
                    internal[source],
                    wanted.node_ids,
                    blocked=everything - internal[source] - internal[target],
                    edge_ok=edge_ok,
                    squash=True,
                )
                findings.extend(self.chain_finding(graph, c, reason, wanted) for c in chains)
        return findings
