"""Code facts from Python: exact records for every construct the code rules ask about."""

from __future__ import annotations

import gc
import marshal
import pickle
import textwrap
from pathlib import Path

import django
import pytest

from archlint.codefacts import Call, CodeFacts, Function, Value
from archlint.frontends.python_code import PYTHON_CODE_VERSION, extract_python_code


def extract(source: str) -> CodeFacts:
    """Facts of a dedented source whose first line is line 1."""
    return extract_python_code(textwrap.dedent(source).lstrip("\n").encode())


def scope_name(facts: CodeFacts, scope: int) -> str:
    return "<module>" if scope < 0 else facts.functions[scope].qualname


def calls(facts: CodeFacts) -> list[tuple[str, int, int, str]]:
    return [(c.callee, c.line, c.column, scope_name(facts, c.scope)) for c in facts.calls]


def call(facts: CodeFacts, callee: str) -> Call:
    (found,) = [c for c in facts.calls if c.callee == callee]
    return found


def loops(facts: CodeFacts) -> dict[str, list[tuple[str, int, int]]]:
    return {c.callee: [(lp.kind, lp.line, lp.column) for lp in c.loops] for c in facts.calls}


def function(facts: CodeFacts, qualname: str) -> Function:
    (found,) = [f for f in facts.functions if f.qualname == qualname]
    return found


def returns(facts: CodeFacts) -> list[tuple[Value | None, int, str]]:
    return [(r.value, r.line, scope_name(facts, r.scope)) for r in facts.returns]


def assigns(facts: CodeFacts) -> list[tuple[str, str, Value | None, int, str]]:
    return [(a.target, a.op, a.value, a.line, scope_name(facts, a.scope)) for a in facts.assigns]


def S(text: str) -> Value:
    return Value("str", text)


def N(text: str) -> Value:
    return Value("name", text)


def NUM(text: str) -> Value:
    return Value("num", text)


def CALL(callee: str, *args: Value, **kwargs: Value) -> Value:
    return Value("call", callee, args, tuple(kwargs.items()))


def DICT(*items: tuple[str, Value]) -> Value:
    return Value("dict", "", (), items)


TRUE, FALSE = Value("bool", "true"), Value("bool", "false")
NULL, OTHER = Value("null"), Value("other")


def test_version() -> None:
    assert PYTHON_CODE_VERSION == "python-code-2"


# --- route handlers -------------------------------------------------------------------

FLASK = """
from flask import Blueprint, Flask, jsonify, request
from flask.views import MethodView

app = Flask(__name__)
bp = Blueprint("users", __name__, url_prefix="/users")

@app.route("/health", methods=["GET", "HEAD"])
def health():
    return {"status": "ok"}

@bp.get("/<int:user_id>")
@login_required
def get_user(user_id: int):
    return jsonify(id=user_id)

class UserAPI(MethodView):
    decorators = [login_required]

    def get(self, user_id):
        return jsonify(user_id)

    async def post(self):
        return jsonify(request.json), 201

app.add_url_rule("/api/users/<int:id>", view_func=UserAPI.as_view("user_api"))
app.register_blueprint(bp, url_prefix="/v1")
"""


