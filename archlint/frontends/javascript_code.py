"""The JavaScript / TypeScript code-facts extractor: :class:`~archlint.codefacts.CodeFacts`
from one file's bytes, read with tree-sitter (nothing is run, no Node.js).

One parse (the grammars, dialects and TypeScript repairs of
:mod:`archlint.frontends.javascript`) and one recursive walk in source order that tracks the
enclosing function/class and loops. The records and their string conventions are those of
:mod:`archlint.codefacts`; how JavaScript maps onto them:

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
import re
from bisect import bisect_left
from typing import Any

from tree_sitter import Node, Parser

from archlint.codefacts import (
    MAX_VALUE_DEPTH,
    Assign,
    Call,
    CodeFacts,
    Function,
    Loop,
    Param,
    Return,
    Value,
)
from archlint.frontends.javascript import _BOM, _cook, _grammar, _literal, _repair

# Part of the cache key: bump whenever the facts extracted from the same bytes change.
JAVASCRIPT_CODE_VERSION = "javascript-code-1"
TYPESCRIPT_CODE_VERSION = "typescript-code-1"
TSX_CODE_VERSION = "tsx-code-1"

new = tuple.__new__
OTHER = Value("other")
_NULL = Value("null")
_TRUE, _FALSE = Value("bool", "true"), Value("bool", "false")
_ONE = Value("num", "1")
_ANONYMOUS = "<anonymous>"

_FUNCTIONS = frozenset({"arrow_function", "function_expression", "generator_function", "function"})
_CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "class"})
_DECLARATIONS = frozenset({"lexical_declaration", "variable_declaration", "using_declaration"})
_CHAINS = frozenset({"member_expression", "subscript_expression"})
_ALIASES = frozenset({"identifier", "member_expression", "subscript_expression", "this"})
# Runtime-transparent wrappers: their value is their (first or only) expression.
_WRAPPERS = frozenset({
    "parenthesized_expression", "non_null_expression", "as_expression", "satisfies_expression",
    "type_assertion", "instantiation_expression",
})
_STATEMENTS = frozenset({
    "expression_statement", "variable_declaration", "lexical_declaration", "using_declaration",
    "if_statement", "for_statement", "for_in_statement", "while_statement", "do_statement",
    "try_statement", "with_statement", "break_statement", "continue_statement",
    "return_statement", "throw_statement", "labeled_statement", "switch_statement",
    "debugger_statement", "function_declaration", "generator_function_declaration",
    "class_declaration", "abstract_class_declaration", "import_statement", "export_statement",
    "enum_declaration", "interface_declaration", "type_alias_declaration",
    "ambient_declaration", "function_signature",
})  # fmt: skip
# Never walked: leaves that hold no call, comments, and what exists only in types.
_SKIP = frozenset({
    "identifier", "property_identifier", "private_property_identifier",
    "shorthand_property_identifier", "shorthand_property_identifier_pattern",
    "statement_identifier", "string", "number", "true", "false", "null", "undefined", "this",
    "super", "regex", "comment", "html_comment", "hash_bang_line", "string_fragment",
    "escape_sequence", "import", "meta_property", "optional_chain", "empty_statement",
    "break_statement", "continue_statement", "debugger_statement", "import_statement",
    "type_annotation", "type_arguments", "type_parameters", "type_identifier",
    "predefined_type", "implements_clause", "interface_declaration", "type_alias_declaration",
    "ambient_declaration", "function_signature", "abstract_method_signature",
    "index_signature", "method_signature", "property_signature", "enum_declaration",
    "accessibility_modifier", "override_modifier", "asserts_annotation",
    "type_predicate_annotation", "opting_type_annotation", "omitting_type_annotation",
    "adding_type_annotation", "jsx_text", "html_character_reference", "decorator",
})  # fmt: skip
_ITERATION_METHODS = frozenset({
    "map", "flatMap", "forEach", "filter", "reduce", "reduceRight", "some", "every", "find",
    "findIndex", "findLast", "findLastIndex", "sort",
})  # fmt: skip
_LODASH = frozenset({"_", "lodash"})
_LITERALS = frozenset({"string", "number", "true", "false", "null", "undefined"})
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", ">>>"})
_LOGICAL = {"||": "or", "&&": "and", "??": "??"}
_UNARY = {"!": "not", "-": "-", "+": "+", "~": "~"}
_ENV_ROOTS = frozenset({"process.env", "import.meta.env"})
_MEMBER_KEY = re.compile(r"[^.\[\]()\s]+")  # a string subscript that reads as a member
_CONTINUATION = re.compile(rb"[\x80-\xbf]")
_SPACES = re.compile(r"\s+")
_KEY = tuple[int, int]

_MODULE, _CLASS, _FUNCTION = 0, 1, 2


def _key(node: Node) -> _KEY:
    return (node.start_byte, node.end_byte)


def _unwrap(node: Node) -> Node:
    """The expression inside parentheses, ``x!``, ``x as T``, ``<T>x`` … (itself if none)."""
    while node.type in _WRAPPERS:
        if node.type == "type_assertion":
            inner = node.named_children[-1] if node.named_child_count else None
        else:
            inner = node.named_child(0)
        while inner is not None and inner.type == "comment":
            inner = inner.next_named_sibling
        if inner is None:
            return node
        node = inner
    return node


def _field(node: Node, name: str) -> Node | None:
    return node.child_by_field_name(name)


class _Walker:
    """One pass over a program in source order, tracking the enclosing scope and loops."""

    def __init__(self, data: bytes, repaired: dict[int, tuple[int, str]]) -> None:
        self.data = data
        self.ascii = data.isascii()
        self.lines: dict[int, list[int]] = {}
        self.repaired = repaired  # start byte -> (end byte, module) of a rewritten import()
        self.handlers = _HANDLERS if not repaired else _REPAIRED_HANDLERS
        self.skip = _SKIP.difference(self.handlers)
        self.functions: list[Any] = []
        self.parents: list[int] = []
        self.calls: list[Any] = []
        self.returns: list[Any] = []
        self.assigns: list[Any] = []
        self.scope = -1
        self.level = _MODULE  # what the current scope is
        self.prefix = ""
        self.loops: tuple[Loop, ...] = ()
        self.count = 0
        self.index: dict[_KEY, int] = {}  # function node -> its index, once walked
        self.declared: dict[int, set[str]] = {-1: set()}
        self.candidates: list[tuple[int, str, int]] = []  # (assign slot, name, scope)
        self.main_guard: tuple[int, int] | None = None

    # --- text and positions ------------------------------------------------------------

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def compact(self, node: Node) -> str:
        return _SPACES.sub(" ", self.text(node)).strip()

    def position(self, node: Node) -> tuple[int, int]:
        row, column = node.start_point
        if self.ascii:
            return row + 1, column + 1
        start = node.start_byte - column
        marks = self.lines.get(start)
        if marks is None:
            end = self.data.find(b"\n", start)
            line = self.data[start : end if end >= 0 else len(self.data)]
            marks = [] if line.isascii() else [m.start() for m in _CONTINUATION.finditer(line)]
            self.lines[start] = marks
        return row + 1, column - bisect_left(marks, column) + 1

    # --- dispatch ----------------------------------------------------------------------

    def visit(self, node: Node) -> None:
        kind = node.type
        if kind in _STATEMENTS:
            self.count += 1
        handler = self.handlers.get(kind)
        if handler is not None:
            handler(self, node)
        elif kind not in self.skip:
            self.generic(node)

    def dispatch(self, node: Node) -> None:
        """``visit`` without counting a statement (one already counted holds it)."""
        handler = self.handlers.get(node.type)
        if handler is not None:
            handler(self, node)
        elif node.type not in self.skip:
            self.generic(node)

    def generic(self, node: Node) -> None:
        skip = self.skip
        for child in node.named_children:
            kind = child.type
            if kind not in skip:
                self.visit(child)
            elif kind in _STATEMENTS:  # `break`, `import`, `interface`: statements all the same
                self.count += 1

    def expr(self, node: Node | None) -> None:
        if node is not None and node.type not in self.skip:
            self.visit(node)

    def program(self, root: Node) -> None:
        """Top-level statements one by one: one nested too deeply is dropped, not the file."""
        for child in root.named_children:
            sizes = (len(self.functions), len(self.calls), len(self.returns),
                     len(self.assigns), len(self.candidates))
            try:
                self.visit(child)
            except RecursionError:
                functions, calls, returns, assigns, candidates = sizes
                del self.functions[functions:], self.parents[functions:]
                del self.calls[calls:], self.returns[returns:], self.assigns[assigns:]
                del self.candidates[candidates:]
                for index in [i for i in self.declared if i >= functions]:
                    del self.declared[index]
                self.scope, self.level, self.prefix, self.loops = -1, _MODULE, "", ()
            if self.main_guard is None and child.type == "if_statement":
                self.guard(child)

    # --- names -------------------------------------------------------------------------

    def dotted(self, node: Node) -> str:
        """Callee text: "a.b", "a().b", "x[].y", ``a["k"]`` -> "a.k"; "" for another root."""
        suffix: list[str] = []
        while True:
            kind = node.type
            if kind == "member_expression":
                prop = _field(node, "property")
                obj = _field(node, "object")
                if prop is None or obj is None:
                    return ""
                suffix.append("." + self.text(prop))
                node = obj
            elif kind == "subscript_expression":
                obj = _field(node, "object")
                if obj is None:
                    return ""
                suffix.append(self.key_suffix(_field(node, "index")))
                node = obj
            elif kind == "call_expression" or kind == "new_expression":
                inner = _field(node, "function" if kind == "call_expression" else "constructor")
                if inner is None:
                    return ""
                suffix.append("()")
                node = inner
            elif kind in _WRAPPERS:
                inner = _unwrap(node)
                if inner is node:
                    return ""
                node = inner
            elif kind == "identifier":
                base = self.text(node)
                if node.start_byte in self.repaired:
                    base = "import()"
                break
            elif kind == "this" or kind == "super" or kind == "import":
                base = kind
                break
            elif kind == "meta_property":
                base = self.compact(node)
                break
            else:
                return ""
        return base + "".join(reversed(suffix))

    def key_suffix(self, index: Node | None) -> str:
        if index is not None and index.type == "string":
            key = _literal(index, self.data)
            if key and _MEMBER_KEY.fullmatch(key):
                return "." + key
        return "[]"

    def property_name(self, node: Node | None) -> str:
        """A method's, field's or object key's name; "" when computed."""
        if node is None:
            return ""
        kind = node.type
        if kind == "string":
            return _literal(node, self.data) or ""
        if kind == "computed_property_name":
            return ""
        return self.text(node)

    def iterated(self, node: Node) -> str:
        """What a loop iterates: "constants" for a literal array of literals, else its text."""
        node = _unwrap(node)
        if node.type == "array":
            elements = [c for c in node.named_children if c.type != "comment"]
            if all(self.literal(element) for element in elements):
                return "constants"
        return self.dotted(node)

    def literal(self, node: Node) -> bool:
        kind = node.type
        if kind in _LITERALS:
            return True
        if kind == "template_string":
            return not any(c.type == "template_substitution" for c in node.named_children)
        if kind == "unary_expression":
            argument = _field(node, "argument")
            return argument is not None and argument.type == "number"
        return False

    # --- values ------------------------------------------------------------------------

    def value(self, node: Node, depth: int = 1) -> Value:
        """The ``Value`` of one expression (see the module docstring)."""
        kind = node.type
        if kind == "identifier":
            text = self.text(node)
            if text == "undefined":
                return _NULL
            if node.start_byte in self.repaired:
                return new(Value, ("call", "import", (self.repaired_module(node),), ()))
            return new(Value, ("name", text, (), ()))
        if kind == "string":
            return new(Value, ("str", _literal(node, self.data) or "", (), ()))
        if kind == "template_string":
            return self.template(node)
        if kind == "number":
            return new(Value, ("num", _number(self.text(node)), (), ()))
        if kind == "true":
            return _TRUE
        if kind == "false":
            return _FALSE
        if kind == "null" or kind == "undefined":
            return _NULL
        if kind in _CHAINS or kind == "this" or kind == "super" or kind == "meta_property":
            if kind in _CHAINS:
                obj = _field(node, "object")
                if obj is not None and self.dotted(obj) in _ENV_ROOTS:
                    if kind == "member_expression":
                        prop = _field(node, "property")
                        return new(Value, ("env", self.text(prop) if prop else "", (), ()))
                    index = _field(node, "index")
                    name = _literal(index, self.data) if index is not None else None
                    return new(Value, ("env", name or "", (), ()))
            text = self.dotted(node)
            return new(Value, ("name", text, (), ())) if text else OTHER
        if kind in _WRAPPERS:
            inner = _unwrap(node)
            return OTHER if inner is node else self.value(inner, depth)
        if kind in _FUNCTIONS or kind == "method_definition":
            number = self.index.get(_key(node))
            return OTHER if number is None else new(Value, ("function", str(number), (), ()))
        if kind == "unary_expression":
            argument = _field(node, "argument")
            operator = _field(node, "operator")
            op = self.text(operator) if operator is not None else ""
            if op == "-" and argument is not None and argument.type == "number":
                return new(Value, ("num", "-" + _number(self.text(argument)), (), ()))
        if depth > MAX_VALUE_DEPTH:
            return OTHER
        depth += 1
        if kind == "call_expression" or kind == "new_expression":
            callee_node = _field(node, "function" if kind == "call_expression" else "constructor")
            callee = self.dotted(callee_node) if callee_node is not None else ""
            args = tuple([self.value(arg, depth) for arg in self.arguments(node)])
            return new(Value, ("call", callee, args, ()))
        if kind == "object":
            return new(Value, ("dict", "", (), self.entries(node, depth)))
        if kind == "array":
            elements = [c for c in node.named_children if c.type != "comment"]
            return new(Value, ("list", "", tuple([self.value(e, depth) for e in elements]), ()))
        if kind == "binary_expression":
            operator = _field(node, "operator")
            op = self.text(operator) if operator is not None else ""
            op = _LOGICAL.get(op, op if op in _ARITHMETIC else "")
            left, right = _field(node, "left"), _field(node, "right")
            if not op or left is None or right is None:
                return OTHER
            return new(Value, ("op", op, (self.value(left, depth), self.value(right, depth)), ()))
        if kind == "unary_expression":
            operator = _field(node, "operator")
            op = _UNARY.get(self.text(operator) if operator is not None else "", "")
            argument = _field(node, "argument")
            if not op or argument is None:
                return OTHER
            return new(Value, ("op", op, (self.value(argument, depth),), ()))
        if kind == "ternary_expression":
            parts = [_field(node, f) for f in ("consequence", "condition", "alternative")]
            if any(part is None for part in parts):
                return OTHER
            return new(Value, ("op", "if", tuple([self.value(p, depth) for p in parts]), ()))  # type: ignore[arg-type]
        if kind == "await_expression" or kind == "spread_element":
            inner = node.named_child(0)
            if inner is None:
                return OTHER
            name = "await" if kind == "await_expression" else "star"
            return new(Value, (name, "", (self.value(inner, depth),), ()))
        return OTHER

    def template(self, node: Node) -> Value:
        if not any(c.type == "template_substitution" for c in node.named_children):
            return new(Value, ("str", _literal(node, self.data) or "", (), ()))
        parts: list[str] = []
        data = self.data
        position = node.start_byte + 1
        for child in node.named_children:
            if child.type != "template_substitution":
                continue
            raw = data[position : child.start_byte].decode("utf-8", "replace")
            parts.append(_literal_body(raw))
            inner = child.named_child(0)
            parts.append("{" + (self.dotted(inner) if inner is not None else "") + "}")
            position = child.end_byte
        parts.append(_literal_body(data[position : node.end_byte - 1].decode("utf-8", "replace")))
        return new(Value, ("fstr", "".join(parts), (), ()))

    def entries(self, node: Node, depth: int) -> tuple[tuple[str, Value], ...]:
        items: list[tuple[str, Value]] = []
        for child in node.named_children:
            kind = child.type
            if kind == "pair":
                key, value = _field(child, "key"), _field(child, "value")
                if value is not None:
                    items.append((self.property_name(key), self.value(value, depth)))
            elif kind == "shorthand_property_identifier":
                text = self.text(child)
                items.append((text, new(Value, ("name", text, (), ()))))
            elif kind == "spread_element":
                inner = child.named_child(0)
                items.append(("**", self.value(inner, depth) if inner is not None else OTHER))
            elif kind == "method_definition":
                items.append((self.property_name(_field(child, "name")), self.value(child, depth)))
        return tuple(items)

    def arguments(self, node: Node) -> list[Node]:
        args = _field(node, "arguments")
        if args is None:
            return []
        if args.type == "template_string":  # sql`…`
            return [args]
        return [c for c in args.named_children if c.type != "comment"]

    def repaired_module(self, node: Node) -> Value:
        return new(Value, ("str", self.repaired[node.start_byte][1], (), ()))

    # --- scopes ------------------------------------------------------------------------

    def reserve(self, node: Node) -> int:
        index = len(self.functions)
        self.functions.append(None)
        self.parents.append(self.scope)
        self.index[_key(node)] = index
        return index

    def declare(self, name: str) -> None:
        if name:
            self.declared.setdefault(self.scope, set()).add(name)

    def declare_pattern(self, node: Node | None) -> None:
        """Declare every name a binding pattern introduces."""
        if node is None:
            return
        kind = node.type
        if kind == "identifier" or kind == "shorthand_property_identifier_pattern":
            self.declare(self.text(node))
        elif kind == "pair_pattern":
            self.declare_pattern(_field(node, "value"))
        elif kind == "assignment_pattern" or kind == "object_assignment_pattern":
            self.declare_pattern(_field(node, "left"))
        elif kind in ("object_pattern", "array_pattern", "rest_pattern"):
            for child in node.named_children:
                self.declare_pattern(child)

    def head(self, node: Node) -> tuple[int, int]:
        """Where a function or class starts, after its decorators."""
        for child in node.children:
            if child.type != "decorator" and child.type != "comment":
                return self.position(child)
        return self.position(node)

    def function(self, node: Node, name: str, kind: str = "function",
                 decorators: tuple[Value, ...] = (), keep_loops: bool = False,
                 loop: Loop | None = None) -> int:
        """Walk a function as a new scope, then record it; returns its index."""
        own = _field(node, "name")
        if own is not None and node.type in _FUNCTIONS:
            name = self.text(own)  # a named function expression keeps its own name
        index = self.reserve(node)
        qualname = self.prefix + name
        is_async = any(child.type == "async" for child in node.children)
        line, column = self.head(node)
        saved = (self.scope, self.level, self.prefix, self.loops)
        outer_loops = self.loops if keep_loops else ()
        inner_loops = outer_loops + (loop,) if loop is not None else outer_loops
        self.declared[index] = set()
        start = self.count
        params = self.params(node, index, qualname, inner_loops)
        self.scope, self.level, self.prefix = index, _FUNCTION, qualname + "."
        self.loops = inner_loops
        if own is not None and node.type in _FUNCTIONS:
            self.declare(name)
        body = _field(node, "body")
        if body is not None:
            if body.type == "statement_block":
                self.generic(body)
            else:  # an arrow's expression body: its value is returned
                self.count += 1
                self.returned(body, body)
        returns = _field(node, "return_type")
        statements = self.count - start
        self.scope, self.level, self.prefix, self.loops = saved
        end_line = node.end_point[0] + 1
        self.functions[index] = new(Function, (
            name, qualname, kind, is_async, line, end_line, column, saved[0], decorators,
            params, self.type_text(returns), (), statements, (),
        ))
        return index

    def params(self, node: Node, index: int, qualname: str,
               loops: tuple[Loop, ...]) -> tuple[Param, ...]:
        single = _field(node, "parameter")
        if single is not None:  # x => …
            name = self.text(single)
            self.declared[index].add(name)
            return (new(Param, (name, "", "arg", None)),)
        parameters = _field(node, "parameters")
        if parameters is None:
            return ()
        result = []
        outer = (self.scope, self.level, self.prefix, self.loops)
        for child in parameters.named_children:
            kind = child.type
            annotation = ""
            default = None
            if kind == "required_parameter" or kind == "optional_parameter":
                for decorator in child.named_children:
                    if decorator.type == "decorator":  # runs with the class: the outer scope
                        self.expr(decorator.named_child(0))
                pattern = _field(child, "pattern")
                annotation = self.type_text(_field(child, "type"))
                default = _field(child, "value")
            elif kind == "assignment_pattern":
                pattern, default = _field(child, "left"), _field(child, "right")
            elif kind == "comment" or kind == "decorator":
                continue
            else:
                pattern = child
            if pattern is None:
                continue
            param_kind = "arg"
            if pattern.type == "rest_pattern":
                param_kind = "vararg"
                inner = pattern.named_child(0)
                name = self.compact(inner) if inner is not None else ""
            elif pattern.type == "identifier" or pattern.type == "this":
                name = self.text(pattern)
            else:
                name = self.compact(pattern)
            self.scope, self.level, self.prefix, self.loops = index, _FUNCTION, qualname + ".", loops
            self.declare_pattern(pattern)
            summary = None
            if default is not None:  # evaluated per call, in the function's scope
                self.named(default, _ANONYMOUS)
                summary = self.value(default)
            self.scope, self.level, self.prefix, self.loops = outer
            result.append(new(Param, (name, annotation, param_kind, summary)))
        return tuple(result)

    def type_text(self, annotation: Node | None) -> str:
        if annotation is None:
            return ""
        inner = [c for c in annotation.named_children if c.type != "comment"]
        if annotation.type.endswith("annotation") and len(inner) == 1:
            return self.compact(inner[0])
        return self.compact(annotation).lstrip(":").strip()

    def decorators(self, nodes: list[Node]) -> tuple[Value, ...]:
        """Walk decorator expressions (in the current scope) and summarise them."""
        values = []
        for decorator in nodes:
            expression: Node | None = decorator.named_child(0)
            while expression is not None and expression.type == "comment":
                expression = expression.next_named_sibling
            if expression is None:
                continue
            self.expr(expression)
            values.append(self.value(expression))
        return tuple(values)

    def klass(self, node: Node, name: str = "", extra: tuple[Node, ...] = ()) -> int:
        own = _field(node, "name")
        if own is not None:
            name = self.text(own)
        name = name or _ANONYMOUS
        decorators = self.decorators(
            [*extra, *(c for c in node.named_children if c.type == "decorator")]
        )
        bases: list[str] = []
        for child in node.named_children:
            if child.type != "class_heritage":
                continue
            for clause in child.named_children:
                if clause.type == "extends_clause":
                    for value in clause.named_children:
                        if value.type == "type_arguments":
                            if bases:
                                bases[-1] += self.compact(value)
                        elif value.type != "comment":
                            bases.append(self.compact(value))
                            self.expr(value)
                elif clause.type not in ("implements_clause", "comment"):  # JS: the expression
                    bases.append(self.compact(clause))
                    self.expr(clause)
        if node.type != "class":
            self.declare(name)
        index = self.reserve(node)
        qualname = self.prefix + name
        line, column = self.head(node)
        saved = (self.scope, self.level, self.prefix, self.loops)
        self.scope, self.level, self.prefix, self.loops = index, _CLASS, qualname + ".", ()
        start = self.count
        body = _field(node, "body")
        pending: list[Node] = []
        for member in body.named_children if body is not None else ():
            kind = member.type
            if kind == "decorator":
                pending.append(member)
                continue
            if kind == "method_definition":
                self.count += 1
                self.method(member, "method", pending)
            elif kind == "public_field_definition" or kind == "field_definition":
                self.count += 1
                self.class_field(member, pending)
            elif kind == "class_static_block":
                self.count += 1
                block = _field(member, "body")
                if block is not None:
                    self.generic(block)
            elif kind not in self.skip:
                self.visit(member)
            pending = []
        statements = self.count - start
        self.scope, self.level, self.prefix, self.loops = saved
        self.functions[index] = new(Function, (
            name, qualname, "class", False, line, node.end_point[0] + 1, column, saved[0],
            decorators, (), "", tuple(bases), statements, (),
        ))
        return index

    def method(self, node: Node, kind: str, pending: list[Node] | None = None) -> int:
        own = [c for c in node.named_children if c.type == "decorator"]
        decorators = self.decorators([*(pending or ()), *own])
        name = self.property_name(_field(node, "name"))
        if not name:
            key = _field(node, "name")
            if key is not None:
                self.generic(key)  # [computed]() {}
            name = _ANONYMOUS
        return self.function(node, name, kind, decorators)

    def class_field(self, node: Node, pending: list[Node]) -> None:
        own = [c for c in node.named_children if c.type == "decorator"]
        self.decorators([*pending, *own])
        key = _field(node, "name") or _field(node, "property")
        name = self.property_name(key)
        if not name and key is not None:
            self.generic(key)
        value = _field(node, "value")
        annotation = self.type_text(_field(node, "type"))
        slot = len(self.assigns)
        self.assigns.append(None)
        line, column = self.position(key if key is not None else node)
        if value is not None:
            inner = _unwrap(value)
            if inner.type in _FUNCTIONS:
                self.function(inner, name or _ANONYMOUS, "method")
            else:
                self.named(value, name or _ANONYMOUS)
        summary = None if value is None else self.value(value)
        if name:
            op = ":" if value is None else "="
            self.assigns[slot] = new(Assign, (name, op, summary, annotation, line, column,
                                              self.scope))

    # --- binding contexts --------------------------------------------------------------

    def named(self, node: Node, name: str) -> None:
        """Walk an expression that may be a function, class or object bound to ``name``."""
        inner = _unwrap(node)
        kind = inner.type
        if kind in _FUNCTIONS:
            self.function(inner, name)
        elif kind == "class":
            self.klass(inner, name)
        elif kind == "object" and name != _ANONYMOUS:
            saved = self.prefix
            self.prefix = saved + name + "."
            self.object(inner)
            self.prefix = saved
        elif kind == "call_expression" and name != _ANONYMOUS:
            self.call(inner, name)
        else:
            self.expr(node)

    def object(self, node: Node) -> None:
        for child in node.named_children:
            kind = child.type
            if kind == "pair":
                key, value = _field(child, "key"), _field(child, "value")
                name = self.property_name(key)
                if not name and key is not None:
                    self.generic(key)
                if value is not None:
                    self.named(value, name or _ANONYMOUS)
            elif kind == "method_definition":
                self.method(child, "function")
            elif kind not in self.skip:
                self.visit(child)

    # --- statements --------------------------------------------------------------------

    def declaration(self, node: Node) -> None:
        keyword = node.child(0)
        word = self.text(keyword) if keyword is not None else ""
        if word == "await":
            word = "using"
        for declarator in node.named_children:
            if declarator.type != "variable_declarator":
                self.expr(declarator)
                continue
            target, value = _field(declarator, "name"), _field(declarator, "value")
            if target is None:
                continue
            self.declare_pattern(target)
            annotation = self.type_text(_field(declarator, "type"))
            pending = self.bind(target, "=" if value is not None else ":", value, annotation,
                                word)
            if value is not None:
                name = self.text(target) if target.type == "identifier" else _ANONYMOUS
                self.named(value, name)
            self.fill(pending, value)

    def bind(self, target: Node, op: str, value: Node | None, annotation: str,
             keyword: str = "") -> list[tuple[int, Any]]:
        """Reserve the Assign records of one target (a pattern gives several); each pending
        entry is (slot, what its value is), filled in by ``fill`` once the value is walked."""
        pending: list[tuple[int, Any]] = []
        self.targets(target, op, value, annotation, keyword, pending, "whole")
        return pending

    def targets(self, target: Node, op: str, value: Node | None, annotation: str,
                keyword: str, pending: list[tuple[int, Any]], spec: Any) -> None:
        kind = target.type
        if kind in _WRAPPERS:
            target = _unwrap(target)
            kind = target.type
        level = self.level
        if kind in ("object_pattern", "array_pattern"):
            self.pattern(target, op, value, annotation, keyword, pending, spec)
            return
        if kind == "assignment_pattern" or kind == "object_assignment_pattern":
            left = _field(target, "left")
            if left is not None:
                self.targets(left, op, value, annotation, keyword, pending, spec)
            return
        if kind == "rest_pattern":
            inner = target.named_child(0)
            if inner is not None:
                self.targets(inner, op, value, annotation, keyword, pending, OTHER)
            return
        if kind == "shorthand_property_identifier_pattern":
            kind = "identifier"
        if kind == "identifier":
            name = self.text(target)
            if level == _FUNCTION:
                if keyword:  # a local declaration: kept only as an alias of a name chain
                    if spec == "whole" and (value is None or _unwrap(value).type not in _ALIASES):
                        return
                    summary = self.spec_value(spec, value)
                    if summary is None or summary.kind != "name":
                        return
                    op = keyword
                else:
                    self.candidates.append((len(self.assigns), name, self.scope))
        elif kind in _CHAINS:
            if level == _FUNCTION and self.root(target) == "this":
                return
            name = self.dotted(target)
            if not name:
                return
        else:
            return
        line, column = self.position(target)
        slot = len(self.assigns)
        self.assigns.append(new(Assign, (name, op, None, annotation, line, column, self.scope)))
        pending.append((slot, spec))

    def pattern(self, target: Node, op: str, value: Node | None, annotation: str,
                keyword: str, pending: list[tuple[int, Any]], spec: Any) -> None:
        """Destructuring: object keys read members of the value, array elements pair with a
        literal array of the same length; anything else is "other"."""
        if target.type == "object_pattern":
            base = self.spec_value(spec, value)
            for child in target.named_children:
                kind = child.type
                if kind == "pair_pattern":
                    key, inner = _field(child, "key"), _field(child, "value")
                    name = self.property_name(key)
                    sub = _member(base, name)
                    if inner is not None:
                        self.targets(inner, op, value, annotation, keyword, pending, sub)
                elif kind in ("shorthand_property_identifier_pattern", "object_assignment_pattern"):
                    left = child if kind != "object_assignment_pattern" else _field(child, "left")
                    name = self.text(left) if left is not None else ""
                    self.targets(child, op, value, annotation, keyword, pending,
                                 _member(base, name))
                elif kind == "rest_pattern":
                    self.targets(child, op, value, annotation, keyword, pending, OTHER)
            return
        elements = [c for c in target.named_children if c.type != "comment"]
        paired: list[Any] = [OTHER] * len(elements)
        source = _unwrap(value) if spec == "whole" and value is not None else None
        if source is not None and source.type == "array":
            items = [c for c in source.named_children if c.type != "comment"]
            if len(items) == len(elements) and not any(
                n.type in ("spread_element", "rest_pattern") for n in (*items, *elements)
            ):
                paired = items
        for element, item in zip(elements, paired):
            self.targets(element, op, value, annotation, keyword, pending, item)

    def spec_value(self, spec: Any, value: Node | None) -> Value | None:
        if spec == "whole":
            return None if value is None else self.value(value)
        if isinstance(spec, Value):
            return spec
        return self.value(spec)  # an element node of a literal array

    def fill(self, pending: list[tuple[int, Any]], value: Node | None) -> None:
        for slot, spec in pending:
            record = self.assigns[slot]
            summary = None if value is None else self.spec_value(spec, value)
            if record.op == "del" or record.op == ":":
                summary = None
            self.assigns[slot] = record._replace(value=summary)

    def root(self, node: Node) -> str:
        """The name a chain starts from ("this" for ``this.a[b].c()``); "" for another root."""
        while True:
            kind = node.type
            if kind in _CHAINS:
                inner = _field(node, "object")
            elif kind == "call_expression":
                inner = _field(node, "function")
            elif kind == "new_expression":
                inner = _field(node, "constructor")
            elif kind in _WRAPPERS:
                inner = _unwrap(node)
                if inner is node:
                    return ""
            elif kind == "identifier":
                return self.text(node)
            else:
                return kind if kind == "this" or kind == "super" else ""
            if inner is None:
                return ""
            node = inner

    def assignment(self, node: Node) -> None:
        left, right = _field(node, "left"), _field(node, "right")
        if left is None:
            self.generic(node)
            return
        op = "="
        if node.type == "augmented_assignment_expression":
            operator = _field(node, "operator")
            op = self.text(operator) if operator is not None else "="
        pending = self.bind(left, op, right, "")
        self.walk_target(left)
        if right is not None:
            target = _unwrap(left)
            name = _ANONYMOUS
            if target.type == "identifier":
                name = self.text(target)
            elif target.type == "member_expression":
                prop = _field(target, "property")
                name = self.text(prop) if prop is not None else _ANONYMOUS
            self.named(right, name)
        self.fill(pending, right)

    def walk_target(self, target: Node) -> None:
        """Calls inside an assignment target: ``a[f()] = …``, ``g().x = …``, defaults."""
        kind = target.type
        if kind in _CHAINS or kind in _WRAPPERS:
            self.visit(target)
        elif kind not in self.skip:
            self.generic(target)

    def update(self, node: Node) -> None:
        argument = _field(node, "argument")
        operator = _field(node, "operator")
        if argument is not None:
            op = "-=" if operator is not None and self.text(operator) == "--" else "+="
            pending = self.bind(argument, op, None, "")
            for slot, _ in pending:
                self.assigns[slot] = self.assigns[slot]._replace(value=_ONE)
            self.walk_target(argument)

    def unary(self, node: Node) -> None:
        operator = _field(node, "operator")
        argument = _field(node, "argument")
        if operator is not None and argument is not None and self.text(operator) == "delete":
            self.bind(argument, "del", None, "")
            self.walk_target(argument)
            return
        self.expr(argument)

    def returned(self, node: Node, value: Node | None) -> None:
        slot = len(self.returns)
        self.returns.append(None)
        line, column = self.position(node)
        if value is not None:
            self.named(value, _ANONYMOUS)
        summary = None if value is None else self.value(value)
        self.returns[slot] = new(Return, (summary, line, column, self.scope))

    def return_(self, node: Node) -> None:
        value = None
        for child in node.named_children:
            if child.type != "comment":
                value = child
                break
        self.returned(node, value)

    def function_declaration(self, node: Node) -> None:
        own = _field(node, "name")
        name = self.text(own) if own is not None else "default"
        self.declare(name)
        self.function(node, name)

    def export(self, node: Node) -> None:
        decorators = tuple(c for c in node.named_children if c.type == "decorator")
        declaration, value = _field(node, "declaration"), _field(node, "value")
        if declaration is not None:
            if declaration.type in _CLASSES:
                self.klass(declaration, extra=decorators)
            else:
                self.dispatch(declaration)
        elif value is not None:
            self.named(value, "default")
        else:
            for child in node.named_children:
                if child.type != "export_clause" and child.type != "decorator":
                    self.expr(child)

    def class_declaration(self, node: Node) -> None:
        self.klass(node)

    def arrow(self, node: Node) -> None:
        self.function(node, _ANONYMOUS)

    def jsx_attribute(self, node: Node) -> None:
        children = node.named_children
        if len(children) == 2 and children[1].type == "jsx_expression":
            inner = children[1].named_child(0)
            if inner is not None:
                self.named(inner, self.text(children[0]))
                return
        self.generic(node)

    # --- loops ---------------------------------------------------------------------------

    def for_in(self, node: Node) -> None:
        operator = _field(node, "operator")
        is_await = any(child.type == "await" for child in node.children)
        kind = "for await" if is_await else "for in" if operator is not None and self.text(
            operator) == "in" else "for of"
        left, right = _field(node, "left"), _field(node, "right")
        line, column = self.position(node)
        over = self.iterated(right) if right is not None else ""
        outer = self.loops
        inner = outer + (new(Loop, (kind, line, column, over)),)
        if _field(node, "kind") is not None:
            self.declare_pattern(left)
        self.loops = inner
        if left is not None:
            self.walk_target(left)
        self.loops = outer
        self.expr(right)  # evaluated once, before the loop
        self.loops = inner
        self.expr(_field(node, "body"))
        self.loops = outer

    def for_(self, node: Node) -> None:
        initializer = _field(node, "initializer")
        condition = _field(node, "condition")
        over = ""
        if condition is not None and condition.type == "expression_statement":
            condition = condition.named_child(0)
        test = _unwrap(condition) if condition is not None else None
        if test is not None and test.type == "binary_expression":
            operator, right = _field(test, "operator"), _field(test, "right")
            if (operator is not None and self.text(operator) in ("<", "<=")
                    and right is not None and right.type == "member_expression"):
                prop, obj = _field(right, "property"), _field(right, "object")
                if prop is not None and obj is not None and self.text(prop) == "length":
                    over = self.dotted(obj)
        line, column = self.position(node)
        outer = self.loops
        if initializer is not None:
            if initializer.type in _DECLARATIONS:
                for declarator in initializer.named_children:
                    if declarator.type == "variable_declarator":
                        self.declare_pattern(_field(declarator, "name"))
                        self.expr(_field(declarator, "value"))
            elif initializer.type == "expression_statement":
                self.expr(initializer.named_child(0))
            elif initializer.type != "empty_statement":
                self.expr(initializer)
        self.loops = outer + (new(Loop, ("for", line, column, over)),)
        if condition is not None and condition.type != "empty_statement":
            self.expr(condition)
        self.expr(_field(node, "increment"))
        self.expr(_field(node, "body"))
        self.loops = outer

    def while_(self, node: Node) -> None:
        line, column = self.position(node)
        kind = "while" if node.type == "while_statement" else "do while"
        outer = self.loops
        self.loops = outer + (new(Loop, (kind, line, column, "")),)
        if kind == "while":
            self.expr(_field(node, "condition"))
            self.expr(_field(node, "body"))
        else:
            self.expr(_field(node, "body"))
            self.expr(_field(node, "condition"))
        self.loops = outer

    def catch(self, node: Node) -> None:
        self.declare_pattern(_field(node, "parameter"))
        self.expr(_field(node, "body"))

    # --- expressions ---------------------------------------------------------------------

    def chain(self, node: Node) -> None:
        """``a.b[c].d``: walk the root, then the subscripts, without recursing per link."""
        indexes = []
        while True:
            kind = node.type
            if kind == "member_expression":
                inner = _field(node, "object")
            elif kind == "subscript_expression":
                index = _field(node, "index")
                if index is not None:
                    indexes.append(index)
                inner = _field(node, "object")
            elif kind in _WRAPPERS:
                inner = _unwrap(node)
                if inner is node:
                    self.generic(node)
                    break
            else:
                self.expr(node)
                break
            if inner is None:
                break
            node = inner
        for index in reversed(indexes):
            self.expr(index)

    def binary(self, node: Node) -> None:
        """``a + b + c …`` nests to the left: walk that spine in a loop."""
        rights = []
        while node.type == "binary_expression":
            right = _field(node, "right")
            if right is not None:
                rights.append(right)
            left = _field(node, "left")
            if left is None:
                break
            node = left
        self.expr(node)
        for right in reversed(rights):
            self.expr(right)

    def identifier(self, node: Node) -> None:
        """Only reached in TypeScript with rewritten ``import('m')`` calls."""
        if node.start_byte in self.repaired:
            line, column = self.position(node)
            self.calls.append(new(Call, (
                "import", (self.repaired_module(node),), (), line, column, self.scope, self.loops,
            )))

    def call(self, node: Node, binding: str = "") -> None:
        slot = len(self.calls)
        self.calls.append(None)
        is_new = node.type == "new_expression"
        callee_node = _field(node, "constructor" if is_new else "function")
        callee = self.dotted(callee_node) if callee_node is not None else ""
        line, column = self.position(node)
        loops = self.loops
        args = self.arguments(node)
        if callee_node is not None:
            inner = _unwrap(callee_node)
            if inner.type in _FUNCTIONS:  # an IIFE runs at once, in the loops around it
                self.function(inner, _ANONYMOUS, keep_loops=True)
            else:
                self.expr(callee_node)
        loop_at, loop = self.iteration(callee_node, callee, args)
        functions = [i for i, arg in enumerate(args) if _unwrap(arg).type in _FUNCTIONS]
        named_at = functions[0] if binding and loop is None and len(functions) == 1 else -1
        for position, arg in enumerate(args):
            inner = _unwrap(arg)
            if inner.type in _FUNCTIONS:
                name = binding if position == named_at else _ANONYMOUS
                self.function(inner, name, keep_loops=True,
                              loop=loop if position == loop_at else None)
            else:
                self.expr(arg)
        values = tuple([self.value(arg) for arg in args]) if args else ()
        self.calls[slot] = new(Call, (callee, values, (), line, column, self.scope, loops))

    def iteration(self, callee_node: Node | None, callee: str,
                  args: list[Node]) -> tuple[int, Loop | None]:
        """Which argument of this call is an iteration callback, and its loop."""
        if callee_node is None or not args:
            return -1, None
        member = _unwrap(callee_node)
        if member.type != "member_expression":
            return -1, None
        prop, obj = _field(member, "property"), _field(member, "object")
        if prop is None or obj is None:
            return -1, None
        method = self.text(prop)
        line, column = self.position(prop)
        if callee == "Array.from":
            if len(args) > 1:
                return 1, new(Loop, ("Array.from", line, column, self.iterated(args[0])))
            return -1, None
        if method not in _ITERATION_METHODS:
            return -1, None
        if _unwrap(obj).type == "identifier" and self.text(_unwrap(obj)) in _LODASH:
            if len(args) > 1:
                return 1, new(Loop, (method, line, column, self.iterated(args[0])))
            return -1, None
        return 0, new(Loop, (method, line, column, self.iterated(obj)))

    def guard(self, node: Node) -> None:
        """``if (require.main === module)`` at module level: the main guard."""
        condition = _field(node, "condition")
        test = _unwrap(condition) if condition is not None else None
        if test is None or test.type != "binary_expression":
            return
        operator = _field(test, "operator")
        left, right = _field(test, "left"), _field(test, "right")
        if operator is None or left is None or right is None:
            return
        if self.text(operator) not in ("===", "=="):
            return
        if {self.dotted(left), self.dotted(right)} == {"require.main", "module"}:
            self.main_guard = (node.start_point[0] + 1, node.end_point[0] + 1)

    # --- results -----------------------------------------------------------------------

    def facts(self) -> CodeFacts:
        globals_: dict[int, list[str]] = {}
        parents = self.parents
        for slot, name, scope in self.candidates:
            current, local = scope, False
            while current >= 0:
                if name in self.declared.get(current, ()):
                    local = True
                    break
                current = parents[current]
            if local:
                self.assigns[slot] = None
            else:
                names = globals_.setdefault(scope, [])
                if name not in names:
                    names.append(name)
        functions = self.functions
        for scope, names in globals_.items():
            functions[scope] = functions[scope]._replace(globals=tuple(names))
        return CodeFacts(
            functions=tuple(functions),
            calls=tuple(self.calls),
            returns=tuple(self.returns),
            assigns=tuple(a for a in self.assigns if a is not None),
            main_guard=self.main_guard,
        )


