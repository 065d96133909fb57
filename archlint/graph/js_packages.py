"""Node.js data and package.json rules for the JS/TS resolver, with no Node.js at run time.

Here live: the list of Node built-in modules (data, in one place), npm package names,
a read-only view of the project root that never reads outside it, package.json
``exports``/``imports`` matching (Node's PACKAGE_IMPORTS_EXPORTS_RESOLVE), and workspace
discovery (package.json ``workspaces``, ``pnpm-workspace.yaml``, ``lerna.json``).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from typing import Any

from archlint.errors import ConfigError
from archlint.globs import PatternError, compile_path_glob

# Node 20's ``require('module').builtinModules``: names a bare ``import`` may use without
# the ``node:`` prefix. Anything written with ``node:`` is built in whatever its name
# (``node:test``, ``node:sqlite`` and ``node:sea`` exist only with the prefix).
NODE_BUILTINS = frozenset(
    {
        "_http_agent", "_http_client", "_http_common", "_http_incoming", "_http_outgoing",
        "_http_server", "_stream_duplex", "_stream_passthrough", "_stream_readable",
        "_stream_transform", "_stream_wrap", "_stream_writable", "_tls_common", "_tls_wrap",
        "assert", "assert/strict", "async_hooks", "buffer", "child_process", "cluster",
        "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns",
        "dns/promises", "domain", "events", "fs", "fs/promises", "http", "http2", "https",
        "inspector", "inspector/promises", "module", "net", "os", "path", "path/posix",
        "path/win32", "perf_hooks", "process", "punycode", "querystring", "readline",
        "readline/promises", "repl", "stream", "stream/consumers", "stream/promises",
        "stream/web", "string_decoder", "sys", "timers", "timers/promises", "tls",
        "trace_events", "tty", "url", "util", "util/types", "v8", "vm", "wasi",
        "worker_threads", "zlib",
    }
)  # fmt: skip

# Conditions of package.json "exports"/"imports", best first. Node picks the first key of
# the object that is active; we do not know whether a site is an ESM import or a require,
# so we rank them instead: ESM over CJS, a generic "default" last. "source" and "types"
# come first but only count when they name a file the run knows (a monorepo's source).
SOURCE_CONDITIONS = ("source", "types")
RUNTIME_CONDITIONS = ("import", "module", "require", "node", "default")

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+:")


def package_name(specifier: str) -> str:
    """The npm package a bare specifier names: ``@scope/pkg/sub`` -> ``@scope/pkg``."""
    if specifier.startswith("@"):
        return "/".join(specifier.split("/", 2)[:2])
    return specifier.split("/", 1)[0]


def url_scheme(specifier: str) -> str | None:
    """``https:``, ``data:``, ``node:``... for a URL-like specifier; None otherwise.

    Two letters at least, so a Windows drive (``C:``) is never mistaken for one.
    """
    match = _SCHEME.match(specifier)
    return match.group(0).lower() if match else None


def norm_join(base: str, rel: str) -> str:
    """``base/rel`` normalised, root-relative and posix; may start with ``..`` (outside)."""
    path = posixpath.normpath(f"{base}/{rel}" if base else rel)
    return "" if path == "." else path


def is_outside(path: str) -> bool:
    """True for a root-relative path that climbs out of the root (or is absolute)."""
    return path.startswith(("../", "/")) or path == ".."


def parent_dir(path: str) -> str:
    return path.rpartition("/")[0]


class RootFS:
    """Read-only, cached access to files below one root; nothing outside it is ever read.

    Paths are posix and relative to the root (``""`` is the root). A path is inside when
    its real path (symlinks and ``..`` resolved) is the root or below it.
    """

    def __init__(self, root: os.PathLike[str] | str) -> None:
        self.root = os.path.realpath(root)
        self._is_file: dict[str, bool] = {}
        self._is_dir: dict[str, bool] = {}
        self._packages: dict[str, dict[str, Any] | None] = {}
        self.inputs: set[str] = set()  # every file read: caches must notice when one changes

    def abspath(self, rel: str) -> str:
        return os.path.join(self.root, *rel.split("/")) if rel else self.root

    def _inside(self, absolute: str) -> bool:
        real = os.path.realpath(absolute)
        return real == self.root or real.startswith(self.root + os.sep)

    def is_file(self, rel: str) -> bool:
        known = self._is_file.get(rel)
        if known is None:
            absolute = self.abspath(rel)
            known = not is_outside(rel) and os.path.isfile(absolute) and self._inside(absolute)
            self._is_file[rel] = known
        return known

    def is_dir(self, rel: str) -> bool:
        known = self._is_dir.get(rel)
        if known is None:
            absolute = self.abspath(rel)
            known = not is_outside(rel) and os.path.isdir(absolute) and self._inside(absolute)
            self._is_dir[rel] = known
        return known

    def read_text(self, rel: str) -> str | None:
        """The text of a file inside the root; None if it is missing or unreadable."""
        if not self.is_file(rel):
            return None
        self.inputs.add(rel)
        try:
            with open(self.abspath(rel), encoding="utf-8", errors="replace") as handle:
                return handle.read().removeprefix("\ufeff")
        except OSError:
            return None

    def package_json(self, directory: str) -> dict[str, Any] | None:
        """The package.json of ``directory``, parsed once; None if absent or not an object.

        Lenient on purpose: a broken package.json in some test-fixture folder must not
        stop a whole run, and npm reads them with strict JSON, so no JSONC here.
        """
        if directory in self._packages:
            return self._packages[directory]
        data: dict[str, Any] | None = None
        text = self.read_text(f"{directory}/package.json" if directory else "package.json")
        if text is not None:
            try:
                loaded = json.loads(text)
            except ValueError:
                loaded = None
            data = loaded if isinstance(loaded, dict) else None
        self._packages[directory] = data
        return data


# --- package.json "exports" and "imports" -----------------------------------------------


def match_subpath(mapping: dict[str, Any], key: str) -> tuple[Any, str | None] | None:
    """Node's PACKAGE_IMPORTS_EXPORTS_RESOLVE lookup: the target of ``key`` in ``mapping``
    and what its ``*`` matched (None for an exact key); None when nothing matches.

    An exact key wins; otherwise the pattern with the longest text before its ``*``, then
    the longest key (Node's PATTERN_KEY_COMPARE).
    """
    if "*" not in key and key in mapping:
        return mapping[key], None
    best: tuple[int, int] | None = None
    found: tuple[Any, str | None] | None = None
    for pattern, target in mapping.items():
        star = pattern.find("*")
        if star < 0 or pattern.find("*", star + 1) >= 0:
            continue
        prefix, suffix = pattern[:star], pattern[star + 1 :]
        if len(key) < len(pattern) or not key.startswith(prefix) or not key.endswith(suffix):
            continue
        score = (len(prefix), len(pattern))
        if best is None or score > best:
            best = score
            found = (target, key[len(prefix) : len(key) - len(suffix)])
    return found


def exports_mapping(exports: Any) -> dict[str, Any] | None:
    """package.json "exports" as a subpath -> target mapping (sugar forms expanded)."""
    if isinstance(exports, (str, list)):
        return {".": exports}
    if isinstance(exports, dict):
        if any(isinstance(k, str) and k.startswith(".") for k in exports):
            return exports
        return {".": exports}  # a conditions object for the package itself
    return None


# --- workspaces -------------------------------------------------------------------------


def _load_yaml(fs: RootFS, rel: str) -> Any:
    text = fs.read_text(rel)
    if text is None:
        return None
    # PyYAML, imported only for repositories that have this file.
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"invalid YAML: {problem}", path=rel, line=line) from None


def _string_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def workspace_globs(fs: RootFS) -> list[tuple[str, str]]:
    """(glob, file that declares it) for every workspace glob of the root."""
    globs: list[tuple[str, str]] = []
    root_pkg = fs.package_json("")
    if root_pkg is not None:
        declared = root_pkg.get("workspaces")
        if isinstance(declared, dict):
            declared = declared.get("packages")
        globs += [(g, "package.json") for g in _string_list(declared)]
    pnpm = _load_yaml(fs, "pnpm-workspace.yaml")
    if isinstance(pnpm, dict):
        globs += [(g, "pnpm-workspace.yaml") for g in _string_list(pnpm.get("packages"))]
    lerna_text = fs.read_text("lerna.json")
    if lerna_text is not None:
        try:
            lerna = json.loads(lerna_text)
        except ValueError:
            lerna = None
        if isinstance(lerna, dict):
            packages = lerna.get("packages", ["packages/*"])  # lerna's default
            globs += [(g, "lerna.json") for g in _string_list(packages)]
    return globs


def find_workspaces(fs: RootFS, directories: Iterable[str]) -> dict[str, str]:
    """Workspace package name -> its directory (root-relative).

    Candidates are the directories that hold known source files (a package with none has
    nothing to resolve to); each one a glob matches is checked for a package.json with a
    "name". Negated globs (``!packages/legacy``) exclude. The first directory in sorted
    order wins a duplicated name.
    """
    include: list[Any] = []
    exclude: list[Any] = []
    for glob, declared_in in workspace_globs(fs):
        negated = glob.startswith("!")
        text = glob[1:] if negated else glob
        text = text.strip().removeprefix("./").rstrip("/")
        if not text or text == ".":
            continue
        try:
            regex = compile_path_glob(text) if any(c in text for c in "*?[") else None
        except PatternError as error:
            raise ConfigError(f"workspace glob {glob!r}: {error}", path=declared_in) from None
        matcher = regex.match if regex is not None else text.__eq__
        (exclude if negated else include).append(matcher)
    found: dict[str, str] = {}
    if not include:
        return found
    for directory in sorted(directories):
        if not directory or not any(m(directory) for m in include):
            continue
        if any(m(directory) for m in exclude):
            continue
        pkg = fs.package_json(directory)
        name = pkg.get("name") if pkg is not None else None
        if isinstance(name, str) and name:
            found.setdefault(name, directory)
    return found


# --- package entry points, exports/imports targets ------------------------------------

# package.json fields naming a package's entry point, best first (after "exports").
ENTRY_FIELDS = ("source", "module", "main", "types", "typings")
# Where packages put build output; a missing target there is looked for in src/.
BUILD_DIRS = frozenset({"dist", "build", "lib", "out"})
_FORMAT_DIRS = frozenset({"esm", "cjs", "es", "mjs", "umd", "types", "module", "commonjs"})
_OUTPUT_EXTENSIONS = (".d.ts", ".d.mts", ".d.cts", ".js", ".jsx", ".mjs", ".cjs")

# What a package lookup found: ("file", root-relative path), ("bare", a specifier to
# resolve from the importer: an "imports" target naming a package), or ("unresolved", why).
Found = tuple[str, str]


def _strip_output_extension(path: str) -> str:
    for ext in _OUTPUT_EXTENSIONS:
        if path.endswith(ext):
            return path[: -len(ext)]
    return path


class PackageSources:
    """package.json-driven lookups on top of the resolver's file finder.

    ``find(path)`` is the resolver's "which file does this path name" (probing, indexes,
    folders); ``index(folder)`` its ``folder/index.*``. Both must be cheap and cached.
    """

    def __init__(
        self,
        fs: RootFS,
        files: frozenset[str],
        dirs: frozenset[str],
        find: Callable[[str], str | None],
        index: Callable[[str], str | None],
    ) -> None:
        self.fs = fs
        self.files = files
        self.dirs = dirs
        self.find = find
        self.index = index
        self._scopes: dict[str, str | None] = {}
        self._workspaces: dict[str, str] | None = None

    def scope(self, directory: str) -> str | None:
        """The folder of the package.json nearest to ``directory`` (Node's package scope)."""
        if directory in self._scopes:
            return self._scopes[directory]
        name = f"{directory}/package.json" if directory else "package.json"
        if self.fs.is_file(name):
            scope: str | None = directory
        else:
            scope = self.scope(parent_dir(directory)) if directory else None
        self._scopes[directory] = scope
        return scope

    def workspaces(self) -> dict[str, str]:
        """Workspace package name -> folder, worked out on first use."""
        if self._workspaces is None:
            self._workspaces = find_workspaces(self.fs, self.dirs)
        return self._workspaces

    def subpath_import(self, directory: str, spec: str) -> Found:
        """``#name`` through the "imports" of the package.json nearest to ``directory``."""
        scope = self.scope(directory)
        manifest = self.fs.package_json(scope) if scope is not None else None
        where = f"{scope}/package.json" if scope else "package.json"
        imports = manifest.get("imports") if manifest is not None else None
        if scope is None or not isinstance(imports, dict):
            return "unresolved", f'{spec}: no "imports" in the nearest package.json ({where})'
        match = match_subpath(imports, spec)
        if match is None:
            return "unresolved", f'{spec}: not in the "imports" of {where}'
        found = self.conditional(scope, match[0], match[1], allow_bare=True)
        return found or ("unresolved", f'{spec}: the "imports" of {where} name no file')

    def package(self, pkg_dir: str, name: str, sub: str) -> Found:
        """A workspace package's SOURCE file for ``name[/sub]``.

        "exports" first (Node: nothing else counts when it is there), with "source" and
        "types" conditions ahead when they name known files; then, without "exports", the
        fields of ENTRY_FIELDS for the package itself, or the path for a subpath; then
        src/index.* and index.* (src/<sub> for a subpath). Targets in a build folder that
        the run does not know are mapped to their source (dist/index.js -> src/index.ts).
        """
        manifest = self.fs.package_json(pkg_dir) or {}
        subpath = f"./{sub}" if sub else "."
        mapping = exports_mapping(manifest.get("exports"))
        if mapping is not None:
            match = match_subpath(mapping, subpath)
            if match is None:
                return "unresolved", f"{name} does not export {subpath} ({pkg_dir}/package.json)"
            found = self.conditional(pkg_dir, match[0], match[1], allow_bare=False)
            return found or ("unresolved", f'{name}: the "exports" for {subpath} name no source file')
        path: str | None = None
        if sub:
            target = norm_join(pkg_dir, sub)
            if not is_outside(target):
                path = self.find(target) or self.from_build(pkg_dir, target)
                path = path or self.find(norm_join(pkg_dir, f"src/{sub}"))
        else:
            path = self.entry(pkg_dir, manifest)
            path = path or self.index(norm_join(pkg_dir, "src")) or self.index(pkg_dir)
        if path is None:
            return "unresolved", f"workspace package {name} ({pkg_dir}) has no source for {subpath}"
        return "file", path

    def entry(self, pkg_dir: str, manifest: dict[str, Any]) -> str | None:
        """The file the ENTRY_FIELDS of a package.json name, build output mapped to source."""
        for field in ENTRY_FIELDS:
            value = manifest.get(field)
            if isinstance(value, str) and value:
                path = norm_join(pkg_dir, value)
                if is_outside(path) or path == pkg_dir:
                    continue
                found = self.find(path) or self.from_build(pkg_dir, path)
                if found is not None:
                    return found
        return None

    def from_build(self, pkg_dir: str, path: str) -> str | None:
        """The source of a build-output path of a package: dist/x.js -> src/x.ts."""
        rel = path[len(pkg_dir) + 1 :] if pkg_dir else path
        parts = rel.split("/")
        if len(parts) < 2 or parts[0] not in BUILD_DIRS:
            return None
        rests = [parts[1:]]
        if len(parts) > 2 and parts[1] in _FORMAT_DIRS:  # dist/esm/x.js, dist/types/x.d.ts
            rests.append(parts[2:])
        for rest in rests:
            candidate = norm_join(pkg_dir, "src/" + "/".join(rest))
            found = self.find(candidate)
            if found is None:
                stripped = _strip_output_extension(candidate)
                found = self.find(stripped) if stripped != candidate else None
            if found is not None:
                return found
        return None

    def conditional(self, pkg_dir: str, value: Any, star: str | None, allow_bare: bool) -> Found | None:
        """The first target of an exports/imports value that names a file, by condition
        rank (SOURCE_CONDITIONS only when their file is known, then RUNTIME_CONDITIONS);
        arrays are tried in order, null excludes. ``allow_bare``: "imports" targets may
        name packages."""
        if isinstance(value, str):
            return self._target(pkg_dir, value, star, allow_bare, exact_only=False)
        if isinstance(value, list):
            for item in value:
                found = self.conditional(pkg_dir, item, star, allow_bare)
                if found is not None:
                    return found
            return None
        if not isinstance(value, dict):
            return None
        for condition in SOURCE_CONDITIONS:
            item = value.get(condition)
            if isinstance(item, str):
                found = self._target(pkg_dir, item, star, allow_bare, exact_only=True)
                if found is not None:
                    return found
        for condition in RUNTIME_CONDITIONS:
            if condition in value:
                found = self.conditional(pkg_dir, value[condition], star, allow_bare)
                if found is not None:
                    return found
        return None

    def _target(
        self, pkg_dir: str, value: str, star: str | None, allow_bare: bool, exact_only: bool
    ) -> Found | None:
        if star is not None:
            value = value.replace("*", star)
        if not value.startswith("./"):
            if not allow_bare or exact_only or value.startswith(("/", "../", "#")):
                return None  # exports targets must be ./relative; imports may name packages
            return "bare", value
        path = norm_join(pkg_dir, value)
        if is_outside(path):
            where = f"{pkg_dir}/package.json" if pkg_dir else "package.json"
            return "unresolved", f"{value} in {where} points outside the project root"
        if exact_only:
            found = path if path in self.files else None
        else:
            found = self.find(path) or self.from_build(pkg_dir, path)
        return ("file", found) if found is not None else None