def test_flask_routes_blueprints_and_method_views() -> None:
    facts = extract(FLASK)
    assert [(f.qualname, f.kind, f.is_async, f.line, f.end_line, f.column, f.parent)
            for f in facts.functions] == [
        ("health", "function", False, 8, 9, 1, -1),
        ("get_user", "function", False, 13, 14, 1, -1),
        ("UserAPI", "class", False, 16, 23, 1, -1),
        ("UserAPI.get", "method", False, 19, 20, 5, 2),
        ("UserAPI.post", "method", True, 22, 23, 5, 2),
    ]
    assert function(facts, "health").decorators == (
        CALL("app.route", S("/health"), methods=Value("list", "", (S("GET"), S("HEAD")))),
    )
    assert function(facts, "get_user").decorators == (
        CALL("bp.get", S("/<int:user_id>")), N("login_required"),
    )
    assert [(p.name, p.annotation, p.kind, p.default)
            for p in function(facts, "get_user").params] == [("user_id", "int", "arg", None)]
    assert function(facts, "UserAPI").bases == ("MethodView",)
    assert facts.class_of(3) is function(facts, "UserAPI")
    assert facts.class_of(0) is None and facts.class_of(2) is None and facts.function(-1) is None
    assert assigns(facts) == [
        ("app", "=", CALL("Flask", N("__name__")), 4, "<module>"),
        ("bp", "=", CALL("Blueprint", S("users"), N("__name__"), url_prefix=S("/users")), 5,
         "<module>"),
        ("decorators", "=", Value("list", "", (N("login_required"),)), 17, "UserAPI"),
    ]
    assert calls(facts) == [
        ("Flask", 4, 7, "<module>"),
        ("Blueprint", 5, 6, "<module>"),
        ("app.route", 7, 2, "<module>"),
        ("bp.get", 11, 2, "<module>"),
        ("jsonify", 14, 12, "get_user"),
        ("jsonify", 20, 16, "UserAPI.get"),
        ("jsonify", 23, 16, "UserAPI.post"),
        ("app.add_url_rule", 25, 1, "<module>"),
        ("UserAPI.as_view", 25, 51, "<module>"),
        ("app.register_blueprint", 26, 1, "<module>"),
    ]
    assert call(facts, "app.add_url_rule").kwargs == (
        ("view_func", CALL("UserAPI.as_view", S("user_api"))),
    )
    assert call(facts, "app.register_blueprint").kwarg("url_prefix") == S("/v1")
    assert call(facts, "app.register_blueprint").arg(0) == N("bp")
    assert call(facts, "app.register_blueprint").arg(1, "url_prefix") == S("/v1")
    assert call(facts, "app.register_blueprint").arg(1) is None
    assert returns(facts) == [
        (DICT(("status", S("ok"))), 9, "health"),
        (CALL("jsonify", id=N("user_id")), 14, "get_user"),
        (CALL("jsonify", N("user_id")), 20, "UserAPI.get"),
        (Value("tuple", "", (CALL("jsonify", N("request.json")), NUM("201"))), 23, "UserAPI.post"),
    ]


FASTAPI = """
from fastapi import APIRouter, Depends, Request

router = APIRouter(prefix="/v1/users", tags=["users"])

@router.post("/", status_code=201, response_model=UserOut)
async def create_user(payload: UserIn, request: Request, db: Session = Depends(get_db)) -> UserOut:
    user = await service.create(db, payload)
    return user

@router.get("/{user_id}")
async def read_user(user_id: int, db: Annotated[Session, Depends(get_db)], *, q: str | None = None):
    return JSONResponse({"detail": "not found"}, status_code=404)
"""


def test_fastapi_router_with_prefix_and_dependencies() -> None:
    facts = extract(FASTAPI)
    assert assigns(facts) == [(
        "router", "=",
        CALL("APIRouter", prefix=S("/v1/users"), tags=Value("list", "", (S("users"),))),
        3, "<module>",
    )]
    create = function(facts, "create_user")
    assert (create.is_async, create.returns, create.statements) == (True, "UserOut", 2)
    assert create.decorators == (
        CALL("router.post", S("/"), status_code=NUM("201"), response_model=N("UserOut")),
    )
    assert [(p.name, p.annotation, p.kind, p.default) for p in create.params] == [
        ("payload", "UserIn", "arg", None),
        ("request", "Request", "arg", None),
        ("db", "Session", "arg", CALL("Depends", N("get_db"))),
    ]
    read = function(facts, "read_user")
    assert [(p.name, p.annotation, p.kind, p.default) for p in read.params] == [
        ("user_id", "int", "arg", None),
        ("db", "Annotated[Session, Depends(get_db)]", "arg", None),
        ("q", "str | None", "kwonly", NULL),
    ]
    assert calls(facts) == [
        ("APIRouter", 3, 10, "<module>"),
        ("router.post", 5, 2, "<module>"),
        ("Depends", 6, 72, "<module>"),  # a default runs when the def does: module level
        ("service.create", 7, 18, "create_user"),
        ("router.get", 10, 2, "<module>"),
        ("Depends", 11, 58, "<module>"),
        ("JSONResponse", 12, 12, "read_user"),
    ]
    assert returns(facts) == [
        (N("user"), 8, "create_user"),
        (CALL("JSONResponse", DICT(("detail", S("not found"))), status_code=NUM("404")), 12,
         "read_user"),
    ]


