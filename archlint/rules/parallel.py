"""Running the rules on several cores: each SHARDABLE rule once per shard of the files.

A rule is SHARDABLE when each of its findings is about one file and follows from that
file's code facts, the import graph and the config alone: run on a shard (a
:class:`~archlint.rules.context.RuleContext` whose ``shard`` admits only some files), it
finds exactly the findings of those files. The shards' findings together are then the
findings of the whole run, whatever the number of shards, which a test checks rule by rule
against the serial run. Rules that read several files at once (the schema rules, which
merge every migration) run whole, in this process, beside shard 0.

Workers are forked once the graph and the code facts are in memory, so they share them
for free; they send back finding records, and what they added to the code-facts store.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from archlint.findings import Finding

# Below this many project files, starting a worker costs more than the rules save.
MIN_FILES_FOR_WORKERS = 300

# shard index -> findings of the rules run on that shard (set before forking).
_JOB: Callable[[int], list[Finding]] | None = None
_STORE: Any = None


def shard_predicate(index: int, count: int) -> Callable[[str], bool]:
    """Whether a path is in shard ``index`` of ``count``: a stable hash of the path, the
    same in every process and every run."""
    return lambda path: zlib.crc32(path.encode("utf-8", "surrogateescape")) % count == index


def _worker(index: int) -> tuple[list[tuple], object]:
    assert _JOB is not None
    findings = _JOB(index)
    delta = _STORE.delta() if _STORE is not None and hasattr(_STORE, "delta") else None
    return [f.to_record() for f in findings], delta


def can_fork() -> bool:
    return sys.platform.startswith("linux")  # fork shares the graph and facts for free


def run_in_shards(
    run_shard: Callable[[int], list[Finding]],
    count: int,
    run_whole: Callable[[], list[Finding]],
    store: Any = None,
) -> list[Finding]:
    """``run_whole()`` and ``run_shard(0)`` here, ``run_shard(1..count-1)`` in forked
    workers; every finding, in no particular order (the caller sorts)."""
    import concurrent.futures
    import multiprocessing

    global _JOB, _STORE
    if hasattr(store, "mark"):
        store.mark()  # what the workers add is told apart from what is already there
    _JOB, _STORE = run_shard, store
    context = multiprocessing.get_context("fork")
    try:
        with concurrent.futures.ProcessPoolExecutor(count - 1, mp_context=context) as pool:
            futures = [pool.submit(_worker, index) for index in range(1, count)]
            findings = run_whole()
            findings.extend(run_shard(0))
            for future in futures:
                records, delta = future.result()
                findings.extend(Finding.from_record(record) for record in records)
                if delta is not None and hasattr(store, "absorb"):
                    store.absorb(delta)
    finally:
        _JOB, _STORE = None, None
    return findings


def worth_workers(jobs: int, files: Sequence[str] | int) -> bool:
    count = files if isinstance(files, int) else len(files)
    return jobs > 1 and can_fork() and count >= MIN_FILES_FOR_WORKERS
