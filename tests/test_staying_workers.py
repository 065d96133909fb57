"""Parse workers that stay for the one-file rules (archlint/workers.py) find exactly what
one process finds.

Each tree is checked in one process (``jobs=1``), then with three processes whose parse
workers keep their code facts and run the SHARDABLE rules on their share (the threshold
lowered so that small trees get workers too). The findings must be equal, in order. The
trees together hold a violation of every rule (the reference app's twin) and real code.
Also: the cache a run with workers writes serves the next run, a failing rule in a worker
fails the run with the worker's traceback instead of hanging it, and `--changed-since`
runs judge the changed files only.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from archlint import engine, parsing, workers
from archlint.config.load import find_config, load_config
from archlint.findings import Finding
from tests.generated import generate_fullstack

REPO = Path(__file__).resolve().parents[1]
TREES = ["fixtures/reference_twin", "reference_app", "fixtures/layered_app", "fixtures/ts_app",
         "fixtures/init/django_shop", "fixtures/init/express_api", "fixtures/init/monorepo"]  # fmt: skip

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="parse workers stay only where fork exists"
)


def _key(finding: Finding) -> tuple:
    return (finding.code, finding.path, finding.line, finding.column, finding.message, finding.severity)


class _Counting:
    """Counts the workers' share of the files, so a test knows the workers did judge, and
    keeps what this process's one-file rules found, so a test knows it judged no file of
    theirs again."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from archlint.rules import all_rules, context

        self.handed_off: list[frozenset[str]] = []  # the workers' shares, per run
        self.judged_here: list[Finding] = []  # by one-file rules, in this process
        real = workers.StayingWorkers.findings
        real_run = context.run_rules
        parent = os.getpid()
        one_file = {r.code for r in all_rules()
                    if getattr(__import__(r.module, fromlist=["_"]), "SHARDABLE", False)}  # fmt: skip

        def findings(this: workers.StayingWorkers, absorb):
            self.handed_off.append(this.paths)
            return real(this, absorb)

        def run_rules(*args, **kwargs):
            found = real_run(*args, **kwargs)
            if os.getpid() == parent:
                self.judged_here += [f for f in found if f.code in one_file]
            return found

        monkeypatch.setattr(workers.StayingWorkers, "findings", findings)
        monkeypatch.setattr(context, "run_rules", run_rules)


def _check(root: Path, jobs: int, **options: object) -> list[tuple]:
    config = load_config(find_config(root), root)
    result = engine.check(config, jobs=jobs, select=("ALL",), **options)  # type: ignore[arg-type]
    return [_key(f) for f in result.findings]


def _compare(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    alone = _check(root, jobs=1, use_cache=False)
    monkeypatch.setattr(parsing, "MIN_FILES_PER_WORKER", 1)
    counting = _Counting(monkeypatch)
    together = _check(root, jobs=3, use_cache=False)
    assert counting.handed_off and counting.handed_off[0]  # the workers did judge files
    assert not [f for f in counting.judged_here if f.path in counting.handed_off[0]]  # only they
    assert together == alone
    return alone


@pytest.mark.parametrize("tree", TREES)
def test_workers_find_what_one_process_finds(tree: str, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _compare(REPO / tree, monkeypatch)
    if tree == "fixtures/reference_twin":
        assert len({code for code, *_ in found}) > 25  # nearly every rule has findings here


def test_a_generated_full_stack_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate_fullstack(tmp_path, 600)
    assert _compare(tmp_path, monkeypatch)


def test_django_with_the_backend_preset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import django

    shutil.copytree(Path(django.__file__).parent, tmp_path / "django",
                    ignore=shutil.ignore_patterns("*.js", "*.css", "*.html", "*.txt", "*.po", "*.mo"))  # fmt: skip
    (tmp_path / "archlint.toml").write_text('extends = ["backend"]\n')
    assert _compare(tmp_path, monkeypatch)


def test_the_cache_a_run_with_workers_writes_serves_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archlint import cache

    root = tmp_path / "twin"
    shutil.copytree(REPO / "fixtures/reference_twin", root)
    alone = _check(root, jobs=1, use_cache=False)
    monkeypatch.setattr(parsing, "MIN_FILES_PER_WORKER", 1)
    # The files were written just now: trusted by their stat anyway (no re-hashing).
    monkeypatch.setattr(cache, "_RACY_WINDOW_NS", -(10**15))
    assert _check(root, jobs=3) == alone  # cold, writing the cache
    # Warm, with every file's facts known: no file may be parsed again, and the findings
    # are computed afresh (the run memo is dropped) from the cached code facts.
    for memo in (root / ".archlint_cache").glob("run-*"):
        memo.unlink()

    def no_parsing(*args: object, **kwargs: object) -> object:
        raise AssertionError("a file was parsed again")

    monkeypatch.setattr(parsing, "_read_and_parse", no_parsing)
    assert _check(root, jobs=3) == alone


def _raise_in_a_worker(parent: int) -> None:
    if os.getpid() != parent:
        raise ValueError("a bug in a rule")


def _die_in_a_worker(parent: int) -> None:
    if os.getpid() != parent:
        os._exit(3)


@pytest.mark.parametrize(("misbehave", "expected"), [
    (_raise_in_a_worker, "(?s)Traceback.*a bug in a rule"),  # the worker's traceback
    (_die_in_a_worker, r"ended unexpectedly \(exit code 3\)"),
])  # fmt: skip
def test_a_rule_failing_in_a_worker_fails_the_run(
    misbehave, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from archlint.rules import fat_route_handler

    monkeypatch.setattr(parsing, "MIN_FILES_PER_WORKER", 1)
    parent = os.getpid()

    def check(context):
        misbehave(parent)
        return iter(())

    monkeypatch.setattr(fat_route_handler, "check", check)
    with pytest.raises(workers.WorkerFailed, match=expected):
        _check(REPO / "fixtures/reference_twin", jobs=3, use_cache=False)


def test_changed_files_only_are_judged_by_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = REPO / "fixtures/reference_twin"
    alone = _check(root, jobs=1, use_cache=False)
    changed = frozenset(path for _, path, *_ in alone[::3])
    monkeypatch.setattr(parsing, "MIN_FILES_PER_WORKER", 1)
    one = _check(root, jobs=1, use_cache=False, only_files=changed)
    together = _check(root, jobs=3, use_cache=False, only_files=changed)
    assert together == one
    assert {path for _, path, *_ in one} != {path for _, path, *_ in alone}  # it did narrow


def test_closing_workers_whose_run_failed_does_not_wait_for_them() -> None:
    """A run that fails or is interrupted (Ctrl-C) closes its workers wherever they are,
    here stuck in their parse: terminated at once, not joined after a timeout."""
    import time

    def stuck() -> list:
        time.sleep(60)
        return []

    def no_rules(facts, errors, share):  # noqa: ANN001, ANN202
        return []

    staying = workers.StayingWorkers([stuck, stuck], [frozenset({"a"}), frozenset({"b"})],
                                     no_rules, lambda: None)  # fmt: skip
    processes = list(staying._processes)
    started = time.monotonic()
    staying.close()
    assert time.monotonic() - started < 3
    assert not any(process.is_alive() for process in processes)
