"""## What it does
Reports a database call inside a loop: a `for`/`while`/`async for` loop or a comprehension
whose body runs a query per item (`session.query(...)`, `session.execute(...)`,
`cursor.execute(...)`, `Model.objects.filter(...)` …). The message names the loop and the
call. Loops over a literal list of constants (`for table in ("a", "b")`) are fine. The call
patterns are the `calls` option (`*` matches any text); the files are those of the `layers`
option, tests excluded.

## Why is this bad?
One query per item is the N+1 problem: a page of 50 orders makes 51 round trips to the
database. It is invisible with ten rows in development and takes the site down with ten
thousand in production. Fetching everything in one query (IN, a JOIN, `selectinload`,
`prefetch_related`) keeps the number of queries constant.

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

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.patterns import matches_any
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES, application_code

CODE = "AL501"
NAME = "n-plus-one-query"
SEVERITY = "error"
CODE_LAYERS = "layers"  # reads the code facts of the files in these components
OPTIONS: dict[str, object] = {
    "layers": APPLICATION_LAYERS,
    "exclude": TEST_FILES,
    "calls": [
        "*.query", "*.execute", "*.executemany", "*.scalars", "*.scalar",
        "*.objects.*", "*.find", "*.find_one", "*.aggregate", "*.raw",
    ],
}  # fmt: skip


def check(context: RuleContext) -> Iterator[Finding]:
    patterns = [str(p) for p in context.options["calls"]]
    for path, facts in application_code(context):
        reported: set[tuple[int, int]] = set()
        for call in facts.calls:
            loops = [loop for loop in call.loops if loop.over != "constants"]
            if not loops or not matches_any(call.callee, patterns):
                continue
            loop = loops[-1]
            if (call.line, loop.line) in reported:
                continue  # one finding per statement: a().b().c() matches several times
            reported.add((call.line, loop.line))
            over = f" over {loop.over}" if loop.over else ""
            yield context.at(
                path, call.line, call.column,
                f"database call {call.callee}() inside the {loop.kind} at line {loop.line}"
                f"{over}: one query per item; fetch them in one query (IN, JOIN, prefetch)",
            )  # fmt: skip
