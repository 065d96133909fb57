"""## What it does
Reports a module of the application layers other than the repositories (the `routes`,
`controllers`, `services`, `middleware` and `validators` components) importing a database
client or ORM: `sqlalchemy`, `psycopg`, `asyncpg`, `pymongo`, `django.db`, `pg`, `mysql2`,
`mongoose`, `@prisma/client`, `knex`, `typeorm`, `sequelize`, `drizzle-orm` … (the
`db_clients` library list, extendable in `[libraries.extend]`). Which layers are checked is
the `layers` option.

## Why is this bad?
All queries belong in repositories. A service or a route handler that builds its own
queries ties business rules to the schema, cannot be tested without a database, and spreads
the knowledge of tables across the code base, so that a schema change means hunting for
SQL everywhere.

## Example
```python
# app/services/orders.py
from sqlalchemy import select

def open_orders(session):
    return session.execute(select(Order).where(Order.status == "open")).scalars().all()
```

## Use instead
```python
# app/repositories/orders.py
class OrderRepository:
    def open_orders(self) -> list[Order]:
        return self.session.execute(select(Order).where(Order.status == "open")).scalars().all()

# app/services/orders.py
def open_orders(orders: OrderRepository) -> list[Order]:
    return orders.open_orders()
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext

CODE = "AL203"
NAME = "db-access-outside-repository"
SEVERITY = "error"
OPTIONS: dict[str, object] = {
    "layers": ["routes", "controllers", "services", "middleware", "validators"],
}


def check(context: RuleContext) -> Iterator[Finding]:
    layers = [str(name) for name in context.options["layers"]]
    checked = context.component(*layers).internal(context.graph)
    checked -= context.component("repositories").internal(context.graph)
    clients = context.library("db_clients")
    for _importer, _imported, site in context.imports_into(checked, clients):
        yield context.finding(
            site,
            f"imports the database client {site.imported} outside the repositories: "
            "move the queries into a repository and call it",
        )
