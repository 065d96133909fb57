"""## What it does
Reports a route handler returning an error body with a success status: a `return` in the
handler whose body is error-shaped and whose status is below 400, either given (`return
jsonify(error="..."), 200`, `Response({...}, status=200)`) or left to the default 200
(`return {"error": "..."}`, `JSONResponse({"error": ...})` without `status_code`,
`JsonResponse({"error": ...})`, DRF's `Response(serializer.errors)`).

A body is a dict literal, `dict(...)`, the keywords or first argument of `jsonify(...)`, or
the body argument of `make_response`, `JSONResponse` (and `ORJSONResponse`, `UJSONResponse`),
`Response`, `JsonResponse` (`json.dumps(...)` of one too); a `(body, status)` tuple gives
the status. It is error-shaped when it has a key of the `error_keys` option (`error`,
`errors` …) holding something (not `None`, `False` or empty; a variable only when every key
of the body is an error key, a message, code or status, so `{"data": d, "error": err}`
envelopes are left alone), `"success": False` / `"ok": False`, `"status": "error"` (or
"fail", "failed", "failure"), a `detail` / `message` / `msg` string saying so (the words
"error", "invalid", "not found", "failed", "denied", "unauthorized", "forbidden", "not
allowed", "missing" or "required", but not "no errors" or "success"), or is a variable whose
last name is an error key (`form.errors`).

Not reported: JSON-RPC bodies (a `jsonrpc` key: the protocol answers errors with 200), a
4xx/5xx status (`return {"error": ...}, 400`, `JSONResponse(..., status_code=404)`,
`status=status.HTTP_400_BAD_REQUEST`, `HTTPStatus.NOT_FOUND`), a status that is a variable,
a handler that sets `response.status_code = ...` itself, raising (`raise HTTPException(404)`,
`abort(400)`), and returns of nested defs. The default status is 200, or the `status_code`
of the route decorator (FastAPI).

JavaScript / TypeScript handlers (see `archlint.rules.handlers`), with the same error-shaped
bodies (`{success: false}` …; `errorMessage` / `errorCode` keys too):

* Express / Fastify: a body sent with `res.json(body)`, `res.send(body)`, `res.jsonp(body)`
  or `reply.send(body)` (the handler's response object: its second parameter, or one typed
  `Response` / `FastifyReply`), in the handler or a callback inside it, whose status is below
  400: the status of its own chain (`res.status(200).json(...)`), else the last status the
  handler set on its own before it (`res.status(500);`, `reply.code(404);`,
  `res.statusCode = 404`), else 200. `res.status(400).json({error})` is fine, and so is a
  status that is a variable.
* Koa: `ctx.body = {...}` with the last `ctx.status = ...` before it, else 200.
* NestJS and Fastify send what a handler returns: a returned error body with the
  `@HttpCode(...)` status, else Nest's default (201 for `@Post`, else 200), or the status
  set before it (Fastify `reply.code(...)`). Express ignores returned values.

Files: those of the `layers` option (routes and controllers by default) and, as a
fallback, any other application-layer file in which route handlers are found; tests excluded.

## Why is this bad?
Clients, proxies, retries, caches and monitoring read the status code, not the body. A
`200 {"error": "not found"}` is a success to all of them: it is cached, counted as a good
request on every dashboard, never retried or alerted on, and each client has to parse the
body to find out that the call failed.

## Example
```python
@app.get("/users/<int:user_id>")
def get_user(user_id):
    user = users.find(user_id)
    if user is None:
        return jsonify(error="user not found")
    return jsonify(user.to_dict())
```

## Use instead
```python
@app.get("/users/<int:user_id>")
def get_user(user_id):
    user = users.find(user_id)
    if user is None:
        return jsonify(error="user not found"), 404
    return jsonify(user.to_dict())
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archlint.codefacts import Call, CodeFacts, Function, Value
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.handlers import (
    HANDLER_CODE_LAYERS,
    HANDLER_LAYERS,
    Handler,
    descendants,
    handler_files,
    is_javascript,
    last,
    type_name,
)
from archlint.rules.scope import TEST_FILES

CODE = "AL402"
NAME = "error-with-success-status"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = HANDLER_CODE_LAYERS
OPTIONS: dict[str, object] = {
    "layers": HANDLER_LAYERS,
    "exclude": TEST_FILES,
    "error_keys": ["error", "errors", "err", "error_message", "error_code", "error_description",
                   "errorMessage", "errorCode"],
}

# Response constructors, by last name: (body position, body keywords, status position or
# -1, status keywords). Flask, Starlette/FastAPI, Django and Django REST framework.
_RESPONSES: dict[str, tuple[int, tuple[str, ...], int, tuple[str, ...]]] = {
    "make_response": (0, (), 1, ()),
    "JSONResponse": (0, ("content",), 1, ("status_code",)),
    "ORJSONResponse": (0, ("content",), 1, ("status_code",)),
    "UJSONResponse": (0, ("content",), 1, ("status_code",)),
    "Response": (0, ("response", "content", "data"), 1, ("status", "status_code")),
    "JsonResponse": (0, ("data",), -1, ("status",)),
}
_DUMPS = frozenset({"json.dumps", "dumps", "orjson.dumps", "ujson.dumps"})
_MESSAGE_KEYS = frozenset({"detail", "message", "msg"})
_FLAG_KEYS = frozenset({"success", "ok"})
_STATUS_KEYS = frozenset({"status", "result"})
_FAILED = frozenset({"error", "fail", "failed", "failure"})
_ERROR_WORDS = re.compile(
    r"\b(errors?|invalid|not found|failed|denied|unauthori[sz]ed|forbidden|not allowed|"
    r"missing|required)\b", re.IGNORECASE)
_NOT_ERROR = re.compile(r"\b(no|without) errors?\b|success", re.IGNORECASE)
_ENVELOPE = _MESSAGE_KEYS | _FLAG_KEYS | _STATUS_KEYS | {"code"}
_HTTP_NAME = re.compile(r"HTTP_([0-9]{3})(_|$)")
_HTTP_STATUS = {"OK": 200, "CREATED": 201, "ACCEPTED": 202, "NO_CONTENT": 204}


def _response(value: Value) -> tuple[Value | None, Value | None]:
    """(body, status) of a returned value; status None when it is not given."""
    while value.kind == "await" and value.args:
        value = value.args[0]
    if value.kind == "tuple" and value.args:
        body, status = _response(value.args[0])
        return body, value.args[1] if len(value.args) > 1 else status
    if value.kind != "call":
        return value, None
    name = last(value.text)
    if name == "jsonify":
        if value.args:
            return value.args[0], None
        return Value("dict", "", (), tuple(i for i in value.items if i[0] != "**")), None
    shape = _RESPONSES.get(name)
    if shape is None:
        return value, None
    body_at, body_keys, status_at, status_keys = shape
    body = value.args[body_at] if body_at < len(value.args) else None
    for key in body_keys:
        body = body or value.get(key)
    status = value.args[status_at] if 0 <= status_at < len(value.args) else None
    for key in status_keys:
        status = status or value.get(key)
    if body is not None and body.kind in ("tuple", "call") and name == "make_response":
        inner, inner_status = _response(body)
        return inner, status or inner_status
    if body is not None and body.kind == "call" and body.text in _DUMPS and body.args:
        body = body.args[0]
    return body, status


def _code(status: Value) -> int | None:
    """The status code a Value names, None when it is not a known one."""
    if status.kind == "num" and status.text.isdigit():
        return int(status.text)
    if status.kind == "name":
        match = _HTTP_NAME.search(last(status.text))
        if match:
            return int(match.group(1))
        if "HTTPStatus." in status.text or status.text.startswith(
            ("codes.", "HttpStatus.", "StatusCodes.")  # the last two: NestJS, http-status-codes
        ):
            return _HTTP_STATUS.get(last(status.text).upper())
    return None


def _holds(value: Value, envelope_only: bool) -> bool:
    """Whether an error key's value is an actual error."""
    if value.kind in ("null", "other") or value.text == "false" and value.kind == "bool":
        return False
    if value.kind == "str":
        return value.text != ""
    if value.kind in ("list", "tuple", "set", "dict"):
        return bool(value.args or value.items)
    if value.kind == "name":
        return envelope_only
    return True


