"""Route handlers found in code facts: Flask, FastAPI, Django and DRF, with their methods and
full paths (router prefixes and mounts of the same file)."""

from __future__ import annotations

import textwrap

from archlint.frontends.python_code import extract_python_code
from archlint.rules.handlers import Handler, find_handlers, segments, words


def handlers(source: str, path: str = "app/routes/users.py") -> list[tuple]:
    facts = extract_python_code(textwrap.dedent(source).lstrip("\n").encode())
    return [(h.qualname, h.line, h.methods, h.path, h.framework, h.prefix, h.complete)
            for h in find_handlers(facts, path)]  # fmt: skip


def test_fastapi_router_prefix_and_mount() -> None:
    assert handlers("""
        from fastapi import APIRouter, Depends, FastAPI
        router = APIRouter(prefix="/v1/users")
        app = FastAPI()

        @router.get("/{user_id}")
        async def get_user(user_id: int): ...

        @router.post("", status_code=201)
        def create_user(): ...

        @app.api_route("/ping", methods=["GET", "HEAD"])
        def ping(): ...

        app.include_router(router, prefix="/api")
    """) == [
        ("get_user", 6, ("GET",), "/api/v1/users/{user_id}", "fastapi", "/api/v1/users", True),
        ("create_user", 9, ("POST",), "/api/v1/users", "fastapi", "/api/v1/users", True),
        ("ping", 12, ("GET", "HEAD"), "/ping", "fastapi", "", True),
    ]  # fmt: skip


def test_router_mounted_elsewhere_is_incomplete() -> None:
    assert handlers("""
        from fastapi import APIRouter, Depends
        from app.main import api
        router = APIRouter(prefix="/users")

        @router.get("/{user_id}")
        def get_user(user_id: int): ...

        @api.get("/items")
        def items(db=Depends(get_db)): ...
    """) == [
        ("get_user", 6, ("GET",), "/users/{user_id}", "fastapi", "/users", False),
        ("items", 9, ("GET",), "/items", "fastapi", "", False),  # Depends: FastAPI
    ]  # fmt: skip


def test_flask_blueprints_method_views_and_url_rules() -> None:
    assert handlers("""
        from flask import Blueprint, Flask
        from flask.views import MethodView
        bp = Blueprint("users", __name__, url_prefix="/users")

        @bp.route("/<int:user_id>", methods=["GET", "POST"])
        def user(user_id): ...

        @bp.delete("/<int:user_id>")
        def delete_user(user_id): ...

        class UserAPI(MethodView):
            def get(self, user_id): ...
            def helper(self): ...

        bp.add_url_rule("/api/<int:user_id>", view_func=UserAPI.as_view("user_api"))

        def plain(): ...
        bp.add_url_rule("/plain", "plain", plain, methods=["POST"])

        def create_app():
            app = Flask(__name__)

            @app.route("/")
            def index(): ...

            app.register_blueprint(bp, url_prefix="/v2/users")
            return app
    """) == [
        ("user", 6, ("GET", "POST"), "/v2/users/<int:user_id>", "flask", "/v2/users", True),
        ("delete_user", 9, ("DELETE",), "/v2/users/<int:user_id>", "flask", "/v2/users", True),
        ("UserAPI.get", 12, ("GET",), "/v2/users/api/<int:user_id>", "flask", "/v2/users", True),
        ("plain", 17, ("POST",), "/v2/users/plain", "flask", "/v2/users", True),
        ("create_app.index", 24, ("GET",), "/", "flask", "", True),  # an `app` of the file
    ]  # fmt: skip


def test_flask_restx_resources() -> None:
    assert handlers("""
        @ns.route("/todos/<int:todo_id>")
        class Todo(Resource):
            def get(self, todo_id): ...

        class Todos(Resource):
            def post(self): ...

        api.add_resource(Todos, "/todos")
    """) == [
        ("Todo.get", 3, ("GET",), "/todos/<int:todo_id>", "flask", "", False),
        ("Todos.post", 6, ("POST",), "/todos", "flask", "", False),
    ]


def test_django_views_and_drf() -> None:
    assert handlers("""
        from django.views.decorators.http import require_POST
        from rest_framework import viewsets
        from rest_framework.decorators import action, api_view

        class Base(viewsets.ModelViewSet):
            pass

        class UserViewSet(Base):
            def list(self, request): ...
            def partial_update(self, request, pk=None): ...
            @action(detail=True, methods=["post"])
            def publish(self, request, pk=None): ...
            def get_queryset(self): ...

        class Home(TemplateView):
            def get(self, request): ...
            def list(self): ...  # no DRF class: not an action

        def index(request): ...

        def _helper(request): ...

        @require_POST
        def submit(request): ...

        @api_view(["GET", "POST"])
        def users(request): ...
    """, "shop/views.py") == [
        ("UserViewSet.list", 9, ("GET",), None, "django", "", False),
        ("UserViewSet.partial_update", 10, ("PATCH",), None, "django", "", False),
        ("UserViewSet.publish", 12, ("POST",), None, "django", "", False),
        ("Home.get", 16, ("GET",), None, "django", "", False),
        ("index", 19, (), None, "django", "", False),
        ("submit", 24, ("POST",), None, "django", "", False),
        ("users", 27, ("GET", "POST"), None, "django", "", False),
    ]  # fmt: skip


def test_look_alikes_are_no_handlers() -> None:
    source = """
        from unittest import mock

        @mock.patch("app.services.mail.send")
        def test_send(send): ...

        @cache.get(KEY)
        def cached(): ...

        def index(request): ...  # not in a views module

        class Settings(BaseSettings):
            def get(self, key): ...
    """
    assert handlers(source) == []
    assert handlers("def index(request): ...\n", "web/views/pages.py") != []
    assert handlers("@app.get('/x')\ndef x(): ...\n", "web/app.js") == []  # JS: later


def test_unknown_prefixes_make_unknown_paths() -> None:
    assert handlers("""
        router = APIRouter(prefix=settings.API_PREFIX)

        @router.get("/users")
        def users(): ...

        @app.get(f"/{VERSION}/items")
        def items(): ...
    """) == [
        ("users", 4, ("GET",), None, "fastapi", "", False),
        ("items", 7, ("GET",), None, "", "", True),
    ]


def test_handler_record_and_path_helpers() -> None:
    handler = Handler(0, "f", 1, 1, ("GET",), "/x", "flask")
    assert (handler.prefix, handler.complete) == ("", False)
    assert segments("/api/v1/users/{id}/<int:n>/:slug") == [
        ("api", False), ("v1", False), ("users", False), ("{id}", True), ("<int:n>", True),
        (":slug", True),
    ]  # fmt: skip
    assert words("getUserByID") == ["get", "user", "by", "id"]
    assert words("get_all-items.json") == ["get", "all", "items", "json"]
    assert words("getHTTPStatus") == ["get", "http", "status"]
