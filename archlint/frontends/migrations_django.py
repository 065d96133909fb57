"""The Django reader of the Python migration frontend: ``migrations.*`` operations, model
fields and options, tables named ``{app}_<model>``."""

from __future__ import annotations

from archlint.codefacts import Call, CodeFacts, Value
from archlint.frontends.migrations_values import (
    _DJANGO_OPERATIONS,
    _as_call,
    _Calls,
    _Cursor,
    _empty,
    _facts,
    _false,
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
    APP_LABEL,
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
