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

``complete`` says the path is the whole URL path (Python; JS below): the route is registered on the application
itself (an object built with ``Flask(...)``, ``FastAPI(...)``, ... in this file, or one named
``app`` that the file does not show to be a router: ``from main import app``, ``app =
create_app()``, a local ``app`` in a factory), or on a router mounted in this file on
such an application. A router built here but mounted elsewhere, or imported, may get more
prefix where it is mounted: its paths are only the tail of the URL.

JavaScript / TypeScript (files ending .js .jsx .mjs .cjs .ts .tsx .mts .cts), from the JS
code facts:

* Registration calls (Express, Koa-router, Fastify, Hono, Polka): ``R.get|post|put|patch|
  delete|head|options|all|del(path, ...middleware, handler)``. The path (first argument) is
  a string starting with "/" (or "" or "*"), a list of them, or a template / variable (a
  handler with ``path`` None); koa-router's named form ``router.get("name", "/x", h)``
  too. The LAST argument is the handler, earlier ones are middleware. ``R.route("/x")
  .get(h).post(h2)`` gives one handler per method with the path of ``route()``;
  ``fastify.route({method, url, handler})`` (Hapi's ``server.route({method, path,
  handler})`` too) one per route. ``R`` must be a router: built
  in the module by ``express()``, ``express.Router()`` / ``Router()``, ``new Router()``
  (koa-router), ``fastify()`` / ``Fastify()``, ``new Hono()``, ``polka()`` …; or named
  like one (``app``, ``router``, ``routes``, ``server``, ``fastify``, or camelCase /
  snake_case names ending so: ``usersRouter``, ``adminApp``, ``user_routes``) and not built
  by an HTTP client (``const server = axios.create()``); or a parameter typed ``Router`` /
  ``Express`` / ``Application`` / ``FastifyInstance`` / ``Hono``, or a Fastify plugin's
  first parameter ``instance`` (``async function routes(instance, opts)``). HTTP clients
  (``axios.get(url, config)``, ``http.get(url, cb)``, ``$.get(url, cb)``,
  ``api.get(...)``) are none of these.
* The handler argument: an inline function (``function`` is its index); a reference
  resolved in the module: a function of the enclosing scopes (``list``), a member of an
  object literal (``controller.list``), a method of a class (``UsersController.list``),
  of an instance built at module level (``const users = new UsersController()``;
  ``users.list``) or of the class the registration is in (``this.list``),
  ``exports.list``; a wrapper call with one function or reference inside
  (``asyncHandler(async (req, res) => ...)``, ``catchAsync(list)``,
  ``controller.list.bind(controller)``). Anything else (``users.list`` of an imported
  module) is a handler with ``function`` -1, its text as qualname, at the registration.
* Prefixes: mounts in the module, ``app.use("/api", router)`` (also ``app.use(router)``
  and koa's ``app.use(router.routes())``), Fastify ``app.register(plugin, {prefix:
  "/v1"})`` for routes registered on the plugin function's parameter, Hono
  ``app.route("/users", users)``, and koa-router's ``new Router({prefix: "/users"})``; a
  mount with a prefix that is no string literal makes the path unknown. ``complete``: the
  route is on an application (``express()``, ``fastify()``, ``new Koa()`` …, an ``app``
  not built as a router, the ``app`` parameter of ``module.exports = (app) => ...``), or on
  a router mounted on one in this file.
