"""## What it does
Reports access tokens that live longer than the `max_minutes` option (15 minutes), in Python
and in JavaScript / TypeScript. A lifetime is read from:

* a name or key that says "access token lifetime": its words (`ACCESS_TOKEN_EXPIRE_MINUTES`,
  `accessTokenTtl`, `"ACCESS_TOKEN_LIFETIME"`, `JWT_ACCESS_TOKEN_EXPIRES`) hold `access`,
  `token` (or `jwt`) and one of the `lifetime_words` (`exp`, `expire`, `expires`, `expiry`,
  `expiration`, `ttl`, `lifetime`), and no word of `other_tokens` (`refresh`, `reset`,
  `verify` …); `ACCESS_LOG_TTL` is no token. It is read where it is assigned at module
  or class level (a pydantic `Settings` field, a JS `const ACCESS_TOKEN_TTL = '1h'`), as an
  attribute (`settings.X = ...`), as a keyword argument
  (`app.config.update(JWT_ACCESS_TOKEN_EXPIRES=...)`) and as a key of a dict or object
  literal (Django's `SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": ...}`, `{ accessTokenTtl: '1h' }`);
* a keyword argument, a key of an options object passed, or a parameter default, named with
  a lifetime word (`expires_delta`, `expiresIn`, `ttl`), of a function whose name says
  `access` and `token` (`create_access_token(sub, expires_delta=timedelta(hours=1))`,
  `createAccessToken(user, { expiresIn: '1h' })`, `function createAccessToken(u, ttl = '1d')`);
* what a JWT is signed with: the `exp` claim of a payload dict passed to `jwt.encode` (the
  `calls` option) or to jsonwebtoken's `jwt.sign` (the `sign_calls` option):
  `{"exp": datetime.utcnow() + timedelta(hours=1)}`, `{"exp": int(time.time()) + 3600}`,
  `{ exp: Math.floor(Date.now() / 1000) + 3600 }`; the `expiresIn` of `jwt.sign`'s options
  object (`{ expiresIn: '1h' }`, `3600`, `60 * 60`, a constant of the file); the string
  given to `setExpirationTime('2h')` in a jose chain `new SignJWT(...)… .sign(key)` (the
  `jose_calls` option; a number there is a timestamp, not read);
* any `timedelta(...)` in a Python function whose name says `access` and `token`
  (`create_access_token`, `login_for_access_token`), where the lifetime is usually computed.

A signed JWT counts as an access token unless something names another kind of token (a word
of `other_tokens`): the enclosing function (`create_password_reset_token`,
`generateRefreshToken`; for a JS callback bound to no name, the strings of the call it is
passed to: `router.post('/refresh', …)`), a string of the payload (`{"type": "refresh"}`),
the key or the lifetime it is signed with (`process.env.REFRESH_TOKEN_SECRET`,
`expiresIn: REFRESH_TOKEN_TTL`), or what holds the result (`{ refreshToken: jwt.sign(...) }`,
`user.refreshToken = jwt.sign(...)`, `res.cookie('refresh_token', jwt.sign(...))`). When one
function signs several tokens of different known lifetimes (an access / refresh pair:
`const accessToken = jwt.sign(…, { expiresIn: '15m' }); const refreshToken = jwt.sign(…,
{ expiresIn: '7d' })`, local variables being unknown to code facts), only the shortest-lived
one is taken for the access token.

Units: a `timedelta(...)` is exact. A plain number takes its unit from the last unit word
of its name (`ms`, `s`/`sec`/`seconds`, `min`/`minutes`, `h`/`hours`, `d`/`days`,
`weeks`): `ACCESS_TOKEN_EXPIRE_MINUTES = 60` is 60 minutes, `ACCESS_TOKEN_EXPIRE_DAYS = 1` a
day. A name without a unit word is in seconds, as JWT claims and TTLs are
(`ACCESS_TOKEN_TTL = 3600`, `JWT_ACCESS_TOKEN_EXPIRES = 3600`); so is jsonwebtoken's numeric
`expiresIn`. In JS files a string is a vercel/ms (jsonwebtoken) or jose time span:
`"15m"`, `"1h"`, `"7d"`, `"2 days"`, `"1.5 hours"`; a string without a unit is milliseconds
for `expiresIn` (as jsonwebtoken reads it: `"3600"` is 3.6 seconds) and not guessed
elsewhere. Arithmetic of literals (`60 * 24 * 8`) and module constants of the same file are
evaluated; anything else (the environment, settings, `process.env.JWT_EXPIRES_IN || '7d'`)
is not guessed. `False` for an access-token lifetime (Flask-JWT-Extended's
`JWT_ACCESS_TOKEN_EXPIRES = False`) means "never expires" and is reported; a JWT signed
without any lifetime is not. Refresh tokens are not access tokens:
`REFRESH_TOKEN_EXPIRE_DAYS = 7` is fine. Code facts drop subscript keys, so
`app.config["JWT_ACCESS_TOKEN_EXPIRES"] = ...` and local variables inside a function (`expire
= now + delta`, `const options = { expiresIn: '1d' }`) are not read. The files are every
project file (the `layers` option, `"*"`), tests excluded.

## Why is this bad?
An access token is a bearer credential checked without a database lookup: until it expires,
whoever holds it is the user, even after a logout, a password change or a ban. A token that
leaks (a log line, a browser extension, an XSS) stays usable for its whole lifetime. Short
access tokens (minutes) renewed through a refresh token that the server can revoke keep that
window small.

## Example
```python
ACCESS_TOKEN_EXPIRE_MINUTES = 60 * 24  # a day

def create_access_token(user_id: str) -> str:
    expire = datetime.now(timezone.utc) + timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)
    return jwt.encode({"sub": user_id, "exp": expire}, PRIVATE_KEY, algorithm="RS256")
```
```ts
export function login(user: User) {
  return jwt.sign({ sub: user.id }, privateKey, { algorithm: "RS256", expiresIn: "1d" });
}
```

## Use instead
```python
ACCESS_TOKEN_EXPIRE_MINUTES = 10
REFRESH_TOKEN_EXPIRE_DAYS = 7  # stored server-side, revocable, rotated on use

def create_access_token(user_id: str) -> str:
    expire = datetime.now(timezone.utc) + timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)
    return jwt.encode({"sub": user_id, "exp": expire}, PRIVATE_KEY, algorithm="RS256")
```
```ts
export function login(user: User) {
  const accessToken = jwt.sign({ sub: user.id }, privateKey, { algorithm: "RS256", expiresIn: "10m" });
  const refreshToken = refreshTokens.issue(user.id); // stored server-side, revocable
  return { accessToken, refreshToken };
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.codefacts import Call, CodeFacts, Value
from archlint.findings import Finding
from archlint.rules.auth_scope import (
    AUTH_EXCLUDE,
    AUTH_LAYERS,
    JOSE_SIGN_CALLS,
    JWT_ENCODE_CALLS,
    JWT_SIGN_CALLS,
    calls_matching,
    imported_names,
    maker_names,
    options_argument,
    project_code,
    resolve,
)
from archlint.rules.context import RuleContext
from archlint.rules.token_lifetime import (
    EXPIRES_IN,
    EXP_CLAIM,
    LifetimeReader,
    NEVER,
    dict_entries,
    human_duration,
    mentions,
    string_literals,
)

CODE = "AL303"
NAME = "long-lived-access-token"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # the files whose code facts it reads
# ...of those, only files that mention one of these can hold what it looks for
CODE_TRIGGERS = (
    b"access_token", b"ACCESS_TOKEN", b"accessToken", b"AccessToken", b"jwt", b"JWT",
    b"jsonwebtoken", b"expiresIn", b"setExpirationTime",
)  # fmt: skip
OPTIONS: dict[str, object] = {
    "layers": AUTH_LAYERS,
    "exclude": AUTH_EXCLUDE,
    "max_minutes": 15,
    "calls": JWT_ENCODE_CALLS,
    "sign_calls": JWT_SIGN_CALLS,
    "jose_calls": JOSE_SIGN_CALLS,
    "timedelta_calls": ["timedelta", "*.timedelta"],
    "lifetime_words": ["exp", "expire", "expires", "expiry", "expiration", "ttl", "lifetime"],
    "other_tokens": [
        "refresh", "reset", "verify", "verification", "confirm", "confirmation", "invite",
        "invitation", "activate", "activation", "magic", "unsubscribe", "download", "email",
        "password",
    ],
}  # fmt: skip

def _fingerprint(callee: str, args: tuple[Value, ...]) -> tuple:
    """A call told apart from the others of its scope (nested values may be cut short)."""
    return (callee, tuple((arg.kind, arg.text) for arg in args))


def _holders(facts: CodeFacts) -> dict[tuple, list[str]]:
    """(scope, call fingerprint) -> the names holding that call's result: the key of an
    object literal (``{ refreshToken: jwt.sign(...) }``), the target of an assignment, the
    first string argument of a call it is passed to (``res.cookie('refresh', jwt.sign())``)."""
    found: dict[tuple, list[str]] = {}

    def visit(value: Value, holder: str, scope: int, depth: int) -> None:
        if depth > 8:
            return
        if value.kind == "call":
            if holder:
                found.setdefault((scope, _fingerprint(value.text, value.args)), []).append(holder)
            named = next((arg.text for arg in value.args if arg.kind == "str"), "")
            for arg in value.args:
                visit(arg, named, scope, depth + 1)
        elif value.kind == "dict":
            for key, item in value.items:
                visit(item, key, scope, depth + 1)
        elif value.kind in ("await", "op"):  # await jwt.sign(); cond ? jwt.sign(a) : b
            for arg in value.args:
                visit(arg, holder, scope, depth + 1)
        else:
            for arg in value.args:
                visit(arg, "", scope, depth + 1)

    for call in facts.calls:
        named = next((arg.text for arg in call.args if arg.kind == "str"), "")
        for arg in call.args:
            visit(arg, named, call.scope, 0)
    for assign in facts.assigns:
        if assign.value is not None:
            visit(assign.value, assign.target, assign.scope, 0)
    for returned in facts.returns:
        if returned.value is not None:
            visit(returned.value, "", returned.scope, 0)
    return found


# value, seconds per plain number (or EXP_CLAIM / EXPIRES_IN), where, line, column, and
# the scope of a JWT signed there (None for any other lifetime)
_Candidate = tuple[Value, float, str, int, int, int | None]


class _Signing:
    """The JWTs a file signs, and whether each is another kind of token than access."""

    def __init__(self, reader: LifetimeReader, facts: CodeFacts) -> None:
        self.reader = reader
        self.facts = facts
        self._holders: dict[tuple, list[str]] | None = None

    def holders(self, call: Call) -> list[str]:
        if self._holders is None:
            self._holders = _holders(self.facts)
        return self._holders.get((call.scope, _fingerprint(call.callee, call.args)), [])

    def other(self, call: Call, payload: Value | None, *signals: Value | None) -> bool:
        """Whether something names another kind of token: the code around the call, the
        payload's strings, the key or lifetime (``signals``), what holds the result."""
        is_other = self.reader.is_other
        if any(is_other(name) for name in maker_names(self.facts, call.scope)):
            return True
        if payload is not None and any(is_other(text) for text in string_literals(payload)):
            return True  # {"type": "refresh", ...}
        if any(is_other(text) for signal in signals for text in mentions(signal)):
            return True  # process.env.REFRESH_TOKEN_SECRET, expiresIn: REFRESH_TTL
        return any(is_other(name) for name in self.holders(call))

    def exp_claim(self, call: Call, key: Value | None) -> Iterator[_Candidate]:
        payload = call.arg(0, "payload") or call.kwarg("claims")
        if payload is None or payload.kind != "dict":
            return
        exp = payload.get("exp")
        if exp is None or self.other(call, payload, key):
            return
        yield exp, EXP_CLAIM, f"exp claim of {call.callee}()", call.line, call.column, call.scope

    def jsonwebtoken(self, call: Call) -> Iterator[_Candidate]:
        """``jwt.sign(payload, key, { expiresIn })``, and an `exp` in the payload."""
        options = options_argument(call, 2, self.reader.constants)
        expires = options.get("expiresIn") if options is not None else None
        key = call.args[1] if len(call.args) > 1 else None
        yield from self.exp_claim(call, key)
        if expires is None or self.other(call, call.args[0] if call.args else None, key, expires):
            return
        where = f"expiresIn of {call.callee}()"
        yield expires, EXPIRES_IN, where, call.line, call.column, call.scope

    def jose(self, call: Call) -> Iterator[_Candidate]:
        """``new SignJWT(payload)… .setExpirationTime('2h')… .sign(key)``: one chain."""
        expires = payload = None
        for link in self.facts.calls:
            if (link.line, link.column) != (call.line, call.column) or link is call:
                continue
            if call.callee.startswith(link.callee + "().") and link.args:
                if link.callee.endswith(".setExpirationTime"):
                    expires = link.args[0]
                elif link.callee.rpartition(".")[2] == "SignJWT":
                    payload = link.args[0]
        if expires is None:
            return
        span = resolve(expires, self.reader.constants)
        if span is None or span.kind != "str":  # a number is a timestamp
            return
        if self.other(call, payload, call.args[0] if call.args else None, expires):
            return
        root = call.callee.partition("SignJWT()")[0]
        where = f"setExpirationTime of {root}SignJWT()"
        yield expires, 1.0, where, call.line, call.column, call.scope