DJANGO = """
class ArticleView(LoginRequiredMixin, generic.View):
    def get(self, request, *args, **kwargs):
        articles = Article.objects.filter(published=True).order_by("-created")
        return render(request, "articles.html", {"articles": articles})

class ArticleViewSet(viewsets.ModelViewSet):
    queryset = Article.objects.all()
    serializer_class = ArticleSerializer

    def list(self, request):
        return Response(self.get_serializer(self.queryset, many=True).data)

    def retrieve(self, request, pk=None):
        pass

def article_detail(request, pk):
    return render(request, "a.html", {"a": get_object_or_404(Article, pk=pk)})
"""


def test_django_class_based_views_viewsets_and_function_views() -> None:
    facts = extract(DJANGO)
    assert [(f.qualname, f.kind, f.parent, f.bases) for f in facts.functions] == [
        ("ArticleView", "class", -1, ("LoginRequiredMixin", "generic.View")),
        ("ArticleView.get", "method", 0, ()),
        ("ArticleViewSet", "class", -1, ("viewsets.ModelViewSet",)),
        ("ArticleViewSet.list", "method", 2, ()),
        ("ArticleViewSet.retrieve", "method", 2, ()),
        ("article_detail", "function", -1, ()),
    ]
    assert [(p.name, p.kind, p.default) for p in function(facts, "ArticleView.get").params] == [
        ("self", "arg", None), ("request", "arg", None), ("args", "vararg", None),
        ("kwargs", "kwarg", None),
    ]
    assert function(facts, "ArticleViewSet.retrieve").params[2].default == NULL
    assert calls(facts) == [
        ("Article.objects.filter().order_by", 3, 20, "ArticleView.get"),
        ("Article.objects.filter", 3, 20, "ArticleView.get"),
        ("render", 4, 16, "ArticleView.get"),
        ("Article.objects.all", 7, 16, "ArticleViewSet"),
        ("Response", 11, 16, "ArticleViewSet.list"),
        ("self.get_serializer", 11, 25, "ArticleViewSet.list"),
        ("render", 17, 12, "article_detail"),
        ("get_object_or_404", 17, 44, "article_detail"),
    ]
    assert call(facts, "Article.objects.filter().order_by").args == (S("-created"),)
    assert call(facts, "Article.objects.filter").kwargs == (("published", TRUE),)
    assert [(a.target, a.value, a.scope) for a in facts.assigns] == [
        ("queryset", CALL("Article.objects.all"), 2),
        ("serializer_class", N("ArticleSerializer"), 2),
    ]  # `articles = ...` in a def is a local: not kept
    assert returns(facts)[1] == (
        CALL("Response", N("self.get_serializer().data")), 11, "ArticleViewSet.list",
    )


def test_service_taking_a_request_parameter() -> None:
    facts = extract("""
        def create_order(request: Request, data: dict) -> Order: ...
        def refund(req: "starlette.requests.Request", amount: Optional[Decimal] = None): ...
        def notify(resp: Response | None, /, *rest: Any, **options: "Option"): ...
    """)
    assert [[(p.name, p.annotation, p.kind) for p in f.params] for f in facts.functions] == [
        [("request", "Request", "arg"), ("data", "dict", "arg")],
        [("req", "starlette.requests.Request", "arg"), ("amount", "Optional[Decimal]", "arg")],
        [("resp", "Response | None", "arg"), ("rest", "Any", "vararg"),
         ("options", "Option", "kwarg")],
    ]
    assert facts.functions[0].returns == "Order"
    assert facts.functions[0].statements == 1  # the `...`


# --- loops: N+1 queries -----------------------------------------------------------------

