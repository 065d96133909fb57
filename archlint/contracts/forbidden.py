"""## What it does
Reports an import of a `forbidden` module by a `source` module. For modules of the project
the ban is transitive (unless `transitive = false`): importing a forbidden module through
any chain of other modules breaks the contract too, and each chain is reported with its
shortest path and the file and line of each hop, as import-linter's `forbidden` contract
reports them. External packages (`"requests"`, `"pypi:redis"`, or part of one such as
`"django.http"`) are only checked for direct imports: what a third-party package imports is
not your code. A chain ends at the first forbidden module it reaches: that import is the
one to fix.

A module matched by both `source` and `forbidden` is not forbidden to the source: with
`source = ["app.domain"]` and `forbidden = ["app.**"]`, everything in `app` outside
`app.domain` is forbidden (import-linter skips such overlapping pairs too).

## Why is this bad?
Some dependencies are wrong whatever the layering: a domain model importing the web
framework, a library importing the application that uses it, production code importing the
test suite. Each one drags the forbidden module into every place that imports the source.

## Example
```toml
[[contracts]]
name = "domain stays pure"
type = "forbidden"
source = ["app.domain"]
forbidden = ["app.web", "django", "sqlalchemy.orm"]
```
```python
# app/domain/orders.py
from django.db import models  # AL102: app.domain must not import django
```

## Use instead
Keep the domain in plain Python and let the outer layer adapt it: the web or ORM layer
imports the domain, converts at its boundary, and passes plain values in. A justified
exception goes in `ignore_imports`:
```toml
ignore_imports = ["app.domain.legacy -> django"]
```
A `source` that matches no module of the project is a configuration error; a `forbidden`
entry that matches nothing (an external package nobody imports yet) is fine.
"""

from __future__ import annotations

from archlint.contracts.base import Contract
from archlint.findings import Finding
from archlint.graph.model import ImportGraph
from archlint.graph.paths import direct_imports, shortest_chains
from archlint.graph.selectors import ModuleSet, module_set

CODE = "AL102"
NAME = "forbidden-import"
SEVERITY = "error"


class ForbiddenContract(Contract):
    type_name = "forbidden"
    code = CODE
    rule = NAME

    def violations(self, graph: ImportGraph) -> list[Finding]:
        options = self.spec.options
        transitive = bool(options.get("transitive", True))
        out = self.adjacency(graph)
        findings: list[Finding] = []
        for source_group in options["source"]:
            source = self.resolve(graph, source_group, "source").internal(graph)
            for forbidden_group in options["forbidden"]:
                banned = module_set(graph, forbidden_group)
                reason = f"'{source_group.label}' must not import '{forbidden_group.label}'"
                internal = banned.internal(graph) - source
                importers = source
                if internal:
                    if transitive:
                        chains = shortest_chains(out, importers, internal)
                    else:
                        chains = direct_imports(out, importers, internal)
                    findings.extend(self.chain_finding(graph, c, reason) for c in chains)
                external = ModuleSet(banned.nodes - banned.internal(graph), banned.partial)
                if external:
                    chains = direct_imports(
                        out,
                        importers,
                        external.node_ids,
                        lambda a, b, s=external: s.enters(graph, a, b),
                    )
                    findings.extend(self.chain_finding(graph, c, reason, external) for c in chains)
        return findings
