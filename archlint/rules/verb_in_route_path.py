"""## What it does
Reports a route whose path names an action instead of a resource: a static segment whose
first word is a verb of the `verbs` option (`/getUser`, `/users/get_all`, `/posts/create`,
`/deleteUser/{id}`). Segments are split into words at camelCase, `_`, `-` and `.`, and only
whole words count, so `settings`, `updates`, `listings`, `address` or `download` are nouns
and fine. An action on one item by POST, the last segment right after a path parameter of a
POST-only route (`POST /posts/{id}/publish`), is a fine way to model an action and is not
reported, and neither are HTML pages (handlers calling one of `page_calls`, such as
`render_template`: `GET /posts/{id}/edit` showing a form is a page, not an API). Paths are
the handlers' full paths with router prefixes when the file shows them
(see `archlint.rules.handlers`); Django views, whose URLs live in `urls.py`, have none yet.
One finding per handler and segment, on the handler's `def`.

JavaScript / TypeScript routes (Express, Koa, Fastify, NestJS: see `archlint.rules.handlers`)
are checked the same way, with `:id` parameters (`POST /posts/:id/publish` is an action on
one item) and Express's `res.render(...)` or Nest's `@Render()` as pages; a route registered
by a call (`router.get("/getAll", list)`) is reported at the call.

Files: those of the `layers` option (routes and controllers by default) and, as a
fallback, any other application-layer file in which route handlers are found; tests excluded.

## Why is this bad?
In a REST API the HTTP method is the verb and the path is the noun. `/getUser` next to
`/deleteUser` duplicates what `GET` and `DELETE` already say, grows one endpoint per
operation, and hides the resource model that clients, caches and API tooling rely on
(`GET` responses are cacheable and safe to retry, `POST /getUser` is neither).

## Example
```python
@router.get("/users/getAll")
def get_all_users(): ...

@router.post("/users/create")
def create_user(user: UserIn): ...
```

## Use instead
```python
@router.get("/users")
def list_users(): ...

@router.post("/users", status_code=201)
def create_user(user: UserIn): ...

@router.post("/posts/{post_id}/publish")  # an action on one item: fine
def publish_post(post_id: int): ...
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.handlers import (
    HANDLER_CODE_LAYERS,
    HANDLER_LAYERS,
    PAGE_CALLS,
    describe,
    handler_files,
    page_handlers,
    segments,
    where,
    words,
)
from archlint.rules.scope import TEST_FILES

CODE = "AL401"
NAME = "verb-in-route-path"
SEVERITY = "warning"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = HANDLER_CODE_LAYERS
OPTIONS: dict[str, object] = {
    "layers": HANDLER_LAYERS,
    "exclude": TEST_FILES,
    "page_calls": PAGE_CALLS,
    "verbs": [
        "get", "fetch", "list", "retrieve", "find", "load", "create", "add", "insert", "make",
        "save", "update", "edit", "modify", "set", "delete", "remove", "destroy", "do",
    ],
}  # fmt: skip


def check(context: RuleContext) -> Iterator[Finding]:
    verbs = {str(verb).lower() for verb in context.options["verbs"]}
    for path, facts, handlers in handler_files(context):
        pages = page_handlers(facts, context.options["page_calls"])
        reported: set[tuple[int, int, int, str]] = set()
        for handler in handlers:
            if handler.path is None or handler.function in pages:
                continue
            parts = segments(handler.path)
            for position, (text, parameter) in enumerate(parts):
                found = words(text) if not parameter else []
                if not found or found[0] not in verbs:
                    continue
                if (handler.methods == ("POST",) and position == len(parts) - 1
                        and position > 0 and parts[position - 1][1]):
                    continue  # POST /posts/{id}/publish: an action on one item
                key = (handler.function, handler.route_line, handler.route_column, text)
                if key not in reported:
                    reported.add(key)
                    yield context.at(
                        path, *where(handler),
                        f'route {describe(handler)} has the verb "{found[0]}" in its path '
                        f'(segment "{text}"): name the resource and let the HTTP method be '
                        "the verb",
                    )  # fmt: skip
                break
