"""## What it does
Reports a source file that archlint found but could not read, for example because of its
permissions.

## Why is this bad?
A file that cannot be read contributes nothing to the import graph, so contracts cannot see
the imports it makes. Saying so is better than passing silently.

## Example
```console
$ chmod 000 app/services/users.py
```

## Use instead
```console
$ chmod 644 app/services/users.py
```
Or exclude the file in `[tool.archlint] exclude` if it is not part of the project.
"""

from __future__ import annotations

from archlint.findings import Finding

CODE = "AL002"
NAME = "unreadable-file"
SEVERITY = "error"


def finding(path: str, reason: str) -> Finding:
    return Finding(CODE, NAME, SEVERITY, f"cannot read file: {reason}", path, 1, 1)
