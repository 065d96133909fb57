"""archlint's import graph against grimp's, on real packages and on a tricky synthetic one.

archlint builds its graph without importing anything (Python frontend + module namer +
build_graph); grimp is the reference import-linter uses. The module -> module edge sets
must be equal apart from these deliberate differences, each checked explicitly below:

1. Dynamic imports (``importlib.import_module("x")``): archlint records them (kind
   "dynamic"); grimp does not see them. They are left out of the comparison, and every
   edge archlint has on top of grimp's must be one that only dynamic sites make.
2. Self-imports (a module importing itself, e.g. ``from . import x`` in a package whose
   ``x`` is an attribute): grimp keeps them as self-loops; archlint drops them. A self-loop
   never changes what reaches what, so no contract verdict depends on it.
3. With ``include_external_packages``, grimp turns an import of a missing internal module
   (``import pkg.missing.x``) into an edge to the top package ``pkg``, and an import above
   the top (``from ... import x``) into an edge to an external module named ``""``.
   archlint drops both, as grimp itself does without externals (the mode import-linter
   uses by default and that this comparison uses for internal edges).
Files whose name is no identifier (Django's ``migrations/0001_initial.py``) are modules in
both graphs: no import statement can name them, but their own imports count.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from archlint.facts import KIND_DYNAMIC, SourceFile
from archlint.graph.build import build_graph
from archlint.graph.model import ImportGraph

grimp = pytest.importorskip("grimp")

PACKAGES = ["django", "fastapi", "starlette", "sqlalchemy"]

Edge = tuple[str, str]


def archlint_graph(site_dir: Path, package: str) -> ImportGraph:
    """archlint's graph of one installed package, the way a run builds it."""
    from archlint.frontends.python import parse_python
    from archlint.frontends.python_modules import PythonModuleNamer

    namer = PythonModuleNamer(site_dir)
    files = []
    for directory, _, names in os.walk(site_dir / package):
        for name in names:
            if not name.endswith(".py"):
                continue
            rel = (Path(directory) / name).relative_to(site_dir).as_posix()
            named = namer.name_for(rel)
            module, is_package = named if named else (None, False)
            if module is None or not (module == package or module.startswith(package + ".")):
                continue
            facts = parse_python((site_dir / rel).read_bytes())
            assert facts.problem is None, (rel, facts.problem)
            files.append((SourceFile(rel, "python", module, is_package), facts))
    return build_graph(files)


def site_dir_of(package: str) -> Path:
    module = pytest.importorskip(package)
    return Path(module.__file__).resolve().parent.parent


def internal_edges(graph: ImportGraph) -> tuple[set[Edge], set[Edge]]:
    """(edges with a static site, edges made only by dynamic sites), internal only."""
    static: set[Edge] = set()
    dynamic: set[Edge] = set()
    for importer, imported in graph.edges():
        if graph.nodes[imported].external:
            continue
        kinds = {site.kind for site in graph.sites(importer, imported)}
        (dynamic if kinds == {KIND_DYNAMIC} else static).add((importer, imported))
    return static, dynamic


def external_edges(graph: ImportGraph) -> set[Edge]:
    return {
        (a, b)
        for a, b in graph.edges()
        if graph.nodes[b].external
        and any(site.kind != KIND_DYNAMIC for site in graph.sites(a, b))
    }


def grimp_edges(package: str, *, externals: bool = False) -> tuple[set[Edge], set[Edge]]:
    """(internal edges, edges to squashed external packages) of grimp's graph."""
    graph = grimp.build_graph(package, include_external_packages=externals, cache_dir=None)
    internal: set[Edge] = set()
    external: set[Edge] = set()
    for module in graph.modules:
        if graph.is_module_squashed(module):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.is_module_squashed(imported):
                external.add((module, imported))
            else:
                internal.add((module, imported))
    return internal, external


