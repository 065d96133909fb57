"""How long a token lives: reading lifetimes out of code facts for long-lived-access-token.

Durations come as Python ``timedelta(...)`` calls, JS time spans (``"15m"``, ``"2 days"``
as jsonwebtoken and jose read them), plain numbers whose unit is in a name
(``ACCESS_TOKEN_EXPIRE_MINUTES``), module constants and simple arithmetic on them.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterator

from archlint.codefacts import CodeFacts, Value
from archlint.rules.auth_scope import is_javascript, module_constants, words
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matches_any

# Seconds per unit word of a name (the last one wins).
UNITS = {
    "ms": 0.001, "millis": 0.001, "milliseconds": 0.001,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400, "week": 604800, "weeks": 604800,
}  # fmt: skip
# timedelta's parameters, in positional order, with their seconds.
TIMEDELTA = (("days", 86400), ("seconds", 1), ("microseconds", 1e-6), ("milliseconds", 0.001),
              ("minutes", 60), ("hours", 3600), ("weeks", 604800))  # fmt: skip
TOKEN_WORDS = {"token", "tokens", "jwt"}
NEVER = math.inf  # `False`: never expires
# A candidate's "seconds per plain number" with a meaning of its own: an `exp` claim (read
# as `now + duration`), jsonwebtoken's `expiresIn` (numbers are seconds, unit-less strings
# milliseconds).
EXP_CLAIM = 0.0
EXPIRES_IN = -1.0
# JS time spans (vercel/ms as jsonwebtoken reads them, and jose): seconds per unit.
SPAN = re.compile(r"\s*(-?(?:\d+)?\.?\d+)\s*([a-z]*)\s*", re.IGNORECASE)
SPAN_UNITS = {
    "ms": 0.001, "msec": 0.001, "msecs": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400, "w": 604800, "week": 604800, "weeks": 604800,
    "y": 31557600, "yr": 31557600, "yrs": 31557600, "year": 31557600, "years": 31557600,
}  # fmt: skip
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
               "//": operator.floordiv}  # fmt: skip


class LifetimeReader:
    """Lifetimes in one file: evaluates values and locates the findings."""

    def __init__(self, context: RuleContext, facts: CodeFacts, path: str) -> None:
        options = context.options
        self.facts = facts
        self.javascript = is_javascript(path)
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
        return ("access" in found and bool(found & TOKEN_WORDS) and bool(found & self.lifetime)
                and not found & self.other)  # fmt: skip

    def is_lifetime(self, name: str) -> bool:
        found = words(name)
        return any(word in self.lifetime for word in found) and not self.is_other(name)

    def says_access(self, name: str) -> bool:
        """`create_access_token`: access, token (or jwt), no word of another kind of token."""
        found = set(words(name))
        return "access" in found and bool(found & TOKEN_WORDS) and not found & self.other

    @staticmethod
    def unit(name: str) -> float:
        """Seconds per number of a name: its last unit word, else seconds."""
        found = [UNITS[word] for word in words(name) if word in UNITS]
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
        if value.kind == "op" and len(value.args) == 2 and value.text in ARITHMETIC:
            left, right = (self.number(arg, depth + 1) for arg in value.args)
            if left is None or right is None or (right == 0 and value.text in ("/", "//")):
                return None
            return float(ARITHMETIC[value.text](left, right))
        return None

    def is_timedelta(self, value: Value) -> bool:
        return value.kind == "call" and matches_any(value.text, self.timedelta_calls)

    def seconds(self, value: Value, unit: float, depth: int = 0) -> float | None:
        """The duration a value stands for (plain numbers in ``unit``; ``EXPIRES_IN``:
        jsonwebtoken's), else None."""
        if depth > 8:
            return None
        if value.kind == "bool" and value.text == "false":
            return NEVER
        if value.kind == "str" and self.javascript:
            return time_span(value.text, 0.001 if unit == EXPIRES_IN else None)
        if unit == EXPIRES_IN:
            unit = 1.0
        if self.is_timedelta(value):
            total = 0.0
            named = [(key, arg) for key, arg in value.items]
            named += [(TIMEDELTA[i][0], arg) for i, arg in enumerate(value.args[:len(TIMEDELTA)])]
            factors = dict(TIMEDELTA)
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


def time_span(text: str, bare: float | None) -> float | None:
    """A JS time span ("15m", "2 days", "1.5h"), in seconds; a unit-less number counts
    ``bare`` seconds each (None: not guessed)."""
    match = SPAN.fullmatch(text)
    if match is None:
        return None
    amount, unit = float(match.group(1)), match.group(2).lower()
    if not unit:
        return None if bare is None else amount * bare
    factor = SPAN_UNITS.get(unit)
    return None if factor is None else amount * factor


def human_duration(seconds: float) -> str:
    for size, unit in ((604800, "week"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    count = round(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


def string_literals(value: Value, depth: int = 0) -> Iterator[str]:
    """The string literals of a value (a payload's `"type": "refresh"`)."""
    if value.kind == "str":
        yield value.text
    if depth < 8:
        for child in (*value.args, *(item for _, item in value.items)):
            yield from string_literals(child, depth + 1)


def dict_entries(value: Value, depth: int = 0) -> Iterator[tuple[str, Value]]:
    """(key, value) of the dict literals in a value, through dicts, lists and tuples (not
    calls: each call is its own record)."""
    if depth > 8:
        return
    if value.kind == "dict":
        for key, item in value.items:
            yield key, item
            yield from dict_entries(item, depth + 1)
    elif value.kind in ("list", "tuple", "set"):
        for element in value.args:
            yield from dict_entries(element, depth + 1)


def mentions(value: Value | None, depth: int = 0) -> Iterator[str]:
    """The names, environment variables and strings a value is made of (a key
    ``process.env.REFRESH_SECRET || 'x'``, a lifetime ``config.refreshTtl``)."""
    if value is None or depth > 8:
        return
    if value.kind in ("name", "env", "str"):
        yield value.text
    for child in (*value.args, *(item for _, item in value.items)):
        yield from mentions(child, depth + 1)
