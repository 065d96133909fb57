"""Rules about route handlers (AL204, AL401-AL404, AL502): for each, one bad case with exact
findings, and at least three look-alikes that are fine."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.test_cli import run, write_tree

CONFIG = """\
[components]
routes = ["app.routes"]
controllers = ["app.controllers"]
services = ["app.services"]
repositories = ["app.repositories"]
"""


def findings(root: Path, capsys, files: dict[str, str], rule: str, config: str = "") -> list[tuple]:
    tree: dict[str, str | bytes] = {
        "archlint.toml": CONFIG + config,
        "app/__init__.py": "",
        "app/routes/__init__.py": "",
        "app/controllers/__init__.py": "",
        "app/services/__init__.py": "",
        "app/repositories/__init__.py": "",
    }
    tree.update({path: textwrap.dedent(text) for path, text in files.items()})
    write_tree(root, tree)
    code, out, err = run(["check", str(root), "--no-cache", "--format", "json", "--select", rule], capsys)
    assert code in (0, 1), err
    return [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in json.loads(out)["findings"]]


def route(source: str) -> dict[str, str]:
    return {"app/routes/users.py": source}


# --- fat-route-handler ---------------------------------------------------------------------

FAT = """\
from flask import Blueprint, jsonify, request
bp = Blueprint("orders", __name__)

@bp.post("/orders")
def create_order():
    errors = OrderSchema().validate(request.json)
    if errors:
        return jsonify(errors=errors), 400
    order = Order(**request.json)
    db.session.add(order)
    db.session.commit()
    return jsonify({"id": order.id, "status": order.status, "total": order.total,
                    "items": len(order.items), "created": order.created.isoformat(),
                    "customer": order.customer_id})

@bp.get("/orders/<int:order_id>")
def get_order(order_id):
    order = orders.get(order_id)
