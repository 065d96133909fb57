"""JavaScript / TypeScript scopes: functions, parameters, classes, methods and class
fields as ``Function`` records, and the naming rules (a function takes the name of what it
is bound to).

``_Scopes`` is a mixin of :class:`archlint.frontends.javascript_walk._Walker`.
"""

from __future__ import annotations

from tree_sitter import Node

from archlint.codefacts import Assign, Function, Loop, Param, Value
from archlint.frontends.javascript_values import (
    _ANONYMOUS,
    _CLASS,
    _FUNCTION,
    _FUNCTIONS,
    _field,
    _key,
    _unwrap,
    new,
)


class _Scopes:
    """Functions and classes: their records, scopes and names."""

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
