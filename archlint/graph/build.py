"""Building the import graph from per-file facts, with grimp's resolution rules.

Every named source file is a node. Each import site is resolved against its importer the
way grimp resolves it (grimp/rust/src/import_scanning.rs), so that archlint's internal
module -> module edges are the ones grimp and import-linter see:

1. Relative imports are made absolute: from a package (``__init__``) level 1 is the package
   itself, from a plain module level 1 is its parent. A level that climbs above the top
   package drops the site.
2. The candidate name is ``module.name`` for ``from module import name`` (``module`` for
   ``*``) and ``module`` for ``import module``. If it is an internal module, that is the
   edge. Otherwise, if the candidate minus its last segment is internal (``from pkg import
   attr``, or grimp's one-level fallback for ``import pkg.missing``), the edge goes there.
   For ``from x import *`` only ``x`` itself is tried, as grimp does for ``x.*``.
3. Anything else whose first segment is the name of an internal top-level package is an
   import of an internal-looking module that does not exist: dropped, as grimp drops it.
4. Everything else is external: the edge goes to a node named after the top-level package
   (``django``), like grimp's ``include_external_packages`` with the package squashed.
   Standard-library modules are external packages too. ``Site.imported`` keeps the full
   dotted candidate (``django.http.HttpResponse``) so selectors can match submodules.

A module importing itself is not an edge (grimp drops those too). Dynamic imports
(``importlib.import_module``) are edges like any other, with ``kind == "dynamic"``;
grimp does not see them at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from archlint.facts import FileFacts, ImportSite, SourceFile
from archlint.graph.model import ImportGraph, Node, Site


def _owner_key(source: SourceFile) -> tuple[bool, str]:
    # A .py beats a .pyi stub for the same module; otherwise the first path in sorted order.
    return (source.path.endswith(".pyi"), source.path)


def _base(site: ImportSite, module: str, is_package: bool) -> str | None:
    """The absolute dotted name of the ``module`` part of a site; None above the top."""
    if site.level == 0:
        return site.module
    parts = module.split(".")
    climb = site.level - 1 if is_package else site.level
    if climb >= len(parts):
        return None
    base = ".".join(parts[: len(parts) - climb])
    return f"{base}.{site.module}" if site.module else base


def build_graph(files: Iterable[tuple[SourceFile, FileFacts]]) -> ImportGraph:
    """An :class:`ImportGraph` of every named file and its resolved imports.

    The result does not depend on the order of ``files``.
    """
    owners: dict[str, tuple[SourceFile, FileFacts]] = {}
    for source, facts in sorted(
        (pair for pair in files if pair[0].module), key=lambda pair: _owner_key(pair[0])
    ):
        assert source.module is not None
        owners.setdefault(source.module, (source, facts))

    graph = ImportGraph()
    for module in sorted(owners):
        source = owners[module][0]
        graph.add_node(Node(id=module, path=source.path, language=source.language))
    internal = graph.nodes.keys()
    internal_tops = {module.partition(".")[0] for module in internal}

    for module in sorted(owners):
        source, facts = owners[module]
        for site in facts.imports:
            base = _base(site, module, source.is_package)
            if not base:
                continue
            if site.name is None or site.name == "*":
                candidate = base
                tries = (base,) if site.name == "*" else (base, base.rpartition(".")[0])
            else:
                candidate = f"{base}.{site.name}"
                tries = (candidate, base)
            target = next((name for name in tries if name in internal), None)
            if target is None:
                top = candidate.partition(".")[0]
                if not top or top in internal_tops:
                    continue  # an internal-looking module that does not exist
                target = top
                if target not in graph.nodes:
                    graph.add_node(Node(id=top, path=None, language=source.language, external=True))
            if target == module:
                continue
            graph.add_import(
                module,
                target,
                Site(source.path, site.line, site.column, site.kind, candidate),
            )
    return graph
