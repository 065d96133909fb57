"""The JavaScript / TypeScript frontend: the import sites of one file, read with tree-sitter.

Nothing is run and no Node.js is needed. Sites are found with one tree-sitter query per
grammar (compiled lazily, once), so Python only touches the few nodes that matched:

* ``import ... from 'm'``, ``import 'm'``, ``export ... from 'm'`` -> "import", or "type_only"
  for ``import type`` / ``import typeof`` / ``export type`` and for ``import {type A, type B}``
  where *every* specifier is inline ``type``;
* TypeScript ``import x = require('m')`` (and ``export import``) -> "import" ("type_only" with
  ``import type x = require``);
* ``require('m')`` (the bare identifier) -> "import"; ``import('m')`` -> "dynamic", or
  "type_only" when it stands in a type (``type T = import('m').U``);
* a ``require``/``import()`` whose argument is not a literal -> "dynamic" with module "" (the
  target is never guessed).

``require.resolve('m')``, ``jest.mock('m')``, ``declare module 'm'`` and ``/// <reference
path="..." />`` (a comment) are not imports. ``module`` is the specifier's string value, as
written (escapes are cooked); line and column (1-based, in characters) point at its quote.

tree-sitter-typescript 0.23 cannot parse four valid forms: ``import('m').T<U>`` (and ``[]``,
``['k']`` after an import type), ``export type * from 'm'``, ``export import x =
require('m')`` and ``keyof readonly T[]``. Before parsing TypeScript, those are rewritten *in
place, byte for byte the same length* (a single-line ``import('m')`` becomes an identifier of
underscores, the word ``type``, ``export`` or ``readonly`` becomes spaces), so every offset
still points into the original bytes, from which all text is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from tree_sitter import Language, Node, Parser, Query, QueryCursor

from archlint.facts import (
    KIND_DYNAMIC,
    KIND_IMPORT,
    KIND_TYPE_ONLY,
    FileFacts,
    ImportSite,
    ParseProblem,
    Suppression,
)
from archlint.suppressions import JS_MARK, scan_javascript

_BOM = b"\xef\xbb\xbf"

_QUERY = """
(import_statement source: (string) @static)
(export_statement source: (string) @static)
(call_expression function: (import) arguments: (arguments) @dynamic)
(call_expression
  function: (identifier) @_require (#eq? @_require "require")
  arguments: (arguments) @require)
"""
_TS_QUERY = "(import_require_clause source: (string) @require_clause)"

# A single-line `import('m')` with a plain literal: in TypeScript it may be an import type.
_IMPORT_CALL = re.compile(
    rb"(?<![\w$.])import[ \t]*\([ \t]*"
    rb"""(?P<q>'[^'\\\r\n]*'|"[^"\\\r\n]*"|`[^`\\\r\n$]*`)[ \t]*\)(?![\w$])"""
)
_EXPORT_IMPORT = re.compile(
    rb"(?<![\w$.])export(?=[ \t]+import[ \t]+[\w$]+[ \t]*=[ \t]*require[ \t]*\()"
)
_EXPORT_TYPE_STAR = re.compile(rb"(?<![\w$.])export[ \t]+(type)(?=[ \t]*\*)")
# `keyof readonly T[]` (TypeScript's own lib.es2015.symbol.wellknown.d.ts has one): the
# grammar knows `readonly T[]` and `keyof T`, not the two together.
_KEYOF_READONLY = re.compile(rb"(?<![\w$.])keyof[ \t]+(readonly)(?=[ \t]+[\w$(\[{])")

# Nodes that hold nothing but types: an `import()` below one is an import type.
_TYPE_NODES = frozenset(
    {
        "type_annotation", "opting_type_annotation", "omitting_type_annotation",
        "adding_type_annotation", "asserts_annotation", "type_predicate_annotation",
        "type_arguments", "type_parameters", "type_parameter", "type_query", "index_type_query",
        "constraint", "type_alias_declaration", "interface_declaration", "interface_body",
        "extends_type_clause", "implements_clause", "mapped_type_clause", "type_predicate",
        "asserts", "nested_type_identifier", "type_identifier", "call_signature",
        "construct_signature", "property_signature", "method_signature", "index_signature",
        "abstract_method_signature", "function_signature",
    }
)  # plus every kind whose name ends in "_type"
# `x as T`, `x satisfies T`: the type is whatever does not start where the expression does.
_TYPE_OPERAND = frozenset({"as_expression", "satisfies_expression"})
# No type node ever holds one of these, so the upward walk can stop there.
_BOUNDARIES = frozenset(
    {"program", "statement_block", "class_body", "arguments", "arrow_function", "ERROR"}
)

