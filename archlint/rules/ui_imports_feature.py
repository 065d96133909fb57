"""## What it does
Reports a UI primitive (the `ui` component: `components/ui/**`) importing a feature
component (`features`), a store (`stores`) or an API client (the `api_clients` component
when the config defines one, and the `http_clients` library list: `axios`, `ky`, `got` …).

## Why is this bad?
Primitives (buttons, inputs, dialogs) are the bottom layer of a frontend: reused
everywhere, tested in isolation, shown in a style guide. A primitive that imports a feature
or a store knows about the application around it, can no longer be reused, and drags that
feature (and its data fetching) into every screen that shows a button.

## Example
```tsx
// src/components/ui/Avatar.tsx
import { useSession } from "@/stores/session";
export const Avatar = () => <img src={useSession().user.avatarUrl} />;
```

## Use instead
```tsx
// src/components/ui/Avatar.tsx
export const Avatar = ({ src }: { src: string }) => <img src={src} />;
// src/components/features/UserMenu.tsx passes the session's avatar in
```
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.findings import Finding
from archlint.rules.context import RuleContext

CODE = "AL205"
NAME = "ui-imports-feature"
SEVERITY = "error"
SHARDABLE = True  # each finding follows from one file (see rules/parallel.py)
OPTIONS: dict[str, object] = {}


def check(context: RuleContext) -> Iterator[Finding]:
    graph = context.graph
    primitives = context.component("ui").internal(graph)
    features = context.component("features")
    stores = context.component("stores")
    api = context.component("api_clients") | context.library("http_clients")
    for _importer, imported, site, names in context.import_lines(primitives, features | stores | api):
        if imported in features.nodes:
            what = "the feature component"
        elif imported in stores.nodes:
            what = "the store"
        else:
            what = "the API client"
        yield context.finding(
            site,
            f"UI primitive imports {what} {names}: primitives take data as props "
            "and never know the features around them",
        )
