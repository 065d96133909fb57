"""Schema facts of Python migration modules (Alembic, Django), from their code facts.

Nothing is parsed again: the calls of :class:`~archlint.codefacts.CodeFacts` already hold
every operation with its arguments as :class:`~archlint.codefacts.Value` summaries, and each
nested call (``sa.Column(...)``, ``models.UUIDField(...)``) is a call record of its own with
its location. An operation's nested calls follow it in document order, so they are found by
walking forward from it.

Alembic: the calls made in ``upgrade*()`` (``downgrade()`` undoes them):
``op.create_table``, ``op.add_column``, ``op.create_index``, ``op.create_unique_constraint``,
``op.create_primary_key``, ``op.create_foreign_key``, ``op.drop_table``, ``op.drop_index``,
``op.drop_column``, the same methods of a ``batch_alter_table`` block (``batch_op.…``, the
table taken from the ``op.batch_alter_table("t")`` call before them) and raw SQL in
``op.execute("…")``. The module's ``revision`` and ``down_revision`` are kept to order the
migrations.

Django: the operations ``CreateModel`` (fields, and the options ``db_table``, ``indexes``,
``unique_together``, ``constraints``; proxy and unmanaged models create no table),
``AddField``, ``RemoveField``, ``DeleteModel``, ``AddIndex``, ``RemoveIndex``,
``AddConstraint`` (unique ones), ``AlterUniqueTogether`` and ``RunSQL``. Tables are named as
Django names them, ``<app label>_<model>`` lower-cased, with the app label left as the
``{app}`` placeholder (the file's path knows it, its contents do not). A ``ForeignKey`` or
``OneToOneField`` is a column ``<name>_id`` with an index unless ``db_index=False``, as
Django creates it; ``ManyToManyField`` tables are made by Django, not declared, and left out.

Types are translated to PostgreSQL's names (see :mod:`archlint.schema`); Python-side defaults
(``default=uuid.uuid4``) are kept as "python:<text>", database ones (``server_default``,
``db_default``) as SQL text.
"""

from __future__ import annotations

from collections.abc import Iterable

