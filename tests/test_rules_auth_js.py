"""The JavaScript / TypeScript halves of the auth and scale rules (AL302, AL303, AL304,
AL503, AL504), end to end through the CLI: for each, a bad project with exact findings in
both languages, and look-alikes that are fine, each run as a .js and as a .ts file.

Components are path globs (JS modules are named by their path)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.test_cli import run, write_tree
from tests.test_rules_auth_scale import COOKIE as PY_COOKIE  # noqa: F401 - the Python wording
from tests.test_rules_auth_scale import HARD_CODED, LONG, RAW, SHARED, STATE

CONFIG = """\
[components]
routes = ["server/routes/**"]
services = ["server/services/**"]
repositories = ["server/repositories/**"]
queue = ["server/queue/**"]
"""


def findings(root: Path, capsys, files: dict[str, str], rule: str) -> list[tuple]:
    tree = {
        "archlint.toml": CONFIG,
        "server/package.json": '{"name": "server", "private": true}\n',
        "server/queue/email.ts": (
            'import { Queue } from "bullmq";\n'
            'export const emailQueue = new Queue("email");\n'
            "export const welcomeEmail = (userId: string) =>\n"
            '  emailQueue.add("welcome", { userId, v: 1 }, { attempts: 5 });\n'
        ),
    }
    tree.update({path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()})
    write_tree(root, tree)
    args = ["check", str(root), "--no-cache", "--format", "json", "--select", rule]
    code, out, err = run(args, capsys)
    assert code in (0, 1), err
    return [
        (f["code"], f["path"], f["line"], f["column"], f["severity"], f["message"])
        for f in json.loads(out)["findings"]
    ]


def both(sources: list[tuple[str, str]]) -> list:
    """Each (id, source) as a .js and as a .ts file."""
    return [
        pytest.param(source, extension, id=f"{name}-{extension}")
        for name, source in sources
        for extension in ("js", "ts")
    ]


# --- symmetric-jwt-secret ------------------------------------------------------------------


def test_symmetric_jwt_secret_js(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/services/tokens.ts": """
            import jwt from "jsonwebtoken";
            import { SignJWT } from "jose";

            const JWT_SECRET = "super-secret";
            const secret = process.env.JWT_SECRET || "dev-secret";

            export function signAccess(userId: string) {
              return jwt.sign({ sub: userId }, JWT_SECRET, { algorithm: "HS256", expiresIn: "15m" });
            }

            export const signSession = (userId: string) =>
              jwt.sign({ sub: userId }, secret, { expiresIn: "15m" });

            export async function signService(userId: string) {
              return new SignJWT({ sub: userId })
                .setProtectedHeader({ alg: "HS512" })
                .sign(new TextEncoder().encode(process.env.SERVICE_SECRET!));
            }
        """,
        # in no component: auth code is read wherever it is
        "server/lib/auth.js": """
            const { sign } = require("jsonwebtoken");
            const config = require("./config");

            exports.issue = (user) => sign({ sub: user.id }, config.jwt.secret, (err, token) => token);
            exports.check = (token) => require("jsonwebtoken").verify(token, "not-signing");
        """,
    }, "symmetric-jwt-secret")  # fmt: skip
    assert found == [
        ("AL302", "server/lib/auth.js", 4, 27, "warning",
         ("sign() signs tokens with HS256 (no algorithm given) and a shared secret "
          f"(config.jwt.secret): {SHARED}")),
        ("AL302", "server/services/tokens.ts", 8, 10, "error",
         f"jwt.sign() signs tokens with HS256 and a hard-coded secret (JWT_SECRET): {HARD_CODED}"),
        ("AL302", "server/services/tokens.ts", 12, 3, "error",
         ("jwt.sign() signs tokens with HS256 (no algorithm given) and a hard-coded secret "
          f"(secret, the fallback for the environment variable JWT_SECRET): {HARD_CODED}")),
        ("AL302", "server/services/tokens.ts", 15, 10, "warning",
         ("SignJWT().sign() signs tokens with HS512 and a shared secret (the environment "
          f"variable SERVICE_SECRET): {SHARED}")),
    ]  # fmt: skip


@pytest.mark.parametrize(("source", "extension"), both([
    # an asymmetric algorithm with a private key read from a file
    ("rs256-private-key",
     ('import jwt from "jsonwebtoken";\nimport { readFileSync } from "fs";\n'
     'const privateKey = readFileSync("keys/private.pem", "utf8");\n'
     'export const sign = (p) => jwt.sign(p, privateKey, { algorithm: "RS256", expiresIn: "10m" });\n')),
    # verifying is not signing
    ("verify",
     ('import jwt from "jsonwebtoken";\nconst SECRET = "s3cr3t";\n'
     'export const read = (t) => jwt.verify(t, SECRET, { algorithms: ["HS256"] });\n')),
    # options the file does not define, or spread: the algorithm is not guessed
    ("options-elsewhere",
     ('import jwt from "jsonwebtoken";\nimport { signOptions } from "./config";\n'
     'export const a = (p) => jwt.sign(p, "k", signOptions);\n'
     'export const b = (p) => jwt.sign(p, "k", { ...signOptions, expiresIn: "5m" });\n')),
    # jose with ES256, and an alg the file does not define
    ("jose-es256",
     ('import { SignJWT } from "jose";\nimport { ALG } from "./config";\n'
     'export const a = (p, key) => new SignJWT(p).setProtectedHeader({ alg: "ES256" }).sign(key);\n'
     'export const b = (p) => new SignJWT(p).setProtectedHeader({ alg: ALG }).sign(new TextEncoder().encode("k"));\n')),
    # a sign() of the file's own, and one of a file that does not import jsonwebtoken
    ("own-sign",
     ('import jwt from "jsonwebtoken";\nfunction sign(data, key) { return hmac(data, key); }\n'
     'export const a = (d) => sign(d, "key");\nexport const b = (t) => jwt.decode(t);\n')),
    # framework JWT services hold their secret in their registration, not at the call
    ("framework-services",
     ("export const a = (fastify, p) => fastify.jwt.sign(p);\n"
     "export class S { go(p) { return this.jwtService.sign(p); } }\n")),
]))  # fmt: skip
def test_symmetric_jwt_secret_js_look_alikes_are_fine(
    tmp_path: Path, capsys, source: str, extension: str
) -> None:
    files = {f"server/services/tokens.{extension}": source}
    assert findings(tmp_path, capsys, files, "symmetric-jwt-secret") == []


# --- long-lived-access-token ---------------------------------------------------------------


def test_long_lived_access_token_js(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/services/tokens.ts": """
            import jwt from "jsonwebtoken";
            import { SignJWT } from "jose";

            export const ACCESS_TOKEN_TTL = "1h";
            const REFRESH_TOKEN_TTL = "30d";

            export function login(user: User) {
              const accessToken = jwt.sign({ sub: user.id }, process.env.JWT_SECRET!, { expiresIn: "2 days" });
              const refreshToken = jwt.sign({ sub: user.id }, process.env.JWT_SECRET!, { expiresIn: "90d" });
              return { accessToken, refreshToken };
            }

            export const issue = (user: User) =>
              jwt.sign({ sub: user.id }, key, { expiresIn: 60 * 60 * 24 });

            export const rotate = (user: User) =>
              jwt.sign({ sub: user.id }, key, { expiresIn: REFRESH_TOKEN_TTL });

            export async function issueJose(user: User) {
              return new SignJWT({ sub: user.id }).setProtectedHeader({ alg: "ES256" }).setExpirationTime("12h").sign(privateKey);
            }
        """,
        "server/lib/auth.js": """
            const jwt = require("jsonwebtoken");

            exports.createAccessToken = (user, ttl = "7d") => jwt.sign({ sub: user.id }, key, { expiresIn: ttl });
            exports.legacy = (user) => jwt.sign({ sub: user.id, exp: Math.floor(Date.now() / 1000) + 3600 }, key);
        """,
    }, "long-lived-access-token")  # fmt: skip
    assert found == [
        ("AL303", "server/lib/auth.js", 3, 29, "error",
         ("access tokens live 1 week (default of ttl in createAccessToken()), more than "
          f"15 minutes: {LONG}")),
        ("AL303", "server/lib/auth.js", 4, 28, "error",
         f"access tokens live 1 hour (exp claim of jwt.sign()), more than 15 minutes: {LONG}"),
        ("AL303", "server/services/tokens.ts", 4, 14, "error",
         f"access tokens live 1 hour (ACCESS_TOKEN_TTL), more than 15 minutes: {LONG}"),
        ("AL303", "server/services/tokens.ts", 8, 23, "error",
         f"access tokens live 2 days (expiresIn of jwt.sign()), more than 15 minutes: {LONG}"),
        ("AL303", "server/services/tokens.ts", 14, 3, "error",
         f"access tokens live 1 day (expiresIn of jwt.sign()), more than 15 minutes: {LONG}"),
        ("AL303", "server/services/tokens.ts", 20, 10, "error",
         ("access tokens live 12 hours (setExpirationTime of SignJWT()), more than 15 minutes: "
          f"{LONG}")),
    ]  # fmt: skip


@pytest.mark.parametrize(("source", "extension"), both([
    # short access tokens, long refresh tokens in functions named for them
    ("named-functions",
     ('import jwt from "jsonwebtoken";\nexport const ACCESS_TOKEN_TTL = "15m";\n'
     "export function generateAccessToken(u) {\n"
     "  return jwt.sign({ sub: u.id }, key, { expiresIn: ACCESS_TOKEN_TTL });\n}\n"
     "export function generateRefreshToken(u) {\n"
     '  return jwt.sign({ sub: u.id }, key, { expiresIn: "7d" });\n}\n')),
    # an access / refresh pair signed in one function: the longer one is the refresh token
    ("pair",
     ('import jwt from "jsonwebtoken";\nexport function login(u) {\n'
     '  const accessToken = jwt.sign({ sub: u.id }, key, { expiresIn: "10m" });\n'
     '  const refreshToken = jwt.sign({ sub: u.id }, key, { expiresIn: "7d" });\n'
     "  return { accessToken, refreshToken };\n}\n")),
    # refresh tokens named by the route, the key, or what holds them
    ("refresh-named",
     ('import jwt from "jsonwebtoken";\n'
     'router.post("/auth/refresh", (req, res) => res.json({ token: jwt.sign({}, key, { expiresIn: "7d" }) }));\n'
     'export const a = (p) => jwt.sign(p, process.env.REFRESH_TOKEN_SECRET, { expiresIn: "30d" });\n'
     'export const b = (p) => ({ refreshToken: jwt.sign(p, key, { expiresIn: "30d" }) });\n'
     'export const c = (res, p) => res.cookie("refresh_token", jwt.sign(p, key, { expiresIn: "30d" }));\n')),
    # other kinds of tokens: a password reset, an email verification
    ("other-tokens",
     ('import jwt from "jsonwebtoken";\n'
     'export function createPasswordResetToken(u) { return jwt.sign({ sub: u.id }, key, { expiresIn: "1d" }); }\n'
     'export const mail = (u) => jwt.sign({ sub: u.id, purpose: "verify-email" }, key, { expiresIn: "2d" });\n')),
    # not guessed: a unit-less string (milliseconds), the environment, a jose timestamp
    ("not-guessed",
     ('import jwt from "jsonwebtoken";\nimport { SignJWT } from "jose";\n'
     'export const a = (p) => jwt.sign(p, key, { expiresIn: "3600" });\n'
     'export const b = (p) => jwt.sign(p, key, { expiresIn: process.env.JWT_EXPIRES_IN || "7d" });\n'
     'export const c = (p) => new SignJWT(p).setProtectedHeader({ alg: "ES256" })\n'
     "  .setExpirationTime(Math.floor(Date.now() / 1000) + 86400).sign(privateKey);\n")),
]))  # fmt: skip
def test_long_lived_access_token_js_look_alikes_are_fine(
    tmp_path: Path, capsys, source: str, extension: str
) -> None:
    files = {f"server/services/tokens.{extension}": source}
    assert findings(tmp_path, capsys, files, "long-lived-access-token") == []


# --- insecure-refresh-cookie ---------------------------------------------------------------

COOKIE = (
    "set httpOnly: true (no script can read it), secure: true (HTTPS only) and sameSite: "
    "'strict' (no other site can send it)"
)


def test_insecure_refresh_cookie_js(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/routes/auth.ts": """
            import { Router } from "express";
            const REFRESH_COOKIE = "rt";
            export const router = Router();

            router.post("/login", async (req, res) => {
              const tokens = await auth.login(req.body);
              res.cookie("refresh_token", tokens.refresh, { secure: true });
              res.cookie(REFRESH_COOKIE, tokens.refresh, { httpOnly: true, secure: true, sameSite: "lax" });
              res.cookie("refreshToken", tokens.refresh);
              res.json({ accessToken: tokens.access });
            });
        """,
        # a Next.js route handler, in no component
        "web/app/api/login/route.js": """
            import { cookies } from "next/headers";

            export async function POST(request) {
              const tokens = await login(await request.json());
              cookies().set("refresh", tokens.refreshToken, { httpOnly: true, sameSite: "strict" });
              const response = NextResponse.json({ ok: true });
              response.cookies.set({ name: "session", value: tokens.refreshToken, secure: true, sameSite: true });
              return response;
            }
        """,
    }, "insecure-refresh-cookie")  # fmt: skip
    assert found == [
        ("AL304", "server/routes/auth.ts", 7, 3, "error",
         f"refresh-token cookie 'refresh_token' is missing HttpOnly and SameSite=Strict: {COOKIE}"),
        ("AL304", "server/routes/auth.ts", 8, 3, "error",
         f"refresh-token cookie REFRESH_COOKIE is missing SameSite=Strict: {COOKIE}"),
        ("AL304", "server/routes/auth.ts", 9, 3, "error",
         f"refresh-token cookie 'refreshToken' is missing HttpOnly, Secure and SameSite=Strict: {COOKIE}"),
        ("AL304", "web/app/api/login/route.js", 5, 3, "error",
         f"refresh-token cookie 'refresh' is missing Secure: {COOKIE}"),
        ("AL304", "web/app/api/login/route.js", 7, 3, "error",
         f"refresh-token cookie 'session' is missing HttpOnly: {COOKIE}"),
    ]  # fmt: skip


@pytest.mark.parametrize(("source", "extension"), both([
    # all three flags (SameSite in any case, or true)
    ("all-flags",
     ("export const login = (res, t) => {\n"
     '  res.cookie("refresh_token", t.refresh, { httpOnly: true, secure: true, sameSite: "Strict" });\n'
     '  res.cookie("refreshToken", t.refresh, { httpOnly: true, secure: true, sameSite: true, path: "/auth" });\n'
     "};\n")),
    # other cookies are not refresh tokens
    ("other-cookies",
     ('export const prefs = (res, theme, csrf) => {\n  res.cookie("theme", theme);\n'
     '  res.cookie("XSRF-TOKEN", csrf, { sameSite: "lax" });\n};\n')),
    # clearing the cookie on logout
    ("logout",
     ('export const logout = (res) => {\n  res.cookie("refresh_token", "", { maxAge: 0 });\n'
     '  res.cookie("refreshToken", "x", { expires: new Date(0) });\n  res.clearCookie("refresh_token");\n};\n')),
    # flags from the configuration, options of the file, options from elsewhere or spread
    ("flags-from-config",
     ('import { cookieOptions } from "./config";\n'
     'const OPTIONS = { httpOnly: true, secure: true, sameSite: "strict" };\n'
     "export const login = (res, t) => {\n"
     '  res.cookie("refresh_token", t.refresh, { httpOnly: true, secure: process.env.NODE_ENV === "production", sameSite: "strict" });\n'
     '  res.cookie("refresh_token", t.refresh, OPTIONS);\n'
     '  res.cookie("refresh_token", t.refresh, cookieOptions);\n'
     '  res.cookie("refresh_token", t.refresh, { ...cookieOptions, path: "/auth" });\n};\n')),
    # Koa sets HttpOnly by default
    ("koa",
     ('export const login = (ctx, t) => {\n'
     '  ctx.cookies.set("refresh_token", t.refresh, { secure: true, sameSite: "strict" });\n};\n')),
]))  # fmt: skip
def test_insecure_refresh_cookie_js_look_alikes_are_fine(
    tmp_path: Path, capsys, source: str, extension: str
) -> None:
    files = {f"server/routes/auth.{extension}": source}
    assert findings(tmp_path, capsys, files, "insecure-refresh-cookie") == []


# --- raw-job-payload -----------------------------------------------------------------------


def test_raw_job_payload_js(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/routes/users.ts": """
            import { Queue } from "bullmq";
            import { emailQueue } from "../queue/email";

            const reports = new Queue("reports", { connection });

            router.post("/users", async (req, res) => {
              const user = await users.register(req.body);
              await emailQueue.add("welcome", { user });
              await reports.add("signup", req.body, { attempts: 3 });
              res.status(201).json(user);
            });
        """,
        "server/services/users.service.ts": """
            @Injectable()
            export class UsersService {
              constructor(@InjectQueue("mail") private readonly mail: Queue) {}

              async register(dto: CreateUserDto) {
                await this.mail.add("welcome", dto);
              }
            }
        """,
        "server/services/uploads.js": """
            const Queue = require("bee-queue");
            const thumbnails = new Queue("thumbnails");

            exports.upload = async (file) => {
              await thumbnails.createJob({ file }).save();
            };
        """,
    }, "raw-job-payload")  # fmt: skip
    assert found == [
        ("AL503", "server/routes/users.ts", 8, 9, "warning", f"emailQueue.add() {RAW}"),
        ("AL503", "server/routes/users.ts", 9, 9, "warning", f"reports.add() {RAW}"),
        ("AL503", "server/services/uploads.js", 5, 9, "warning", f"thumbnails.createJob() {RAW}"),
        ("AL503", "server/services/users.service.ts", 6, 11, "warning", f"this.mail.add() {RAW}"),
    ]  # fmt: skip


@pytest.mark.parametrize(("files", "extension"), [
    pytest.param(files, extension, id=f"{name}-{extension}")
    for name, files in [
        # the queue component enqueues: that is its job
        ("inside-queue", {"server/queue/reports.EXT": (
            'import { Queue } from "bullmq";\nconst reports = new Queue("reports");\n'
            'export const signup = (id) => reports.add("signup", { id, v: 1 });\n')}),
        # sets, arrays, form data, a plain array named queue
        ("not-queues", {"server/services/ids.EXT": (
            "const seen = new Set();\nconst queue = [];\n"
            'export const go = (id, form, file) => {\n  seen.add(id);\n  form.append("f", file);\n'
            '  queue.push(id);\n  queue.add?.(id);\n};\n')}),
        # p-queue: in-process tasks, not jobs
        ("p-queue", {"server/services/fetch.EXT": (
            'import PQueue from "p-queue";\nconst queue = new PQueue({ concurrency: 2 });\n'
            "export const get = (url) => queue.add(() => fetch(url));\n"
            "export const later = (task) => requestQueue.add(() => task());\n")}),
        # calling the queue component, or its service
        ("queue-function", {"server/routes/users.EXT": (
            'import { welcomeEmail } from "../queue/email";\n'
            'router.post("/users", async (req, res) => {\n  await welcomeEmail(req.body.id);\n'
            '  await queueService.add("welcome", { id: req.body.id });\n});\n')}),
        # the Python patterns are not JS jobs
        ("python-shapes", {"server/services/misc.EXT": (
            "export const wait = async (socket, msg) => {\n  await Promise.delay(100);\n"
            "  socket.send(msg);\n  pool.apply_async(msg);\n};\n")}),
    ]
    for extension in ("js", "ts")
])  # fmt: skip
def test_raw_job_payload_js_look_alikes_are_fine(
    tmp_path: Path, capsys, files: dict[str, str], extension: str
) -> None:
    files = {path.replace("EXT", extension): source for path, source in files.items()}
    assert findings(tmp_path, capsys, files, "raw-job-payload") == []


# --- mutable-module-state ------------------------------------------------------------------


def test_mutable_module_state_js(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/services/carts.ts": """
            const carts = new Map<string, Item[]>();
            const seen = new Set<string>();
            const stats = { hits: 0 };
            let requestCount = 0;
            let currentUser: User | null = null;

            export function addItem(userId: string, item: Item) {
              carts.set(userId, [...(carts.get(userId) ?? []), item]);
              seen.add(userId);
              requestCount++;
            }

            export class Tracker {
              hit() {
                stats.hits += 1;
              }
            }

            export const login = (user: User) => {
              currentUser = user;
            };
        """,
        "server/repositories/users.js": """
            const cache = {};
            const pending = [];

            exports.find = async (id) => {
              if (!cache[id]) cache[id] = await db.users.findById(id);
              return cache[id];
            };
            exports.queueWrite = (row) => { pending.push(row); };
        """,
    }, "mutable-module-state")  # fmt: skip
    assert found == [
        ("AL504", "server/repositories/users.js", 1, 7, "warning",
         f"module-level cache (an object) is changed at run time: find() assigns cache[] at line 5; {STATE}"),
        ("AL504", "server/repositories/users.js", 2, 7, "warning",
         ("module-level pending (an array) is changed at run time: queueWrite() calls "
          f"pending.push() at line 8; {STATE}")),
        ("AL504", "server/services/carts.ts", 1, 7, "warning",
         ("module-level carts (new Map()) is changed at run time: addItem() calls carts.set() "
          f"at line 8; {STATE}")),
        ("AL504", "server/services/carts.ts", 2, 7, "warning",
         ("module-level seen (new Set()) is changed at run time: addItem() calls seen.add() at "
          f"line 9; {STATE}")),
        ("AL504", "server/services/carts.ts", 3, 7, "warning",
         ("module-level stats (an object) is changed at run time: Tracker.hit() applies += to "
          f"stats.hits at line 15; {STATE}")),
        ("AL504", "server/services/carts.ts", 4, 5, "warning",
         ("module-level requestCount (a variable) is changed at run time: addItem() applies += "
          f"to it at line 10; {STATE}")),
        ("AL504", "server/services/carts.ts", 5, 5, "warning",
         ("module-level currentUser (a variable) is changed at run time: login() rebinds it at "
          f"line 20; {STATE}")),
    ]  # fmt: skip


@pytest.mark.parametrize(("source", "extension"), both([
    # frozen and read-only constants
    ("constants",
     ('const LABELS = Object.freeze({ new: "New" });\nconst STATES = ["new", "paid"];\n'
     "export const label = (s) => LABELS[s] ?? STATES[0];\n")),
    # a registry filled at import time: iteration callbacks and an IIFE run on the spot
    ("import-time",
     ('const handlers = {};\n["paid", "new"].forEach((kind) => { handlers[kind] = make(kind); });\n'
     "Object.keys(extra).map((kind) => handlers[kind] = extra[kind]);\n"
     '(() => { handlers.refund = make("refund"); })();\n'
     "export const handle = (e) => handlers[e.kind](e);\n")),
    # lazily created clients
    ("lazy-singletons",
     ("let client;\nlet db = null;\nlet redis;\n"
     "export function getClient() {\n  if (!client) client = new PrismaClient();\n  return client;\n}\n"
     "export async function getDb() {\n  db ??= await connect(url);\n  return db;\n}\n"
     "export const getRedis = () => (redis = redis || createClient());\n"
     "export const close = () => { redis = null; };\n")),
    # setup code, a shadowing parameter, a variable set at import time, per-object state
    ("setup-and-shadowing",
     ("const routes = [];\nconst cache = new Map();\nconst meta = new WeakMap();\nlet port = 3000;\n"
     "if (process.env.PORT) port = Number(process.env.PORT);\n"
     "export function registerRoute(r) { routes.push(r); }\n"
     "export function remember(cache, k, v) { cache.set(k, v); }\n"
     "export const tag = (req) => meta.set(req, { at: Date.now() });\n")),
]))  # fmt: skip
def test_mutable_module_state_js_look_alikes_are_fine(
    tmp_path: Path, capsys, source: str, extension: str
) -> None:
    files = {f"server/services/orders.{extension}": source}
    assert findings(tmp_path, capsys, files, "mutable-module-state") == []