def _why(body: Value, error_keys: frozenset[str]) -> str | None:
    """Why a body is error-shaped, None when it is not."""
    if body.kind == "name":
        return body.text if last(body.text) in error_keys else None
    if body.kind != "dict" and (body.kind, body.text) != ("call", "dict"):
        return None
    items = body.items
    if any(key == "jsonrpc" for key, _ in items):
        return None  # JSON-RPC answers its errors with 200, by its specification
    envelope_only = all(key in error_keys or key in _ENVELOPE for key, _ in items)
    for key, value in items:
        if key in error_keys and _holds(value, envelope_only):
            return f'an "{key}" key'
        if key in _FLAG_KEYS and value == Value("bool", "false"):
            return f'"{key}": False'
        if key in _STATUS_KEYS and value.kind == "str" and value.text.lower() in _FAILED:
            return f'"{key}": "{value.text}"'
        if (key in _MESSAGE_KEYS and value.kind in ("str", "fstr")
                and _ERROR_WORDS.search(value.text) and not _NOT_ERROR.search(value.text)):
            return f'an error "{key}"'
    return None


def _default(facts: CodeFacts, handler: Handler) -> tuple[int | None, str]:
    """The handler's status when a return gives none: (code or None if set elsewhere, how)."""
    function = facts.functions[handler.function]
    for decorator in function.decorators:
        given = decorator.get("status_code") if decorator.kind == "call" else None
        if given is not None:
            return _code(given), "the route's default"
    for assign in facts.assigns:
        if assign.scope == handler.function and last(assign.target) in ("status_code", "status"):
            return None, ""  # response.status_code = 404: set by the handler
    return 200, "the default"


