"""The Python frontend: the import sites of one file, read with the stdlib ``ast``.

Nothing is imported or executed. Speed matters (every file of a repository on a cold run),
so imports are found by recursing over *statements* only, and only into compound statements
whose line range holds the word ``import``; expressions are walked (for ``import_module`` and
``__import__`` calls) only in statements whose lines mention those names.
"""

from __future__ import annotations

import ast
import codecs
import re
import tokenize
import warnings
from bisect import bisect_left
from typing import Any

from archlint.codefacts import CodeFacts
from archlint.facts import (
    KIND_DYNAMIC,
    KIND_IMPORT,
    KIND_TYPE_ONLY,
    FileFacts,
    ImportSite,
    ParseProblem,
)
from archlint.frontends import FRONTENDS
from archlint.suppressions import PY_MARK, scan_python

# Part of the cache key: bump whenever the sites extracted from the same bytes change.
PARSER_VERSION = FRONTENDS["python"][2]

LANGUAGE = "python"

_BOM = b"\xef\xbb\xbf"
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")

# Compound statements, by which fields hold their nested statements.
_IF, _BODY, _LOOP, _TRY, _MATCH = range(5)
_COMPOUND: dict[type, int] = {
    ast.If: _IF,
    ast.FunctionDef: _BODY,
    ast.AsyncFunctionDef: _BODY,
    ast.ClassDef: _BODY,
    ast.With: _BODY,
    ast.AsyncWith: _BODY,
    ast.For: _LOOP,
    ast.AsyncFor: _LOOP,
    ast.While: _LOOP,
    ast.Try: _TRY,
    ast.Match: _MATCH,
}
if hasattr(ast, "TryStar"):  # Python 3.11+: try/except*
    _COMPOUND[ast.TryStar] = _TRY
_Import, _ImportFrom = ast.Import, ast.ImportFrom


class _Columns:
    """Turns ast's UTF-8 byte offsets into 1-based character columns, for non-ASCII files.

    CPython re-encodes every source to UTF-8 before tokenizing, so offsets count bytes of
    the UTF-8 form of a line whatever the file's declared encoding.
    """

    __slots__ = ("_data", "_encoding", "_lines")

    def __init__(self, data: bytes, encoding: str) -> None:
        self._data = data
        self._encoding = encoding
        self._lines: list[bytes] | None = None

    def _load(self) -> list[bytes]:
        encoding = self._encoding
        data = self._data.removeprefix(_BOM)  # CPython does not count the BOM in line 1's offsets
        if _is_utf8(encoding):
            return data.splitlines()  # bytes.splitlines breaks on \n, \r, \r\n only, as Python
        try:
            text = data.decode(encoding, "replace")
        except LookupError:  # cannot happen once ast.parse accepted the cookie; stay safe
            return data.splitlines()
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # not str.splitlines: \f, \x1c
        return [line.encode("utf-8", "surrogatepass") for line in text.split("\n")]

    def column(self, line: int, col_offset: int) -> int:
        if self._lines is None:
            self._lines = self._load()
        if not 0 < line <= len(self._lines):
            return col_offset + 1
        text = self._lines[line - 1]
        if text.isascii():
            return col_offset + 1
        return len(text[:col_offset].decode("utf-8", "replace")) + 1


def _lines_with(data: bytes, needles: tuple[bytes, ...]) -> list[int]:
    """Sorted numbers of the lines that contain any of ``needles``."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    positions: list[int] = []
    for needle in needles:
        pos = data.find(needle)
        while pos != -1:
            positions.append(pos)
            pos = data.find(needle, pos + len(needle))
    positions.sort()
    lines: list[int] = []
    line, last = 1, 0
    for pos in positions:
        line += data.count(b"\n", last, pos)
        last = pos
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _touches(lines: list[int] | None, node: Any) -> bool:
    """Whether ``node``'s line range holds one of ``lines`` (None: cannot prune, assume so)."""
    if lines is None:
        return True
    index = bisect_left(lines, node.lineno)
    return index < len(lines) and lines[index] <= node.end_lineno


def _is_type_checking(test: Any) -> bool:
    kind = type(test)
    if kind is ast.Name:
        return test.id == "TYPE_CHECKING"
    return kind is ast.Attribute and test.attr == "TYPE_CHECKING"


