"""## What it does
Reports presentation code (the `ui`, `features`, `hooks` and `stores` components: the
`layers` option; add `frontend` for a single-page app where all of it runs in the browser)
importing a database, cache or object-storage client (`pg`, `mysql2`, `mongoose`,
`@prisma/client`, `redis`, `ioredis`, `knex`, `typeorm`, `sequelize`, `drizzle-orm`,
`@aws-sdk/client-s3`, `sqlalchemy`, `psycopg`, `pymongo`, `boto3` …) or a backend
repository module. The lists are the `db_clients`, `cache_clients` and `storage_clients`
libraries, extendable in `[libraries.extend]`.

## Why is this bad?
In a layered architecture the presentation layer talks to the application layer (an API),
never to the data layer. A component that opens a database connection ships credentials to
the browser or couples the UI to the schema, and bypasses the validation, authorisation and
business rules that live in the services.

## Example
```ts
// web/src/components/features/UserList.tsx
import { Pool } from "pg";
const users = await new Pool().query("select * from users");
```

## Use instead
```ts
import { useUsers } from "@/hooks/useUsers";  // which calls the API through lib/api.ts
const { data: users } = useUsers();
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext

CODE = "AL201"
NAME = "presentation-imports-data-layer"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
# Not all of `frontend` by default: a Next.js server component or action may use the data
# layer by design; these parts always run in the browser.
OPTIONS: dict[str, object] = {"layers": ["ui", "features", "hooks", "stores"]}

_LIBRARIES = ("db_clients", "cache_clients", "storage_clients")


def check(context: RuleContext) -> Iterator[Finding]:
    layers = [str(name) for name in context.options["layers"]]
    presentation = context.component(*layers).internal(context.graph)
    clients = context.library(*_LIBRARIES)
    repositories = context.component("repositories")
    for _importer, imported, site, names in context.import_lines(presentation, clients | repositories):
        what = (
            "the repository module"
            if imported in repositories.nodes
            else "the data-layer client"
        )
        yield context.finding(
            site,
            f"presentation code imports {what} {names}: the frontend reaches the "
            "data layer only through the API",
        )
