"""The sqlglot reader of the SQL frontend: MySQL, SQLite, T-SQL, Oracle and other
non-PostgreSQL dialects, read chunk by chunk between sqlglot's own ``;`` tokens."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from archlint.facts import ParseProblem
from archlint.frontends.sql_text import _GO_LINE, _apply_keys, _Builder, _Lines
from archlint.schema import (
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

# --- other dialects, with sqlglot --------------------------------------------------------

_SQLGLOT_TYPES = {
    "int": "integer", "int4": "integer", "int8": "bigint", "int2": "smallint",
    "bool": "boolean", "character varying": "varchar", "character": "char",
    "timestamp with time zone": "timestamptz", "float8": "double precision",
}  # fmt: skip


POSTGRES_NAMES = ("postgres", "postgresql", "pg")  # read by pglast, PostgreSQL's own parser


def known_dialects() -> frozenset[str]:
    """Every name ``sql.dialect`` accepts: PostgreSQL's, and sqlglot's dialects."""
    from sqlglot.dialects.dialect import Dialects

    return frozenset({*POSTGRES_NAMES, *(d.value for d in Dialects if d.value)})


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
