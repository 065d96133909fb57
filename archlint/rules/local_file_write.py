"""## What it does
Reports code in the application layers writing to the local file system: `open(...)` with a
write, append or create mode, `Path.write_text` / `Path.write_bytes`, `shutil.copy*` and
`shutil.move`. Tests are excluded; the files are those of the `layers` option.

## Why is this bad?
A service that keeps files on its own disk is no longer stateless: the next request may land
on another instance that does not have the file, a redeploy wipes it, and two instances
writing the same path corrupt it. Scaling out needs every instance to be interchangeable.

## Example
```python
def save_avatar(user_id: str, data: bytes) -> str:
    path = f"/var/app/avatars/{user_id}.png"
    with open(path, "wb") as handle:
        handle.write(data)
    return path
```

## Use instead
```python
def save_avatar(user_id: str, data: bytes) -> str:
    key = f"avatars/{user_id}.png"
    storage.put_object(Bucket=AVATARS, Key=key, Body=data)  # S3 or another object store
    return key
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.codefacts import Call
from archlint.findings import Finding
from archlint.rules.context import RuleContext
from archlint.rules.scope import APPLICATION_LAYERS, TEST_FILES, application_code

CODE = "AL505"
NAME = "local-file-write"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
CODE_LAYERS = "layers"  # reads the code facts of the files in these components
OPTIONS: dict[str, object] = {"layers": APPLICATION_LAYERS, "exclude": TEST_FILES}

_OPEN_CALLS = frozenset({"open", "io.open", "builtins.open"})
_WRITING_CALLS = frozenset({"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree",
                            "shutil.move"})  # fmt: skip
_WRITING_METHODS = (".write_text", ".write_bytes")


def _may_write(callee: str) -> bool:
    """Whether _writes can say anything of a call to ``callee``."""
    return callee in _OPEN_CALLS or callee in _WRITING_CALLS or callee.endswith(_WRITING_METHODS)


def _writes(call: Call) -> str | None:
    """What the call writes with, or None when it does not write a local file."""
    if call.callee in _OPEN_CALLS:
        mode = call.arg(1, "mode")
        if mode is not None and mode.kind == "str" and any(c in mode.text for c in "wax+"):
            return f"open(..., {mode.text!r})"
        return None
    if call.callee in _WRITING_CALLS:
        return f"{call.callee}()"
    if call.callee.endswith(_WRITING_METHODS):
        return f"{call.callee.rpartition('.')[2]}()"
    return None


def check(context: RuleContext) -> Iterator[Finding]:
    may_write: dict[str, bool] = {}  # callee -> _may_write: callee texts repeat across files
    for path, facts in application_code(context):
        for call in facts.calls:
            may = may_write.get(call.callee)
            if may is None:
                may = may_write[call.callee] = _may_write(call.callee)
            if not may:
                continue
            how = _writes(call)
            if how is not None:
                yield context.at(
                    path, call.line, call.column,
                    f"writes a local file ({how}): keep files in object storage or the "
                    "database so that any instance can serve any request",
                )  # fmt: skip
