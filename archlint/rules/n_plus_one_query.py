"""## What it does
Reports a database call inside a loop: a loop whose body runs a query per item. The message
names the loop and the call. Loops over a literal list of constants (`for table in ("a",
"b")`, `["a", "b"].forEach(...)`) are fine. The files are those of the `layers` option, tests
excluded.

Python: `for` / `while` / `async for` loops and comprehensions; the calls are those matching
the `calls` option (`*` matches any text): `session.query(...)`, `session.execute(...)`,
`cursor.execute(...)`, `Model.objects.filter(...)` …

JavaScript / TypeScript: `for`, `for…of`, `for…in`, `for await`, `while` and `do…while`
loops, and the callbacks of iteration methods (`.map`, `.forEach`, `.filter`, `.reduce` …,
so `Promise.all(ids.map(id => prisma.user.findUnique(...)))` is one query per id). A call
is a query when it is one of:

* a call matching the `javascript_calls` option: Prisma `<client>.<model>.<operation>`
  (client `prisma`, `this.prisma`, `db`, `ctx.db`; operations `findUnique`, `findFirst`,
  `findMany`, `create*`, `update*`, `upsert`, `delete*`, `count`, `aggregate`, `groupBy`)
  and `prisma.$queryRaw` / `$executeRaw` / `$transaction`; a SQL client's `*.query(...)`
  (pg `pool.query`, `client.query`, mysql2, `dataSource.query`; not a GraphQL client's
  `client.query({query: ...})`); knex's `knex.raw(...)` / `knex.select(...)…`; TypeORM
  query builders `*.createQueryBuilder(...)…`; MongoDB `db.collection(...).findOne(...)`;
* a query builder call, `knex("users")`, `db("users")`, `trx("users")` (a callee named in
  `javascript_query_builders` with a table name, a string, as first argument) and every
  call chained on it (`knex("users").where({id}).first()`): a bare `.where()`, `.select()`
  or `.first()` on anything else is not one;
* a model method, a name of `javascript_model_methods` (Mongoose `find`, `findOne`,
  `findById`, `updateOne` …, Sequelize `findAll`, `findByPk`, `create` …, TypeORM
  `findOneBy`, `save` …) called on a model: a capitalised name (`User.findOne`,
  `db.User.findAll`; not a built-in such as `Object` or `Math`, nor an ALL_CAPS constant),
  a name ending in `Model`, `Repository` or `Repo` (`this.userModel.find`,
  `this.usersRepository.findOneBy`), a TypeORM `getRepository(User)` or entity manager
  (`manager`, `entityManager`, `em`). A call whose first argument is an inline function
  (`users.find(u => …)`) is an array method, never a query.

## Why is this bad?
One query per item is the N+1 problem: a page of 50 orders makes 51 round trips to the
database. It is invisible with ten rows in development and takes the site down with ten
thousand in production. Fetching everything in one query (IN, a JOIN, `selectinload`,
`prefetch_related`, Prisma's `findMany({where: {id: {in: ids}}})`) keeps the number of
queries constant.

## Example
```python
def order_totals(session, orders):
    totals = {}
    for order in orders:
        lines = session.query(Line).filter(Line.order_id == order.id).all()
        totals[order.id] = sum(line.amount for line in lines)
    return totals
```

## Use instead
```python
def order_totals(session, orders):
    ids = [order.id for order in orders]
    lines = session.query(Line).filter(Line.order_id.in_(ids)).all()
    totals = dict.fromkeys(ids, 0)
    for line in lines:
        totals[line.order_id] += line.amount
    return totals
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from archlint.codefacts import Call, CodeFacts
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.handlers import is_javascript
from archlint.rules.patterns import matcher
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES, application_code

CODE = "AL501"
NAME = "n-plus-one-query"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # reads the code facts of the files in these components

# Prisma client operations, as globs on the last name.
_PRISMA = ("find[UFM]*", "create*", "update*", "upsert", "delete*", "count", "aggregate",
           "groupBy")  # fmt: skip
JAVASCRIPT_CALLS = [
    *(f"{client}.*.{operation}" for client in ("*prisma", "db", "*.db") for operation in _PRISMA),
    "*prisma.$queryRaw*", "*prisma.$executeRaw*", "*prisma.$transaction",
    "*.query", "knex.*", "*.knex.*", "*.createQueryBuilder().*", "*.collection().*",
]  # fmt: skip
JAVASCRIPT_QUERY_BUILDERS = ["knex", "db", "trx"]
JAVASCRIPT_MODEL_METHODS = [
    # Mongoose
    "find", "findOne", "findById", "findByIdAndUpdate", "findByIdAndDelete",
    "findByIdAndRemove", "findOneAndUpdate", "findOneAndDelete", "findOneAndReplace",
    "updateOne", "updateMany", "deleteOne", "deleteMany", "replaceOne", "countDocuments",
    "estimatedDocumentCount", "exists", "distinct", "create", "insertMany", "bulkWrite",
    "aggregate",
    # Sequelize
    "findAll", "findByPk", "findOrCreate", "findAndCountAll", "bulkCreate", "update",
    "destroy", "count", "max", "min", "sum", "upsert", "increment", "decrement",
    # TypeORM repositories and entity managers
    "findBy", "findOneBy", "findOneOrFail", "findOneByOrFail", "findAndCount",
    "findAndCountBy", "findByIds", "save", "insert", "remove", "softDelete", "softRemove",
    "restore", "delete", "countBy", "exist", "existsBy", "query", "preload",
]  # fmt: skip
OPTIONS: dict[str, object] = {
    "layers": APPLICATION_LAYERS,
    "exclude": TEST_FILES,
    "calls": [
        "*.query", "*.execute", "*.executemany", "*.scalars", "*.scalar",
        "*.objects.*", "*.find", "*.find_one", "*.aggregate", "*.raw",
    ],
    "javascript_calls": JAVASCRIPT_CALLS,
    "javascript_query_builders": JAVASCRIPT_QUERY_BUILDERS,
    "javascript_model_methods": JAVASCRIPT_MODEL_METHODS,
}  # fmt: skip

# Globals whose methods are no model's: Object.create, Math.max, Array.from(...).find ...
_BUILTINS = frozenset({
    "Object", "Array", "Promise", "JSON", "Math", "Reflect", "Date", "Number", "String",
    "Symbol", "Map", "Set", "WeakMap", "WeakSet", "Intl", "Buffer", "URL", "URLSearchParams",
    "Error", "Proxy", "BigInt", "Boolean", "RegExp", "Atomics", "React", "Vue", "Children",
})  # fmt: skip
_REPOSITORY_CALLS = ("getRepository()", "getCustomRepository()", "getMongoRepository()",
                     "getTreeRepository()")  # fmt: skip
_MANAGERS = frozenset({"manager", "entityManager", "em"})
# Loop kinds that are statements (or Python comprehensions); any other kind is the callback
# of an iteration method (JS): "map", "forEach", "Array.from" ...
_STATEMENTS = frozenset({
    "for", "async for", "while", "list comprehension", "set comprehension",
    "dict comprehension", "generator expression", "for of", "for in", "for await", "do while",
})  # fmt: skip


def _model(receiver: str) -> bool:
    """Whether a receiver is a model (Mongoose, Sequelize) or a TypeORM repository/manager."""
    if receiver.endswith(_REPOSITORY_CALLS):
        return True
    if not receiver or any(c in receiver for c in "()[]"):
        return False
    name = receiver.rpartition(".")[2]
    if receiver.partition(".")[0] in _BUILTINS:
        return False
    if name.endswith(("Model", "model", "Repository", "repository", "Repo", "repo")):
        return True
    if name in _MANAGERS:
        return True
    return name[:1].isupper() and any(c.islower() for c in name)


class JsQueries:
    """Which JS/TS calls of one file query a database (see the rule's documentation).
    ``models``: whether model methods (`User.findOne`, `repo.save`) count."""

    def __init__(self, calls: Iterable[object], builders: Iterable[object],
                 model_methods: Iterable[object], models: bool = True) -> None:
        self.calls = matcher(calls)
        self.builders = frozenset(str(b) for b in builders)
        self.methods = frozenset(str(m) for m in model_methods) if models else frozenset()

    def of(self, facts: CodeFacts) -> Iterator[Call]:
        """The query calls of a file, in document order."""
        at: dict[tuple[int, int], dict[str, Call]] = {}
        for call in facts.calls:
            at.setdefault((call.line, call.column), {}).setdefault(call.callee, call)
        for call in facts.calls:
            if self.query(call, at[(call.line, call.column)]):
                yield call

    def query(self, call: Call, chain: dict[str, Call]) -> bool:
        """``chain``: the calls at the same position, by callee (a chain's calls share one)."""
        callee = call.callee
        first = call.arg(0)
        if first is not None and first.kind == "function":
            return False  # users.find(u => ...): an array method
        if self.calls(callee):
            # client.query({query: GQL}): a GraphQL client (Apollo, urql), not SQL
            return not (callee.endswith(".query") and first is not None
                        and first.kind == "dict" and first.get("query") is not None)
        head = callee.partition("(")[0]
        if head.rpartition(".")[2] in self.builders and (
            callee == head or callee.startswith(head + "().")
        ):
            root = chain.get(head)  # knex("users"): a table name
            table = root.arg(0) if root is not None else None
            if table is not None and table.kind in ("str", "fstr"):
                return True
        receiver, dot, method = callee.rpartition(".")
        return bool(dot) and method in self.methods and _model(receiver)


def _loop_name(kind: str) -> str:
    if kind in _STATEMENTS:
        return kind
    return f"{kind}() callback" if "." in kind else f".{kind}() callback"


def check(context: RuleContext) -> Iterator[Finding]:
    python = matcher(context.options["calls"])
    javascript = JsQueries(context.options["javascript_calls"],
                           context.options["javascript_query_builders"],
                           context.options["javascript_model_methods"])
    for path, facts in application_code(context):
        if is_javascript(path):
            calls: Iterable[Call] = javascript.of(facts)
        else:
            # Only calls in loops can be reported: the cheap test first.
            calls = (call for call in facts.calls if call.loops and python(call.callee))
        reported: set[tuple[int, int]] = set()
        for call in calls:
            loops = [loop for loop in call.loops if loop.over != "constants"]
            if not loops:
                continue
            loop = loops[-1]
            if (call.line, loop.line) in reported:
                continue  # one finding per statement: a().b().c() matches several times
            reported.add((call.line, loop.line))
            over = f" over {loop.over}" if loop.over else ""
            yield context.at(
                path, call.line, call.column,
                f"database call {call.callee}() inside the {_loop_name(loop.kind)} at line "
                f"{loop.line}{over}: one query per item; fetch them in one query (IN, JOIN, "
                "prefetch)",
            )  # fmt: skip
