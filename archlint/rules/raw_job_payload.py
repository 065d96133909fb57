"""## What it does
Reports code in the application layers that enqueues a background job itself instead of
calling the queue component (the `allowed_layers` option, `["queue"]`: `tasks.py`,
`tasks/`, `jobs/`, `workers/`, `queues/`). Enqueue calls are matched on their callee text:

* `calls`, always: Celery `*.delay(...)`, `*.apply_async(...)`, `*.send_task(...)`; RQ
  `*.enqueue_call(...)`, `*.enqueue_at(...)`, `*.enqueue_in(...)`; arq `*.enqueue_job(...)`;
  Dramatiq `*.send_with_options(...)`; Taskiq `*.kiq(...)`. A receiver matching
  `not_receivers` (`pool.apply_async(...)` of multiprocessing, an executor) is not a queue.
* `function_calls` (RQ's `*.enqueue(...)`), when the job is handed over raw: the first
  argument (or `f=`) is a function or its dotted path, `q.enqueue(send_email, user.id)`,
  `q.enqueue("app.tasks.send_email", ...)`. A queue service's own `enqueue(Job(...))` taking
  a job object is not flagged.
* `actor_calls` (Dramatiq's `*.send(...)`), only when the receiver is an actor: a name the
  file imports from the queue component (`from app.tasks import send_welcome`,
  `send_welcome.send(user.id)`, or `tasks.send_welcome.send(...)` after `from app import
  tasks`), or a function of the same file decorated with one of `actor_decorators`. A
  websocket's, a mailer's or a Kafka producer's `.send(...)` is not an enqueue.

In JavaScript / TypeScript files (the Python patterns above are not used there): BullMQ's
and Bull's `queue.add(name, data)` / `queue.add(data)` / `queue.addBulk([...])` and
bee-queue's `queue.createJob(data)` (the `javascript_calls` option, by method name) when the
receiver is a job queue:

* constructed in the file from one of the `queue_classes` (`new Queue(...)`,
  `new Bull(...)`, `new BeeQueue(...)`) or by a function named like a queue
  (`createQueue('mail')`), as a module-level name or a class field (`this.queue`); or a
  field or parameter typed as one (Nest's `@InjectQueue('mail') private mail: Queue`,
  `this.mail.add(...)`);
* else named like one, when the file binds it to nothing else: the last word of its last
  member is `queue` (`emailQueue`, `this.queue`, `Queue(...)`), or it is a member of a
  `queues` registry (`queues.email`, `queues[name]`).

Not jobs: a receiver the file binds to anything else (`const queue = new PQueue()`, `[]`,
`new Set()`, a value typed otherwise), `.add(() => ...)` with a function (p-queue's in-process tasks), and receivers
named otherwise (`set.add`, `formData.append`, `queueService.add`: the queue component's
own service is what callers should use).

Files that belong to the queue component are fine even when another component claims them
too (`app/services/tasks.py`, `server/queue/**`). The files are those of the `layers`
option, tests excluded. Code facts know no imports, so an aliased import (`from app.tasks
import send_welcome as welcome`) is not followed for `.send`, and a JS queue exported by
another module is recognised by its name only.

## Why is this bad?
A job's payload is a contract between two programs deployed at different times: the web
process that enqueues it and the worker that runs it. When routes and services call
`.delay(...)` themselves, every caller decides what goes into the payload (an ORM object,
a whole request body, positional arguments in some order) and the retry, queue and
priority options; changing a task's signature means finding every caller, and a worker
still running the old code meets payloads it cannot read. A queue service keeps the task
names, a stable payload (ids, versioned fields) and the delivery options in one place, and
is the one thing a test replaces.

## Example
```python
# app/routes/users.py
from app.tasks import send_welcome_email

@router.post("/users")
def register(body: UserCreate):
    user = users.register(body)
    send_welcome_email.delay(user)  # the ORM object, pickled into the broker
    return user
```
```ts
// server/routes/users.ts
const emailQueue = new Queue("email", { connection });

router.post("/users", async (req, res) => {
  const user = await users.register(req.body);
  await emailQueue.add("welcome", { user }); // the whole record, serialised into Redis
  res.status(201).json(user);
});
```

## Use instead
```python
# app/queue/jobs.py
def welcome_email(user_id: int) -> None:
    send_welcome_email.apply_async(kwargs={"user_id": user_id, "v": 1}, queue="mail")

# app/routes/users.py
@router.post("/users")
def register(body: UserCreate):
    user = users.register(body)
    jobs.welcome_email(user.id)
    return user
```
```ts
// server/queue/mail.ts
const mail = new Queue("mail", { connection });
export const welcomeEmail = (userId: string) =>
  mail.add("welcome", { userId, v: 1 }, { attempts: 5, removeOnComplete: true });

// server/routes/users.ts
router.post("/users", async (req, res) => {
  const user = await users.register(req.body);
  await welcomeEmail(user.id);
  res.status(201).json(user);
});
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from archlint.codefacts import KIND_CLASS, Call, CodeFacts, Value
from archlint.findings import Finding
from archlint.rules.auth_scope import is_javascript, words
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matcher, matches_any
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES, application_code

CODE = "AL503"
NAME = "raw-job-payload"
SEVERITY = "warning"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # the files whose code facts it reads
OPTIONS: dict[str, object] = {
    "layers": APPLICATION_LAYERS,
    "exclude": TEST_FILES,
    "allowed_layers": ["queue"],
    "calls": [
        "*.delay", "*.apply_async", "*.send_task", "*.enqueue_call", "*.enqueue_at",
        "*.enqueue_in", "*.enqueue_job", "*.send_with_options", "*.kiq",
    ],
    "function_calls": ["*.enqueue"],
    "actor_calls": ["*.send"],
    "actor_decorators": ["dramatiq.actor", "actor", "*.actor"],
    "not_receivers": ["*pool*", "*Pool*", "*executor*", "*Executor*"],
    "javascript_calls": ["add", "addBulk", "createJob"],
    "queue_classes": ["Queue", "Bull", "BeeQueue", "*.Queue"],
}  # fmt: skip

_MESSAGE = (
    "enqueues a job outside the queue component: the caller builds the raw payload and "
    "delivery options itself; call a function of the queue component that owns the job's "
    "name, payload and retries"
)
_QUEUE_WORD = "queue"
_REGISTRY_WORD = "queues"
_TYPE_ARGUMENTS = "<"


def _matches(text: str, patterns: list[str]) -> bool:
    return matches_any(text, patterns)


def _queue_bindings(context: RuleContext, module: str, allowed: frozenset[str]
                    ) -> tuple[set[str], set[str]]:
    """What a module imports from the queue component: (names bound to things defined
    there, names bound to its modules), as they appear in callee text."""
    graph = context.graph
    names: set[str] = set()
    modules: set[str] = set()
    for imported in graph.successors(module):
        if imported not in allowed:
            continue
        for site in graph.sites(module, imported):
            if site.imported == imported:  # `from app import tasks` or `import app.tasks`
                modules.add(site.imported.rpartition(".")[2])
                modules.add(site.imported)
            elif site.imported.startswith(imported + "."):  # `from app.tasks import send`
                names.add(site.imported.rpartition(".")[2])
    return names, modules


def _actors(facts: CodeFacts, decorators: list[str]) -> set[str]:
    """Module-level functions of the file decorated as actors."""
    found = set()
    for function in facts.functions:
        if function.parent == -1 and function.kind == "function" and any(
            decorator.kind in ("name", "call") and _matches(decorator.text, decorators)
            for decorator in function.decorators
        ):
            found.add(function.name)
    return found


def _hands_over_a_function(call: Call) -> bool:
    """RQ's shape: ``q.enqueue(func, *args)`` / ``q.enqueue("module.func", ...)``."""
    first = call.arg(0, "f")
    return first is not None and first.kind in ("name", "str")