""" + "    order = orders.refresh(order)\n" * 15 + "    return jsonify(order.to_dict())\n"


def test_fat_route_handler(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, route(FAT), "fat-route-handler")
    assert found == [
        ("AL204", "app/routes/users.py", 5, 1,
         "route handler create_order mixes validation, database access and response "
         "formatting: keep it to HTTP (read the request, call a service, shape the response) "
         "and move the rest into services"),
        ("AL204", "app/routes/users.py", 17, 1,
         "route handler get_order has 17 statements (limit 15): keep it to HTTP (read the "
         "request, call a service, shape the response) and move the rest into services"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # one concern: validation, then a service call
        "@app.post('/orders')\ndef create():\n    data = OrderSchema().load(request.json)\n"
        "    return jsonify(orders.create(data)), 201\n",
        # the database work sits in a helper: only the handler's own calls count
        "def save(order):\n    db.session.add(order)\n    db.session.commit()\n\n"
        "@app.post('/orders')\ndef create():\n    abort(400) if not request.json else None\n"
        "    return jsonify(save(Order(**request.json)))\n",
        # a small response body and a 404: no formatting, no validation
        "@app.get('/orders/<int:i>')\ndef show(i):\n    order = Order.query.get(i)\n"
        "    if order is None:\n        abort(404)\n    return {'id': order.id, 'total': order.total}\n",
        # the same code outside a handler (a service function)
        "def create(data):\n    OrderSchema().validate(data)\n    db.session.add(Order(**data))\n"
        "    db.session.commit()\n",
    ],
    ids=["one-concern", "helper", "small-body-404", "not-a-handler"],
)
def test_fat_route_handler_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    assert findings(tmp_path, capsys, route(source), "fat-route-handler") == []


# --- verb-in-route-path --------------------------------------------------------------------


def test_verb_in_route_path(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, route("""\
        from fastapi import APIRouter
        router = APIRouter(prefix="/users")

        @router.get("/getAll")
        def get_all(): ...

        @router.delete("/deleteUser/{user_id}")
        def delete(user_id: int): ...

        @router.post("/create")
        def create(): ...
    """), "verb-in-route-path")  # fmt: skip
    message = ('route {} has the verb "{}" in its path (segment "{}"): name the resource and '
               "let the HTTP method be the verb")
    assert found == [
        ("AL401", "app/routes/users.py", 5, 1, message.format("GET /users/getAll", "get", "getAll")),
        ("AL401", "app/routes/users.py", 8, 1,
         message.format("DELETE /users/deleteUser/{user_id}", "delete", "deleteUser")),
        ("AL401", "app/routes/users.py", 11, 1, message.format("POST /users/create", "create", "create")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # nouns that start like verbs
        "@app.get('/settings/updates')\ndef a(): ...\n@app.get('/listings/{id}/address')\n"
        "def b(id): ...\n@app.get('/downloads/setup-guide')\ndef c(): ...\n",
        # an action on one item, by POST
        "@app.post('/posts/{post_id}/publish')\ndef publish(post_id): ...\n"
        "@app.post('/carts/{cart_id}/add')\ndef add(cart_id): ...\n",
        # resources and methods
        "@app.get('/users')\ndef get_users(): ...\n@app.delete('/users/{user_id}')\n"
        "def delete_user(user_id): ...\n",
        # a verb only in a parameter, and a helper that is no route
        "@app.get('/search/{get}')\ndef s(get): ...\n@mock.patch('/get/thing')\ndef t(): ...\n",
        # an HTML page showing a form
        "@bp.get('/posts/<int:i>/edit')\ndef edit(i):\n    return render_template('edit.html')\n",
    ],
    ids=["noun-prefixes", "post-action", "restful", "parameter", "html-page"],
)
def test_verb_in_route_path_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    assert findings(tmp_path, capsys, route(source), "verb-in-route-path") == []


# --- error-with-success-status -------------------------------------------------------------


def test_error_with_success_status(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, route("""\
        from flask import Blueprint, jsonify
        from fastapi.responses import JSONResponse
        bp = Blueprint("users", __name__)

        @bp.get("/users/<int:user_id>")
        def get_user(user_id):
            user = users.find(user_id)
            if user is None:
                return {"error": "user not found"}
            if user.banned:
                return jsonify(error="banned"), 200
            if user.deleted:
                return JSONResponse({"success": False, "message": "gone"})
            return jsonify(user.to_dict())

        @api_view(["POST"])
        def create(request):
            serializer = UserSerializer(data=request.data)
            if not serializer.is_valid():
                return Response(serializer.errors)
            return Response(serializer.data, status=201)
    """), "error-with-success-status")  # fmt: skip
    tail = ": return a 4xx/5xx status (or raise an HTTP error) so that clients and monitoring see the failure"
    assert found == [
        ("AL402", "app/routes/users.py", 9, 9,
         'returns an error body (an "error" key) with status 200 (the default)' + tail),
        ("AL402", "app/routes/users.py", 11, 9,
         'returns an error body (an "error" key) with status 200' + tail),
        ("AL402", "app/routes/users.py", 13, 9,
         'returns an error body ("success": False) with status 200 (the default)' + tail),
        ("AL402", "app/routes/users.py", 20, 9,
         "returns an error body (serializer.errors) with status 200 (the default)" + tail),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # error statuses, given every way
        "@app.get('/u')\ndef u():\n    if a:\n        return {'error': 'x'}, 400\n"
        "    if b:\n        return JSONResponse({'error': 'x'}, status_code=404)\n"
        "    if c:\n        return Response({'detail': 'invalid'}, status=status.HTTP_400_BAD_REQUEST)\n"
        "    if d:\n        return make_response(jsonify(error='x'), HTTPStatus.NOT_FOUND)\n"
        "    raise HTTPException(404)\n",
        # envelopes without an error, and a success message
        "@app.get('/u')\ndef u():\n    if a:\n        return {'data': rows, 'error': None}\n"
        "    if b:\n        return {'data': rows, 'errors': []}\n"
        "    if c:\n        return {'message': 'No errors found', 'count': 0}\n"
        "    return {'message': 'user created', 'success': True}\n",
        # the status is set elsewhere or is a variable
        "@router.get('/u')\ndef u(response: Response):\n    response.status_code = 404\n"
        "    return {'error': 'x'}\n@router.get('/v')\ndef v():\n    return {'error': 'x'}, code\n",
        # not a handler, and a nested def of a handler
        "def helper():\n    return {'error': 'x'}\n@app.get('/u')\ndef u():\n"
        "    def inner():\n        return {'error': 'x'}\n    return run(inner)\n",
        # a FastAPI route whose default status is an error one
        "@router.get('/gone', status_code=410)\ndef gone():\n    return {'detail': 'not found'}\n",
    ],
    ids=["error-status", "success-envelope", "status-elsewhere", "not-handler-return",
         "decorator-status"],
)
def test_error_with_success_status_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    assert findings(tmp_path, capsys, route(source), "error-with-success-status") == []


# --- unversioned-api-route -----------------------------------------------------------------


def test_unversioned_api_route(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, route("""\
        from fastapi import APIRouter, FastAPI
        app = FastAPI()
        router = APIRouter(prefix="/users")

        @router.get("/{user_id}")
        def get_user(user_id: int): ...

        @app.get("/health")
        def health(): ...

        app.include_router(router, prefix="/api")
    """), "unversioned-api-route")  # fmt: skip
    assert found == [(
        "AL403", "app/routes/users.py", 6, 1,
        "API route GET /api/users/{user_id} has no version in its path: serve it under a "
        "version prefix (/v1/..., /api/v1/...) so that it can change without breaking clients",
    )]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # versioned by the router, by the mount, or in the route
        "app = FastAPI()\nrouter = APIRouter(prefix='/v1/users')\n@router.get('/{i}')\ndef a(i): ...\n"
        "app.include_router(router)\n@app.get('/api/v2.1/items')\ndef b(): ...\n",
        # a router mounted elsewhere: its prefix is unknown here
        "router = APIRouter(prefix='/users')\n@router.get('/{i}')\ndef a(i): ...\n",
        # an HTML page
        "app = Flask(__name__)\n@app.route('/about')\ndef about():\n    return render_template('about.html')\n",
        # health checks and docs
        "app = FastAPI()\n@app.get('/healthz')\ndef h(): ...\n@app.get('/')\ndef root(): ...\n",
    ],
    ids=["versioned", "mounted-elsewhere", "html-page", "health"],
)
def test_unversioned_api_route_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    assert findings(tmp_path, capsys, route(source), "unversioned-api-route") == []


def test_unversioned_api_route_is_off_by_default(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {
        "archlint.toml": CONFIG, "app/__init__.py": "", "app/routes/__init__.py": "",
        "app/routes/users.py": "app = FastAPI()\n@app.get('/users')\ndef users(): ...\n",
    })  # fmt: skip
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["findings"] == []


# --- singular-resource-name ----------------------------------------------------------------


def test_singular_resource_name(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, route("""\
        from flask import Blueprint
        bp = Blueprint("users", __name__, url_prefix="/api/v1/user")

        @bp.get("/<int:user_id>")
        def get_user(user_id): ...

        @bp.delete("/<int:user_id>")
        def delete_user(user_id): ...

        @bp.get("/address/<int:address_id>")
        def address(address_id): ...
    """), "singular-resource-name")  # fmt: skip
    assert found == [(
        "AL404", "app/routes/users.py", 5, 1,
        'collection "user" in route GET /api/v1/user/<int:user_id> is singular: name '
        'collections in the plural ("users")',
    )]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # plurals, regular and irregular
        "@app.get('/users/{i}')\ndef a(i): ...\n@app.get('/api/v1/people/{i}')\ndef b(i): ...\n"
        "@app.get('/categories/{i}/product/{j}')\ndef c(i, j): ...\n",
        # singletons: no parameter after the segment
        "@app.get('/profile')\ndef a(): ...\n@app.get('/cart/items')\ndef b(): ...\n",
        # the allow-list
        "@app.get('/me/{field}')\ndef a(field): ...\n@app.get('/auth/{provider}')\ndef b(provider): ...\n"
        "@app.get('/search/{q}')\ndef c(q): ...\n",
        # a parameter first
        "@app.get('/{tenant}/user/{i}')\ndef a(tenant, i): ...\n",
        # an HTML page
        "@app.get('/blog/<slug>')\ndef post(slug):\n    return render_template('post.html')\n",
    ],
    ids=["plurals", "singletons", "allow-list", "parameter-first", "html-page"],
)
def test_singular_resource_name_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    assert findings(tmp_path, capsys, route(source), "singular-resource-name") == []


def test_singular_resource_name_suggests_plurals(tmp_path: Path, capsys) -> None:
    source = ("@app.get('/category/{i}')\ndef a(i): ...\n@app.get('/v1/address/{i}')\ndef b(i): ...\n"
              "@app.get('/orderItem/{i}')\ndef c(i): ...\n")  # fmt: skip
    found = findings(tmp_path, capsys, route(source), "singular-resource-name")
    assert [message.rpartition("(")[2] for *_, message in found] == [
        '"categories")', '"addresses")', '"orderItems")'
    ]


# --- slow-call-in-request-path -------------------------------------------------------------


def test_slow_call_in_request_path(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/controllers/users.py": """\
        import smtplib
        import requests
        from fastapi import APIRouter
        router = APIRouter()

        def notify(user):
            with smtplib.SMTP("localhost") as smtp:
                smtp.send_message(welcome(user))

        @router.post("/users")
        def register(user: UserIn):
            created = users.create(user)
            notify(created)
            avatar = requests.get(created.avatar_url, timeout=5).content
            return created

        class Thumbnails(MethodView):
            def post(self):
                return self.resize(request.files["image"])

            def resize(self, upload):
                return Image.open(upload).thumbnail((64, 64))
    """}, "slow-call-in-request-path")  # fmt: skip
    tail = ("the response waits for it; hand it to a task queue and answer at once "
            "(202 Accepted when the client needs the result later)")
    assert found == [
        ("AL502", "app/controllers/users.py", 13, 5,
         f"sends mail in the request path (smtplib.SMTP() in notify()): {tail}"),
        ("AL502", "app/controllers/users.py", 14, 14,
         f"calls an HTTP API in the request path (requests.get()): {tail}"),
        ("AL502", "app/controllers/users.py", 19, 16,
         f"processes an image in the request path (Image.open() in resize()): {tail}"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # handed to a queue: the function is passed, not called
        "@router.post('/users')\ndef register(user, background_tasks: BackgroundTasks):\n"
        "    background_tasks.add_task(send_mail, user.email)\n    send_welcome.delay(user.id)\n",
        # the slow call is in a task of the module that no handler calls
        "import requests\n@shared_task\ndef sync(url):\n    return requests.get(url)\n"
        "@router.get('/status')\ndef status():\n    return {'ok': True}\n",
        # two levels down: only one level is followed
        "def inner():\n    return requests.get(URL)\ndef outer():\n    return inner()\n"
        "@router.get('/x')\ndef x():\n    return outer()\n",
        # names that only look alike
        "@router.get('/x')\ndef x(session):\n    session.query(Request).all()\n"
        "    return cache.get('image')\n",
    ],
    ids=["queued", "task-not-called", "two-levels", "look-alike-names"],
)
def test_slow_call_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    assert findings(tmp_path, capsys, route(source), "slow-call-in-request-path") == []


# --- which files -------------------------------------------------------------------------------


def test_handlers_outside_routes_are_found_and_tests_are_not(tmp_path: Path, capsys) -> None:
    files = {
        "app/services/admin.py": "@app.get('/getStats')\ndef stats(): ...\n",  # the fallback
        "app/routes/tests/test_users.py": "@app.get('/getUser')\ndef u(): ...\n",
        "scripts/tool.py": "@app.get('/getTool')\ndef t(): ...\n",  # no application layer
    }
    found = findings(tmp_path, capsys, files, "verb-in-route-path")
    assert [(f[1], f[2]) for f in found] == [("app/services/admin.py", 2)]