LOOPS = """
def report(session, users):
    for user in session.query(User).all():
        user.orders.count()
        while cursor.fetchone():
            db.session.add(user)
    names = [u.profile.get() for u in User.objects.filter(a=1) if u.check()]
    return {k: cache.get(k) for k in keys()}

async def stream(conn):
    async for row in conn.stream(q()):
        await conn.execute(row)
    total = sum(Order.objects.get(id=i).total for i in ids for j in lookup(i))
    for x in xs:
        def later():
            session.execute(x)
        handlers.append(lambda: db.query(x))
    else:
        finish()
"""


def test_calls_inside_loops_innermost_last_with_loop_lines() -> None:
    facts = extract(LOOPS)
    assert loops(facts) == {
        "session.query().all": [],  # a for loop's iterable runs once, before the loop
        "session.query": [],
        "user.orders.count": [("for", 2, 5)],
        "cursor.fetchone": [("for", 2, 5), ("while", 4, 9)],  # the test runs every time
        "db.session.add": [("for", 2, 5), ("while", 4, 9)],
        "u.profile.get": [("list comprehension", 6, 13)],
        "User.objects.filter": [],  # the first iterable runs once, outside
        "u.check": [("list comprehension", 6, 13)],
        "cache.get": [("dict comprehension", 7, 12)],
        "keys": [],
        "conn.stream": [],
        "q": [],
        "conn.execute": [("async for", 10, 5)],
        "sum": [],
        "Order.objects.get": [("generator expression", 12, 16)],
        "lookup": [("generator expression", 12, 16)],  # a second iterable runs per item
        "session.execute": [],  # a def's body runs when it is called, not in the loop
        "handlers.append": [("for", 13, 5)],
        "db.query": [("for", 13, 5)],  # lambdas keep the loops they are written in
        "finish": [],  # for ... else: after the loop
    }
    assert scope_name(facts, call(facts, "db.query").scope) == "stream"
    assert scope_name(facts, call(facts, "session.execute").scope) == "stream.later"
    assert [(f.qualname, f.kind, f.statements) for f in facts.functions] == [
        ("report", "function", 6),
        ("stream", "function", 8),
        ("stream.later", "function", 1),
    ]


def test_loop_stacks_are_shared_between_calls_of_one_loop() -> None:
    facts = extract(LOOPS)
    assert call(facts, "cursor.fetchone").loops is call(facts, "db.session.add").loops


# --- tokens, secrets, cookies ---------------------------------------------------------

TOKENS = """
import os
ACCESS_TOKEN_EXPIRE_MINUTES = 60
SECRET = os.getenv("JWT_SECRET", "dev-secret")
KEY = os.environ.get("KEY") or "fallback"
NEG = -1.5

class Settings(BaseSettings):
    access_token_expire_minutes: int = 60 * 24
    jwt_secret: str

def issue(user, response):
    payload = {"sub": user.id, "exp": datetime.utcnow() + timedelta(minutes=60)}
    a = jwt.encode(payload, "literal-secret", algorithm="HS256")
    b = jwt.encode(payload, os.environ["SECRET"], algorithm="HS256")
    c = jwt.encode({"exp": now() + timedelta(hours=1)}, settings.SECRET_KEY, "HS256")
    response.set_cookie("refresh_token", b, httponly=True, secure=False, samesite="Lax",
                        max_age=30 * 24 * 3600, **extra)
"""


