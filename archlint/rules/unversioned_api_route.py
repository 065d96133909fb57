"""## What it does
Reports an API route whose path has no version segment: no part of the full path matches
the `pattern` option (a regular expression searched in the path; by default a `v1`, `v2`,
`v2.1` … segment, so `/v1/users` and `/api/v1/users` are versioned). Off by default: enable
it in the config or select it.

Only paths known in full are checked: routes registered on the application object, or on a
router or blueprint mounted on it in the same file (see `archlint.rules.handlers`). A router
built in this file but mounted elsewhere, or imported, gets its version where it is mounted,
which the file does not show: its routes are not reported. Not API routes either: paths
matching the `ignore` globs (health checks, docs, static files, `/`), and handlers that
render HTML pages (a call matching `page_calls`, e.g. `render_template`). Django views have
no paths yet (their URLs live in `urls.py`).

JavaScript / TypeScript: Express / Koa / Fastify routes registered on the application
(`express()`, `fastify()`, an `app`), or on a router mounted on it in the same file
(`app.use("/api/v1", router)`, `app.register(plugin, {prefix})`), reported at the
registration call. NestJS routes are never known in full (the global prefix and the
versioning are set in `main.ts`): not reported.

Files: those of the `layers` option (routes and controllers by default) and, as a
fallback, any other application-layer file in which route handlers are found; tests excluded.

## Why is this bad?
An API without a version cannot change incompatibly: every client, including mobile apps
that users never update, breaks the day a field is renamed. With `/v1/` in the path, `/v2/`
can ship next to it and `/v1/` be retired on a schedule.

## Example
```python
app = FastAPI()

@app.get("/users/{user_id}")
def get_user(user_id: int): ...
```

## Use instead
```python
app = FastAPI()
router = APIRouter(prefix="/v1")

@router.get("/users/{user_id}")
def get_user(user_id: int): ...

app.include_router(router)
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatchcase

from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.handlers import (
    HANDLER_CODE_LAYERS,
    HANDLER_LAYERS,
    PAGE_CALLS,
    describe,
    handler_files,
    page_handlers,
    where,
)
from archlint.rules.scope import TEST_FILES

CODE = "AL403"
NAME = "unversioned-api-route"
SEVERITY = "warning"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
ENABLED = False
CODE_LAYERS = HANDLER_CODE_LAYERS
OPTIONS: dict[str, object] = {
    "layers": HANDLER_LAYERS,
    "exclude": TEST_FILES,
    "pattern": r"(^|/)v[0-9]+(\.[0-9]+)*(/|$)",
    "ignore": [
        "/", "/health*", "/ready*", "/live*", "/ping", "/status", "/metrics", "/version",
        "/docs*", "/redoc*", "/openapi.json", "/swagger*", "/favicon.ico", "/robots.txt",
        "/static/*",
    ],
    "page_calls": PAGE_CALLS,
}  # fmt: skip


def check(context: RuleContext) -> Iterator[Finding]:
    pattern = re.compile(str(context.options["pattern"]))
    ignore = [str(glob) for glob in context.options["ignore"]]
    for path, facts, handlers in handler_files(context):
        pages = page_handlers(facts, context.options["page_calls"])
        for handler in handlers:
            route = handler.path
            if route is None or not handler.complete or handler.function in pages:
                continue
            if pattern.search(route):
                continue
            trimmed = route.rstrip("/") or "/"
            if any(fnmatchcase(trimmed, glob) or fnmatchcase(route, glob) for glob in ignore):
                continue
            yield context.at(
                path, *where(handler),
                f"API route {describe(handler)} has no version in its path: serve it under "
                "a version prefix (/v1/..., /api/v1/...) so that it can change without "
                "breaking clients",
            )  # fmt: skip
