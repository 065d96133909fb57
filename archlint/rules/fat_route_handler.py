"""## What it does
Reports a route handler that does more than HTTP: one with more statements than
`max_statements` (nested ones included) or more lines than `max_lines` (from the `def` to
its end, decorators not counted), or one whose own calls mix more than one of these
concerns:

* validation: a call matching `validation_calls` (`*.validate`, `*.model_validate`,
  `*.is_valid`, `*Schema().load`, raising `ValidationError` / `BadRequest` …), or one of
  `bad_request_calls` (`abort`, `HTTPException`) with status 400 or 422;
* database access: a call matching `database_calls` (`*.query`, `*.execute`,
  `*.objects.*`, `*.commit`, `db.*`, `session.add` …);
* outside I/O: a call matching `io_calls` (`requests.*`, `httpx.*`, `smtplib.*`, `open`,
  `boto3.*` …);
* response formatting: a returned body, or a call matching `response_calls` (`jsonify`,
  `JSONResponse`, `make_response`, `render_template` …), with more than `max_response_keys`
  keys (dict keys and keyword arguments, nested dicts included; status, headers and media
  type keywords not counted).

Patterns match callee text (`*` matches any text); only the handler's own calls count, not
those of the functions it calls: moving work into a service is the fix. Dicts built into a
local variable first are not seen (only returned values and call arguments are). One finding
per handler, on its `def`.

JavaScript / TypeScript handlers (Express, Koa, Fastify, NestJS: see
`archlint.rules.handlers`) are read the same way, with the JS patterns of the same options
(`schema.validate`, zod's `safeParse`, `res.status(400)`; Prisma, knex, `pool.query`,
Mongoose/Sequelize/TypeORM finders; `fs.*`, nodemailer's `sendMail`, SendGrid; `res.json`,
`reply.send` …), plus: the calls of the callbacks inside the handler count as its own; a
call of the `url_calls` option (`fetch`, `axios` …) is outside I/O only when its URL is
absolute (a literal `https://…`, a template starting with a base URL `${API_URL}/…`, or an
environment variable; a relative "/api/…" or a plain variable is not); a call whose first
argument is an inline function (`users.find(u => …)`) is an array method, no database access;
Koa's `ctx.body = {...}` is a response body. An inline handler is named by its route.

Files: those of the `layers` option (routes and controllers by default) and, as a
fallback, any other application-layer file in which route handlers are found; tests excluded.

## Why is this bad?
A handler that validates, queries, calls other systems and formats the answer is the
whole use case, welded to one framework: it cannot be reused from a CLI, a queue worker or
another endpoint, and it can only be tested through HTTP with a real database. Thin
handlers (parse the request, call one service, shape the response) keep the business
logic where it can be tested and reused.

## Example
```python
@app.post("/orders")
def create_order():
    errors = OrderSchema().validate(request.json)
    if errors:
        return jsonify(errors=errors), 400
    order = Order(**request.json)
    db.session.add(order)
    db.session.commit()
    return jsonify({"id": order.id, "status": order.status, "total": order.total,
                    "items": len(order.items), "created": order.created.isoformat(),
                    "customer": order.customer_id})
```

## Use instead
```python
@app.post("/orders")
def create_order():
    data = OrderSchema().load(request.json)  # raises ValidationError -> 400 handler
    order = orders.create(data)               # the service owns the transaction
    return OrderSchema().dump(order), 201
```
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from archlint.codefacts import Call, CodeFacts, Value
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.handlers import (
    HANDLER_CODE_LAYERS,
    HANDLER_LAYERS,
    Handler,
    absolute_url,
    calls_by_scope,
    descendants,
    handler_files,
    is_javascript,
    title,
)
from archlint.rules.patterns import matcher
from archlint.rules.scope import TEST_FILES

CODE = "AL204"
NAME = "fat-route-handler"
SEVERITY = "warning"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = HANDLER_CODE_LAYERS
OPTIONS: dict[str, object] = {
    "layers": HANDLER_LAYERS,
    "exclude": TEST_FILES,
    "max_statements": 15,
    "max_lines": 40,
    "max_response_keys": 5,
    "validation_calls": [
        "*.validate", "*.model_validate", "*.model_validate_json", "*.parse_obj",
        "*.parse_raw", "*.is_valid", "*.validate_on_submit", "*Schema().load",
        "*Schema().loads", "ValidationError", "*.ValidationError", "BadRequest",
        "*.BadRequest", "RequestValidationError",
        # JS/TS: Joi, Yup, Zod, express-validator, class-validator, NestJS
        "*.validateAsync", "*.validateSync", "*.safeParse", "*.safeParseAsync", "*Schema.parse",
        "*schema.parse", "*Schema.parseAsync", "*schema.parseAsync", "validationResult",
        "validate", "validateOrReject", "BadRequestException", "UnprocessableEntityException",
    ],
    "bad_request_calls": ["abort", "*.abort", "HTTPException", "*.HTTPException",
                          "res.status", "response.status", "reply.code", "reply.status",
                          "ctx.throw"],
    "database_calls": [
        "*.query", "*.query.*", "*.execute", "*.executemany", "*.scalars", "*.scalar",
        "*.objects.*", "*.find", "*.find_one", "*.insert_one", "*.insert_many",
        "*.update_one", "*.update_many", "*.delete_one", "*.delete_many", "*.aggregate",
        "*.raw", "*.commit", "*.rollback", "*.cursor", "*session.add", "*session.add_all",
        "*session.delete", "*session.merge", "*session.refresh", "*session.flush", "db.*",
        "get_object_or_404", "get_list_or_404",
        # JS/TS: Prisma, knex, MongoDB, Mongoose, Sequelize, TypeORM (pg's pool.query: *.query)
        "*prisma.*.find*", "*prisma.*.create*", "*prisma.*.update*", "*prisma.*.upsert",
        "*prisma.*.delete*", "*prisma.*.count", "*prisma.*.aggregate", "*prisma.*.groupBy",
        "*prisma.$*", "knex", "knex.*", "knex().*", "*.knex", "*.knex.*", "*.knex().*",
        "*.collection().*", "*.findOne", "*.findById", "*.findAll", "*.findByPk",
        "*.findOneBy", "*.findBy", "*.findMany", "*.findUnique", "*.findFirst",
        "*.findOneAndUpdate", "*.findByIdAndUpdate", "*.findByIdAndDelete",
        "*.countDocuments", "*.insertMany", "*.bulkCreate", "*.createQueryBuilder",
    ],
    "io_calls": [
        "requests.*", "httpx.*", "aiohttp.*", "urllib.request.*", "urlopen", "urllib3.*",
        "smtplib.*", "send_mail", "open", "boto3.*", "*.put_object", "*.get_object",
        "*.upload_file", "*.upload_fileobj", "*.download_file", "subprocess.*",
        # JS/TS: files, mail (nodemailer, SendGrid, SES, Postmark), S3, child processes
        "fs.*", "fsPromises.*", "*.sendMail", "sgMail.send", "sgMail.sendMultiple",
        "*.sendEmail", "*.putObject", "*.getObject", "child_process.*", "execSync",
    ],
    # JS/TS HTTP clients: outside I/O when the URL is absolute (see handlers.absolute_url).
    "url_calls": ["fetch", "axios", "axios.*", "got", "got.*", "ky", "ky.*", "superagent.*",
                  "needle", "undici.*", "ofetch", "$fetch"],
    "response_calls": [
        "jsonify", "*.jsonify", "make_response", "JSONResponse", "*.JSONResponse",
        "JsonResponse", "Response", "render_template", "render", "*.TemplateResponse",
        # JS/TS: Express, Fastify, Hono, Next.js
        "res.json", "res.send", "res.status().json", "res.status().send", "reply.send",
        "reply.code().send", "reply.status().send", "c.json", "NextResponse.json",
        "Response.json",
    ],
}  # fmt: skip

_BAD_REQUEST = frozenset({"400", "422"})
# Keywords of response calls that are no part of the body.
_NOT_BODY = frozenset({"status", "status_code", "code", "headers", "media_type", "mimetype",
                       "content_type", "background", "request", "template_name", "using"})  # fmt: skip


def _keys(value: Value, responses: Callable[[str], bool]) -> int:
    """How many keys a body has: dict keys and a response call's body keywords, nested ones
    included."""
    kind = value.kind
    if kind == "dict":
        return sum(1 + _keys(item, responses) if key != "**" else 0 for key, item in value.items)
    if kind in ("list", "tuple", "set", "await", "op"):
        return max((_keys(item, responses) for item in value.args), default=0)
    if kind == "call" and (value.text == "dict" or responses(value.text)):
        keywords = sum(
            (0 if item.kind == "dict" else 1) + _keys(item, responses)
            for key, item in value.items if key not in _NOT_BODY and key != "**"
        )  # fmt: skip
        return keywords + sum(_keys(item, responses) for item in value.args)
    return 0


# Which option lists a callee matches, as bits (see _Concerns.flags).
_VALIDATION, _BAD_REQUEST_CALL, _DATABASE, _IO, _URL, _RESPONSE = (1 << i for i in range(6))


class _Concerns:
    def __init__(self, options: dict) -> None:
        self.validation = matcher([str(p) for p in options["validation_calls"]])
        self.bad_request = matcher([str(p) for p in options["bad_request_calls"]])
        self.database = matcher([str(p) for p in options["database_calls"]])
        self.io = matcher([str(p) for p in options["io_calls"]])
        self.urls = matcher([str(p) for p in options["url_calls"]])
        self.responses = matcher([str(p) for p in options["response_calls"]])
        self.max_keys = int(options["max_response_keys"])
        self._flags: dict[str, int] = {}  # callee -> flags: callee texts repeat across files

    def flags(self, callee: str) -> int:
        known = self._flags.get(callee)
        if known is None:
            known = self._flags[callee] = (
                (_VALIDATION if self.validation(callee) else 0)
                | (_BAD_REQUEST_CALL if self.bad_request(callee) else 0)
                | (_DATABASE if self.database(callee) else 0)
                | (_IO if self.io(callee) else 0)
                | (_URL if self.urls(callee) else 0)
                | (_RESPONSE if self.responses(callee) else 0)
            )
        return known

    def of(self, call: Call, javascript: bool = False) -> str | None:
        callee = call.callee
        flags = self.flags(callee)
        if not flags:
            return None
        if flags & _VALIDATION:
            return "validation"
        if flags & _BAD_REQUEST_CALL:
            status = call.arg(0, "status_code") or call.kwarg("code")
            if status is not None and status.kind == "num" and status.text in _BAD_REQUEST:
                return "validation"
        first = call.arg(0)
        if javascript and first is not None and first.kind == "function":
            pass  # users.find(u => ...): an array method, whatever the pattern says
        elif flags & _DATABASE:
            return "database access"
        elif flags & _IO or (javascript and flags & _URL and absolute_url(call)):
            return "outside I/O"
        if flags & _RESPONSE:
            value = Value("call", callee, call.args, call.kwargs)
            if _keys(value, self.responses) > self.max_keys:
                return "response formatting"
        return None

    def in_handler(self, facts: CodeFacts, handler: Handler, calls: Sequence[Call],
                   javascript: bool = False) -> list[str]:
        found = {self.of(call, javascript) for call in calls}
        for returned in facts.returns:
            value = returned.value
            if returned.scope == handler.function and value is not None and (
                _keys(value, self.responses) > self.max_keys
            ):
                found.add("response formatting")
        if javascript:  # Koa: ctx.body = {...}
            scopes = descendants(facts, handler.function)
            for assign in facts.assigns:
                if (assign.scope in scopes and assign.target.endswith(".body")
                        and assign.value is not None
                        and _keys(assign.value, self.responses) > self.max_keys):
                    found.add("response formatting")
        order = ("validation", "database access", "outside I/O", "response formatting")
        return [concern for concern in order if concern in found]


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def check(context: RuleContext) -> Iterator[Finding]:
    max_statements = int(context.options["max_statements"])  # type: ignore[call-overload]
    max_lines = int(context.options["max_lines"])  # type: ignore[call-overload]
    concerns = _Concerns(dict(context.options))
    for path, facts, handlers in handler_files(context):
        javascript = is_javascript(path)
        by_scope = calls_by_scope(facts)
        checked: set[int] = set()
        for handler in handlers:
            if handler.function < 0 or handler.function in checked:
                continue
            checked.add(handler.function)
            function = facts.functions[handler.function]
            calls: Sequence[Call] = by_scope.get(handler.function, ())
            if javascript:  # JS callbacks are functions, and part of the handler's work
                calls = [c for s in sorted(descendants(facts, handler.function))
                         for c in by_scope.get(s, ())]  # fmt: skip
            reasons = []
            if function.statements > max_statements:
                reasons.append(f"has {function.statements} statements (limit {max_statements})")
            lines = function.end_line - function.line + 1
            if lines > max_lines:
                reasons.append(f"spans {lines} lines (limit {max_lines})")
            mixed = concerns.in_handler(facts, handler, calls, javascript)
            if len(mixed) > 1:
                reasons.append(f"mixes {_listed(mixed)}")
            if reasons:
                yield context.at(
                    path, handler.line, handler.column,
                    f"route handler {title(handler)} {_listed(reasons)}: keep it to HTTP "
                    "(read the request, call a service, shape the response) and move the "
                    "rest into services",
                )  # fmt: skip
