"""## What it does
Reports module-level state that a function of the same module changes at run time, in the
application layers, in Python and in JavaScript / TypeScript:

* a module-level name bound to a mutable container: a dict, list or set display (`{}`,
  `[]`, `{1}`; a JS object or array literal) or a call of the `containers` option (`dict()`,
  `list()`, `set()`, `defaultdict(...)`, `OrderedDict()`, `Counter()`, `deque()` …; JS `new
  Map()`, `new Set()`, `new Array()`, `Object.create(null)`), changed by
  * an item or attribute assignment, augmented assignment or `del` / `delete`
    (`CACHE[key] = value`, `STATS["hits"] += 1`, `del SESSIONS[sid]`, `cache.count++`);
  * a rebinding (`global CACHE; CACHE = {}`; in JS any assignment to the name);
  * a call of one of the `mutating_methods` on it or on an item of it (`CACHE.update(...)`,
    `QUEUE.append(job)`, `GROUPS[key].add(user)`, `cache.set(k, v)`, `list.push(x)`,
    `seen.add(id)`), or of one of the `mutating_functions` with it first
    (`Object.assign(cache, more)`);
* JS/TS only: a module-level `let` / `var` variable of any value that a function assigns
  (`let requestCount = 0` … `requestCount++`, `let currentUser = null` … `currentUser =
  user`), except a lazy initialisation: the variable is declared empty (no value, `null`,
  `undefined`) and every change is `x ??= …`, `x ||= …`, `x = x ?? …`, `x = x || …`, the
  result of a call (`client = new PrismaClient()`, `db = await connect(url)`) or a reset to
  `null` / `undefined`.

One finding per name, at its module-level binding, naming the first change. Fine: tuples,
frozensets, `Object.freeze(...)` and other immutable values; `WeakMap` / `WeakSet` (state
kept per object, gone with it); containers only read (lookup tables, `UPPER_CASE` dicts
nobody writes to); changes made at import time (at module level, in a class body, in a JS
callback run on the spot — an iteration callback such as `KEYS.forEach(k => …)` or an
immediately invoked function — or in a function used as a decorator in the same file, the
registry pattern) or in functions named like setup code (the `setup_functions` option:
`register*`, `setup*`, `init*`, `configure*`, `initCache`, `setupRoutes`), since every process
does the same; a function whose parameter shadows the name. Code facts do not record local
variables, so a local of the same name created inside a function (`cache = {}` then
`cache[k] = v`; JS `const cache = new Map()` then `cache.set(k, v)`) is not told apart: keep
module state names distinct (`_CACHE`). The files are those of the `layers` option, tests
excluded.

## Why is this bad?
A module-level dict is per process. Production runs several worker processes on several
machines: a write lands in one worker's memory, the next request goes to another worker
that never saw it, a restart or a deploy loses everything, and an unbounded cache grows
until the process is killed. Threads and async tasks of one worker also race on it. State
that must be shared belongs in the database or a cache such as Redis; state that belongs
to a request is passed explicitly.

## Example
```python
# app/services/carts.py
_CARTS: dict[str, list[Item]] = {}

def add_item(user_id: str, item: Item) -> None:
    _CARTS.setdefault(user_id, []).append(item)
```
```ts
// server/services/carts.ts
const carts = new Map<string, Item[]>();
let requestCount = 0;

export function addItem(userId: string, item: Item) {
  requestCount++;
  carts.set(userId, [...(carts.get(userId) ?? []), item]);
}
```

## Use instead
```python
# app/services/carts.py
def add_item(carts: CartRepository, user_id: str, item: Item) -> None:
    carts.add(user_id, item)  # stored in the database or Redis, shared by every worker
```
```ts
// server/services/carts.ts
export async function addItem(carts: CartRepository, userId: string, item: Item) {
  await carts.add(userId, item); // stored in the database or Redis, shared by every worker
}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from archlint.codefacts import KIND_CLASS, Assign, CodeFacts, Function, Value
from archlint.findings import Finding
from archlint.rules.auth_scope import ANONYMOUS, is_javascript
from archlint.rules.context import RuleContext
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES, application_code

CODE = "AL504"
NAME = "mutable-module-state"
SEVERITY = "warning"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # the files whose code facts it reads
OPTIONS: dict[str, object] = {
    "layers": APPLICATION_LAYERS,
    "exclude": TEST_FILES,
    "containers": [
        "dict", "list", "set", "bytearray", "defaultdict", "collections.defaultdict",
        "OrderedDict", "collections.OrderedDict", "Counter", "collections.Counter",
        "deque", "collections.deque", "ChainMap", "collections.ChainMap",
        "WeakValueDictionary", "weakref.WeakValueDictionary", "WeakKeyDictionary",
        "weakref.WeakKeyDictionary", "WeakSet", "weakref.WeakSet",
        "Map", "Set", "Array", "Object.create",
    ],
    "mutating_methods": [
        "append", "extend", "insert", "remove", "pop", "popitem", "clear", "add", "discard",
        "update", "setdefault", "sort", "reverse", "appendleft", "extendleft", "popleft",
        "rotate", "difference_update", "intersection_update", "symmetric_difference_update",
        "__setitem__", "__delitem__",
        "set", "delete", "push", "unshift", "shift", "splice", "fill", "copyWithin",
    ],
    "mutating_functions": ["Object.assign"],
    "setup_functions": [
        "register*", "_register*", "*_register", "setup*", "_setup*", "set_up*", "init*",
        "_init*", "configure*", "_configure*",
    ],
}  # fmt: skip

_DISPLAYS = {"dict": "a dict", "list": "a list", "set": "a set"}
_JS_DISPLAYS = {"dict": "an object", "list": "an array"}
# JS methods that call their callback on the spot (as the JS code facts' loops do).
_ON_THE_SPOT = frozenset({
    "map", "flatMap", "forEach", "filter", "reduce", "reduceRight", "some", "every", "find",
    "findIndex", "findLast", "findLastIndex", "sort",
})  # fmt: skip
_EMPTY = ("null",)  # `let x;` has no value at all
_LAZY_OPS = ("??=", "||=")
_LAZY_VALUES = ("??", "or")


def _container(value: Value | None, containers: list[str], javascript: bool = False
               ) -> str | None:
    """How a mutable container value is described, or None when it is not one."""
    if value is None:
        return None
    if javascript and value.kind in _JS_DISPLAYS:
        return _JS_DISPLAYS[value.kind]
    if value.kind in _DISPLAYS:
        return _DISPLAYS[value.kind]
    if value.kind == "call" and value.text in containers:
        if javascript and value.text[:1].isupper():
            return f"new {value.text}()"  # new Map()
        return f"{value.text}()"
    return None


def _root(target: str) -> str:
    """The name a dotted text starts from: "CACHE[].x" -> "CACHE"."""
    end = len(target)
    for mark in ".[(":
        index = target.find(mark)
        if index != -1:
            end = min(end, index)
    return target[:end]


class _Module:
    def __init__(self, facts: CodeFacts, setup: list[str]) -> None:
        self.facts = facts
        self.setup = setup
        used = set()
        for function in facts.functions:
            for decorator in function.decorators:
                if decorator.kind in ("name", "call") and "." not in decorator.text:
                    used.add(decorator.text)  # a decorator defined in this file
        self.decorators = used
        self.on_the_spot = _on_the_spot(facts)
        self.import_time = _called_at_import(facts)

    def runs_later(self, scope: int, name: str) -> bool:
        """Whether code in ``scope`` runs at request time and ``name`` there is the
        module's: in a def (a JS function not run on the spot), not setup code nor a
        decorator, no parameter shadowing it."""
        facts = self.facts
        while scope in self.on_the_spot:  # runs when the code around it does
            scope = facts.functions[scope].parent
        function = facts.function(scope)
        if function is None or function.kind == KIND_CLASS:
            return False
        current: Function | None = function
        while current is not None:
            if current.kind != KIND_CLASS:
                if current.name in self.decorators or current.name in self.import_time:
                    return False  # a decorator of this file, or called at import time
                if any(fnmatchcase(current.name, p) for p in self.setup):
                    return False
                if any(param.name == name for param in current.params):
                    return False
            current = facts.function(current.parent)
        return True


def _called_at_import(facts: CodeFacts) -> set[str]:
    """Functions of this file that run at import time: called by plain name at module level
    or in a class body (``Draft3Validator = create(...)``), and what those call by plain name
    in turn, through the file (a registry filled by a factory: ``create`` calling
    ``validates(version)(cls)``). A function of the same name called later too is let go:
    precision over recall."""
    functions = facts.functions
    by_name: dict[str, list[int]] = {}
    for index, function in enumerate(functions):
        if function.kind != KIND_CLASS and function.name != ANONYMOUS:
            by_name.setdefault(function.name, []).append(index)

    def at_import(scope: int) -> bool:  # module level, or a class body not inside a def
        while scope != -1:
            function = facts.function(scope)
            if function is None:
                return True
            if function.kind != KIND_CLASS:
                return False
            scope = function.parent
        return True

    def inside(scope: int, owners: set[int]) -> bool:  # in one of these defs, at any depth
        while scope != -1:
            if scope in owners:
                return True
            function = facts.function(scope)
            scope = function.parent if function is not None else -1
        return False

    def plain(callee: str) -> str:
        return callee.partition("(")[0] if "." not in callee.partition("(")[0] else ""

    found = {name for call in facts.calls if at_import(call.scope)
             if (name := plain(call.callee)) in by_name}  # fmt: skip
    frontier = set(found)
    while frontier:
        owners = {index for name in frontier for index in by_name[name]}
        frontier = {name for call in facts.calls if inside(call.scope, owners)
                    if (name := plain(call.callee)) in by_name} - found  # fmt: skip
        found |= frontier
    return found


def _on_the_spot(facts: CodeFacts) -> set[int]:
    """JS functions run where they are written: callbacks of iteration methods (or of a
    call whose callee is no plain chain, ``['a', 'b'].forEach(cb)``) and immediately invoked
    function expressions. Python has none (lambdas and comprehensions are no scopes)."""
    found: set[int] = set()
    for call in facts.calls:
        method = call.callee.rpartition(".")[2]
        spot = call.callee == "" or method in _ON_THE_SPOT or call.callee == "Array.from"
        for arg in call.args:
            if arg.kind == "function" and spot and arg.text.isdigit():
                found.add(int(arg.text))
    for index, function in enumerate(facts.functions):
        if function.name != ANONYMOUS or function.kind == KIND_CLASS:
            continue
        marker = Value("function", str(index))
        for call in facts.calls:  # (() => { ... })(): a call with no callee text just before it
            if (call.callee == "" and call.scope == function.parent and marker not in call.args
                    and call.line == function.line and call.column < function.column):
                found.add(index)
                break
    return found


def _changes(facts: CodeFacts, module: _Module, name: str, methods: set[str],
             functions: set[str] = frozenset()) -> list[tuple[int, int, str]]:  # type: ignore[assignment]
    """(line, scope, how) of every run-time change of module-level ``name``."""
    found: list[tuple[int, int, str]] = []
    for assign in facts.assigns:
        if assign.scope == -1 or _root(assign.target) != name:
            continue
        function = facts.function(assign.scope)
        if assign.target == name and (function is None or name not in function.globals):
            continue  # a class attribute of the same name
        if module.runs_later(assign.scope, name):
            if assign.target == name:
                how = "rebinds it" if assign.op == "=" else f"applies {assign.op} to it"
            elif assign.op == "del":
                how = f"deletes {assign.target}"
            elif assign.op == "=":
                how = f"assigns {assign.target}"
            else:
                how = f"applies {assign.op} to {assign.target}"
            found.append((assign.line, assign.scope, how))
    for call in facts.calls:
        if call.scope == -1 or _root(call.callee) != name:
            continue
        receiver, _, method = call.callee.rpartition(".")
        if method in methods and receiver and module.runs_later(call.scope, name):
            found.append((call.line, call.scope, f"calls {call.callee}()"))
    for call in facts.calls:  # Object.assign(cache, more)
        if call.scope == -1 or call.callee not in functions or not call.args:
            continue
        target = call.args[0]
        if target.kind == "name" and _root(target.text) == name and module.runs_later(call.scope, name):
            found.append((call.line, call.scope, f"calls {call.callee}({target.text}, …)"))
    first: dict[int, tuple[int, int, str]] = {}
    for change in sorted(found):
        first.setdefault(change[0], change)  # `C.setdefault(k, []).append(v)`: one change
    return list(first.values())


def _lazy(facts: CodeFacts, module: _Module, name: str, declared: Assign) -> bool:
    """Whether every run-time rebinding of a JS variable declared empty initialises it
    lazily (``client ??= new PrismaClient()``, ``if (!db) db = await connect()``)."""
    if declared.value is not None and declared.value.kind not in _EMPTY:
        return False
    for assign in facts.assigns:
        if assign.target != name or assign.scope == -1:
            continue
        function = facts.function(assign.scope)
        if function is None or name not in function.globals:
            continue
        if not module.runs_later(assign.scope, name):
            continue
        if assign.op in _LAZY_OPS:
            continue
        value = assign.value
        if assign.op != "=" or value is None:
            return False
        if value.kind == "await" and value.args:
            value = value.args[0]
        if value.kind in ("call", "null"):
            continue
        if (value.kind == "op" and value.text in _LAZY_VALUES and value.args
                and value.args[0] == Value("name", name)):
            continue
        return False
    return True


def _report(context: RuleContext, path: str, facts: CodeFacts, name: str, line: int, column: int,
            what: str, changes: list[tuple[int, int, str]]) -> Finding:
    first_line, scope, how = changes[0]
    where = facts.functions[scope].qualname
    more = f" (and {len(changes) - 1} more)" if len(changes) > 1 else ""
    return context.at(
        path, line, column,
        f"module-level {name} ({what}) is changed at run time: {where}() {how} at line "
        f"{first_line}{more}; each worker process has its own copy, so other workers "
        "never see the change and a restart loses it; keep shared state in the "
        "database or a cache (Redis), or pass it explicitly",
    )  # fmt: skip


def check(context: RuleContext) -> Iterator[Finding]:
    containers = [str(c) for c in context.options["containers"]]
    methods = {str(m) for m in context.options["mutating_methods"]}
    functions = {str(f) for f in context.options["mutating_functions"]}
    setup = [str(p) for p in context.options["setup_functions"]]
    for path, facts in application_code(context):
        javascript = is_javascript(path)
        bound: dict[str, tuple[int, int, str]] = {}
        variables: dict[str, Assign] = {}  # JS: module-level names of any other value
        for assign in facts.assigns:
            if assign.scope != -1 or assign.op not in ("=", ":") or not assign.target.isidentifier():
                continue
            if assign.target in bound or assign.target in variables:
                continue
            what = _container(assign.value, containers, javascript) if assign.op == "=" else None
            if what is not None:
                bound[assign.target] = (assign.line, assign.column, what)
            elif javascript:
                variables[assign.target] = assign
        if not bound and not variables:
            continue
        module = _Module(facts, setup)
        found: list[tuple[int, int, Finding]] = []
        for name, (line, column, what) in bound.items():
            changes = _changes(facts, module, name, methods, functions if javascript else set())
            if changes:
                found.append((line, column, _report(context, path, facts, name, line, column,
                                                    what, changes)))
        for name, declared in variables.items():
            changes = [
                change for change in _changes(facts, module, name, set())
                if change[2].endswith(" it")  # rebinds it / applies += to it
            ]
            if changes and not _lazy(facts, module, name, declared):
                found.append((declared.line, declared.column, _report(
                    context, path, facts, name, declared.line, declared.column, "a variable",
                    changes)))
        for _line, _column, finding in sorted(found, key=lambda entry: entry[:2]):
            yield finding
