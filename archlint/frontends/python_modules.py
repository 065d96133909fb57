"""Naming Python files as modules, from where they sit in the tree (never by importing them).

Default rule: a file's import root is the first directory above it without an ``__init__.py``
(what ``python -m`` / pytest's rootdir-less "prepend" mode would put on ``sys.path``). That
covers flat layouts, ``src/`` layouts and loose scripts without any configuration. Configured
roots (``python_roots``) name files relative to a root instead, which is how namespace
packages (PEP 420, no ``__init__.py``) get names.
"""

from __future__ import annotations

import glob
import keyword
import os
from pathlib import Path

from archlint.errors import ConfigError

_PACKAGE_MARKERS = ("__init__.py", "__init__.pyi")  # a stub-only package is a package too


def _normalise_root(pattern: str) -> str:
    text = pattern.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    text = text.rstrip("/")
    if text in ("", "."):
        return "."
    segments = text.split("/")
    if text.startswith("/") or ".." in segments or (len(text) > 1 and text[1] == ":"):
        raise ConfigError(f"python root {pattern!r} must be a path inside the project root")
    if "" in segments or "." in segments:
        raise ConfigError(f"python root {pattern!r} has an empty segment")
    return text


def expand_roots(root: Path, roots: tuple[str, ...]) -> list[str]:
    """The existing directories that ``roots`` name, as sorted posix paths relative to ``root``.

    A root is a posix path relative to ``root``; segments may hold glob wildcards
    (``services/*/src``; ``**`` spans directories). ``.`` is the project root itself. Roots
    that match no directory are left out (the caller may warn about them).
    """
    found: set[str] = set()
    base = os.fspath(root)
    for pattern in roots:
        text = _normalise_root(pattern)
        if text == ".":
            found.add(".")
            continue
        if glob.has_magic(text):
            matches = glob.glob(text, root_dir=base, recursive=True)
        else:
            matches = [text]
        for match in matches:
            relative = match.replace(os.sep, "/").rstrip("/")
            if not relative or relative == ".":
                found.add(".")
            elif os.path.isdir(os.path.join(base, relative)):
                found.add(relative)
    return sorted(found)


def is_module_segment(segment: str) -> bool:
    """Whether ``segment`` can appear in a dotted module name an import statement can use."""
    return segment.isidentifier() and not keyword.iskeyword(segment)


class PythonModuleNamer:
    """Maps posix paths of .py/.pyi files (relative to ``root``) to dotted module names.

    Results are cached per directory, so naming thousands of files costs one ``stat`` per
    directory, not per file.
    """

    def __init__(self, root: Path, roots: tuple[str, ...] = ()) -> None:
        self._root = os.fspath(root)
        # Deepest first, so the first root a file is under is the one that wins.
        self._roots = sorted(
            expand_roots(root, roots), key=lambda r: (-(r.count("/") + (r != ".")), r)
        )
        self._prefixes: dict[str, tuple[str, ...]] = {}

    @property
    def roots(self) -> tuple[str, ...]:
        """The expanded configured roots, deepest first."""
        return tuple(self._roots)

    def name_for(self, relpath: str) -> tuple[str, bool] | None:
        """relpath: posix path of a .py/.pyi file relative to root.

        Returns (dotted module name, is_package), or None when the file cannot be imported
        by name: not a Python file, a segment that is no identifier (``my-scripts``,
        ``2fa``), or an ``__init__.py`` that sits directly in its import root.
        """
        if relpath.endswith(".py"):
            stem_path = relpath[:-3]
        elif relpath.endswith(".pyi"):
            stem_path = relpath[:-4]
        else:
            return None
        stem_path = stem_path.removeprefix("./")
        directory, _, stem = stem_path.rpartition("/")
        is_package = stem == "__init__"
        parts = self._configured_parts(directory)
        if parts is None:
            parts = self._package_parts(directory)
        if not is_package:
            parts = (*parts, stem)
        checked = parts if is_package else parts[:-1]  # package names must be identifiers
        if not parts or not all(is_module_segment(part) for part in checked):
            return None
        # The file's own name may be no identifier (Django's ``migrations/0001_initial.py``):
        # no import statement can name it, but it is still a module of its package whose
        # imports count, and grimp names it the same way. A dot would make the name ambiguous.
        last = parts[-1]
        if not last or "." in last or any(c.isspace() for c in last):
            return None
        return ".".join(parts), is_package

    def _configured_parts(self, directory: str) -> tuple[str, ...] | None:
        """The package path of ``directory`` under the deepest configured root holding it."""
        for root in self._roots:
            if root == ".":
                relative = directory
            elif directory == root:
                relative = ""
            elif directory.startswith(root + "/"):
                relative = directory[len(root) + 1 :]
            else:
                continue
            return tuple(relative.split("/")) if relative else ()
        return None

    def _package_parts(self, directory: str) -> tuple[str, ...]:
        """The package path of ``directory``: its name and those of the packages above it."""
        cached = self._prefixes.get(directory)
        if cached is not None:
            return cached
        if directory and self._is_package_dir(directory):
            parent, _, name = directory.rpartition("/")
            parts = (*self._package_parts(parent), name)
        else:
            parts = ()  # the project root is always an import root: never look above it
        self._prefixes[directory] = parts
        return parts

    def _is_package_dir(self, directory: str) -> bool:
        path = os.path.join(self._root, directory)
        return any(os.path.isfile(os.path.join(path, marker)) for marker in _PACKAGE_MARKERS)