* NestJS: methods decorated ``@Get(":id")``, ``@Post()``, ``@Put`` … ``@All`` of classes
  decorated ``@Controller("users")`` (or ``@Controller({path, version})``, or a list of
  paths): path = version + controller path + method path, with the slashes Nest adds
  ("/users/:id"); ``@Version("1")`` (on the method, else the controller's ``version``)
  prefixes "/v1", as URI versioning does. Never ``complete``: the global prefix and the
  versioning type are set in ``main.ts``.
* Controllers by signature: in a file under a ``controllers/`` or ``handlers/`` folder or
  named ``*.controller.*`` / ``*Controller.*``, the functions and methods not nested in a
  function whose first parameters are ``(req|request, res|response|reply)`` or
  ``(ctx[, next])``: route handlers registered in another file (any method, no path).

``framework`` for JS: "express", "koa", "fastify", "hono" or "nestjs", from what built the
receiver, else from the handler's parameters ((req, res): Express, (request, reply):
Fastify, (ctx): Koa, (c): Hono); "" when neither says. ``route_line`` / ``route_column``
locate the registration call, which the REST rules report path problems at.
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
    Call,
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
    it is declared (the def; for -1, the registration call). ``methods`` are upper-case HTTP
    methods, () for any or unknown. ``path`` is the full path as far as this file tells
    (router prefixes included), None when unknown. ``framework`` is "flask", "fastapi",
    "django", "express", "koa", "fastify", "hono", "nestjs" or "" when the file does not say.
    ``prefix`` is the part of ``path`` that came from routers ("" for none); ``complete``: see
    the module docstring. ``route_line`` / ``route_column``: the JS call that registers the
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


# Six rules ask for the handlers of the same files in one run: remembered per path, and
# valid only for the very same facts object (the code-facts store hands out one per file).
_REMEMBERED: dict[str, tuple[CodeFacts, list[Handler]]] = {}


def find_handlers(facts: CodeFacts, path: str = "") -> list[Handler]:
    """The route handlers of one file, in document order. ``path`` (the file's, relative)
    decides the language (Python when empty), whether the module is a Django ``views``
    module, and whether it is a JS/TS controllers module."""
    known = _REMEMBERED.get(path)
    if known is not None and known[0] is facts:
        return list(known[1])
    if len(_REMEMBERED) > 50_000:
        _REMEMBERED.clear()
    handlers = _find_handlers(facts, path)
    _REMEMBERED[path] = (facts, handlers)
    return list(handlers)


def _find_handlers(facts: CodeFacts, path: str) -> list[Handler]:
    if path.endswith(JS_SUFFIXES):
        return _javascript_handlers(facts, path)
    if path and not path.endswith(PYTHON_SUFFIXES):
        return []
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


# --- JavaScript / TypeScript ---------------------------------------------------------------

JS_SUFFIXES = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
# Registration methods of Express, Koa-router, Fastify, Hono, Polka: "all" is any method,
# koa-router's "del" is DELETE.
_JS_METHODS = {**{m: (m.upper(),) for m in HTTP_METHODS}, "del": ("DELETE",), "all": ()}
# What builds the object routes are registered on, by the callee's last name: applications
# (-> framework; routes on them are complete) and routers.
_JS_APPLICATIONS = {"express": "express", "polka": "express", "fastify": "fastify",
                    "Fastify": "fastify", "Koa": "koa"}  # fmt: skip
_JS_ROUTERS = {"Router": "", "KoaRouter": "koa"}
# Applications that are also routers (a sub-app is mounted): complete when named `app`.
_JS_EITHER = {"Hono": "hono", "Elysia": "elysia"}
_JS_BUILDERS = frozenset({*_JS_APPLICATIONS, *_JS_ROUTERS, *_JS_EITHER})
# Receivers that are routers by their name alone: `app`, `router`, `usersRouter`, `apiApp`,
# `server`, a Fastify plugin's `fastify` (never `api`, `http`, `axios`, `$`: HTTP clients
# have get/post methods too).
_JS_ROUTER_NAME = re.compile(
    r"(app|application|server|fastify|router|routes)"
    r"|.*([a-z0-9](App|Router|Routes|Server)|_(app|router|routes))"
)
# What builds HTTP clients (`const instance = axios.create(...)`): never a router.
_HTTP_CLIENTS = frozenset({"axios", "ky", "got", "wretch", "ofetch", "$fetch", "superagent",
                           "request", "needle", "supertest"})  # fmt: skip
# TypeScript types of a parameter routes are registered on.
_JS_ROUTER_TYPES = frozenset({"Router", "Express", "Application", "FastifyInstance", "Hono",
                              "KoaRouter", "Polka"})  # fmt: skip
