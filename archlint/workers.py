"""Parse workers that stay for the one-file rules.

With rules on, parsing extracts code facts as well, and most rules read one file's code
facts at a time (the SHARDABLE ones, see rules/parallel.py). Sending those facts from the
worker that extracted them back to this process costs about as much as extracting them:
a record built, pickled, unpickled and rebuilt into objects. So a forked worker keeps the
code facts of its share of the files, and stays. Once this process holds every file's
import facts, it sends them all to each worker (small records, marshalled); the worker
assembles the very same project and import graph from them, runs the one-file rules on its
own files, and sends back their findings. This process runs those rules on every other
file, and the rules that read several files, meanwhile.

Only where ``fork`` exists: the workers inherit the configuration, the caches and the job
to run instead of being sent them.
"""

from __future__ import annotations

import marshal
import multiprocessing
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from archlint.facts import FileFacts
from archlint.findings import Finding

# What a worker runs once it has every file's facts: (facts, read errors, the paths it
# answers for) -> the findings of the one-file rules on those paths.
StayJob = Callable[[list["FileFacts | None"], list["str | None"], frozenset[str]], list[Finding]]


class WorkerFailed(RuntimeError):
    """A worker raised or died; the message carries its traceback when there is one."""


def _serve(
    conn: Connection,
    parse: Callable[[], list[Any]],
    job: StayJob,
    shard: frozenset[str],
    delta: Callable[[], object],
) -> None:
    """A worker's life: parse its share, hand the results over, wait for every file's
    facts, run the one-file rules on its share, hand their findings over."""
    try:
        conn.send(("parsed", parse()))
        records, errors = marshal.loads(conn.recv())
        facts = [None if r is None else FileFacts.from_record(r) for r in records]
        findings = job(facts, errors, shard)
        conn.send(("rules", ([f.to_record() for f in findings], delta())))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        try:
            conn.send(("error", traceback.format_exc()))
        except (OSError, ValueError):
            pass
    finally:
        conn.close()


class StayingWorkers:
    """Forked workers, one per share of the files, each parsing its share and then
    running the one-file rules on it."""

    def __init__(
        self,
        parses: Sequence[Callable[[], list[Any]]],
        shards: Sequence[frozenset[str]],
        job: StayJob,
        delta: Callable[[], object],
    ) -> None:
        context = multiprocessing.get_context("fork")
        self.paths: frozenset[str] = frozenset().union(*shards)  # every worker's share
        self._connections: list[Connection] = []
        self._processes: list[Any] = []
        for parse, shard in zip(parses, shards):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, parse, job, shard, delta), daemon=True)
            process.start()
            theirs.close()
            self._connections.append(ours)
            self._processes.append(process)
        self._collected = False

    def _receive(self, index: int, expected: str) -> Any:
        try:
            kind, payload = self._connections[index].recv()
        except (EOFError, OSError) as error:
            self._processes[index].join(timeout=1)  # reaped, so that its exit code is known
            code = self._processes[index].exitcode
            raise WorkerFailed(f"a worker process ended unexpectedly (exit code {code})") from error
        if kind == "error":
            raise WorkerFailed(f"a worker process failed:\n{payload}")
        assert kind == expected, kind
        return payload

    def parsed(self) -> list[list[Any]]:
        """Each worker's parse results, in the order of the shares."""
        return [self._receive(index, "parsed") for index in range(len(self._connections))]

    def hand_over(self, facts: Sequence[FileFacts | None], errors: Sequence[str | None]) -> None:
        """Send every file's facts: the workers start on the rules."""
        blob = marshal.dumps(([None if f is None else f.to_record() for f in facts], list(errors)))
        for connection in self._connections:
            connection.send(blob)

    def findings(self, absorb: Callable[[object], None]) -> list[Finding]:
        """The workers' findings; what their code-facts stores added goes to ``absorb``."""
        found: list[Finding] = []
        for index in range(len(self._connections)):
            records, delta = self._receive(index, "rules")
            found.extend(Finding.from_record(record) for record in records)
            absorb(delta)
        self._collected = True
        return found

    def close(self) -> None:
        """Stop every worker: those whose findings were collected have ended; any other
        (the run failed or was interrupted) is terminated, whatever it was waiting for."""
        for connection in self._connections:
            connection.close()
        for process in self._processes:
            if not self._collected:
                process.terminate()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        self._connections, self._processes = [], []
