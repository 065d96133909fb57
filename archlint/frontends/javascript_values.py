"""JavaScript / TypeScript expressions summarised as code-fact strings and
:class:`~archlint.codefacts.Value`: source text and positions, callee text, literals, value
summaries; and the node-kind tables and small node helpers the other extractor modules share.

Split from :mod:`archlint.frontends.javascript_code` so that each module stays short (see
there for the mapping onto :mod:`archlint.codefacts`). ``_Values`` is a mixin of
:class:`archlint.frontends.javascript_walk._Walker`: its methods read the walker's state.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from tree_sitter import Node

from archlint.codefacts import MAX_VALUE_DEPTH, Value
from archlint.frontends.javascript import _cook, _literal

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


class _Values:
    """Source text, positions, callee text and value summaries of nodes."""

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
