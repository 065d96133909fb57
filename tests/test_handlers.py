"""Route handlers found in code facts: Flask, FastAPI, Django and DRF; Express, Koa, Fastify
and NestJS; with their methods and full paths (router prefixes and mounts of the same file)."""

from __future__ import annotations

import textwrap

from archlint.frontends.javascript_code import (
    extract_javascript_code,
    extract_typescript_code,
)
from archlint.frontends.python_code import extract_python_code
from archlint.rules.handlers import Handler, find_handlers, segments, where, words


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
    assert handlers("@app.get('/x')\ndef x(): ...\n", "web/app.rb") == []  # no such language


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


# --- JavaScript / TypeScript ---------------------------------------------------------------


def js_handlers(source: str, path: str = "server/routes/users.js") -> list[tuple]:
    """(qualname, line, methods, path, framework, prefix, complete, registration line,
    resolved in the module)."""
    extract = extract_typescript_code if path.endswith(".ts") else extract_javascript_code
    facts = extract(textwrap.dedent(source).lstrip("\n").encode())
    return [(h.qualname, h.line, h.methods, h.path, h.framework, h.prefix, h.complete,
             h.route_line, h.function >= 0) for h in find_handlers(facts, path)]  # fmt: skip


def test_express_routes_references_chains_and_mounts() -> None:
    assert js_handlers("""
        const express = require("express");
        const users = require("../controllers/users");
        const app = express();
        const router = express.Router();
        const controller = { list(req, res) { res.json([]); } };
        async function create(req, res) { res.status(201).json({}); }
        class Orders { show(req, res) {} }
        const orders = new Orders();

        router.get("/users", auth, controller.list);
        router.post("/users", validate(schema), asyncHandler(create));
        router.route("/users/:id").get(users.show).put((req, res) => res.send({}));
        router.delete(["/orders/:id", "/o/:id"], orders.show.bind(orders));
        router.all("*", catchAsync(users.notFound));
        app.use("/api/v1", router);
        app.get("/health", (req, res) => res.json({ ok: true }));
    """) == [
        ("controller.list", 5, ("GET",), "/api/v1/users", "express", "/api/v1", True, 10, True),
        ("create", 6, ("POST",), "/api/v1/users", "express", "/api/v1", True, 11, True),
        ("users.show", 12, ("GET",), "/api/v1/users/:id", "express", "/api/v1", True, 12, False),
        ("<anonymous>", 12, ("PUT",), "/api/v1/users/:id", "express", "/api/v1", True, 12, True),
        ("Orders.show", 7, ("DELETE",), "/api/v1/orders/:id", "express", "/api/v1", True, 13, True),
        ("Orders.show", 7, ("DELETE",), "/api/v1/o/:id", "express", "/api/v1", True, 13, True),
        ("users.notFound", 14, (), "/api/v1/*", "express", "/api/v1", True, 14, False),
        ("<anonymous>", 16, ("GET",), "/health", "express", "", True, 16, True),
    ]  # fmt: skip


def test_koa_fastify_and_unknown_prefixes() -> None:
    assert js_handlers("""
        const Router = require("@koa/router");
        const router = new Router({ prefix: "/users" });
        router.get("user", "/:id", async (ctx) => { ctx.body = {}; });
        koa.use(router.routes()).use(router.allowedMethods());

        async function userRoutes(instance, opts) {
          instance.get("/:id", { schema }, async (request, reply) => ({}));
          instance.route({ method: ["GET", "HEAD"], url: "/", handler: listUsers });
        }
        app.register(userRoutes, { prefix: "/v1/users" });

        const admin = express.Router();
        admin.get(`/${section}/stats`, stats);
        admin.post("/reports", report);
        app.use(config.adminPrefix, admin);
    """) == [
        ("<anonymous>", 3, ("GET",), "/users/:id", "koa", "/users", False, 3, True),
        ("userRoutes.<anonymous>", 7, ("GET",), "/v1/users/:id", "fastify", "/v1/users", True, 7,
         True),
        ("listUsers", 8, ("GET", "HEAD"), "/v1/users/", "fastify", "/v1/users", True, 8, False),
        ("stats", 13, ("GET",), None, "express", "", True, 13, False),
        ("report", 14, ("POST",), None, "express", "", True, 14, False),
    ]  # fmt: skip


