"""The JavaScript / TypeScript code-facts extractor: :class:`~archlint.codefacts.CodeFacts`
from one file's bytes, read with tree-sitter (nothing is run, no Node.js).

One parse (the grammars, dialects and TypeScript repairs of
:mod:`archlint.frontends.javascript`) and one recursive walk in source order that tracks the
enclosing function/class and loops (:mod:`archlint.frontends.javascript_walk`, with its
mixins in ``javascript_values``, ``javascript_scopes`` and ``javascript_bindings``). The
records and their string conventions are those of :mod:`archlint.codefacts`; how JavaScript
maps onto them:

Functions
    Function and generator declarations, function/arrow/generator expressions, class and
    object-literal methods, getters and setters, and classes (declarations and expressions)
    are ``Function`` records and scopes: unlike a Python lambda, an arrow function *is* a
    scope. Names: a declaration's or named expression's own name, else the binding it is
    assigned to (``const list = async () => …`` -> "list", ``exports.list = …`` -> "list",
    ``{list: () => …}`` -> "list", a class field ``handle = () => …`` -> "handle",
    ``export default …`` -> "default", a JSX attribute ``onClick={() => …}`` -> "onClick"),
    also through one wrapping call (``const list = asyncHandler(async (req, res) => …)``,
    ``memo(() => …)``: the call's only inline function takes the binding's name; never for
    the iteration methods below); anything else is "<anonymous>". An object literal bound
    to a name joins the qualname like a class (``const users = {list() {}}`` ->
    "users.list") but is no scope: the parent stays the enclosing function. Kinds: "method"
    for class methods and for class fields whose value is a function, "function" for the
    rest (object-literal methods included), "class" for classes, whose ``bases`` hold the
    ``extends`` expression as written ("Base", "React.Component", "Repository<User>";
    ``implements`` is left out). ``decorators`` (TS / Nest ``@Get(':id')``, JS proposals)
    are Values; a method's decorators run in its class's scope, a class's in the scope
    around it. Overload signatures, ``abstract`` methods and ``declare`` are not functions.
    ``line``/``column`` are the function's first token after any decorator (``async``,
    ``static``, ``function``, an arrow's parameters). ``statements`` counts statements
    recursively (a class: its members too); an arrow with an expression body counts 1.
    ``globals``: the module-level (or undeclared) names the function assigns (JS has no
    ``global`` statement: assigning one is the declaration).
Params
    ``name`` is the identifier, or the pattern's text for a destructured parameter
    ("{ id }"); ``...rest`` is "vararg"; ``annotation`` the TS type text; ``default`` the
    default's Value. Defaults run per call in JS, so their calls belong to the function's
    scope; parameter decorators (``@Param('id')``) run with the class: its scope. TS
    parameter properties (``private readonly repo: Repo``) are plain params.
Calls
    ``f(x)``, ``new F(x)`` (callee "F", as a Python constructor call), tagged templates
    (``sql`…``` -> callee "sql", one "fstr" argument) and ``import(x)`` (callee "import").
    Callee text follows the dotted conventions; also: ``a?.b`` and TS ``a!.b``,
    ``(a as T).b``, ``(a).b`` read "a.b"; ``this.repo.find``, ``super.x``; a subscript with a
    plain string literal is the member it names in JS, ``a["b"]`` -> "a.b" (other
    subscripts stay "a[]"). ``kwargs`` are always (): an options object is a "dict" argument.
Values
    As in Python, with: template literal -> "fstr" ("/u/{user.id}"), or "str" without
    substitutions; ``null`` / ``undefined`` -> "null"; ``process.env.X`` /
    ``process.env["X"]`` / ``import.meta.env.X`` -> "env" ("X"; "" when not literal);
    ``||`` / ``&&`` / ``!`` -> "or" / "and" / "not", ``??`` -> "??", ``c ? a : b`` ->
    ("op", "if", (a, c, b)); comparisons, ``typeof``, regexes, class expressions -> "other";
    an object literal -> "dict" whose keys are the literal keys (identifier, string or
    number keys; "" when computed; "**" for ``...spread``; a method's value is a function);
    an array -> "list"; ``...x`` -> "star". New kind **"function"**: an inline function
    (arrow, function or generator expression, object-literal method), ``text`` its index in
    ``CodeFacts.functions`` as a decimal string. So Express ``router.get('/x', auth,
    ctrl.list)`` has args ("str" "/x", "name" "auth", "name" "ctrl.list") and an inline
    handler ``app.get('/x', (req, res) => …)`` has ("str" "/x", ("function", "4")), whose
    body is ``facts.functions[4]``: its calls have scope 4. Values of inline functions are
    made after the function is walked, so functions stay in document order.
Loops
    ``for (;;)`` -> "for" (``over``: "X" when the test is ``i < X.length``, else ""),
    ``for…of`` -> "for of", ``for…in`` -> "for in", ``for await…of`` -> "for await",
    ``while`` -> "while", ``do…while`` -> "do while". The callback (first argument) of an
    iteration method, ``xs.map/flatMap/forEach/filter/reduce/reduceRight/some/every/find/
    findIndex/findLast/findLastIndex/sort(cb)``, is a loop of that method's name over the
    receiver ("xs", "Object.keys()", "constants" for a literal array of literals), at the
    method name's position; so are ``Array.from(xs, cb)`` ("Array.from") and lodash
    ``_.map(xs, cb)`` ("map"). As for Python, a ``for…of``'s iterable and a ``for``'s
    initializer are outside the loop, a test is inside. Every inline function passed as a
    call argument (or called at once, an IIFE) keeps the loops around it, like a Python
    lambda (``.then(cb)`` runs per item too); any other function starts with none. So
    ``Promise.all(items.map(async x => db.find(x)))`` gives ``db.find`` the loops
    (("map", …, "items"),) in the arrow's scope.
Returns
    ``return`` statements (at ``return``), and an arrow's expression body
    (``x => db.find(x)``, at the expression).
Assigns
    Module level (any depth outside functions and classes): every ``let``/``const``/``var``
    declarator (without a value: op ":" and value None) and every assignment target; class
    level: fields (``x: T = v``, annotation "T") and what class static blocks assign. Inside
    functions, as in Python, only what outlives the call: member and subscript targets not
    rooted at ``this`` (``localStorage.token = t``, ``localStorage["token"] = t`` ->
    "localStorage.token", ``cache[key] = v`` -> "cache[]"), and plain names the function
    chain does not declare (``counter += 1`` on a module-level ``let``). ``x++`` / ``x--``
    are "+=" / "-=" 1, ``delete a.b`` is "del". Destructuring: ``const {a, b: c} = obj``
    gives "a" = name "obj.a" and "c" = name "obj.b" (from ``require('m')``: "require().a";
    from ``process.env``: "env" "a"; any other value: "other"); ``[a, b] = [1, 2]`` pairs
    the elements as in Python. The variables of a ``for`` head are not recorded (nor are
    Python's). One addition, for alias resolution: a local
    declaration inside a function whose value is a plain name chain is kept with op
    "const" / "let" / "var" (``const s = window.localStorage`` -> ("s", "const",
    name "window.localStorage")); no other record has those ops.
main_guard
    The first module-level ``if (require.main === module)`` (either order, ``==`` too): the
    CommonJS "run as a script" check.

A file with syntax errors still gives what parsed (tree-sitter recovers; ERROR nodes are
walked like any other). A top-level statement nested too deeply for the walk is dropped
whole; a file with NUL bytes gives empty facts. Never raises.
"""

