"""Where a project's Python import roots are, and whether ``python.roots`` must say so.

archlint names a Python file from the first folder above it without an ``__init__.py``
(flat and ``src/`` layouts need nothing). A project whose code imports ``app.routes`` while
``app/`` has no ``__init__.py`` (a namespace package) is named otherwise, and its imports do
not resolve: that is when ``python.roots`` is needed. This module finds such roots from the
imports themselves: an absolute import that does not resolve and whose first segment names
a folder of the project proposes that folder's parent as a root; a root is kept only when it
makes more of the project's imports resolve than it breaks.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from archlint.frontends.python_modules import PythonModuleNamer
from archlint.init.scan import PyFile, parent

MAX_CANDIDATES = 8


@dataclass(slots=True)
class Roots:
    roots: list[str]  # what python.roots must hold ([] when the defaults do)
    packages: dict[str, str]  # top-level package -> the folder it is imported from ("" root)
    evidence: list[str] = field(default_factory=list)  # why each root is needed
    names: dict[str, str] = field(default_factory=dict)  # path -> module name, with the roots


def module_names(root: Path, paths: list[str], roots: tuple[str, ...]) -> dict[str, str]:
    namer = PythonModuleNamer(root, roots)
    names: dict[str, str] = {}
    for path in paths:
        named = namer.name_for(path)
        if named is not None:
            names[path] = named[0]
    return names


def _resolves(module: str, members: tuple[str, ...], known: set[str]) -> bool:
    return module in known or any(f"{module}.{m}" in known for m in members)


def _score(
    files: dict[str, PyFile], names: dict[str, str]
) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """((importer, module) of the imports that resolve to a module of the project, the rest)."""
    known = set(names.values())
    resolved: set[tuple[str, str]] = set()
    missing: list[tuple[str, str]] = []
    for path, facts in files.items():
        for module, members in facts.imports:
            if module.partition(".")[0] in sys.stdlib_module_names:
                continue
            if _resolves(module, members, known):
                resolved.add((path, module))
            else:
                missing.append((path, module))
    return resolved, missing


def find_roots(root: Path, files: dict[str, PyFile], folders: set[str]) -> Roots:
    paths = sorted(files)
    chosen: list[str] = []
    names = module_names(root, paths, ())
    best, missing = _score(files, names)
    by_basename: dict[str, set[str]] = {}
    for folder in folders:
        if folder:
            by_basename.setdefault(folder.rpartition("/")[2], set()).add(parent(folder))
    for path in paths:
        stem = path.rpartition("/")[2].removesuffix(".py")
        by_basename.setdefault(stem, set()).add(parent(path))
    votes: Counter[str] = Counter()
    for importer, module in missing:
        top = module.partition(".")[0]
        places = by_basename.get(top, set())
        # The folder closest to the importer wins: backend/app/main.py importing app.x
        # means backend/app, not some other app/ elsewhere.
        near = [p for p in places if importer.startswith(p + "/" if p else "")]
        for place in sorted(near, key=len, reverse=True)[:1] or sorted(places)[:1]:
            votes[place] += 1
    evidence: list[str] = []
    for candidate, _count in votes.most_common(MAX_CANDIDATES):
        trial = module_names(root, paths, (*chosen, candidate or "."))
        resolved, _ = _score(files, trial)
        if len(resolved) > len(best):
            chosen.append(candidate or ".")
            # The example shown: an import inside the namespace package itself, if any.
            gained = sorted(resolved - best)
            inside = [
                (i, m)
                for i, m in gained
                if i.startswith(f"{candidate}/{m.partition('.')[0]}/".lstrip("/"))
            ]
            importer, module = (inside or gained)[0]
            best, names = resolved, trial
            top = module.partition(".")[0]
            where = f"{candidate}/{top}" if candidate else top
            evidence.append(
                f"{candidate or '.'}: {importer} imports {module}, but {where}/ has no"
                " __init__.py (a namespace package)"
            )
    imported = {module.partition(".")[0] for _, module in best}
    return Roots(sorted(chosen), _packages(names, imported), evidence, names)


def _packages(names: dict[str, str], imported: set[str]) -> dict[str, str]:
    """Top-level packages and the folder each is imported from: those with an __init__.py,
    and namespace packages the project's imports resolve into (not loose scripts)."""
    found: dict[str, str] = {}
    for path, name in sorted(names.items()):
        segments = name.split(".")
        if len(segments) < 2 and not path.endswith("/__init__.py"):
            continue
        folders = parent(path).split("/") if parent(path) else []
        depth = len(segments) - (0 if path.endswith("/__init__.py") else 1)
        base = "/".join(folders[: len(folders) - depth]) if depth else "/".join(folders)
        init = "/".join(filter(None, (base, segments[0], "__init__.py")))
        if segments[0] in imported or init in names:
            found.setdefault(segments[0], base)
    return found
