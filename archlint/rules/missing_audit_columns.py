"""## What it does
Reports a table created by a migration that lacks audit timestamp columns: by default
`created_at` and `updated_at`. The columns the table has at the end of the migrations count,
so one added by a later `ALTER TABLE … ADD COLUMN` (`op.add_column`, `AddField`) fixes it.
Names are compared without case and underscores (Prisma's `createdAt` is `created_at`).
Set the names with the `columns` option; an entry may list alternatives separated by `|`
(`"created_at|inserted_at"` for Ecto's naming). Pure many-to-many tables (two or more
foreign keys and no other column) are not judged: their rows are only ever inserted and
deleted. The finding is on the table's name in its `CREATE TABLE` (on the `op.create_table(` or
`migrations.CreateModel(` call in a Python migration).

## Why is this bad?
When a row was created and last changed is the first question of every incident, support
ticket, data repair and sync job ("give me what changed since yesterday"), and it cannot be
answered afterwards for the rows that already exist. Two timestamp columns with database
defaults cost almost nothing and make incremental exports, cache invalidation and audits
possible.

## Example
```sql
CREATE TABLE invoices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    amount numeric(12, 2) NOT NULL
);
```

## Use instead
```sql
CREATE TABLE invoices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    amount numeric(12, 2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
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

CODE = "AL702"
NAME = "missing-audit-columns"
SEVERITY = "warning"
# Python migrations (Alembic, Django) are read through their code facts: those of the
# `migrations` component come from the same parse as their imports.
CODE_LAYERS = ("migrations",)
OPTIONS: dict[str, object] = {
    "columns": ["created_at", "updated_at"],
    "exclude": TEST_FILES,
    "exclude_tables": [],
}


def check(context: RuleContext) -> Iterator[Finding]:
    merged = schema(context)
    wanted = [(str(entry).split("|")[0].strip(), column_alternatives(entry))
              for entry in context.options.get("columns", ())]  # fmt: skip
    wanted = [(shown, names) for shown, names in wanted if names]
    if not wanted:
        return
    for state in judged_tables(context, merged):
        if is_link_table(state, merged):
            continue
        present = {name_key(name) for name in state.columns}
        missing = [shown for shown, names in wanted if not present.intersection(names)]
        if not missing:
            continue
        table = state.table
        noun = "column" if len(missing) == 1 else "columns"
        yield context.at(
            state.path, table.line, table.column,
            f"table {state.name} has no {', '.join(missing)} {noun}: record when each row is "
            "created and last changed",
        )  # fmt: skip
