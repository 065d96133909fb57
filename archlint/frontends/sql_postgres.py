"""The PostgreSQL reader of the SQL frontend: pglast's JSON parse tree, its scanner for
statement-by-statement salvage and default-expression text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from archlint.facts import ParseProblem
from archlint.frontends.sql_text import (
    _apply_keys,
    _Builder,
    _Lines,
    _skip_space_and_comments,
)
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
