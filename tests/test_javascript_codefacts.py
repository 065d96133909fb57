"""Code facts from JavaScript, TypeScript and TSX: exact records for every construct the code
rules ask about (the mapping is documented in archlint.frontends.javascript_code)."""

from __future__ import annotations

import marshal
import random
import textwrap

import pytest

from archlint.codefacts import Call, CodeFacts, Function, Loop, Value
from archlint.frontends.javascript_code import (
    JAVASCRIPT_CODE_VERSION,
    TSX_CODE_VERSION,
    TYPESCRIPT_CODE_VERSION,
    extract_javascript_code,
    extract_tsx_code,
    extract_typescript_code,
)

EXTRACTORS = {
    "js": extract_javascript_code, "ts": extract_typescript_code, "tsx": extract_tsx_code,
}


def extract(source: str, dialect: str = "js") -> CodeFacts:
    """Facts of a dedented source whose first line is line 1."""
    return EXTRACTORS[dialect](textwrap.dedent(source).lstrip("\n").encode())


def scope_name(facts: CodeFacts, scope: int) -> str:
    return "<module>" if scope < 0 else facts.functions[scope].qualname


def calls(facts: CodeFacts) -> list[tuple[str, int, int, str]]:
    return [(c.callee, c.line, c.column, scope_name(facts, c.scope)) for c in facts.calls]


def call(facts: CodeFacts, callee: str) -> Call:
    (found,) = [c for c in facts.calls if c.callee == callee]
    return found


def loops(facts: CodeFacts) -> dict[str, list[tuple[str, int, int, str]]]:
    return {c.callee: [(lp.kind, lp.line, lp.column, lp.over) for lp in c.loops]
            for c in facts.calls}


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


def FN(index: int) -> Value:
    return Value("function", str(index))


def CALL(callee: str, *args: Value) -> Value:
    return Value("call", callee, args)


def DICT(*items: tuple[str, Value]) -> Value:
    return Value("dict", "", (), items)


def LIST(*elements: Value) -> Value:
    return Value("list", "", elements)


TRUE, FALSE = Value("bool", "true"), Value("bool", "false")
NULL, OTHER = Value("null"), Value("other")


def test_versions() -> None:
    assert (JAVASCRIPT_CODE_VERSION, TYPESCRIPT_CODE_VERSION, TSX_CODE_VERSION) == (
        "javascript-code-1", "typescript-code-2", "tsx-code-2",
    )


# --- Express ------------------------------------------------------------------------------

EXPRESS = """
const express = require('express');
const { list, show } = require('./controllers/users');
const router = express.Router();

router.get('/users', auth, controller.list);
app.post('/users/:id', [auth, admin], async (req, res, next) => {
  const user = await prisma.user.findUnique({ where: { id: req.params.id } });
  res.cookie('sid', user.sid, { httpOnly: true, maxAge: 3600 });
  return res.status(201).json(user);
});
router.route('/items/:id').get(items.show).put(items.update);
exports.list = asyncHandler(async (req, res) => res.json(await knex('users').select()));
module.exports = router;
"""


