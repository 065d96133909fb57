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

JavaScript / TypeScript files (``is_javascript``) are read the same way. Their import graph
knows the package a file imports ("jsonwebtoken"), not the names, so a bare ``sign(...)``
counts when the file imports the package of a pattern (``jsonwebtoken.sign``) and defines no
``sign`` of its own at module level (``const { sign } = require('jsonwebtoken')`` is fine).
Whatever name the default export is bound to is not followed: ``jwt.sign`` and
``jsonwebtoken.sign`` are the callee texts matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase

from archlint.codefacts import KIND_CLASS, Call, CodeFacts, Value
from archlint.globs import path_matcher
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matcher
from archlint.rules.scope import TEST_FILES, code_of_files, listed_files, per_run

EVERY_FILE = "*"
AUTH_LAYERS = [EVERY_FILE]
AUTH_EXCLUDE = TEST_FILES
# PyJWT (`import jwt`), python-jose (`from jose import jwt`), their module paths; the same
# shape in JS: jwt-simple's `jwt.encode(payload, key, algorithm)`.
JWT_ENCODE_CALLS = ["jwt.encode", "jose.jwt.encode", "jwt.api_jwt.encode", "jwt.PyJWT().encode"]
# jsonwebtoken (Node): `jwt.sign(payload, secretOrPrivateKey, options?, callback?)`, the
# algorithm and lifetime in the options object.
JWT_SIGN_CALLS = ["jwt.sign", "jsonwebtoken.sign"]
# jose (JS): `new SignJWT(payload).setProtectedHeader({alg}) … .sign(key)`, one chain.
JOSE_SIGN_CALLS = ["SignJWT().sign", "SignJWT().*.sign", "*.SignJWT().sign", "*.SignJWT().*.sign"]
JAVASCRIPT_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
ANONYMOUS = "<anonymous>"  # the name of a JS function bound to no name


def is_javascript(path: str) -> bool:
    """Whether a file is JavaScript or TypeScript (by its extension)."""
    return path.endswith(JAVASCRIPT_SUFFIXES)


def project_code(context: RuleContext) -> Iterator[tuple[str, str, CodeFacts]]:
    """(module id, path, code facts) of every file of the rule's ``layers`` ("*": every
    project file) that is not in ``exclude``, sorted by path."""
    exclude = tuple(str(p) for p in context.options.get("exclude", AUTH_EXCLUDE))
    layers = tuple(str(name) for name in context.options.get("layers", AUTH_LAYERS))
    if EVERY_FILE in layers:
        files = per_run(context, ("every file", exclude), lambda: _every_file(context, exclude))
    else:
        files = listed_files(context, layers, exclude)
    yield from code_of_files(context, files, ("project", layers, exclude))


def _every_file(context: RuleContext, exclude: tuple[str, ...]) -> list[tuple[str, str]]:
    excluded = path_matcher(exclude)
    graph = context.graph
    found = {(n.id, n.path) for n in graph.nodes.values() if not n.external and n.path}
    return [(module, path) for module, path in sorted(found, key=lambda pair: (pair[1], pair[0]))
            if not excluded(path) and context.mine(path)]


def imported_names(context: RuleContext, module: str) -> set[str]:
    """The absolute dotted names a module imports ("jwt.encode", "app.tasks.send_email")."""
    graph = context.graph
    return {
        site.imported
        for imported in graph.successors(module)
        for site in graph.sites(module, imported)
    }


def calls_matching(
    facts: CodeFacts, patterns: Iterable[str], imported: set[str], javascript: bool = False
) -> Iterator[tuple[Call, str]]:
    """(call, the pattern it matched) for each call whose callee text matches a pattern, or
    is a bare name the file imports exactly as that (wildcard-free) pattern names it. In
    JavaScript (``javascript``) a bare name also counts when the file imports the pattern's
    package (``sign`` for ``jsonwebtoken.sign`` in a file importing "jsonwebtoken") and binds
    no such name itself."""
    patterns = [str(p) for p in patterns]
    bare = {p.rpartition(".")[2]: p for p in patterns if "." in p and p in imported}
    if javascript:
        for p in patterns:
            package, _, name = p.rpartition(".")
            if (package in imported and _IDENTIFIER.fullmatch(name) and name not in bare
                    and not _binds(facts, name, f"require().{name}")):
                bare[name] = p
    any_pattern = matcher(patterns)
    for call in facts.calls:
        matched = None
        if any_pattern(call.callee):  # one regex first; which pattern, only on a match
            matched = next((p for p in patterns if fnmatchcase(call.callee, p)), None)
        if matched is None and call.callee in bare:
            matched = bare[call.callee]
        if matched is not None:
            yield call, matched


def _binds(facts: CodeFacts, name: str, allowed: str) -> bool:
    """Whether the file binds ``name`` at module level to something other than ``allowed``
    (its own ``function sign()``, ``const sign = …``)."""
    if any(f.parent == -1 and f.name == name and f.kind != KIND_CLASS for f in facts.functions):
        return True
    return any(
        a.scope == -1 and a.target == name
        and not (a.value is not None and a.value.kind == "name" and a.value.text == allowed)
        for a in facts.assigns
    )


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


def options_argument(call: Call, index: int, constants: dict[str, Value]) -> Value | None:
    """A JS options object passed at ``index`` (``jwt.sign(p, k, {...})``, ``res.cookie(n,
    v, {...})``), a module constant of the file resolved: an empty "dict" when none is given
    (or a callback is given in its place), None when it cannot be read (a name or call the
    file does not define, ``...spread`` arguments, an object with ``...spread`` entries)."""
    if any(arg.kind == "star" for arg in call.args):
        return None
    value = call.args[index] if index < len(call.args) else None
    if value is None or value.kind in ("null", "function"):
        return Value("dict")
    value = resolve(value, constants) or value
    if value.kind != "dict" or any(key == "**" for key, _ in value.items):
        return None
    return value


def maker_names(facts: CodeFacts, scope: int) -> list[str]:
    """What names the code at ``scope``: the innermost named def (Python) or function (JS);
    a JS callback bound to no name is passed over, and the string arguments of the call it
    is passed to are taken instead (``router.post('/refresh', async (req, res) => …)``)."""
    names: list[str] = []
    function = facts.function(scope)
    while function is not None:
        if function.name != ANONYMOUS:
            names.append(function.name)
            break
        marker = Value("function", str(scope))
        for call in facts.calls:
            if call.scope == function.parent and marker in call.args:
                names.extend(arg.text for arg in call.args if arg.kind in ("str", "fstr"))
        scope = function.parent
        function = facts.function(scope)
    return names
