"""Which files a selector claims, and which preset selectors can claim any file of a
project: the questions ``archlint init`` asks before it adds to a component. The same
semantics as the checker's (:mod:`archlint.graph.selectors`), on paths and module names
alone, before any graph exists."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from archlint.config.model import SELECTOR_EXTERNAL, SELECTOR_MODULE
from archlint.config.validate import parse_selector
from archlint.globs import compile_module_pattern, compile_path_glob, is_wildcard
from archlint.init.scan import JS_LANGUAGES

_JS_ENDINGS = (".[jt]s", ".[jt]sx", ".js", ".jsx", ".ts", ".tsx")


@lru_cache(maxsize=4096)
def _matcher(text: str) -> tuple[str, Callable[[str], object]] | None:
    selector = parse_selector(text)
    if selector.kind == SELECTOR_EXTERNAL:
        return None
    if selector.kind == SELECTOR_MODULE:
        if is_wildcard(selector.pattern):
            regex = compile_module_pattern(selector.pattern)
            return ("module", regex.match)
        name = selector.pattern
        return ("module", lambda m: m == name or m.startswith(name + "."))
    return ("path", compile_path_glob(selector.pattern).match)


def claims(selectors: list[str], path: str, module: str | None) -> bool:
    for text in selectors:
        matcher = _matcher(text)
        if matcher is None:
            continue
        kind, match = matcher
        subject = path if kind == "path" else module
        if subject is not None and match(subject):
            return True
    return False


def applies(text: str, languages: dict[str, set[str]]) -> bool:
    """Whether a preset selector can match a file of this project: ``languages`` maps each
    folder to the languages of the files below it. Module patterns name Python modules;
    path globs end in their language (``.py``, ``.[jt]s``...), and those that end in none
    (``server/**/jobs/**``) are the presets' JS/TS backend folders. (A selector that matches
    a file always applies.)"""
    selector = parse_selector(text)
    if selector.kind == SELECTOR_EXTERNAL:
        return True
    if selector.kind == SELECTOR_MODULE:
        return "python" in languages.get("", set())
    pattern = selector.pattern
    literal: list[str] = []
    for segment in pattern.split("/")[:-1]:
        if is_wildcard(segment):
            break
        literal.append(segment)
    below = languages.get("/".join(literal), set())
    if pattern.endswith((".py", ".pyi")):
        return "python" in below
    if pattern.endswith(_JS_ENDINGS) or literal:
        return bool(below & JS_LANGUAGES)
    return bool(below)


def languages_below(files: dict[str, str]) -> dict[str, set[str]]:
    """folder -> the languages of the files below it ("" for the whole project)."""
    found: dict[str, set[str]] = {}
    for path, language in files.items():
        folder = path
        while folder:
            folder = folder.rpartition("/")[0]
            found.setdefault(folder, set()).add(language)
    return found
