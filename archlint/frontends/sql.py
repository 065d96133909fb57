"""The SQL frontend: :class:`~archlint.schema.SchemaFacts` from the bytes of a ``*.sql`` file.

Real parsers only. PostgreSQL files are read by pglast, which is PostgreSQL's own parser
(libpg_query) compiled into a wheel; other dialects by sqlglot. Which one reads a file:

* ``dialect="postgres"`` (or "postgresql"): pglast alone. Any other ``dialect``: sqlglot
  in that dialect alone.
* No dialect (the default): the file's own markers decide what is tried first. Backticks,
  ``AUTO_INCREMENT``, ``ENGINE=``, ``UNSIGNED`` … say MySQL; ``AUTOINCREMENT``, ``PRAGMA``,
  ``WITHOUT ROWID`` say SQLite; ``[dbo]``, ``IDENTITY(1,1)``, ``NVARCHAR``, ``GO`` lines say
  T-SQL; ``VARCHAR2``, ``NUMBER(`` say Oracle. A marked file is read by sqlglot in that
  dialect, then by pglast if sqlglot fails. An unmarked file is PostgreSQL, read by pglast
  only: sqlglot's generic dialect accepts too much (``a int,, b int``) to tell a typo from
  another dialect, and the typo is what a user wants to hear about.

A file that does not parse as a whole is read statement by statement (split by the first
parser's own tokenizer, so comments, strings and dollar-quoted bodies never split), and
``problem`` is the first error with its location; the facts are those of every statement
that parsed. ``extract_sql`` never raises.

Before parsing: a UTF-8 or UTF-16 BOM is honoured, bytes that are not UTF-8 are read as
Latin-1 (legacy dumps; every byte then means something, so nothing is lost), a NUL byte
makes the file binary, psql meta-commands (``\\connect``, ``\\i``) are blanked and a file
with Jinja markers (``{{``, ``{%``: dbt models, templates) is not parsed at all.
Blanking keeps every offset, so locations are those of the original text.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from archlint.facts import FileFacts, ParseProblem
from archlint.schema import (
    DIALECT_POSTGRES,
    DROP_COLUMN,
    DROP_INDEX,
    DROP_TABLE,
    AddedColumn,
    Column,
    Drop,
    ForeignKey,
    Index,
    SchemaFacts,
    Table,
)

# Part of the cache key: bump whenever the facts extracted from the same bytes change.
SQL_VERSION = "sql-1"
LANGUAGE = "sql"

_BOM8 = b"\xef\xbb\xbf"
_BOM16 = (b"\xff\xfe", b"\xfe\xff")

_TEMPLATE = re.compile(r"\{\{|\{%")
_META_COMMAND = re.compile(r"(?m)^[ \t]*\\[^\n]*")
# pg_dump's data: COPY … FROM stdin; then rows up to a line "\.".
_COPY_DATA = re.compile(r"(?im)^[ \t]*copy\b[^;]*?\bfrom\s+stdin\b[^;]*;[^\n]*\n(.*?)^\\\.[ \t]*$", re.DOTALL)
_GO_LINE = re.compile(r"(?im)^[ \t]*go[ \t]*$")

# Dialect markers, strongest first. Checked on the text with comments still in: a false
# positive only changes which parser is tried first.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mysql", re.compile(
        r"`|\bauto_increment\b|\bengine\s*=|\bunsigned\b|\b(?:tiny|medium|long)(?:blob|text)\b"
        r"|\bdefault\s+charset\b|\bmodify\s+column\b|^\s*delimiter\b", re.IGNORECASE | re.MULTILINE)),
    ("sqlite", re.compile(r"\bautoincrement\b|\bpragma\b|\bwithout\s+rowid\b", re.IGNORECASE)),
    ("tsql", re.compile(r"\[dbo\]|\bidentity\s*\(\s*\d+\s*,\s*\d+\s*\)|\bnvarchar\b"
                        r"|^\s*go\s*$", re.IGNORECASE | re.MULTILINE)),
    ("oracle", re.compile(r"\bvarchar2\b|\bnumber\s*\(", re.IGNORECASE)),
)  # fmt: skip

_POSTGRES_NAMES = ("postgres", "postgresql", "pg")


# --- entry points ---------------------------------------------------------------------


def extract_sql(data: bytes, dialect: str | None = None) -> SchemaFacts:
    """What the migration in ``data`` defines; see the module docstring. Never raises."""
    try:
        return _extract(data, dialect)
    except RecursionError:
        return SchemaFacts(problem=ParseProblem("too deeply nested to parse"))
    except Exception as error:  # a parser bug must not end the run  # noqa: BLE001
        return SchemaFacts(problem=ParseProblem(f"internal error reading SQL: {error!r}"))


def parse_sql(data: bytes) -> FileFacts:
    """The import facts of a ``*.sql`` file: none, and the reason it cannot be read. A
    templated file (Jinja) is no error: it is not meant to be parsed as it stands."""
    facts = extract_sql(data)
    problem = facts.problem
    if problem is not None and problem.message.startswith(_TEMPLATED):
        problem = None
    return FileFacts(LANGUAGE, problem=problem)


# --- decoding -------------------------------------------------------------------------

_TEMPLATED = "templated SQL"


def _decode(data: bytes) -> tuple[str, ParseProblem | None]:
    if data.startswith(_BOM16):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as error:
            return "", ParseProblem(f"file cannot be decoded as UTF-16: {error.reason}")
    if b"\0" in data:
        return "", ParseProblem("binary file (contains NUL bytes)")
    data = data.removeprefix(_BOM8)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("latin-1"), None


def _blank(match: re.Match[str]) -> str:
    """Spaces for the match, newlines kept: every offset after it stays the same."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _blank_rows(match: re.Match[str]) -> str:
    """A COPY statement with its rows blanked."""
    start = match.start(1) - match.start(0)
    return match.group(0)[:start] + _blank(match)[start:]