def test_express_route_registration_keeps_handler_references_and_inline_handlers() -> None:
    facts = extract(EXPRESS)
    assert calls(facts) == [
        ("require", 1, 17, "<module>"),
        ("require", 2, 24, "<module>"),
        ("express.Router", 3, 16, "<module>"),
        ("router.get", 5, 1, "<module>"),
        ("app.post", 6, 1, "<module>"),
        ("prisma.user.findUnique", 7, 22, "<anonymous>"),
        ("res.cookie", 8, 3, "<anonymous>"),
        ("res.status().json", 9, 10, "<anonymous>"),
        ("res.status", 9, 10, "<anonymous>"),
        ("router.route().get().put", 11, 1, "<module>"),
        ("router.route().get", 11, 1, "<module>"),
        ("router.route", 11, 1, "<module>"),
        ("asyncHandler", 12, 16, "<module>"),
        ("res.json", 12, 49, "list"),
        ("knex().select", 12, 64, "list"),
        ("knex", 12, 64, "list"),
    ]
    # a handler reference is a "name"; an inline handler a "function": its index
    assert call(facts, "router.get").args == (S("/users"), N("auth"), N("controller.list"))
    assert call(facts, "app.post").args == (S("/users/:id"), LIST(N("auth"), N("admin")), FN(0))
    assert call(facts, "router.route").args == (S("/items/:id"),)
    assert call(facts, "router.route().get").args == (N("items.show"),)
    assert call(facts, "router.route().get().put").args == (N("items.update"),)
    assert call(facts, "res.cookie").args == (
        S("sid"), N("user.sid"), DICT(("httpOnly", TRUE), ("maxAge", NUM("3600"))),
    )
    assert call(facts, "prisma.user.findUnique").args == (
        DICT(("where", DICT(("id", N("req.params.id"))))),
    )
    assert all(c.kwargs == () for c in facts.calls)
    assert [(f.name, f.qualname, f.kind, f.is_async, f.line, f.end_line, f.column, f.parent,
             [p.name for p in f.params], f.statements) for f in facts.functions] == [
        ("<anonymous>", "<anonymous>", "function", True, 6, 10, 39, -1, ["req", "res", "next"],
         3),
        # the wrapped handler takes the name it is exported as
        ("list", "list", "function", True, 12, 12, 29, -1, ["req", "res"], 1),
    ]
    assert returns(facts) == [
        (CALL("res.status().json", N("user")), 9, "<anonymous>"),
        (CALL("res.json", Value("await", "", (CALL("knex().select"),))), 12, "list"),
    ]
    assert assigns(facts) == [
        ("express", "=", CALL("require", S("express")), 1, "<module>"),
        ("list", "=", N("require().list"), 2, "<module>"),
        ("show", "=", N("require().show"), 2, "<module>"),
        ("router", "=", CALL("express.Router"), 3, "<module>"),
        ("exports.list", "=", CALL("asyncHandler", FN(1)), 12, "<module>"),
        ("module.exports", "=", N("router"), 13, "<module>"),
    ]


def test_handlers_defined_as_named_functions_and_object_methods() -> None:
    facts = extract("""
        function health(req, res) { res.send('ok'); }
        const list = async (req, res) => { res.json(await User.find()); };
        const users = {
          async show(req, res) { res.json(await User.findById(req.params.id)); },
          remove: (req, res) => User.deleteOne({ _id: req.params.id }),
        };
        export default { create() {} };
        app.get('/health', health);
    """)
    assert [(f.name, f.qualname, f.kind, f.parent) for f in facts.functions] == [
        ("health", "health", "function", -1),
        ("list", "list", "function", -1),
        ("show", "users.show", "function", -1),
        ("remove", "users.remove", "function", -1),
        ("create", "default.create", "function", -1),
    ]
    assert assigns(facts)[:2] == [
        ("list", "=", FN(1), 2, "<module>"),
        ("users", "=", DICT(("show", FN(2)), ("remove", FN(3))), 3, "<module>"),
    ]
    assert call(facts, "app.get").args == (S("/health"), N("health"))


# --- NestJS (TypeScript) -----------------------------------------------------------------

NEST = """
import { Controller, Get, Param, Post, Body } from '@nestjs/common';

@Controller('users')
export class UsersController extends BaseController<User> implements OnModuleInit {
  private readonly cache: Map<string, User> = new Map();

  constructor(private readonly users: UsersService, @Inject(REPO) repo?: Repository<User>) {
    super();
  }

  @Get(':id')
  @UseGuards(AuthGuard)
  async findOne(@Param('id') id: string, limit: number = defaultLimit()): Promise<User> {
    return this.users.findOne(id);
  }

  @Post()
  create(@Body() dto: CreateUserDto, ...rest: unknown[]) {
    this.count = 1;
  }

  handle = async (req: Request): Promise<void> => {};
}
"""


