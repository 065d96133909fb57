"""The Python code-facts extractor: :class:`~archlint.codefacts.CodeFacts` from one file's bytes.

One ``ast.parse`` and one hand-written recursive walk in source order that tracks the
enclosing def/class and loops. Only calls, defs, returns and some assignments are kept;
every other node is walked through and dropped. Nothing is imported or executed and the
facts depend only on the bytes. The conventions (callee text, ``Value`` kinds, which
assignments are kept) are documented in :mod:`archlint.codefacts`; expressions are
summarised by :mod:`archlint.frontends.python_values`.
"""

from __future__ import annotations

import ast
import gc
import warnings
from collections.abc import Callable
from typing import Any

from archlint.codefacts import (
    Assign,
    Call,
    CodeFacts,
    Function,
    Loop,
    Param,
    Return,
    Value,
)
from archlint.frontends import CODE_FRONTENDS
from archlint.frontends.python import _Columns, _source_encoding
from archlint.frontends.python_values import (
    LEAVES,
    OPERATORS,
    OTHER,
    Attribute,
    List,
    Name,
    Starred,
    Subscript,
    Tuple,
    annotation_text,
    dotted,
    is_main_guard,
    new,
    root_name,
    summarise,
)

# Part of the cache key: bump whenever the facts extracted from the same bytes change.
PYTHON_CODE_VERSION = CODE_FRONTENDS["python"][2]

_CallNode = ast.Call
_SELF = frozenset({"self", "cls"})  # attribute targets rooted here are instance state
_UNPACKED = object()  # an unpacking target whose own value is not a literal element
_COMPREHENSIONS: dict[type, str] = {
    ast.ListComp: "list comprehension", ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension", ast.GeneratorExp: "generator expression",
}


def _before(first: Any, second: Any) -> bool:
    return (first.lineno, first.col_offset) < (second.lineno, second.col_offset)