_ROUTE_CHAIN = re.compile(r"(.+)\.route\(\)(?:\.[\w$]+\(\))*")
_NEST_METHODS = {
    "Get": ("GET",), "Post": ("POST",), "Put": ("PUT",), "Patch": ("PATCH",),
    "Delete": ("DELETE",), "Head": ("HEAD",), "Options": ("OPTIONS",), "All": (),
}  # fmt: skip
# A handler's first two parameters.
_REQUEST = frozenset({"req", "request"})
_RESPONSE = frozenset({"res", "response"})


def is_javascript(path: str) -> bool:
    return path.endswith(JS_SUFFIXES)


def descendants(facts: CodeFacts, index: int) -> set[int]:
    """The function at ``index`` and every function nested in it (JS inline callbacks)."""
    found = {index}
    for i in range(index + 1, len(facts.functions)):
        if facts.functions[i].parent in found:
            found.add(i)
    return found


def js_framework(function: Function) -> str:
    """The framework a JS handler's parameters say: (req, res) Express, (request, reply)
    Fastify, (ctx[, next]) Koa, (c) Hono; "" when they say none."""
    names = [p.name for p in function.params]
    if names[:1] == ["ctx"]:
        return "koa"
    if len(names) >= 2 and names[1] == "reply":
        return "fastify"
    if len(names) >= 2 and names[0] in _REQUEST and names[1] in _RESPONSE:
        return "express"
    return "hono" if names == ["c"] else ""


def type_name(annotation: str) -> str:
    return last(annotation.partition("<")[0].strip())


