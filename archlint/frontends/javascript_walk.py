"""The JavaScript / TypeScript code-facts walk: one recursive pass over a tree-sitter
tree in source order that tracks the enclosing function/class and loops, and records calls,
returns and the main guard (the statements, loops and expressions; values, scopes and
bindings come from the mixins in :mod:`archlint.frontends.javascript_values`,
:mod:`~archlint.frontends.javascript_scopes` and :mod:`~archlint.frontends.javascript_bindings`).
"""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from archlint.codefacts import Call, CodeFacts, Loop, Return
from archlint.frontends.javascript_bindings import _Bindings
from archlint.frontends.javascript_scopes import _Scopes
from archlint.frontends.javascript_values import (
    _ANONYMOUS,
    _CLASSES,
    _DECLARATIONS,
    _FUNCTIONS,
    _KEY,
    _MODULE,
    _WRAPPERS,
    _field,
    _unwrap,
    _Values,
    new,
)

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


class _Walker(_Values, _Scopes, _Bindings):
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

    # --- statements --------------------------------------------------------------------

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
