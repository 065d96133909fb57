"""Python expressions summarised as code-fact strings and :class:`~archlint.codefacts.Value`.

Split from :mod:`archlint.frontends.python_code` (the walk) so that each stays short. The
conventions these implement (callee text, the ``Value`` kinds) are documented, and fixed,
in :mod:`archlint.codefacts`: rules match on them.
"""

from __future__ import annotations

import ast
from typing import Any

from archlint.codefacts import MAX_VALUE_DEPTH, Value

new = tuple.__new__  # builds a NamedTuple without its Python-level __new__ (much faster)
Name, Constant, Attribute, Call = ast.Name, ast.Constant, ast.Attribute, ast.Call
Subscript, Starred, Tuple, List = ast.Subscript, ast.Starred, ast.Tuple, ast.List
LEAVES = frozenset({Name, Constant})  # expressions that hold no call: never walked into

OTHER = Value("other")
_TRUE, _FALSE, _NULL = Value("bool", "true"), Value("bool", "false"), Value("null")
_ENV_MAPS = frozenset({"os.environ", "environ"})
_ENV_CALLS = frozenset({"os.getenv", "getenv", "os.environ.get", "environ.get"})
_NUMBERS = (int, float, complex)
OPERATORS: dict[type, str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
    ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.And: "and", ast.Or: "or",
    ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~",
}


def dotted(node: Any) -> str:
    """Callee text: "a.b", "a().b", "x[].y"; "" when the chain has another root."""
    kind = type(node)
    if kind is Name:
        return node.id
    if kind is Attribute:
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    if kind is Call:
        base = dotted(node.func)
        return base + "()" if base else ""
    if kind is Subscript:
        base = dotted(node.value)
        return base + "[]" if base else ""
    return ""


def root_name(node: Any) -> str:
    """The name a chain (``a.b[c].d()``) starts from; "" when it starts elsewhere."""
    while True:
        kind = type(node)
        if kind is Name:
            return node.id
        if kind is Attribute or kind is Subscript:
            node = node.value
        elif kind is Call:
            node = node.func
        else:
            return ""


def annotation_text(node: Any) -> str:
    """Type text: dotted when it is a chain, the string itself for a forward reference,
    else ``ast.unparse`` ("Optional[Request]", "Request | None")."""
    if node is None:
        return ""
    kind = type(node)
    if kind is Name:
        return node.id
    if kind is Constant and type(node.value) is str:
        return node.value
    if kind is Attribute:
        text = dotted(node)
        if text:
            return text
    text = _type_text(node)  # the common shapes, as ast.unparse spells them, ~10x faster
    if text:
        return text
    try:
        return ast.unparse(node)
    except Exception:  # noqa: BLE001 - a summary, never a reason to fail the file
        return ""


def _type_text(node: Any) -> str:
    """``ast.unparse`` of a type built from names, ``None``, subscripts and ``|``
    (``list[User]``, ``dict[str, int]``, ``User | None``); "" for anything else."""
    kind = type(node)
    if kind is Name:
        return node.id
    if kind is Attribute:
        text = dotted(node)
        return "" if "(" in text or "[" in text else text  # a.b only: unparse spells the rest
    if kind is Constant:
        return "None" if node.value is None else ""  # strings: unparse's quoting, not ours
    if kind is Subscript:
        if type(node.value) is not Name and type(node.value) is not Attribute:
            return ""  # (a | b)[c], a[b][c]: parentheses and nesting are unparse's to spell
        base = _type_text(node.value)
        inner = node.slice
        if not base:
            return ""
        if type(inner) is Tuple:
            if len(inner.elts) < 2:
                return ""  # x[()] and x[a,]
            parts = [_type_text(element) for element in inner.elts]
            return f"{base}[{', '.join(parts)}]" if all(parts) else ""
        text = _type_text(inner)
        return f"{base}[{text}]" if text else ""
    if kind is ast.BinOp and type(node.op) is ast.BitOr and type(node.right) is not ast.BinOp:
        left, right = _type_text(node.left), _type_text(node.right)
        return f"{left} | {right}" if left and right else ""
    return ""