from __future__ import annotations

import gc

from tree_sitter import Parser

from archlint.codefacts import CodeFacts
from archlint.frontends.javascript import _BOM, _grammar, _repair
from archlint.frontends.javascript_walk import _Walker

# Part of the cache key: bump whenever the facts extracted from the same bytes change.
JAVASCRIPT_CODE_VERSION = "javascript-code-1"
TYPESCRIPT_CODE_VERSION = "typescript-code-2"
TSX_CODE_VERSION = "tsx-code-2"


def _repaired(data: bytes, language: str) -> tuple[bytes, dict[int, tuple[int, str]]]:
    """The bytes to parse, and the one-line ``import('m')`` calls rewritten for TypeScript."""
    if language == "javascript":
        return data, {}
    source, calls, _ = _repair(data)
    found = {}
    for match in calls:
        module = data[match.start("q") + 1 : match.end("q") - 1].decode("utf-8", "replace")
        found[match.start()] = (match.end(), module)
    return source, found


def _extract(data: bytes, language: str) -> CodeFacts:
    """The shared implementation of the three entry points. Never raises."""
    if b"\0" in data:
        return CodeFacts()
    enabled = gc.isenabled()
    gc.disable()  # records hold no cycles; collections would only rescan them
    try:
        data = data.removeprefix(_BOM)  # columns on line 1 count from after the BOM
        grammar, _ = _grammar(language)
        source, repaired = _repaired(data, language)
        tree = Parser(grammar).parse(source)
        walker = _Walker(data, repaired)
        walker.program(tree.root_node)
        return walker.facts()
    except Exception:  # noqa: BLE001 - defensive: one odd file must not stop a run
        return CodeFacts()
    finally:
        if enabled:
            gc.enable()


def extract_javascript_code(data: bytes) -> CodeFacts:
    """Code facts of a .js/.jsx/.mjs/.cjs file (the JavaScript grammar includes JSX)."""
    return _extract(data, "javascript")


def extract_typescript_code(data: bytes) -> CodeFacts:
    """Code facts of a .ts/.mts/.cts file."""
    return _extract(data, "typescript")


def extract_tsx_code(data: bytes) -> CodeFacts:
    """Code facts of a .tsx file."""
    return _extract(data, "tsx")