class _Walker:
    """One pass over a module in source order, tracking the enclosing scope and loops."""

    __slots__ = ("assigns", "calls", "columns", "count", "functions", "globals", "in_class",
                 "loops", "prefix", "returns", "scope", "unordered")

    def __init__(self, columns: _Columns | None) -> None:
        self.functions: list[Any] = []
        self.calls: list[Call] = []
        self.returns: list[Return] = []
        self.assigns: list[Assign] = []
        self.scope = -1
        self.prefix = ""  # qualname of the scope + "."
        self.in_class = False  # directly in a class body
        self.globals: list[str] | None = None  # a list inside a def, else None
        self.loops: tuple[Loop, ...] = ()
        self.count = 0  # statements seen so far
        self.columns = columns  # None for ASCII files: column = offset + 1
        self.unordered = False  # set when calls were met out of source order

    def column(self, node: Any) -> int:
        columns = self.columns
        if columns is None:
            return node.col_offset + 1
        return columns.column(node.lineno, node.col_offset)

    # --- statements --------------------------------------------------------------------

    def body(self, statements: list[Any]) -> None:
        self.count += len(statements)
        handlers = _STATEMENTS
        for node in statements:
            handler = handlers.get(type(node))
            if handler is None:
                self.generic(node)
            else:
                handler(self, node)

    def generic(self, node: Any) -> None:
        """A node without a handler: its child statements and expressions, in field order,
        which is source order for ``with``, ``try`` (handlers too) and ``match``."""
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                if value and isinstance(value[0], ast.stmt):
                    self.body(value)
                    continue
                for item in value:
                    if isinstance(item, ast.AST):
                        self.expr(item)
            elif isinstance(value, ast.AST):
                self.expr(value)

    def ignore(self, node: Any) -> None:
        pass

    def function(self, node: Any) -> None:
        decorators = self.decorators(node.decorator_list)
        params = self.params(node.args)
        if node.returns is not None:
            self.expr(node.returns)
        kind = "method" if self.in_class else "function"
        is_async = type(node) is ast.AsyncFunctionDef
        returns = annotation_text(node.returns)
        self.scoped(node, kind, is_async, decorators, params, returns, ())

    def klass(self, node: Any) -> None:
        decorators = self.decorators(node.decorator_list)
        bases = tuple([annotation_text(base) for base in node.bases])
        for base in node.bases:
            self.expr(base)
        for keyword in node.keywords:
            self.expr(keyword.value)
        if node.keywords and node.bases and _before(node.keywords[0], node.bases[-1]):
            self.unordered = True  # class C(metaclass=M, *bases)
        self.scoped(node, "class", False, decorators, (), "", bases)

    def scoped(self, node: Any, kind: str, is_async: bool, decorators: tuple[Value, ...],
               params: tuple[Param, ...], returns: str, bases: tuple[str, ...]) -> None:
        """Walk a def's or class's body as a new scope, then record it."""
        index = len(self.functions)
        self.functions.append(None)  # reserved now: nested scopes get larger indexes
        qualname = self.prefix + node.name
        saved = (self.scope, self.prefix, self.in_class, self.globals, self.loops)
        self.scope, self.prefix, self.in_class = index, qualname + ".", kind == "class"
        self.globals = None if kind == "class" else []
        self.loops = ()  # a body runs when called, not in the loops around its definition
        start = self.count
        self.body(node.body)
        statements = self.count - start
        declared = tuple(self.globals) if self.globals else ()
        self.scope, self.prefix, self.in_class, self.globals, self.loops = saved
        self.functions[index] = new(Function, (
            node.name, qualname, kind, is_async, node.lineno, node.end_lineno, self.column(node),
            saved[0], decorators, params, returns, bases, statements, declared,
        ))

    def decorators(self, nodes: list[Any]) -> tuple[Value, ...]:
        if not nodes:
            return ()
        values = tuple([summarise(node) for node in nodes])
        for node in nodes:
            self.expr(node)
        return values

    def params(self, arguments: Any) -> tuple[Param, ...]:
        params = []
        positional = arguments.posonlyargs + arguments.args
        defaults = arguments.defaults
        first_default = len(positional) - len(defaults)
        for index, arg in enumerate(positional):
            default = defaults[index - first_default] if index >= first_default else None
            params.append(self.param(arg, "arg", default))
        if arguments.vararg is not None:
            params.append(self.param(arguments.vararg, "vararg", None))
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
            params.append(self.param(arg, "kwonly", default))
        if arguments.kwarg is not None:
            params.append(self.param(arguments.kwarg, "kwarg", None))
        return tuple(params)

    def param(self, arg: Any, kind: str, default: Any) -> Param:
        annotation = ""
        if arg.annotation is not None:
            annotation = annotation_text(arg.annotation)
            self.expr(arg.annotation)
        value = None
        if default is not None:
            value = summarise(default)
            self.expr(default)
        return new(Param, (arg.arg, annotation, kind, value))

    def return_(self, node: Any) -> None:
        value = node.value
        summary = None if value is None else summarise(value)
        self.returns.append(new(Return, (summary, node.lineno, self.column(node), self.scope)))
        if value is not None and type(value) not in LEAVES:
            self.expr(value)

    def assign(self, node: Any) -> None:
        value = node.value
        for target in node.targets:
            self.target(target, "=", value, "")
            if type(target) is not Name:
                self.expr(target)
        if type(value) not in LEAVES:
            self.expr(value)

    def augmented(self, node: Any) -> None:
        self.target(node.target, OPERATORS.get(type(node.op), "") + "=", node.value, "")
        self.expr(node.target)
        self.expr(node.value)

    def annotated(self, node: Any) -> None:
        value = node.value
        op = ":" if value is None else "="
        self.target(node.target, op, value, annotation_text(node.annotation))
        self.expr(node.target)
        self.expr(node.annotation)
        if value is not None:
            self.expr(value)

    def delete(self, node: Any) -> None:
        for target in node.targets:
            self.target(target, "del", None, "")
            self.expr(target)

    def target(self, target: Any, op: str, value: Any, annotation: str) -> None:
        """Record one assignment target if it is kept (see ``Assign``)."""
        kind = type(target)
        if kind is Name:
            if self.globals is not None and target.id not in self.globals:
                return  # a local variable
        elif kind is Attribute or kind is Subscript:
            if self.globals is not None and root_name(target) in _SELF:
                return  # instance state
        elif kind is Tuple or kind is List:
            self.unpack(target.elts, op, value, annotation)
            return
        else:
            return
        text = dotted(target)
        if text:
            summary = None if value is None else OTHER if value is _UNPACKED else summarise(value)
            self.assigns.append(new(Assign, (
                text, op, summary, annotation, target.lineno, self.column(target), self.scope,
            )))

    def unpack(self, elements: list[Any], op: str, value: Any, annotation: str) -> None:
        pairs = None  # `a, b = 1, 2`: each name gets its own element
        if (type(value) in (Tuple, List) and len(value.elts) == len(elements)
                and not any(type(node) is Starred for node in (*elements, *value.elts))):
            pairs = value.elts
        for index, element in enumerate(elements):
            if type(element) is Starred:
                element = element.value
            paired = None if value is None else _UNPACKED if pairs is None else pairs[index]
            self.target(element, op, paired, annotation)

    def for_(self, node: Any) -> None:
        kind = "async for" if type(node) is ast.AsyncFor else "for"
        outer = self.loops
        over = _iterated(node.iter)
        inner = outer + (new(Loop, (kind, node.lineno, self.column(node), over)),)
        self.loops = inner
        self.expr(node.target)
        self.loops = outer
        self.expr(node.iter)  # evaluated once, before the loop
        self.loops = inner
        self.body(node.body)
        self.loops = outer
        self.body(node.orelse)

    def while_(self, node: Any) -> None:
        outer = self.loops
        self.loops = outer + (new(Loop, ("while", node.lineno, self.column(node), "")),)
        self.expr(node.test)  # evaluated on every iteration
        self.body(node.body)
        self.loops = outer
        self.body(node.orelse)

    def if_(self, node: Any) -> None:
        self.expr(node.test)
        self.body(node.body)
        self.body(node.orelse)

    def global_(self, node: Any) -> None:
        if self.globals is not None:
            self.globals.extend(node.names)

    # --- expressions -------------------------------------------------------------------

    def expr(self, node: Any) -> None:
        kind = type(node)
        while kind is Attribute:
            node = node.value
            kind = type(node)
        if kind is _CallNode:
            self.call(node)
        elif kind is not Name and kind is not ast.Constant:
            handler = _EXPRESSIONS.get(kind)
            if handler is None:
                self.generic(node)
            else:
                handler(self, node)

    def call(self, node: Any) -> None:
        args, keywords = node.args, node.keywords
        self.calls.append(new(Call, (
            dotted(node.func),
            tuple([summarise(arg) for arg in args]) if args else (),
            tuple([(k.arg or "**", summarise(k.value)) for k in keywords]) if keywords else (),
            node.lineno, self.column(node), self.scope, self.loops,
        )))
        self.expr(node.func)
        for arg in args:
            if type(arg) not in LEAVES:
                self.expr(arg)
        if keywords:
            if args and _before(keywords[0], args[-1]):
                self.unordered = True  # f(k=1, *rest): the keywords are not all last
            for keyword in keywords:
                if type(keyword.value) not in LEAVES:
                    self.expr(keyword.value)

    def fields(self, node: Any) -> None:
        """Child expressions of the node types listed in ``_FIELDS``, in source order."""
        for field in _FIELDS[type(node)]:
            value = getattr(node, field)
            if type(value) is list:
                for item in value:
                    if item is not None and type(item) not in LEAVES:
                        self.expr(item)
            elif value is not None and type(value) not in LEAVES:
                self.expr(value)

    def binary(self, node: Any) -> None:
        """``a + b + c ...`` nests to the left: walk that spine in a loop, not by recursion."""
        rights = []
        while type(node) is ast.BinOp:
            rights.append(node.right)
            node = node.left
        self.expr(node)
        for right in reversed(rights):
            if type(right) not in LEAVES:
                self.expr(right)

    def dictionary(self, node: Any) -> None:
        for key, item in zip(node.keys, node.values):
            if key is not None:
                self.expr(key)
            self.expr(item)

    def lambda_(self, node: Any) -> None:
        """Not a scope: the body's calls belong to the enclosing def, in its loops."""
        for default in (*node.args.defaults, *node.args.kw_defaults):
            if default is not None:
                self.expr(default)
        self.expr(node.body)

    def comprehension(self, node: Any) -> None:
        outer = self.loops
        over = _iterated(node.generators[0].iter)
        loop = new(Loop, (_COMPREHENSIONS[type(node)], node.lineno, self.column(node), over))
        inner = outer + (loop,)
        self.loops = inner
        if type(node) is ast.DictComp:
            self.expr(node.key)
            self.expr(node.value)
        else:
            self.expr(node.elt)
        for index, generator in enumerate(node.generators):
            self.expr(generator.target)
            if index == 0:  # the first iterable is evaluated once, outside
                self.loops = outer
                self.expr(generator.iter)
                self.loops = inner
            else:
                self.expr(generator.iter)
            for condition in generator.ifs:
                self.expr(condition)
        self.loops = outer