class _JsModule:
    """What one JS/TS file says about the objects routes are registered on."""

    def __init__(self, facts: CodeFacts) -> None:
        self.facts = facts
        self.built: dict[str, Value] = {}  # module-level name -> the call that built it
        self.instances: dict[str, str] = {}  # module-level name -> class it is an instance of
        for assign in facts.assigns:
            value = assign.value
            if (assign.scope == -1 and assign.op == "=" and value is not None
                    and value.kind == "call"):
                self.built.setdefault(assign.target, value)
        self.qualnames: dict[str, int] = {}
        for index, function in enumerate(facts.functions):
            self.qualnames.setdefault(function.qualname, index)
        classes = {f.qualname for f in facts.functions if f.kind == KIND_CLASS}
        for name, value in self.built.items():
            if value.text in classes:  # const users = new UsersController()
                self.instances[name] = value.text
        # router -> (what it is mounted on, the mount's prefix Value or None)
        self.mounts: dict[str, tuple[str, Value | None]] = {}
        self.at: dict[tuple[int, int], list[Call]] = {}  # calls by position (a chain shares one)
        for call in facts.calls:
            self.at.setdefault((call.line, call.column), []).append(call)
            receiver, dot, name = call.callee.rpartition(".")
            while receiver.endswith(".use()"):  # app.use(a).use(b)
                receiver = receiver[: -len(".use()")]
            args = call.args
            if not dot or not args:
                continue
            if name == "use":  # app.use("/api", router); app.use(PREFIX, router): unknown prefix
                first = args[0]
                prefix = first if first.kind in ("str", "fstr") or (
                    first.kind == "name" and len(args) > 1
                ) else None  # fmt: skip
                for value in args[1 if prefix is not None else 0:]:
                    target = value.text if value.kind == "name" else ""
                    if value.kind == "call" and last(value.text) in ("routes", "middleware"):
                        target = value.text.rpartition(".")[0]  # koa: app.use(router.routes())
                    if target:
                        self.mounts.setdefault(target, (receiver, prefix))
            elif name == "register" and args[0].kind == "name":  # app.register(plugin, {prefix})
                options = args[1] if len(args) > 1 and args[1].kind == "dict" else None
                given = options.get("prefix") if options is not None else None
                self.mounts.setdefault(args[0].text, (receiver, given))
            elif (name == "route" and len(args) == 2 and args[0].kind == "str"
                    and args[1].kind == "name"):  # Hono: app.route("/users", users)
                self.mounts.setdefault(args[1].text, (receiver, args[0]))

    def chain(self, call: Call, callee: str) -> Call | None:
        """The call of a chain that ``call`` ends, whose callee is ``callee``."""
        for other in self.at.get((call.line, call.column), ()):
            if other.callee == callee:
                return other
        return None

    def scopes(self, scope: int) -> Iterator[int]:
        while scope >= 0:
            yield scope
            scope = self.facts.functions[scope].parent

    def param_owner(self, receiver: str, scope: int) -> int | None:
        """The enclosing function a receiver is a parameter of (a Fastify plugin's `fastify`)."""
        if "." in receiver:
            return None
        for index in self.scopes(scope):
            if any(p.name == receiver for p in self.facts.functions[index].params):
                return index
        return None

    def is_router(self, receiver: str, scope: int) -> bool:
        if not receiver or any(c in receiver for c in "()[]"):
            return False
        built = self.built.get(receiver)
        if built is not None and last(built.text) in _JS_BUILDERS:
            return True
        if built is not None and re.split(r"[.(]", built.text, maxsplit=1)[0] in _HTTP_CLIENTS:
            return False
        if _JS_ROUTER_NAME.fullmatch(last(receiver)):
            return True
        owner = self.param_owner(receiver, scope)
        if owner is None:
            return False
        params = self.facts.functions[owner].params
        if receiver == "instance" and params[0].name == receiver and len(params) >= 2:
            return True  # a Fastify plugin: async function routes(instance, opts)
        return any(p.name == receiver and type_name(p.annotation) in _JS_ROUTER_TYPES
                   for p in params)  # fmt: skip

    def framework(self, receiver: str) -> str:
        built = self.built.get(receiver)
        if built is None:
            return ""
        name = last(built.text)
        if name in _JS_APPLICATIONS or built.text == "express.Router":
            return _JS_APPLICATIONS.get(name, "express")
        if name == "Router" and built.args and built.args[0].kind == "dict":
            return "koa"  # new Router({prefix}): koa-router
        return _JS_ROUTERS.get(name) or _JS_EITHER.get(name, "")

    def resolve(self, receiver: str, scope: int) -> tuple[str | None, bool]:
        """(prefix of routes registered on ``receiver`` in ``scope``, None if unknown;
        whether complete)."""
        owner = self.param_owner(receiver, scope)
        if owner is not None:  # a plugin's parameter: mounted where the plugin is registered
            name = self.facts.functions[owner].name
            if name in self.mounts:
                return self._resolve(name, plugin=True)
            return "", receiver == "app"
        return self._resolve(receiver)

    def _resolve(self, key: str, depth: int = 0, plugin: bool = False) -> tuple[str | None, bool]:
        built = None if plugin else self.built.get(key)
        factory = last(built.text) if built is not None else ""
        own: str | None = ""
        if factory in ("Router", "KoaRouter") and built is not None and built.args and (
            built.args[0].kind == "dict"
        ):
            given = built.args[0].get("prefix")  # koa-router: new Router({prefix: "/users"})
            own = None if given is not None and given.kind != "str" else given.text if given else ""
        mount = self.mounts.get(key)
        if mount is not None and depth <= 8:
            on, value = mount
            outer, complete = self._resolve(on, depth + 1)
            if value is not None and value.kind != "str":
                return None, complete
            if value is not None and own is not None:
                own = _join(value.text, own) if own else value.text
            if outer is None or own is None:
                return None, complete
            return _join(outer, own), complete
        if factory in _JS_APPLICATIONS or (factory not in _JS_ROUTERS and not plugin
                                           and last(key) == "app"):
            return own, True
        return own, False

    def function(self, text: str, scope: int) -> int:
        """The function of this module a handler reference names, -1 if none."""
        functions = self.facts.functions
        if text.startswith("this."):  # a method of the class the registration is in
            for index in self.scopes(scope):
                if functions[index].kind == KIND_CLASS:
                    found = self.qualnames.get(f"{functions[index].qualname}.{text[5:]}", -1)
                    return found if found < 0 or functions[found].kind != KIND_CLASS else -1
            return -1
        if text.startswith(("exports.", "module.exports.")):  # exports.list = (req, res) => ...
            text = text.rpartition("exports.")[2]
        head, dot, tail = text.partition(".")
        if dot and head in self.instances:
            text = f"{self.instances[head]}.{tail}"
        for index in [*self.scopes(scope), -1]:
            qualname = f"{functions[index].qualname}.{text}" if index >= 0 else text
            candidate = self.qualnames.get(qualname)
            if candidate is not None and functions[candidate].kind != KIND_CLASS:
                return candidate
        return -1

    def handler(self, value: Value, scope: int) -> tuple[int, str]:
        """(function index or -1, qualname) of the handler a registration argument gives."""
        if value.kind == "list" and value.args:
            return self.handler(value.args[-1], scope)
        if value.kind == "function" and value.text.isdigit():
            index = int(value.text)
            if index < len(self.facts.functions):
                return index, self.facts.functions[index].qualname
        if value.kind == "name":
            index = self.function(value.text, scope)
            return index, self.facts.functions[index].qualname if index >= 0 else value.text
        if value.kind == "call":
            if value.text.endswith(".bind"):  # controller.list.bind(controller)
                return self.handler(Value("name", value.text[: -len(".bind")]), scope)
            inner = [a for a in value.args if a.kind in ("function", "name")]
            if len(inner) == 1:  # asyncHandler(async (req, res) => ...), catchAsync(list)
                return self.handler(inner[0], scope)
            return -1, value.text + "()"
        return -1, ""


