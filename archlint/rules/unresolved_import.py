"""## What it does
Reports a relative or aliased import (`./api`, `../lib/format`, `@/components/Button`) that
resolves to no file of the project, the way Node.js and TypeScript resolve them: extension
probing, `index` files, `tsconfig.json` `paths` and `baseUrl`, package `imports` and
workspace packages. Imports of npm packages and Node built-ins are never reported: they are
external by definition; nor is an import of a file that exists but that archlint does not
read (a build in `dist/`, a bundle over the size limit, an excluded file).

## Why is this bad?
An import that points nowhere is either a bug (a renamed or deleted file, a typo) or a
resolution rule archlint cannot see (a bundler alias missing from `tsconfig.json`). Either
way the edge is missing from the graph, and every contract is blind to what that file
really depends on.

## Example
```ts
// src/components/ui/Button.tsx
import { cn } from "../../lib/utlis";  // the file is lib/utils.ts
```

## Use instead
```ts
import { cn } from "../../lib/utils";
```
For a bundler alias (Vite, webpack), declare it in `tsconfig.json` `compilerOptions.paths`
too, so the editor, the type checker and archlint all agree.
"""

from __future__ import annotations

from archlint.facts import ImportSite
from archlint.findings import Finding

CODE = "AL003"
NAME = "unresolved-import"
SEVERITY = "error"


def finding(path: str, site: ImportSite, reason: str) -> Finding:
    message = f"cannot resolve '{site.module}': {reason}"
    return Finding(CODE, NAME, SEVERITY, message, path, site.line, site.column)