class _Extractor:
    __slots__ = ("sites", "columns", "lines")

    def __init__(self, columns: _Columns | None, lines: list[int] | None) -> None:
        self.sites: list[ImportSite] = []
        self.columns = columns
        self.lines = lines

    def _column(self, node: Any) -> int:
        if self.columns is None:
            return node.col_offset + 1
        return self.columns.column(node.lineno, node.col_offset)

    def statements(self, body: list[Any], kind: str) -> None:
        """Collect the import statements of ``body`` and of the statements nested in it."""
        append, columns = self.sites.append, self.columns  # hot loop: locals are faster
        for node in body:
            node_type = type(node)
            if node_type is _Import or node_type is _ImportFrom:
                if node_type is _Import:
                    module, level = None, 0
                else:
                    module, level = node.module or "", node.level or 0
                for alias in node.names:
                    line, offset = alias.lineno, alias.col_offset
                    column = offset + 1 if columns is None else columns.column(line, offset)
                    if module is None:
                        append(ImportSite(alias.name, None, 0, line, column, kind))
                    else:
                        append(ImportSite(module, alias.name, level, line, column, kind))
            else:
                shape = _COMPOUND.get(node_type)
                if shape is None or not _touches(self.lines, node):
                    continue
                if shape == _IF:
                    body_kind = else_kind = kind
                    if kind != KIND_TYPE_ONLY:
                        test = node.test
                        if _is_type_checking(test):
                            body_kind = KIND_TYPE_ONLY
                        elif type(test) is ast.UnaryOp and type(test.op) is ast.Not:
                            if _is_type_checking(test.operand):
                                else_kind = KIND_TYPE_ONLY
                    self.statements(node.body, body_kind)
                    self.statements(node.orelse, else_kind)
                elif shape == _MATCH:
                    for case in node.cases:
                        self.statements(case.body, kind)
                else:
                    self.statements(node.body, kind)
                    if shape == _TRY:
                        for handler in node.handlers:
                            self.statements(handler.body, kind)
                    if shape != _BODY:
                        self.statements(node.orelse, kind)  # source order: before finalbody
                    if shape == _TRY:
                        self.statements(node.finalbody, kind)

    def dynamic(self, body: list[Any]) -> None:
        """Collect dynamic imports from the statements of ``body`` that mention them."""
        for stmt in body:
            if not _touches(self.lines, stmt):
                continue
            if type(stmt) not in _COMPOUND:
                self._walk(stmt)
                continue
            for name, value in ast.iter_fields(stmt):
                if name in ("handlers", "cases"):  # except handlers, match cases: header + body
                    for part in value:
                        self._walk([v for n, v in ast.iter_fields(part) if n != "body"])
                        self.dynamic(part.body)
                elif name in ("body", "orelse", "finalbody"):
                    self.dynamic(value)
                else:  # a header: decorators, test, iter, with-items, bases, defaults...
                    self._walk(value)

    def _walk(self, value: Any) -> None:
        for root in value if isinstance(value, list) else (value,):
            if isinstance(root, list):  # e.g. the decorators of a header walked as a whole
                self._walk(root)
                continue
            if not isinstance(root, ast.AST):
                continue
            for node in ast.walk(root):
                if type(node) is ast.Call:
                    target = _dynamic_target(node)
                    if target is not None:
                        module, level, literal = target
                        column = self._column(literal)
                        site = ImportSite(module, None, level, literal.lineno, column, KIND_DYNAMIC)
                        self.sites.append(site)


def _argument(call: Any, position: int, keyword: str) -> Any:
    if len(call.args) > position:
        return call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _dynamic_target(call: Any) -> tuple[str, int, Any] | None:
    """(module, level, literal) for import_module("x") / __import__("x"); None if unsure."""
    func = call.func
    if type(func) is ast.Name and func.id in ("import_module", "__import__"):
        name = func.id
    elif (
        type(func) is ast.Attribute
        and func.attr == "import_module"
        and type(func.value) is ast.Name
        and func.value.id == "importlib"
    ):
        name = "import_module"
    else:
        return None
    literal = _argument(call, 0, "name")
    if type(literal) is not ast.Constant or type(literal.value) is not str:
        return None  # a variable, f-string or concatenation: never guess
    text: str = literal.value
    dotted = text.lstrip(".")
    level = len(text) - len(dotted)
    if name == "import_module":
        if level and _argument(call, 1, "package") is None:
            return None  # importlib itself refuses a relative name without a package
    else:
        if level:
            return None  # __import__ takes no leading dots; it has a `level` argument
        level_node = _argument(call, 4, "level")
        if level_node is not None:
            value = getattr(level_node, "value", None)
            if type(level_node) is not ast.Constant or type(value) is not int or value < 0:
                return None
            level = value
    if not dotted and not level:
        return None
    return dotted, level, literal


def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


def _head(data: bytes) -> list[bytes]:
    """The first two lines, without reading the whole file (a cookie can only be there)."""
    end = data.find(b"\n")
    end = data.find(b"\n", end + 1) if end != -1 else -1
    return (data if end == -1 else data[:end]).splitlines(keepends=True)[:2]


def _source_encoding(data: bytes) -> str:
    """The encoding CPython reads ``data`` with (PEP 263); "utf-8" when none is declared."""
    head = _head(data)
    if not any(b"coding" in line for line in head):
        return "utf-8"  # the common case, without tokenize's Python-level work
    try:
        return tokenize.detect_encoding(iter(head).__next__)[0]
    except SyntaxError:
        return "utf-8"