def test_nestjs_controller_with_decorators_typed_params_and_base_class() -> None:
    facts = extract(NEST, "ts")
    assert [(f.qualname, f.kind, f.is_async, f.line, f.end_line, f.column, f.parent,
             f.statements) for f in facts.functions] == [
        ("UsersController", "class", False, 4, 23, 8, -1, 8),
        ("UsersController.constructor", "method", False, 7, 9, 3, 0, 1),
        ("UsersController.findOne", "method", True, 13, 15, 3, 0, 1),
        ("UsersController.create", "method", False, 18, 20, 3, 0, 1),
        ("UsersController.handle", "method", True, 22, 22, 12, 0, 0),
    ]
    controller = function(facts, "UsersController")
    assert controller.decorators == (CALL("Controller", S("users")),)
    assert controller.bases == ("BaseController<User>",)  # `implements` is not a base
    find = function(facts, "UsersController.findOne")
    assert find.decorators == (CALL("Get", S(":id")), CALL("UseGuards", N("AuthGuard")))
    assert find.returns == "Promise<User>"
    assert [(p.name, p.annotation, p.kind, p.default) for p in find.params] == [
        ("id", "string", "arg", None),
        ("limit", "number", "arg", CALL("defaultLimit")),
    ]
    assert [(p.name, p.annotation, p.kind) for p in function(facts, "UsersController.create").params] == [
        ("dto", "CreateUserDto", "arg"), ("rest", "unknown[]", "vararg"),
    ]
    assert [(p.name, p.annotation) for p in function(facts, "UsersController.constructor").params] == [
        ("users", "UsersService"), ("repo", "Repository<User>"),
    ]
    assert function(facts, "UsersController.handle").returns == "Promise<void>"
    assert facts.class_of(2) is controller and facts.class_of(0) is None
    assert calls(facts) == [
        ("Controller", 3, 2, "<module>"),
        ("Map", 5, 47, "UsersController"),
        ("Inject", 7, 54, "UsersController"),  # parameter decorators run with the class
        ("super", 8, 5, "UsersController.constructor"),
        ("Get", 11, 4, "UsersController"),
        ("UseGuards", 12, 4, "UsersController"),
        ("Param", 13, 18, "UsersController"),
        ("defaultLimit", 13, 58, "UsersController.findOne"),  # a default runs per call
        ("this.users.findOne", 14, 12, "UsersController.findOne"),
        ("Post", 17, 4, "UsersController"),
        ("Body", 18, 11, "UsersController"),
    ]
    assert assigns(facts) == [  # class fields; `this.count = 1` is instance state
        ("cache", "=", CALL("Map"), 5, "UsersController"),
        ("handle", "=", FN(4), 22, "UsersController"),
    ]
    assert facts.assigns[0].annotation == "Map<string, User>"
    assert returns(facts) == [(CALL("this.users.findOne", N("id")), 14, "UsersController.findOne")]


# --- loops: N+1 ---------------------------------------------------------------------------

LOOPS = """
async function report(users, db) {
  for (const user of users) {
    await db.orders.count({ user: user.id });
  }
  await Promise.all(users.map(async (u) => db.profile.find(u.id)));
  for await (const row of db.stream(query())) {
    await db.save(row);
  }
  for (let i = 0; i < users.length; i++) { db.touch(users[i]); }
  for (const key in lookup()) { db.get(key); }
  while (await cursor.hasNext()) { db.insert(await cursor.next()); }
  do { db.poll(); } while (pending());
  ['a', 'b'].forEach((table) => db.truncate(table));
  Object.keys(groups).forEach(function (k) { db.group(k); });
  users.forEach((u) => { function later() { db.later(u); } });
  const handler = () => db.never();
}
"""


@pytest.mark.parametrize("dialect", ["js", "ts", "tsx"])
def test_calls_inside_loops_and_iteration_callbacks(dialect: str) -> None:
    facts = extract(LOOPS, dialect)
    assert loops(facts) == {
        "db.orders.count": [("for of", 2, 3, "users")],
        "Promise.all": [],
        "users.map": [],
        "db.profile.find": [("map", 5, 27, "users")],  # in the arrow's scope
        "db.stream": [],  # the iterable runs once, before the loop
        "query": [],
        "db.save": [("for await", 6, 3, "db.stream()")],
        "db.touch": [("for", 9, 3, "users")],
        "lookup": [],
        "db.get": [("for in", 10, 3, "lookup()")],
        "cursor.hasNext": [("while", 11, 3, "")],  # the test runs every time
        "db.insert": [("while", 11, 3, "")],
        "cursor.next": [("while", 11, 3, "")],
        "db.poll": [("do while", 12, 3, "")],
        "pending": [("do while", 12, 3, "")],
        "": [],
        "db.truncate": [("forEach", 13, 14, "constants")],
        "Object.keys().forEach": [],
        "Object.keys": [],
        "db.group": [("forEach", 14, 23, "Object.keys()")],
        "users.forEach": [],
        "db.later": [],  # a declared function runs when called, not in the loop
        "db.never": [],
    }
    assert scope_name(facts, call(facts, "db.profile.find").scope) == "report.<anonymous>"
    assert call(facts, "db.orders.count").loops[0] == Loop("for of", 2, 3, "users")