_Handler = Callable[[_Walker, Any], None]
_STATEMENTS: dict[type, _Handler] = {
    ast.Expr: lambda walker, node: walker.expr(node.value),
    ast.Assign: _Walker.assign,
    ast.Return: _Walker.return_,
    ast.If: _Walker.if_,
    ast.FunctionDef: _Walker.function,
    ast.AsyncFunctionDef: _Walker.function,
    ast.ClassDef: _Walker.klass,
    ast.AugAssign: _Walker.augmented,
    ast.AnnAssign: _Walker.annotated,
    ast.Delete: _Walker.delete,
    ast.For: _Walker.for_,
    ast.AsyncFor: _Walker.for_,
    ast.While: _Walker.while_,
    ast.Global: _Walker.global_,
    **dict.fromkeys(
        (ast.Import, ast.ImportFrom, ast.Pass, ast.Break, ast.Continue, ast.Nonlocal),
        _Walker.ignore,
    ),
}
# Expression types walked by ``_Walker.fields``: their child expressions, in source order.
_FIELDS: dict[type, tuple[str, ...]] = {
    ast.BoolOp: ("values",), ast.UnaryOp: ("operand",),
    ast.Compare: ("left", "comparators"), Subscript: ("value", "slice"), Tuple: ("elts",),
    List: ("elts",), ast.Set: ("elts",), Starred: ("value",), ast.Await: ("value",),
    ast.Yield: ("value",), ast.YieldFrom: ("value",), ast.IfExp: ("body", "test", "orelse"),
    ast.JoinedStr: ("values",), ast.FormattedValue: ("value", "format_spec"),
    ast.Slice: ("lower", "upper", "step"), ast.NamedExpr: ("target", "value"),
}
_EXPRESSIONS: dict[type, _Handler] = {
    **dict.fromkeys(_FIELDS, _Walker.fields),
    ast.BinOp: _Walker.binary,
    ast.Dict: _Walker.dictionary,
    ast.Lambda: _Walker.lambda_,
    **dict.fromkeys(_COMPREHENSIONS, _Walker.comprehension),
}