class _Lines:
    """Offsets -> 1-based (line, column in characters). sqlglot and pglast's scanner and
    errors count characters; pglast's parse tree counts bytes of the UTF-8 text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.ascii = text.isascii()
        if not self.ascii:
            self.raw = text.encode("utf-8")
            self.byte_starts = [0] + [m.end() for m in re.finditer(b"\n", self.raw)]

    def at(self, offset: int) -> tuple[int, int]:
        """(line, column) of a character offset."""
        offset = max(offset, 0)
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def at_byte(self, offset: int) -> tuple[int, int]:
        """(line, column) of a byte offset."""
        if self.ascii:
            return self.at(offset)
        offset = max(offset, 0)
        index = bisect.bisect_right(self.byte_starts, offset) - 1
        prefix = self.raw[self.byte_starts[index] : offset].decode("utf-8", "replace")
        return index + 1, len(prefix) + 1

    def char(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        line, column = self.at_byte(byte_offset)
        return self.starts[line - 1] + column - 1

    def byte(self, char_offset: int) -> int:
        if self.ascii:
            return char_offset
        line, _ = self.at(char_offset)
        start = self.starts[line - 1]
        return self.byte_starts[line - 1] + len(self.text[start:char_offset].encode("utf-8"))


def _skip_space_and_comments(text: str, offset: int) -> int:
    """The offset of the first token at or after ``offset``."""
    end = len(text)
    while offset < end:
        char = text[offset]
        if char.isspace():
            offset += 1
        elif text.startswith("--", offset):
            newline = text.find("\n", offset)
            offset = end if newline < 0 else newline + 1
        elif text.startswith("/*", offset):
            close = text.find("*/", offset + 2)
            offset = end if close < 0 else close + 2
        else:
            break
    return offset


# Substrings one of which a marker needs (lower case): most files need no regex search.
_MARKER_HINTS = {
    "mysql": ("`", "auto_increment", "engine", "unsigned", "blob", "tinytext", "mediumtext",
              "longtext", "charset", "modify", "delimiter"),
    "sqlite": ("autoincrement", "pragma", "rowid"),
    "tsql": ("[dbo]", "identity", "nvarchar", "go"),
    "oracle": ("varchar2", "number"),
}  # fmt: skip


def _guess_dialect(text: str) -> str | None:
    lower = text.lower()
    for name, marker in _MARKERS:
        if any(hint in lower for hint in _MARKER_HINTS[name]) and marker.search(text):
            return name
    return None


def _extract(data: bytes, dialect: str | None) -> SchemaFacts:
    text, problem = _decode(data)
    if problem is not None:
        return SchemaFacts(problem=problem)
    template = _TEMPLATE.search(text)
    if template is not None:
        line, column = _Lines(text).at(template.start())
        return SchemaFacts(problem=ParseProblem(
            f"{_TEMPLATED} (Jinja markers) is not parsed", line, column))  # fmt: skip
    if "\\" in text:
        text = _COPY_DATA.sub(_blank_rows, text)
        text = _META_COMMAND.sub(_blank, text)
    lines = _Lines(text)
    wanted = (dialect or "").lower() or None
    if wanted in _POSTGRES_NAMES:
        return _read_postgres(text, lines, salvage=True)  # type: ignore[return-value]
    if wanted is not None:
        return _read_sqlglot(text, lines, wanted, salvage=True)  # type: ignore[return-value]
    guess = _guess_dialect(text)
    if guess is None:
        return _read_postgres(text, lines, salvage=True)  # type: ignore[return-value]
    facts = _read_sqlglot(text, lines, guess, salvage=False)
    if facts is not None:
        return facts
    facts = _read_postgres(text, lines, salvage=False)
    if facts is not None:
        return facts
    return _read_sqlglot(text, lines, guess, salvage=True)  # type: ignore[return-value]


class _Builder:
    """Collects the records of one file."""

    def __init__(self, text: str, lines: _Lines) -> None:
        self.text = text
        self.lines = lines
        self.tables: list[Table] = []
        self.indexes: list[Index] = []
        self.added: list[AddedColumn] = []
        self.foreign_keys: list[ForeignKey] = []
        self.drops: list[Drop] = []

    def at(self, offset: int | None, fallback: int = 0) -> tuple[int, int]:
        return self.lines.at(offset if offset is not None and offset >= 0 else fallback)

    def facts(self, dialect: str, problem: ParseProblem | None = None) -> SchemaFacts:
        return SchemaFacts(
            tables=tuple(self.tables),
            indexes=tuple(self.indexes),
            added_columns=tuple(self.added),
            foreign_keys=tuple(self.foreign_keys),
            drops=tuple(self.drops),
            problem=problem,
            dialect=dialect,
        )


# --- PostgreSQL, with pglast ------------------------------------------------------------

_PG_TYPES = {
    "int2": "smallint", "int4": "integer", "int8": "bigint", "int": "integer",
    "float4": "real", "float8": "double precision", "bool": "boolean", "bpchar": "char",
    "varchar": "varchar", "numeric": "numeric", "timestamptz": "timestamptz",
    "timestamp": "timestamp", "timetz": "timetz", "time": "time", "interval": "interval",
    "varbit": "varbit", "bit": "bit", "serial4": "serial", "serial8": "bigserial",
    "serial2": "smallserial",
}  # fmt: skip


def _read_postgres(text: str, lines: _Lines, salvage: bool) -> SchemaFacts | None:
    """The facts of a PostgreSQL file; None when it does not parse and ``salvage`` is off.

    pglast's JSON output is read rather than its Python node objects: the same parse tree,
    ten times faster to get (the node classes validate every attribute they are given)."""
    from pglast.parser import ParseError, parse_sql_json

    builder = _Builder(text, lines)
    walker = _Postgres(builder)
    try:
        tree = json.loads(parse_sql_json(text))
    except ParseError as error:
        if not salvage:
            return None
        problem = _pg_problem(lines, error, 0)
    else:
        walker.statements(tree.get("stmts", ()), 0)
        return builder.facts(DIALECT_POSTGRES)
    # The whole file's error is the first one in the file: the statements before it parse.
    for start, end in _pg_pieces(text):
        try:
            tree = json.loads(parse_sql_json(text[start:end]))
        except ParseError:
            continue
        walker.statements(tree.get("stmts", ()), lines.byte(start))
    return builder.facts(DIALECT_POSTGRES, problem)


def _scan(text: str) -> list[tuple[int, int, str]]:
    """PostgreSQL's scanner tokens of ``text``: (start, end inclusive, name), character
    offsets. Where the scanner gives up (an unterminated string or comment), a ``;`` is
    assumed and scanning starts again on the next line."""
    from pglast.parser import scan

    tokens: list[tuple[int, int, str]] = []
    offset = 0
    while offset < len(text):
        chunk = text[offset:] if offset else text
        try:
            found = scan(chunk)
        except Exception as error:  # noqa: BLE001 - an unterminated string or comment
            args: tuple = getattr(error, "args", ())
            where = args[1] if len(args) > 1 and isinstance(args[1], int) else 0
            try:
                found = scan(chunk[:where])
            except Exception:  # noqa: BLE001
                found = []
            tokens.extend((t.start + offset, t.end + offset, t.name) for t in found)
            tokens.append((offset + where, offset + where, "ASCII_59"))
            newline = text.find("\n", offset + where)
            if newline < 0:
                break
            offset = newline + 1
            continue
        tokens.extend((t.start + offset, t.end + offset, t.name) for t in found)
        break
    return tokens


def _pg_pieces(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) character offsets of each statement, split at every ``;`` token of
    PostgreSQL's own scanner (strings, quoted names, comments and dollar-quoted bodies are
    single tokens), whatever the parentheses: an unclosed one must not swallow the rest."""
    start = None
    for token_start, _, name in _scan(text):
        if name == "ASCII_59":
            if start is not None:
                yield start, token_start
            start = None
        elif start is None and name not in ("SQL_COMMENT", "C_COMMENT"):
            start = token_start
    if start is not None:
        yield start, len(text)


