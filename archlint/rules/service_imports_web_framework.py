"""## What it does
Reports a module of the `services` component importing a web framework: `flask`, `fastapi`,
`starlette`, `django.http`, `django.shortcuts`, `rest_framework`, `express`, `koa`,
`fastify`, `@hapi/hapi`, `@nestjs/common` … (the `web_frameworks` library list, extendable
in `[libraries.extend]`).

It also reports a function or method of a service taking a parameter annotated with a web
framework's request or response type (the `request_types` option, matched on each dotted
name of the annotation: `Request`, `HttpRequest`, `flask.Request`,
`starlette.requests.Request`, `Optional[Response]`, `JSONResponse`, `WebSocket` …), at the
`def`, whether or not the type's import is in the same file (a string annotation, a
re-export). A bare name that the file defines as a class or imports from the project
itself (`from app.models import Response`, a survey's response) is the project's own type,
not the framework's.

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

import re
from collections.abc import Iterator

from archlint.codefacts import KIND_CLASS, CodeFacts
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matcher

CODE = "AL202"
NAME = "service-imports-web-framework"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = ("services",)  # the files whose code facts it reads
OPTIONS: dict[str, object] = {
    "request_types": [
        # Flask / Werkzeug
        "flask.Request", "flask.Response", "werkzeug.Request", "werkzeug.Response",
        "werkzeug.wrappers.Request", "werkzeug.wrappers.Response",
        # FastAPI / Starlette
        "Request", "Response", "WebSocket", "JSONResponse", "ORJSONResponse", "UJSONResponse",
        "HTMLResponse", "PlainTextResponse", "RedirectResponse", "StreamingResponse",
        "FileResponse", "fastapi.*Request", "fastapi.*Response", "fastapi.WebSocket",
        "fastapi.responses.*", "starlette.requests.*", "starlette.responses.*",
        "starlette.websockets.WebSocket",
        # Django / Django REST framework
        "HttpRequest", "WSGIRequest", "ASGIRequest", "HttpResponse", "HttpResponseBase",
        "JsonResponse", "StreamingHttpResponse", "django.http.*", "http.HttpRequest",
        "http.HttpResponse", "rest_framework.request.Request",
        "rest_framework.response.Response",
        # aiohttp
        "web.Request", "web.Response", "aiohttp.web.Request", "aiohttp.web.Response",
    ],
}  # fmt: skip

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def _own_names(context: RuleContext, module: str, facts: CodeFacts) -> set[str]:
    """Names the project itself defines for this file: its classes and what it imports
    from project modules."""
    graph = context.graph
    names = {f.name for f in facts.functions if f.kind == KIND_CLASS}
    for imported in graph.successors(module):
        node = graph.nodes.get(imported)
        if node is None or node.external:
            continue
        for site in graph.sites(module, imported):
            names.add(site.imported.rpartition(".")[2])
    return names


class _WebTypes:
    """The web framework types an annotation may name, remembered per annotation text
    (``user_id: int`` and ``db: Session`` repeat across a project)."""

    def __init__(self, types: list[str]) -> None:
        self.match = matcher(types)
        self.known: dict[str, list[str]] = {}

    def candidates(self, annotation: str) -> list[str]:
        """The dotted names of an annotation that match a type, in order."""
        known = self.known.get(annotation)
        if known is None:
            known = self.known[annotation] = [
                name for name in _DOTTED.findall(annotation) if self.match(name)
            ]
        return known


def _request_params(context: RuleContext) -> Iterator[Finding]:
    types = _WebTypes([str(t) for t in context.options["request_types"]])
    for module, path in context.files("services"):
        facts = context.code(path)
        if facts is None:
            continue
        own: set[str] = set()
        own_known = False
        for function in facts.functions:
            if function.kind == KIND_CLASS:
                continue
            for param in function.params:
                candidates = types.candidates(param.annotation) if param.annotation else ()
                if not candidates:
                    continue
                if not own_known and any("." not in name for name in candidates):
                    own, own_known = _own_names(context, module, facts), True
                # A bare name the project defines is its own type, not the framework's.
                found = next((n for n in candidates if "." in n or n not in own), None)
                if found is None:
                    continue
                yield context.at(
                    path, function.line, function.column,
                    f"service function {function.qualname}() takes {param.name}: "
                    f"{param.annotation}, a web framework type: pass it the values it needs "
                    "(ids, a dataclass, a validated model) so that it runs without a request",
                )
                break  # one finding per function


def check(context: RuleContext) -> Iterator[Finding]:
    services = context.component("services").internal(context.graph)
    frameworks = context.library("web_frameworks")
    for _importer, _imported, site, names in context.import_lines(services, frameworks):
        yield context.finding(
            site,
            f"service imports the web framework {names}: keep services callable "
            "without a request (raise domain errors, let routes map them to HTTP)",
        )
    yield from _request_params(context)