_ESCAPE = re.compile(r"\\(u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|\r\n|[\s\S])")
_SIMPLE_ESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0",
    "\n": "", "\r": "", "\r\n": "", "\u2028": "", "\u2029": "",  # line continuations
}

_MAX_TYPE_DEPTH = 64
# tree-sitter's query cursor is quadratic over a long run of opening brackets left open (the
# error node it makes is nested as deep as the run): past this many, imports are not read.
_MAX_OPEN_RUN = 2000
_SQUEEZE = bytes.maketrans(b"[{`", b"(((")
_SPACE_AND_DOLLAR = b" \t\r\n\f\v$"

# (byte offset, row, byte column, module, kind): a site before columns are counted.
_Found = tuple[int, int, int, str, str]


@cache
def _grammar(language: str) -> tuple[Language, Query]:
    """The grammar and compiled query of ``language``: built on first use, then shared."""
    if language == "javascript":
        import tree_sitter_javascript

        grammar = Language(tree_sitter_javascript.language())
        return grammar, Query(grammar, _QUERY)
    import tree_sitter_typescript

    raw = (
        tree_sitter_typescript.language_tsx()
        if language == "tsx"
        else tree_sitter_typescript.language_typescript()
    )
    grammar = Language(raw)
    return grammar, Query(grammar, _QUERY + _TS_QUERY)


@cache
def _strings_query(language: str) -> Query:
    """String-like nodes, which a suppression comment cannot split (see archlint.suppressions)."""
    return Query(_grammar(language)[0], "(template_string) @string (string) @string")


def _cook(raw: str) -> str:
    """The value of a JS string literal's body (only called when it holds a backslash)."""

    def one(match: re.Match[str]) -> str:
        braced, four, two = match.group(2), match.group(3), match.group(4)
        hex_digits = braced or four or two
        if hex_digits is not None:
            code = int(hex_digits, 16)
            return chr(code) if code <= 0x10FFFF else match.group(0)
        body = match.group(1)
        return _SIMPLE_ESCAPES.get(body, body)

    text = _ESCAPE.sub(one, raw)
    if any("\ud800" <= char <= "\udfff" for char in text):  # pair up \uD83D\uDE00 halves
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _literal(node: Node, data: bytes) -> str | None:
    """The value of a string or substitution-free template literal; None for anything else."""
    kind = node.type
    if kind == "template_string":
        if any(child.type == "template_substitution" for child in node.children):
            return None
    elif kind != "string":
        return None
    raw = data[node.start_byte + 1 : node.end_byte - 1].decode("utf-8", "replace")
    return _cook(raw) if "\\" in raw else raw


def _first_argument(arguments: Node) -> Node | None:
    for child in arguments.named_children:
        if child.type != "comment":  # import(/* webpackChunkName: "x" */ './x')
            return child
    return None


def _is_type_word(node: Node, data: bytes) -> bool:
    """``type`` / ``typeof`` after import/export, or Flow's, which the JS grammar calls ERROR."""
    kind = node.type
    if kind == "type" or kind == "typeof":
        return True
    return kind == "ERROR" and data[node.start_byte : node.end_byte] in (b"type", b"typeof")


def _all_inline_type(clause: Node | None, specifier: str) -> bool:
    """Whether ``clause`` is just ``{type A, type B}`` (one or more, every one marked type)."""
    if clause is None:
        return False
    named = clause.named_children
    if clause.type == "import_clause":  # `x, {type A}` still imports x at run time
        if len(named) != 1 or named[0].type != "named_imports":
            return False
        named = named[0].named_children
    specifiers = [node for node in named if node.type == specifier]
    if not specifiers or len(specifiers) != len(named):
        return False
    return all(node.child(0).type == "type" for node in specifiers)


def _statement_kind(statement: Node, data: bytes, type_stars: frozenset[int]) -> str:
    """"type_only" or "import" for an import/export statement with a source."""
    if statement.start_byte in type_stars:
        return KIND_TYPE_ONLY
    clause: Node | None = None
    for child in statement.children:
        kind = child.type
        if kind == "string" or kind == "from":
            break
        if _is_type_word(child, data):
            return KIND_TYPE_ONLY
        if kind == "import_clause" or kind == "export_clause":
            clause = child
    if statement.type == "import_statement":
        return KIND_TYPE_ONLY if _all_inline_type(clause, "import_specifier") else KIND_IMPORT
    return KIND_TYPE_ONLY if _all_inline_type(clause, "export_specifier") else KIND_IMPORT


