"""Code facts: what rules that "look inside the code" may know about one file.

A frontend extracts these once per file (``archlint.frontends.python_code`` for Python) and
the cache keys them by content hash, so they depend only on a file's bytes, never on its
path. Rules never read source text: each of them is a plain question over these records.
The records are language-neutral: a JS/TS extractor fills the same fields.

Records are NamedTuples, not dataclasses: an extractor builds hundreds of thousands of them
and a tuple is the cheapest immutable, picklable record CPython has. ``CodeFacts`` converts
the whole tree to nested tuples of primitives for ``marshal`` and back.

Conventions (rules match on these strings, so they are stable):

* Locations are 1-based lines and 1-based columns counted in characters.
* ``scope`` is an index into ``CodeFacts.functions`` (a def *or* a class), -1 = module level.
  Lambdas and comprehensions are not scopes: what they hold belongs to the enclosing one.
* Callee / dotted text: ``a.b.c`` -> "a.b.c"; ``a().b`` -> "a().b";
  ``User.objects.filter(x=1).first`` -> "User.objects.filter().first"; ``x[0].y`` -> "x[].y";
  any other chain root (a literal, ``(a or b)``, ``await x``) makes the whole text "".
* Every sequence is in document order: calls by start position, an outer call before the
  calls nested in it (``a.b().c()`` gives "a.b().c" then "a.b").

``Value`` summarises an expression (a call argument, a returned or assigned value) as
(kind, text, args, items); args and items are () unless said otherwise:

* "str": text is the string. "bytes": the bytes decoded as latin-1.
* "fstr": the template with each part as "{dotted text}": ``f"/u/{user.id}"`` -> "/u/{user.id}",
  a part that is no chain gives "{}".
* "num": ``repr`` of the number, "-" in front when negated ("60", "-1.5", "2j").
* "bool": "true" / "false". "null": None (text "").
* "name": dotted text of a name / attribute / subscript chain ("settings.SECRET_KEY",
  "request.headers[]", "get_settings().secret").
* "env": an environment lookup, ``os.environ[..]``, ``os.getenv(..)``, ``os.environ.get(..)``
  (``os.`` optional): text is the variable ("" if not a literal), args (default,) if given.
* "call": text is the callee text, args the positional Values, items (keyword, Value) pairs
  with "**" for ``**kw``. ``timedelta(hours=1)`` -> ("call", "timedelta", (), (("hours", 1),)).
* "dict": items are (key, Value) pairs: key is the str literal, "**" for ``**d``, "" for
  any other key.
* "list" / "tuple" / "set": args are the elements.
* "op": text is the operator ("+", "%", "|", ... "and", "or", "not", "-") and args the
  operands; ``a if c else b`` is ("op", "if", (a, c, b)).
* "await": args (awaited,). "star": ``*x`` in a call or display, args (x,).
* "other": anything else (comparisons, lambdas, comprehensions, ``...``), and containers
  nested deeper than ``MAX_VALUE_DEPTH``.
* "function" (JS/TS): an inline function passed as an argument (an Express handler, a
  callback); text is its index in ``CodeFacts.functions``.

JS/TS (archlint.frontends.javascript_code) fills the same records, with these differences:
arrow and function expressions are scopes (unlike Python lambdas); iteration callbacks
(``.map``, ``.forEach``, ``.reduce`` …) are loops named after the method, over the receiver;
``for of`` / ``for in`` / ``for await`` / ``do while`` are loop kinds; a local alias
(``const s = window.localStorage``) is an Assign with op "const", "let" or "var"; string
subscripts read as attributes (``localStorage["jwt"]`` -> "localStorage.jwt").
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import NamedTuple

# Containers nested deeper than this are summarised as "other" (leaves one level deeper
# are kept): enough for `jwt.encode({"exp": now() + timedelta(hours=1)}, ...)`.
MAX_VALUE_DEPTH = 4

# Function kinds.
KIND_FUNCTION = "function"
KIND_METHOD = "method"  # a def directly in a class body
KIND_CLASS = "class"

# Parameter kinds.
PARAM_ARG = "arg"  # positional (also positional-only) or keyword
PARAM_VARARG = "vararg"  # *args (JS: ...rest)
PARAM_KWONLY = "kwonly"
PARAM_KWARG = "kwarg"  # **kwargs


class Value(NamedTuple):
    """A small summary of one expression; see the module docstring for the kinds."""

    kind: str
    text: str = ""
    args: tuple[Value, ...] = ()
    items: tuple[tuple[str, Value], ...] = ()

    def get(self, key: str) -> Value | None:
        """The keyword argument (of a "call") or entry (of a "dict") named ``key``, if any."""
        for name, value in self.items:
            if name == key:
                return value
        return None


class Loop(NamedTuple):
    """A loop enclosing a call. ``kind``: "for", "async for", "while", "list comprehension",
    "set comprehension", "dict comprehension" or "generator expression". ``over``: what a
    for loop or comprehension iterates, as dotted text ("users", "range()"), "constants" for
    a literal tuple/list/set of literals, "" when unknown or for a while loop."""

    kind: str
    line: int
    column: int
    over: str = ""


class Call(NamedTuple):
    """One call expression, wherever it is. Calls in a def's decorators, defaults and
    annotations run when the def statement does: they belong to the scope around it.

    ``loops``: the enclosing loops of the same scope, innermost last. A for loop's iterable
    and a comprehension's first iterable are outside it; a while loop's test is inside.
    Lambdas keep the loops around them; a def or class starts with none.
    """

    callee: str
    args: tuple[Value, ...]
    kwargs: tuple[tuple[str, Value], ...]  # ("**", value) for **kw
    line: int
    column: int
    scope: int
    loops: tuple[Loop, ...] = ()

    def kwarg(self, name: str) -> Value | None:
        for key, value in self.kwargs:
            if key == name:
                return value
        return None

    def arg(self, index: int, keyword: str = "") -> Value | None:
        """Positional argument ``index``, else the keyword argument ``keyword``."""
        if index < len(self.args):
            return self.args[index]
        return self.kwarg(keyword) if keyword else None


class Param(NamedTuple):
    """A parameter: ``annotation`` is its type text ("" if none; forward references unquoted)."""

    name: str
    annotation: str = ""
    kind: str = PARAM_ARG
    default: Value | None = None  # FastAPI `db = Depends(get_db)` is a "call" Value


class Function(NamedTuple):
    """A def (kind "function" / "method") or a class (kind "class").

    ``qualname`` joins the names of the enclosing defs and classes with "." ("C.m",
    "outer.inner"); it is not unique (a property's getter and setter share one), the index
    in ``CodeFacts.functions`` is. ``parent`` is the enclosing def or class (-1: module),
    always a smaller index. ``statements`` counts every statement in the body, recursively,
    nested defs included. ``bases`` are the base classes' texts (classes only); ``globals``
    the names a def declares ``global``.
    """

    name: str
    qualname: str
    kind: str
    is_async: bool
    line: int  # the `def` / `class` line, after any decorators
    end_line: int
    column: int
    parent: int
    decorators: tuple[Value, ...] = ()
    params: tuple[Param, ...] = ()
    returns: str = ""  # return annotation text
    bases: tuple[str, ...] = ()
    statements: int = 0
    globals: tuple[str, ...] = ()


class Return(NamedTuple):
    """A return statement; ``value`` None for a bare ``return``."""

    value: Value | None
    line: int
    column: int
    scope: int


class Assign(NamedTuple):
    """An assignment, augmented assignment or ``del`` of one target.

    Recorded: at module and class level every target (``X = ..``, ``app.config["K"] = ..``);
    inside defs only mutations that can outlive the call: subscript and attribute targets
    not rooted at ``self`` / ``cls`` (``CACHE[k] = v``, ``state.user = u``, ``del CACHE[k]``)
    and plain names declared ``global``. ``target`` is dotted text ("CACHE", "CACHE[]",
    "app.config[]"); ``op`` is "=", "+=", "-=", ... or "del" (value None); an annotation
    without a value has op ":" and value None. Unpacking ``a, b = 1, 2`` pairs the elements
    when the value is a literal tuple or list of the same length, else each gets "other".
    The location is the target's.
    """

    target: str
    op: str
    value: Value | None
    annotation: str
    line: int
    column: int
    scope: int


@dataclass(frozen=True, slots=True)
class CodeFacts:
    """Everything the code rules know about one file. Empty when the file does not parse."""

    functions: tuple[Function, ...] = ()
    calls: tuple[Call, ...] = ()
    returns: tuple[Return, ...] = ()
    assigns: tuple[Assign, ...] = ()
    main_guard: tuple[int, int] | None = None  # lines of `if __name__ == "__main__":`

    def function(self, scope: int) -> Function | None:
        """The def or class at index ``scope`` (None for -1, the module)."""
        return self.functions[scope] if scope >= 0 else None

    def class_of(self, scope: int) -> Function | None:
        """The class whose method is at index ``scope``, if it is a method."""
        function = self.function(scope)
        if function is None or function.kind != KIND_METHOD:
            return None
        return self.functions[function.parent]

    def in_main_guard(self, line: int) -> bool:
        guard = self.main_guard
        return guard is not None and guard[0] <= line <= guard[1]

    def to_record(self) -> tuple:
        """Nested tuples of str, int, bool and None, for `marshal`. A leaf ``Value`` is a
        (kind, text) pair; loop stacks shared by calls stay shared."""
        enabled = gc.isenabled()
        gc.disable()  # records hold no cycles; collections would only rescan them
        try:
            loops: dict[tuple[Loop, ...], tuple] = {}
            calls = []
            for c in self.calls:
                stack = loops.get(c.loops)
                if stack is None:
                    stack = loops[c.loops] = tuple(tuple(loop) for loop in c.loops)
                calls.append((c.callee, _values(c.args), _items(c.kwargs), c.line, c.column,
                              c.scope, stack))
            functions = tuple(
                (f.name, f.qualname, f.kind, f.is_async, f.line, f.end_line, f.column, f.parent,
                 _values(f.decorators),
                 tuple((p.name, p.annotation, p.kind, _optional(p.default)) for p in f.params),
                 f.returns, f.bases, f.statements, f.globals)
                for f in self.functions
            )
            returns = tuple((_optional(r.value), r.line, r.column, r.scope) for r in self.returns)
            assigns = tuple(
                (a.target, a.op, _optional(a.value), a.annotation, a.line, a.column, a.scope)
                for a in self.assigns
            )
            return (functions, tuple(calls), returns, assigns, self.main_guard)
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def from_record(cls, record: tuple) -> CodeFacts:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._from_record(record)
        finally:
            if enabled:
                gc.enable()

    @classmethod
    def _from_record(cls, record: tuple) -> CodeFacts:
        functions, calls, returns, assigns, main_guard = record
        loops: dict[tuple, tuple[Loop, ...]] = {}
        call_list = []
        for callee, args, kwargs, line, column, scope, stack in calls:
            restored = loops.get(stack)
            if restored is None:
                restored = loops[stack] = tuple(_new(Loop, loop) for loop in stack)
            call_list.append(_new(Call, (callee, _from_values(args), _from_items(kwargs), line,
                                         column, scope, restored)))
        return cls(
            functions=tuple(
                _new(Function, (
                    name, qualname, kind, is_async, line, end_line, column, parent,
                    _from_values(decorators),
                    tuple(_new(Param, (n, a, k, _from_optional(d))) for n, a, k, d in params),
                    returns_, tuple(bases), statements, tuple(globals_),
                ))
                for (name, qualname, kind, is_async, line, end_line, column, parent,
                     decorators, params, returns_, bases, statements, globals_) in functions
            ),
            calls=tuple(call_list),
            returns=tuple(_new(Return, (_from_optional(v), *rest)) for v, *rest in returns),
            assigns=tuple(
                _new(Assign, (target, op, _from_optional(value), *rest))
                for target, op, value, *rest in assigns
            ),
            main_guard=(main_guard[0], main_guard[1]) if main_guard is not None else None,
        )


_new = tuple.__new__  # builds a NamedTuple from a tuple without its Python-level __new__


def _value(v: Value) -> tuple:
    kind, text, args, items = v
    if not args and not items:
        return (kind, text)
    return (kind, text, _values(args), _items(items))


def _values(values: tuple[Value, ...]) -> tuple:
    return tuple(map(_value, values)) if values else ()


def _items(items: tuple[tuple[str, Value], ...]) -> tuple:
    return tuple((key, _value(v)) for key, v in items) if items else ()


def _optional(v: Value | None) -> tuple | None:
    return None if v is None else _value(v)


def _from_value(record: tuple) -> Value:
    if len(record) == 2:
        return _new(Value, (*record, (), ()))
    kind, text, args, items = record
    return _new(Value, (kind, text, _from_values(args), _from_items(items)))


def _from_values(records: tuple) -> tuple[Value, ...]:
    return tuple(map(_from_value, records)) if records else ()


def _from_items(records: tuple) -> tuple[tuple[str, Value], ...]:
    return tuple((key, _from_value(r)) for key, r in records) if records else ()


def _from_optional(record: tuple | None) -> Value | None:
    return None if record is None else _from_value(record)