def test_loop_stacks_are_shared_between_calls_of_one_loop() -> None:
    facts = extract(LOOPS)
    assert call(facts, "cursor.hasNext").loops is call(facts, "db.insert").loops


def test_callbacks_keep_the_loops_around_them() -> None:
    facts = extract("""
        for (const id of ids) {
          fetchOne(id).then((row) => db.save(row));
          items.map((x) => x.children.forEach((c) => db.find(c)));
          setTimeout(() => db.ping(), 10);
          const run = () => db.deferred(id);
          (async () => { await db.iife(id); })();
        }
    """)
    outer = ("for of", 1, 1, "ids")
    assert loops(facts)["db.save"] == [outer]
    assert loops(facts)["db.find"] == [outer, ("map", 3, 9, "items"), ("forEach", 3, 31, "x.children")]
    assert loops(facts)["db.ping"] == [outer]
    assert loops(facts)["db.deferred"] == []  # bound to a name: runs when called
    assert loops(facts)["db.iife"] == [outer]
    assert function(facts, "run").parent == -1


# --- callee text and values ----------------------------------------------------------------


def test_callee_text_conventions() -> None:
    facts = extract("""
        localStorage.setItem('token', t);
        window.localStorage.setItem("k", v);
        prisma.user.findMany({ where: { active: true } });
        knex('users').where('id', id).first();
        a?.b!.c?.(x);
        (client as any).query(sql);
        obj['method'](1);
        data[0].save();
        new Pool({ max: 10 }).connect();
        sql`select * from users where id = ${id}`;
        const mod = await import('./mod');
        super.init();
        [1].map(f);
    """, "ts")
    assert [c.callee for c in facts.calls] == [
        "localStorage.setItem",
        "window.localStorage.setItem",
        "prisma.user.findMany",
        "knex().where().first",
        "knex().where",
        "knex",
        "a.b.c",
        "client.query",
        "obj.method",  # a string subscript is the member it names
        "data[].save",
        "Pool().connect",
        "Pool",  # `new` is a constructor call
        "sql",
        "import",
        "super.init",
        "",  # a literal root
    ]
    assert call(facts, "sql").args == (Value("fstr", "select * from users where id = {id}"),)
    assert call(facts, "import").args == (S("./mod"),)
    assert call(facts, "Pool").args == (DICT(("max", NUM("10"))),)


def test_values() -> None:
    facts = extract("""
        f('s', "d\\n", `plain`, `/u/${user.id}/${a + b}`, 60, -1.5, 0x10, 1_000, 10n, true,
          false, null, undefined, name, a.b, a[0], a['k'], process.env.SECRET,
          process.env['KEY'], import.meta.env.VITE_API, [1, x], { k: 1, 'q': 2, [c]: 3, s, ...r,
          m() {} }, a || 'x', a ?? b, a && b, !a, c ? a : b, a + 1, a === b, typeof a,
          await p, ...rest, () => 1, /re/g, class {});
    """, "ts")
    (f,) = [c for c in facts.calls if c.callee == "f"]
    assert f.args == (
        S("s"), S("d\n"), S("plain"), Value("fstr", "/u/{user.id}/{}"), NUM("60"), NUM("-1.5"),
        NUM("16"), NUM("1000"), NUM("10"), TRUE, FALSE, NULL, NULL, N("name"), N("a.b"),
        N("a[]"), N("a.k"), Value("env", "SECRET"), Value("env", "KEY"),
        Value("env", "VITE_API"), LIST(NUM("1"), N("x")),
        DICT(("k", NUM("1")), ("q", NUM("2")), ("", NUM("3")), ("s", N("s")), ("**", N("r")),
             ("m", FN(0))),
        Value("op", "or", (N("a"), S("x"))), Value("op", "??", (N("a"), N("b"))),
        Value("op", "and", (N("a"), N("b"))), Value("op", "not", (N("a"),)),
        Value("op", "if", (N("a"), N("c"), N("b"))), Value("op", "+", (N("a"), NUM("1"))),
        OTHER, OTHER, Value("await", "", (N("p"),)), Value("star", "", (N("rest"),)), FN(1),
        OTHER, OTHER,
    )
    assert [(fn.name, fn.kind) for fn in facts.functions] == [
        ("m", "function"), ("<anonymous>", "function"), ("<anonymous>", "class"),
    ]