def _entries(values: tuple[Value, ...]) -> list[tuple[str, Value]]:
    """The (key, value) entries of the object literals among call arguments."""
    return [entry for value in values if value.kind == "dict" for entry in value.items]


def _candidates(reader: LifetimeReader, calls: list[Call], sign_calls: list[Call], jose_calls: list[Call],
                facts: CodeFacts) -> Iterator[_Candidate]:
    """(value, seconds per plain number, where, line, column, signing scope) of every
    lifetime to check."""
    for assign in facts.assigns:
        if assign.value is None or assign.op == "del":
            continue
        name = assign.target.rpartition(".")[2]
        if not name.endswith("[]") and reader.is_access_lifetime(name):
            yield assign.value, reader.unit(name), assign.target, assign.line, assign.column, None
        for key, item in dict_entries(assign.value):
            if reader.is_access_lifetime(key):
                where = f"{key!r} in {assign.target}"
                yield item, reader.unit(key), where, assign.line, assign.column, None
    signing = _Signing(reader, facts)
    jwt_calls = {(c.line, c.column) for c in calls}
    for call in facts.calls:
        method = call.callee.rpartition(".")[2]
        for key, item in (*call.kwargs, *_entries(call.args)):
            if reader.is_access_lifetime(key) or (
                reader.is_lifetime(key) and reader.says_access(method)
            ):
                where = f"{key} of {call.callee}()"
                yield item, reader.unit(key), where, call.line, call.column, None
        for value in (*call.args, *(item for _, item in call.kwargs)):
            for key, item in dict_entries(value):
                if reader.is_access_lifetime(key):
                    where = f"{key!r} in {call.callee}()"
                    yield item, reader.unit(key), where, call.line, call.column, None
        if (call.line, call.column) in jwt_calls:
            yield from signing.exp_claim(call, call.arg(1, "key"))
    for call in sign_calls:
        yield from signing.jsonwebtoken(call)
    for call in jose_calls:
        yield from signing.jose(call)
    for function in facts.functions:
        for param in function.params:
            if param.default is None:
                continue
            if reader.is_access_lifetime(param.name) or (
                reader.is_lifetime(param.name) and reader.says_access(function.name)
            ):
                where = f"default of {param.name} in {function.qualname}()"
                yield (param.default, reader.unit(param.name), where, function.line,
                       function.column, None)
    for call in facts.calls:  # timedelta(...) where an access token is made
        maker = facts.function(call.scope)
        if maker is None or not reader.says_access(maker.name):
            continue
        value = Value("call", call.callee, call.args, call.kwargs)
        if reader.is_timedelta(value):
            yield value, 1.0, f"{call.callee}() in {maker.qualname}()", call.line, call.column, None