from archlint.codefacts import Call, CodeFacts, Value
from archlint.schema import (
    APP_LABEL,
    DIALECT_ALEMBIC,
    DIALECT_DJANGO,
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

MIGRATIONS_PY_VERSION = "migrations-py-1"

_DJANGO_OPERATIONS = frozenset({
    "CreateModel", "AddField", "RemoveField", "DeleteModel", "AddIndex", "RemoveIndex",
    "AddConstraint", "AlterUniqueTogether", "RunSQL",
})  # fmt: skip
_ALEMBIC_OPERATIONS = frozenset({
    "create_table", "add_column", "create_index", "create_unique_constraint",
    "create_primary_key", "create_foreign_key", "drop_table", "drop_index", "drop_column",
    "execute",
})  # fmt: skip


def schema_from_code(facts: CodeFacts) -> SchemaFacts:
    """The schema that an Alembic or Django migration module defines; empty for any other
    module. Never raises."""
    try:
        if _is_django(facts):
            return _Django(facts).run()
        if _is_alembic(facts):
            return _Alembic(facts).run()
    except (IndexError, ValueError, TypeError, AttributeError):  # odd code: no facts
        return SchemaFacts()
    return SchemaFacts()


def _last(text: str) -> str:
    return text.rpartition(".")[2]


def _is_django(facts: CodeFacts) -> bool:
    if any("migrations.Migration" in f.bases or "Migration" in f.bases for f in facts.functions
           if f.kind == "class"):  # fmt: skip
        return True
    return any(c.callee.startswith("migrations.") and _last(c.callee) in _DJANGO_OPERATIONS
               for c in facts.calls)  # fmt: skip


def _is_alembic(facts: CodeFacts) -> bool:
    names = {a.target for a in facts.assigns if a.scope == -1}
    if "revision" in names and "down_revision" in names:
        return True
    return any(c.callee.startswith("op.") and _last(c.callee) in _ALEMBIC_OPERATIONS
               for c in facts.calls)  # fmt: skip


# --- values ----------------------------------------------------------------------------


def _str(value: Value | None) -> str:
    return value.text if value is not None and value.kind == "str" else ""


def _strs(value: Value | None) -> tuple[str, ...]:
    """A str, or a list/tuple/set of strs."""
    if value is None:
        return ()
    if value.kind == "str":
        return (value.text,)
    if value.kind in ("list", "tuple", "set"):
        return tuple(v.text if v.kind == "str" else "" for v in value.args)
    return ()


def _true(value: Value | None) -> bool:
    return value is not None and value.kind == "bool" and value.text == "true"


def _false(value: Value | None) -> bool:
    return value is not None and value.kind == "bool" and value.text == "false"


def _int(value: Value | None) -> str:
    return value.text if value is not None and value.kind == "num" else ""


def _sql_default(value: Value | None) -> str:
    """A server-side default as SQL text."""
    if value is None:
        return ""
    if value.kind == "str":
        return "'" + value.text.replace("'", "''") + "'"
    if value.kind == "call":
        name = _last(value.text)
        if name == "text" and value.args:
            return _str(value.args[0])
        if ".func." in f".{value.text}" or value.text.startswith("func."):
            return f"{name}()"
        return f"{value.text}()"
    if value.kind in ("num", "bool"):
        return value.text
    if value.kind == "null":
        return "null"
    return value.text


def _python_default(value: Value | None) -> str:
    if value is None:
        return ""
    text = value.text or value.kind
    if value.kind == "str":
        text = repr(value.text)
    elif value.kind == "call":
        text = f"{value.text}()"
    return f"python:{text}"


class _Calls:
    """Finds the call record of a nested call: the first later call with that callee."""

    def __init__(self, calls: tuple[Call, ...]) -> None:
        self.calls = calls
        self.by_position = {(c.line, c.column): i for i, c in enumerate(calls)}

    def after(self, outer: Call) -> _Cursor:
        return _Cursor(self.calls, self.by_position[(outer.line, outer.column)] + 1, outer)


class _Cursor:
    def __init__(self, calls: tuple[Call, ...], index: int, outer: Call) -> None:
        self.calls = calls
        self.index = index
        self.outer = outer

    def find(self, callee: str) -> Call | None:
        for i in range(self.index, min(len(self.calls), self.index + 400)):
            if self.calls[i].callee == callee:
                self.index = i + 1
                return self.calls[i]
        return None


def _as_call(value: Value, record: Call | None) -> tuple[tuple[Value, ...], tuple[tuple[str, Value], ...]]:
    """The arguments of a nested call: from its own record (never cut short by the depth
    limit of Values) when found, else from the Value."""
    if record is not None:
        return record.args, record.kwargs
    return value.args, value.items


def _kw(items: Iterable[tuple[str, Value]], name: str) -> Value | None:
    for key, value in items:
        if key == name:
            return value
    return None


def _merge_sql(target: dict[str, list], sql: str, call: Call) -> None:
    """The records of raw SQL run by a migration, located at the call that runs it."""
    from archlint.frontends.sql import extract_sql

    facts = extract_sql(sql.encode("utf-8"))
    line, column = call.line, call.column
    for table in facts.tables:
        target["tables"].append(table._replace(
            columns=tuple(c._replace(line=line, column=column) for c in table.columns),
            foreign_keys=tuple(k._replace(line=line, column=column) for k in table.foreign_keys),
            line=line, column=column))  # fmt: skip
    target["indexes"].extend(i._replace(line=line, column=column) for i in facts.indexes)
    target["added"].extend(AddedColumn(a.table, a.column._replace(line=line, column=column))
                           for a in facts.added_columns)  # fmt: skip
    target["foreign_keys"].extend(k._replace(line=line, column=column) for k in facts.foreign_keys)
    target["drops"].extend(d._replace(line=line, column=column) for d in facts.drops)


def _facts(found: dict[str, list], dialect: str, revision: str = "",
           down_revisions: tuple[str, ...] = ()) -> SchemaFacts:  # fmt: skip
    return SchemaFacts(
        tables=tuple(found["tables"]),
        indexes=tuple(found["indexes"]),
        added_columns=tuple(found["added"]),
        foreign_keys=tuple(found["foreign_keys"]),
        drops=tuple(found["drops"]),
        dialect=dialect,
        revision=revision,
        down_revisions=down_revisions,
    )


def _empty() -> dict[str, list]:
    return {"tables": [], "indexes": [], "added": [], "foreign_keys": [], "drops": []}


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
                                          tuple(keys), False, call.line, call.column))  # fmt: skip


