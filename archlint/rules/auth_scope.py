"""What the auth rules (AL3xx) share: which files they read, and a few questions over code facts.

Auth code rarely lives in a layer: JWTs are signed in ``core/security.py`` or ``auth/jwt.py``,
lifetimes are set in ``settings.py`` or a pydantic ``Settings`` class, refresh cookies are
set in a route. So these rules read every project file by default: their ``layers`` option
is ``["*"]`` ("*" = every project file, in a component or not; else component names) and
their ``exclude`` option drops test files, as for the other code rules.

Code facts know no imports: ``jwt.encode`` is matched by its callee text. A bare call
(``encode(...)`` after ``from jwt import encode``) is matched through the import graph: it
counts when the same file imports exactly that name (``jwt.encode``). An alias
(``import jwt as pyjwt``, ``from jwt import encode as sign``) is not followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase

from archlint.codefacts import KIND_CLASS, Call, CodeFacts, Value
from archlint.globs import compile_path_glob
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matcher
from archlint.rules.scope import TEST_FILES

EVERY_FILE = "*"
AUTH_LAYERS = [EVERY_FILE]
AUTH_EXCLUDE = TEST_FILES
# PyJWT (`import jwt`), python-jose (`from jose import jwt`), their module paths.
JWT_ENCODE_CALLS = ["jwt.encode", "jose.jwt.encode", "jwt.api_jwt.encode", "jwt.PyJWT().encode"]

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def project_code(context: RuleContext) -> Iterator[tuple[str, str, CodeFacts]]:
    """(module id, path, code facts) of every file of the rule's ``layers`` ("*": every
    project file) that is not in ``exclude``, sorted by path."""
    excluded = [compile_path_glob(p) for p in context.options.get("exclude", AUTH_EXCLUDE)]
    layers = [str(name) for name in context.options.get("layers", AUTH_LAYERS)]
    graph = context.graph
    if EVERY_FILE in layers:
        found = {(n.id, n.path) for n in graph.nodes.values() if not n.external and n.path}
        files = sorted(found, key=lambda pair: (pair[1], pair[0]))
    else:
        files = context.files(*layers)
    for module, path in files:
        if any(regex.match(path) for regex in excluded):
            continue
        facts = context.code(path)
        if facts is not None:
            yield module, path, facts


def imported_names(context: RuleContext, module: str) -> set[str]:
    """The absolute dotted names a module imports ("jwt.encode", "app.tasks.send_email")."""
    graph = context.graph
    return {
        site.imported
        for imported in graph.successors(module)
        for site in graph.sites(module, imported)
    }


def calls_matching(
    facts: CodeFacts, patterns: Iterable[str], imported: set[str]
) -> Iterator[tuple[Call, str]]:
    """(call, the pattern it matched) for each call whose callee text matches a pattern, or
    is a bare name the file imports exactly as that (wildcard-free) pattern names it."""
    patterns = [str(p) for p in patterns]
    bare = {p.rpartition(".")[2]: p for p in patterns if "." in p and p in imported}
    any_pattern = matcher(patterns)
    for call in facts.calls:
        matched = None
        if any_pattern(call.callee):  # one regex first; which pattern, only on a match
            matched = next((p for p in patterns if fnmatchcase(call.callee, p)), None)
        if matched is None and call.callee in bare:
            matched = bare[call.callee]
        if matched is not None:
            yield call, matched


def words(name: str) -> list[str]:
    """The lower-case words of an identifier: ``ACCESS_TOKEN_EXPIRE_MINUTES``,
    ``accessTokenTTL`` -> access, token, expire, minutes / access, token, ttl."""
    return [word.lower() for word in _WORDS.findall(name)]


def module_constants(facts: CodeFacts) -> dict[str, Value]:
    """Module-level names assigned exactly once (``SECRET = "..."``), with their value."""
    counts: dict[str, int] = {}
    values: dict[str, Value] = {}
    for assign in facts.assigns:
        if assign.scope == -1 and assign.op != ":":
            counts[assign.target] = counts.get(assign.target, 0) + 1
            if assign.value is not None:
                values[assign.target] = assign.value
    for assign in facts.assigns:  # rebound in a def (`global X; X = ...`): not a constant
        function = facts.function(assign.scope)
        if function is not None and function.kind != KIND_CLASS:
            counts[assign.target] = 2
    return {name: value for name, value in values.items() if counts.get(name) == 1}


def resolve(value: Value | None, constants: dict[str, Value]) -> Value | None:
    """A name's value when it names a module constant of the same file, else the value."""
    if value is not None and value.kind == "name" and value.text in constants:
        return constants[value.text]
    return value


def enclosing_name(facts: CodeFacts, scope: int) -> str:
    """The qualname of the def or class at ``scope``; "" at module level."""
    function = facts.function(scope)
    return function.qualname if function is not None else ""