def _pg_problem(lines: _Lines, error: Exception, base: int) -> ParseProblem:
    args: tuple = getattr(error, "args", ())
    message = str(args[0]) if args else str(error)
    offset = args[1] if len(args) > 1 and isinstance(args[1], int) else 0
    line, column = lines.at(base + offset)
    return ParseProblem(f"{message} (read as PostgreSQL)", line, column)


def _node(wrapped: Any) -> tuple[str, dict]:
    """{"ColumnDef": {...}} -> ("ColumnDef", {...})."""
    if isinstance(wrapped, dict) and len(wrapped) == 1:
        kind, body = next(iter(wrapped.items()))
        if isinstance(body, dict):
            return kind, body
    return "", {}


def _strings(nodes: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(_node(n)[1].get("sval", "") for n in nodes or ())


def _range_name(relation: dict | None) -> str:
    if not relation:
        return ""
    name = relation.get("relname", "")
    schema = relation.get("schemaname")
    return f"{schema}.{name}" if schema else name


# Where a default expression ends: these start the column's next clause.
_CLAUSE_TOKENS = frozenset({
    "NOT", "NULL_P", "CONSTRAINT", "CHECK", "REFERENCES", "UNIQUE", "PRIMARY", "GENERATED",
    "COLLATE", "DEFAULT", "DEFERRABLE", "INITIALLY", "ASCII_44", "ASCII_59",
})  # fmt: skip


def _expression_text(text: str, start: int) -> str:
    """The source text of the expression starting at character ``start`` of a column
    definition, whitespace collapsed: "now()", "'x'::text", "gen_random_uuid()"."""
    chunk = ""
    end = 0
    for size in (200, 5000):
        chunk = text[start : start + size]
        depth = 0
        end = 0
        for index, (_, token_end, name) in enumerate(_scan(chunk)):
            if name in ("SQL_COMMENT", "C_COMMENT"):
                continue
            if name == "ASCII_40":
                depth += 1
            elif name == "ASCII_41":
                depth -= 1
                if depth < 0:
                    return " ".join(chunk[:end].split())
            elif depth == 0 and index > 0 and name in _CLAUSE_TOKENS:
                return " ".join(chunk[:end].split())
            end = token_end + 1
        if start + size >= len(text):
            break
    return " ".join(chunk[:end].split())


class _Postgres:
    """Walks pglast's JSON parse tree into the builder. Node locations are byte offsets of
    the parsed text; ``base`` is the byte offset of that text in the file (non-zero only when
    reading statement by statement)."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        self.base = 0

    def at(self, location: int | None, fallback: int = 0) -> tuple[int, int]:
        """(line, column) of a node location (byte offset in the parsed text)."""
        if location is None or location < 0:
            return self.b.lines.at_byte(fallback)
        return self.b.lines.at_byte(self.base + location)

    def statements(self, statements: Iterable[dict], base: int) -> None:
        self.base = base
        lines = self.b.lines
        for raw in statements:
            kind, stmt = _node(raw.get("stmt"))
            start_char = lines.char(base + raw.get("stmt_location", 0))
            start = lines.byte(_skip_space_and_comments(self.b.text, start_char))
            if kind == "CreateStmt":
                self.create(stmt)
            elif kind == "IndexStmt":
                self.index(stmt, start)
            elif kind == "AlterTableStmt":
                self.alter(stmt, start)
            elif kind == "DropStmt":
                self.drop(stmt, start)
            elif kind == "CreateTableAsStmt" and stmt.get("objtype") == "OBJECT_TABLE":
                relation = (stmt.get("into") or {}).get("rel") or {}
                if relation.get("relpersistence") != "t":
                    line, column = self.at(relation.get("location"), start)
                    self.b.tables.append(Table(_range_name(relation), (), derived=True,
                                               line=line, column=column))  # fmt: skip

    # -- types and defaults --

    def type_of(self, type_name: dict | None) -> str:
        if not type_name:
            return ""
        names = list(_strings(type_name.get("names")))
        if len(names) > 1 and names[0] == "pg_catalog":
            names = names[1:]
            names[-1] = _PG_TYPES.get(names[-1], names[-1])
        text = ".".join(names).lower()
        mods = []
        for mod in type_name.get("typmods") or ():
            kind, body = _node(mod)
            if kind == "A_Const" and "ival" in body:
                mods.append(str(body["ival"].get("ival", 0)))
            elif kind == "ColumnRef":  # a name: varchar(max) in a foreign dialect
                mods.append(".".join(_strings(body.get("fields"))))
        if mods and text != "interval":
            text += "(" + ",".join(mods) + ")"
        text += "[]" * len(type_name.get("arrayBounds") or ())
        return text

    def default_of(self, expression: Any) -> str:
        _, body = _node(expression)
        location = _first_location(body)
        if location is None:
            return ""
        return _expression_text(self.b.text, self.b.lines.char(self.base + location))

    # -- statements --

    def column(self, node: dict, table: str, into: list[ForeignKey] | None) -> Column:
        name = node.get("colname", "")
        primary = unique = identity = False
        nullable = not node.get("is_not_null", False)
        default = ""
        references = None
        for wrapped in node.get("constraints") or ():
            _, constraint = _node(wrapped)
            contype = constraint.get("contype")
            if contype == "CONSTR_PRIMARY":
                primary, nullable = True, False
            elif contype == "CONSTR_NOTNULL":
                nullable = False
            elif contype == "CONSTR_UNIQUE":
                unique = True
            elif contype == "CONSTR_DEFAULT":
                default = self.default_of(constraint.get("raw_expr"))
            elif contype == "CONSTR_IDENTITY":
                identity = True
            elif contype == "CONSTR_FOREIGN":
                ref_table = _range_name(constraint.get("pktable"))
                ref_columns = _strings(constraint.get("pk_attrs"))
                references = (ref_table, ref_columns[0] if ref_columns else "")
                if into is not None:
                    line, column = self.at(constraint.get("location"),
                                           self.base + node.get("location", 0))  # fmt: skip
                    into.append(ForeignKey(table, (name,), ref_table, ref_columns, line, column))
        line, column = self.at(node.get("location"))
        return Column(name, self.type_of(node.get("typeName")), primary, nullable, default,
                      references, identity, unique, line, column)  # fmt: skip

    def create(self, stmt: dict) -> None:
        relation = stmt.get("relation") or {}
        if relation.get("relpersistence") == "t":
            return  # a temporary table lives for one session: no schema
        name = _range_name(relation)
        columns: list[Column] = []
        primary_key: tuple[str, ...] = ()
        uniques: list[tuple[str, ...]] = []
        foreign_keys: list[ForeignKey] = []
        derived = bool(stmt.get("inhRelations") or stmt.get("partbound") or stmt.get("ofTypename"))
        for element in stmt.get("tableElts") or ():
            kind, body = _node(element)
            if kind == "ColumnDef":
                column = self.column(body, name, foreign_keys)
                columns.append(column)
                if column.primary_key:
                    primary_key = (column.name,)
                if column.unique:
                    uniques.append((column.name,))
            elif kind == "Constraint":
                contype = body.get("contype")
                if contype == "CONSTR_PRIMARY":
                    primary_key = _strings(body.get("keys"))
                elif contype == "CONSTR_UNIQUE" and body.get("keys"):
                    uniques.append(_strings(body.get("keys")))
                elif contype == "CONSTR_FOREIGN":
                    line, col = self.at(body.get("location"))
                    foreign_keys.append(ForeignKey(
                        name, _strings(body.get("fk_attrs")), _range_name(body.get("pktable")),
                        _strings(body.get("pk_attrs")), line, col))  # fmt: skip
            elif kind == "TableLikeClause":
                derived = True
        columns = _apply_keys(columns, primary_key, foreign_keys)
        line, col = self.at(relation.get("location"))
        self.b.tables.append(Table(name, tuple(columns), primary_key, tuple(uniques),
                                   tuple(foreign_keys), derived, line, col))  # fmt: skip

    def index(self, stmt: dict, start: int) -> None:
        columns = []
        for param in stmt.get("indexParams") or ():
            _, body = _node(param)
            columns.append("" if "expr" in body else body.get("name", ""))
        line, column = self.b.lines.at_byte(start)
        self.b.indexes.append(Index(
            stmt.get("idxname", ""), _range_name(stmt.get("relation")), tuple(columns),
            bool(stmt.get("unique") or stmt.get("primary")), "whereClause" in stmt,
            line, column))  # fmt: skip

    def alter(self, stmt: dict, start: int) -> None:
        if stmt.get("objtype", "OBJECT_TABLE") != "OBJECT_TABLE":
            return
        table = _range_name(stmt.get("relation"))
        for wrapped in stmt.get("cmds") or ():
            _, command = _node(wrapped)
            subtype = command.get("subtype")
            kind, definition = _node(command.get("def"))
            if subtype == "AT_AddColumn" and kind == "ColumnDef":
                added: list[ForeignKey] = []
                column = self.column(definition, table, added)
                self.b.added.append(AddedColumn(table, column))
                self.b.foreign_keys.extend(added)
                if column.primary_key or column.unique:
                    self.b.indexes.append(Index("", table, (column.name,), True, False,
                                                column.line, column.column, column.primary_key))  # fmt: skip
            elif subtype == "AT_AddConstraint" and kind == "Constraint":
                line, column_ = self.at(definition.get("location"), start)
                contype = definition.get("contype")
                if contype in ("CONSTR_PRIMARY", "CONSTR_UNIQUE") and definition.get("keys"):
                    self.b.indexes.append(Index(definition.get("conname", ""), table,
                                                _strings(definition.get("keys")), True, False,
                                                line, column_, contype == "CONSTR_PRIMARY"))  # fmt: skip
                elif contype == "CONSTR_FOREIGN":
                    self.b.foreign_keys.append(ForeignKey(
                        table, _strings(definition.get("fk_attrs")),
                        _range_name(definition.get("pktable")),
                        _strings(definition.get("pk_attrs")), line, column_))  # fmt: skip
            elif subtype == "AT_DropColumn":
                line, column_ = self.b.lines.at_byte(start)
                self.b.drops.append(Drop(DROP_COLUMN, table, command.get("name", ""), line, column_))

    def drop(self, stmt: dict, start: int) -> None:
        kind = {"OBJECT_TABLE": DROP_TABLE, "OBJECT_INDEX": DROP_INDEX}.get(stmt.get("removeType", ""))
        if kind is None:
            return
        line, column = self.b.lines.at_byte(start)
        for wrapped in stmt.get("objects") or ():
            _, body = _node(wrapped)
            name = ".".join(_strings(body.get("items")))
            self.b.drops.append(Drop(kind, name if kind == DROP_TABLE else "", name, line, column))


def _first_location(body: Any) -> int | None:
    """The smallest location in a parse-tree node: where its source text starts (a type
    cast's own location is its ``::``, after its argument)."""
    best = None
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            location = item.get("location")
            if isinstance(location, int) and location >= 0 and (best is None or location < best):
                best = location
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return best


def _apply_keys(
    columns: list[Column], primary_key: tuple[str, ...], foreign_keys: list[ForeignKey]
) -> list[Column]:
    """Table constraints marked on their columns: primary key, single-column references."""
    keyed = set(primary_key)
    references = {
        k.columns[0]: (k.ref_table, k.ref_columns[0] if k.ref_columns else "")
        for k in foreign_keys
        if len(k.columns) == 1
    }
    result = []
    for column in columns:
        if column.name in keyed and not column.primary_key:
            column = column._replace(primary_key=True, nullable=False)
        if column.references is None and column.name in references:
            column = column._replace(references=references[column.name])
        result.append(column)
    return result


# --- other dialects, with sqlglot --------------------------------------------------------

_SQLGLOT_TYPES = {
    "int": "integer", "int4": "integer", "int8": "bigint", "int2": "smallint",
    "bool": "boolean", "character varying": "varchar", "character": "char",
    "timestamp with time zone": "timestamptz", "float8": "double precision",
}  # fmt: skip


def _read_sqlglot(text: str, lines: _Lines, dialect: str, salvage: bool) -> SchemaFacts | None:
    """The facts of a file in a sqlglot dialect; None when it does not parse and
    ``salvage`` is off."""
    import sqlglot
    from sqlglot.errors import ErrorLevel, ParseError, TokenError
    from sqlglot.tokens import TokenType

    logger = logging.getLogger("sqlglot")
    disabled, logger.disabled = logger.disabled, True  # "falling back to Command" warnings
    try:
        try:
            engine = sqlglot.Dialect.get_or_raise(dialect)
        except ValueError:
            return SchemaFacts(problem=ParseProblem(f"unknown SQL dialect {dialect!r}"))
        source = _GO_LINE.sub(lambda m: ";" + " " * (len(m.group(0)) - 1), text) \
            if dialect == "tsql" else text  # fmt: skip
        try:
            tokens = engine.tokenize(source)
        except TokenError as error:
            if not salvage:
                return None
            return SchemaFacts(problem=ParseProblem(f"{error} (read as {dialect})"), dialect=dialect)
        builder = _Builder(text, lines)
        walker = _Sqlglot(builder, engine, dialect)
        problem: ParseProblem | None = None
        for chunk in _chunks(tokens, TokenType.SEMICOLON):
            parser = engine.parser(error_level=ErrorLevel.IMMEDIATE)
            try:
                statements = parser.parse(chunk, source)
            except ParseError as error:
                if not salvage:
                    return None
                if problem is None:
                    problem = _sqlglot_problem(error, dialect, lines, chunk[0].start)
                continue
            for statement in statements:
                if statement is None:
                    continue
                if _unsupported_ddl(statement):
                    if not salvage:
                        return None
                    if problem is None:
                        line, column = lines.at(chunk[0].start)
                        problem = ParseProblem(f"unsupported syntax (read as {dialect})",
                                               line, column)  # fmt: skip
                    continue
                walker.statement(statement, chunk[0].start)
        return builder.facts(dialect, problem)
    finally:
        logger.disabled = disabled


def _chunks(tokens: list[Any], separator: Any) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for token in tokens:
        if token.token_type == separator:
            if chunk:
                yield chunk
            chunk = []
        else:
            chunk.append(token)
    if chunk:
        yield chunk


def _sqlglot_problem(error: Any, dialect: str, lines: _Lines, fallback: int) -> ParseProblem:
    details = getattr(error, "errors", None) or [{}]
    first = details[0]
    message = first.get("description") or str(error).split(". Line", 1)[0]
    line, column = first.get("line"), first.get("col")
    if not isinstance(line, int) or not isinstance(column, int):
        line, column = lines.at(fallback)
    else:  # sqlglot gives the column where the token ends
        highlight = first.get("highlight") or ""
        if highlight and "\n" not in highlight:
            column = max(column - len(highlight) + 1, 1)
    return ParseProblem(f"syntax error: {message} (read as {dialect})", line, column)


def _unsupported_ddl(statement: Any) -> bool:
    from sqlglot import exp

    if not isinstance(statement, exp.Command):
        return False
    head = f"{statement.this} {statement.expression or ''}".lower().split()
    return head[:2] in (["create", "table"], ["alter", "table"], ["create", "index"],
                        ["create", "unique"])  # fmt: skip


class _Sqlglot:
    def __init__(self, builder: _Builder, engine: Any, dialect: str) -> None:
        from sqlglot import exp

        self.exp = exp
        self.b = builder
        self.engine = engine
        self.dialect = dialect

    # -- names and locations --

    def ident(self, node: Any) -> str:
        exp = self.exp
        if node is None:
            return ""
        if isinstance(node, exp.Identifier):
            return node.this if node.quoted else node.this.lower()
        if isinstance(node, exp.Column | exp.Table):
            parts = [p for p in node.parts]
            return ".".join(self.ident(p) for p in parts)
        if isinstance(node, exp.Schema):
            return self.ident(node.this)
        return node.name.lower() if hasattr(node, "name") else ""

    def offset(self, node: Any, fallback: int) -> int:
        exp = self.exp
        if node is not None:
            target = node if isinstance(node, exp.Identifier) else node.find(exp.Identifier)
            meta = getattr(target, "_meta", None) or {}
            start = meta.get("start")
            if isinstance(start, int):
                return start
        return fallback

    def type_of(self, kind: Any) -> str:
        if kind is None:
            return ""
        text = kind.sql(dialect=self.engine).lower()
        head, paren, rest = text.partition("(")
        head = _SQLGLOT_TYPES.get(head.strip(), head.strip())
        return head + paren + rest.replace(" ", "")

    # -- statements --

    def statement(self, node: Any, start: int) -> None:
        exp = self.exp
        if isinstance(node, exp.Create):
            kind = (node.args.get("kind") or "").upper()
            if kind == "TABLE":
                self.create(node, start)
            elif kind == "INDEX":
                self.index(node, start)
        elif isinstance(node, exp.Alter) and (node.args.get("kind") or "TABLE").upper() == "TABLE":
            self.alter(node, start)
        elif isinstance(node, exp.Drop):
            self.drop(node, start)

    def column(self, node: Any, table: str, into: list[ForeignKey], fallback: int) -> Column:
        exp = self.exp
        name = self.ident(node.this)
        primary = unique = identity = False
        nullable, default, references = True, "", None
        for constraint in node.args.get("constraints") or ():
            kind = constraint.args.get("kind")
            if isinstance(kind, exp.PrimaryKeyColumnConstraint):
                primary, nullable = True, False
            elif isinstance(kind, exp.NotNullColumnConstraint):
                nullable = bool(kind.args.get("allow_null"))
            elif isinstance(kind, exp.UniqueColumnConstraint):
                unique = True
            elif isinstance(kind, exp.DefaultColumnConstraint):
                default = kind.this.sql(dialect=self.engine) if kind.this is not None else ""
            elif isinstance(kind, exp.AutoIncrementColumnConstraint | exp.GeneratedAsIdentityColumnConstraint):
                identity = True
            elif isinstance(kind, exp.Reference):
                ref_table, ref_columns = self.reference(kind)
                references = (ref_table, ref_columns[0] if ref_columns else "")
                line, col = self.b.at(self.offset(kind, fallback))
                into.append(ForeignKey(table, (name,), ref_table, ref_columns, line, col))
        line, col = self.b.at(self.offset(node.this, fallback))
        return Column(name, self.type_of(node.args.get("kind")), primary, nullable, default,
                      references, identity, unique, line, col)  # fmt: skip

    def reference(self, node: Any) -> tuple[str, tuple[str, ...]]:
        exp = self.exp
        target = node.this
        if isinstance(target, exp.Schema):
            return self.ident(target.this), tuple(self.ident(e) for e in target.expressions)
        return self.ident(target), ()

    def key_columns(self, node: Any) -> tuple[str, ...]:
        exp = self.exp
        expressions = node.expressions
        if not expressions and isinstance(node.this, exp.Schema):
            expressions = node.this.expressions
        return tuple(
            self.ident(e.this if isinstance(e, exp.Ordered) else e) for e in expressions
        )

    def constraint(self, node: Any, table: str, start: int) -> tuple[str, Any, tuple[str, ...]]:
        """("primary" | "unique" | "index" | "foreign" | "", node, columns) of a table-level
        constraint (unwrapping ``CONSTRAINT name …``)."""
        exp = self.exp
        if isinstance(node, exp.Constraint):
            inner = [e for e in node.expressions if not isinstance(e, exp.Identifier)]
            return self.constraint(inner[0], table, start) if inner else ("", node, ())
        if isinstance(node, exp.PrimaryKey):
            return "primary", node, self.key_columns(node)
        if isinstance(node, exp.UniqueColumnConstraint):
            return "unique", node, self.key_columns(node)
        if isinstance(node, exp.IndexColumnConstraint):
            return "index", node, self.key_columns(node)
        if isinstance(node, exp.ForeignKey):
            return "foreign", node, tuple(self.ident(e) for e in node.expressions)
        return "", node, ()

    def foreign_key(self, node: Any, table: str, columns: tuple[str, ...], start: int) -> ForeignKey:
        reference = node.args.get("reference")
        ref_table, ref_columns = self.reference(reference) if reference is not None else ("", ())
        line, col = self.b.at(self.offset(node, start))
        return ForeignKey(table, columns, ref_table, ref_columns, line, col)

    def create(self, node: Any, start: int) -> None:
        exp = self.exp
        properties = node.args.get("properties")
        props = properties.expressions if properties is not None else []
        if any(isinstance(p, exp.TemporaryProperty) for p in props):
            return
        schema = node.this
        table_node = schema.this if isinstance(schema, exp.Schema) else schema
        name = self.ident(table_node)
        derived = not isinstance(schema, exp.Schema) or node.args.get("expression") is not None \
            or any(isinstance(p, exp.LikeProperty) for p in props)  # fmt: skip
        columns: list[Column] = []
        primary_key: tuple[str, ...] = ()
        uniques: list[tuple[str, ...]] = []
        foreign_keys: list[ForeignKey] = []
        table_offset = self.offset(table_node, start)
        for element in schema.expressions if isinstance(schema, exp.Schema) else ():
            if isinstance(element, exp.ColumnDef):
                column = self.column(element, name, foreign_keys, table_offset)
                columns.append(column)
                if column.primary_key:
                    primary_key = (column.name,)
                if column.unique:
                    uniques.append((column.name,))
                continue
            kind, inner, keys = self.constraint(element, name, start)
            if kind == "primary":
                primary_key = keys
            elif kind == "unique":
                uniques.append(keys)
            elif kind == "index":
                line, col = self.b.at(self.offset(inner, table_offset))
                self.b.indexes.append(Index(self.ident(inner.this), name, keys, False, False,
                                            line, col))  # fmt: skip
            elif kind == "foreign":
                foreign_keys.append(self.foreign_key(inner, name, keys, table_offset))
        columns = _apply_keys(columns, primary_key, foreign_keys)
        line, col = self.b.at(table_offset)
        self.b.tables.append(Table(name, tuple(columns), primary_key, tuple(uniques),
                                   tuple(foreign_keys), derived, line, col))  # fmt: skip

    def index(self, node: Any, start: int) -> None:
        exp = self.exp
        index = node.this
        if not isinstance(index, exp.Index):
            return
        params = index.args.get("params")
        columns = []
        for item in (params.args.get("columns") if params is not None else None) or ():
            target = item.this if isinstance(item, exp.Ordered) else item
            columns.append(self.ident(target) if isinstance(target, exp.Column) else "")
        partial = params is not None and params.args.get("where") is not None
        line, col = self.b.at(start)
        self.b.indexes.append(Index(
            self.ident(index.this), self.ident(index.args.get("table")), tuple(columns),
            bool(node.args.get("unique")), partial, line, col))  # fmt: skip

    def alter(self, node: Any, start: int) -> None:
        exp = self.exp
        table = self.ident(node.this)
        for action in node.args.get("actions") or ():
            if isinstance(action, exp.ColumnDef):
                keys: list[ForeignKey] = []
                column = self.column(action, table, keys, start)
                self.b.added.append(AddedColumn(table, column))
                self.b.foreign_keys.extend(keys)
                if column.primary_key or column.unique:
                    self.b.indexes.append(Index("", table, (column.name,), True, False,
                                                column.line, column.column, column.primary_key))  # fmt: skip
            elif isinstance(action, exp.AddConstraint):
                for element in action.expressions:
                    kind, inner, keys_ = self.constraint(element, table, start)
                    line, col = self.b.at(self.offset(inner, start))
                    if kind in ("primary", "unique", "index"):
                        name = self.ident(inner.this) if kind == "index" else ""
                        self.b.indexes.append(Index(name, table, keys_, kind != "index", False,
                                                    line, col, kind == "primary"))  # fmt: skip
                    elif kind == "foreign":
                        self.b.foreign_keys.append(self.foreign_key(inner, table, keys_, start))
            elif isinstance(action, exp.Drop) and (action.args.get("kind") or "").upper() == "COLUMN":
                line, col = self.b.at(start)
                for target in action.args.get("tables") or ():
                    self.b.drops.append(Drop(DROP_COLUMN, table, self.ident(target), line, col))

    def drop(self, node: Any, start: int) -> None:
        kind = (node.args.get("kind") or "").upper()
        if kind not in ("TABLE", "INDEX"):
            return
        line, col = self.b.at(start)
        for target in node.args.get("tables") or ([node.this] if node.this is not None else []):
            name = self.ident(target)
            if kind == "TABLE":
                self.b.drops.append(Drop(DROP_TABLE, name, name, line, col))
            else:
                cluster = node.args.get("cluster")
                table = self.ident(cluster.this) if cluster is not None else ""
                self.b.drops.append(Drop(DROP_INDEX, table, name, line, col))