class _JavaScriptQueues:
    """Which receivers of one JS file are job queues."""

    def __init__(self, facts: CodeFacts, classes: list[str]) -> None:
        self.classes = classes
        # module-level name / class field -> whether it holds a queue (None: not known)
        self.module: dict[str, bool | None] = {}
        self.fields: dict[str, bool | None] = {}
        self.typed: dict[str, bool] = {}  # parameter -> whether typed as a queue
        for assign in facts.assigns:
            function = facts.function(assign.scope)
            if assign.scope == -1:
                self.module.setdefault(assign.target, self.holds(assign.value, assign.annotation))
            elif function is not None and function.kind == KIND_CLASS:
                self.fields.setdefault(assign.target, self.holds(assign.value, assign.annotation))
        for function in facts.functions:
            for param in function.params:
                if param.annotation:
                    queue = self.is_class(param.annotation)
                    self.typed[param.name] = self.typed.get(param.name, False) or queue

    def is_class(self, text: str) -> bool:
        """`Queue`, `Queue<Job>`, `Bull.Queue` (a type or a constructor)."""
        return _matches(text.partition(_TYPE_ARGUMENTS)[0].strip(), self.classes)

    def holds(self, value: Value | None, annotation: str) -> bool | None:
        """True: a queue class's instance; False: something else; None: not known."""
        if annotation:
            return self.is_class(annotation)
        if value is not None and value.kind == "await" and value.args:
            value = value.args[0]
        if value is None or value.kind in ("name", "other", "null", "op", "env"):
            return None  # an alias, an import, set later: not known
        if value.kind != "call":
            return False  # [], {}, a literal, a function
        if self.is_class(value.text):
            return True
        last = value.text.rpartition(".")[2]
        if last[:1].isupper():
            return False  # new PQueue(), new Set(), new Map()
        named = words(last)
        return True if named and named[-1] == _QUEUE_WORD else None  # createQueue('mail')

    def is_queue(self, receiver: str) -> bool:
        root, _, rest = receiver.partition(".")
        known: bool | None = None
        if root == "this" and rest and "." not in rest:  # this.queue: a field or parameter
            known = self.fields.get(rest)
            if known is None and rest in self.typed:
                known = self.typed[rest]
        elif not rest and receiver in self.module:
            known = self.module[receiver]
        elif not rest and receiver in self.typed:
            known = self.typed[receiver]
        return _named_like_a_queue(receiver) if known is None else known


