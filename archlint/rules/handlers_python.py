"""Python route handlers (Flask, Quart, FastAPI, Django, Django REST framework, Flask-RESTful),
found in code facts: see :mod:`archlint.rules.handlers`. Not a rule."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import PurePosixPath

from archlint.codefacts import (
    KIND_CLASS,
    KIND_FUNCTION,
    KIND_METHOD,
    CodeFacts,
    Function,
    Value,
)
from archlint.rules.handlers_base import HTTP_METHODS, Handler, _join, _strings, last

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
# Callees ending so, and only those, are a mount call (a last name of _MOUNTS after a dot):
# one str test per call instead of splitting every callee.
_MOUNT_CALLS = tuple("." + name for name in _MOUNTS)
_URL_RULE_CALLS = (".add_resource", ".add_url_rule")
# Signs of FastAPI in a decorator's keywords or a parameter's default.
_FASTAPI_KEYWORDS = frozenset({
    "response_model", "status_code", "tags", "dependencies", "summary", "response_class",
    "responses", "response_description", "operation_id", "deprecated",
})  # fmt: skip
_FASTAPI_PARAMS = frozenset({"Depends", "Query", "Body", "Path", "Header", "Cookie", "Form",
                             "File", "Security"})  # fmt: skip
_VIEW_BASES = ("View", "ViewSet", "Resource")  # the last: Flask-RESTful / Flask-RESTX
_DJANGO_METHODS = {"require_GET": ("GET",), "require_POST": ("POST",), "require_safe": ("GET", "HEAD")}

class _Module:
    """What one file says about the objects routes are registered on. Read on first use:
    most files (services, repositories, models) register no route and never ask."""

    def __init__(self, facts: CodeFacts) -> None:
        self.facts = facts

    @cached_property
    def built(self) -> dict[str, Value]:
        """Module-level name -> the call that built it."""
        built: dict[str, Value] = {}
        for assign in self.facts.assigns:
            value = assign.value
            if (assign.scope == -1 and assign.op == "=" and value is not None
                    and value.kind == "call" and assign.target not in built):
                built[assign.target] = value
        return built

    @cached_property
    def mounts(self) -> dict[str, tuple[str, str, Value | None]]:
        """Router -> (what it is mounted on, how, the mount's prefix Value or None)."""
        mounts: dict[str, tuple[str, str, Value | None]] = {}
        for call in self.facts.calls:
            if not call.callee.endswith(_MOUNT_CALLS):
                continue
            how = last(call.callee)
            first = call.arg(0)
            if first is not None and first.kind == "name":
                on = call.callee.rpartition(".")[0]
                mounts.setdefault(first.text, (on, how, call.kwarg(_MOUNTS[how])))
        return mounts

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
    defs: dict[str, int] | None = None  # module-level functions by name, when first needed
    for call in facts.calls:
        if not call.callee.endswith(_URL_RULE_CALLS):
            continue  # the same test as the last name's below, cheaper
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
        elif view.kind == "name":
            if defs is None:
                defs = {f.name: i for i, f in enumerate(facts.functions)
                        if f.parent == -1 and f.kind == KIND_FUNCTION}
            if view.text not in defs:
                continue
            index = defs[view.text]
            function = facts.functions[index]
            given = call.kwarg("methods")
            methods = ("GET",) if given is None else _strings(given) or ()
            handlers.append(Handler(index, function.qualname, function.line, function.column,
                                    methods, path, "flask", prefix or "", complete))
    return classes, handlers


def _is_views_module(path: str) -> bool:
    if "views" not in path:
        return False  # the common case, without building a path
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


def python_handlers(facts: CodeFacts, path: str) -> list[Handler]:
    if path and not path.endswith(PYTHON_SUFFIXES):
        return []
    if not facts.functions:
        return []
    module = _Module(facts)
    classes, found = _url_rules(facts, module)
    in_views = _is_views_module(path)
    for index, function in enumerate(facts.functions):
        if function.kind == KIND_CLASS or (not function.decorators and not in_views):
            continue  # neither decorated nor a Django view (see _django_function)
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