# --- JavaScript / TypeScript ---------------------------------------------------------------

_SENDS = frozenset({"json", "send", "jsonp"})  # Express res.json/send/jsonp, Fastify reply.send
_SETS_STATUS = frozenset({"status", "code"})  # res.status(404), reply.code(404)
_RESPONSE_TYPES = frozenset({"Response", "FastifyReply", "ServerResponse", "Reply"})
_CHAIN = re.compile(r"([\w$]+)((?:\.[\w$]+\(\))*)\.([\w$]+)")
_LINK = re.compile(r"\.([\w$]+)\(\)")


def _responses(function: Function, framework: str) -> set[str]:
    """The names of a JS handler's response object: its second parameter (Express `res`,
    Fastify `reply`; not Koa's `next`), and parameters typed `Response` / `FastifyReply`
    (NestJS `@Res() res: Response`)."""
    params = function.params
    names = {p.name for p in params if type_name(p.annotation) in _RESPONSE_TYPES}
    if framework != "nestjs" and len(params) >= 2 and params[1].name != "next":
        names.add(params[1].name)
    return names


class _JsHandler:
    """Where one JS/TS handler (with the callbacks nested in it) sets a status and answers."""

    def __init__(self, facts: CodeFacts, handler: Handler) -> None:
        self.facts = facts
        self.handler = handler
        self.function = facts.functions[handler.function]
        self.scopes = descendants(facts, handler.function)
        # the calls of the handler by position: a chain's calls share one
        self.at: dict[tuple[int, int], dict[str, Call]] = {}
        for call in facts.calls:
            if call.scope in self.scopes:
                self.at.setdefault((call.line, call.column), {}).setdefault(call.callee, call)
        params = self.function.params
        koa = params and (params[0].name == "ctx" or handler.framework == "koa")
        self.context = params[0].name if koa else ""
        self.responses = _responses(self.function, handler.framework)
        # (line, column, status Value) of the statements that set a status on their own:
        # `res.status(404);`, `reply.code(404);`, `res.statusCode = 404`, `ctx.status = 404`.
        self.statuses: list[tuple[int, int, Value | None]] = []
        for (line, column), chain in self.at.items():
            for callee, call in chain.items():
                root, dot, name = callee.rpartition(".")
                if dot and root in self.responses and name in _SETS_STATUS and not any(
                    other.startswith(callee + "().") for other in chain
                ):
                    self.statuses.append((line, column, call.arg(0)))
        for assign in facts.assigns:
            root, dot, name = assign.target.rpartition(".")
            if assign.scope in self.scopes and dot and (
                (root in self.responses and name == "statusCode")
                or (root == self.context and name == "status")
            ):
                self.statuses.append((assign.line, assign.column, assign.value))
        self.statuses.sort(key=lambda item: (item[0], item[1]))

    def set_before(self, line: int, column: int) -> tuple[bool, Value | None]:
        """(whether the handler set a status on its own before this point, the last one)."""
        found = [s for s in self.statuses if (s[0], s[1]) < (line, column)]
        return (True, found[-1][2]) if found else (False, None)

    def default(self) -> tuple[int | None, str]:
        """The status of a NestJS / Fastify return: @HttpCode, else 201 for a Nest POST,
        else 200."""
        for decorator in self.function.decorators:
            if last(decorator.text) == "HttpCode" and decorator.kind == "call" and decorator.args:
                return _code(decorator.args[0]), "@HttpCode"
        if self.handler.framework == "nestjs" and self.handler.methods == ("POST",):
            return 201, "the default for POST"
        return 200, "the default"

    def bodies(self) -> Iterator[tuple[int, int, str, str, Value, bool, Value | None]]:
        """(line, column, verb, how it answers, body, whether a status is given, the status)
        of what the handler answers: the values NestJS and Fastify handlers return,
        `res.json(body)` / `res.send(body)` / `reply.send(body)` with the status of their own
        chain (`res.status(404).json(...)`), and Koa's `ctx.body = body`."""
        if self.handler.framework in ("nestjs", "fastify"):  # they send what the handler returns
            for returned in self.facts.returns:
                if returned.scope == self.handler.function and returned.value is not None:
                    body = returned.value
                    while body.kind == "await" and body.args:
                        body = body.args[0]
                    yield returned.line, returned.column, "returns", "return", body, False, None
        for (line, column), chain in self.at.items():
            for callee, call in chain.items():
                match = _CHAIN.fullmatch(callee)
                if (match is None or match.group(1) not in self.responses
                        or match.group(3) not in _SENDS or not call.args):
                    continue
                root, links = match.group(1), _LINK.findall(match.group(2))
                body, given, status = call.args[0], False, None
                if len(call.args) > 1 and call.args[0].kind == "num":  # res.send(404, body)
                    body, given, status = call.args[1], True, call.args[0]
                for position in range(len(links) - 1, -1, -1):  # the last .status() counts
                    if not given and links[position] in _SETS_STATUS:
                        text = root + "".join(f".{n}()" for n in links[:position])
                        setter = chain.get(f"{text}.{links[position]}")
                        given, status = True, setter.arg(0) if setter is not None else None
                yield line, column, "sends", f"{root}.{match.group(3)}", body, given, status
        for assign in self.facts.assigns:
            if (self.context and assign.scope in self.scopes and assign.value is not None
                    and assign.target == self.context + ".body"):
                yield assign.line, assign.column, "sets", self.context, assign.value, False, None


