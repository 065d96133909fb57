"""SHARDABLE rules run in shards (forked workers) find exactly what they find in one piece.

The whole engine runs twice on each tree: rules in one process, then the SHARDABLE ones
spread over three shards in forked workers (the size threshold lowered so that small trees
are sharded too). The findings must be equal, finding for finding. The trees together hold
a violation of every rule (the reference app's twin) and real code (Django, the reference
app, a generated full-stack project).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archlint.code_store import CodeFactsStore
from archlint.config.load import find_config, load_config
from archlint.engine import _discover, load_project
from archlint.rules import all_rules, parallel
from archlint.rules.context import RuleContext, run_rules
from tests.generated import generate_fullstack

REPO = Path(__file__).resolve().parents[1]
TREES = ["fixtures/reference_twin", "reference_app", "fixtures/layered_app", "fixtures/ts_app",
         "fixtures/init/django_shop", "fixtures/init/express_api", "fixtures/init/monorepo"]  # fmt: skip


def _findings(root: Path, jobs: int) -> list[tuple]:
    """Every finding of the rules, duplicates kept (the engine would fold them: a shard
    that reported another shard's findings would go unseen there)."""
    config = load_config(find_config(root), root)
    project = load_project(config, use_cache=False)
    found = _discover(config)
    store = CodeFactsStore(config.root, {f.path: f for f in found.files}, enabled=False)
    paths = (*(f.path for f in found.files), *found.project_files)
    findings = run_rules(config, project.graph, (), store.get, paths=paths, jobs=jobs)
    return sorted((f.code, f.path, f.line, f.column, f.message, f.severity) for f in findings)


def _compare(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    serial = _findings(root, jobs=1)
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_WORKERS", 0)
    calls: list[int] = []
    real = parallel.run_in_shards

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "run_in_shards", counting)
    sharded = _findings(root, jobs=3)
    assert calls == [3]  # the sharded path did run
    assert sharded == serial
    return serial


@pytest.mark.skipif(not parallel.can_fork(), reason="rules run in workers only where fork exists")
@pytest.mark.parametrize("tree", TREES)
def test_sharded_rules_find_what_serial_rules_find(tree: str, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _compare(REPO / tree, monkeypatch)
    if tree == "fixtures/reference_twin":
        shardable = {r.code for r in all_rules() if getattr(__import__(r.module, fromlist=["x"]), "SHARDABLE", False)}
        assert shardable <= {code for code, *_ in found}  # every sharded rule has findings here


@pytest.mark.skipif(not parallel.can_fork(), reason="rules run in workers only where fork exists")
def test_a_generated_full_stack_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate_fullstack(tmp_path, 400)
    assert _compare(tmp_path, monkeypatch)


@pytest.mark.skipif(not parallel.can_fork(), reason="rules run in workers only where fork exists")
def test_django_with_the_backend_preset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import django

    shutil.copytree(Path(django.__file__).parent, tmp_path / "django",
                    ignore=shutil.ignore_patterns("*.js", "*.css", "*.html", "*.txt", "*.po", "*.mo"))  # fmt: skip
    (tmp_path / "archlint.toml").write_text('extends = ["backend"]\n')
    _compare(tmp_path, monkeypatch)


def test_shards_split_every_path_once() -> None:
    paths = [f"app/module_{i}.py" for i in range(500)]
    for count in (2, 3, 4):
        owners = [[i for i in range(count) if parallel.shard_predicate(i, count)(p)] for p in paths]
        assert all(len(o) == 1 for o in owners)
        sizes = [sum(1 for o in owners if o == [i]) for i in range(count)]
        assert min(sizes) > 500 / count / 2  # no shard is starved


def test_a_sharded_context_sees_only_its_files() -> None:
    from archlint.config.model import Config
    from archlint.graph.model import ImportGraph

    rule = next(iter(all_rules()))
    seen: list[str] = []
    context = RuleContext(Config(root=REPO), ImportGraph(), rule, {},
                          lambda path, triggers: seen.append(path),  # type: ignore[arg-type, func-returns-value]
                          shard=lambda path: path.startswith("a/"))  # fmt: skip
    assert context.mine("a/x.py") and not context.mine("b/x.py")
    context.code("b/x.py")
    context.code("a/x.py")
    assert seen == ["a/x.py"]
