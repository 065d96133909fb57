"""What the rules remember between rules of one run (scope.per_run, handlers.calls_by_scope)
is never stale: another run, another shard, other options, other triggers or other code
facts for the same path give answers of their own."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from archlint.codefacts import CodeFacts
from archlint.config.load import find_config, load_config
from archlint.config.model import Config
from archlint.engine import load_project
from archlint.frontends.python_code import extract_python_code
from archlint.graph.model import ImportGraph
from archlint.rules import all_rules
from archlint.rules.context import RuleContext, run_rules
from archlint.rules.handlers import calls_by_scope, handler_files
from archlint.rules.scope import application_code
from tests.test_cli import write_tree

CONFIG = """\
[components]
routes = ["app.routes"]
services = ["app.services"]
"""
CodeOf = Callable[[str, tuple[bytes, ...]], "CodeFacts | None"]
THIN = """\
from fastapi import APIRouter
router = APIRouter()

@router.get("/users")
def list_users():
    return service.list_users()
"""
# The same handler, doing its own database access and outside I/O.
FAT = """\
from fastapi import APIRouter
router = APIRouter()

@router.get("/users")
def list_users():
    requests.get("https://example.com")
    return db.query(User).all()
"""


def _facts(source: str) -> CodeFacts:
    return extract_python_code(textwrap.dedent(source).encode())


def _project(root: Path) -> tuple[Config, ImportGraph]:
    write_tree(root, {
        "archlint.toml": CONFIG,
        "app/__init__.py": "",
        "app/routes/__init__.py": "",
        "app/routes/users.py": THIN,
        "app/routes/orders.py": THIN,
        "app/services/__init__.py": "",
        "app/services/users.py": "def list_users():\n    return []\n",
    })  # fmt: skip
    config = load_config(find_config(root), root)
    return config, load_project(config, use_cache=False).graph


def test_a_new_run_reads_the_new_facts_of_the_same_path(tmp_path: Path) -> None:
    config, graph = _project(tmp_path)
    sources = {"app/routes/users.py": THIN, "app/routes/orders.py": THIN}

    def code_of(path: str, triggers: tuple[bytes, ...]) -> CodeFacts | None:
        source = sources.get(path)
        return _facts(source) if source is not None else CodeFacts()

    select = ("fat-route-handler", "slow-call-in-request-path")
    assert run_rules(config, graph, select, code_of, lambda c, n: n in select) == []
    sources["app/routes/users.py"] = FAT  # same graph, config and code_of: another run
    found = run_rules(config, graph, select, code_of, lambda c, n: n in select)
    assert sorted({(f.code, f.path) for f in found}) == [
        ("AL204", "app/routes/users.py"), ("AL502", "app/routes/users.py"),
    ]  # fmt: skip


def _context(config: Config, graph: ImportGraph, code_of: CodeOf, memo: dict,
             options: dict | None = None, shard: Callable[[str], bool] | None = None,
             triggers: tuple[bytes, ...] = ()) -> RuleContext:
    rule = next(r for r in all_rules() if r.name == "fat-route-handler")
    return RuleContext(config, graph, rule, options or {}, code_of, {}, triggers, None, shard, memo)


def test_one_run_tells_shards_options_and_triggers_apart(tmp_path: Path) -> None:
    config, graph = _project(tmp_path)
    facts = {"app/routes/users.py": _facts(THIN), "app/routes/orders.py": _facts(FAT)}
    asked: list[tuple[str, tuple[bytes, ...]]] = []

    def code_of(path: str, triggers: tuple[bytes, ...]) -> CodeFacts | None:
        asked.append((path, triggers))
        if triggers and path == "app/routes/orders.py":
            return None  # holds none of the triggers
        return facts.get(path, CodeFacts())

    shared: dict = {}  # one run: the rules share this memo
    every = [p for p, _ in application_code(_context(config, graph, code_of, shared))]
    assert "app/routes/orders.py" in every and "app/services/users.py" in every
    asked.clear()
    again = [p for p, _ in application_code(_context(config, graph, code_of, shared))]
    assert again == every and asked == []  # remembered within the run
    routes = _context(config, graph, code_of, shared, options={"layers": ["routes"]})
    assert [p for p, _ in application_code(routes)] == [
        "app/routes/__init__.py", "app/routes/orders.py", "app/routes/users.py",
    ]  # fmt: skip
    mine = _context(config, graph, code_of, shared, shard=lambda path: "users" in path)
    assert [p for p, _ in application_code(mine)] == [
        "app/routes/users.py", "app/services/users.py",
    ]  # fmt: skip
    triggered = _context(config, graph, code_of, shared, triggers=(b"x",))
    assert "app/routes/orders.py" not in [p for p, _ in application_code(triggered)]
    assert [p for p, _, _ in handler_files(_context(config, graph, code_of, shared))] == [
        "app/routes/orders.py", "app/routes/users.py",
    ]  # fmt: skip
    assert [p for p, _, _ in handler_files(mine)] == ["app/routes/users.py"]


def test_calls_by_scope_is_per_facts_object() -> None:
    thin, fat = _facts(THIN), _facts(FAT)
    handler = next(i for i, f in enumerate(thin.functions) if f.name == "list_users")
    assert [c.callee for c in calls_by_scope(thin)[handler]] == ["service.list_users"]
    assert [c.callee for c in calls_by_scope(fat)[handler]] == [
        "requests.get", "db.query().all", "db.query",
    ]  # fmt: skip
    assert calls_by_scope(thin) is calls_by_scope(thin)  # remembered
    assert calls_by_scope(_facts(THIN)) == calls_by_scope(thin)  # equal facts, equal answer


def test_a_new_run_finds_the_handlers_of_the_new_facts(tmp_path: Path) -> None:
    """Handlers are remembered per path within a run only: the next run, with other facts
    for the same path (another route), finds the other route."""
    config, graph = _project(tmp_path)
    sources = {"app/routes/users.py": THIN}

    def code_of(path: str, triggers: tuple[bytes, ...]) -> CodeFacts | None:
        source = sources.get(path)
        return _facts(source) if source is not None else CodeFacts()

    select = ("verb-in-route-path",)
    assert run_rules(config, graph, select, code_of, lambda c, n: n in select) == []
    sources["app/routes/users.py"] = THIN.replace('"/users"', '"/getUsers"')
    found = run_rules(config, graph, select, code_of, lambda c, n: n in select)
    assert [(f.code, f.path) for f in found] == [("AL401", "app/routes/users.py")]