def _in_type(node: Node) -> bool:
    """Whether ``node`` (an ``import(...)`` or what replaced it) stands where a type goes.

    The walk up is capped: tree-sitter finds a parent from the root down, so an uncapped walk
    out of 100,000 nested parentheses would be quadratic. No real type nests that deep.
    """
    child, parent = node, node.parent
    if node.type == "type_identifier":
        return True
    for _ in range(_MAX_TYPE_DEPTH):
        if parent is None:
            return False
        kind = parent.type
        if kind in _TYPE_NODES or kind.endswith("_type"):
            return True
        if kind in _TYPE_OPERAND:
            return child.start_byte != parent.start_byte
        if kind in _BOUNDARIES or kind.endswith("_statement"):
            return False
        child, parent = parent, parent.parent
    return False


def _repair(data: bytes) -> tuple[bytes, list[re.Match[bytes]], frozenset[int]]:
    """TypeScript bytes the grammar can parse (see the module docstring), same length."""
    calls: list[re.Match[bytes]] = []
    stars: set[int] = set()
    if b"import" not in data and b"export" not in data and b"keyof" not in data:
        return data, calls, frozenset()
    buffer = bytearray(data)
    for match in _IMPORT_CALL.finditer(data):
        calls.append(match)
        buffer[match.start() : match.end()] = b"_" * (match.end() - match.start())
    for match in _EXPORT_IMPORT.finditer(data):
        buffer[match.start() : match.end()] = b" " * 6
    for match in _EXPORT_TYPE_STAR.finditer(data):
        buffer[match.start(1) : match.end(1)] = b" " * 4
        stars.add(match.start())
    if b"keyof" in data:
        for match in _KEYOF_READONLY.finditer(data):
            buffer[match.start(1) : match.end(1)] = b" " * 8
    return bytes(buffer), calls, frozenset(stars)


def _position(node: Node) -> tuple[int, int, int]:
    row, column = node.start_point
    return node.start_byte, row, column


def _call_site(arguments: Node, data: bytes, static_kind: str) -> _Found | None:
    """The site of ``require(...)`` / ``import(...)`` given its arguments node."""
    argument = _first_argument(arguments)
    if argument is None:
        return None  # `require()`: imports nothing
    module = _literal(argument, data)
    if module is None:
        return (*_position(argument), "", KIND_DYNAMIC)
    return (*_position(argument), module, static_kind)


def _collect(
    data: bytes, language: str
) -> tuple[list[_Found], Node | ParseProblem | None, Node]:
    """The sites of ``data`` in document order, the first syntax error if any, the root."""
    grammar, query = _grammar(language)
    typed = language != "javascript"
    source, calls, type_stars = _repair(data) if typed else (data, [], frozenset[int]())
    tree = Parser(grammar).parse(source)
    root = tree.root_node
    if root.has_error and _open_run(data):
        line, column = _column(data, getattr(_first_error(root), "start_byte", 0))
        message = f"too deeply nested to read (over {_MAX_OPEN_RUN} brackets opened in a row)"
        return [], ParseProblem(message, line, column), root
    captures = QueryCursor(query).captures(root)
    found: list[_Found] = []
    for node in captures.get("static", ()):
        statement = node.parent
        assert statement is not None
        kind = _statement_kind(statement, data, type_stars)
        found.append((*_position(node), _literal(node, data) or "", kind))
    for node in captures.get("require_clause", ()):
        statement = node.parent.parent if node.parent is not None else None
        kind = KIND_IMPORT
        if statement is not None and any(_is_type_word(c, data) for c in statement.children):
            kind = KIND_TYPE_ONLY
        found.append((*_position(node), _literal(node, data) or "", kind))
    for node in captures.get("require", ()):
        site = _call_site(node, data, KIND_IMPORT)
        if site is not None:
            found.append(site)
    for node in captures.get("dynamic", ()):
        site = _call_site(node, data, KIND_DYNAMIC)
        if site is not None:
            if typed and site[4] == KIND_DYNAMIC and site[3] and _in_type(node):
                site = (*site[:4], KIND_TYPE_ONLY)
            found.append(site)
    for match in calls:  # the rewritten one-line import('m') calls: code, not text?
        target = root.descendant_for_byte_range(match.start(), match.end())
        if target is None or target.start_byte != match.start() or target.end_byte != match.end():
            continue  # inside a comment, string, regex or JSX text
        if target.type != "identifier" and target.type != "type_identifier":
            continue
        quote = match.start("q")
        row, column = target.start_point
        module = data[quote + 1 : match.end("q") - 1].decode("utf-8", "replace")
        kind = KIND_TYPE_ONLY if _in_type(target) else KIND_DYNAMIC
        found.append((quote, row, column + quote - match.start(), module, kind))
    found.sort(key=lambda site: site[0])
    return found, (_first_error(root) if root.has_error else None), root


