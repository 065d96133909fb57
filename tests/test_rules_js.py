"""The handler, N+1 and database-access rules on JavaScript / TypeScript backends (Express,
Koa, Fastify, NestJS; Prisma, knex, pg, Mongoose, Sequelize, TypeORM): for each new
behaviour, one bad case with exact findings and at least three look-alikes that are fine,
in JS and in TS."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.test_cli import run, write_tree

CONFIG = """\
[components]
routes = ["server/routes/**"]
controllers = ["server/controllers/**", "server/**/*.controller.ts"]
services = ["server/services/**", "server/**/*.service.ts"]
repositories = ["server/repositories/**"]
"""


def findings(root: Path, capsys, files: dict[str, str], rule: str) -> list[tuple]:
    tree: dict[str, str | bytes] = {"archlint.toml": CONFIG,
                                    "server/package.json": '{"name": "server"}\n'}  # fmt: skip
    tree.update({path: textwrap.dedent(text).lstrip("\n") for path, text in files.items()})
    write_tree(root, tree)
    args = ["check", str(root), "--no-cache", "--format", "json", "--select", rule]
    code, out, err = run(args, capsys)
    assert code in (0, 1), err
    return [(f["code"], f["path"], f["line"], f["column"], f["message"])
            for f in json.loads(out)["findings"]]  # fmt: skip


# --- fat-route-handler (AL204) -------------------------------------------------------------

FAT_TAIL = (": keep it to HTTP (read the request, call a service, shape the response) and move "
            "the rest into services")


def test_fat_express_and_nest_handlers(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/routes/orders.js": """
            const router = require("express").Router();

            router.post("/orders", async (req, res) => {
              const { error } = orderSchema.validate(req.body);
              if (error) return res.status(400).json({ error: error.message });
              const order = await prisma.order.create({ data: req.body });
              const rate = await axios.get(`${RATES_URL}/eur`);
              res.json({ id: order.id, status: order.status, total: order.total,
                         rate: rate.data, items: order.items.length, created: order.createdAt });
            });

            router.get("/orders/:id", show);
            async function show(req, res) {
              const order = await prisma.order.findUnique({ where: { id: req.params.id } });
              order.lines.map((line) => fs.writeFileSync(`/tmp/${line.id}`, line.body));
              res.json(order);
            }
        """,
        "server/src/users/users.controller.ts": """
            @Controller("users")
            export class UsersController {
              constructor(private prisma: PrismaService) {}

              @Post()
              async create(@Body() body: unknown) {
                const dto = createUserSchema.parse(body);
                return this.prisma.user.create({ data: dto });
              }
            }
        """,
    }, "fat-route-handler")  # fmt: skip
    assert found == [
        ("AL204", "server/routes/orders.js", 3, 24,
         "route handler for POST /orders mixes validation, database access, outside I/O and "
         "response formatting" + FAT_TAIL),
        ("AL204", "server/routes/orders.js", 13, 1,
         "route handler show mixes database access and outside I/O" + FAT_TAIL),
        ("AL204", "server/src/users/users.controller.ts", 6, 3,
         "route handler UsersController.create mixes validation and database access" + FAT_TAIL),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # an array's find() with a callback is no query: validation only
        {"server/routes/users.js": """
            router.get("/users/:id", (req, res) => {
              const { error } = idSchema.validate(req.params);
              const user = users.find((u) => u.id === req.params.id);
              res.json(user);
            });
        """},
        # a relative fetch is the app's own server, a variable URL is unknown: database only
        {"server/routes/users.js": """
            app.get("/users", async (req, res) => {
              await fetch("/internal/warmup");
              await fetch(upstreamUrl);
              res.json(await prisma.user.findMany());
            });
        """},
        # NestJS: the handler calls a service and returns a small DTO
        {"server/src/users/users.controller.ts": """
            @Controller("users")
            export class UsersController {
              constructor(private users: UsersService) {}
              @Post()
              create(@Body() dto: CreateUserDto) {
                const user = this.users.create(dto);
                return { id: user.id, name: user.name };
              }
            }
        """},
        # the same mix in a service function: no handler
        {"server/services/orders.ts": """
            export async function createOrder(body: unknown) {
              const dto = orderSchema.parse(body);
              const order = await prisma.order.create({ data: dto });
              await axios.post("https://hooks.example.com/orders", order);
              return order;
            }
        """},
    ],
    ids=["array-find", "relative-fetch", "nest-thin", "service"],
)
def test_fat_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "fat-route-handler") == []


# --- verb-in-route-path (AL401) ------------------------------------------------------------


def test_verbs_in_express_and_nest_paths(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/routes/users.js": """
            const router = require("express").Router();
            router.get("/users/getAll", list);
            router.route("/createUser").post(create);
            router.delete("/users/:id/remove", remove);
            router.post("/posts/:id/publish", publish);
        """,
        "server/src/cats/cats.controller.ts": """
            @Controller("cats")
            export class CatsController {
              @Get("fetchAll")
              all() { return []; }
            }
        """,
    }, "verb-in-route-path")  # fmt: skip
    message = ('route {} has the verb "{}" in its path (segment "{}"): name the resource and '
               "let the HTTP method be the verb")
    assert found == [
        ("AL401", "server/routes/users.js", 2, 1, message.format("GET /users/getAll", "get", "getAll")),
        ("AL401", "server/routes/users.js", 3, 1, message.format("POST /createUser", "create", "createUser")),
        ("AL401", "server/routes/users.js", 4, 1,
         message.format("DELETE /users/:id/remove", "remove", "remove")),
        ("AL401", "server/src/cats/cats.controller.ts", 4, 3,
         message.format("GET /cats/fetchAll", "fetch", "fetchAll")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # an action on one item by POST, with Express's ":id" parameter
        {"server/routes/posts.js": 'router.post("/posts/:postId/publish", publish);\n'},
        # an HTML page (res.render) showing a form
        {"server/routes/posts.js": 'router.get("/posts/:id/edit", (req, res) => res.render("edit"));\n'},
        # an HTTP client in a routes file is no route
        {"server/routes/client.ts": 'export const load = () => axios.get("/api/getUser", config);\n'},
        # NestJS: a page rendered with @Render, and nouns
        {"server/src/posts/posts.controller.ts": """
            @Controller("posts")
            export class PostsController {
              @Get(":id/edit") @Render("edit") edit() {}
              @Get("settings") settings() {}
              @Get("downloads") downloads() {}
            }
        """},
    ],
    ids=["post-action", "page", "http-client", "nest-page-and-nouns"],
)
def test_verb_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "verb-in-route-path") == []


# --- error-with-success-status (AL402) -----------------------------------------------------

SEND_TAIL = " so that clients and monitoring see the failure"


def test_error_bodies_with_success_statuses(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/routes/users.js": """
            router.get("/users/:id", async (req, res) => {
              const user = await users.find(req.params.id);
              if (!user) return res.json({ error: "user not found" });
              try {
                await audit(user);
              } catch (err) {
                res.status(200).send({ success: false, message: err.message });
              }
              res.json(user);
            });
            router.get("/koa", async (ctx) => {
              ctx.body = { errors: ["bad"] };
            });
        """,
        "server/routes/items.ts": """
            export default async function items(fastify: FastifyInstance) {
              fastify.get("/items/:id", async (request, reply) => {
                return { error: "no such item" };
              });
            }
        """,
        "server/src/users/users.controller.ts": """
            @Controller("users")
            export class UsersController {
              @Post()
              create(@Body() dto: CreateUserDto) {
                if (!dto.email) return { message: "email is required" };
                return this.users.create(dto);
              }

              @Get(":id")
              @HttpCode(200)
              one(@Param("id") id: string, @Res() res: Response) {
                res.json({ err: "missing" });
              }
            }
        """,
    }, "error-with-success-status")  # fmt: skip
    assert found == [
        ("AL402", "server/routes/items.ts", 3, 5,
         'returns an error body (an "error" key) with status 200 (the default): return a 4xx/5xx '
         "status (or throw an HTTP error)" + SEND_TAIL),
        ("AL402", "server/routes/users.js", 3, 21,
         'sends an error body (an "error" key) with status 200 (the default): send it with a '
         "4xx/5xx status (res.status(404).json(...))" + SEND_TAIL),
        ("AL402", "server/routes/users.js", 7, 5,
         'sends an error body ("success": false) with status 200: send it with a 4xx/5xx status '
         "(res.status(404).send(...))" + SEND_TAIL),
        ("AL402", "server/routes/users.js", 12, 3,
         'sets an error body (an "errors" key) with status 200 (the default): set ctx.status to '
         "a 4xx/5xx code (or ctx.throw(...))" + SEND_TAIL),
        ("AL402", "server/src/users/users.controller.ts", 5, 21,
         'returns an error body (an error "message") with status 201 (the default for POST): '
         "return a 4xx/5xx status (or throw an HTTP error)" + SEND_TAIL),
        ("AL402", "server/src/users/users.controller.ts", 12, 5,
         'sends an error body (an "err" key) with status 200 (the default): send it with a '
         "4xx/5xx status (res.status(404).json(...))" + SEND_TAIL),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # the status is set in the chain, or by a statement before the body
        {"server/routes/users.js": """
            router.get("/users/:id", (req, res) => {
              if (!req.params.id) return res.status(404).json({ error: "not found" });
              res.status(500);
              res.send({ error: "boom" });
              res.status(code).json({ error: "unknown status" });
            });
        """},
        # envelopes without an error, and a return value Express ignores
        {"server/routes/users.js": """
            router.get("/users", async (req, res) => {
              res.json({ data: await list(), error: null });
              res.send({ message: "no errors found" });
              res.json({ jsonrpc: "2.0", error: { code: -32601, message: "not found" }, id: 1 });
              return { error: "Express does not send what a handler returns" };
            });
        """},
        # Fastify and Koa with an error status
        {"server/routes/items.ts": """
            export default async function items(fastify: FastifyInstance) {
              fastify.get("/items/:id", async (request, reply) => {
                return reply.code(404).send({ error: "no such item" });
              });
              fastify.get("/other", async (request, reply) => {
                reply.code(422);
                return { errors: ["bad"] };
              });
            }
            router.get("/koa", async (ctx) => { ctx.status = 400; ctx.body = { error: "bad" }; });
        """},
        # NestJS: an error status, an exception, and a non-handler method
        {"server/src/users/users.controller.ts": """
            @Controller("users")
            export class UsersController {
              @Post() @HttpCode(400) bad() { return { error: "invalid" }; }
              @Get(":id") one() { throw new NotFoundException("user not found"); }
              helper() { return { error: "not a handler" }; }
            }
        """},
    ],
    ids=["status-set", "no-error", "fastify-koa-4xx", "nest"],
)
def test_error_status_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "error-with-success-status") == []


# --- unversioned-api-route (AL403) ---------------------------------------------------------

UNVERSIONED = ("API route {} has no version in its path: serve it under a version prefix "
               "(/v1/..., /api/v1/...) so that it can change without breaking clients")


def test_unversioned_express_routes(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/routes/app.js": """
            const express = require("express");
            const app = express();
            const router = express.Router();
            router.get("/orders", listOrders);
            app.get("/users", listUsers);
            app.get("/health", health);
            app.use("/api", router);
        """,
        "server/routes/main.ts": """
            const app: Express = express();
            app.post("/login", login);
        """,
    }, "unversioned-api-route")  # fmt: skip
    assert found == [
        ("AL403", "server/routes/app.js", 4, 1, UNVERSIONED.format("GET /api/orders")),
        ("AL403", "server/routes/app.js", 5, 1, UNVERSIONED.format("GET /users")),
        ("AL403", "server/routes/main.ts", 2, 1, UNVERSIONED.format("POST /login")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # mounted under a version
        {"server/routes/app.js": """
            const app = express();
            const router = express.Router();
            router.get("/users", list);
            app.use("/api/v1", router);
        """},
        # a router mounted elsewhere: the version may be added there
        {"server/routes/users.js": 'const router = express.Router();\nrouter.get("/users", list);\n'},
        # a Fastify plugin registered in another file
        {"server/routes/users.ts": """
            export default async function users(fastify: FastifyInstance) {
              fastify.get("/users", list);
            }
        """},
        # NestJS: the global prefix and versioning live in main.ts
        {"server/src/users/users.controller.ts": """
            @Controller("users")
            export class UsersController { @Get() list() {} }
        """},
    ],
    ids=["versioned-mount", "router-elsewhere", "fastify-plugin", "nest"],
)
def test_unversioned_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "unversioned-api-route") == []


# --- singular-resource-name (AL404) --------------------------------------------------------


def test_singular_collections_in_js_and_nest(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/routes/users.js": 'router.get("/user/:id", show);\nrouter.put("/user/:id", update);\n',
        "server/src/orders/orders.controller.ts": """
            @Controller("api/v1/order")
            export class OrdersController { @Get(":id/lines") lines() {} }
        """,
    }, "singular-resource-name")  # fmt: skip
    assert found == [
        ("AL404", "server/routes/users.js", 1, 1,
         ('collection "user" in route GET /user/:id is singular: name collections in the '
          'plural ("users")')),
        ("AL404", "server/src/orders/orders.controller.ts", 2, 51,
         ('collection "order" in route GET /api/v1/order/:id/lines is singular: name '
          'collections in the plural ("orders")')),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        {"server/routes/users.js": 'router.get("/users/:id", show);\n'},
        {"server/routes/me.js": 'router.get("/profile", show);\nrouter.get("/me/:field", field);\n'},
        {"server/routes/auth.ts": 'router.get("/auth/:provider", (req: Request, res: Response) => {});\n'},
        {"server/src/people/people.controller.ts": """
            @Controller("people")
            export class PeopleController { @Get(":id") one() {} }
        """},
    ],
    ids=["plural", "singleton-and-me", "allowed-word", "nest-irregular-plural"],
)
def test_singular_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "singular-resource-name") == []


# --- slow-call-in-request-path (AL502) -----------------------------------------------------

SLOW_TAIL = (": the response waits for it; hand it to a task queue and answer at once (202 "
             "Accepted when the client needs the result later)")


def test_slow_calls_in_express_and_nest_handlers(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/routes/users.js": """
            router.post("/users", async (req, res) => {
              const user = await users.create(req.body);
              await transporter.sendMail({ to: user.email, subject: "Welcome" });
              const charge = await fetch("https://api.stripe.com/v1/charges", { method: "POST" });
              const thumb = await sharp(req.file.buffer).resize(200).toBuffer();
              users.save(user).then(() => sgMail.send({ to: user.email }));
              res.status(201).json(user);
            });
        """,
        "server/src/users/users.controller.ts": """
            @Controller("users")
            export class UsersController {
              @Post("invite")
              async invite(@Body() dto: InviteDto) {
                await this.sendInvite(dto.email);
                return { ok: true };
              }

              private async sendInvite(email: string) {
                await this.mailer.sendMail({ to: email });
              }
            }
        """,
    }, "slow-call-in-request-path")  # fmt: skip
    assert found == [
        ("AL502", "server/routes/users.js", 3, 9,
         "sends mail in the request path (transporter.sendMail())" + SLOW_TAIL),
        ("AL502", "server/routes/users.js", 4, 24,
         "calls an HTTP API in the request path (fetch())" + SLOW_TAIL),
        ("AL502", "server/routes/users.js", 5, 23,
         "processes an image in the request path (sharp())" + SLOW_TAIL),
        ("AL502", "server/routes/users.js", 6, 31,
         "sends mail in the request path (sgMail.send())" + SLOW_TAIL),
        ("AL502", "server/src/users/users.controller.ts", 5, 11,
         "sends mail in the request path (this.mailer.sendMail() in sendInvite())" + SLOW_TAIL),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # the app's own API (a relative URL) and an unknown URL
        {"server/routes/users.js": """
            router.get("/users", async (req, res) => {
              res.json(await (await fetch("/internal/users")).json());
              await axios.get(req.query.next);
            });
        """},
        # mail handed to a queue
        {"server/routes/users.js": """
            router.post("/users", async (req, res) => {
              await mailQueue.add("welcome", { userId: req.body.id });
              res.status(202).json({});
            });
        """},
        # the slow call in a service, not a handler
        {"server/services/mail.ts": """
            export async function sendWelcome(to: string) {
              await transporter.sendMail({ to });
              await fetch("https://api.example.com/hooks", { method: "POST" });
            }
        """},
        # NestJS: the handler calls a service method (in another file)
        {"server/src/users/users.controller.ts": """
            @Controller("users")
            export class UsersController {
              @Post() async create(@Body() dto: CreateUserDto) { return this.mail.sendWelcome(dto); }
            }
        """},
    ],
    ids=["relative-url", "queued", "service", "nest-service"],
)
def test_slow_call_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "slow-call-in-request-path") == []


# --- n-plus-one-query (AL501) --------------------------------------------------------------

N1_TAIL = ": one query per item; fetch them in one query (IN, JOIN, prefetch)"


def test_queries_in_js_loops(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/services/orders.js": """
            async function totals(orders, ids, byId) {
              for (const order of orders) {
                order.lines = await prisma.line.findMany({ where: { orderId: order.id } });
              }
              const users = await Promise.all(ids.map((id) => prisma.user.findUnique({ where: { id } })));
              let page = 0;
              while (page < 10) {
                await knex("events").where({ page }).first();
                page += 1;
              }
              orders.forEach(async (o) => {
                await pool.query("select * from refunds where order_id = $1", [o.id]);
              });
              for (const id in byId) {
                await Customer.findById(id).lean();
              }
              return users;
            }
        """,
        "server/services/users.service.ts": """
            export class UsersService {
              constructor(private usersRepository: Repository<User>, private dataSource: DataSource) {}

              async load(ids: string[]) {
                for (let i = 0; i < ids.length; i++) {
                  await this.usersRepository.findOneBy({ id: ids[i] });
                }
                return ids.map((id) => this.dataSource.getRepository(User).findOne({ where: { id } }));
              }

              async sync(rows: Row[]) {
                for await (const row of rows) {
                  await User.create(row);
                  await db.order.count({ where: { userId: row.id } });
                }
              }
            }
        """,
    }, "n-plus-one-query")  # fmt: skip
    assert found == [
        ("AL501", "server/services/orders.js", 3, 25,
         "database call prisma.line.findMany() inside the for of at line 2 over orders" + N1_TAIL),
        ("AL501", "server/services/orders.js", 5, 51,
         "database call prisma.user.findUnique() inside the .map() callback at line 5 over ids"
         + N1_TAIL),
        ("AL501", "server/services/orders.js", 8, 11,
         "database call knex().where().first() inside the while at line 7" + N1_TAIL),
        ("AL501", "server/services/orders.js", 12, 11,
         "database call pool.query() inside the .forEach() callback at line 11 over orders"
         + N1_TAIL),
        ("AL501", "server/services/orders.js", 15, 11,
         "database call Customer.findById() inside the for in at line 14 over byId" + N1_TAIL),
        ("AL501", "server/services/users.service.ts", 6, 13,
         "database call this.usersRepository.findOneBy() inside the for at line 5 over ids"
         + N1_TAIL),
        ("AL501", "server/services/users.service.ts", 8, 28,
         "database call this.dataSource.getRepository().findOne() inside the .map() callback at "
         "line 8 over ids" + N1_TAIL),
        ("AL501", "server/services/users.service.ts", 13, 13,
         "database call User.create() inside the for await at line 12 over rows" + N1_TAIL),
        ("AL501", "server/services/users.service.ts", 14, 13,
         "database call db.order.count() inside the for await at line 12 over rows" + N1_TAIL),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        # array methods, built-ins, ALL_CAPS constants and lodash chains are no queries
        """
        for (const order of orders) {
          const user = users.find((u) => u.id === order.userId);
          const role = ROLES.find(isAdmin);
          const copy = Object.create(order);
          const most = Math.max(order.a, order.b);
          const first = _.chain(order.items).where({ ok: true }).first();
          Object.values(order.byId).find((x) => x.ok);
        }
        """,
        # a loop over constants, and one query before a loop over its rows
        """
        ["sessions", "tokens"].forEach((table) => knex(table).del());
        const rows = await prisma.user.findMany({ where: { id: { in: ids } } });
        for (const row of rows) format(row);
        """,
        # a GraphQL client, a cache and a builder call without a table name
        """
        for (const id of ids) {
          await client.query({ query: USER, variables: { id } });
          await cache.get(id);
          await db().collectionNames();
        }
        """,
        # TypeScript: lower-case receivers that are no models, and a query-building loop
        """
        export async function save(dtos: Dto[]) {
          const entities = dtos.map((dto) => this.mapper.create(dto));
          for (const dto of dtos) this.logger.log(dto.name);
          return this.usersRepository.save(entities);
        }
        """,
    ],
    ids=["array-methods", "constants-and-batched", "not-sql", "ts-batched"],
)
def test_n_plus_one_js_look_alikes_are_fine(tmp_path: Path, capsys, source: str) -> None:
    files = {"server/services/orders.ts": "export async function f(orders, ids) {\n"
             + textwrap.indent(textwrap.dedent(source), "  ") + "}\n"}
    assert findings(tmp_path, capsys, files, "n-plus-one-query") == []


# --- db-access-outside-repository (AL203) --------------------------------------------------

DB_TAIL = " outside the repositories: move the query into a repository and call it"


def test_queries_outside_js_repositories(tmp_path: Path, capsys) -> None:
    found = findings(tmp_path, capsys, {
        "server/services/users.js": """
            const { Pool } = require("pg");
            const pool = new Pool();
            async function activeUsers() {
              const { rows } = await pool.query("select * from users where active");
              const open = await knex("orders").where({ open: true }).count();
              return prisma.user.findMany({ where: { active: true } });
            }
        """,
        "server/src/users/users.controller.ts": """
            @Controller("users")
            export class UsersController {
              constructor(private prisma: PrismaService, private users: UsersRepository) {}
              @Get() list() { return this.prisma.user.findMany(); }
              @Get(":id") one(@Param("id") id: string) { return this.users.findOne(id); }
            }
        """,
    }, "db-access-outside-repository")  # fmt: skip
    assert found == [
        ("AL203", "server/services/users.js", 1, 26,
         ("imports the database client pg outside the repositories: move the queries into a "
          "repository and call it")),
        ("AL203", "server/services/users.js", 4, 26, "queries the database (pool.query())" + DB_TAIL),
        ("AL203", "server/services/users.js", 5, 22,
         "queries the database (knex().where().count())" + DB_TAIL),
        ("AL203", "server/services/users.js", 6, 10,
         "queries the database (prisma.user.findMany())" + DB_TAIL),
        ("AL203", "server/src/users/users.controller.ts", 4, 26,
         "queries the database (this.prisma.user.findMany())" + DB_TAIL),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "files",
    [
        # the repository itself
        {"server/repositories/users.js": """
            const { Pool } = require("pg");
            const pool = new Pool();
            exports.active = () => pool.query("select * from users where active");
            exports.byOrder = (id) => knex("orders").where({ id }).first();
        """},
        # a service calling repositories (TypeORM's included) and filtering arrays
        {"server/services/users.ts": """
            export class UsersService {
              constructor(private usersRepository: Repository<User>) {}
              async active() {
                const users = await this.usersRepository.find({ where: { active: true } });
                return users.find((u) => u.admin) ?? (await User.findOne({ admin: true }));
              }
            }
        """},
        # a test of a service
        {"server/services/users.test.js": 'test("x", async () => { await prisma.user.deleteMany(); });\n'},
        # a GraphQL client and a builder-looking call that is none
        {"server/services/feed.js": """
            const feed = (client) => client.query({ query: FEED });
            const table = (rows) => _.chain(rows).where({ ok: true }).first();
            const names = () => db().collectionNames();
        """},
    ],
    ids=["repository", "service-calls-repository", "test-file", "not-sql"],
)
def test_db_access_js_look_alikes_are_fine(tmp_path: Path, capsys, files) -> None:
    assert findings(tmp_path, capsys, files, "db-access-outside-repository") == []