def _js_paths(value: Value) -> list[Value] | None:
    """The path Values a registration's path argument gives, None when it is no path."""
    if value.kind == "str":
        return [value] if value.text.startswith("/") or value.text in ("", "*") else None
    if value.kind in ("fstr", "name"):
        return [value]
    if value.kind == "list" and value.args and all(a.kind == "str" for a in value.args):
        return list(value.args)
    return None


def _js_registrations(
    module: _JsModule,
) -> Iterator[tuple[Call, str, tuple[str, ...], list[Value], Value]]:
    """(call, receiver, methods, path Values, handler argument) of every route registration."""
    for call in module.facts.calls:
        receiver, dot, name = call.callee.rpartition(".")
        args = call.args
        if not dot or not args:
            continue
        if name == "route" and len(args) == 1 and args[0].kind == "dict":  # fastify.route({...})
            options = args[0]
            url, handler = options.get("url") or options.get("path"), options.get("handler")
            method = options.get("method")
            if url is None or handler is None or method is None or not module.is_router(
                receiver, call.scope
            ):
                continue
            paths = _js_paths(url)
            methods = (method.text.upper(),) if method.kind == "str" else _strings(method) or ()
            if paths is not None:
                yield call, receiver, methods, paths, handler
            continue
        if name not in _JS_METHODS:
            continue
        chained = _ROUTE_CHAIN.fullmatch(receiver)
        if chained:  # router.route("/x").get(h).post(h2)
            route = module.chain(call, chained.group(1) + ".route")
            router = chained.group(1)
            if route is None or not route.args or not module.is_router(router, call.scope):
                continue
            paths = _js_paths(route.args[0])
            if paths is not None:
                yield call, router, _JS_METHODS[name], paths, args[-1]
            continue
        if len(args) < 2 or not module.is_router(receiver, call.scope):
            continue
        rest = args[1:]
        if (len(args) >= 3 and args[0].kind == "str" and args[1].kind == "str"
                and args[1].text.startswith("/") and not args[0].text.startswith("/")):
            paths, rest = [args[1]], args[2:]  # koa-router: router.get("name", "/x", h)
        else:
            paths = _js_paths(args[0])
        handler = rest[-1]
        inside = handler.get("handler") if handler.kind == "dict" else None
        if inside is not None:  # fastify.get("/x", {schema, handler})
            handler = inside
        if paths is None or handler.kind not in ("function", "name", "call", "list"):
            continue
        yield call, receiver, _JS_METHODS[name], paths, handler