def _named_like_a_queue(receiver: str) -> bool:
    """`emailQueue`, `this.queue`, `Queue()`, `queues.email`, `queues[name]`."""
    parts = [part.replace("[]", "").replace("()", "") for part in receiver.split(".")]
    last = words(parts[-1])
    if last and last[-1] == _QUEUE_WORD:
        return True
    if last and last[-1] == _REGISTRY_WORD and receiver.endswith("[]"):
        return True
    if len(parts) > 1:
        before = words(parts[-2])
        return bool(before) and before[-1] == _REGISTRY_WORD
    return False


def _javascript_jobs(facts: CodeFacts, methods: set[str], classes: list[str]) -> Iterator[Call]:
    queues: _JavaScriptQueues | None = None
    for call in facts.calls:
        receiver, _, method = call.callee.rpartition(".")
        if not receiver or method not in methods:
            continue
        if method == "add" and (not call.args or call.args[0].kind == "function"):
            continue  # p-queue: queue.add(() => task())
        if queues is None:
            queues = _JavaScriptQueues(facts, classes)
        if queues.is_queue(receiver):
            yield call


# What a Python callee is, by its text alone.
_NONE, _CALL, _FUNCTION, _ACTOR = range(4)


class _Classifier:
    """The kind of a Python call by its callee text: the option lists, matched once each."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.not_receivers = matcher([str(p) for p in options["not_receivers"]])
        self.calls = matcher([str(p) for p in options["calls"]])
        self.function_calls = matcher([str(p) for p in options["function_calls"]])
        self.actor_calls = matcher([str(p) for p in options["actor_calls"]])

    def __call__(self, callee: str) -> int:
        receiver = callee.rpartition(".")[0]
        if not receiver or self.not_receivers(receiver):
            return _NONE
        if self.calls(callee):
            return _CALL
        if self.function_calls(callee):
            return _FUNCTION  # RQ's q.enqueue(func, ...), when it hands over a function
        return _ACTOR if self.actor_calls(callee) else _NONE  # when it names an actor


def check(context: RuleContext) -> Iterator[Finding]:
    options = context.options
    decorators = [str(p) for p in options["actor_decorators"]]
    js_methods = {str(m) for m in options["javascript_calls"]}
    queue_classes = [str(p) for p in options["queue_classes"]]
    graph = context.graph
    allowed = context.component(*[str(n) for n in options["allowed_layers"]]).internal(graph)
    module_of = {node.path: node.id for node in graph.nodes.values() if node.path and not node.external}
    classify = _Classifier(options)
    kinds: dict[str, int] = {}  # callee -> its kind: callee texts repeat across files
    for path, facts in application_code(context):
        module = module_of.get(path, "")
        if module in allowed:
            continue
        if is_javascript(path):
            for call in _javascript_jobs(facts, js_methods, queue_classes):
                yield context.at(path, call.line, call.column, f"{call.callee}() {_MESSAGE}")
            continue
        bindings: tuple[set[str], set[str]] | None = None
        actors: set[str] | None = None
        for call in facts.calls:
            kind = kinds.get(call.callee)
            if kind is None:
                kind = kinds[call.callee] = classify(call.callee)
            if kind == _NONE:
                continue
            if kind == _FUNCTION:
                if not _hands_over_a_function(call):
                    continue
            elif kind == _ACTOR:
                receiver = call.callee.rpartition(".")[0]
                if bindings is None:
                    bindings = _queue_bindings(context, module, allowed)
                    actors = _actors(facts, decorators)
                names, modules = bindings
                if not (receiver in names or receiver in (actors or ())
                        or any(receiver.startswith(m + ".") for m in modules)):
                    continue
            yield context.at(path, call.line, call.column, f"{call.callee}() {_MESSAGE}")
