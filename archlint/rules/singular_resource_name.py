"""## What it does
Reports a collection named in the singular: the first static segment of a route path, after
an optional `api` segment and version segment (`/api/v1/`), when a path parameter follows it
(`/user/{id}`, `/api/v1/order/<int:id>/lines`: it names a collection whose items the
parameter picks) and its last word is singular. Off by default: enable it in the config or
select it.

Singular means: the word does not end in "s" (or ends in "ss": `address`, `class`) and is no
irregular plural (`people`, `children`, `data`, `media` …). Words of the `allow` option are
never reported (singletons and non-collections: `me`, `auth`, `search`, `status`, `health` …;
uncountable nouns: `staff`, `feedback`, `info` …). Segments without a parameter after them
(`/profile`, `/cart`) are singleton resources, fine in the singular, and HTML pages
(handlers calling one of `page_calls`, such as `render_template`: `/blog/<slug>`) are not
API collections. A router mounted elsewhere
with more prefix (see `archlint.rules.handlers`) may shift which segment is the collection; Django
views have no paths yet. One finding per file and segment, on the first handler using it.

JavaScript / TypeScript routes (Express `:id`, NestJS `@Controller("user")` + `@Get(":id")`)
are checked the same way; a route registered by a call is reported at the call.

Files: those of the `layers` option (routes and controllers by default) and, as a
fallback, any other application-layer file in which route handlers are found; tests excluded.

## Why is this bad?
`/users` is the collection and `/users/42` one member of it: the plural reads the same for
both and is what clients and API guidelines expect. Mixing `/user/42` with `/orders/7`
makes every client guess which form each endpoint uses.

## Example
```python
@router.get("/user/{user_id}")
def get_user(user_id: int): ...
```

## Use instead
```python
@router.get("/users/{user_id}")
def get_user(user_id: int): ...
```
"""

from __future__ import annotations

import re
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

CODE = "AL404"
NAME = "singular-resource-name"
SEVERITY = "info"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
ENABLED = False
CODE_LAYERS = HANDLER_CODE_LAYERS
OPTIONS: dict[str, object] = {
    "layers": HANDLER_LAYERS,
    "exclude": TEST_FILES,
    "page_calls": PAGE_CALLS,
    "allow": [
        "me", "self", "health", "auth", "oauth", "login", "logout", "signup", "register",
        "search", "status", "admin", "api", "graphql", "static", "media", "download", "upload",
        "callback", "webhook", "preview", "config", "info", "metadata", "staff", "feedback",
        "inventory", "software", "equipment", "content", "history", "data",
    ],
}  # fmt: skip

_PREFIXES = re.compile(r"api|rest|v[0-9]+(\.[0-9]+)*", re.IGNORECASE)
_PLURALS = frozenset({
    "people", "children", "men", "women", "data", "media", "criteria", "feet", "teeth",
    "mice", "geese", "indices", "matrices", "vertices", "analyses", "series", "species", "news",
})  # fmt: skip


def _singular(word: str) -> bool:
    if word in _PLURALS:
        return False
    return not word.endswith("s") or word.endswith("ss")


def _plural(word: str) -> str:
    if word.lower().endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def check(context: RuleContext) -> Iterator[Finding]:
    allow = {str(word).lower() for word in context.options["allow"]}
    for path, facts, handlers in handler_files(context):
        pages = page_handlers(facts, context.options["page_calls"])
        reported: set[str] = set()
        for handler in handlers:
            if handler.path is None or handler.function in pages:
                continue
            parts = segments(handler.path)
            position = 0
            while position < len(parts) and not parts[position][1] and _PREFIXES.fullmatch(
                parts[position][0]
            ):
                position += 1
            if position + 1 >= len(parts) or parts[position][1] or not parts[position + 1][1]:
                continue  # no collection: nothing, a parameter first, or no parameter after it
            segment = parts[position][0]
            found = words(segment)
            if not found or not found[-1].isalpha() or segment in reported:
                continue
            word = found[-1]
            if word in allow or segment.lower() in allow or not _singular(word):
                continue
            reported.add(segment)
            cut = len(segment) - len(word)
            plural = segment[:cut] + _plural(segment[cut:]) if segment.lower().endswith(word) else (
                _plural(word)
            )
            yield context.at(
                path, *where(handler),
                f'collection "{segment}" in route {describe(handler)} is singular: name '
                f'collections in the plural ("{plural}")',
            )  # fmt: skip
