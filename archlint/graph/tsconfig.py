"""tsconfig.json / jsconfig.json: finding a file's nearest one and merging its ``extends``.

Only what module resolution needs is kept: ``compilerOptions.baseUrl`` and ``paths``.
Merging follows TypeScript (``getExtendsConfigPath`` and ``parseConfig`` in tsc 5.x):

* ``extends`` is a string or (TS 5) an array; bases apply in order, the file's own options
  last, option by option (``paths`` is replaced whole, never merged key by key).
* A relative ``extends`` (``./``, ``../`` or absolute) is a file; ``.json`` is added when
  the name as written does not exist. Anything else is a package in ``node_modules``
  (looked up from the config's folder up to the root, never above): ``pkg`` means the
  package's package.json "tsconfig" field or its tsconfig.json, ``pkg/sub`` the file
  ``sub``, ``sub.json`` or ``sub/tsconfig.json``.
* ``baseUrl`` is relative to the file that sets it; ``paths`` targets are relative to the
  effective baseUrl when there is one, else to the file that defines ``paths``. A value
  starting with ``${configDir}`` (TS 5.5) is relative to the config in use instead.

Files are JSONC, parsed with ``json5`` (a superset: comments, trailing commas), after a
fast try with the standard ``json`` module. Anything broken raises ConfigError naming the
file (root-relative) and the line when known; the run then exits 2.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from archlint.errors import ConfigError
from archlint.graph.js_packages import (
    RootFS,
    is_outside,
    norm_join,
    package_name,
    parent_dir,
)

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")  # tsconfig wins when a folder has both
CONFIG_DIR = "${configDir}"

_JSON5_LINE = re.compile(r"^<string>:(\d+)\s*(.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class TsConfig:
    """The resolution settings in force for the files that use one config file."""

    path: str  # root-relative path of the config file itself
    base_url: str | None  # root-relative folder (may start with ".." when outside); None if unset
    # pattern -> targets, in file order; targets root-relative already (may hold "*")
    paths: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class _Options:
    """compilerOptions of one file after its own extends, with folders made root-relative."""

    base_url: str | None = None
    paths: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    paths_dir: str = ""  # folder of the file that defined ``paths``


def _line_of_key(text: str, key: str) -> int | None:
    match = re.search(r'["\']' + re.escape(key) + r'["\']\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse_jsonc(text: str, path: str) -> Any:
    """A JSONC document; ConfigError with the line of the first problem if it is not one."""
    if not text.strip():
        return {}  # tsc takes an empty tsconfig.json as {}
    try:
        return json.loads(text)
    except ValueError:
        pass
    import json5  # only for configs with comments or trailing commas (pure Python, slower)

    try:
        return json5.loads(text)
    except ValueError as error:
        message = str(error)
        match = _JSON5_LINE.match(message)
        if match:
            raise ConfigError(
                f"invalid JSON: {match.group(2)}", path=path, line=int(match.group(1))
            ) from None
        # json5 reports a malformed number ("1e", ".") without a position: find the token.
        line = None
        token = re.search(r"could not convert string to float: '(.*)'", message)
        if token:
            where = re.search(r"[:\[,]\s*" + re.escape(token.group(1)) + r"(?![\w.])", text)
            line = text.count("\n", 0, where.end()) + 1 if where else None
        raise ConfigError(f"invalid JSON: {message}", path=path, line=line) from None


class TsConfigs:
    """Loads, merges and caches config files; answers "which config governs this folder"."""

    def __init__(self, fs: RootFS) -> None:
        self.fs = fs
        self._for_dir: dict[str, TsConfig | None] = {}
        self._options: dict[str, _Options] = {}  # merged options per config file
        self._configs: dict[str, TsConfig] = {}

    # --- which config ---------------------------------------------------------------

    def for_dir(self, directory: str) -> TsConfig | None:
        """The config nearest to ``directory`` (itself, then its parents up to the root)."""
        known = self._for_dir.get(directory, False)
        if known is not False:
            return known  # type: ignore[return-value]
        found: TsConfig | None = None
        for name in CONFIG_NAMES:
            candidate = f"{directory}/{name}" if directory else name
            if self.fs.is_file(candidate):
                found = self.load(candidate)
                break
        else:
            if directory:
                found = self.for_dir(parent_dir(directory))
        self._for_dir[directory] = found
        return found

    def load(self, path: str) -> TsConfig:
        config = self._configs.get(path)
        if config is None:
            options = self._merged(path, ())
            here = parent_dir(path)
            base_url = options.base_url
            if base_url is not None and base_url.startswith(CONFIG_DIR):
                base_url = norm_join(here, "./" + base_url[len(CONFIG_DIR) :])
            base = base_url if base_url is not None else options.paths_dir

            def place(target: str) -> str:
                # TS 5.5: ${configDir} is the folder of the config in use, not of a base.
                if target.startswith(CONFIG_DIR):
                    return norm_join(here, "./" + target[len(CONFIG_DIR) :])
                return self._folder(base, target)

            paths = tuple(
                (pattern, tuple(place(t) for t in targets))
                for pattern, targets in options.paths or ()
            )
            config = TsConfig(path, base_url, paths)
            self._configs[path] = config
        return config

    # --- reading and merging ----------------------------------------------------------

    def _merged(self, path: str, chain: tuple[str, ...]) -> _Options:
        if path in chain:
            cycle = " -> ".join((*chain[chain.index(path) :], path))
            raise ConfigError(f"extends cycle: {cycle}", path=chain[-1])
        known = self._options.get(path)
        if known is not None:
            return known
        text = self.fs.read_text(path)
        if text is None:
            raise ConfigError("cannot be read", path=path)
        data = parse_jsonc(text, path)
        if not isinstance(data, dict):
            raise ConfigError("a tsconfig must be a JSON object", path=path, line=1)
        here = parent_dir(path)

        extends = data.get("extends")
        if extends is None:
            bases: list[str] = []
        elif isinstance(extends, str):
            bases = [extends]
        elif isinstance(extends, list) and all(isinstance(item, str) for item in extends):
            bases = list(extends)
        else:
            raise ConfigError(
                '"extends" must be a string or an array of strings',
                path=path,
                line=_line_of_key(text, "extends"),
            )
        merged = _Options(paths_dir=here)
        for base in bases:
            base_path = self._find_extended(base, path, text)
            inherited = self._merged(base_path, (*chain, path))
            merged = _Options(
                inherited.base_url if inherited.base_url is not None else merged.base_url,
                inherited.paths if inherited.paths is not None else merged.paths,
                inherited.paths_dir if inherited.paths is not None else merged.paths_dir,
            )

        compiler = data.get("compilerOptions")
        if compiler is None:
            compiler = {}
        if not isinstance(compiler, dict):
            raise ConfigError(
                '"compilerOptions" must be an object',
                path=path,
                line=_line_of_key(text, "compilerOptions"),
            )
        base_url = merged.base_url
        if "baseUrl" in compiler:
            value = compiler["baseUrl"]
            if value is None:  # null resets an inherited option, as in tsc
                base_url = None
            elif not isinstance(value, str):
                raise ConfigError(
                    '"baseUrl" must be a string', path=path, line=_line_of_key(text, "baseUrl")
                )
            else:
                base_url = value if value.startswith(CONFIG_DIR) else self._folder(here, value)
        paths, paths_dir = merged.paths, merged.paths_dir
        if "paths" in compiler:
            raw = compiler["paths"]
            paths = None if raw is None else _read_paths(raw, path, text)
            paths_dir = here
        options = _Options(base_url, paths, paths_dir)
        self._options[path] = options
        return options

    def _folder(self, here: str, value: str) -> str:
        """A folder named in a config, root-relative (starting with ".." when outside)."""
        if value.startswith("/"):
            return os.path.relpath(value, self.fs.root).replace(os.sep, "/")
        return norm_join(here, value)

    def _find_extended(self, name: str, path: str, text: str) -> str:
        """The root-relative path of the config that ``extends: name`` in ``path`` names."""
        here = parent_dir(path)
        line = _line_of_key(text, "extends")
        if name.startswith(("./", "../", "/")) or name in (".", ".."):
            target = self._folder(here, name)
            if is_outside(target):
                raise ConfigError(
                    f"extends {name!r} points outside the project root", path=path, line=line
                )
            if self.fs.is_file(target):
                return target
            if not target.endswith(".json") and self.fs.is_file(target + ".json"):
                return target + ".json"
            raise ConfigError(f"extends {name!r}: no such file", path=path, line=line)
        found = self._from_node_modules(name, here)
        if found is None:
            local = norm_join(here, name)
            hint = f" (did you mean './{name}'?)" if self.fs.is_file(local) else ""
            raise ConfigError(
                f"extends {name!r}: not found in node_modules{hint}", path=path, line=line
            )
        return found

    def _from_node_modules(self, name: str, here: str) -> str | None:
        package = package_name(name)
        sub = name[len(package) + 1 :]
        directory: str | None = here
        while directory is not None:
            pkg_dir = f"{directory}/node_modules/{package}" if directory else f"node_modules/{package}"
            if self.fs.is_dir(pkg_dir):
                if sub:
                    candidates = [f"{pkg_dir}/{sub}", f"{pkg_dir}/{sub}.json", f"{pkg_dir}/{sub}/tsconfig.json"]
                else:
                    candidates = []
                    manifest = self.fs.package_json(pkg_dir)
                    field = manifest.get("tsconfig") if manifest is not None else None
                    if isinstance(field, str):
                        candidates.append(norm_join(pkg_dir, field))
                    candidates.append(f"{pkg_dir}/tsconfig.json")
                for candidate in candidates:
                    if not is_outside(candidate) and self.fs.is_file(candidate):
                        return candidate
            directory = parent_dir(directory) if directory else None
        return None


def _read_paths(value: Any, path: str, text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    line = _line_of_key(text, "paths")
    if not isinstance(value, dict):
        raise ConfigError('"paths" must be an object', path=path, line=line)
    result: list[tuple[str, tuple[str, ...]]] = []
    for pattern, targets in value.items():
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise ConfigError(
                f'"paths" entry {pattern!r} must be an array of strings', path=path, line=line
            )
        if pattern.count("*") > 1:
            raise ConfigError(
                f'"paths" pattern {pattern!r} can have at most one "*"', path=path, line=line
            )
        result.append((pattern, tuple(targets)))
    return tuple(result)


def match_paths(
    paths: tuple[tuple[str, tuple[str, ...]], ...], specifier: str
) -> tuple[str, tuple[str, ...], str | None] | None:
    """TypeScript's ``matchPatternOrExact``: (pattern, targets, what ``*`` matched).

    An exact pattern wins; otherwise the pattern with the longest prefix before its ``*``
    (the first one declared on a tie).
    """
    for pattern, targets in paths:
        if "*" not in pattern and pattern == specifier:
            return pattern, targets, None
    best: tuple[str, tuple[str, ...], str | None] | None = None
    best_prefix = -1
    for pattern, targets in paths:
        star = pattern.find("*")
        if star < 0:
            continue
        prefix, suffix = pattern[:star], pattern[star + 1 :]
        if (
            len(specifier) >= len(prefix) + len(suffix)
            and specifier.startswith(prefix)
            and specifier.endswith(suffix)
            and len(prefix) > best_prefix
        ):
            best_prefix = len(prefix)
            best = (pattern, targets, specifier[len(prefix) : len(specifier) - len(suffix)])
    return best
