"""## What it does
Reports `print()` (Python) and `console.log` / `console.debug` / `console.info` /
`console.trace` (JS/TS; the `calls` option) in application code: the modules of the `layers`
option (by default the routes, controllers, services, repositories, middleware and
validators components), except test files and command-line scripts (a module with an
`if __name__ == "__main__":` block, or `if (require.main === module)` in Node).

## Why is this bad?
`print` writes unstructured text to stdout, with no level, no timestamp, no request id and
no way to route or silence it. In production those lines are lost or unsearchable; with a
logger they become structured records (JSON) that a log pipeline can filter, correlate and
alert on.

## Example
```python
def create_order(data):
    order = repository.add(data)
    print("created order", order.id)
    return order
```

## Use instead
```python
import logging

logger = logging.getLogger(__name__)

def create_order(data):
    order = repository.add(data)
    logger.info("order created", extra={"order_id": order.id})
    return order
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES, application_code

CODE = "AL601"
NAME = "print-logging"
SEVERITY = "warning"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # reads the code facts of the files in these components
OPTIONS: dict[str, object] = {
    "layers": APPLICATION_LAYERS,
    "exclude": TEST_FILES,
    "calls": ["print", "console.log", "console.debug", "console.info", "console.trace"],
}


def check(context: RuleContext) -> Iterator[Finding]:
    calls = {str(name) for name in context.options["calls"]}
    for path, facts in application_code(context):
        if facts.main_guard is not None:
            continue  # a script: printing is its interface
        for call in facts.calls:
            if call.callee in calls:
                yield context.at(
                    path, call.line, call.column,
                    f"{call.callee}() in application code: log through a logger "
                    "(structured, levelled)",
                )  # fmt: skip