def _nest_strings(value: Value | None) -> list[str] | None:
    """The strings of a Nest path or version argument; [""] when absent, None when unknown."""
    if value is None:
        return [""]
    if value.kind == "str":
        return [value.text]
    if value.kind == "list" and all(a.kind == "str" for a in value.args):
        return [a.text for a in value.args] or [""]
    return None


def _unknown(found: list[str] | None) -> list[str | None]:
    """The strings found, or one unknown (None)."""
    return [None] if found is None else list(found)


def _nest_path(*parts: str) -> str:
    """Nest paths have no leading slash: "users", ":id" -> "/users/:id"."""
    inner = [part.strip("/") for part in parts if part.strip("/")]
    return "/" + "/".join(inner)


def _nest_versions(value: Value | None) -> list[str]:
    """URI versions ("1" -> "v1") of a `@Version()` or `version:`; "" for none/neutral."""
    found = _nest_strings(value)
    return [f"v{v}" if v else "" for v in found] if found is not None else [""]


def _nest(facts: CodeFacts) -> Iterator[Handler]:
    """NestJS: methods decorated `@Get(":id")`, `@Post()` … of `@Controller("users")` classes."""
    functions = facts.functions
    for class_index, klass in enumerate(functions):
        if klass.kind != KIND_CLASS:
            continue
        controller = next((d for d in klass.decorators if last(d.text) == "Controller"), None)
        if controller is None:
            continue
        argument = controller.args[0] if controller.kind == "call" and controller.args else None
        version = None
        if argument is not None and argument.kind == "dict":
            options = argument
            argument, version = options.get("path"), options.get("version")
        prefixes = _unknown(_nest_strings(argument))
        for index, method in enumerate(functions):
            if method.parent != class_index or method.kind != KIND_METHOD:
                continue
            versions = _nest_versions(version)
            for decorator in method.decorators:
                if last(decorator.text) == "Version" and decorator.kind == "call":
                    versions = _nest_versions(decorator.args[0] if decorator.args else None)
            for decorator in method.decorators:
                verb = last(decorator.text)
                if verb not in _NEST_METHODS or decorator.kind not in ("call", "name"):
                    continue
                given = decorator.args[0] if decorator.kind == "call" and decorator.args else None
                paths = _unknown(_nest_strings(given))
                for v in versions:
                    for prefix in prefixes:
                        for path in paths:
                            known = prefix is not None and path is not None
                            full = _nest_path(v, prefix or "", path or "") if known else None
                            routed = _nest_path(v, prefix) if prefix is not None else ""
                            yield Handler(index, method.qualname, method.line, method.column,
                                          _NEST_METHODS[verb], full, "nestjs",
                                          "" if routed == "/" else routed, False)


def _is_controllers_module(path: str) -> bool:
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if not parts:
        return False
    stem = parts[-1].split(".")[0]
    return ("controllers" in parts[:-1] or "handlers" in parts[:-1]
            or ".controller." in parts[-1] or stem.endswith(("Controller", "controller")))


def _by_signature(function: Function) -> bool:
    """A function whose parameters are a handler's: (req, res[, next]), (request, reply),
    (ctx[, next])."""
    names = [p.name for p in function.params]
    if names[:1] == ["ctx"]:
        return len(names) == 1 or names[1] == "next"
    return len(names) >= 2 and names[0] in _REQUEST and names[1] in (*_RESPONSE, "reply")