def _shortest_per_scope(lifetimes: list[tuple[_Candidate, float | None]]) -> set[int]:
    """Indexes of signed lifetimes to drop: in a scope signing tokens of several known
    lifetimes, every one longer than the shortest (an access / refresh pair)."""
    shortest: dict[int, float] = {}
    kinds: dict[int, set[float]] = {}
    for (*_, scope), seconds in lifetimes:
        if scope is not None and seconds is not None:
            shortest[scope] = min(seconds, shortest.get(scope, seconds))
            kinds.setdefault(scope, set()).add(seconds)
    return {
        index for index, ((*_, scope), seconds) in enumerate(lifetimes)
        if scope is not None and seconds is not None and len(kinds[scope]) > 1
        and seconds > shortest[scope]
    }


def check(context: RuleContext) -> Iterator[Finding]:
    limit = float(context.options["max_minutes"]) * 60  # type: ignore[arg-type]
    patterns = [str(p) for p in context.options["calls"]]
    sign_patterns = [str(p) for p in context.options["sign_calls"]]
    jose_patterns = [str(p) for p in context.options["jose_calls"]]
    for module, path, facts in project_code(context):
        reader = LifetimeReader(context, facts, path)
        imported = imported_names(context, module)
        javascript = reader.javascript
        calls = [call for call, _ in calls_matching(facts, patterns, imported, javascript)]
        sign_calls = [call for call, _ in calls_matching(facts, sign_patterns, imported, javascript)]
        jose_calls = [call for call, _ in calls_matching(facts, jose_patterns, set())]
        lifetimes: list[tuple[_Candidate, float | None]] = []
        for candidate in _candidates(reader, calls, sign_calls, jose_calls, facts):
            value, unit = candidate[0], candidate[1]
            if reader.uses_access_constant(value):
                continue  # timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES): checked at the constant
            seconds = reader.offset(value) if unit == EXP_CLAIM else reader.seconds(value, unit)
            lifetimes.append((candidate, seconds))
        dropped = _shortest_per_scope(lifetimes)
        reported: set[tuple[int, int]] = set()
        for index, ((value, _unit, where, line, column, _scope), seconds) in enumerate(lifetimes):
            if seconds is None or seconds <= limit or index in dropped:
                continue
            at = reader.locate(value, line, column)
            if at in reported:
                continue
            reported.add(at)
            if seconds == NEVER:
                message = (f"access tokens never expire ({where} is False): a leaked token works "
                           "forever; give them a lifetime of minutes and renew them with a "
                           "refresh token")
            else:
                message = (f"access tokens live {human_duration(seconds)} ({where}), more than "
                           f"{human_duration(limit)}: a leaked token stays valid that long; keep access "
                           "tokens short-lived and renew them with a refresh token")
            yield context.at(path, at[0], at[1], message)
