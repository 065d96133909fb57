"""## What it does
Reports a table created by a migration that has no soft-delete column: by default
`deleted_at`. Any one of the names in the `columns` option is enough (`["deleted_at",
"archived_at"]`), compared without case and underscores (`deletedAt`); a column added by a
later migration counts. Pure many-to-many tables (two
or more foreign keys and no other column) are not judged. Off by default: enable it for
projects whose data must never be lost by a `DELETE` (`[rules.missing-soft-delete]
enabled = true`), and list the tables that may be purged in `exclude_tables`.

## Why is this bad?
A hard `DELETE` is final: the row, and everything that cascades from it, is gone, and
"restore the customer I deleted by mistake" becomes a restore of last night's backup. With
a `deleted_at` timestamp a deletion is an update that can be undone, audited and purged
later on purpose; queries filter on `deleted_at IS NULL` (a partial index keeps that fast).

## Example
```sql
CREATE TABLE customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL
);
```

## Use instead
```sql
CREATE TABLE customers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    deleted_at timestamptz
);
CREATE UNIQUE INDEX customers_email_live ON customers (email) WHERE deleted_at IS NULL;
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.schema_scope import (
    column_alternatives,
    is_link_table,
    judged_tables,
    name_key,
    schema,
)
from archlint.rules.scope import TEST_FILES

CODE = "AL703"
NAME = "missing-soft-delete"
SEVERITY = "info"
ENABLED = False
# Python migrations (Alembic, Django) are read through their code facts: those of the
# `migrations` component come from the same parse as their imports.
CODE_LAYERS = ("migrations",)
OPTIONS: dict[str, object] = {
    "columns": ["deleted_at"],
    "exclude": TEST_FILES,
    "exclude_tables": [],
}


def check(context: RuleContext) -> Iterator[Finding]:
    merged = schema(context)
    entries = [str(entry).strip() for entry in context.options.get("columns", ()) if str(entry).strip()]
    names = {name for entry in entries for name in column_alternatives(entry)}
    if not names:
        return
    shown = " or ".join(entries) if len(entries) <= 3 else "soft-delete"
    for state in judged_tables(context, merged):
        if is_link_table(state, merged):
            continue
        if names.intersection(name_key(name) for name in state.columns):
            continue
        table = state.table
        yield context.at(
            state.path, table.line, table.column,
            f"table {state.name} has no {shown} column: a DELETE loses its rows for good; "
            "mark them deleted instead",
        )  # fmt: skip
