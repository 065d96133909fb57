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

import re
from collections.abc import Iterable, Iterator, Mapping

from archlint.codefacts import KIND_METHOD, Call, CodeFacts
from archlint.rules.context import RuleContext
from archlint.rules.handlers_base import HTTP_METHODS as HTTP_METHODS
from archlint.rules.handlers_base import Handler as Handler
from archlint.rules.handlers_base import last as last
from archlint.rules.handlers_javascript import JS_SUFFIXES, javascript_handlers
from archlint.rules.handlers_javascript import descendants as descendants
from archlint.rules.handlers_javascript import is_javascript as is_javascript
from archlint.rules.handlers_javascript import js_framework as js_framework
from archlint.rules.handlers_javascript import type_name as type_name
from archlint.rules.handlers_python import DRF_ACTIONS as DRF_ACTIONS
from archlint.rules.handlers_python import PYTHON_SUFFIXES as PYTHON_SUFFIXES
from archlint.rules.handlers_python import python_handlers
from archlint.rules.patterns import matcher
from archlint.rules.scope import (
    APPLICATION_LAYERS,
    TEST_FILES,
    code_of_files,
    listed_files,
    per_run,
)

def find_handlers(facts: CodeFacts, path: str = "") -> list[Handler]:
    """The route handlers of one file, in document order. ``path`` (the file's, relative)
    decides the language (Python when empty), whether the module is a Django ``views``
    module, and whether it is a JS/TS controllers module."""
    if path.endswith(JS_SUFFIXES):
        return javascript_handlers(facts, path)
    return python_handlers(facts, path)


# The calls of a file by scope, which the rules looking into handlers' bodies all group:
# remembered for the very same facts object (kept, so that its id is not reused).
_BY_SCOPE: dict[int, tuple[CodeFacts, dict[int, tuple[Call, ...]]]] = {}


def calls_by_scope(facts: CodeFacts) -> Mapping[int, tuple[Call, ...]]:
    """The calls of each scope (def, class or -1), in document order. Shared: not to be
    changed."""
    known = _BY_SCOPE.get(id(facts))
    if known is not None and known[0] is facts:
        return known[1]
    if len(_BY_SCOPE) > 50_000:
        _BY_SCOPE.clear()
    grouped: dict[int, list[Call]] = {}
    for call in facts.calls:
        grouped.setdefault(call.scope, []).append(call)
    found = {scope: tuple(calls) for scope, calls in grouped.items()}
    _BY_SCOPE[id(facts)] = (facts, found)
    return found


# --- which files the handler rules read ----------------------------------------------------

HANDLER_LAYERS = ["routes", "controllers"]
# The code facts the handler rules read: every application layer, since handler_files falls
# back to the other layers for handlers kept outside routes and controllers.
HANDLER_CODE_LAYERS = tuple(APPLICATION_LAYERS)


def handler_files(context: RuleContext) -> Iterator[tuple[str, CodeFacts, list[Handler]]]:
    """(path, code facts, handlers) of every file with handlers that the rule reads: the
    files of its ``layers`` option (routes and controllers by default), then, as a fallback
    for handlers kept elsewhere, those of the other application layers (``APPLICATION_LAYERS``:
    services, repositories, middleware, validators); files matching ``exclude`` (tests) never."""
    exclude = tuple(str(p) for p in context.options.get("exclude", TEST_FILES))
    layers = tuple(str(name) for name in context.options.get("layers", APPLICATION_LAYERS))
    # Six rules ask for the same files in one run: found once (see scope.per_run).
    found = per_run(context, ("handler files", layers, exclude, context.triggers),
                    lambda: _handler_files(context, layers, exclude))
    for path, facts, handlers in found:
        yield path, facts, list(handlers)  # a rule's own copy, as find_handlers gives


def _handler_files(context: RuleContext, layers: tuple[str, ...], exclude: tuple[str, ...]
                   ) -> list[tuple[str, CodeFacts, list[Handler]]]:
    found = []
    seen: set[str] = set()
    # Rules with other triggers or layers list other files, mostly the same ones: each
    # file's handlers are found once per run.
    known: dict[str, list[Handler]] = per_run(context, ("handlers by path",), dict)
    for chosen in (layers, tuple(APPLICATION_LAYERS)):
        files = listed_files(context, chosen, exclude)
        # The same code facts as application_code's, which other rules read too.
        for _module, path, facts in code_of_files(context, files, ("layers", chosen, exclude)):
            if path in seen:
                continue
            handlers = known.get(path)
            if handlers is None:
                handlers = known[path] = find_handlers(facts, path)
            if handlers:
                found.append((path, facts, handlers))
        seen.update(path for _module, path in files)
    return found


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
    match = matcher(patterns)  # remembered by the option list's identity: once per rule
    found = {call.scope for call in facts.calls if match(call.callee)}
    found.update(i for i, f in enumerate(facts.functions)
                 if f.kind == KIND_METHOD and f.decorators
                 and any(last(d.text) == "Render" for d in f.decorators))
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