def _index_name(value: Value | None) -> str:
    if value is not None and value.kind == "call" and value.args:  # op.f("ix_x")
        return _str(value.args[0])
    return _str(value)


def _mark(columns: list[Column], primary_key: tuple[str, ...], keys: list[ForeignKey]) -> list[Column]:
    from archlint.frontends.sql import _apply_keys

    return _apply_keys(columns, primary_key, keys)


# --- Django ------------------------------------------------------------------------------

_DJANGO_TYPES = {
    "AutoField": ("integer", True), "BigAutoField": ("bigint", True),
    "SmallAutoField": ("smallint", True), "IntegerField": ("integer", False),
    "BigIntegerField": ("bigint", False), "SmallIntegerField": ("smallint", False),
    "PositiveIntegerField": ("integer", False), "PositiveBigIntegerField": ("bigint", False),
    "PositiveSmallIntegerField": ("smallint", False), "UUIDField": ("uuid", False),
    "TextField": ("text", False), "BinaryField": ("bytea", False),
    "BooleanField": ("boolean", False), "NullBooleanField": ("boolean", False),
    "DateTimeField": ("timestamptz", False), "DateField": ("date", False),
    "TimeField": ("time", False), "DurationField": ("interval", False),
    "FloatField": ("double precision", False), "JSONField": ("jsonb", False),
    "GenericIPAddressField": ("inet", False), "IPAddressField": ("inet", False),
}  # fmt: skip
_DJANGO_CHARS = {"CharField": 0, "SlugField": 50, "EmailField": 254, "URLField": 200,
                 "FileField": 100, "ImageField": 100, "FilePathField": 100}  # fmt: skip
_DJANGO_RELATIONS = ("ForeignKey", "OneToOneField", "ParentalKey")


def _django_table(reference: Value | None) -> str:
    """The table of a model reference: "shop.Order" -> "shop_order",
    settings.AUTH_USER_MODEL -> "auth_user", "Order" -> "{app}_order"."""
    if reference is None:
        return ""
    if reference.kind == "name":
        return "auth_user" if reference.text.endswith("AUTH_USER_MODEL") else ""
    if reference.kind != "str":
        return ""
    app, _, model = reference.text.rpartition(".")
    return f"{app or APP_LABEL}_{model}".lower()