def _javascript_handlers(facts: CodeFacts, path: str) -> list[Handler]:
    if not facts.functions and not facts.calls:
        return []
    module = _JsModule(facts)
    found: list[Handler] = list(_nest(facts))
    chained: dict[int, int] = {}  # found index -> callee length: in a chain, a().b() is after a()
    for call, receiver, methods, paths, argument in _js_registrations(module):
        index, qualname = module.handler(argument, call.scope)
        prefix, complete = module.resolve(receiver, call.scope)
        framework = module.framework(receiver)
        if index >= 0:
            function = facts.functions[index]
            line, column = function.line, function.column
            framework = framework or js_framework(function)
        else:
            line, column = call.line, call.column
        if framework == "" and module.param_owner(receiver, call.scope) is not None and (
            receiver in ("fastify", "instance")
        ):
            framework = "fastify"
        for value in paths:
            known = value.kind == "str" and prefix is not None
            text = "/*" if value.text == "*" and prefix else value.text  # app.all("*") under /api
            full = _join(prefix or "", text) if known else None
            chained[len(found)] = len(call.callee)
            found.append(Handler(index, qualname, line, column, methods, full, framework,
                                 prefix or "", complete, call.line, call.column))
    if _is_controllers_module(path):
        registered = {h.function for h in found}
        for index, function in enumerate(facts.functions):
            if index in registered or function.kind == KIND_CLASS or not _by_signature(function):
                continue
            parent = facts.function(function.parent)
            if parent is not None and not (parent.kind == KIND_CLASS and parent.parent == -1):
                continue  # nested in a function: a callback, not an exported handler
            found.append(Handler(index, function.qualname, function.line, function.column, (),
                                 None, js_framework(function)))
    ranked = sorted(enumerate(found), key=lambda pair: (
        pair[1].route_line or pair[1].line, pair[1].route_column or pair[1].column,
        chained.get(pair[0], 0),
    ))  # fmt: skip
    return [handler for _, handler in ranked]


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


def where(handler: Handler) -> tuple[int, int]:
    """Where to report a route (its path): the registration call of a JS route
    (``router.get("/x", list)``), else the handler's def (a decorator sits right on it)."""
    if handler.route_line:
        return handler.route_line, handler.route_column
    return handler.line, handler.column


def title(handler: Handler) -> str:
    """The handler's name for messages: its qualname, or its route when it is an inline
    (anonymous) function: "for GET /users"."""
    if not handler.qualname.endswith("<anonymous>"):
        return handler.qualname
    if handler.path is not None:
        return f"for {describe(handler)}"
    return f"registered at line {handler.route_line or handler.line}"


_ABSOLUTE = ("http://", "https://")


def absolute_url(call: Call) -> bool:
    """Whether a JS HTTP client call (``fetch(url)``, ``axios.get(url)``, ``axios({url})``)
    goes to an absolute URL: a literal starting with http(s)://, a template starting with a
    substitution (a base URL: `${API_URL}/charge`), or an environment variable; a relative
    URL ("/api/x") is the page's own server, a plain variable is unknown."""
    url = call.arg(0)
    if url is not None and url.kind == "dict":
        url = url.get("url")
    if url is None:
        return False
    if url.kind in ("str", "fstr") and url.text.startswith(_ABSOLUTE):
        return True
    return (url.kind == "fstr" and url.text.startswith("{")) or url.kind == "env"


def describe(handler: Handler) -> str:
    """ "GET /users/{id}" or the qualname when the route is unknown, for messages."""
    if handler.path is None:
        return handler.qualname
    methods = "|".join(handler.methods) if handler.methods else "*"
    return f"{methods} {handler.path or '/'}"


# HTML pages, not API routes: a handler calling one of these renders a template.
PAGE_CALLS = ["render_template", "*.render_template", "render", "render_to_response",
              "TemplateResponse", "*.TemplateResponse", "res.render", "response.render",
              "reply.view", "ctx.render"]  # fmt: skip


def page_handlers(facts: CodeFacts, patterns: Iterable[str]) -> set[int]:
    """The defs (scopes) that call one of ``patterns`` (callee text, ``*`` for any text),
    and NestJS methods decorated ``@Render("view")``."""
    globs = [str(p) for p in patterns]
    match = matcher(globs)
    found = {call.scope for call in facts.calls if match(call.callee)}
    found.update(i for i, f in enumerate(facts.functions)
                 if f.kind == KIND_METHOD and any(last(d.text) == "Render" for d in f.decorators))
    found.discard(-1)  # module level: no handler
    return found


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
