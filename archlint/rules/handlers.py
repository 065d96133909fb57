"""Route handlers, found in code facts: which defs answer HTTP requests, for which methods and
paths. Not a rule: the REST and request-path rules (AL204, AL4xx, AL502) ask it.

:func:`find_handlers` reads one file's :class:`~archlint.codefacts.CodeFacts` and returns one
:class:`Handler` per (def, registration): a def registered twice (two decorators, two
``add_url_rule``) gives two records. What counts, for Python:

* Flask / Quart / Sanic / FastAPI style decorators on any object: ``@x.route(path,
  methods=[...])`` (default GET), ``@x.api_route(path, methods=[...])``, ``@x.get|post|put|
  patch|delete|head|options(path)``; and bare ``@route(path)`` / ``@get(path)`` (Bottle). The
  path (first argument, or ``path=`` / ``rule=``) must be a string starting with "/" or "":
  that, and a receiver other than ``mock``, keeps ``@mock.patch("a.b")`` or
  ``@cache.get(key)`` out. An f-string path still makes a handler, with ``path`` None.
* Flask ``add_url_rule(rule, endpoint, view_func)`` (``view_func=`` too) naming a def of the
  module, or ``SomeView.as_view(...)`` of a class of the module.
* Class-based views: a class whose bases (or a local base class's bases) end with ``View``,
  ``ViewSet`` or ``Resource`` (``View``, ``MethodView``, ``APIView``, ``GenericAPIView``,
  ``ModelViewSet``, Flask-RESTful/RESTX ``Resource`` ...). Its methods named after an HTTP
  method are handlers, with the paths of ``add_url_rule(..., view_func=C.as_view(...))``,
  ``api.add_resource(C, path, ...)`` or a route decorator on the class (Flask-RESTX
  ``@ns.route(path)``) of the same file; in Django REST framework classes
  (bases ending with ``APIView`` or ``ViewSet``) so are the actions ``list`` (GET),
  ``retrieve`` (GET), ``create`` (POST), ``update`` (PUT), ``partial_update`` (PATCH),
  ``destroy`` (DELETE) and ``@action(methods=[...])`` methods; a Flask ``View`` with a
  ``dispatch_request`` gives that method, for its class-level ``methods`` (default GET).
* Django function views: module-level defs of a module named ``views`` (``views.py`` or any
  file under a ``views/`` folder) whose first parameter is ``request`` and whose name does not
  start with "_"; and ``@api_view([...])`` functions anywhere. Methods come from ``api_view``,
  ``require_http_methods``, ``require_GET`` / ``require_POST`` / ``require_safe``; otherwise
  () (any method).

Paths: the decorator's or ``add_url_rule``'s path joined to the prefix of the object it is
registered on, when the file shows it: ``router = APIRouter(prefix="/v1/users")`` and
``bp = Blueprint("users", __name__, url_prefix="/users")`` at module level, and mounts in
the same file (``app.include_router(router, prefix="/api")`` prepends its prefix;
``app.register_blueprint(bp, url_prefix=...)`` replaces the blueprint's own, as in Flask).
A prefix that is no string literal makes the path unknown (None). Django views get no path
(their URLs are in ``urls.py``, by reference).

``complete`` says the path is the whole URL path: the route is registered on the application
itself (an object built with ``Flask(...)``, ``FastAPI(...)``, ... in this file, or one named
``app`` that the file does not show to be a router: ``from main import app``, ``app =
create_app()``, a local ``app`` in a factory), or on a router mounted in this file on
such an application. A router built here but mounted elsewhere, or imported, may get more
prefix where it is mounted: its paths are only the tail of the URL.

The record is language-neutral: a JS/TS extractor (Express ``router.get("/x", handler)``,
NestJS ``@Get(":id")``) will fill the same fields; until the JS code facts exist, other
languages have no handlers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import NamedTuple

from archlint.codefacts import (
    KIND_CLASS,
    KIND_FUNCTION,
    KIND_METHOD,
    CodeFacts,
    Function,
    Value,
)
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matcher
from archlint.rules.scope import APPLICATION_LAYERS, application_code


class Handler(NamedTuple):
    """One route handler.

    ``function`` is the handler's index in ``CodeFacts.functions`` (-1 when it is no def of
    this file, e.g. a JS route naming an imported controller); ``line`` / ``column`` are where
    it is declared (the def). ``methods`` are upper-case HTTP methods, () for any or unknown.
    ``path`` is the full path as far as this file tells (router prefixes included), None when
    unknown. ``framework`` is "flask", "fastapi", "django" or "" when the file does not say.
    ``prefix`` is the part of ``path`` that came from routers ("" for none); ``complete``: see
    the module docstring.
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


HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
# Django REST framework actions (viewsets and generic API views) and their HTTP methods.
DRF_ACTIONS = {
    "list": "GET", "retrieve": "GET", "create": "POST", "update": "PUT",
    "partial_update": "PATCH", "destroy": "DELETE",
}  # fmt: skip
PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")

# What builds the object routes are registered on, by the callee's last name: applications
# (-> framework) and routers (-> framework, the keyword of their URL prefix); and the calls
# that mount a router (-> the keyword of the mount's prefix).
_APPLICATIONS = {"Flask": "flask", "Quart": "flask", "FastAPI": "fastapi"}  # Quart: Flask's API
_ROUTERS = {"Blueprint": ("flask", "url_prefix"), "APIRouter": ("fastapi", "prefix")}
_MOUNTS = {"include_router": "prefix", "register_blueprint": "url_prefix"}
# Signs of FastAPI in a decorator's keywords or a parameter's default.
_FASTAPI_KEYWORDS = frozenset({
    "response_model", "status_code", "tags", "dependencies", "summary", "response_class",
    "responses", "response_description", "operation_id", "deprecated",
})  # fmt: skip
_FASTAPI_PARAMS = frozenset({"Depends", "Query", "Body", "Path", "Header", "Cookie", "Form",
                             "File", "Security"})  # fmt: skip
_VIEW_BASES = ("View", "ViewSet", "Resource")  # the last: Flask-RESTful / Flask-RESTX
_DJANGO_METHODS = {"require_GET": ("GET",), "require_POST": ("POST",), "require_safe": ("GET", "HEAD")}


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


class _Module:
    """What one file says about the objects routes are registered on."""

    def __init__(self, facts: CodeFacts) -> None:
        self.facts = facts
        self.built: dict[str, Value] = {}  # module-level name -> the call that built it
        for assign in facts.assigns:
            value = assign.value
            if (assign.scope == -1 and assign.op == "=" and value is not None
                    and value.kind == "call" and assign.target not in self.built):
                self.built[assign.target] = value
        self.mounts: dict[str, tuple[str, str, Value | None]] = {}  # router -> (on, how, prefix)
        for call in facts.calls:
            how = last(call.callee)
            first = call.arg(0)
            if how in _MOUNTS and "." in call.callee and first is not None and first.kind == "name":
                on = call.callee.rpartition(".")[0]
                self.mounts.setdefault(first.text, (on, how, call.kwarg(_MOUNTS[how])))

    def framework(self, receiver: str) -> str:
        built = self.built.get(receiver)
        if built is None:
            return ""
        name = last(built.text)
        if name in _APPLICATIONS:
            return _APPLICATIONS[name]
        return _ROUTERS[name][0] if name in _ROUTERS else ""

    def resolve(self, receiver: str, depth: int = 0) -> tuple[str | None, bool]:
        """(prefix of routes registered on ``receiver``, None if unknown; whether complete)."""
        built = self.built.get(receiver)
        name = last(built.text) if built is not None else ""
        if name in _APPLICATIONS or (name not in _ROUTERS and last(receiver) == "app"):
            return "", True
        own: str | None = ""
        if name in _ROUTERS:
            value = built.get(_ROUTERS[name][1]) if built is not None else None
            own = None if value is not None and value.kind != "str" else value.text if value else ""
        mount = self.mounts.get(receiver)
        if mount is None or depth > 8:
            return own, False
        on, how, value = mount
        outer, complete = self.resolve(on, depth + 1)
        if value is not None and value.kind != "str":
            return None, complete
        if how == "register_blueprint" and value is not None:
            own = value.text  # Flask: the mount's url_prefix replaces the blueprint's
        elif value is not None:
            own = None if own is None else _join(value.text, own)
        if outer is None or own is None:
            return None, complete
        return _join(outer, own), complete