def compare(package: str, ours: ImportGraph) -> None:
    """Assert the graphs agree but for the deliberate differences."""
    static, dynamic_only = internal_edges(ours)
    theirs, _ = grimp_edges(package)
    unnamed = {m for edge in theirs for m in edge} - set(ours.nodes)
    assert not unnamed, f"modules grimp has and archlint does not: {sorted(unnamed)[:20]}"
    self_loops = {(a, b) for a, b in theirs if a == b}  # difference 2
    missing = sorted(theirs - self_loops - static)
    extra = sorted(static - theirs)
    assert not missing and not extra, (
        f"{package}: edges only grimp has: {missing[:40]} ({len(missing)})\n"
        f"{package}: edges only archlint has: {extra[:40]} ({len(extra)})"
    )
    # Difference 1: what archlint adds on top is exactly its dynamic-only edges.
    assert not dynamic_only & theirs, sorted(dynamic_only & theirs)

    # External packages, squashed to their top-level name, compared with grimp's.
    _, theirs_external = grimp_edges(package, externals=True)
    theirs_external = {(a, b) for a, b in theirs_external if b}  # difference 3: grimp's ""
    ours_external = external_edges(ours)
    assert ours_external == theirs_external, (
        f"only grimp: {sorted(theirs_external - ours_external)[:40]}\n"
        f"only archlint: {sorted(ours_external - theirs_external)[:40]}"
    )


@pytest.mark.parametrize("package", PACKAGES)
def test_same_edges_as_grimp(package: str) -> None:
    site_dir = site_dir_of(package)
    ours = archlint_graph(site_dir, package)
    assert len(ours.internal_modules) > 20
    compare(package, ours)


# --- a synthetic package with every resolution corner we know of ------------------------

TRICKY = {
    "tricky/__init__.py": (
        "from . import helper\nfrom . import sub\nfrom .sub import *\nfrom . import *\n"
        "import tricky\nimport tricky.missing\nfrom tricky import notamodule\n"
    ),
    "tricky/helper.py": (
        "import os, sys\nimport os.path as osp\nfrom collections import OrderedDict\n"
        "import tricky.sub.deep.leaf\nimport tricky.sub.missing.thing\n"
        "from tricky.missing import x\nfrom tricky.sub import deep\n"
        "from .. import tricky as t2\nfrom . import helper\nimport tricky.helper\n"
        "import importlib\nimportlib.import_module('tricky.other.mod')\n"
        "importlib.import_module('tricky.dyn')\n"
        "def f():\n    from tricky.other import mod\n    import json.decoder\n"
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from tricky.sub.deep import leaf\nelse:\n    from tricky.other.mod import thing\n"
    ),
    "tricky/dyn.py": "",
    "tricky/sub/__init__.py": (
        "from .deep import leaf\nfrom ..other import mod\nfrom .. import helper\n"
        "from ... import nothing_here\n"
    ),
    "tricky/sub/deep/__init__.py": "",
    "tricky/sub/deep/leaf.py": (
        "from ... import helper\nfrom ...other.mod import X\nfrom .. import deep\n"
        "from . import *\nfrom .nope import *\nfrom tricky.sub.deep.leaf import y\n"
        "class A:\n    import tricky.other\n"
    ),
    "tricky/other/__init__.py": "",
    "tricky/other/mod.py": (
        "from tricky.sub.deep import leaf as L, missing_attr\n"
        "import tricky.sub.deep.leaf.attr\nimport tricky.sub.deep.leaf.attr.more\n"
    ),
    "tricky/not-a-module/ignored.py": "import tricky\n",
    "tricky/0001_data.py": "from tricky import helper\n",
}


def test_tricky_package_matches_grimp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for rel, text in TRICKY.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("tricky", None)
    ours = archlint_graph(tmp_path, "tricky")
    compare("tricky", ours)
    assert ("tricky.0001_data", "tricky.helper") in set(ours.edges())
    # The deliberate differences really occur here, so the checks above are not vacuous.
    theirs, _ = grimp_edges("tricky")
    assert {(a, b) for a, b in theirs if a == b} == {
        ("tricky", "tricky"), ("tricky.helper", "tricky.helper"),
        ("tricky.sub.deep.leaf", "tricky.sub.deep.leaf"),
    }
    assert internal_edges(ours)[1] == {("tricky.helper", "tricky.dyn")}
    _, theirs_external = grimp_edges("tricky", externals=True)
    assert ("tricky.helper", "") in theirs_external
