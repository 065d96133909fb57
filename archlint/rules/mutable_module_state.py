"""## What it does
Reports a module-level name bound to a mutable container that a function of the same
module changes at run time, in the application layers. Containers: a dict, list or set
display (`{}`, `[]`, `{1}`) or a call of the `containers` option (`dict()`, `list()`,
`set()`, `defaultdict(...)`, `OrderedDict()`, `Counter()`, `deque()` …). Changes, in any
def or method of the module:

* an item or attribute assignment, augmented assignment or `del` (`CACHE[key] = value`,
  `STATS["hits"] += 1`, `del SESSIONS[sid]`);
* a `global NAME` followed by a rebinding (`global CACHE; CACHE = {}`);
* a call of one of the `mutating_methods` on it or on an item of it (`CACHE.update(...)`,
  `QUEUE.append(job)`, `GROUPS[key].add(user)`).

One finding per name, at its module-level binding, naming the first change. Fine: tuples,
frozensets and other immutable values; containers only read (lookup tables, `UPPER_CASE`
dicts nobody writes to); changes made at import time (at module level, in a class body, or
in a function used as a decorator in the same file, the registry pattern) or in functions
named like setup code (the `setup_functions` option: `register*`, `setup*`, `init*`,
`configure*`), since every process does the same; a function whose parameter shadows
the name. Code facts do not record local variables, so a local of the same name created
inside a function (`cache = {}` then `cache[k] = v`) is not told apart: keep module state
names distinct (`_CACHE`). The files are those of the `layers` option, tests excluded.

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

## Use instead
```python
# app/services/carts.py
def add_item(carts: CartRepository, user_id: str, item: Item) -> None:
    carts.add(user_id, item)  # stored in the database or Redis, shared by every worker
```
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase

from archlint.codefacts import KIND_CLASS, CodeFacts, Function, Value
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES, application_code

CODE = "AL504"
NAME = "mutable-module-state"
SEVERITY = "warning"
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
    ],
    "mutating_methods": [
        "append", "extend", "insert", "remove", "pop", "popitem", "clear", "add", "discard",
        "update", "setdefault", "sort", "reverse", "appendleft", "extendleft", "popleft",
        "rotate", "difference_update", "intersection_update", "symmetric_difference_update",
        "__setitem__", "__delitem__",
    ],
    "setup_functions": [
        "register*", "_register*", "*_register", "setup*", "_setup*", "set_up*", "init*",
        "_init*", "configure*", "_configure*",
    ],
}  # fmt: skip

_DISPLAYS = {"dict": "a dict", "list": "a list", "set": "a set"}


def _container(value: Value | None, containers: list[str]) -> str | None:
    """How a mutable container value is described, or None when it is not one."""
    if value is None:
        return None
    if value.kind in _DISPLAYS:
        return _DISPLAYS[value.kind]
    if value.kind == "call" and value.text in containers:
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

    def runs_later(self, scope: int, name: str) -> bool:
        """Whether code in ``scope`` runs at request time and ``name`` there is the
        module's: in a def, not setup code nor a decorator, no parameter shadowing it."""
        facts = self.facts
        function = facts.function(scope)
        if function is None or function.kind == KIND_CLASS:
            return False
        current: Function | None = function
        while current is not None:
            if current.kind != KIND_CLASS:
                if current.name in self.decorators:
                    return False  # a decorator of this file: runs at import time
                if any(fnmatchcase(current.name, p) for p in self.setup):
                    return False
                if any(param.name == name for param in current.params):
                    return False
            current = facts.function(current.parent)
        return True


def _changes(facts: CodeFacts, module: _Module, name: str, methods: set[str]
             ) -> list[tuple[int, int, str]]:
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
                how = "rebinds it"
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
    first: dict[int, tuple[int, int, str]] = {}
    for change in sorted(found):
        first.setdefault(change[0], change)  # `C.setdefault(k, []).append(v)`: one change
    return list(first.values())


def check(context: RuleContext) -> Iterator[Finding]:
    containers = [str(c) for c in context.options["containers"]]
    methods = {str(m) for m in context.options["mutating_methods"]}
    setup = [str(p) for p in context.options["setup_functions"]]
    for path, facts in application_code(context):
        bound: dict[str, tuple[int, int, str]] = {}
        for assign in facts.assigns:
            if assign.scope != -1 or assign.op != "=" or not assign.target.isidentifier():
                continue
            what = _container(assign.value, containers)
            if what is not None and assign.target not in bound:
                bound[assign.target] = (assign.line, assign.column, what)
        if not bound:
            continue
        module = _Module(facts, setup)
        for name, (line, column, what) in bound.items():
            changes = _changes(facts, module, name, methods)
            if not changes:
                continue
            first_line, scope, how = changes[0]
            where = facts.functions[scope].qualname
            more = f" (and {len(changes) - 1} more)" if len(changes) > 1 else ""
            yield context.at(
                path, line, column,
                f"module-level {name} ({what}) is changed at run time: {where}() {how} at line "
                f"{first_line}{more}; each worker process has its own copy, so other workers "
                "never see the change and a restart loses it; keep shared state in the "
                "database or a cache (Redis), or pass it explicitly",
            )  # fmt: skip
