"""JavaScript / TypeScript route handlers (Express, Koa, Fastify, Hono, Polka, NestJS), found
in code facts: see :mod:`archlint.rules.handlers`. Not a rule."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from archlint.codefacts import KIND_CLASS, KIND_METHOD, Call, CodeFacts, Function, Value
from archlint.rules.handlers_base import HTTP_METHODS, Handler, _join, _strings, last

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
    if "ontroller" not in path and "handlers" not in path:
        return False  # the common case, without building a path
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


def javascript_handlers(facts: CodeFacts, path: str) -> list[Handler]:
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
