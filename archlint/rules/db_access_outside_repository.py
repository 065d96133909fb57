"""## What it does
Reports database access outside the repositories: a module of the other application layers
importing a database client or running a query. The layers checked are the `layers` option
(the `routes`, `controllers`, `services`, `middleware` and `validators` components); what
counts:

* importing a database client or ORM: `sqlalchemy`, `psycopg`, `asyncpg`, `pymongo`,
  `django.db`, `pg`, `mysql2`, `mongoose`, `@prisma/client`, `knex`, `typeorm`,
  `sequelize`, `drizzle-orm` … (the `db_clients` library list, extendable in
  `[libraries.extend]`);
* running a query, one finding per call (test files skipped):
  * Python: `session.query(...)`, `session.execute(...)`, `session.scalars(...)` /
    `scalar(...)` on any session (`db.session`, `self.session`), Django's
    `Model.objects.*(...)` (on a capitalised model, `self.model` or `get_user_model()`),
    `cursor.execute(...)` / `executemany(...)`;
  * JavaScript / TypeScript: Prisma (`prisma.user.findMany(...)`, `this.prisma.$queryRaw`,
    `db.user.create(...)`), a SQL client's `pool.query(...)` / `client.query(...)`, knex
    (`knex("users").where(...)`, `knex.raw(...)`, `db("users")`), TypeORM query builders
    and MongoDB collections (`db.collection("users").findOne(...)`): the default
    `javascript_calls` and `javascript_query_builders` of `n-plus-one-query` (AL501).
    Model methods (`User.findOne(...)`, a TypeORM `usersRepository.save(...)`) are not
    reported here: a repository object is what services should call.

One finding per line: a chained query (`User.objects.filter(...).first()`,
`knex("users").where(...)`) is one, at its start. The query patterns are fixed (not
options).

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

from collections.abc import Iterable, Iterator

from archlint.codefacts import Call
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.handlers import is_javascript
from archlint.rules.n_plus_one_query import (
    JAVASCRIPT_CALLS,
    JAVASCRIPT_QUERY_BUILDERS,
    JsQueries,
)
from archlint.rules.patterns import matcher
from archlint.rules.scope import application_code

CODE = "AL203"
NAME = "db-access-outside-repository"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # reads the code facts of the files in these components
# A file mentioning none of these runs no query the rule knows: it is not parsed for it.
CODE_TRIGGERS = (b"query", b"execute", b"scalar", b"objects", b"prisma", b"knex", b"db(",
                 b"db.", b"trx(", b"QueryBuilder", b"collection(")  # fmt: skip
OPTIONS: dict[str, object] = {
    "layers": ["routes", "controllers", "services", "middleware", "validators"],
}
# Python query calls (callee text; `*` matches any text).
PYTHON_CALLS = [
    "*session.query", "*session.execute", "*session.scalars", "*session.scalar",
    "[A-Z]*.objects.*", "*.model.objects.*", "*_model().objects.*",
    "*cursor.execute", "*cursor.executemany", "*cursor().execute", "*cursor().executemany",
]  # fmt: skip


def check(context: RuleContext) -> Iterator[Finding]:
    layers = [str(name) for name in context.options["layers"]]
    checked = context.component(*layers).internal(context.graph)
    checked -= context.component("repositories").internal(context.graph)
    clients = context.library("db_clients")
    lines: set[tuple[str, int]] = set()  # one finding per line: an import, or a query
    for _importer, _imported, site in context.imports_into(checked, clients):
        lines.add((site.path, site.line))
        yield context.finding(
            site,
            f"imports the database client {site.imported} outside the repositories: "
            "move the queries into a repository and call it",
        )
    repositories = {path for _module, path in context.files("repositories")}
    python = matcher(PYTHON_CALLS)
    javascript = JsQueries(JAVASCRIPT_CALLS, JAVASCRIPT_QUERY_BUILDERS, (), models=False)
    for path, facts in application_code(context):
        if path in repositories:
            continue
        calls: Iterable[Call] = (
            javascript.of(facts) if is_javascript(path)
            else (call for call in facts.calls if python(call.callee))
        )  # fmt: skip
        for call in calls:
            if (path, call.line) in lines:
                continue  # a().b() is one query; an import and a query are one line's finding
            lines.add((path, call.line))
            yield context.at(
                path, call.line, call.column,
                f"queries the database ({call.callee}()) outside the repositories: move the "
                "query into a repository and call it",
            )  # fmt: skip