# --- assignments -------------------------------------------------------------------------

STATE = """
let counter = 0;
var cache = {};
const settings = { theme: 'dark' };
let token;
export const API = process.env.API_URL || 'http://localhost';
const { SECRET } = process.env;
const [first, second] = [1, 'two'];

export function track(key, value) {
  counter += 1;
  counter++;
  cache[key] = value;
  settings.theme = value;
  localStorage.token = value;
  localStorage['jwt'] = value;
  delete cache[key];
  this.local = value;
  let local = 1;
  local = 2;
  const store = window.localStorage;
  const { sessionStorage: session } = window;
  const computed = compute();
  function inner(key) { token = key; key = 1; }
}
"""


def test_module_bindings_and_mutations_from_functions() -> None:
    facts = extract(STATE)
    assert assigns(facts) == [
        ("counter", "=", NUM("0"), 1, "<module>"),
        ("cache", "=", DICT(), 2, "<module>"),
        ("settings", "=", DICT(("theme", S("dark"))), 3, "<module>"),
        ("token", ":", None, 4, "<module>"),
        ("API", "=", Value("op", "or", (Value("env", "API_URL"), S("http://localhost"))), 5,
         "<module>"),
        ("SECRET", "=", Value("env", "SECRET"), 6, "<module>"),
        ("first", "=", NUM("1"), 7, "<module>"),
        ("second", "=", S("two"), 7, "<module>"),
        ("counter", "+=", NUM("1"), 10, "track"),
        ("counter", "+=", NUM("1"), 11, "track"),
        ("cache[]", "=", N("value"), 12, "track"),
        ("settings.theme", "=", N("value"), 13, "track"),
        ("localStorage.token", "=", N("value"), 14, "track"),
        ("localStorage.jwt", "=", N("value"), 15, "track"),
        ("cache[]", "del", None, 16, "track"),
        # local aliases of a name chain are kept, with the declaring keyword as op
        ("store", "const", N("window.localStorage"), 20, "track"),
        ("session", "const", N("window.sessionStorage"), 21, "track"),
        ("token", "=", N("key"), 23, "track.inner"),
    ]
    assert function(facts, "track").globals == ("counter",)
    assert function(facts, "track.inner").globals == ("token",)
    assert [(a.line, a.column) for a in facts.assigns[8:10]] == [(10, 3), (11, 3)]


def test_main_guard() -> None:
    facts = extract("""
        function main() { run(); }
        if (require.main === module) {
          main();
        }
    """)
    assert facts.main_guard == (2, 4)
    assert facts.in_main_guard(3) and not facts.in_main_guard(1)
    assert extract("if (module === require.main) main();\n").main_guard == (1, 1)
    assert extract("if (process.env.X) main();\n").main_guard is None


# --- TSX and robustness -----------------------------------------------------------------


def test_tsx_component_with_hooks_and_jsx_handlers() -> None:
    facts = extract("""
        export default function Page({ items }: Props) {
          const [value, setValue] = useState<number>(0);
          const onSave = useCallback(() => api.save(value), [value]);
          return <ul>{items.map((i) => <li key={i.id} onClick={() => remove(i)}>{fmt(i)}</li>)}</ul>;
        }
    """, "tsx")
    assert [(f.name, f.qualname, f.parent) for f in facts.functions] == [
        ("Page", "Page", -1),
        ("onSave", "Page.onSave", 0),
        ("<anonymous>", "Page.<anonymous>", 0),
        ("onClick", "Page.<anonymous>.onClick", 2),
    ]
    assert function(facts, "Page").params[0][:2] == ("{ items }", "Props")
    assert calls(facts) == [
        ("useState", 2, 29, "Page"),
        ("useCallback", 3, 18, "Page"),
        ("api.save", 3, 36, "Page.onSave"),
        ("items.map", 4, 15, "Page"),
        ("remove", 4, 62, "Page.<anonymous>.onClick"),
        ("fmt", 4, 74, "Page.<anonymous>"),
    ]
    assert loops(facts)["fmt"] == [("map", 4, 21, "items")]
    assert loops(facts)["remove"] == []  # an event handler runs later


