"""Which files a run looks at.

Walks the project root once with ``os.scandir``: honours ``.gitignore`` files at every level
(and ``.git/info/exclude``), the config's ``include``/``exclude`` globs, skips virtual
environments, build output and archlint's own cache, and never leaves the root: a symlink is
followed only when its target lies inside the root, and each real directory is entered once,
so symlink loops end.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archlint.fastpath import stat_of
from archlint.globs import compile_path_glob, is_wildcard

# Suffix -> the parser's language. ".tsx" is its own dialect (JSX and TS generics clash).
LANGUAGE_BY_SUFFIX = {
    ".py": "python", ".pyi": "python",
    ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
    ".sql": "sql",
    # HTML and Jinja/Django templates: read only for the code of their inline scripts.
    ".html": "html", ".htm": "html", ".jinja": "html", ".jinja2": "html", ".j2": "html",
}  # fmt: skip

# Files that decide how imports resolve (not parsed as sources): watched so a change to one
# is never answered from a cache, and hashed into the run memo's key.
PROJECT_FILE_NAMES = frozenset(
    {
        "package.json", "tsconfig.json", "jsconfig.json", "pnpm-workspace.yaml", "lerna.json",
        # migration tools (no-migration-tool looks for them)
        "schema.prisma", "alembic.ini", "flyway.conf", "flyway.toml", "liquibase.properties",
        "atlas.hcl", "sqitch.plan", "dbmate.yml",
    }
)  # fmt: skip

# Bundles and minified output: generated, huge single lines, never architecture.
MINIFIED_SUFFIXES = (".min.js", ".min.mjs", ".min.cjs", "-min.js", ".bundle.js", ".chunk.js")

# Directories no project wants linted: VCS data, caches, virtual environments, build output,
# and vendored third-party code (static/vendor/jquery.js is not the project's architecture).
# Matched by name below the root (never the root itself), like ruff's default excludes.
SKIPPED_DIR_NAMES = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr", ".archlint_cache", "__pycache__", ".mypy_cache",
        ".pytest_cache", ".ruff_cache", ".tox", ".nox", ".venv", "venv", ".eggs",
        "node_modules", "site-packages", "build", "dist", "_build", "buck-out", ".direnv",
        "bower_components", "jspm_packages", ".yarn", ".pnpm-store", ".next", ".nuxt",
        ".output", ".svelte-kit", ".turbo", ".parcel-cache", ".vercel", ".expo", "coverage",
        ".nyc_output", "storybook-static", "vendor", "vendors",
    }
)  # fmt: skip

# Past these a file is skipped with a note, not parsed: hand-written JS/TS is never this
# big, a bundle often is; generated Python (protobuf, parsers) can be large and still real.
MAX_FILE_BYTES = {"python": 10 * 1024 * 1024}
MAX_FILE_BYTES_DEFAULT = 1024 * 1024


@dataclass(frozen=True, slots=True)
class DiscoveredFile:
    path: str  # posix, relative to the root
    abspath: str
    language: str
    size: int
    mtime_ns: int
    ctime_ns: int


@dataclass(slots=True)
class Discovery:
    files: list[DiscoveredFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # skipped files and directories, and why
    # What else the walk's outcome depends on, with the stat seen at walk time, so a later
    # run can tell nothing changed (archlint.fastpath): every walked folder (its mtime moves
    # when an entry is added, removed or renamed) and every ignore file, present or not.
    watched: list[tuple[str, tuple[int, int, int] | None]] = field(default_factory=list)
    project_files: list[str] = field(default_factory=list)  # PROJECT_FILE_NAMES found, sorted


class _IgnoreStack:
    """The .gitignore specs in force for one directory, outermost first."""

    def __init__(self, specs: tuple[tuple[str, Any], ...] = ()) -> None:
        self.specs = specs

    def push(self, directory: str, spec: Any) -> _IgnoreStack:
        return _IgnoreStack((*self.specs, (directory, spec)))

    def ignored(self, relpath: str, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:
            local = relpath[len(base) + 1 :] if base else relpath
            result = spec.check_file(local + "/" if is_dir else local)
            if result.include is not None:
                verdict = result.include  # the deepest file that has a say decides
        return verdict


def _load_gitignore(path: str) -> Any | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    import pathspec  # imported only for trees that have a .gitignore (~40 ms)

    return pathspec.GitIgnoreSpec.from_lines(lines)


class _Filter:
    """include/exclude globs from the config."""

    def __init__(self, include: Iterable[str], exclude: Iterable[str]) -> None:
        self.include = [compile_path_glob(p) for p in include]
        self.exclude = [compile_path_glob(p) for p in exclude]
        # A directory can be pruned when no include glob could match below it.
        self.include_prefixes = [
            p.strip("/").removeprefix("./") for p in include if not is_wildcard(p)
        ]
        self.include_has_wildcards = any(is_wildcard(p) for p in include)

    def excluded(self, relpath: str) -> bool:
        return any(regex.match(relpath) for regex in self.exclude)

    def may_contain_included(self, reldir: str) -> bool:
        if not self.include or self.include_has_wildcards:
            return True
        return any(
            prefix == reldir or prefix.startswith(reldir + "/") or reldir.startswith(prefix + "/")
            for prefix in self.include_prefixes
        )

    def included(self, relpath: str) -> bool:
        return not self.include or any(regex.match(relpath) for regex in self.include)


class _Walker:
    """One walk of the tree. Symlinks inside the root are followed after the real tree has
    been walked, so a file is reached by its real path whenever it can be.

    Loops and second visits are caught by real paths, which are known without system calls
    for everything reached without a link (``real_dir`` + name), so a walk costs one
    ``scandir`` per directory and one ``stat`` per source file.
    """

    def __init__(self, root_real: str, filters: _Filter, languages: dict[str, str]) -> None:
        self.root_real = root_real
        self.filters = filters
        self.languages = languages
        self.result = Discovery()
        self.visited: set[str] = {root_real}  # real paths of walked directories and files
        self.deferred: list[tuple[str, str, _IgnoreStack]] = []

    def run(self, ignores: _IgnoreStack) -> Discovery:
        self.walk(self.root_real, self.root_real, "", ignores)
        while self.deferred:  # following links may find more links: loop until none is left
            batch, self.deferred = sorted(self.deferred, key=lambda d: d[1]), []
            for path, relpath, ignores_there in batch:
                real = os.path.realpath(path)
                if real in self.visited:
                    continue  # a loop, or a second way to something already walked
                self.visit(path, real, relpath, ignores_there, via_link=True)
        self.result.files.sort(key=lambda f: f.path)
        self.result.notes.sort()
        self.result.project_files.sort()
        return self.result

    def walk(self, directory: str, real_dir: str, reldir: str, ignores: _IgnoreStack) -> None:
        self.result.watched.append((reldir, stat_of(directory)))  # before reading: no race
        try:
            with os.scandir(directory) as iterator:
                entries = list(iterator)  # order does not matter: results are sorted at the end
        except OSError as error:
            reason = error.strerror or str(error)
            self.result.notes.append(f"{reldir or '.'}: directory skipped, cannot be read ({reason})")
            return
        names = [e.name for e in entries]
        if reldir and "pyvenv.cfg" in names:
            return  # a virtual environment, whatever its name
        if ".gitignore" in names:
            gitignore = os.path.join(directory, ".gitignore")
            self.result.watched.append((f"{reldir}/.gitignore" if reldir else ".gitignore",
                                        stat_of(gitignore)))  # fmt: skip
            spec = _load_gitignore(gitignore)
            if spec is not None:
                ignores = ignores.push(reldir, spec)
        languages = self.languages
        prefix = reldir + "/" if reldir else ""
        for entry in entries:
            name = entry.name
            if name in SKIPPED_DIR_NAMES:
                continue  # even as a symlink (a linked node_modules): nothing to say about it
            if entry.is_symlink():
                relpath = prefix + name
                if not _inside(self.root_real, os.path.realpath(entry.path)):
                    self.result.notes.append(
                        f"{relpath}: skipped, symlink to outside the project root"
                    )
                else:
                    self.deferred.append((entry.path, relpath, ignores))
                continue
            # Most entries of a big tree are neither folders nor source files (Django has
            # 2,400 locale folders of .po files): reject those before any further work.
            is_dir = entry.is_dir(follow_symlinks=False)
            if not is_dir and languages.get(name[name.rfind(".") :]) is None:
                if name in PROJECT_FILE_NAMES or _is_tsconfig(name):
                    relpath = prefix + name
                    if not ignores.ignored(relpath, is_dir=False):
                        self.result.project_files.append(relpath)
                        self.result.watched.append((relpath, stat_of(entry.path)))
                continue
            self.visit(entry.path, f"{real_dir}/{name}", prefix + name, ignores, via_link=False,
                       entry=entry)  # fmt: skip

    def visit(
        self,
        path: str,
        real: str,
        relpath: str,
        ignores: _IgnoreStack,
        via_link: bool,
        entry: os.DirEntry[str] | None = None,
    ) -> None:
        try:
            is_dir = entry.is_dir() if entry is not None else os.path.isdir(path)
        except OSError:
            is_dir = False
        name = relpath.rpartition("/")[2]
        filters = self.filters
        if is_dir:
            if name in SKIPPED_DIR_NAMES or name.endswith(".egg-info"):
                return
            if filters.excluded(relpath) or ignores.ignored(relpath, is_dir=True):
                return
            if not filters.may_contain_included(relpath):
                return
            self.visited.add(real)
            self.walk(path, real, relpath, ignores)
            return
        language = self.languages.get(os.path.splitext(name)[1])
        if language is None:
            return
        try:
            info = entry.stat() if entry is not None else os.stat(path)
        except OSError:
            if via_link:
                self.result.notes.append(f"{relpath}: skipped, broken symlink")
            return
        if not stat.S_ISREG(info.st_mode):
            return
        if not filters.included(relpath) or filters.excluded(relpath):
            return
        if ignores.ignored(relpath, is_dir=False):
            return
        self.visited.add(real)
        if name.endswith(MINIFIED_SUFFIXES):
            return  # generated bundles: skipped silently, like node_modules
        limit = MAX_FILE_BYTES.get(language, MAX_FILE_BYTES_DEFAULT)
        if info.st_size > limit:
            self.result.notes.append(
                f"{relpath}: skipped, {info.st_size // 1024} KiB is over the "
                f"{limit // 1024} KiB limit for {language} files"
            )
            return
        self.result.files.append(
            DiscoveredFile(
                relpath, path, language, info.st_size, info.st_mtime_ns, info.st_ctime_ns
            )
        )


def discover(
    root: Path,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    languages: dict[str, str] = LANGUAGE_BY_SUFFIX,
) -> Discovery:
    """Every source file under ``root`` that a run should read, sorted by path."""
    root_real = os.path.realpath(root)
    ignores = _IgnoreStack()
    exclude_file = os.path.join(root_real, ".git", "info", "exclude")
    exclude_stat = stat_of(exclude_file)
    if exclude_stat is not None:
        spec = _load_gitignore(exclude_file)
        if spec is not None:
            ignores = ignores.push("", spec)
    walker = _Walker(root_real, _Filter(include, exclude), dict(languages))
    walker.result.watched.append((".git/info/exclude", exclude_stat))
    return walker.run(ignores)



def _is_tsconfig(name: str) -> bool:
    """tsconfig.base.json, tsconfig.app.json …: bases that tsconfig files extend."""
    return name.startswith(("tsconfig.", "jsconfig.")) and name.endswith(".json")


def _inside(root_real: str, target: str) -> bool:
    return target == root_real or target.startswith(root_real + os.sep)