def _member(base: Value | None, name: str) -> Value:
    """The Value of member ``name`` of ``base`` (destructuring); "other" when unknown."""
    if base is None or not name or not base.text:
        return OTHER
    if base.kind == "name":
        if base.text in _ENV_ROOTS:  # const {SECRET} = process.env
            return new(Value, ("env", name, (), ()))
        return new(Value, ("name", f"{base.text}.{name}", (), ()))
    if base.kind == "call":  # const {list} = require('./users'): "require().list"
        return new(Value, ("name", f"{base.text}().{name}", (), ()))
    return OTHER


def _literal_body(raw: str) -> str:
    return _cook(raw) if "\\" in raw else raw


def _number(text: str) -> str:
    """The number's value as Python would print it ("60", "1.5", "16" for 0x10)."""
    clean = text.replace("_", "").rstrip("n")
    try:
        if clean[:2].lower() in ("0x", "0o", "0b") or clean.isdigit():
            if len(clean) > 1 and clean[0] == "0" and clean.isdigit():
                return repr(int(clean, 8)) if all(c in "01234567" for c in clean) else clean
            return repr(int(clean, 0))
        return repr(float(clean))
    except ValueError:
        return text


_Handler = Any
_HANDLERS: dict[str, _Handler] = {
    "lexical_declaration": _Walker.declaration,
    "variable_declaration": _Walker.declaration,
    "using_declaration": _Walker.declaration,
    "function_declaration": _Walker.function_declaration,
    "generator_function_declaration": _Walker.function_declaration,
    "class_declaration": _Walker.class_declaration,
    "abstract_class_declaration": _Walker.class_declaration,
    "class": _Walker.class_declaration,
    "export_statement": _Walker.export,
    "return_statement": _Walker.return_,
    "for_in_statement": _Walker.for_in,
    "for_statement": _Walker.for_,
    "while_statement": _Walker.while_,
    "do_statement": _Walker.while_,
    "catch_clause": _Walker.catch,
    "call_expression": _Walker.call,
    "new_expression": _Walker.call,
    "member_expression": _Walker.chain,
    "subscript_expression": _Walker.chain,
    "binary_expression": _Walker.binary,
    "assignment_expression": _Walker.assignment,
    "augmented_assignment_expression": _Walker.assignment,
    "update_expression": _Walker.update,
    "unary_expression": _Walker.unary,
    "object": _Walker.object,
    "arrow_function": _Walker.arrow,
    "function_expression": _Walker.arrow,
    "function": _Walker.arrow,
    "generator_function": _Walker.arrow,
    "jsx_attribute": _Walker.jsx_attribute,
}
# TypeScript with rewritten one-line `import('m')` calls: those identifiers are calls.
_REPAIRED_HANDLERS = {
    **_HANDLERS, "identifier": _Walker.identifier, "type_identifier": _Walker.identifier,
}


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