def _iterated(node: Any) -> str:
    """What a loop iterates: "constants" for a literal display of literals, else its text."""
    if type(node) in (ast.Tuple, ast.List, ast.Set) and all(
        type(element) is ast.Constant for element in node.elts
    ):
        return "constants"
    return dotted(node)


def extract_python_code(data: bytes) -> CodeFacts:
    """The code facts of one Python file's bytes; empty facts when it does not parse.

    Never raises: the import frontend already reports why a file cannot be read.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes: see the import frontend
            tree = ast.parse(data)
    except Exception:  # noqa: BLE001 - syntax errors, NUL bytes, too deep: no facts
        return CodeFacts()
    return code_facts_from_tree(tree, data)


def code_facts_from_tree(tree: ast.Module, data: bytes) -> CodeFacts:
    """The code facts of an already parsed file (one parse serves imports and code)."""
    enabled = gc.isenabled()
    gc.disable()  # ast trees hold no cycles; collections would only rescan them
    try:
        columns = None if data.isascii() else _Columns(data, _source_encoding(data))
        walker = _Walker(columns)
        walker.body(tree.body)
        if walker.unordered:
            walker.calls.sort(key=lambda call: (call.line, call.column))  # stable: ties keep order
        main_guard = next(
            ((node.lineno, node.end_lineno or node.lineno) for node in tree.body
             if type(node) is ast.If and is_main_guard(node.test)),
            None,
        )
        return CodeFacts(
            functions=tuple(walker.functions),
            calls=tuple(walker.calls),
            returns=tuple(walker.returns),
            assigns=tuple(walker.assigns),
            main_guard=main_guard,
        )
    except Exception:  # noqa: BLE001 - too deep for the walk: no facts rather than a crash
        return CodeFacts()
    finally:
        if enabled:
            gc.enable()