def test_jwt_secrets_expiry_and_cookie_arguments() -> None:
    facts = extract(TOKENS)
    encodes = [c for c in facts.calls if c.callee == "jwt.encode"]
    assert [(c.args, c.kwargs) for c in encodes] == [
        ((N("payload"), S("literal-secret")), (("algorithm", S("HS256")),)),
        ((N("payload"), Value("env", "SECRET")), (("algorithm", S("HS256")),)),
        ((DICT(("exp", Value("op", "+", (CALL("now"), CALL("timedelta", hours=NUM("1")))))),
          N("settings.SECRET_KEY"), S("HS256")), ()),
    ]
    assert [(c.kwargs, c.line) for c in facts.calls if c.callee == "timedelta"] == [
        ((("minutes", NUM("60")),), 12), ((("hours", NUM("1")),), 15),
    ]
    assert facts.calls[0].callee == "os.getenv"
    cookie = call(facts, "response.set_cookie")
    assert cookie.args == (S("refresh_token"), N("b"))
    assert cookie.kwargs == (
        ("httponly", TRUE), ("secure", FALSE), ("samesite", S("Lax")),
        ("max_age", Value("op", "*", (Value("op", "*", (NUM("30"), NUM("24"))), NUM("3600")))),
        ("**", N("extra")),
    )
    assert assigns(facts) == [
        ("ACCESS_TOKEN_EXPIRE_MINUTES", "=", NUM("60"), 2, "<module>"),
        ("SECRET", "=", Value("env", "JWT_SECRET", (S("dev-secret"),)), 3, "<module>"),
        ("KEY", "=", Value("op", "or", (Value("env", "KEY"), S("fallback"))), 4, "<module>"),
        ("NEG", "=", NUM("-1.5"), 5, "<module>"),
        ("access_token_expire_minutes", "=", Value("op", "*", (NUM("60"), NUM("24"))), 8,
         "Settings"),
        ("jwt_secret", ":", None, 9, "Settings"),
    ]
    assert [a.annotation for a in facts.assigns][-2:] == ["int", "str"]
    assert call(facts, "os.getenv").args == (S("JWT_SECRET"), S("dev-secret"))  # still a call


# --- returns --------------------------------------------------------------------------

RETURNS = """
def view(request):
    if bad:
        return {"error": "bad input", **extra}
    if worse:
        return jsonify(error="worse"), 200
    if other:
        return Response("nope", status=200)
    if nothing:
        return
    return None
"""


def test_returns_summarise_error_bodies_and_statuses() -> None:
    facts = extract(RETURNS)
    assert returns(facts) == [
        (DICT(("error", S("bad input")), ("**", N("extra"))), 3, "view"),
        (Value("tuple", "", (CALL("jsonify", error=S("worse")), NUM("200"))), 5, "view"),
        (CALL("Response", S("nope"), status=NUM("200")), 7, "view"),
        (None, 9, "view"),
        (NULL, 10, "view"),
    ]
    assert facts.returns[0].column == 9
    assert facts.returns[0].value.get("error") == S("bad input")
    assert facts.returns[0].value.get("missing") is None


# --- module state ---------------------------------------------------------------------

STATE = """
CACHE = {}
ITEMS = []
SEEN = set()
REGISTRY = defaultdict(list)
COUNTS: dict[str, int] = dict()
COLOURS = ("red", "green")
FROZEN = frozenset({"a"})
counter = 0
A, B = 1, [2]
X, Y = make()

def remember(key, value):
    global counter
    counter += 1
    CACHE[key] = value
    ITEMS.append(value)
    CACHE.update({key: value})
    del CACHE["old"]
    state.user = value
    local = {}
    local_total = 1
    local_total += 1
    self.cache[key] = value
    cls.registry[key] = value

class Store:
    def put(self, key):
        SEEN.add(key)
        self.items[key] = 1
"""


def test_module_level_containers_and_their_mutations_in_functions() -> None:
    facts = extract(STATE)
    assert assigns(facts) == [
        ("CACHE", "=", DICT(), 1, "<module>"),
        ("ITEMS", "=", Value("list"), 2, "<module>"),
        ("SEEN", "=", CALL("set"), 3, "<module>"),
        ("REGISTRY", "=", CALL("defaultdict", N("list")), 4, "<module>"),
        ("COUNTS", "=", CALL("dict"), 5, "<module>"),
        ("COLOURS", "=", Value("tuple", "", (S("red"), S("green"))), 6, "<module>"),
        ("FROZEN", "=", CALL("frozenset", Value("set", "", (S("a"),))), 7, "<module>"),
        ("counter", "=", NUM("0"), 8, "<module>"),
        ("A", "=", NUM("1"), 9, "<module>"),
        ("B", "=", Value("list", "", (NUM("2"),)), 9, "<module>"),
        ("X", "=", OTHER, 10, "<module>"),
        ("Y", "=", OTHER, 10, "<module>"),
        ("counter", "+=", NUM("1"), 14, "remember"),
        ("CACHE[]", "=", N("value"), 15, "remember"),
        ("CACHE[]", "del", None, 18, "remember"),
        ("state.user", "=", N("value"), 19, "remember"),
    ]
    assert facts.assigns[4].annotation == "dict[str, int]"
    assert [a.column for a in facts.assigns if a.line == 9] == [1, 4]
    assert function(facts, "remember").globals == ("counter",)
    assert function(facts, "Store.put").globals == ()
    assert [(c.callee, scope_name(facts, c.scope)) for c in facts.calls if c.scope >= 0] == [
        ("ITEMS.append", "remember"),
        ("CACHE.update", "remember"),
        ("SEEN.add", "Store.put"),
    ]