def _number(value: object, sign: str = "") -> Value:
    try:
        return new(Value, ("num", sign + repr(value), (), ()))
    except ValueError:  # an int too long to print (sys.set_int_max_str_digits)
        return OTHER


def _literal_str(node: Any) -> str:
    return node.value if type(node) is Constant and type(node.value) is str else ""


def summarise(node: Any, depth: int = 1) -> Value:
    """The ``Value`` of one expression (see the table in :mod:`archlint.codefacts`)."""
    kind = type(node)
    if kind is Name:
        return new(Value, ("name", node.id, (), ()))
    if kind is Constant:
        value = node.value
        vtype = type(value)
        if vtype is str:
            return new(Value, ("str", value, (), ()))
        if vtype is bool:
            return _TRUE if value else _FALSE
        if value is None:
            return _NULL
        if vtype in _NUMBERS:
            return _number(value)
        if vtype is bytes:
            return new(Value, ("bytes", value.decode("latin-1"), (), ()))
        return OTHER  # Ellipsis
    if kind is Attribute or kind is Subscript:
        if kind is Subscript and dotted(node.value) in _ENV_MAPS:
            return new(Value, ("env", _literal_str(node.slice), (), ()))
        text = dotted(node)
        return new(Value, ("name", text, (), ())) if text else OTHER
    if kind is ast.JoinedStr:
        parts = [
            str(part.value) if type(part) is Constant else "{" + dotted(part.value) + "}"
            for part in node.values
        ]
        return new(Value, ("fstr", "".join(parts), (), ()))
    if (kind is ast.UnaryOp and type(node.op) is ast.USub and type(node.operand) is Constant
            and type(node.operand.value) in _NUMBERS):
        return _number(node.operand.value, "-")
    if depth > MAX_VALUE_DEPTH:
        return OTHER
    depth += 1
    if kind is Call:
        callee = dotted(node.func)
        args = tuple([summarise(arg, depth) for arg in node.args])
        if callee in _ENV_CALLS:
            first = _literal_str(node.args[0]) if node.args else ""
            default = args[1:2] or tuple(
                [summarise(k.value, depth) for k in node.keywords if k.arg == "default"]
            )
            return new(Value, ("env", first, default, ()))
        items = tuple([(k.arg or "**", summarise(k.value, depth)) for k in node.keywords])
        return new(Value, ("call", callee, args, items))
    if kind is ast.Dict:
        entries = tuple([
            ("**" if key is None else _literal_str(key), summarise(item, depth))
            for key, item in zip(node.keys, node.values)
        ])
        return new(Value, ("dict", "", (), entries))
    if kind is Tuple or kind is List or kind is ast.Set:
        elements = tuple([summarise(element, depth) for element in node.elts])
        name = "tuple" if kind is Tuple else "list" if kind is List else "set"
        return new(Value, (name, "", elements, ()))
    if kind is ast.BinOp:
        pair = (summarise(node.left, depth), summarise(node.right, depth))
        return new(Value, ("op", OPERATORS.get(type(node.op), ""), pair, ()))
    if kind is ast.BoolOp:
        operands = tuple([summarise(operand, depth) for operand in node.values])
        return new(Value, ("op", OPERATORS[type(node.op)], operands, ()))
    if kind is ast.UnaryOp:
        operand = (summarise(node.operand, depth),)
        return new(Value, ("op", OPERATORS.get(type(node.op), ""), operand, ()))
    if kind is ast.IfExp:
        branches = (summarise(node.body, depth), summarise(node.test, depth),
                    summarise(node.orelse, depth))
        return new(Value, ("op", "if", branches, ()))
    if kind is ast.Await or kind is Starred:
        name = "await" if kind is ast.Await else "star"
        return new(Value, (name, "", (summarise(node.value, depth),), ()))
    return OTHER


def is_main_guard(test: Any) -> bool:
    """Whether an ``if`` test is ``__name__ == "__main__"`` (either way round)."""
    if type(test) is not ast.Compare or len(test.ops) != 1 or type(test.ops[0]) is not ast.Eq:
        return False
    sides = (test.left, test.comparators[0])
    names = [side.id for side in sides if type(side) is Name]
    texts = [side.value for side in sides if type(side) is Constant]
    return names == ["__name__"] and texts == ["__main__"]
