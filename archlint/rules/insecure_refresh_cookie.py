"""## What it does
Reports a refresh-token cookie set without all three of HttpOnly, Secure and
SameSite=Strict, in Python and in JavaScript / TypeScript. The message lists what is
missing ("missing HttpOnly and SameSite=Strict").

* Python: `*.set_cookie(key, value, ...)` (the `calls` option): Flask/Werkzeug,
  Starlette/FastAPI and Django share the signature, so `httponly=True`, `secure=True` and
  `samesite="Strict"` (any case) are read by keyword or at their positions there (`secure`
  7th, `httponly` 8th, `samesite` 9th).
* JS/TS (the `javascript_calls` option): Express `res.cookie(name, value, options)`, Fastify
  `reply.setCookie(...)`, Koa `ctx.cookies.set(...)`, Next.js `cookies().set(...)`,
  `cookieStore.set(...)` and `response.cookies.set(...)` (also their one-object form
  `cookies().set({ name, value, ...options })`): the options object needs `httpOnly: true`,
  `secure: true` and `sameSite: 'strict'` (any case; `true` means strict in Express and
  Next.js). An options object the file does not define (a parameter, an import) or one with
  `...spread` entries is not read; a module constant of the same file is. Where a library
  sets HttpOnly by default (Koa's `ctx.cookies`, the `httponly_by_default` option), leaving
  it out is fine.

A cookie is a refresh-token cookie when its name says so (a string holding `refresh`, or a
module constant of the same file holding one, or a name such as `REFRESH_COOKIE_NAME`), or
when its value is named like one (`refresh_token`, `tokens.refresh`,
`create_refresh_token(user)`, `tokens.refreshToken`): a word of the `refresh_words` option.
Other cookies (a theme, `csrftoken`, the session) are not this rule's business. Not
reported: clearing the cookie (an empty value, `max_age=0`, `expires=0`, `maxAge: 0`,
`expires: new Date(0)`), a flag given as an expression (`secure=not settings.DEBUG`,
`secure: process.env.NODE_ENV === 'production'`: set from the configuration, trusted), and
calls with `**options` / `...options` (the flags may be in there). The files are every
project file (the `layers` option, `"*"`), tests excluded.

## Why is this bad?
A refresh token lives for days and mints new access tokens: it is the most valuable token
a browser holds. Without HttpOnly any injected script (XSS, a compromised npm package) can
read it and send it away; without Secure it travels over plain HTTP; without
SameSite=Strict other sites can make the browser send it along (CSRF against the refresh
endpoint). The refresh endpoint is called by the app itself, from its own origin, so Strict
costs nothing.

## Example
```python
@router.post("/login")
def login(response: Response, form: LoginForm):
    tokens = auth.login(form.username, form.password)
    response.set_cookie("refresh_token", tokens.refresh, secure=True)
    return {"access_token": tokens.access}
```
```ts
router.post("/login", async (req, res) => {
  const tokens = await auth.login(req.body);
  res.cookie("refresh_token", tokens.refresh, { secure: true });
  res.json({ accessToken: tokens.access });
});
```

## Use instead
```python
@router.post("/login")
def login(response: Response, form: LoginForm):
    tokens = auth.login(form.username, form.password)
    response.set_cookie(
        "refresh_token", tokens.refresh,
        httponly=True, secure=True, samesite="strict", path="/auth/refresh",
    )
    return {"access_token": tokens.access}
```
```ts
res.cookie("refresh_token", tokens.refresh, {
  httpOnly: true, secure: true, sameSite: "strict", path: "/auth/refresh",
});
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.codefacts import Call, Value
from archlint.findings import Finding
from archlint.rules.auth_scope import (
    AUTH_EXCLUDE,
    AUTH_LAYERS,
    is_javascript,
    module_constants,
    options_argument,
    project_code,
    resolve,
    words,
)
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matches_any

CODE = "AL304"
NAME = "insecure-refresh-cookie"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # the files whose code facts it reads
# ...of those, only files that mention one of these can hold what it looks for
CODE_TRIGGERS = (b"set_cookie", b"cookie", b"Cookie")
OPTIONS: dict[str, object] = {
    "layers": AUTH_LAYERS,
    "exclude": AUTH_EXCLUDE,
    "calls": ["*.set_cookie"],
    "javascript_calls": [
        "*.cookie", "*.setCookie", "cookies().set", "*.cookies().set", "*.cookies.set",
        "cookieStore.set", "*.cookieStore.set",
    ],
    "httponly_by_default": ["ctx.cookies.set", "*.ctx.cookies.set"],
    "refresh_words": ["refresh"],
}  # fmt: skip

# (keyword, position in set_cookie(key, value, max_age, expires, path, domain, secure,
# httponly, samesite), label, whether a literal value satisfies it)
_FLAGS = (
    ("httponly", 7, "HttpOnly", lambda v: v.kind == "bool" and v.text == "true"),
    ("secure", 6, "Secure", lambda v: v.kind == "bool" and v.text == "true"),
    ("samesite", 8, "SameSite=Strict", lambda v: v.kind == "str" and v.text.lower() == "strict"),
)
_LITERALS = ("str", "bytes", "bool", "null", "num")
# JS options: (key, label, whether a literal value satisfies it)
_JS_FLAGS = (
    ("httpOnly", "HttpOnly", lambda v: v.kind == "bool" and v.text == "true"),
    ("secure", "Secure", lambda v: v.kind == "bool" and v.text == "true"),
    ("sameSite", "SameSite=Strict", lambda v: (v.kind == "str" and v.text.lower() == "strict")
     or (v.kind == "bool" and v.text == "true")),
)
_ZERO = ("0", "-1", "0.0")


def _says_refresh(value: Value | None, constants: dict[str, Value], refresh: set[str]) -> bool:
    """Whether a cookie name or value reads as a refresh token."""
    if value is None:
        return False
    resolved = resolve(value, constants) or value
    if resolved.kind in ("str", "fstr") and any(word in resolved.text.lower() for word in refresh):
        return True  # "refresh_token", or REFRESH = "refresh_token"
    if value.kind in ("name", "call"):  # REFRESH_COOKIE, tokens.refresh, create_refresh_token()
        return any(word in refresh for word in words(value.text.rpartition(".")[2] or value.text))
    return False


def _clears(call: Call) -> bool:
    """Whether the call deletes the cookie: an empty value, or max_age / expires 0."""
    value = call.arg(1, "value")
    if value is not None and value.kind == "str" and value.text == "":
        return True
    for keyword, position in (("max_age", 2), ("expires", 3)):
        given = call.arg(position, keyword)
        if given is not None and given.kind == "num" and given.text in ("0", "-1", "0.0"):
            return True
    return False


def _missing(call: Call, constants: dict[str, Value]) -> list[str]:
    missing = []
    for keyword, position, label, satisfied in _FLAGS:
        given = resolve(call.arg(position, keyword), constants)
        if given is None or (given.kind in _LITERALS and not satisfied(given)):
            missing.append(label)
    return missing


def _listed(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _js_cookie(call: Call, constants: dict[str, Value]
               ) -> tuple[Value | None, Value | None, Value | None]:
    """(name, value, options) of a JS cookie call; options None when they cannot be read."""
    first = call.args[0] if call.args else None
    if first is not None and first.kind == "dict" and len(call.args) == 1:  # set({ name, … })
        if any(key == "**" for key, _ in first.items):
            return first.get("name"), first.get("value"), None
        return first.get("name"), first.get("value"), first
    value = call.args[1] if len(call.args) > 1 else None
    return first, value, options_argument(call, 2, constants)


def _js_clears(value: Value | None, options: Value) -> bool:
    """An empty value, `maxAge: 0`, `expires: 0` or `expires: new Date(0)`."""
    if value is not None and value.kind == "str" and value.text == "":
        return True
    for key in ("maxAge", "expires"):
        given = options.get(key)
        if given is not None and given.kind == "num" and given.text in _ZERO:
            return True
        if (given is not None and given.kind == "call" and given.text == "Date"
                and given.args and given.args[0].kind == "num" and given.args[0].text in _ZERO):
            return True
    return False


def _js_missing(options: Value, constants: dict[str, Value], httponly_default: bool) -> list[str]:
    missing = []
    for key, label, satisfied in _JS_FLAGS:
        given = resolve(options.get(key), constants)
        if given is None and key == "httpOnly" and httponly_default:
            continue
        if given is None or (given.kind in _LITERALS and not satisfied(given)):
            missing.append(label)
    return missing


def _is_refresh(name: Value | None, value: Value | None, constants: dict[str, Value],
                refresh: set[str]) -> bool:
    return _says_refresh(name, constants, refresh) or (
        value is not None and value.kind in ("name", "call")
        and _says_refresh(value, constants, refresh)
    )


def _shown(name: Value | None) -> str:
    if name is not None and name.kind == "str":
        return repr(name.text)
    return name.text if name is not None and name.text else "cookie"


def _python_findings(call: Call, constants: dict[str, Value], refresh: set[str]) -> list[str] | None:
    """What a `set_cookie` call misses (None: not a refresh cookie or not read)."""
    if any(key == "**" for key, _ in call.kwargs) or any(a.kind == "star" for a in call.args):
        return None
    name, value = call.arg(0, "key"), call.arg(1, "value")
    if not _is_refresh(name, value, constants, refresh) or _clears(call):
        return None
    return _missing(call, constants)


def check(context: RuleContext) -> Iterator[Finding]:
    options = context.options
    patterns = [str(p) for p in options["calls"]]
    js_patterns = [str(p) for p in options["javascript_calls"]]
    httponly_default = [str(p) for p in options["httponly_by_default"]]
    refresh = {str(word).lower() for word in options["refresh_words"]}
    for _module, path, facts in project_code(context):
        constants = module_constants(facts)
        javascript = is_javascript(path)
        for call in facts.calls:
            if javascript:
                if not matches_any(call.callee, js_patterns):
                    continue
                name, value, cookie_options = _js_cookie(call, constants)
                if cookie_options is None or not _is_refresh(name, value, constants, refresh):
                    continue
                if _js_clears(value, cookie_options):
                    continue
                default = matches_any(call.callee, httponly_default)
                missing = _js_missing(cookie_options, constants, default)
                how = ("set httpOnly: true (no script can read it), secure: true (HTTPS only) "
                       "and sameSite: 'strict' (no other site can send it)")
            else:
                if not matches_any(call.callee, patterns):
                    continue
                name = call.arg(0, "key")
                found = _python_findings(call, constants, refresh)
                if found is None:
                    continue
                missing = found
                how = ('set httponly=True (no script can read it), secure=True (HTTPS only) and '
                       'samesite="strict" (no other site can send it)')
            if missing:
                yield context.at(
                    path, call.line, call.column,
                    f"refresh-token cookie {_shown(name)} is missing {_listed(missing)}: {how}",
                )
