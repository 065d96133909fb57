"""## What it does
Reports an `ignore_imports` entry that matches no import of the project, at the entry's line
in the configuration file. An entry is `"importer -> imported"`, two module patterns,
matched the way import-linter matches them: a name without wildcards is exactly that module
(not its descendants), `*` is one segment and `**` one or more. An external package is one
squashed node, so on the imported side a name also matches anything below it:
`"app.api -> django.http"` ignores `from django.http import JsonResponse`. Entries are
checked against every import, type-only ones included.

## Why is this bad?
An ignore that matches nothing hides nothing, but it still reads as a pre-approved
exception: the day someone writes that import, it passes review and the contract without a
word. Stale entries are usually left behind by renamed or deleted modules.

## Example
```toml
[[contracts]]
name = "api layers"
type = "layers"
layers = ["app.routes", "app.services"]
ignore_imports = ["app.services.legacy -> app.routes.admin"]  # legacy.py was deleted
```

## Use instead
Delete the entry, or fix its module names (`archlint graph` shows the real ones).

This module is also what every contract shares: a contract gets a read-only import graph,
derives its own filtered copy when it has to (`ignore_type_only` drops type-only import
sites, `ignore_imports` drops matching ones) and only asks that copy questions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from archlint.config.model import SELECTOR_PATH, ContractSpec, Group, IgnoredImport, Selector
from archlint.errors import ConfigError
from archlint.facts import KIND_TYPE_ONLY
from archlint.findings import Finding, Hop
from archlint.globs import compile_module_pattern, compile_path_glob, is_wildcard
from archlint.graph.model import ImportGraph, Site
from archlint.graph.paths import Chain, adjacency
from archlint.graph.selectors import ModuleSet, module_set

# The rule this module defines itself (contracts define theirs in their own modules).
CODE = "AL105"
NAME = "unmatched-ignore"
SEVERITY = "error"

SideMatcher = Callable[[str, "str | None"], bool]  # (module id, file path) -> match


def _side(selector: Selector) -> SideMatcher:
    """One side of an ignore entry as a predicate on a module id and its file path."""
    if selector.kind == SELECTOR_PATH:
        regex = compile_path_glob(selector.pattern)
        return lambda _module, path: path is not None and regex.match(path) is not None
    if is_wildcard(selector.pattern):
        regex = compile_module_pattern(selector.pattern)
        return lambda module, _path: regex.match(module) is not None
    pattern = selector.pattern
    return lambda module, _path: module == pattern


class _IgnoreEntry:
    """One ``ignore_imports`` entry, compiled, remembering whether it matched anything."""

    __slots__ = ("entry", "_importer", "_imported", "_cache", "matched")

    def __init__(self, entry: IgnoredImport) -> None:
        self.entry = entry
        self._importer = _side(entry.importer)
        self._imported = _side(entry.imported)
        self._cache: dict[str, bool] = {}
        self.matched = False

    def matches(self, graph: ImportGraph, importer: str, imported: str, site: Site) -> bool:
        hit = self._cache.get(importer)
        if hit is None:
            hit = self._cache[importer] = self._importer(importer, graph.nodes[importer].path)
        if not hit:
            return False
        node = graph.nodes[imported]
        if not node.external:
            return self._imported(imported, node.path)
        # A squashed external package: match the imported name or any package above it.
        parts = site.imported.split(".")
        return any(
            self._imported(".".join(parts[:n]), None) for n in range(1, len(parts) + 1)
        )


class Contract:
    """Base class: subclasses set the class variables and implement :meth:`violations`."""

    type_name: ClassVar[str]
    code: ClassVar[str]
    rule: ClassVar[str]

    def __init__(self, spec: ContractSpec, config_path: str) -> None:
        self.spec = spec
        self.config_path = config_path

    # --- the run ------------------------------------------------------------------

    def check(self, graph: ImportGraph) -> list[Finding]:
        prepared, stale = self.prepare(graph)
        findings = [self._unmatched(entry) for entry in stale]
        findings.extend(self.violations(prepared))
        return findings

    def violations(self, graph: ImportGraph) -> list[Finding]:  # pragma: no cover
        raise NotImplementedError

    def prepare(self, graph: ImportGraph) -> tuple[ImportGraph, list[IgnoredImport]]:
        """The graph without ignored imports, and the ignore entries that matched nothing."""
        spec = self.spec
        if not spec.ignore_type_only and not spec.ignore_imports:
            return graph, []
        entries = [_IgnoreEntry(entry) for entry in spec.ignore_imports]
        type_only = spec.ignore_type_only

        def drop(importer: str, imported: str, site: Site) -> bool:
            ignored = False
            for entry in entries:
                if entry.matches(graph, importer, imported, site):
                    entry.matched = ignored = True
            return ignored or (type_only and site.kind == KIND_TYPE_ONLY)

        prepared = graph.without_sites(drop)
        return prepared, [e.entry for e in entries if not e.matched]

    def _unmatched(self, entry: IgnoredImport) -> Finding:
        return Finding(
            code=CODE,
            rule=NAME,
            severity=SEVERITY,
            message=(
                f"ignore_imports entry '{entry.text}' in contract '{self.spec.name}'"
                " matches no import"
            ),
            path=self.defined_in,
            line=entry.line or self.spec.line or 1,
            column=1,
            contract=self.spec.name,
        )

    # --- helpers for subclasses ---------------------------------------------------------

    @property
    def defined_in(self) -> str:
        """The file the contract was written in: the user's config, or a bundled preset."""
        return self.spec.origin or self.config_path

    def config_error(self, message: str) -> ConfigError:
        return ConfigError(
            f"contract '{self.spec.name}': {message}", path=self.defined_in, line=self.spec.line
        )

    def resolve(self, graph: ImportGraph, group: Group, what: str) -> ModuleSet:
        """A group's module set; a ConfigError when it matches no internal module."""
        found = module_set(graph, group)
        if not found.internal(graph):
            if self.spec.optional:  # presets: a layout this project does not have
                return ModuleSet()
            raise self.config_error(f"{what} '{group.label}' matches no module of the project")
        return found

    def check_disjoint(
        self, graph: ImportGraph, groups: Sequence[Group], sets: Sequence[ModuleSet], what: str
    ) -> None:
        """A module in two layers (or components) makes the contract ambiguous: refuse it."""
        owner: dict[str, int] = {}
        for index, found in enumerate(sets):
            for module in sorted(found.internal(graph)):
                first = owner.setdefault(module, index)
                if first != index:
                    raise self.config_error(
                        f"module {module} is in both {what} '{groups[first].label}'"
                        f" and {what} '{groups[index].label}'"
                    )

    @staticmethod
    def adjacency(graph: ImportGraph) -> dict[str, tuple[str, ...]]:
        return adjacency(graph)

    def hops(self, graph: ImportGraph, chain: Chain, target: ModuleSet | None = None) -> tuple[Hop, ...]:
        """The chain's hops, each at its first import site (into ``target`` for the last)."""
        hops: list[Hop] = []
        last = len(chain) - 2
        for index, (importer, imported) in enumerate(zip(chain, chain[1:])):
            if index == last and target is not None:
                sites = target.matching_sites(graph, importer, imported)
            else:
                sites = graph.sites(importer, imported)
            site = sites[0]
            hops.append(Hop(importer, imported, site.path, site.line, site.column))
        return tuple(hops)

    def finding(self, message: str, hops: tuple[Hop, ...]) -> Finding:
        first = hops[0]
        return Finding(
            code=self.code,
            rule=self.rule,
            severity=SEVERITY,
            message=message,
            path=first.path,
            line=first.line,
            column=first.column,
            contract=self.spec.name,
            chain=hops,
        )

    def chain_finding(
        self, graph: ImportGraph, chain: Chain, reason: str, target: ModuleSet | None = None
    ) -> Finding:
        """A finding for an illegal chain: '<a> imports <b> (reason)' or '... via ...'."""
        hops = self.hops(graph, chain, target)
        return self.finding(f"{describe_chain(graph, chain, hops, target)} ({reason})", hops)


def imported_name(graph: ImportGraph, hop: Hop, target: ModuleSet | None) -> str:
    """How messages name what a hop imports: the dotted name as written for externals."""
    if not graph.nodes[hop.imported].external:
        return hop.imported
    sites = (
        target.matching_sites(graph, hop.importer, hop.imported)
        if target is not None
        else graph.sites(hop.importer, hop.imported)
    )
    for site in sites:
        if (site.path, site.line, site.column) == (hop.path, hop.line, hop.column):
            return site.imported
    return hop.imported


def describe_chain(
    graph: ImportGraph, chain: Chain, hops: tuple[Hop, ...], target: ModuleSet | None = None
) -> str:
    imported = imported_name(graph, hops[-1], target)
    if len(chain) == 2:
        return f"{chain[0]} imports {imported}"
    return f"{chain[0]} indirectly imports {imported} via {' -> '.join(chain[1:-1])}"
