"""## What it does
Reports a foreign key whose columns no index starts with. An index covers a foreign key
when its first columns are exactly the key's columns, in any order: an index on
`(customer_id, created_at)` covers `customer_id`, one on `(created_at, customer_id)` does
not. The table's primary key and its UNIQUE constraints are indexes too (a join table whose
primary key is `(order_id, product_id)` covers `order_id` but not `product_id`). Indexes
created by any migration of the project count, later ones included, unless a later
migration drops them; partial indexes (`WHERE …`) and expression indexes do not. Keys in
MySQL files are not judged: InnoDB creates the index itself. Django's `ForeignKey` creates
its index unless `db_index=False`; Alembic's `sa.ForeignKey` does not (`index=True` or
`op.create_index` does). The finding is on the foreign key (its `REFERENCES` or
`FOREIGN KEY` clause).

## Why is this bad?
PostgreSQL (like SQLite and SQL Server) indexes the referenced primary key, never the
referencing column. Without an index, every delete or key update in the parent table scans
the whole child table to check the constraint (while holding locks), `ON DELETE CASCADE`
scans it again, and the most common join of the schema — parent to children — is a
sequential scan. It is fast with a thousand rows and an outage with ten million.

## Example
```sql
CREATE TABLE orders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES customers (id)
);
```

## Use instead
```sql
CREATE TABLE orders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id uuid NOT NULL REFERENCES customers (id)
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.schema_scope import quoted, schema
from archlint.rules.scope import TEST_FILES

CODE = "AL705"
NAME = "unindexed-foreign-key"
SEVERITY = "warning"
# Python migrations (Alembic, Django) are read through their code facts: those of the
# `migrations` component come from the same parse as their imports.
CODE_LAYERS = ("migrations",)
OPTIONS: dict[str, object] = {"exclude": TEST_FILES}

# Dialects whose engine indexes foreign keys itself (InnoDB).
SELF_INDEXING = frozenset({"mysql", "mariadb"})


def check(context: RuleContext) -> Iterator[Finding]:
    merged = schema(context)
    for path, key, dialect in merged.foreign_keys:
        if dialect in SELF_INDEXING or not key.columns or not all(key.columns):
            continue
        if merged.covered(key.table, key.columns):
            continue
        columns = ", ".join(key.columns)
        target = key.ref_table + (f"({', '.join(key.ref_columns)})" if key.ref_columns else "")
        sql = f"CREATE INDEX ON {quoted(key.table)} ({', '.join(map(quoted, key.columns))})"
        yield context.at(
            path, key.line, key.column,
            f"foreign key {key.table}({columns}) -> {target} has no index: deletes in "
            f"{key.ref_table} and joins scan {key.table}; {sql}",
        )  # fmt: skip
