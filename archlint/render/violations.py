"""What `archlint graph` needs to colour a picture: the findings, and the imports they blame.

An import violates when it is a hop of a finding's import chain (every contract finding
carries one: a single hop for a direct import, the whole path for an indirect one or a
cycle). On a collapsed graph, a folded edge violates when any import folded into it does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from archlint.errors import ConfigError
from archlint.findings import Finding
from archlint.graph.model import ImportGraph

if TYPE_CHECKING:
    from archlint.config.model import Config

Edge = tuple[str, str]


def violating_edges(
    findings: Iterable[Finding], fold: Callable[[str], str] | None = None
) -> set[Edge]:
    """The (importer, imported) edges on some finding's chain, folded by ``fold`` if given."""
    edges: set[Edge] = set()
    for finding in findings:
        for hop in finding.chain:
            if fold is None:
                edges.add((hop.importer, hop.imported))
                continue
            source, target = fold(hop.importer), fold(hop.imported)
            if source != target:  # folded into one package: the edge is gone
                edges.add((source, target))
    return edges


def graph_findings(
    config: Config, *, use_cache: bool = True, jobs: int | None = None
) -> tuple[list[Finding], list[str], ImportGraph | None]:
    """The project's findings as `archlint check` selects them (config select/ignore, inline
    suppressions), notes, and the import graph the check built (None when it replayed a
    remembered run). A contract that cannot be checked is a note here, not an error: the
    graph is still worth drawing."""
    from archlint import engine

    try:
        result = engine.check(config, use_cache=use_cache, jobs=jobs,
                              select=config.select, ignore=config.ignore)  # fmt: skip
    except ConfigError as error:
        return [], [f"violations are not shown: {error}"], None
    return list(result.findings), [], result.graph


def draw(
    config: Config,
    graph: ImportGraph,
    output_format: str,
    depth: int | None = None,
    findings: Sequence[Finding] = (),
) -> str:
    """The graph (collapsed to ``depth`` if given) in ``output_format``, violations red."""
    from archlint.render import collapse, folder, get_renderer

    fold = folder(graph, depth) if depth is not None else None
    drawn = collapse(graph, depth) if depth is not None else graph
    renderer = get_renderer(output_format)
    if output_format == "json":
        return renderer(drawn)
    violations = violating_edges(findings, fold)
    if output_format != "html":
        return renderer(drawn, violations)
    from archlint.render.html import component_members

    return renderer(
        drawn,
        violations=violations,
        findings=findings,
        components=component_members(drawn, config),
        fold=fold,
        title=config.root.name or str(config.root),
    )
