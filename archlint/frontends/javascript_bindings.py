"""JavaScript / TypeScript bindings as ``Assign`` records: declarations, assignments,
destructuring patterns, updates and ``delete``, and which names a scope declares.

``_Bindings`` is a mixin of :class:`archlint.frontends.javascript_walk._Walker`.
"""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from archlint.codefacts import Assign, Value
from archlint.frontends.javascript_values import (
    _ALIASES,
    _ANONYMOUS,
    _CHAINS,
    _FUNCTION,
    _ONE,
    _WRAPPERS,
    OTHER,
    _field,
    _member,
    _unwrap,
    new,
)


class _Bindings:
    """Declarations, assignments and destructuring as Assign records."""

    # --- bindings ----------------------------------------------------------------------

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
