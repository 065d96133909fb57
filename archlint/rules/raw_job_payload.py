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

Files that belong to the queue component are fine even when another component claims them
too (`app/services/tasks.py`). The files are those of the `layers` option, tests excluded.
Code facts know no imports, so an aliased import (`from app.tasks import send_welcome as
welcome`) is not followed for `.send`.

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
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.codefacts import Call, CodeFacts
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matches_any
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES, application_code

CODE = "AL503"
NAME = "raw-job-payload"
SEVERITY = "warning"
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
}  # fmt: skip


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


def check(context: RuleContext) -> Iterator[Finding]:
    options = context.options
    calls = [str(p) for p in options["calls"]]
    function_calls = [str(p) for p in options["function_calls"]]
    actor_calls = [str(p) for p in options["actor_calls"]]
    decorators = [str(p) for p in options["actor_decorators"]]
    not_receivers = [str(p) for p in options["not_receivers"]]
    graph = context.graph
    allowed = context.component(*[str(n) for n in options["allowed_layers"]]).internal(graph)
    module_of = {node.path: node.id for node in graph.nodes.values() if node.path and not node.external}
    for path, facts in application_code(context):
        module = module_of.get(path, "")
        if module in allowed:
            continue
        bindings: tuple[set[str], set[str]] | None = None
        actors: set[str] | None = None
        for call in facts.calls:
            receiver = call.callee.rpartition(".")[0]
            if not receiver or _matches(receiver, not_receivers):
                continue
            if _matches(call.callee, calls):
                pass
            elif _matches(call.callee, function_calls):
                if not _hands_over_a_function(call):
                    continue
            elif _matches(call.callee, actor_calls):
                if bindings is None:
                    bindings = _queue_bindings(context, module, allowed)
                    actors = _actors(facts, decorators)
                names, modules = bindings
                if not (receiver in names or receiver in (actors or ())
                        or any(receiver.startswith(m + ".") for m in modules)):
                    continue
            else:
                continue
            yield context.at(
                path, call.line, call.column,
                f"{call.callee}() enqueues a job outside the queue component: the caller "
                "builds the raw payload and delivery options itself; call a function of the "
                "queue component that owns the job's name, payload and retries",
            )  # fmt: skip
