"""Auth and scale rules that read code facts (AL302, AL303, AL304, AL503, AL504) and the
request-parameter half of AL202: for each, one bad case with exact findings, and at least
three look-alikes that are fine."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.test_cli import run, write_tree

CONFIG = """\
[components]
routes = ["app.routes"]
services = ["app.services"]
repositories = ["app.repositories"]
queue = ["app.tasks"]
"""


def findings(root: Path, capsys, files: dict[str, str], rule: str) -> list[tuple]:
    tree = {
        "archlint.toml": CONFIG,
        "app/__init__.py": "",
        "app/core/__init__.py": "",
        "app/routes/__init__.py": "",
        "app/services/__init__.py": "",
        "app/repositories/__init__.py": "",
        "app/tasks.py": "def send_welcome_email(user_id):\n    pass\n",
        "app/models.py": "class Response:\n    pass\n",
    }
    tree.update({path: textwrap.dedent(text) for path, text in files.items()})
    write_tree(root, tree)
    code, out, err = run(["check", str(root), "--no-cache", "--format", "json", "--select", rule], capsys)
    assert code in (0, 1), err
    return [
        (f["code"], f["path"], f["line"], f["column"], f["severity"], f["message"])
        for f in json.loads(out)["findings"]
    ]


# --- symmetric-jwt-secret ------------------------------------------------------------------

HARD_CODED = (
    "anyone who reads the code can forge tokens; load the key from a secret store, and prefer "
    "a private key (RS256, ES256, EdDSA)"
)
SHARED = (
    "whoever can verify them can also mint them; sign with a private key (RS256, ES256, EdDSA) "
    "and verify with the public key"
)


def test_symmetric_jwt_secret(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        # not in any component: auth code is read wherever it is
        "app/core/security.py": """\
            import os
            import jwt

            SECRET_KEY = "super-secret"

            def create_access_token(sub):
                return jwt.encode({"sub": sub}, SECRET_KEY, algorithm="HS256")

            def create_link_token(sub):
                return jwt.encode({"sub": sub}, "literal")

            def create_service_token(sub):
                return jwt.encode({"sub": sub}, os.environ["JWT_SECRET"], algorithm="HS512")
        """,
        "app/services/tokens.py": """\
            from jwt import encode

            def sign(payload, settings):
                return encode(payload, key=settings.SECRET_KEY)
        """,
    }, "symmetric-jwt-secret")  # fmt: skip
    assert found == [
        ("AL302", "app/core/security.py", 7, 12, "error",
         f"jwt.encode() signs tokens with HS256 and a hard-coded secret (SECRET_KEY): {HARD_CODED}"),
        ("AL302", "app/core/security.py", 10, 12, "error",
         "jwt.encode() signs tokens with HS256 (no algorithm given) and a hard-coded secret: "
         + HARD_CODED),
        ("AL302", "app/core/security.py", 13, 12, "warning",
         ("jwt.encode() signs tokens with HS512 and a shared secret (the environment variable "
         f"JWT_SECRET): {SHARED}")),
        ("AL302", "app/services/tokens.py", 4, 12, "warning",
         ("encode() signs tokens with HS256 (no algorithm given) and a shared secret "
         f"(settings.SECRET_KEY): {SHARED}")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # an asymmetric algorithm with a private key read from a file
        ('import jwt\nfrom pathlib import Path\nPRIVATE_KEY = Path("keys/private.pem").read_text()\n'
        'def sign(p):\n    return jwt.encode(p, PRIVATE_KEY, algorithm="RS256")\n'),
        # decoding verifies, it does not sign
        ('import jwt\nSECRET = "s3cr3t"\ndef read(token):\n'
        '    return jwt.decode(token, SECRET, algorithms=["HS256"])\n'),
        # the algorithm is a constant of the file: ES256
        ('from jose import jwt\nALGORITHM = "ES256"\ndef sign(p, key):\n'
        "    return jwt.encode(p, key, algorithm=ALGORITHM)\n"),
        # the algorithm comes from the settings: not guessed
        ("import jwt\ndef sign(p, settings):\n"
        '    return jwt.encode(p, "k", algorithm=settings.JWT_ALGORITHM)\n'),
        # a bare encode() that is not PyJWT's (nothing imports jwt.encode)
        'from base64 import encode\ndef copy(src, dst):\n    encode(src, "dst")\n',
    ],
    ids=["rs256-private-key", "decode", "es256-constant", "algorithm-from-settings", "other-encode"],
)
def test_symmetric_jwt_secret_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    files = {"app/core/security.py": source}
    assert findings(tmp_path, capsys, files, "symmetric-jwt-secret") == []


def test_auth_rules_layers_option_narrows_the_files(tmp_path: Path, capsys) -> None:
    config = CONFIG + '\n[rules.symmetric-jwt-secret]\nlayers = ["services"]\n'
    write_tree(tmp_path, {
        "archlint.toml": config, "app/__init__.py": "", "app/core/__init__.py": "",
        "app/services/__init__.py": "",
        "app/core/security.py": 'import jwt\ndef sign(p):\n    return jwt.encode(p, "k")\n',
        "app/services/tokens.py": 'import jwt\ndef sign(p):\n    return jwt.encode(p, "k")\n',
    })  # fmt: skip
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--format", "json", "--select", "AL302"], capsys)
    assert code == 1
    assert [f["path"] for f in json.loads(out)["findings"]] == ["app/services/tokens.py"]


def test_symmetric_jwt_secret_skips_tests(tmp_path: Path, capsys) -> None:
    files = {"app/tests/test_tokens.py": 'import jwt\ndef test_it():\n    jwt.encode({}, "k")\n'}
    assert findings(tmp_path, capsys, files, "AL302") == []


# --- long-lived-access-token ---------------------------------------------------------------

LONG = "a leaked token stays valid that long; keep access tokens short-lived and renew them with a refresh token"


def test_long_lived_access_token(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "app/core/config.py": """\
            from datetime import timedelta

            ACCESS_TOKEN_EXPIRE_MINUTES = 60
            REFRESH_TOKEN_EXPIRE_DAYS = 7
            SIMPLE_JWT = {
                "ACCESS_TOKEN_LIFETIME": timedelta(days=1),
                "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
            }
            JWT_ACCESS_TOKEN_EXPIRES = False

            class Settings:
                access_token_ttl: int = 3600 * 2
        """,
        "app/core/security.py": """\
            import time
            from datetime import datetime, timedelta

            import jwt

            def create_access_token(sub, expires_delta=timedelta(hours=1)):
                exp = datetime.utcnow() + expires_delta
                return jwt.encode({"sub": sub, "exp": exp}, KEY, algorithm="RS256")

            def login(user):
                claims = {"sub": user.id, "exp": int(time.time()) + 60 * 60 * 24}
                return jwt.encode(claims, KEY, algorithm="RS256"), jwt.encode(
                    {"sub": user.id, "exp": int(time.time()) + 60 * 60 * 24}, KEY, algorithm="RS256"
                )

            def create_refresh_token(sub):
                exp = datetime.utcnow() + timedelta(days=7)
                return jwt.encode({"sub": sub, "exp": exp}, KEY, algorithm="RS256")
        """,
    }, "long-lived-access-token")  # fmt: skip
    assert found == [
        ("AL303", "app/core/config.py", 3, 1, "error",
         f"access tokens live 1 hour (ACCESS_TOKEN_EXPIRE_MINUTES), more than 15 minutes: {LONG}"),
        ("AL303", "app/core/config.py", 6, 30, "error",
         f"access tokens live 1 day ('ACCESS_TOKEN_LIFETIME' in SIMPLE_JWT), more than 15 minutes: {LONG}"),
        ("AL303", "app/core/config.py", 9, 1, "error",
         ("access tokens never expire (JWT_ACCESS_TOKEN_EXPIRES is False): a leaked token works "
         "forever; give them a lifetime of minutes and renew them with a refresh token")),
        ("AL303", "app/core/config.py", 12, 5, "error",
         f"access tokens live 2 hours (access_token_ttl), more than 15 minutes: {LONG}"),
        ("AL303", "app/core/security.py", 6, 44, "error",
         ("access tokens live 1 hour (default of expires_delta in create_access_token()), more "
         f"than 15 minutes: {LONG}")),
        ("AL303", "app/core/security.py", 12, 56, "error",
         f"access tokens live 1 day (exp claim of jwt.encode()), more than 15 minutes: {LONG}"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # a 10-minute access token, used through its constant
        ("from datetime import datetime, timedelta\nimport jwt\nACCESS_TOKEN_EXPIRE_MINUTES = 10\n"
        "def create_access_token(sub):\n"
        "    exp = datetime.utcnow() + timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)\n"
        '    return jwt.encode({"sub": sub, "exp": exp}, KEY, algorithm="RS256")\n'),
        # refresh tokens live long, in constants and in payloads that say so
        ("from datetime import datetime, timedelta\nimport jwt\nREFRESH_TOKEN_EXPIRE_DAYS = 7\n"
        "refresh_token_ttl = 30 * 24 * 3600\ndef make_token(sub):\n"
        '    return jwt.encode({"sub": sub, "type": "refresh",\n'
        '                       "exp": datetime.utcnow() + timedelta(days=30)}, KEY)\n'),
        # a password-reset token is not an access token
        ("from datetime import datetime, timedelta\nimport jwt\n"
        "def generate_password_reset_token(email):\n"
        '    return jwt.encode({"sub": email, "exp": datetime.utcnow() + timedelta(hours=48)}, KEY)\n'),
        # exactly the limit, and a value from the environment (not guessed)
        ("import os\nfrom datetime import timedelta\nACCESS_TOKEN_EXPIRES = timedelta(minutes=15)\n"
        'ACCESS_TOKEN_EXPIRE_MINUTES = int(os.getenv("ACCESS_TOKEN_EXPIRE_MINUTES", "60"))\n'),
        # a long timedelta in a function about access, an access log: no access tokens
        ("from datetime import timedelta\nACCESS_LOG_TTL = 86400\ndef can_access(user, now):\n"
        "    return now - user.created_at > timedelta(days=30)\n"),
    ],
    ids=["ten-minutes", "refresh-tokens", "password-reset", "limit-and-env", "not-a-token"],
)
def test_long_lived_access_token_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    files = {"app/core/security.py": source}
    assert findings(tmp_path, capsys, files, "long-lived-access-token") == []


def test_long_lived_access_token_limit_is_an_option(tmp_path: Path, capsys) -> None:
    files = {"app/core/config.py": "ACCESS_TOKEN_EXPIRE_MINUTES = 60\n"}
    write_tree(tmp_path, {"archlint.toml": CONFIG + "\n[rules.long-lived-access-token]\nmax_minutes = 60\n"})
    tree = {"app/__init__.py": "", "app/core/__init__.py": "", **files}
    write_tree(tmp_path, tree)
    code, out, _ = run(["check", str(tmp_path), "--no-cache", "--select", "AL303"], capsys)
    assert code == 0, out


# --- insecure-refresh-cookie ---------------------------------------------------------------

COOKIE = (
    'set httponly=True (no script can read it), secure=True (HTTPS only) and samesite="strict" '
    "(no other site can send it)"
)


def test_insecure_refresh_cookie(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/routes/auth.py": """\
        def login(response, tokens, refresh_token):
            response.set_cookie("refresh_token", tokens.refresh, secure=True)
            response.set_cookie(
                key="rt", value=refresh_token, httponly=True, secure=True, samesite="Lax"
            )
            response.set_cookie("refresh", tokens.refresh, None, None, "/", None, False, True)
            response.set_cookie(REFRESH_COOKIE, tokens.rt, httponly=True, samesite="strict")
    """}, "insecure-refresh-cookie")  # fmt: skip
    assert found == [
        ("AL304", "app/routes/auth.py", 2, 5, "error",
         f"refresh-token cookie 'refresh_token' is missing HttpOnly and SameSite=Strict: {COOKIE}"),
        ("AL304", "app/routes/auth.py", 3, 5, "error",
         f"refresh-token cookie 'rt' is missing SameSite=Strict: {COOKIE}"),
        ("AL304", "app/routes/auth.py", 6, 5, "error",
         f"refresh-token cookie 'refresh' is missing Secure and SameSite=Strict: {COOKIE}"),
        ("AL304", "app/routes/auth.py", 7, 5, "error",
         f"refresh-token cookie REFRESH_COOKIE is missing Secure: {COOKIE}"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # all three flags (SameSite in any case)
        ("def login(response, tokens):\n    response.set_cookie('refresh_token', tokens.refresh,"
        " httponly=True, secure=True, samesite='Strict')\n"),
        # other cookies are not refresh tokens
        ("def prefs(response, theme, token):\n    response.set_cookie('theme', theme)\n"
        "    response.set_cookie('csrftoken', token, samesite='Lax')\n"),
        # clearing the cookie on logout
        "def logout(response):\n    response.set_cookie('refresh_token', '', max_age=0)\n",
        # flags from the configuration are trusted
        ("def login(response, tokens, settings):\n    response.set_cookie('refresh_token', tokens.refresh,"
        " httponly=True, secure=settings.SECURE_COOKIES, samesite=settings.SAMESITE)\n"),
        # options passed through: the flags may be in there
        ("def login(response, tokens, options):\n"
        "    response.set_cookie('refresh_token', tokens.refresh, **options)\n"),
    ],
    ids=["all-flags", "other-cookies", "logout", "flags-from-settings", "kwargs"],
)
def test_insecure_refresh_cookie_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    files = {"app/routes/auth.py": source}
    assert findings(tmp_path, capsys, files, "insecure-refresh-cookie") == []


# --- raw-job-payload -----------------------------------------------------------------------

RAW = (
    "enqueues a job outside the queue component: the caller builds the raw payload and "
    "delivery options itself; call a function of the queue component that owns the job's "
    "name, payload and retries"
)


def test_raw_job_payload(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/routes/users.py": """\
        from rq import Queue

        from app.tasks import send_welcome_email

        def register(user, redis, celery):
            send_welcome_email.delay(user.id)
            send_welcome_email.send(user.id)
            Queue(connection=redis).enqueue(send_welcome_email, user.id)
            celery.send_task("app.tasks.send_welcome_email", args=[user.id])
    """}, "raw-job-payload")  # fmt: skip
    assert found == [
        ("AL503", "app/routes/users.py", 6, 5, "warning", f"send_welcome_email.delay() {RAW}"),
        ("AL503", "app/routes/users.py", 7, 5, "warning", f"send_welcome_email.send() {RAW}"),
        ("AL503", "app/routes/users.py", 8, 5, "warning", f"Queue().enqueue() {RAW}"),
        ("AL503", "app/routes/users.py", 9, 5, "warning", f"celery.send_task() {RAW}"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # the queue component enqueues: that is its job
        {"app/tasks.py": "def send_welcome_email(user_id):\n    pass\n"
                         "def welcome(user_id):\n    send_welcome_email.delay(user_id)\n"},
        # .send() of a websocket, a mailer, a producer: not an actor
        {"app/routes/ws.py": "async def chat(websocket, mail, producer, msg):\n"
                             "    await websocket.send(msg)\n    mail.send(msg)\n"
                             "    producer.send('topic', msg)\n"},
        # a process pool, and a queue service taking a job object
        {"app/services/reports.py": "def build(pool, queue_service, report):\n"
                                    "    pool.apply_async(render, (report,))\n"
                                    "    queue_service.enqueue(RenderReport(report.id))\n"},
        # calling the queue component's function
        {"app/services/users.py": "from app import tasks\n"
                                  "def register(user):\n    tasks.welcome(user.id)\n"},
    ],
    ids=["inside-queue", "other-send", "pool-and-job-object", "queue-function"],
)
def test_raw_job_payload_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "raw-job-payload") == []


# --- mutable-module-state ------------------------------------------------------------------

STATE = (
    "each worker process has its own copy, so other workers never see the change and a "
    "restart loses it; keep shared state in the database or a cache (Redis), or pass it "
    "explicitly"
)


def test_mutable_module_state(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/services/carts.py": """\
        from collections import defaultdict

        _CARTS: dict[str, list] = {}
        _SEEN = defaultdict(set)
        STATS = {"hits": 0}
        LABELS = {"new": "New"}

        def add_item(user_id, item):
            _CARTS.setdefault(user_id, []).append(item)
            _SEEN[user_id].add(item)
            return LABELS.get(item.state)

        class Tracker:
            def hit(self):
                STATS["hits"] += 1

        def reset():
            global _CARTS
            _CARTS = {}
    """}, "mutable-module-state")  # fmt: skip
    assert found == [
        ("AL504", "app/services/carts.py", 3, 1, "warning",
         ("module-level _CARTS (a dict) is changed at run time: add_item() calls "
         f"_CARTS.setdefault() at line 9 (and 1 more); {STATE}")),
        ("AL504", "app/services/carts.py", 4, 1, "warning",
         ("module-level _SEEN (defaultdict()) is changed at run time: add_item() calls "
         f"_SEEN[].add() at line 10; {STATE}")),
        ("AL504", "app/services/carts.py", 5, 1, "warning",
         ("module-level STATS (a dict) is changed at run time: Tracker.hit() applies += to STATS[] "
         f"at line 15; {STATE}")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # immutable constants, and a dict only read
        ('STATES = ("new", "paid")\nFINAL = frozenset({"paid"})\nLABELS = {"new": "New"}\n'
        "def label(state):\n    return LABELS.get(state, state) if state in FINAL else STATES[0]\n"),
        # a registry filled at import time by a decorator of the same file
        ("HANDLERS = {}\ndef handles(kind):\n    def wrap(fn):\n        HANDLERS[kind] = fn\n"
        "        return fn\n    return wrap\n@handles('paid')\ndef on_paid(order):\n    pass\n"),
        # setup code, and module-level changes at import time
        ("DEFAULTS = {}\nDEFAULTS.update(currency='EUR')\n"
        "def configure(settings):\n    DEFAULTS.update(settings)\n"),
        # a parameter shadows the module-level name
        "cache = {}\ndef remember(cache, key, value):\n    cache[key] = value\n",
        # a lazily created client: rebinding a name that is no container
        ("_client = None\ndef client():\n    global _client\n    _client = _client or make()\n"
        "    return _client\n"),
        # a registry filled at import time by a factory the module calls (jsonschema's
        # `Draft4Validator = create(...)`, which calls `validates(version)(cls)`)
        ("_VALIDATORS = {}\ndef validates(version):\n    def _validates(cls):\n"
        "        _VALIDATORS[version] = cls\n        return cls\n    return _validates\n"
        "def create(version):\n    cls = type('V', (), {})\n    return validates(version)(cls)\n"
        "Draft4 = create('draft4')\n"),
    ],
    ids=["constants", "decorator-registry", "setup", "shadowed", "lazy-singleton", "factory-registry"],
)
def test_mutable_module_state_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    files = {"app/services/orders.py": source}
    assert findings(tmp_path, capsys, files, "mutable-module-state") == []


def test_a_function_called_at_import_time_does_not_excuse_the_others(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/services/carts.py": """\
        _CARTS = {}

        def warm_up():
            _CARTS["demo"] = []

        def add_item(user_id, item):
            _CARTS.setdefault(user_id, []).append(item)

        warm_up()
    """}, "mutable-module-state")  # fmt: skip
    assert [(code, line, message.split(";")[0]) for code, _, line, _, _, message in found] == [
        ("AL504", 1, "module-level _CARTS (a dict) is changed at run time: add_item() calls "
                     "_CARTS.setdefault() at line 7"),
    ]


# --- service-imports-web-framework: request parameters ------------------------------------

PARAM = (
    "a web framework type: pass it the values it needs (ids, a dataclass, a validated model) "
    "so that it runs without a request"
)


def test_service_takes_a_request(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/services/users.py": """\
        from fastapi import Request

        def current_user(request: Request):
            return request.state.user

        class Exporter:
            async def export(self, user_id: int, response: "Optional[JSONResponse]" = None):
                pass
    """}, "service-imports-web-framework")  # fmt: skip
    assert found == [
        ("AL202", "app/services/users.py", 1, 21, "error",
         ("service imports the web framework fastapi.Request: keep services callable without a "
         "request (raise domain errors, let routes map them to HTTP)")),
        ("AL202", "app/services/users.py", 3, 1, "error",
         f"service function current_user() takes request: Request, {PARAM}"),
        ("AL202", "app/services/users.py", 7, 5, "error",
         "service function Exporter.export() takes response: Optional[JSONResponse], " + PARAM),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # a validated model of the project
        {"app/services/users.py": "def create(body: 'UserCreate', user_id: int) -> None:\n    pass\n"},
        # the project's own Response (a survey answer), imported or defined here
        {"app/services/surveys.py": "from app.models import Response\n"
                                    "def save(response: Response) -> None:\n    pass\n"
                                    "class Request:\n    pass\n"
                                    "def ask(request: Request) -> None:\n    pass\n"},
        # an HTTP client's request is not a web framework's
        {"app/services/fetch.py": "def send(prepared: requests.PreparedRequest, r: requests.Request):\n"
                                  "    pass\n"},
        # routes may take requests
        {"app/routes/users.py": "def me(request: Request):\n    pass\n"},
    ],
    ids=["model", "own-response", "http-client", "route"],
)
def test_service_param_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "service-imports-web-framework") == []


# --- changes shared with the JS/TS halves (tests/test_rules_auth_js.py) --------------------


def test_symmetric_jwt_secret_literal_fallback_of_the_environment(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {"app/core/security.py": """\
        import os
        import jwt

        def sign(payload):
            return jwt.encode(payload, os.getenv("JWT_SECRET", "dev-secret"), algorithm="HS256")

        def sign_shared(payload):
            return jwt.encode(payload, os.getenv("JWT_SECRET"), algorithm="HS256")
    """}, "symmetric-jwt-secret")  # fmt: skip
    assert found == [
        ("AL302", "app/core/security.py", 5, 12, "error",
         ("jwt.encode() signs tokens with HS256 and a hard-coded secret (the fallback for the "
          f"environment variable JWT_SECRET): {HARD_CODED}")),
        ("AL302", "app/core/security.py", 8, 12, "warning",
         ("jwt.encode() signs tokens with HS256 and a shared secret (the environment variable "
          f"JWT_SECRET): {SHARED}")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # the key says refresh
        ("import time\nimport jwt\ndef issue(sub, settings):\n"
         '    return jwt.encode({"sub": sub, "exp": int(time.time()) + 86400 * 30},\n'
         "                      settings.REFRESH_SECRET_KEY)\n"),
        # what holds the result says refresh
        ("import time\nimport jwt\ndef issue(sub):\n"
         '    return {"refresh_token": jwt.encode({"sub": sub, "exp": int(time.time()) + 86400 * 30}, KEY)}\n'),
        # an access / refresh pair in one function: the longer-lived one is the refresh token
        ("import time\nimport jwt\ndef login(sub):\n    now = int(time.time())\n"
         '    access = jwt.encode({"sub": sub, "exp": int(time.time()) + 600}, KEY)\n'
         '    refresh = jwt.encode({"sub": sub, "exp": int(time.time()) + 86400 * 30}, KEY)\n'
         "    return access, refresh\n"),
    ],
    ids=["refresh-key", "refresh-holder", "pair"],
)
def test_long_lived_access_token_refresh_signals(tmp_path: Path, capsys, source: str) -> None:
    files = {"app/core/security.py": source}
    assert findings(tmp_path, capsys, files, "long-lived-access-token") == []