def _route(decorator: Value) -> tuple[str, str, Value] | None:
    """(receiver, decorator name, path Value) of a route decorator, None if it is not one."""
    if decorator.kind != "call":
        return None
    receiver, _, name = decorator.text.rpartition(".")
    if name not in ("route", "api_route", *HTTP_METHODS) or last(receiver) == "mock":
        return None  # @mock.patch(...) is no route
    path = decorator.args[0] if decorator.args else decorator.get("path") or decorator.get("rule")
    if path is None:
        return None
    if path.kind == "str" and (path.text.startswith("/") or path.text == ""):
        return receiver, name, path
    if path.kind == "fstr" and path.text.startswith("/"):
        return receiver, name, path
    return None


def _decorated(module: _Module, index: int, function: Function) -> Iterator[Handler]:
    for decorator in function.decorators:
        route = _route(decorator)
        if route is None:
            continue
        receiver, name, path_value = route
        if name in ("route", "api_route"):
            given = decorator.get("methods")
            methods = ("GET",) if given is None else _strings(given) or ()
        else:
            methods = (name.upper(),)
        framework = module.framework(receiver) if receiver else ""
        if not framework:
            if name == "route":
                framework = "flask"
            elif name == "api_route" or any(k in _FASTAPI_KEYWORDS for k, _ in decorator.items) or any(
                p.default is not None and p.default.kind == "call"
                and last(p.default.text) in _FASTAPI_PARAMS for p in function.params
            ):
                framework = "fastapi"
        prefix, complete = module.resolve(receiver) if receiver else ("", False)
        path = None
        if path_value.kind == "str" and prefix is not None:
            path = _join(prefix, path_value.text)
        yield Handler(index, function.qualname, function.line, function.column, methods, path,
                      framework, prefix or "", complete)


def _view_classes(facts: CodeFacts) -> dict[int, Function]:
    """Classes that are views: by their bases, or a base class of the module that is one."""
    views: dict[int, Function] = {}
    names: dict[str, int] = {}
    for index, function in enumerate(facts.functions):
        if function.kind != KIND_CLASS:
            continue
        for base in function.bases:
            name = last(base)
            if name.endswith(_VIEW_BASES) or (base in names and names[base] in views):
                views[index] = function
                break
        if function.parent == -1:
            names[function.name] = index
    return views


def _is_drf(facts: CodeFacts, views: dict[int, Function], index: int, depth: int = 0) -> bool:
    for base in views[index].bases:
        if last(base).endswith(("APIView", "ViewSet")):
            return True
        local = [i for i in views if views[i].name == base and views[i].parent == -1]
        if local and depth < 8 and _is_drf(facts, views, local[0], depth + 1):
            return True
    return False


_Registered = list[tuple["str | None", bool, str]]  # (path, complete, prefix) per registration