def _javascript(facts: CodeFacts, handler: Handler, error_keys: frozenset[str]
                ) -> Iterator[tuple[int, int, str]]:
    """(line, column, message) of each error body a JS/TS handler answers with a success."""
    js = _JsHandler(facts, handler)
    for line, column, verb, how, body, given, status in js.bodies():
        why = _why(body, error_keys)
        if why is None:
            continue
        why = why.replace(": False", ": false")
        if not given:
            given, status = js.set_before(line, column)
        if given:
            code = _code(status) if status is not None else None
            said = f"status {code}"
        elif verb == "returns":
            code, how = js.default()
            said = f"status {code} ({how})"
        else:
            code, said = 200, "status 200 (the default)"
        if code is None or code >= 400:
            continue
        if verb == "returns":
            fix = "return a 4xx/5xx status (or throw an HTTP error)"
        elif verb == "sets":
            fix = f"set {how}.status to a 4xx/5xx code (or {how}.throw(...))"
        else:
            root, _, method = how.partition(".")
            setter = "code" if handler.framework == "fastify" else "status"
            fix = f"send it with a 4xx/5xx status ({root}.{setter}(404).{method}(...))"
        yield line, column, (
            f"{verb} an error body ({why}) with {said}: {fix} so that clients and monitoring "
            "see the failure"
        )


def check(context: RuleContext) -> Iterator[Finding]:
    error_keys = frozenset(str(key) for key in context.options["error_keys"])
    for path, facts, handlers in handler_files(context):
        checked: set[int] = set()
        for handler in handlers:
            if handler.function < 0 or handler.function in checked:
                continue
            checked.add(handler.function)
            if is_javascript(path):
                for line, column, message in _javascript(facts, handler, error_keys):
                    yield context.at(path, line, column, message)
                continue
            for returned in facts.returns:
                if returned.scope != handler.function or returned.value is None:
                    continue
                body, status = _response(returned.value)
                why = _why(body, error_keys) if body is not None else None
                if why is None:
                    continue
                if status is None:
                    code, how = _default(facts, handler)
                    said = f"status {code} ({how})"
                else:
                    code, said = _code(status), f"status {_code(status)}"
                if code is None or code >= 400:
                    continue
                yield context.at(
                    path, returned.line, returned.column,
                    f"returns an error body ({why}) with {said}: return a 4xx/5xx status "
                    "(or raise an HTTP error) so that clients and monitoring see the failure",
                )  # fmt: skip
