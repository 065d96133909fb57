"""Shared helpers of the Python migration readers: :class:`~archlint.codefacts.Value`
summaries as strings and defaults, nested call lookup, raw SQL and the records collected."""

from __future__ import annotations

from collections.abc import Iterable

from archlint.codefacts import Call, Value
from archlint.schema import (
    AddedColumn,
    SchemaFacts,
)

_DJANGO_OPERATIONS = frozenset({
    "CreateModel", "AddField", "RemoveField", "DeleteModel", "AddIndex", "RemoveIndex",
    "AddConstraint", "AlterUniqueTogether", "RunSQL",
})  # fmt: skip
_ALEMBIC_OPERATIONS = frozenset({
    "create_table", "add_column", "create_index", "create_unique_constraint",
    "create_primary_key", "create_foreign_key", "drop_table", "drop_index", "drop_column",
    "execute",
})  # fmt: skip


def _last(text: str) -> str:
    return text.rpartition(".")[2]


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
