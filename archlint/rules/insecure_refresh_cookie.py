"""## What it does
Reports a refresh-token cookie set without all three of `httponly=True`, `secure=True` and
`samesite="Strict"` (any case). The calls are `*.set_cookie(key, value, ...)` (the `calls`
option): Flask/Werkzeug, Starlette/FastAPI and Django share the signature, so the flags
are read by keyword or at their positions there (`secure` 7th, `httponly` 8th, `samesite`
9th). The message lists what is missing ("missing HttpOnly and SameSite=Strict").

A cookie is a refresh-token cookie when its name says so (a string holding `refresh`, or a
module constant of the same file holding one, or a name such as `REFRESH_COOKIE_NAME`), or
when its value is named like one (`refresh_token`, `tokens.refresh`,
`create_refresh_token(user)`): a word of the `refresh_words` option. Other cookies (a theme,
`csrftoken`, the session) are not this rule's business. Not reported: clearing the cookie
(an empty value, `max_age=0`, `expires=0`), a flag given as an expression (`secure=not
settings.DEBUG`: set from the configuration, trusted), and calls with `**options` (the flags
may be in there). The files are every project file (the `layers` option, `"*"`), tests
excluded.

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
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.codefacts import Call, Value
from archlint.findings import Finding
from archlint.rules.auth_scope import (
    AUTH_EXCLUDE,
    AUTH_LAYERS,
    module_constants,
    project_code,
    resolve,
    words,
)
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matches_any

CODE = "AL304"
NAME = "insecure-refresh-cookie"
SEVERITY = "error"
CODE_LAYERS = "layers"  # the files whose code facts it reads
# ...of those, only files that mention one of these can hold what it looks for
CODE_TRIGGERS = (b"set_cookie",)
OPTIONS: dict[str, object] = {
    "layers": AUTH_LAYERS,
    "exclude": AUTH_EXCLUDE,
    "calls": ["*.set_cookie"],
    "refresh_words": ["refresh"],
}

# (keyword, position in set_cookie(key, value, max_age, expires, path, domain, secure,
# httponly, samesite), label, whether a literal value satisfies it)
_FLAGS = (
    ("httponly", 7, "HttpOnly", lambda v: v.kind == "bool" and v.text == "true"),
    ("secure", 6, "Secure", lambda v: v.kind == "bool" and v.text == "true"),
    ("samesite", 8, "SameSite=Strict", lambda v: v.kind == "str" and v.text.lower() == "strict"),
)
_LITERALS = ("str", "bytes", "bool", "null", "num")


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


def check(context: RuleContext) -> Iterator[Finding]:
    patterns = [str(p) for p in context.options["calls"]]
    refresh = {str(word).lower() for word in context.options["refresh_words"]}
    for _module, path, facts in project_code(context):
        constants = module_constants(facts)
        for call in facts.calls:
            if not matches_any(call.callee, patterns):
                continue
            if any(key == "**" for key, _ in call.kwargs) or any(a.kind == "star" for a in call.args):
                continue
            name, value = call.arg(0, "key"), call.arg(1, "value")
            if not (_says_refresh(name, constants, refresh) or (
                value is not None and value.kind in ("name", "call")
                and _says_refresh(value, constants, refresh)
            )):
                continue
            if _clears(call):
                continue
            missing = _missing(call, constants)
            if not missing:
                continue
            shown = repr(name.text) if name is not None and name.kind == "str" else (
                name.text if name is not None and name.text else "cookie")
            yield context.at(
                path, call.line, call.column,
                f"refresh-token cookie {shown} is missing {_listed(missing)}: set httponly=True "
                "(no script can read it), secure=True (HTTPS only) and samesite=\"strict\" (no "
                "other site can send it)",
            )  # fmt: skip
