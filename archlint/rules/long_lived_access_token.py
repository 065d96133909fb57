"""## What it does
Reports access tokens that live longer than the `max_minutes` option (15 minutes). A
lifetime is read from:

* a name or key that says "access token lifetime": its words (`ACCESS_TOKEN_EXPIRE_MINUTES`,
  `accessTokenTtl`, `"ACCESS_TOKEN_LIFETIME"`, `JWT_ACCESS_TOKEN_EXPIRES`) hold `access`,
  `token` (or `jwt`) and one of the `lifetime_words` (`exp`, `expire`, `expires`, `expiry`,
  `expiration`, `ttl`, `lifetime`), and no word of `other_tokens` (`refresh`, `reset`,
  `verify` …); `ACCESS_LOG_TTL` is no token. It is read where it is assigned at module
  or class level (a pydantic `Settings` field too), as an attribute (`settings.X = ...`), as a
  keyword argument (`app.config.update(JWT_ACCESS_TOKEN_EXPIRES=...)`) and as a key of a
  dict literal (Django's `SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": ...}`);
* a keyword argument or parameter default named with a lifetime word (`expires_delta`,
  `expires_in`, `ttl`) of a function whose name says `access` and `token`
  (`create_access_token(sub, expires_delta=timedelta(hours=1))`);
* the `exp` claim of a dict passed to `jwt.encode` (the `calls` option):
  `{"exp": datetime.utcnow() + timedelta(hours=1)}` or `{"exp": int(time.time()) + 3600}`;
* any `timedelta(...)` in a function whose name says `access` and `token`
  (`create_access_token`, `login_for_access_token`), where the lifetime is usually computed.

`jwt.encode` and the `timedelta` calls do not count in a function or payload that names
another kind of token (a word of `other_tokens` in the function's name or among the
payload's strings: `{"type": "refresh"}`, `create_password_reset_token`).

Units: a `timedelta(...)` is exact. A plain number takes its unit from the last unit word
of its name (`ms`, `s`/`sec`/`seconds`, `min`/`minutes`, `h`/`hours`, `d`/`days`,
`weeks`): `ACCESS_TOKEN_EXPIRE_MINUTES = 60` is 60 minutes, `ACCESS_TOKEN_EXPIRE_DAYS = 1` a
day. A name without a unit word is in seconds, as JWT claims and TTLs are
(`ACCESS_TOKEN_TTL = 3600`, `JWT_ACCESS_TOKEN_EXPIRES = 3600`). Arithmetic of literals
(`60 * 24 * 8`) and module constants of the same file are evaluated; anything else (the
environment, settings) is not guessed. `False` for an access-token lifetime
(Flask-JWT-Extended's `JWT_ACCESS_TOKEN_EXPIRES = False`) means "never expires" and is
reported. Refresh tokens are not access tokens: `REFRESH_TOKEN_EXPIRE_DAYS = 7` is fine.
Code facts drop subscript keys, so `app.config["JWT_ACCESS_TOKEN_EXPIRES"] = ...` and local
variables inside a function (`expire = now + delta`) are not read. The files are every
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

## Use instead
```python
ACCESS_TOKEN_EXPIRE_MINUTES = 10
REFRESH_TOKEN_EXPIRE_DAYS = 7  # stored server-side, revocable, rotated on use

def create_access_token(user_id: str) -> str:
    expire = datetime.now(timezone.utc) + timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)
    return jwt.encode({"sub": user_id, "exp": expire}, PRIVATE_KEY, algorithm="RS256")
```
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterator

from archlint.codefacts import Call, CodeFacts, Function, Value
from archlint.findings import Finding
from archlint.rules.auth_scope import (
    AUTH_EXCLUDE,
    AUTH_LAYERS,
    JWT_ENCODE_CALLS,
    calls_matching,
    imported_names,
    module_constants,
    project_code,
    words,
)
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matches_any

CODE = "AL303"
NAME = "long-lived-access-token"
SEVERITY = "error"
CODE_LAYERS = "layers"  # the files whose code facts it reads
# ...of those, only files that mention one of these can hold what it looks for
CODE_TRIGGERS = (
    b"access_token", b"ACCESS_TOKEN", b"accessToken", b"AccessToken", b"jwt", b"JWT",
)  # fmt: skip
OPTIONS: dict[str, object] = {
    "layers": AUTH_LAYERS,
    "exclude": AUTH_EXCLUDE,
    "max_minutes": 15,
    "calls": JWT_ENCODE_CALLS,
    "timedelta_calls": ["timedelta", "*.timedelta"],
    "lifetime_words": ["exp", "expire", "expires", "expiry", "expiration", "ttl", "lifetime"],
    "other_tokens": [
        "refresh", "reset", "verify", "verification", "confirm", "confirmation", "invite",
        "invitation", "activate", "activation", "magic", "unsubscribe", "download", "email",
        "password",
    ],
}  # fmt: skip

# Seconds per unit word of a name (the last one wins).
_UNITS = {
    "ms": 0.001, "millis": 0.001, "milliseconds": 0.001,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400, "week": 604800, "weeks": 604800,
}  # fmt: skip
# timedelta's parameters, in positional order, with their seconds.
_TIMEDELTA = (("days", 86400), ("seconds", 1), ("microseconds", 1e-6), ("milliseconds", 0.001),
              ("minutes", 60), ("hours", 3600), ("weeks", 604800))  # fmt: skip
_TOKEN = {"token", "tokens", "jwt"}
_NEVER = math.inf  # `False`: never expires
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
               "//": operator.floordiv}  # fmt: skip


class _Reader:
    """Lifetimes in one file: evaluates values and locates the findings."""

    def __init__(self, context: RuleContext, facts: CodeFacts) -> None:
        options = context.options
        self.facts = facts
        self.constants = module_constants(facts)
        self.timedelta_calls = [str(p) for p in options["timedelta_calls"]]
        self.lifetime = {str(w).lower() for w in options["lifetime_words"]}
        self.other = {str(w).lower() for w in options["other_tokens"]}

    # --- names --------------------------------------------------------------------------

    def is_other(self, name: str) -> bool:
        return any(word in self.other for word in words(name))

    def is_access_lifetime(self, name: str) -> bool:
        """`ACCESS_TOKEN_EXPIRE_MINUTES`, `accessTokenTtl`: access, token, a lifetime word,
        no word of another kind of token."""
        found = set(words(name))
        return ("access" in found and bool(found & _TOKEN) and bool(found & self.lifetime)
                and not found & self.other)  # fmt: skip

    def is_lifetime(self, name: str) -> bool:
        found = words(name)
        return any(word in self.lifetime for word in found) and not self.is_other(name)

    def says_access(self, name: str) -> bool:
        """`create_access_token`: access, token (or jwt), no word of another kind of token."""
        found = set(words(name))
        return "access" in found and bool(found & _TOKEN) and not found & self.other

    @staticmethod
    def unit(name: str) -> float:
        """Seconds per number of a name: its last unit word, else seconds."""
        found = [_UNITS[word] for word in words(name) if word in _UNITS]
        return float(found[-1]) if found else 1.0

    # --- values -------------------------------------------------------------------------

    def number(self, value: Value, depth: int = 0) -> float | None:
        """A number of literals and module constants (``60 * 24``), else None."""
        if depth > 8:
            return None
        if value.kind == "num":
            try:
                return float(value.text)
            except ValueError:
                return None
        if value.kind == "name" and value.text in self.constants:
            return self.number(self.constants[value.text], depth + 1)
        if value.kind == "op" and len(value.args) == 2 and value.text in _ARITHMETIC:
            left, right = (self.number(arg, depth + 1) for arg in value.args)
            if left is None or right is None or (right == 0 and value.text in ("/", "//")):
                return None
            return float(_ARITHMETIC[value.text](left, right))
        return None

    def is_timedelta(self, value: Value) -> bool:
        return value.kind == "call" and matches_any(value.text, self.timedelta_calls)

    def seconds(self, value: Value, unit: float, depth: int = 0) -> float | None:
        """The duration a value stands for (plain numbers in ``unit``), else None."""
        if depth > 8:
            return None
        if value.kind == "bool" and value.text == "false":
            return _NEVER
        if self.is_timedelta(value):
            total = 0.0
            named = [(key, arg) for key, arg in value.items]
            named += [(_TIMEDELTA[i][0], arg) for i, arg in enumerate(value.args[:len(_TIMEDELTA)])]
            factors = dict(_TIMEDELTA)
            for key, arg in named:
                amount = self.number(arg)
                if key not in factors or amount is None:
                    return None
                total += amount * factors[key]
            return total
        if value.kind == "name" and value.text in self.constants:
            return self.seconds(self.constants[value.text], unit, depth + 1)
        if value.kind == "op" and value.text == "*" and len(value.args) == 2:
            left, right = value.args
            if self.is_timedelta(right):
                left, right = right, left
            if self.is_timedelta(left):
                base, factor = self.seconds(left, unit, depth + 1), self.number(right)
                return None if base is None or factor is None else base * factor
        amount = self.number(value)
        return None if amount is None else amount * unit

    def offset(self, value: Value) -> float | None:
        """An `exp` claim `now + duration`: the duration (plain numbers in seconds)."""
        if value.kind != "op" or value.text != "+":
            return None
        operands: list[Value] = []
        pending = [value]
        while pending:
            current = pending.pop()
            if current.kind == "op" and current.text == "+" and len(current.args) == 2:
                pending.extend(current.args)
            else:
                operands.append(current)
        known = [self.seconds(operand, 1.0) for operand in operands]
        durations = [s for s in known if s is not None and s >= 0]
        if known.count(None) != 1 or not durations:
            return None  # exactly one unknown operand: the current time
        return sum(durations)

    def uses_access_constant(self, value: Value, depth: int = 0) -> bool:
        """Whether a value refers to an access-lifetime constant (reported where it is)."""
        if depth > 8:
            return False
        if value.kind == "name":
            return self.is_access_lifetime(value.text.rpartition(".")[2])
        children = [*value.args, *(item for _, item in value.items)]
        return any(self.uses_access_constant(child, depth + 1) for child in children)

    # --- locations ----------------------------------------------------------------------

    def locate(self, value: Value, line: int, column: int) -> tuple[int, int]:
        """Where a value is: the first timedelta call at or after (line, column) that it
        holds, else (line, column) itself."""
        wanted = self.timedelta_in(value)
        if wanted is not None:
            for call in self.facts.calls:
                if ((call.line, call.column) >= (line, column) and call.callee == wanted.text
                        and call.args == wanted.args and call.kwargs == wanted.items):
                    return call.line, call.column
        return line, column

    def timedelta_in(self, value: Value, depth: int = 0) -> Value | None:
        if self.is_timedelta(value):
            return value
        if depth > 8:
            return None
        for child in (*value.args, *(item for _, item in value.items)):
            found = self.timedelta_in(child, depth + 1)
            if found is not None:
                return found
        return None


def _human(seconds: float) -> str:
    for size, unit in ((604800, "week"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    count = round(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


def _strings(value: Value, depth: int = 0) -> Iterator[str]:
    """The string literals of a value (a payload's `"type": "refresh"`)."""
    if value.kind == "str":
        yield value.text
    if depth < 8:
        for child in (*value.args, *(item for _, item in value.items)):
            yield from _strings(child, depth + 1)


def _dict_entries(value: Value, depth: int = 0) -> Iterator[tuple[str, Value]]:
    """(key, value) of the dict literals in a value, through dicts, lists and tuples (not
    calls: each call is its own record)."""
    if depth > 8:
        return
    if value.kind == "dict":
        for key, item in value.items:
            yield key, item
            yield from _dict_entries(item, depth + 1)
    elif value.kind in ("list", "tuple", "set"):
        for element in value.args:
            yield from _dict_entries(element, depth + 1)


def _function_name(function: Function | None) -> str:
    return "" if function is None else function.name


_Candidate = tuple[Value, float, str, int, int]


def _candidates(reader: _Reader, calls: list[Call], facts: CodeFacts) -> Iterator[_Candidate]:
    """(value, seconds per plain number, where, line, column) of every lifetime to check;
    a unit of 0 marks an `exp` claim, read as `now + duration`."""
    for assign in facts.assigns:
        if assign.value is None or assign.op == "del":
            continue
        name = assign.target.rpartition(".")[2]
        if not name.endswith("[]") and reader.is_access_lifetime(name):
            yield assign.value, reader.unit(name), assign.target, assign.line, assign.column
        for key, item in _dict_entries(assign.value):
            if reader.is_access_lifetime(key):
                yield item, reader.unit(key), f"{key!r} in {assign.target}", assign.line, assign.column
    jwt_calls = {(c.line, c.column) for c in calls}
    for call in facts.calls:
        method = call.callee.rpartition(".")[2]
        for key, item in call.kwargs:
            if reader.is_access_lifetime(key) or (
                reader.is_lifetime(key) and reader.says_access(method)
            ):
                yield item, reader.unit(key), f"{key} of {call.callee}()", call.line, call.column
        for value in (*call.args, *(item for _, item in call.kwargs)):
            for key, item in _dict_entries(value):
                if reader.is_access_lifetime(key):
                    yield item, reader.unit(key), f"{key!r} in {call.callee}()", call.line, call.column
        if (call.line, call.column) in jwt_calls:
            yield from _exp_claim(reader, call, facts)
    for function in facts.functions:
        for param in function.params:
            if param.default is None:
                continue
            if reader.is_access_lifetime(param.name) or (
                reader.is_lifetime(param.name) and reader.says_access(function.name)
            ):
                where = f"default of {param.name} in {function.qualname}()"
                yield param.default, reader.unit(param.name), where, function.line, function.column
    for call in facts.calls:  # timedelta(...) where an access token is made
        maker = facts.function(call.scope)
        if maker is None or not reader.says_access(maker.name):
            continue
        value = Value("call", call.callee, call.args, call.kwargs)
        if reader.is_timedelta(value):
            yield value, 1.0, f"{call.callee}() in {maker.qualname}()", call.line, call.column


def _exp_claim(reader: _Reader, call: Call, facts: CodeFacts) -> Iterator[_Candidate]:
    payload = call.arg(0, "payload") or call.kwarg("claims")
    if payload is None or payload.kind != "dict":
        return
    exp = payload.get("exp")
    if exp is None or reader.is_other(_function_name(facts.function(call.scope))):
        return
    if any(reader.is_other(text) for text in _strings(payload)):
        return  # {"type": "refresh", ...}
    yield exp, 0.0, f"exp claim of {call.callee}()", call.line, call.column


def check(context: RuleContext) -> Iterator[Finding]:
    limit = float(context.options["max_minutes"]) * 60  # type: ignore[arg-type]
    patterns = [str(p) for p in context.options["calls"]]
    for module, path, facts in project_code(context):
        reader = _Reader(context, facts)
        imported = imported_names(context, module)
        calls = [call for call, _ in calls_matching(facts, patterns, imported)]
        reported: set[tuple[int, int]] = set()
        for value, unit, where, line, column in _candidates(reader, calls, facts):
            if reader.uses_access_constant(value):
                continue  # timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES): checked at the constant
            seconds = reader.offset(value) if unit == 0 else reader.seconds(value, unit)
            if seconds is None or seconds <= limit:
                continue
            at = reader.locate(value, line, column)
            if at in reported:
                continue
            reported.add(at)
            if seconds == _NEVER:
                message = (f"access tokens never expire ({where} is False): a leaked token works "
                           "forever; give them a lifetime of minutes and renew them with a "
                           "refresh token")
            else:
                message = (f"access tokens live {_human(seconds)} ({where}), more than "
                           f"{_human(limit)}: a leaked token stays valid that long; keep access "
                           "tokens short-lived and renew them with a refresh token")
            yield context.at(path, at[0], at[1], message)
