"""One graph and one config across a Python backend and a TypeScript frontend, end to end,
and every kind of bad JS/TS input the CLI must turn into a finding or a clear exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run, write_tree

CONFIG = """\
python.roots = ["backend"]

[components]
routes       = ["app.routes"]
services     = ["app.services"]
repositories = ["app.repositories"]
ui           = ["web/src/components/ui/**"]
features     = ["web/src/components/features/**"]
frontend     = ["web/src/**"]
database     = ["sqlalchemy", "npm:pg", "redis"]

[[contracts]]
name = "Backend layers"
type = "layers"
layers = ["routes", "services", "repositories"]

[[contracts]]
name = "Frontend layers"
type = "layers"
layers = ["web/src/app/**", "features", "ui"]

[[contracts]]
name = "Presentation never touches the data layer"
type = "forbidden"
source = ["frontend"]
forbidden = ["database", "repositories"]
"""

TSCONFIG = '{\n  // comments and trailing commas: JSONC\n  "compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["src/*"],},},\n}\n'

FILES: dict[str, str | bytes] = {
    "archlint.toml": CONFIG,
    "backend/app/__init__.py": "",
    "backend/app/routes/__init__.py": "",
    "backend/app/routes/users.py": "from fastapi import APIRouter\nfrom app.services import users\n",
    "backend/app/services/__init__.py": "",
    "backend/app/services/users.py": "from app.repositories import users\n",
    "backend/app/repositories/__init__.py": "",
    "backend/app/repositories/users.py": "from sqlalchemy.orm import Session\n",
    "web/package.json": '{"name": "web", "private": true}\n',
    "web/tsconfig.json": TSCONFIG,
    "web/src/app/page.tsx": (
        'import { UserList } from "@/components/features/UserList";\n'
        "export default function Page() { return <UserList />; }\n"
    ),
    "web/src/components/ui/Button.tsx": (
        'import type { ReactNode } from "react";\n'
        'import { UserList } from "../features/UserList";\n'
        "export const Button = (p: { children: ReactNode }) => <button>{p.children}</button>;\n"
    ),
    "web/src/components/features/UserList.tsx": (
        'import { Button } from "@/components/ui/Button";\n'
        'import { listUsers } from "@/lib/api";\n'
        "export function UserList() { return <Button>{listUsers()}</Button>; }\n"
    ),
    "web/src/lib/api.ts": 'import { Pool } from "pg";\nexport const listUsers = () => new Pool();\n',
}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path, dict(FILES))


def _findings(root: Path, capsys, *options: str) -> tuple[int, list[tuple], str]:
    code, out, err = run(["check", str(root), "--no-cache", "--format", "json", *options], capsys)
    if code == 2:
        return code, [], err
    found = [
        (f["code"], f["path"], f["line"], f["column"], f.get("contract"))
        for f in json.loads(out)["findings"]
    ]
    return code, found, err


def test_contracts_across_python_and_typescript(project: Path, capsys) -> None:
    code, found, _ = _findings(project, capsys)
    assert code == 1
    assert found == [
        ("AL101", "web/src/components/ui/Button.tsx", 2, 26, "Frontend layers"),
        ("AL205", "web/src/components/ui/Button.tsx", 2, 26, None),  # ui-imports-feature
        ("AL102", "web/src/lib/api.ts", 1, 22, "Presentation never touches the data layer"),
    ]


def test_graph_has_both_languages(project: Path, capsys) -> None:
    code, out, _ = run(["graph", str(project), "--no-cache"], capsys)
    assert code == 0
    nodes = {n["id"]: n for n in json.loads(out)["nodes"]}
    assert nodes["app.services.users"]["language"] == "python"
    assert nodes["web/src/lib/api.ts"] == {
        "id": "web/src/lib/api.ts", "path": "web/src/lib/api.ts", "language": "typescript",
        "external": False,
    }  # fmt: skip
    assert nodes["npm:pg"] == {"id": "npm:pg", "path": None, "language": "javascript", "external": True}
    assert nodes["sqlalchemy"]["external"] and nodes["sqlalchemy"]["language"] == "python"
    edges = {(e["source"], e["target"]): e["sites"] for e in json.loads(out)["edges"]}
    assert edges[("web/src/components/ui/Button.tsx", "npm:react")] == [
        {"path": "web/src/components/ui/Button.tsx", "line": 1, "column": 32, "kind": "type_only"}
    ]


def test_syntax_error_mid_file_keeps_what_parsed(project: Path, capsys) -> None:
    write_tree(project, {"web/src/lib/broken.ts": (
        'import { listUsers } from "./api";\nconst = ;\nimport { Button } from "@/components/ui/Button";\n'
    )})  # fmt: skip
    code, found, _ = _findings(project, capsys, "--select", "AL001")
    assert (code, found) == (1, [("AL001", "web/src/lib/broken.ts", 2, 1, None)])
    _, out, _ = run(["graph", str(project), "--no-cache"], capsys)
    targets = {e["target"] for e in json.loads(out)["edges"] if e["source"] == "web/src/lib/broken.ts"}
    assert targets == {"web/src/lib/api.ts", "web/src/components/ui/Button.tsx"}


def test_missing_file_and_alias_outside_the_root(project: Path, capsys) -> None:
    tsconfig = TSCONFIG.replace('"@/*": ["src/*"],', '"@/*": ["src/*"], "@shared/*": ["../../shared/*"],')
    write_tree(project, {
        "web/tsconfig.json": tsconfig,
        "web/src/lib/more.ts": 'import a from "./nope";\nimport b from "@shared/thing";\n',
    })  # fmt: skip
    code, out, _ = run(["check", str(project), "--no-cache", "--select", "AL003"], capsys)
    assert code == 1
    lines = [line for line in out.splitlines() if "AL003" in line]
    assert lines[0].startswith("web/src/lib/more.ts:1:15: AL003 cannot resolve './nope': no file")
    assert lines[1].startswith("web/src/lib/more.ts:2:15: AL003 cannot resolve '@shared/thing'")
    assert "outside the project root" in lines[1]


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({"web/tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["src/*"]}\n'}, "web/tsconfig.json"),
        (
            {
                "web/tsconfig.json": '{"extends": "./tsconfig.base.json"}',
                "web/tsconfig.base.json": '{"extends": "./tsconfig.json"}',
            },
            "web/tsconfig",
        ),
        ({"web/tsconfig.json": '{"extends": "./missing.json"}'}, "web/tsconfig.json"),
    ],
    ids=["broken-jsonc", "cyclic-extends", "missing-extends"],
)
def test_bad_tsconfig_is_exit_2_naming_the_file(project: Path, capsys, files, named) -> None:
    write_tree(project, files)
    code, out, err = run(["check", str(project), "--no-cache"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("archlint: error: ") and named in err
    assert "Traceback" not in err


def test_big_minified_bundle_is_skipped_with_a_note(project: Path, capsys) -> None:
    bundle = b"var a=1;" + b"function f(n){return n+1};" * 200_000  # ~5 MB on one line
    write_tree(project, {"web/public/app.js": bundle, "web/public/vendor.min.js": bundle})
    code, found, err = _findings(project, capsys)
    assert code == 1 and len(found) == 3
    assert "note: web/public/app.js: skipped, 5078 KiB is over the 1024 KiB limit" in err
    assert "vendor.min.js" not in err  # minified by name: skipped without a word


def test_file_that_is_not_utf8(project: Path, capsys) -> None:
    write_tree(project, {"web/src/lib/latin.ts": 'export const s = "caf\xe9";\n'.encode("latin-1")})
    code, out, _ = run(["check", str(project), "--no-cache", "--select", "AL001"], capsys)
    assert code == 1
    assert out.startswith("web/src/lib/latin.ts:1:")
    assert "not valid UTF-8" in out


@pytest.mark.parametrize("where", ["tsconfig", "base-in-node_modules"])
def test_cached_runs_notice_a_changed_tsconfig(project: Path, capsys, monkeypatch, where) -> None:
    """Resolution depends on files that are not sources: the run memo and the replay must
    both see them change, including a base config read from node_modules (not walked)."""
    monkeypatch.setattr("archlint.cache._RACY_WINDOW_NS", -(10**18))
    monkeypatch.setattr("archlint.fastpath._RACY_WINDOW_NS", -(10**18))
    base = "web/node_modules/@acme/tsconfig/tsconfig.json"
    shared = '{"compilerOptions": {"paths": {"@/*": ["../../../src/*"]}}}'  # web/src/*
    write_tree(project, {"web/tsconfig.json": '{"extends": "@acme/tsconfig/tsconfig.json"}', base: shared})

    def cached() -> str:
        code, out, _ = run(["check", str(project), "--format", "json"], capsys)
        assert code in (0, 1)
        return out

    before = cached()
    assert cached() == before  # replayed
    if where == "tsconfig":
        (project / "web" / "tsconfig.json").write_text(TSCONFIG.replace('"src/*"', '"lib/*"'))
    else:
        (project / base).write_text(shared.replace("/src/", "/lib/"))
    after = cached()
    _, uncached, _ = run(["check", str(project), "--format", "json", "--no-cache"], capsys)
    assert after == uncached != before
    assert "AL003" in after  # "@/..." imports no longer resolve


def test_same_package_name_in_both_ecosystems(tmp_path: Path, capsys) -> None:
    """`redis` is a PyPI and an npm package: a prefix picks one, a bare name means both."""
    write_tree(tmp_path, {
        "svc/__init__.py": "",
        "svc/cache.py": "import redis\n",
        "web/cache.ts": 'import { createClient } from "redis";\n',
        "archlint.toml": (
            '[[contracts]]\nname = "py"\ntype = "forbidden"\nsource = ["svc/**", "web/**"]\n'
            'forbidden = ["pypi:redis"]\n\n'
            '[[contracts]]\nname = "npm"\ntype = "forbidden"\nsource = ["svc/**", "web/**"]\n'
            'forbidden = ["npm:redis"]\n\n'
            '[[contracts]]\nname = "both"\ntype = "forbidden"\nsource = ["svc/**", "web/**"]\n'
            'forbidden = ["redis"]\n'
        ),
    })  # fmt: skip
    code, found, _ = _findings(tmp_path, capsys)
    assert code == 1
    assert sorted((path, contract) for _, path, _, _, contract in found) == [
        ("svc/cache.py", "both"), ("svc/cache.py", "py"),
        ("web/cache.ts", "both"), ("web/cache.ts", "npm"),
    ]  # fmt: skip


def test_independence_and_cycles_among_typescript_modules(tmp_path: Path, capsys) -> None:
    write_tree(tmp_path, {
        "src/features/billing/index.ts": 'import { cart } from "../cart";\nexport const bill = 1;\n',
        "src/features/cart/index.ts": 'import { total } from "./total";\nexport const cart = 1;\n',
        "src/features/cart/total.ts": 'import "./index";\nexport const total = 2;\n',
        "archlint.toml": (
            '[components]\nbilling = ["src/features/billing/**"]\ncart = ["src/features/cart/**"]\n\n'
            '[[contracts]]\nname = "features"\ntype = "independence"\n'
            'components = ["billing", "cart"]\n\n'
            '[[contracts]]\nname = "no cycles"\ntype = "acyclic"\nmodules = ["src/**"]\n'
        ),
    })  # fmt: skip
    code, out, _ = run(["check", str(tmp_path), "--no-cache"], capsys)
    assert code == 1
    lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert lines[0] == (
        "src/features/billing/index.ts:1:22: AL103 src/features/billing/index.ts imports "
        "src/features/cart/index.ts (component 'billing' must not import component 'cart') "
        "[features]"
    )
    assert lines[1].startswith("src/features/cart/index.ts:1:23: AL104 import cycle: "
                               "src/features/cart/index.ts -> src/features/cart/total.ts -> "
                               "src/features/cart/index.ts")  # fmt: skip
    assert lines[2] == "Found 2 findings in 3 files checked."


def test_collapse_folds_paths_into_folders(project: Path, capsys) -> None:
    code, out, _ = run(["graph", str(project), "--no-cache", "--format", "mermaid", "--collapse", "3"], capsys)
    assert code == 0
    assert '["web/src/components/"]' in out and '["web/src/lib/"]' in out
    assert "api.ts" not in out
    assert '["app.routes.users"]' in out  # Python modules fold by dotted segments