def _open_run(data: bytes) -> bool:
    """Whether ``data`` holds a run of over _MAX_OPEN_RUN opening brackets (see above)."""
    return b"(" * _MAX_OPEN_RUN in data.translate(_SQUEEZE, _SPACE_AND_DOLLAR)


def _first_error(root: Node) -> Node | None:
    """The first ERROR or MISSING node in document order (descending only into errors)."""
    cursor = root.walk()
    while True:
        node = cursor.node
        if node is None:
            return None
        if node.is_missing or node.is_error:
            return node
        if not cursor.goto_first_child():
            return None
        while not cursor.node.has_error:  # type: ignore[union-attr]
            if not cursor.goto_next_sibling():
                return None


def _sites(data: bytes, found: Iterable[_Found]) -> tuple[ImportSite, ...]:
    """ImportSites with character columns; ``found`` is in byte order, so each line's prefix
    is decoded once however many sites it holds (a minified bundle is one long line)."""
    if data.isascii():
        return tuple(ImportSite(m, None, 0, row + 1, col + 1, k) for _, row, col, m, k in found)
    sites: list[ImportSite] = []
    line_start, done, chars = -1, 0, 0
    for offset, row, col, module, kind in found:
        if offset - col != line_start:
            line_start = done = offset - col
            chars = 0
        chars += len(data[done:offset].decode("utf-8", "replace"))
        done = offset
        sites.append(ImportSite(module, None, 0, row + 1, chars + 1, kind))
    return tuple(sites)


def _column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, line_start) + 1
    return line, len(data[line_start:offset].decode("utf-8", "replace")) + 1


def _syntax_problem(node: Node, data: bytes) -> ParseProblem:
    line, column = _column(data, node.start_byte)
    if node.is_missing:
        what = node.type if node.is_named else repr(node.type)
        return ParseProblem(f"syntax error: missing {what}", line, column)
    leaf = node
    while leaf.child_count:
        leaf = leaf.child(0)
    text = data[leaf.start_byte : leaf.end_byte].decode("utf-8", "replace").strip()
    text = text.splitlines()[0][:40] if text else ""
    if not text:
        return ParseProblem("syntax error: unexpected end of input", line, column)
    return ParseProblem(f"syntax error: unexpected {text!r}", line, column)


def _utf8_problem(data: bytes) -> ParseProblem | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _column(data, error.start)
        byte = data[error.start]
        message = f"file is not valid UTF-8: byte 0x{byte:02x} ({error.reason})"
        return ParseProblem(message, line, column)
    return None


# A line starting `{% tag` or `{# ... #}`: a server-side template (Django, Jinja, Liquid) that
# renders JavaScript, such as Django's i18n catalog. It is JavaScript only once rendered, so
# its syntax errors are not the file's; the imports that do parse still count.
_TEMPLATE_TAG = re.compile(rb"^[ \t]*(?:\{%-?\s*[A-Za-z_]|\{#[^}\n]*#\})", re.MULTILINE)


def _parse(data: bytes, language: str) -> FileFacts:
    """The shared implementation of the three entry points. Never raises."""
    if b"\0" in data:
        return FileFacts(language, problem=ParseProblem("binary file (contains NUL bytes)", 1, 1))
    try:
        data = data.removeprefix(_BOM)  # columns on line 1 count from after the BOM
        problem = None if data.isascii() else _utf8_problem(data)
        found, error, root = _collect(data, language)  # invalid UTF-8 still parses: use it
        if problem is None and error is not None and not _TEMPLATE_TAG.search(data):
            problem = error if isinstance(error, ParseProblem) else _syntax_problem(error, data)
        suppressions: tuple[Suppression, ...] = ()
        if JS_MARK in data:  # cheap prefilter: most files hold no suppression
            suppressions = scan_javascript(data, root, _strings_query(language))
        sites = _sites(data, found)
        return FileFacts(language, imports=sites, problem=problem, suppressions=suppressions)
    except (RecursionError, MemoryError) as error:
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return FileFacts(language, problem=ParseProblem(f"too deeply nested to parse ({detail})"))
    except Exception as error:  # noqa: BLE001 - defensive: one odd file must not stop a run
        message = f"cannot parse: {type(error).__name__}: {error}"
        return FileFacts(language, problem=ParseProblem(message))


def parse_javascript(data: bytes) -> FileFacts:
    """Import sites of a .js/.jsx/.mjs/.cjs file (the JavaScript grammar includes JSX)."""
    return _parse(data, "javascript")


def parse_typescript(data: bytes) -> FileFacts:
    """Import sites of a .ts/.mts/.cts/.d.ts file."""
    return _parse(data, "typescript")


def parse_tsx(data: bytes) -> FileFacts:
    """Import sites of a .tsx file."""
    return _parse(data, "tsx")
