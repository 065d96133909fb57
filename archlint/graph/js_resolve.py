"""Resolving JS/TS import specifiers the way Node.js and TypeScript would, without Node.

Given an importing file and a raw specifier, :meth:`JsResolver.resolve` says what it
points to. The steps, in order (TypeScript "bundler"/"node16" behaviour, checked against
dependency-cruiser by tests/test_oracle_depcruise_resolve.py):

1. ``""`` is unresolved. ``?query`` suffixes (``./icon.svg?url``) are dropped.
2. ``node:x`` is builtin ``x``; ``bun:x`` builtin ``bun:x``; a name in Node 20's
   ``builtinModules`` (``fs``, ``fs/promises``) is builtin.
3. Other URLs: ``npm:pkg@1/sub`` and ``jsr:@s/p`` are external ``pkg``/``@s/p``; anything
   else with a scheme (``https://...``, ``data:...``) is external with the whole string as
   its name, since no package name can be told from it and it never names a project file.
4. ``./x``, ``../x``: the file, relative to the importer (see "Files" below). ``/x`` is
   taken from the project root. Climbing out of the root is unresolved, with a reason.
5. Bare names, with the importer's nearest tsconfig.json/jsconfig.json: its ``paths``
   (TypeScript's best pattern; targets in order; a pattern other than a catch-all ``*``
   whose targets all fail is unresolved unless a later step finds the name), then
   ``baseUrl``; then ``#x`` through the nearest package.json ``imports``; then workspace
   packages (their source, see ``PackageSources.package`` in js_packages); anything else is external
   with its npm package name (``lodash/fp`` -> ``lodash``).

Files. A path names: the file itself if the run knows it (``files``), or, for a name
that is no JS/TS source (``.css``, ``.svg``, ``.json``), if it exists on disk inside the
root (an asset: internal, so the graph gets a node for it, as dependency-cruiser does);
else, for a name with a JS/TS extension, what TypeScript tries instead (its
``tryAddingExtensions``: ``.js`` -> ``.ts .tsx .d.ts .jsx``, ``.jsx`` -> ``.tsx .ts .d.ts
.js``, ``.mjs`` -> ``.mts .d.mts``, ``.cjs`` -> ``.cts .d.cts``, ``.ts`` -> ``.tsx .d.ts
.js .jsx``...: EXTENSION_SWAPS); else ``x`` plus the
first of ``PROBE_EXTENSIONS`` that exists; else, for a folder, its package.json entry or
its ``index`` file with the same probing. ``PROBE_EXTENSIONS`` begins with TypeScript's
own order for an extensionless name (``.ts .tsx .d.ts .js .jsx``, TS sources first) and
adds the ESM/CJS ones TypeScript never adds but bundlers and dependency-cruiser do.

Results are cached per (importer's folder, specifier), bare-name lookups per (config,
specifier). Config files are read lazily, once each, and nothing outside the root is read.
A broken tsconfig raises ConfigError from :meth:`JsResolver.resolve`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from archlint.graph.js_packages import (
    NODE_BUILTINS,
    Found,
    PackageSources,
    RootFS,
    is_outside,
    norm_join,
    package_name,
    parent_dir,
    url_scheme,
)
from archlint.graph.tsconfig import TsConfig, TsConfigs, match_paths

INTERNAL = "internal"
EXTERNAL = "external"
BUILTIN = "builtin"
UNRESOLVED = "unresolved"
# A file that exists but that the run does not read (over the size limit, minified, in a
# build folder such as dist/, excluded): the import is real, it is only not followed.
SKIPPED = "skipped"

# Extensionless probing order: TypeScript's (.ts .tsx .d.ts .js .jsx), then the rest.
PROBE_EXTENSIONS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts",
                    ".d.mts", ".d.cts")  # fmt: skip
_RANK = {ext: rank for rank, ext in enumerate(PROBE_EXTENSIONS)}
# A name written with an extension that does not exist -> the other files TypeScript tries,
# in its order (``tryAddingExtensions``): an output name finds the source tsc compiles to it
# ("./x.js" -> x.ts), and a source name its siblings.
EXTENSION_SWAPS = {
    ".js": (".ts", ".tsx", ".d.ts", ".jsx"),
    ".jsx": (".tsx", ".ts", ".d.ts", ".js"),
    ".ts": (".tsx", ".d.ts", ".js", ".jsx"),
    ".tsx": (".ts", ".d.ts", ".jsx", ".js"),
    ".d.ts": (".ts", ".tsx", ".js", ".jsx"),
    ".mjs": (".mts", ".d.mts"),
    ".mts": (".d.mts", ".mjs"),
    ".d.mts": (".mts", ".mjs"),
    ".cjs": (".cts", ".d.cts"),
    ".cts": (".d.cts", ".cjs"),
    ".d.cts": (".cts", ".cjs"),
}


@dataclass(frozen=True, slots=True)
class JsTarget:
    kind: str  # "internal" | "external" | "builtin" | "unresolved"
    target: str  # internal: root-relative posix path; external: npm package name;
    # builtin: module name without "node:"; unresolved: a short human reason


def _unresolved(reason: str) -> JsTarget:
    return JsTarget(UNRESOLVED, reason)


def _join_relative(directory: str, spec: str) -> str:
    """``norm_join`` for ``./x``/``../x``, without normpath in the usual cases (3x faster)."""
    rest, base = spec, directory
    while True:
        if rest.startswith("./"):
            rest = rest[2:]
        elif rest.startswith("../") and base:
            base = base.rpartition("/")[0]
            rest = rest[3:]
        else:
            break
    if not rest or rest[0] == "." or "/." in rest or "//" in rest or rest[-1] == "/":
        return norm_join(directory, spec)  # "..", "x/../y", a trailing slash: the slow way
    return f"{base}/{rest}" if base else rest


def _extension(path: str) -> str:
    """The extension that counts for resolution (``.d.ts`` is one), or ``""``."""
    name = path[path.rfind("/") + 1 :]
    dot = name.rfind(".")
    if dot <= 0:
        return ""
    ext = name[dot:]
    if ext in (".ts", ".mts", ".cts") and name[:dot].endswith(".d"):
        return ".d" + ext
    return ext


class JsResolver:
    """Resolves JS/TS specifiers for one run: one instance per root and file set."""

    def __init__(self, root: Path, files: Collection[str]) -> None:
        """files: posix paths (relative to root) of every JS/TS source file the run knows."""
        self.fs = RootFS(root)
        self.files = frozenset(files)
        self.tsconfigs = TsConfigs(self.fs)
        # stem -> extensions of known files named stem + ext, best first: probing is one lookup.
        stems: dict[str, list[str]] = {}
        dirs: set[str] = {""}
        for path in self.files:
            ext = _extension(path)
            if ext in _RANK:
                stems.setdefault(path[: -len(ext)], []).append(ext)
                if ext.startswith(".d."):  # "x.d.ts" is also "x.d" + ".ts"
                    stems.setdefault(path[: -len(ext) + 2], []).append(ext[2:])
            directory = parent_dir(path)
            while directory not in dirs:
                dirs.add(directory)
                directory = parent_dir(directory)
        for exts in stems.values():
            exts.sort(key=_RANK.__getitem__)
        self._stems = stems
        self._dirs = frozenset(dirs)
        self._cache: dict[str, dict[str, JsTarget]] = {}  # folder -> specifier -> target
        self._bare_cache: dict[tuple[str | None, str], JsTarget] = {}
        self._found: dict[str, str | None] = {}
        self._by_path: dict[str, JsTarget] = {}  # internal targets, shared across folders
        self.packages = PackageSources(self.fs, self.files, self._dirs, self._find, self._index)

    # --- public ---------------------------------------------------------------------

    def check_configs(self, paths: Collection[str]) -> None:
        """Load these tsconfig/jsconfig files now, so a broken one (bad JSONC, an ``extends``
        that is missing or loops) stops the run with its name even when no import needs it."""
        for path in sorted(paths):
            self.tsconfigs.load(path)

    @property
    def inputs(self) -> list[str]:
        """Every configuration file read so far (tsconfig, package.json …), sorted."""
        return sorted(self.fs.inputs)

    def resolve(self, importer: str, specifier: str) -> JsTarget:
        directory = importer.rpartition("/")[0]
        cache = self._cache.get(directory)
        if cache is None:
            cache = self._cache[directory] = {}
        hit = cache.get(specifier)
        if hit is None:
            hit = cache[specifier] = self._resolve(directory, specifier)
        return hit

    # --- dispatch -------------------------------------------------------------------

    def _resolve(self, directory: str, specifier: str) -> JsTarget:
        if not specifier:
            return _unresolved("empty specifier")
        if ":" in specifier:
            scheme = url_scheme(specifier)
            if scheme is not None:
                return self._scheme(scheme, specifier)
        spec = specifier.partition("?")[0] if "?" in specifier else specifier
        first = spec[:1]
        if first == ".":  # the common case first: no regex, no normpath when avoidable
            if spec.startswith(("./", "../")) or spec in (".", ".."):
                return self._path(_join_relative(directory, spec), spec)
        elif first == "/":  # an absolute path inside the root, else from the root
            inside = spec.startswith(self.fs.root + "/")
            return self._path(norm_join("", spec[len(self.fs.root) + 1 if inside else 1 :]), spec)
        elif not first:
            return _unresolved(f"empty specifier {specifier!r}")
        if spec in NODE_BUILTINS:
            return JsTarget(BUILTIN, spec)
        config = self.tsconfigs.for_dir(directory)
        key: tuple[str | None, str]
        if spec.startswith("#"):
            scope = self.packages.scope(directory)
            key = (f"{config.path if config else ''}\0{scope}", spec)
        else:
            key = (config.path if config else None, spec)
        hit = self._bare_cache.get(key)
        if hit is None:
            hit = self._bare(directory, spec, config)
            self._bare_cache[key] = hit
        return hit

    def _scheme(self, scheme: str, specifier: str) -> JsTarget:
        rest = specifier[len(scheme) :]
        if scheme == "node:":
            return JsTarget(BUILTIN, rest) if rest else _unresolved("empty node: specifier")
        if scheme == "bun:":
            return JsTarget(BUILTIN, specifier)
        if scheme in ("npm:", "jsr:"):
            rest = rest.lstrip("/")
            name = package_name(rest)
            at = name.find("@", 1)  # a version: npm:react@18 / jsr:@std/path@1
            return JsTarget(EXTERNAL, name[:at] if at > 0 else name)
        return JsTarget(EXTERNAL, specifier)

    def _path(self, path: str, spec: str) -> JsTarget:
        known = self._by_path.get(path)
        if known is not None:
            return known
        if is_outside(path):
            return _unresolved(f"{spec} points outside the project root")
        found = self._find(path)
        if found is not None:
            target = self._by_path[path] = JsTarget(INTERNAL, found)
            return target
        on_disk = self._on_disk(path)
        if on_disk is not None:
            return JsTarget(SKIPPED, on_disk)
        shown = path or "."
        return _unresolved(f"no file {shown}, {shown}.ts, {shown}/index.ts, ...")

    def _on_disk(self, path: str) -> str | None:
        """The file a name finds among those the run does not read, looked up on disk (inside
        the root only): a bundle in dist/, a file over the size limit, an excluded one."""
        ext = _extension(path)
        candidates = [path] if ext else []
        if ext in EXTENSION_SWAPS:
            candidates.extend(path[: -len(ext)] + swap for swap in EXTENSION_SWAPS[ext])
        candidates.extend(path + probe for probe in PROBE_EXTENSIONS)
        candidates.extend(f"{path}/index{probe}" for probe in PROBE_EXTENSIONS)
        for candidate in candidates:
            if self.fs.is_file(candidate):
                return candidate
        if self.fs.is_dir(path) and self.fs.is_file(f"{path}/package.json"):
            return path
        return None

    def _bare(self, directory: str, spec: str, config: TsConfig | None) -> JsTarget:
        failure: str | None = None
        if config is not None:
            if config.paths:
                hit, failure = self._via_paths(config, spec)
                if hit is not None:
                    return hit
            if config.base_url is not None:
                path = norm_join(config.base_url, spec)
                if not is_outside(path):
                    found = self._find(path)
                    if found is not None:
                        return JsTarget(INTERNAL, found)
        if spec.startswith("#"):
            imported = self._from_package(directory, self.packages.subpath_import(directory, spec))
            if imported.kind != UNRESOLVED or failure is None:
                return imported
            return _unresolved(failure)
        name = package_name(spec)
        workspace = self.packages.workspaces().get(name)
        if workspace is not None:
            located = self.packages.package(workspace, name, spec[len(name) + 1 :])
            target = self._from_package(directory, located)
            if target.kind != UNRESOLVED or failure is None:
                return target
        if failure is not None:
            return _unresolved(failure)
        return JsTarget(EXTERNAL, name)

    # --- tsconfig paths -------------------------------------------------------------

    def _via_paths(self, config: TsConfig, spec: str) -> tuple[JsTarget | None, str | None]:
        """(the target, None) or (None, why a non-catch-all alias failed) or (None, None)."""
        match = match_paths(config.paths, spec)
        if match is None:
            return None, None
        pattern, targets, star = match
        tried: list[str] = []
        for target in targets:
            path = norm_join("", target.replace("*", star, 1)) if star is not None else target
            if is_outside(path):
                # Stop here: we may not look outside the root, so we cannot tell whether
                # TypeScript would have found the file there and gone no further.
                return _unresolved(f"alias {spec} points outside the project root ({path})"), None
            found = self._find(path)
            if found is not None:
                return JsTarget(INTERNAL, found), None
            segments = path.split("/")
            if "node_modules" in segments:  # an alias onto an installed package
                rest = "/".join(segments[len(segments) - segments[::-1].index("node_modules") :])
                if rest:
                    name = package_name(rest)
                    if name.startswith("@types/"):  # @types/node -> node, @types/a__b -> @a/b
                        bare = name[7:]
                        name = "@" + bare.replace("__", "/", 1) if "__" in bare else bare
                    return JsTarget(EXTERNAL, name), None
            tried.append(path or ".")
        if pattern == "*":
            return None, None  # a catch-all: the name may just be an npm package
        return None, f"alias {pattern} in {config.path}: no file {', '.join(tried)}"

    def _from_package(self, directory: str, found: Found) -> JsTarget:
        kind, value = found
        if kind == "file":
            return self._by_path.get(value) or JsTarget(INTERNAL, value)
        if kind == "bare":  # an "imports" target naming a package, resolved as if written
            return self._resolve(directory, value)
        return _unresolved(value)

    # --- files ----------------------------------------------------------------------

    def _find(self, path: str) -> str | None:
        """The file ``path`` names (see the module docstring), or None."""
        if path in self._found:
            return self._found[path]
        self._found[path] = None  # a package.json "main" that leads back here ends as None
        found = self._find_uncached(path)
        self._found[path] = found
        return found

    def _find_uncached(self, path: str) -> str | None:
        if path in self.files:
            return path
        ext = _extension(path)
        swaps = EXTENSION_SWAPS.get(ext)
        if swaps is not None:
            stem = path[: -len(ext)]
            have = self._stems.get(stem)
            if have:
                for candidate in swaps:
                    if candidate in have:
                        return stem + candidate
        elif ext and self.fs.is_file(path):
            return path  # an asset (.css, .svg, .json) that exists
        have = self._stems.get(path)
        if have:
            return path + have[0]
        if path in self._dirs:
            return self._directory(path)
        return None

    def _index(self, directory: str) -> str | None:
        stem = f"{directory}/index" if directory else "index"
        have = self._stems.get(stem)
        return stem + have[0] if have else None

    def _directory(self, directory: str) -> str | None:
        """A folder imported as a module: its package.json's entry point, else index.*."""
        manifest = self.fs.package_json(directory)
        if manifest is not None:
            found = self.packages.entry(directory, manifest)
            if found is not None:
                return found
        return self._index(directory)