class _Django:
    def __init__(self, facts: CodeFacts) -> None:
        self.facts = facts
        self.calls = _Calls(facts.calls)
        self.found = _empty()
        self.tables: dict[str, str] = {}  # model name (lower) -> table, for this file
        self.columns: dict[tuple[str, str], str] = {}  # (table, field) -> column

    def table(self, model: str) -> str:
        key = model.lower()
        return self.tables.get(key) or f"{APP_LABEL}_{key}"

    def column_of(self, table: str, field: str) -> str:
        return self.columns.get((table, field), field)

    def run(self) -> SchemaFacts:
        for call in self.facts.calls:
            function = self.facts.function(call.scope)
            if function is not None and function.kind != "class":
                continue  # operations are data of the Migration class, not code in a def
            if not (call.callee.startswith("migrations.") or call.callee in _DJANGO_OPERATIONS):
                continue
            operation = _last(call.callee)
            if operation in _DJANGO_OPERATIONS:
                getattr(self, "op_" + operation)(call)
        return _facts(self.found, DIALECT_DJANGO)

    def field(
        self, name: str, value: Value, table: str, cursor: _Cursor
    ) -> tuple[Column | None, list[ForeignKey], list[Index], bool]:
        """A field -> (column, foreign keys, indexes, unique) — column None for fields that
        have none (ManyToManyField, GenericForeignKey)."""
        if value.kind != "call":
            return None, [], [], False
        record = cursor.find(value.text)
        args, kwargs = _as_call(value, record)
        at = record or cursor.outer
        kind = _last(value.text)
        if kind in ("ManyToManyField", "GenericForeignKey", "GenericRelation"):
            return None, [], [], False
        column_name = _str(_kw(kwargs, "db_column")) or name
        references = None
        keys: list[ForeignKey] = []
        indexes: list[Index] = []
        identity = False
        unique = _true(_kw(kwargs, "unique"))
        if kind in _DJANGO_RELATIONS:
            to = _kw(kwargs, "to") or (args[0] if args else None)
            ref_table = _django_table(to)
            ref_column = _str(_kw(kwargs, "to_field")) or "id"
            column_name = _str(_kw(kwargs, "db_column")) or f"{name}_id"
            references = (ref_table, ref_column)
            keys.append(ForeignKey(table, (column_name,), ref_table, (ref_column,), at.line,
                                   at.column))  # fmt: skip
            unique = unique or kind == "OneToOneField"
            type_ = ""
            if not _false(_kw(kwargs, "db_index")) and not unique:
                indexes.append(Index("", table, (column_name,), False, False, at.line, at.column))
        elif kind in _DJANGO_CHARS:
            length = _int(_kw(kwargs, "max_length")) or (str(_DJANGO_CHARS[kind]) if _DJANGO_CHARS[kind] else "")
            type_ = f"varchar({length})" if length else "varchar"
        elif kind == "DecimalField":
            digits, places = _int(_kw(kwargs, "max_digits")), _int(_kw(kwargs, "decimal_places"))
            type_ = f"numeric({digits},{places})" if digits and places else "numeric"
        else:
            type_, identity = _DJANGO_TYPES.get(kind, (kind.removesuffix("Field").lower(), False))
        primary = _true(_kw(kwargs, "primary_key"))
        nullable = _true(_kw(kwargs, "null")) and not primary
        if primary:
            unique = False  # the primary key is its index
        elif _true(_kw(kwargs, "db_index")) and kind not in _DJANGO_RELATIONS:
            indexes.append(Index("", table, (column_name,), False, False, at.line, at.column))
        default = _sql_default(_kw(kwargs, "db_default")) or _python_default(_kw(kwargs, "default"))
        self.columns[(table, name)] = column_name
        column = Column(column_name, type_, primary, nullable, default, references, identity,
                        unique, at.line, at.column)  # fmt: skip
        return column, keys, indexes, unique

    def op_CreateModel(self, call: Call) -> None:
        model = _str(call.arg(0, "name"))
        options = call.arg(2, "options")
        if options is not None and options.kind == "dict":
            if _true(options.get("proxy")) or _false(options.get("managed")):
                return  # no table of its own
            db_table = _str(options.get("db_table"))
            if db_table:
                self.tables[model.lower()] = db_table
        table = self.table(model)
        cursor = self.calls.after(call)
        columns: list[Column] = []
        uniques: list[tuple[str, ...]] = []
        keys: list[ForeignKey] = []
        fields = call.arg(1, "fields")
        for item in fields.args if fields is not None and fields.kind in ("list", "tuple") else ():
            if item.kind != "tuple" or len(item.args) != 2:
                continue
            column, column_keys, indexes, unique = self.field(_str(item.args[0]), item.args[1],
                                                              table, cursor)  # fmt: skip
            if column is None:
                continue
            columns.append(column)
            keys.extend(column_keys)
            self.found["indexes"].extend(indexes)
            if unique:
                uniques.append((column.name,))
        primary_key = tuple(c.name for c in columns if c.primary_key)
        if not primary_key:
            # Django adds an "id" AutoField when no field is the primary key.
            columns.insert(0, Column("id", "bigint", True, False, "", None, True, False,
                                     call.line, call.column))  # fmt: skip
            primary_key = ("id",)
        if options is not None and options.kind == "dict":
            uniques.extend(self.together(table, options.get("unique_together")))
            self.option_indexes(table, options.get("indexes"), cursor, call)
            uniques.extend(self.unique_constraints(table, options.get("constraints"), cursor))
        self.found["tables"].append(Table(table, tuple(columns), primary_key, tuple(uniques),
                                          tuple(keys), False, call.line, call.column))  # fmt: skip

    def together(self, table: str, value: Value | None) -> list[tuple[str, ...]]:
        if value is None:
            return []
        groups = value.args if value.kind in ("list", "tuple", "set") else ()
        if groups and all(g.kind == "str" for g in groups):  # unique_together = ("a", "b")
            groups = (value,)
        return [tuple(self.column_of(table, f) for f in _strs(g)) for g in groups]

    def option_indexes(self, table: str, value: Value | None, cursor: _Cursor, call: Call) -> None:
        for item in value.args if value is not None and value.kind == "list" else ():
            if item.kind == "call" and _last(item.text) == "Index":
                self.index(table, item, cursor, call)

    def index(self, table: str, value: Value, cursor: _Cursor, call: Call) -> None:
        record = cursor.find(value.text)
        args, kwargs = _as_call(value, record)
        at = record or call
        fields = _strs(_kw(kwargs, "fields"))
        columns = tuple(self.column_of(table, f.lstrip("-")) for f in fields)
        if not fields and args:  # Index(Lower("name"), name=...): expressions
            columns = ("",) * len(args)
        partial = _kw(kwargs, "condition") is not None
        self.found["indexes"].append(Index(_str(_kw(kwargs, "name")), table, columns, False,
                                           partial, at.line, at.column))  # fmt: skip

    def unique_constraints(self, table: str, value: Value | None, cursor: _Cursor) -> list[tuple[str, ...]]:
        found = []
        for item in value.args if value is not None and value.kind == "list" else ():
            if item.kind == "call" and _last(item.text) == "UniqueConstraint":
                record = cursor.find(item.text)
                _, kwargs = _as_call(item, record)
                if _kw(kwargs, "condition") is None:
                    found.append(tuple(self.column_of(table, f) for f in _strs(_kw(kwargs, "fields"))))
        return found

    def op_AddField(self, call: Call) -> None:
        table = self.table(_str(call.arg(0, "model_name")))
        name = _str(call.arg(1, "name"))
        value = call.arg(2, "field")
        if value is None:
            return
        column, keys, indexes, unique = self.field(name, value, table, self.calls.after(call))
        if column is None:
            return
        self.found["added"].append(AddedColumn(table, column))
        self.found["foreign_keys"].extend(keys)
        self.found["indexes"].extend(indexes)
        if unique:
            self.found["indexes"].append(Index("", table, (column.name,), True, False,
                                               column.line, column.column))  # fmt: skip

    def op_RemoveField(self, call: Call) -> None:
        table = self.table(_str(call.arg(0, "model_name")))
        name = _str(call.arg(1, "name"))
        self.found["drops"].append(Drop(DROP_COLUMN, table, self.column_of(table, name),
                                        call.line, call.column))  # fmt: skip

    def op_DeleteModel(self, call: Call) -> None:
        table = self.table(_str(call.arg(0, "name")))
        self.found["drops"].append(Drop(DROP_TABLE, table, table, call.line, call.column))

    def op_AddIndex(self, call: Call) -> None:
        table = self.table(_str(call.arg(0, "model_name")))
        value = call.arg(1, "index")
        if value is not None and value.kind == "call":
            self.index(table, value, self.calls.after(call), call)

    def op_RemoveIndex(self, call: Call) -> None:
        table = self.table(_str(call.arg(0, "model_name")))
        self.found["drops"].append(Drop(DROP_INDEX, table, _str(call.arg(1, "name")),
                                        call.line, call.column))  # fmt: skip

    def op_AddConstraint(self, call: Call) -> None:
        table = self.table(_str(call.arg(0, "model_name")))
        value = call.arg(1, "constraint")
        if value is None or value.kind != "call":
            return
        for columns in self.unique_constraints(table, Value("list", "", (value,)), self.calls.after(call)):
            self.found["indexes"].append(Index("", table, columns, True, False, call.line,
                                               call.column))  # fmt: skip

    def op_AlterUniqueTogether(self, call: Call) -> None:
        table = self.table(_str(call.arg(0, "name")))
        for columns in self.together(table, call.arg(1, "unique_together")):
            self.found["indexes"].append(Index("", table, columns, True, False, call.line,
                                               call.column))  # fmt: skip

    def op_RunSQL(self, call: Call) -> None:
        value = call.arg(0, "sql")
        for sql in _strs(value):
            if sql:
                _merge_sql(self.found, sql, call)