# --- files, prints, main guard --------------------------------------------------------

def test_file_writes_arguments() -> None:
    facts = extract("""
        def export(path, data):
            with open(path, "w") as out, open(path + ".log", mode="ab") as log:
                out.write(data)
            Path(path).write_text(data, encoding="utf-8")
            shutil.copyfile(path, "/tmp/backup")
    """)
    assert [(c.callee, c.args, c.kwargs) for c in facts.calls] == [
        ("open", (N("path"), S("w")), ()),
        ("open", (Value("op", "+", (N("path"), S(".log"))),), (("mode", S("ab")),)),
        ("out.write", (N("data"),), ()),
        ("Path().write_text", (N("data"),), (("encoding", S("utf-8")),)),
        ("Path", (N("path"),), ()),
        ("shutil.copyfile", (N("path"), S("/tmp/backup")), ()),
    ]


def test_prints_in_functions_at_module_level_and_under_the_main_guard() -> None:
    facts = extract("""
        print("loading")

        def run():
            print("running")

        if __name__ == "__main__":
            run()
            print("done")
    """)
    assert calls(facts) == [
        ("print", 1, 1, "<module>"),
        ("print", 4, 5, "run"),
        ("run", 7, 5, "<module>"),
        ("print", 8, 5, "<module>"),
    ]
    assert facts.main_guard == (6, 8)
    assert [facts.in_main_guard(c.line) for c in facts.calls] == [False, False, True, True]


def test_main_guard_either_way_round_and_only_at_module_level() -> None:
    assert extract('x = 1\nif "__main__" == __name__:\n    main()\n').main_guard == (2, 3)
    assert extract('def f():\n    if __name__ == "__main__":\n        main()\n').main_guard is None
    assert extract('if __name__ != "__main__":\n    main()\n').main_guard is None
    assert extract("print(1)\n").main_guard is None
    assert not extract("print(1)\n").in_main_guard(1)


# --- scopes, qualnames, lambdas, decorators --------------------------------------------

NESTED = """
@register("svc", retries=3, backoff={"base": 2, "max": [10, 20]})
class Outer(Base, metaclass=Meta):
    class Inner:
        def method(self):
            def helper(x):
                return fetch(x)
            return helper(1)

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self._name = clean(value)

def top():
    key = lambda item: score(item)
    return sorted(items, key=key)
"""


def test_nested_qualnames_parents_and_duplicate_names() -> None:
    facts = extract(NESTED)
    assert [(f.qualname, f.name, f.kind, f.parent, f.line, f.end_line, f.statements)
            for f in facts.functions] == [
        ("Outer", "Outer", "class", -1, 2, 15, 9),
        ("Outer.Inner", "Inner", "class", 0, 3, 7, 4),
        ("Outer.Inner.method", "method", "method", 1, 4, 7, 3),
        ("Outer.Inner.method.helper", "helper", "function", 2, 5, 6, 1),
        ("Outer.name", "name", "method", 0, 10, 11, 1),
        ("Outer.name", "name", "method", 0, 14, 15, 1),  # getter and setter share a qualname
        ("top", "top", "function", -1, 17, 19, 2),
    ]
    assert facts.functions[0].bases == ("Base",)  # keywords such as metaclass are not bases
    assert facts.functions[0].decorators == (CALL(
        "register", S("svc"), retries=NUM("3"),
        backoff=DICT(("base", NUM("2")), ("max", Value("list", "", (NUM("10"), NUM("20"))))),
    ),)
    assert [d for f in facts.functions[4:6] for d in f.decorators] == [
        N("property"), N("name.setter"),
    ]
    assert calls(facts) == [
        ("register", 1, 2, "<module>"),
        ("fetch", 6, 24, "Outer.Inner.method.helper"),
        ("helper", 7, 20, "Outer.Inner.method"),
        ("clean", 15, 22, "Outer.name"),
        ("score", 18, 24, "top"),  # a lambda is no scope: its calls are the def's
        ("sorted", 19, 12, "top"),
    ]
    assert facts.calls[3].scope == 5  # the setter, told apart from the getter by index
    assert function(facts, "top").statements == 2  # the lambda adds no statement
    assert [(a.target, a.scope) for a in facts.assigns] == []  # self._name, key: not kept


