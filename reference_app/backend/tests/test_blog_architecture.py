"""The architecture itself, checked with archlint: the reference app has no findings, its
layers are really seen (each component matches the files it should), and the rules do fire
on this layout when the code breaks them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("archlint")

REFERENCE_APP = Path(__file__).resolve().parents[2]
BACKEND_LAYERS = ("routes", "controllers", "services", "repositories")


def archlint_check(root: Path) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "archlint", "check", str(root), "--no-cache", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_the_reference_app_has_no_findings() -> None:
    returncode, report = archlint_check(REFERENCE_APP)

    assert report["findings"] == []
    assert returncode == 0


def test_every_component_matches_the_modules_it_should() -> None:
    from archlint.config.load import load_config
    from archlint.config.model import Group
    from archlint.engine import load_project
    from archlint.graph.selectors import module_set

    config = load_config(REFERENCE_APP / "archlint.toml")
    graph = load_project(config, use_cache=False).graph

    def members(component: str) -> set[str]:
        group = Group(component, config.components[component].selectors)
        return set(module_set(graph, group).internal(graph))

    for layer in BACKEND_LAYERS:
        package = f"blog.{layer}"
        expected = {m for m in graph.nodes if m == package or m.startswith(package + ".")}
        assert len(expected) > 1 and members(layer) == expected, layer
    for component in ("middleware", "validators", "queue"):
        assert f"blog.{component}" in members(component)
    assert {"blog.types.domain", "blog.types.protocols"} <= members("types")
    assert {m for m in members("migrations")} == {
        "migrations.env",
        "migrations.versions.0001_create_blog_schema",
    }
    assert "frontend/src/components/ui/Button.tsx" in members("ui")
    assert "frontend/src/components/features/posts/PostList.tsx" in members("features")
    assert "frontend/src/hooks/usePosts.ts" in members("hooks")
    assert "frontend/src/stores/session.ts" in members("stores")
    assert "frontend/src/lib/api/client.ts" in members("api_clients")
    # Outside every application layer, on purpose: start-up code and the composition root.
    application = set().union(*(members(c) for c in (*BACKEND_LAYERS, "middleware", "validators")))
    assert not {"blog.bootstrap.keys", "blog.app", "blog.dependencies"} & application


VIOLATIONS = {
    # A service that knows HTTP.
    "backend/blog/services/posts.py": ("from fastapi import HTTPException\n", {"AL202"}),
    # A controller that queries the database itself.
    "backend/blog/controllers/posts.py": ("from sqlalchemy import select\n", {"AL203"}),
    # A repository that imports a route: a lower layer reaching up.
    "backend/blog/repositories/posts.py": ("import blog.routes.posts\n", {"AL101"}),
    # A UI primitive that reads the session store.
    "frontend/src/components/ui/Button.tsx": (
        'import { sessionStore } from "../../stores/session";\n',
        {"AL205"},
    ),
}


def test_the_rules_fire_on_this_layout(tmp_path: Path) -> None:
    broken = tmp_path / "reference_app"
    shutil.copytree(
        REFERENCE_APP,
        broken,
        ignore=shutil.ignore_patterns("node_modules", "__pycache__", ".archlint_cache", "*.db"),
    )
    for path, (line, _) in VIOLATIONS.items():
        target = broken / path
        target.write_text(line + target.read_text())

    returncode, report = archlint_check(broken)

    assert returncode == 1
    found = {(f["path"], f["code"]) for f in report["findings"]}
    for path, (_, codes) in VIOLATIONS.items():
        assert {(path, code) for code in codes} <= found, (path, found)