def _class_methods(facts: CodeFacts, module: _Module, paths: dict[str, _Registered]
                   ) -> Iterator[Handler]:
    views = _view_classes(facts)
    for class_index, klass in views.items():
        routed = []  # Flask-RESTX: @ns.route("/users/<int:id>") on the class
        for decorator in klass.decorators:
            route = _route(decorator)
            if route is not None:
                prefix, complete = module.resolve(route[0]) if route[0] else ("", False)
                known = route[2].kind == "str" and prefix is not None
                routed.append((_join(prefix or "", route[2].text) if known else None, complete,
                               prefix or ""))
        methods_here = {
            i: f for i, f in enumerate(facts.functions)
            if f.parent == class_index and f.kind == KIND_METHOD
        }
        names = {f.name for f in methods_here.values()}
        flask = ("dispatch_request" in names or klass.name in paths or bool(routed)
                 or any(last(b) in ("MethodView", "Resource") for b in klass.bases))
        drf = not flask and _is_drf(facts, views, class_index)
        framework = "flask" if flask else "django"
        registered = routed + paths.get(klass.name, []) or [(None, False, "")]
        for index, method in methods_here.items():
            verbs: tuple[str, ...] | None = None
            if method.name in HTTP_METHODS:
                verbs = (method.name.upper(),)
            elif drf and method.name in DRF_ACTIONS:
                verbs = (DRF_ACTIONS[method.name],)
            elif flask and method.name == "dispatch_request":
                declared = [a for a in facts.assigns if a.scope == class_index and a.target == "methods"]
                verbs = (_strings(declared[0].value) or ()) if declared else ("GET",)
            elif drf:
                for decorator in method.decorators:
                    if decorator.kind in ("call", "name") and last(decorator.text) == "action":
                        given = decorator.get("methods") if decorator.kind == "call" else None
                        verbs = ("GET",) if given is None else _strings(given) or ()
            if verbs is None:
                continue
            for path, complete, prefix in registered:
                yield Handler(index, method.qualname, method.line, method.column, verbs, path,
                              framework, prefix, complete)


def _url_rules(facts: CodeFacts, module: _Module) -> tuple[dict[str, _Registered], list[Handler]]:
    """Flask ``add_url_rule`` and Flask-RESTful ``add_resource``: the paths of view classes
    by name, and function handlers."""
    classes: dict[str, _Registered] = {}
    handlers: list[Handler] = []
    defs = {f.name: i for i, f in enumerate(facts.functions)
            if f.parent == -1 and f.kind == KIND_FUNCTION}
    for call in facts.calls:
        if "." not in call.callee:
            continue
        if last(call.callee) == "add_resource" and call.args and call.args[0].kind == "name":
            receiver = call.callee.rpartition(".")[0]
            prefix, complete = module.resolve(receiver)
            for url in call.args[1:]:
                known = url.kind == "str" and prefix is not None
                classes.setdefault(call.args[0].text, []).append(
                    (_join(prefix or "", url.text) if known else None, complete, prefix or ""))
            continue
        if last(call.callee) != "add_url_rule":
            continue
        rule, view = call.arg(0, "rule"), call.arg(2, "view_func")
        if rule is None or view is None:
            continue
        receiver = call.callee.rpartition(".")[0]
        prefix, complete = module.resolve(receiver)
        path = _join(prefix, rule.text) if rule.kind == "str" and prefix is not None else None
        if view.kind == "call" and last(view.text) == "as_view":
            name = view.text.rpartition(".")[0]
            classes.setdefault(name, []).append((path, complete, prefix or ""))
        elif view.kind == "name" and view.text in defs:
            index = defs[view.text]
            function = facts.functions[index]
            given = call.kwarg("methods")
            methods = ("GET",) if given is None else _strings(given) or ()
            handlers.append(Handler(index, function.qualname, function.line, function.column,
                                    methods, path, "flask", prefix or "", complete))
    return classes, handlers


def _is_views_module(path: str) -> bool:
    parts = PurePosixPath(path.replace("\\", "/")).parts
    return bool(parts) and (PurePosixPath(parts[-1]).stem == "views" or "views" in parts[:-1])