def test_statement_count_is_recursive() -> None:
    facts = extract("""
        def f(x):
            \"\"\"Doc.\"\"\"
            try:
                if x:
                    a = 1
                elif y:
                    b = 2
                else:
                    for i in x:
                        pass
            except ValueError:
                raise
            finally:
                done()
            with ctx():
                match x:
                    case 1:
                        return 1
    """)
    # docstring, try, if, a=, elif-if, b=, for, pass, raise, done(), with, match, return
    assert facts.functions[0].statements == 13
    assert facts.functions[0].end_line == 18


# --- callee text and values -------------------------------------------------------------


def test_callee_text_conventions() -> None:
    facts = extract("""
        a.b.c()
        a().b()
        User.objects.filter(x=1).first()
        x[0].y()
        "-".join(parts)
        (a or b).c()
        super().save()
        self.db.execute(sql)
        handlers[name](event)
        f()()
        (await fetch()).json()
    """)
    assert [c.callee for c in facts.calls] == [
        "a.b.c",
        "a().b", "a",
        "User.objects.filter().first", "User.objects.filter",
        "x[].y",
        "",
        "",
        "super().save", "super",
        "self.db.execute",
        "handlers[]",
        "f()", "f",
        "", "fetch",
    ]
    assert facts.calls[6].args == (N("parts"),)  # recorded, with arguments, even without text


def test_value_kinds() -> None:
    facts = extract("""
        f(b"tok\\xff", f"/users/{user.id}/x{1 + 2}", 1.5, -3, 2j, True, None, ..., {1, 2},
          *rest, not ok, a if c else "d", x < 3, lambda: 1, [i for i in y], await g(),
          os.environ.get("A", "b"), getenv(name), environ.get("X", default="y"),
          os.environ[key], headers["Authorization"], config().secret, "%s" % x, 0x{big})
    """.replace("{big}", "f" * 4000))
    assert facts.calls[0].args == (
        Value("bytes", "tok\xff"),
        Value("fstr", "/users/{user.id}/x{}"),
        NUM("1.5"), NUM("-3"), NUM("2j"), TRUE, NULL, OTHER,
        Value("set", "", (NUM("1"), NUM("2"))),
        Value("star", "", (N("rest"),)),
        Value("op", "not", (N("ok"),)),
        Value("op", "if", (N("a"), N("c"), S("d"))),
        OTHER, OTHER, OTHER,
        Value("await", "", (CALL("g"),)),
        Value("env", "A", (S("b"),)),
        Value("env", ""),
        Value("env", "X", (S("y"),)),
        Value("env", ""),
        N("headers[]"),
        N("config().secret"),
        Value("op", "%", (S("%s"), N("x"))),
        OTHER,  # an int too long to print
    )


def test_values_nest_to_a_fixed_depth() -> None:
    facts = extract("f([[[[[1]]]]], {'a': {'b': {'c': {'d': {'e': 1}}}}}, {1: 2, x: 3})\n")
    deep, mapping, keys = facts.calls[0].args
    assert deep == Value("list", "", (Value("list", "", (Value("list", "", (
        Value("list", "", (OTHER,)),)),)),))
    assert mapping.get("a").get("b").get("c") == DICT(("d", OTHER))
    assert keys == DICT(("", NUM("2")), ("", NUM("3")))  # only str keys keep their text