def test_typescript_class_routes_and_typed_receivers() -> None:
    assert js_handlers("""
        import { Router, Request, Response } from "express";
        export class UsersRoutes {
          public router = Router();
          constructor() {
            this.router.get(`${this.path}/:id`, this.getById);
          }
          getById = async (req: Request, res: Response) => { res.json({}); };
        }
        export default function mount(r: Router) {
          r.patch("/users/:id", update);
          function update(req: Request, res: Response) {}
        }
    """, "server/routes/users.ts") == [
        ("UsersRoutes.getById", 7, ("GET",), None, "express", "", False, 5, True),
        ("mount.update", 11, ("PATCH",), "/users/:id", "express", "", False, 10, True),
    ]  # fmt: skip


def test_nestjs_controllers() -> None:
    assert js_handlers("""
        @Controller("users")
        export class UsersController {
          constructor(private readonly users: UsersService) {}

          @Get(":id")
          findOne(@Param("id") id: string) { return this.users.find(id); }

          @Post()
          @HttpCode(200)
          create(@Body() dto: CreateUserDto) { return this.users.create(dto); }

          @Version("2")
          @Get()
          list() { return []; }

          helper() {}
        }

        @Controller({ path: "/cats/", version: ["1", "2"] })
        export class CatsController {
          @Delete([":id", "by-name/:name"]) remove() {}
        }

        @Controller()
        export class RootController {
          @All() any() {}
        }
    """, "server/src/users/users.controller.ts") == [
        ("UsersController.findOne", 6, ("GET",), "/users/:id", "nestjs", "/users", False, 0, True),
        ("UsersController.create", 10, ("POST",), "/users", "nestjs", "/users", False, 0, True),
        ("UsersController.list", 14, ("GET",), "/v2/users", "nestjs", "/v2/users", False, 0, True),
        ("CatsController.remove", 21, ("DELETE",), "/v1/cats/:id", "nestjs", "/v1/cats", False, 0,
         True),
        ("CatsController.remove", 21, ("DELETE",), "/v1/cats/by-name/:name", "nestjs", "/v1/cats",
         False, 0, True),
        ("CatsController.remove", 21, ("DELETE",), "/v2/cats/:id", "nestjs", "/v2/cats", False, 0,
         True),
        ("CatsController.remove", 21, ("DELETE",), "/v2/cats/by-name/:name", "nestjs", "/v2/cats",
         False, 0, True),
        ("RootController.any", 26, (), "/", "nestjs", "", False, 0, True),
    ]  # fmt: skip


def test_controllers_by_signature() -> None:
    source = """
        exports.list = async (req, res) => { res.json(await users.all()); };
        const show = async (req, res, next) => {};
        async function koaShow(ctx, next) {}
        class UsersController { async update(req: Request, res: Response) {} }
        function helper(user) {}
        export const format = (req) => req.body;
        function outer(req, res) { const inner = (req, res) => {}; }
    """
    assert js_handlers(source, "server/controllers/users.ts") == [
        ("list", 1, (), None, "express", "", False, 0, True),
        ("show", 2, (), None, "express", "", False, 0, True),
        ("koaShow", 3, (), None, "koa", "", False, 0, True),
        ("UsersController.update", 4, (), None, "express", "", False, 0, True),
        ("outer", 7, (), None, "express", "", False, 0, True),
    ]  # fmt: skip
    assert js_handlers(source, "server/services/users.ts") == []  # not a controllers module


def test_javascript_look_alikes_are_no_handlers() -> None:
    assert js_handlers("""
        const api = axios.create({ baseURL: "/api" });
        const server = axios.create({ baseURL: "/api" });
        axios.get("/users", { params });
        server.get("/users", config);
        function load(instance) { return instance.get("/users", config); }
        api.get("/users", (response) => response.data);
        http.get("/status", (res) => res.resume());
        $.get("/users", (data) => render(data));
        rest.get("/api/user", (req, res, ctx) => res(ctx.json({})));
        cache.get("/users", () => load());
        app.get("env");
        app.set("/x", handler);
        map.get("/users");
        this.http.get<User[]>("/api/users");
        router.push("/users");
    """, "server/routes/client.ts") == []


def test_where_and_javascript_path_segments() -> None:
    handler = Handler(3, "list", 7, 1, ("GET",), "/users/:id", "express", "", True, 12, 5)
    assert where(handler) == (12, 5)
    assert where(handler._replace(route_line=0, route_column=0)) == (7, 1)
    assert segments("/users/:id/posts/{postId}/*") == [
        ("users", False), (":id", True), ("posts", False), ("{postId}", True), ("*", True),
    ]  # fmt: skip