def _decode_problem(data: bytes) -> ParseProblem | None:
    """Why the bytes cannot be decoded as CPython would, or None when they can."""
    head = _head(data)
    try:
        encoding, _ = tokenize.detect_encoding(iter(head).__next__)
    except SyntaxError as error:
        if "invalid or missing" in error.msg:
            encoding = "utf-8"  # the first lines are not UTF-8 and declare nothing
        else:
            line = next((n for n, t in enumerate(head, 1) if b"coding" in t), 1)
            message = error.msg
            if data.startswith(_BOM):
                message = "the file starts with a UTF-8 BOM but declares another encoding"
            return ParseProblem(f"bad coding declaration: {message}", line, 1)
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        prefix = data[: error.start]
        line_start = max(prefix.rfind(b"\n"), prefix.rfind(b"\r")) + 1
        line = len(prefix[:line_start].splitlines()) + 1
        column = len(prefix[line_start:].decode(encoding, "replace")) + 1
        if not any(_COOKIE.match(text.removeprefix(_BOM)) for text in head):
            what = "file is not valid UTF-8 and declares no other encoding"
        else:
            what = f"file cannot be decoded with its declared encoding {encoding!r}"
        byte = data[error.start]
        return ParseProblem(f"{what}: byte 0x{byte:02x} ({error.reason})", line, column)
    return None


def _syntax_problem(error: SyntaxError) -> ParseProblem:
    line = error.lineno if isinstance(error.lineno, int) and error.lineno > 0 else 1
    column = error.offset if isinstance(error.offset, int) and error.offset > 0 else 1
    message = error.msg if isinstance(error.msg, str) and error.msg else "invalid syntax"
    return ParseProblem(f"syntax error: {message}", line, column)


def _ascii_compatible(encoding: str) -> bool:
    """Whether keywords and newlines are plain ASCII bytes, so lines can be found in raw bytes."""
    try:
        return encoding == "utf-8" or "import\n_".encode(encoding) == b"import\n_"
    except LookupError:
        return False


def parse_python(data: bytes) -> FileFacts:
    """Extract the import sites of one Python file's bytes. Never raises."""
    return _parse(data)[0]


def parse_python_with_code(data: bytes) -> tuple[FileFacts, CodeFacts]:
    """Import facts and code facts from one parse (what a cold run of the rule pack needs
    for the files in its scope). Never raises."""
    from archlint.frontends.python_code import code_facts_from_tree

    facts, tree = _parse(data)
    return facts, (code_facts_from_tree(tree, data) if tree is not None else CodeFacts())


def _parse(data: bytes) -> tuple[FileFacts, Any]:
    """The import facts, and the syntax tree when the file parsed."""
    facts, tree = _parse_imports(data)
    if PY_MARK in data and b"\0" not in data:  # cheap prefilter: tokenize is slow
        suppressions = scan_python(data)
        if suppressions:
            facts = FileFacts(
                facts.language, facts.imports, facts.problem, facts.extra, suppressions
            )
    return facts, tree


def _parse_imports(data: bytes) -> tuple[FileFacts, Any]:
    if b"\0" in data:
        problem = ParseProblem("binary file (contains NUL bytes)", 1, 1)
        return FileFacts(LANGUAGE, problem=problem), None
    try:
        # Bytes, not str: CPython itself honours the BOM and the PEP 263 coding cookie.
        # Warnings are silenced: an invalid escape would print (3.12) or, under `-W error`,
        # become a SyntaxError for code that imports perfectly well.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
        encoding = _source_encoding(data)
        columns = None if data.isascii() else _Columns(data, encoding)
        prunable = _ascii_compatible(encoding)  # else: no pruning, visit every statement
        extractor = _Extractor(columns, _lines_with(data, (b"import",)) if prunable else None)
        extractor.statements(tree.body, KIND_IMPORT)
        if b"import_module" in data or b"__import__" in data:
            static = len(extractor.sites)
            if prunable:
                extractor.lines = _lines_with(data, (b"import_module", b"__import__"))
            extractor.dynamic(tree.body)
            if len(extractor.sites) > static:
                extractor.sites.sort(key=lambda site: (site.line, site.column))
        return FileFacts(LANGUAGE, imports=tuple(extractor.sites)), tree
    except SyntaxError as error:  # includes IndentationError and TabError
        try:
            problem = _decode_problem(data) or _syntax_problem(error)
        except Exception:  # noqa: BLE001 - best effort: the syntax error still says enough
            problem = _syntax_problem(error)
        return FileFacts(LANGUAGE, problem=problem), None
    except (RecursionError, MemoryError) as error:
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return FileFacts(LANGUAGE, problem=ParseProblem(f"too deeply nested to parse ({detail})")), None
    except Exception as error:  # noqa: BLE001 - defensive: one odd file must not stop a run
        message = f"cannot parse: {type(error).__name__}: {error}"
        return FileFacts(LANGUAGE, problem=ParseProblem(message)), None
