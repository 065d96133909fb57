"""The Alembic reader of the Python migration frontend: ``op.*`` calls in ``upgrade*()``,
SQLAlchemy column types and ``batch_alter_table`` blocks."""

from __future__ import annotations

from archlint.codefacts import Call, CodeFacts, Value
from archlint.frontends.migrations_values import (
    _ALEMBIC_OPERATIONS,
    _as_call,
    _Calls,
    _Cursor,
    _empty,
    _facts,
    _int,
    _kw,
    _last,
    _merge_sql,
    _python_default,
    _sql_default,
    _str,
    _strs,
    _true,
)
from archlint.schema import (
    DIALECT_ALEMBIC,
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

# --- Alembic / SQLAlchemy ------------------------------------------------------------------

_SA_TYPES = {
    "integer": "integer", "int": "integer", "biginteger": "bigint", "bigint": "bigint",
    "smallinteger": "smallint", "smallint": "smallint", "text": "text", "unicodetext": "text",
    "clob": "text", "boolean": "boolean", "bool": "boolean", "date": "date", "time": "time",
    "interval": "interval", "float": "double precision", "double": "double precision",
    "double_precision": "double precision", "real": "real", "uuid": "uuid", "uuidtype": "uuid",
    "guid": "uuid", "largebinary": "bytea", "binary": "bytea", "bytea": "bytea",
    "_binary": "bytea", "blob": "blob", "longblob": "longblob", "mediumblob": "mediumblob",
    "tinyblob": "tinyblob", "json": "json", "jsonb": "jsonb", "enum": "enum", "inet": "inet",
    "citext": "citext", "serial": "serial", "bigserial": "bigserial",
}  # fmt: skip
_SA_STRINGS = {"string": "varchar", "varchar": "varchar", "unicode": "varchar", "nvarchar":
               "varchar", "autostring": "varchar", "char": "char", "nchar": "char",
               "varbinary": "varbinary", "binary_": "binary"}  # fmt: skip


def _sa_type(value: Value | None, record: Call | None = None) -> str:
    if value is None or value.kind not in ("call", "name"):
        return ""
    args, kwargs = _as_call(value, record) if value.kind == "call" else ((), ())
    name = _last(value.text).lower()
    if name in _SA_STRINGS:
        length = _int(args[0]) if args else _int(_kw(kwargs, "length"))
        return _SA_STRINGS[name] + (f"({length})" if length else "")
    if name in ("datetime", "timestamp"):
        return "timestamptz" if _true(_kw(kwargs, "timezone")) else "timestamp"
    if name in ("numeric", "decimal"):
        precision = _int(args[0]) if args else _int(_kw(kwargs, "precision"))
        scale = _int(args[1]) if len(args) > 1 else _int(_kw(kwargs, "scale"))
        return "numeric" + (f"({precision},{scale})" if precision and scale else
                            f"({precision})" if precision else "")  # fmt: skip
    if name == "array" and args:
        return _sa_type(args[0]) + "[]"
    return _SA_TYPES.get(name, name)


class _Alembic:
    def __init__(self, facts: CodeFacts) -> None:
        self.facts = facts
        self.calls = _Calls(facts.calls)
        self.found = _empty()

    def run(self) -> SchemaFacts:
        revision = ""
        down: tuple[str, ...] = ()
        for assign in self.facts.assigns:
            if assign.scope != -1 or assign.value is None:
                continue
            if assign.target == "revision":
                revision = _str(assign.value)
            elif assign.target == "down_revision":
                down = tuple(r for r in _strs(assign.value) if r)
        batch_table = ""
        for call in self.facts.calls:
            if not self.in_upgrade(call.scope):
                continue
            owner, _, method = call.callee.rpartition(".")
            if owner == "op" and method == "batch_alter_table":
                batch_table = _str(call.arg(0, "table_name"))
                continue
            if owner == "op":
                self.operation(method, call, None)
            elif owner and "." not in owner and batch_table and method in _ALEMBIC_OPERATIONS:
                self.operation(method, call, batch_table)
        return _facts(self.found, DIALECT_ALEMBIC, revision, down)

    def in_upgrade(self, scope: int) -> bool:
        while scope >= 0:
            function = self.facts.functions[scope]
            if function.parent < 0:
                return function.name.startswith("upgrade")
            scope = function.parent
        return False

    def operation(self, method: str, call: Call, batch: str | None) -> None:
        """One ``op.<method>(...)``, or ``batch_op.<method>(...)`` on table ``batch``."""
        shift = 0 if batch is None else 1  # batch methods take no table argument

        def arg(index: int, keyword: str) -> Value | None:
            if batch is not None and index == 0 and keyword in ("table_name", "source_table"):
                return Value("str", batch)
            return call.arg(index - shift, keyword) if index - shift >= 0 else call.kwarg(keyword)

        found = self.found
        if method == "create_table" and batch is None:
            self.create_table(call)
        elif method == "add_column":
            table = _str(arg(0, "table_name"))
            value = arg(1, "column")
            if value is not None and value.kind == "call":
                cursor = self.calls.after(call)
                column, keys, indexes = self.column(value, table, cursor)
                if column is not None:
                    found["added"].append(AddedColumn(table, column))
                    found["foreign_keys"].extend(keys)
                    found["indexes"].extend(indexes)
        elif method == "create_index":
            # op.create_index(name, table_name, columns, unique=False, **kw)
            # batch_op.create_index(name, columns, unique=False, **kw)
            name = _index_name(call.arg(0, "index_name"))
            table = batch if batch is not None else _str(call.arg(1, "table_name"))
            columns = call.arg(1 if batch is not None else 2, "columns")
            names = tuple(_strs(columns)) if columns is not None else ()
            partial = any(key.endswith("_where") for key, _ in call.kwargs)
            found["indexes"].append(Index(name, table, names, _true(call.kwarg("unique")),
                                          partial, call.line, call.column))  # fmt: skip
        elif method in ("create_unique_constraint", "create_primary_key"):
            name = _index_name(call.arg(0, "constraint_name"))
            table = batch if batch is not None else _str(call.arg(1, "table_name"))
            columns = call.arg(1 if batch is not None else 2, "columns")
            found["indexes"].append(Index(name, table, _strs(columns), True, False,
                                          call.line, call.column, method == "create_primary_key"))  # fmt: skip
        elif method == "create_foreign_key":
            # op.create_foreign_key(name, source_table, referent_table, local_cols, remote_cols)
            source = batch if batch is not None else _str(call.arg(1, "source_table"))
            offset = 1 if batch is not None else 2
            referent = _str(call.arg(offset, "referent_table"))
            local = _strs(call.arg(offset + 1, "local_cols"))
            remote = _strs(call.arg(offset + 2, "remote_cols"))
            found["foreign_keys"].append(ForeignKey(source, local, referent, remote,
                                                    call.line, call.column))  # fmt: skip
        elif method == "drop_table" and batch is None:
            name = _str(call.arg(0, "table_name"))
            found["drops"].append(Drop(DROP_TABLE, name, name, call.line, call.column))
        elif method == "drop_index":
            table = batch if batch is not None else _str(call.arg(1, "table_name"))
            found["drops"].append(Drop(DROP_INDEX, table, _index_name(call.arg(0, "index_name")),
                                       call.line, call.column))  # fmt: skip
        elif method == "drop_column":
            table = batch if batch is not None else _str(call.arg(0, "table_name"))
            name = _str(call.arg(0 if batch is not None else 1, "column_name"))
            found["drops"].append(Drop(DROP_COLUMN, table, name, call.line, call.column))
        elif method == "execute" and batch is None:
            sql = call.arg(0, "sqltext")
            if sql is not None and sql.kind == "call" and _last(sql.text) == "text" and sql.args:
                sql = sql.args[0]
            if sql is not None and sql.kind == "str":
                _merge_sql(found, sql.text, call)

    def column(
        self, value: Value, table: str, cursor: _Cursor
    ) -> tuple[Column | None, list[ForeignKey], list[Index]]:
        """A ``sa.Column(...)`` Value -> (column, its foreign keys, its indexes)."""
        if _last(value.text) != "Column":
            return None, [], []
        record = cursor.find(value.text)
        args, kwargs = _as_call(value, record)
        where = record or cursor.outer
        name = _str(args[0]) if args and args[0].kind == "str" else _str(_kw(kwargs, "name"))
        type_ = ""
        identity = _true(_kw(kwargs, "autoincrement"))
        references = None
        keys: list[ForeignKey] = []
        for arg in args[1 if args and args[0].kind == "str" else 0:]:
            if arg.kind not in ("call", "name"):
                continue
            last = _last(arg.text)
            if last == "ForeignKey" and arg.kind == "call":
                fk_record = cursor.find(arg.text)
                fk_args, fk_kwargs = _as_call(arg, fk_record)
                target = _str(fk_args[0]) if fk_args else _str(_kw(fk_kwargs, "column"))
                ref_table, _, ref_column = target.rpartition(".")
                references = (ref_table, ref_column)
                at = fk_record or where
                keys.append(ForeignKey(table, (name,), ref_table, (ref_column,) if ref_column
                                       else (), at.line, at.column))  # fmt: skip
            elif last in ("Identity", "Sequence"):
                identity = True
            elif not type_:
                type_ = _sa_type(arg, cursor.find(arg.text) if arg.kind == "call" else None)
        if not type_:
            type_ = _sa_type(_kw(kwargs, "type_"))
        primary = _true(_kw(kwargs, "primary_key"))
        nullable = not primary
        if _kw(kwargs, "nullable") is not None:
            nullable = _true(_kw(kwargs, "nullable"))
        unique = _true(_kw(kwargs, "unique"))
        default = _sql_default(_kw(kwargs, "server_default"))
        if not default:
            default = _python_default(_kw(kwargs, "default"))
        column = Column(name, type_, primary, nullable, default, references, identity, unique,
                        where.line, where.column)  # fmt: skip
        indexes = []
        if _true(_kw(kwargs, "index")):
            indexes.append(Index("", table, (name,), unique, False, where.line, where.column))
        return column, keys, indexes

    def create_table(self, call: Call) -> None:
        table = _str(call.arg(0, "table_name"))
        schema = _str(call.kwarg("schema"))
        name = f"{schema}.{table}" if schema else table
        cursor = self.calls.after(call)
        columns: list[Column] = []
        primary_key: tuple[str, ...] = ()
        uniques: list[tuple[str, ...]] = []
        keys: list[ForeignKey] = []
        # `*audit_columns()`, `*COMMON`: columns from elsewhere, so the list seen here is not
        # the whole table (the rules then do not call a column missing).
        derived = any(value.kind == "star" for value in call.args[1:])
        for value in call.args[1:]:
            if value.kind != "call":
                continue
            last = _last(value.text)
            if last == "Column":
                column, column_keys, indexes = self.column(value, name, cursor)
                if column is None:
                    continue
                columns.append(column)
                keys.extend(column_keys)
                self.found["indexes"].extend(indexes)
                if column.unique:
                    uniques.append((column.name,))
                continue
            record = cursor.find(value.text)
            args, kwargs = _as_call(value, record)
            at = record or call
            if last == "PrimaryKeyConstraint":
                primary_key = tuple(_str(a) for a in args if a.kind == "str")
            elif last == "UniqueConstraint":
                uniques.append(tuple(_str(a) for a in args if a.kind == "str"))
            elif last == "ForeignKeyConstraint" and len(args) >= 2:
                remote = _strs(args[1])
                ref_table = remote[0].rpartition(".")[0] if remote else ""
                keys.append(ForeignKey(name, _strs(args[0]), ref_table,
                                       tuple(r.rpartition(".")[2] for r in remote),
                                       at.line, at.column))  # fmt: skip
            elif last == "Index":
                index_columns = tuple(_str(a) for a in args[1:] if a.kind == "str")
                self.found["indexes"].append(Index(_str(args[0]) if args else "", name,
                                                   index_columns, _true(_kw(kwargs, "unique")),
                                                   False, at.line, at.column))  # fmt: skip
        if not primary_key:
            primary_key = tuple(c.name for c in columns if c.primary_key)
        columns = _mark(columns, primary_key, keys)
        self.found["tables"].append(Table(name, tuple(columns), primary_key, tuple(uniques),
                                          tuple(keys), derived, call.line, call.column))  # fmt: skip


def _index_name(value: Value | None) -> str:
    if value is not None and value.kind == "call" and value.args:  # op.f("ix_x")
        return _str(value.args[0])
    return _str(value)


def _mark(columns: list[Column], primary_key: tuple[str, ...], keys: list[ForeignKey]) -> list[Column]:
    from archlint.frontends.sql_text import _apply_keys

    return _apply_keys(columns, primary_key, keys)