def test_a_syntax_error_still_gives_what_parsed() -> None:
    facts = extract("""
        const api = createClient();
        function broken() {
          const x = ;
          lost();
        }
        if (a { b(); }
        export function fine() { return api.get('/x'); }
        class Store { save() { localStorage.setItem('k', v); } }
    """)
    assert calls(facts) == [
        ("createClient", 1, 13, "<module>"),
        ("lost", 4, 3, "broken"),
        ("b", 6, 9, "<module>"),
        ("api.get", 7, 33, "fine"),
        ("localStorage.setItem", 8, 24, "Store.save"),
    ]
    assert [f.qualname for f in facts.functions] == ["broken", "fine", "Store", "Store.save"]
    assert assigns(facts) == [("api", "=", CALL("createClient"), 1, "<module>")]


def test_character_columns_bom_and_crlf() -> None:
    facts = extract_javascript_code("\ufeffconst é = 'ü'; f(é);\r\ng();\r\n".encode())
    assert calls(facts) == [("f", 1, 16, "<module>"), ("g", 2, 1, "<module>")]  # é: 1 column
    assert assigns(facts) == [("é", "=", S("ü"), 1, "<module>")]


def test_typescript_only_forms_are_skipped_or_transparent() -> None:
    facts = extract("""
        interface A { f(): void }
        type T = ReturnType<typeof load>;
        declare function g(x: number): void;
        function h(x: string): string;
        function h(x: any) { return x as string; }
        abstract class R<T> extends Repository<T> { abstract find(): T; save(): void { persist(this!); } }
        enum E { A = 1 }
        const v = <Foo>bar.baz();
    """, "ts")
    assert [(f.qualname, f.kind, f.bases) for f in facts.functions] == [
        ("h", "function", ()), ("R", "class", ("Repository<T>",)), ("R.save", "method", ()),
    ]
    assert [c.callee for c in facts.calls] == ["persist", "bar.baz"]
    assert returns(facts) == [(N("x"), 5, "h")]


def test_facts_survive_marshal() -> None:
    facts = extract(EXPRESS)
    assert CodeFacts.from_record(marshal.loads(marshal.dumps(facts.to_record()))) == facts


@pytest.mark.parametrize("data", [
    b"", b"\0\0", b"(((((((((", b"\xff\xfe\x00garbage", b"f(" + b"[" * 3000 + b"]" * 3000 + b");g();",
    b"a" + b".b()" * 1500 + b";\nh();\n", b"x = " + b" + ".join([b"f()"] * 3000) + b";\n",
])
def test_never_raises(data: bytes) -> None:
    for extract_code in EXTRACTORS.values():
        assert isinstance(extract_code(data), CodeFacts)


def test_deep_statements_are_dropped_alone() -> None:
    deep = b"a();\nf(" + b"[" * 3000 + b"]" * 3000 + b");\ng(1);\n"
    assert [c.callee for c in extract_javascript_code(deep).calls] == ["a", "g"]
    assert extract_javascript_code(b"x = " + b" + ".join([b"f()"] * 3000) + b";\n").calls[-1].callee == "f"


def test_random_bytes_never_raise() -> None:
    rng = random.Random(7)
    pieces = [b"(", b")", b"{", b"}", b"=>", b"function", b"class", b"for", b"of", b"`${",
              b"'", b'"', b"x", b".", b",", b";", b"\n", b"@", b"<", b">", b"=", b"async",
              b"\xc3\xa9", b"\xff"]
    for _ in range(200):
        data = b" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        for extract_code in EXTRACTORS.values():
            assert isinstance(extract_code(data), CodeFacts)