def _django_function(function: Function, in_views: bool) -> tuple[str, ...] | None:
    """The methods of a Django function view, None if the def is not one."""
    methods: tuple[str, ...] = ()
    api_view = False
    for decorator in function.decorators:
        name = last(decorator.text)
        if name == "api_view":
            api_view = True
            given = decorator.args[0] if decorator.kind == "call" and decorator.args else None
            methods = ("GET",) if given is None else _strings(given) or ()
        elif name == "require_http_methods" and decorator.kind == "call" and decorator.args:
            methods = _strings(decorator.args[0]) or ()
        elif name in _DJANGO_METHODS:
            methods = _DJANGO_METHODS[name]
    if api_view:
        return methods
    if (in_views and function.parent == -1 and function.kind == KIND_FUNCTION
            and not function.name.startswith("_")
            and function.params and function.params[0].name == "request"):
        return methods
    return None


def find_handlers(facts: CodeFacts, path: str = "") -> list[Handler]:
    """The route handlers of one file, in document order. ``path`` (the file's, relative)
    decides the language and whether the module is a Django ``views`` module."""
    if path and not path.endswith(PYTHON_SUFFIXES):
        return []  # JS/TS handlers come with the JS code facts
    if not facts.functions:
        return []
    module = _Module(facts)
    classes, found = _url_rules(facts, module)
    in_views = _is_views_module(path)
    for index, function in enumerate(facts.functions):
        if function.kind == KIND_CLASS:
            continue
        decorated = list(_decorated(module, index, function))
        if decorated:
            found.extend(decorated)
            continue
        methods = _django_function(function, in_views)
        if methods is not None:
            found.append(Handler(index, function.qualname, function.line, function.column,
                                 methods, None, "django"))
    found.extend(_class_methods(facts, module, classes))
    found.sort(key=lambda h: (h.line, h.column))
    return found


# --- which files the handler rules read ----------------------------------------------------

HANDLER_LAYERS = ["routes", "controllers"]


def handler_files(context: RuleContext) -> Iterator[tuple[str, CodeFacts, list[Handler]]]:
    """(path, code facts, handlers) of every file with handlers that the rule reads: the
    files of its ``layers`` option (routes and controllers by default), then, as a fallback
    for handlers kept elsewhere, those of the other application layers (``APPLICATION_LAYERS``:
    services, repositories, middleware, validators); files matching ``exclude`` (tests) never."""
    seen: set[str] = set()
    fallback = dataclasses.replace(
        context, options={**context.options, "layers": APPLICATION_LAYERS}
    )
    for source in (context, fallback):
        for path, facts in application_code(source):
            if path in seen:
                continue
            seen.add(path)
            handlers = find_handlers(facts, path)
            if handlers:
                yield path, facts, handlers


def describe(handler: Handler) -> str:
    """ "GET /users/{id}" or the qualname when the route is unknown, for messages."""
    if handler.path is None:
        return handler.qualname
    methods = "|".join(handler.methods) if handler.methods else "*"
    return f"{methods} {handler.path or '/'}"


# HTML pages, not API routes: a handler calling one of these renders a template.
PAGE_CALLS = ["render_template", "*.render_template", "render", "render_to_response",
              "TemplateResponse", "*.TemplateResponse"]  # fmt: skip


def page_handlers(facts: CodeFacts, patterns: Iterable[str]) -> set[int]:
    """The defs (scopes) that call one of ``patterns`` (callee text, ``*`` for any text)."""
    globs = [str(p) for p in patterns]
    match = matcher(globs)
    return {call.scope for call in facts.calls if match(call.callee)}


# --- paths ---------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def segments(path: str) -> list[tuple[str, bool]]:
    """The segments of a route path, each (text, is a parameter): ``{id}``, ``<int:id>``,
    ``:id`` and ``*`` wildcards are parameters."""
    found = []
    for part in path.split("/"):
        if part:
            found.append((part, part.startswith((":", "*")) or "{" in part or "<" in part))
    return found


def words(segment: str) -> list[str]:
    """The lower-case words of a path segment, split at camelCase, "_", "-" and ".":
    "getUserById" -> ["get", "user", "by", "id"], "get_all" -> ["get", "all"]."""
    return [word.lower() for word in _WORD.findall(segment)]