def test_calls_are_in_document_order() -> None:
    facts = extract("f(g(), h(k()))\nf(key=a(), *b())\nclass C(metaclass=m(), *bases()): pass\n")
    assert [(c.callee, c.line, c.column) for c in facts.calls] == [
        ("f", 1, 1), ("g", 1, 3), ("h", 1, 8), ("k", 1, 10),
        ("f", 2, 1), ("a", 2, 7), ("b", 2, 13),
        ("m", 3, 19), ("bases", 3, 25),
    ]


# --- robustness, columns, determinism -----------------------------------------------------


@pytest.mark.parametrize("data", [
    b"def f(:\n    pass\n",
    b"x = 1\n\0\n",
    b"\xff\xfe not utf-8 (\n",
    b"x = (" * 300 + b")" * 300,
    b"x = " + b"-" * 100_000 + b"1\n",
    b"",
])
def test_unreadable_or_empty_files_give_empty_facts(data: bytes) -> None:
    assert extract_python_code(data) == CodeFacts()


def test_long_operator_chains_are_walked_without_deep_recursion() -> None:
    chain = b"x = " + b" + ".join([b"f(%d)" % i for i in range(2_000)]) + b"\n"
    facts = extract_python_code(chain)
    assert [c.args for c in facts.calls] == [(NUM(str(i)),) for i in range(2_000)]
    assert [c.column for c in facts.calls][:3] == [5, 12, 19]


def test_never_raises_on_deep_expressions_and_keeps_gc_state() -> None:
    assert gc.isenabled()
    for deep in (b"x = " + b" + ".join([b"f(a)"] * 20_000), b"x = " + b"f(a)" * 1_000):
        assert isinstance(extract_python_code(deep + b"\n"), CodeFacts)  # too deep: no error
    assert gc.isenabled()
    gc.disable()
    try:
        extract_python_code(b"f(1)\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_columns_count_characters_not_bytes() -> None:
    facts = extract_python_code('s = "héllo"; print(s)\n'.encode())
    assert [(c.callee, c.line, c.column) for c in facts.calls] == [("print", 1, 14)]
    latin = b"# -*- coding: latin-1 -*-\ns = '\xe9\xe9'; save(s)\n"
    facts = extract_python_code(latin)
    assert [(c.callee, c.line, c.column, c.args) for c in facts.calls] == [
        ("save", 2, 11, (N("s"),)),
    ]
    assert facts.assigns[0].value == S("éé")


def test_same_bytes_same_facts() -> None:
    data = textwrap.dedent(LOOPS).encode()
    assert extract_python_code(data) == extract_python_code(bytes(data))
    crlf = extract_python_code(data.replace(b"\n", b"\r\n"))
    assert crlf == extract_python_code(data)


# --- records ------------------------------------------------------------------------------


def _primitive(value: object) -> bool:
    if type(value) is tuple:
        return all(_primitive(item) for item in value)
    return value is None or type(value) in (str, int, bool)


@pytest.mark.parametrize("name", ["db/models/query.py", "contrib/admin/options.py"])
def test_record_round_trip_on_a_big_real_file_is_exact(name: str) -> None:
    data = (Path(django.__file__).parent / name).read_bytes()
    facts = extract_python_code(data)
    assert len(facts.functions) > 100 and len(facts.calls) > 500
    record = facts.to_record()
    assert _primitive(record)
    back = CodeFacts.from_record(marshal.loads(marshal.dumps(record)))
    assert back == facts
    assert repr(back) == repr(facts)  # same record types all the way down, not bare tuples
    assert back.to_record() == record
    assert pickle.loads(pickle.dumps(facts)) == facts


@pytest.mark.parametrize("source", [FLASK, FASTAPI, DJANGO, LOOPS, TOKENS, RETURNS, STATE, NESTED])
def test_record_round_trip_on_every_sample(source: str) -> None:
    facts = extract(source)
    back = CodeFacts.from_record(marshal.loads(marshal.dumps(facts.to_record())))
    assert repr(back) == repr(facts)
    assert back == facts


def test_empty_facts_round_trip() -> None:
    assert CodeFacts.from_record(CodeFacts().to_record()) == CodeFacts()
