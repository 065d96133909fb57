"""## What it does
Reports a module of the `services` component importing a web framework: `flask`, `fastapi`,
`starlette`, `django.http`, `django.shortcuts`, `rest_framework`, `express`, `koa`,
`fastify`, `@hapi/hapi`, `@nestjs/common` … (the `web_frameworks` library list, extendable
in `[libraries.extend]`).

## Why is this bad?
Services hold the business rules. When they know about requests, responses and HTTP
exceptions, they can only run inside a web request: a CLI command, a queue worker or a test
has to fake one. A framework-agnostic service is tested with a plain function call and
survives a change of framework.

## Example
```python
# app/services/users.py
from fastapi import HTTPException

def get_user(user_id: str) -> User:
    user = repository.get(user_id)
    if user is None:
        raise HTTPException(status_code=404)
    return user
```

## Use instead
```python
# app/services/users.py
class UserNotFound(Exception): ...

def get_user(user_id: str) -> User:
    user = repository.get(user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user
# the route (or an exception handler) turns UserNotFound into a 404
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext

CODE = "AL202"
NAME = "service-imports-web-framework"
SEVERITY = "error"
OPTIONS: dict[str, object] = {}


def check(context: RuleContext) -> Iterator[Finding]:
    services = context.component("services").internal(context.graph)
    frameworks = context.library("web_frameworks")
    for _importer, _imported, site in context.imports_into(services, frameworks):
        yield context.finding(
            site,
            f"service imports the web framework {site.imported}: keep services callable "
            "without a request (raise domain errors, let routes map them to HTTP)",
        )
