"""## What it does
Reports a file that archlint could not parse: a syntax error, bytes that are not valid in the
file's encoding, or a binary file with a source file's name. The location is where the parser
gave up.

## Why is this bad?
archlint reads code without running it. A file it cannot parse has no imports in the graph, so
every contract that should cover it is silently blind to it. The run goes on with every other
file, and this finding makes sure the gap is seen.

## Example
```python
def handler(request:
    return request
```

## Use instead
```python
def handler(request):
    return request
```
Fix the syntax (run the file through `python -m py_compile`), or save it as UTF-8 or with a
PEP 263 coding cookie (`# -*- coding: latin-1 -*-`).
"""

from __future__ import annotations

from archlint.facts import ParseProblem
from archlint.findings import Finding

CODE = "AL001"
NAME = "parse-error"
SEVERITY = "error"


def finding(path: str, problem: ParseProblem) -> Finding:
    return Finding(CODE, NAME, SEVERITY, problem.message, path, problem.line, problem.column)
