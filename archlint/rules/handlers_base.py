"""The route-handler record and the small helpers both languages' handler finders share (see
:mod:`archlint.rules.handlers`). Not a rule."""

from __future__ import annotations

from typing import NamedTuple

from archlint.codefacts import Value


class Handler(NamedTuple):
    """One route handler.

    ``function`` is the handler's index in ``CodeFacts.functions`` (-1 when it is no def of
    this file, e.g. a JS route naming an imported controller); ``line`` / ``column`` are where
    it is declared (the def; for -1, the registration call). ``methods`` are upper-case HTTP
    methods, () for any or unknown. ``path`` is the full path as far as this file tells
    (router prefixes included), None when unknown. ``framework`` is "flask", "fastapi",
    "django", "express", "koa", "fastify", "hono", "nestjs" or "" when the file does not say.
    ``prefix`` is the part of ``path`` that came from routers ("" for none); ``complete``: see
    :mod:`archlint.rules.handlers`. ``route_line`` / ``route_column``: the JS call that registers the
    route (``router.get("/x", list)``), 0 when a decorator on the def does.
    """

    function: int
    qualname: str
    line: int
    column: int
    methods: tuple[str, ...]
    path: str | None
    framework: str
    prefix: str = ""
    complete: bool = False
    route_line: int = 0
    route_column: int = 0


HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def last(text: str) -> str:
    """The last name of dotted text: "flask.views.MethodView" -> "MethodView"."""
    return text.rpartition(".")[2]


def _strings(value: Value | None) -> tuple[str, ...] | None:
    """Upper-case strings of a literal list/tuple/set of strings, None when not one."""
    if value is None or value.kind not in ("list", "tuple", "set"):
        return None
    if not all(item.kind == "str" for item in value.args):
        return None
    return tuple(dict.fromkeys(item.text.upper() for item in value.args))


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return prefix.rstrip("/") + path if path.startswith("/") else prefix + path
