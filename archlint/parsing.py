"""Reading and parsing files, in worker processes when there are enough of them.

Each file is read once and parsed once: its import facts always, and its code facts too
when a rule will ask for them (one syntax tree serves both). Import facts are records of
primitives, cached by the hash of the file's bytes and language. Code facts stay objects in
the process that extracted them: this one adopts its own, and workers that stay for the
one-file rules keep theirs (archlint/workers.py), sending records only where this process
or the cache needs them.
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from archlint import progress
from archlint.cache import FactsCache, content_hash
from archlint.code_store import CodeFactsStore
from archlint.codefacts import CodeFacts
from archlint.discover import DiscoveredFile
from archlint.facts import FileFacts
from archlint.frontends import code_extractor_for, combined_parser_for, parser_for

if TYPE_CHECKING:
    from archlint.workers import StayingWorkers, StayJob

# Below this many files to parse, starting worker processes costs more than it saves.
MIN_FILES_PER_WORKER = 150

# The caches' records, inherited by forked workers so they skip what is known.
_KNOWN: dict[bytes, tuple] = {}
_KNOWN_CODE: dict[bytes, tuple] = {}
# Every trigger of the rules that will run: which of them a file's bytes hold is recorded
# while the bytes are at hand, so that a rule skips a file that cannot concern it.
_TRIGGERS: tuple[bytes, ...] = ()

# digest, facts record, code facts (a CodeFacts object, or its record once it has crossed a
# process boundary), read error, the triggers the bytes hold
Result = tuple[bytes | None, tuple | None, object, str | None, frozenset[bytes]]


# path, language, code wanted (or if any of these triggers), the parser's options
Item = tuple[str, str, "bool | tuple[bytes, ...]", "tuple[tuple[str, object], ...]"]


def _read_and_parse(item: Item) -> Result:
    """(digest, facts record or None when known, code facts object or None, read error,
    the triggers present in the bytes of a file whose code facts are wanted)."""
    abspath, language, wants, options = item
    try:
        with open(abspath, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return None, None, None, error.strerror or str(error), frozenset()
    digest = content_hash(data, language)
    present = _present(data) if wants else frozenset()
    need_facts = digest not in _KNOWN
    # Code facts when some rule reads this file, and, for rules that only care about files
    # mentioning something (a JWT, a cookie), only when the bytes do.
    if isinstance(wants, tuple):  # `present` covers every trigger when the run gave them
        wants_code = not present.isdisjoint(wants) if _TRIGGERS else any(t in data for t in wants)
    else:
        wants_code = wants is True
    need_code = wants_code and digest not in _KNOWN_CODE
    code = None
    if need_code:
        combined = combined_parser_for(language)
        if combined is not None:
            facts, code = combined(data)
            return digest, facts.to_record() if need_facts else None, code, None, present
        extract = code_extractor_for(language)
        if extract is not None:
            code = extract(data)
    record = parser_for(language)(data, **dict(options)).to_record() if need_facts else None
    return digest, record, code, None, present


def _triggers_finder(triggers: tuple[bytes, ...]) -> tuple[re.Pattern[bytes], dict[bytes, frozenset[bytes]]]:
    """One regex for every trigger (one pass over the bytes instead of one per trigger),
    and the triggers each one contains: a match of "access_token" is one of "token" too,
    which the regex, matching each place once, would not report."""
    longest_first = sorted(set(triggers), key=lambda t: (-len(t), t))
    regex = re.compile(b"|".join(re.escape(t) for t in longest_first))
    implied = {t: frozenset(u for u in longest_first if u in t) for t in longest_first}
    return regex, implied


_FINDER: tuple[tuple[bytes, ...], re.Pattern[bytes], dict[bytes, frozenset[bytes]]] | None = None


def _present(data: bytes) -> frozenset[bytes]:
    """Which of the rules' triggers the bytes hold."""
    global _FINDER
    if not _TRIGGERS:
        return frozenset()
    if _FINDER is None or _FINDER[0] != _TRIGGERS:
        _FINDER = (_TRIGGERS, *_triggers_finder(_TRIGGERS))
    _, regex, implied = _FINDER
    found: set[bytes] = set()
    for match in set(regex.findall(data)):
        found |= implied[match]
    return frozenset(found)


def _read_and_parse_chunk(items: list[Item], records: bool = False) -> list[Result]:
    """Parse the items here. ``records``: code facts as records, for another process (a
    record pickles several times faster than the objects)."""
    # Syntax trees hold no reference cycles and die right after extraction, so the cyclic
    # garbage collector only burns time here (~10% of parsing, measured on Django).
    enabled = gc.isenabled()
    gc.disable()
    try:
        results = []
        for item in items:
            result = _read_and_parse(item)
            if records and result[2] is not None:
                result = (*result[:2], result[2].to_record(), *result[3:])  # type: ignore[attr-defined]
            results.append(result)
            progress.advance()  # this process's share: an estimate of the whole
        return results
    finally:
        if enabled:
            gc.enable()


def _records_chunk(items: list[Item]) -> list[Result]:
    return _read_and_parse_chunk(items, records=True)


def _balanced_chunks(sizes: list[int], count: int) -> list[list[int]]:
    """Indices dealt into ``count`` chunks of about equal bytes, biggest files first."""
    chunks: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for index in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = loads.index(min(loads))
        chunks[lightest].append(index)
        loads[lightest] += sizes[index] + 2048  # a file costs something even when tiny
    return chunks


def _run_parallel(items: list[Item], sizes: list[int], jobs: int) -> list[Result]:
    """Parse in ``jobs`` processes: this one and ``jobs - 1`` workers."""
    import concurrent.futures
    import multiprocessing

    # fork shares the loaded caches with the workers for free; spawn is the safe default
    # elsewhere (macOS, Windows).
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    chunks = _balanced_chunks(sizes, jobs)
    results: list = [None] * len(items)
    with concurrent.futures.ProcessPoolExecutor(jobs - 1, mp_context=context) as pool:
        futures = [
            pool.submit(_records_chunk, [items[i] for i in chunk]) for chunk in chunks[1:]
        ]
        for index, result in zip(chunks[0], _read_and_parse_chunk([items[i] for i in chunks[0]])):
            results[index] = result
        for chunk, future in zip(chunks[1:], futures):
            for index, result in zip(chunk, future.result()):
                results[index] = result
            progress.advance(len(chunk), exact=True)
    return results


def _run_staying(
    items: list[Item], paths: list[str], sizes: list[int], jobs: int, code: CodeFactsStore,
    wants_code: Mapping[str, object], looked_for: frozenset[bytes],
    send_code: frozenset[str] | None, stay: StayJob,
) -> tuple[list[Result], StayingWorkers]:
    """Parse in ``jobs`` processes, this one and ``jobs - 1`` workers that keep their code
    facts and stay to run the one-file rules on their share (see archlint/workers.py).
    The workers send back code records only for ``send_code`` (None: all), the files this
    process needs them for (rules reading several files, the cache)."""
    from archlint.workers import StayingWorkers

    def share(indices: list[int]) -> Callable[[], list[Result]]:
        def parse() -> list[Result]:  # runs in the worker: `code` is its own copy
            results = _read_and_parse_chunk([items[i] for i in indices])
            sent = []
            for index, (digest, record, facts, error, present) in zip(indices, results):
                path = paths[index]
                if digest is not None:
                    code.bind(path, digest)
                    if path in wants_code:
                        code.presence(digest, looked_for, present)
                if facts is not None:
                    assert digest is not None
                    code.adopt(path, digest, facts)  # type: ignore[arg-type]
                    wanted = send_code is None or path in send_code
                    facts = facts.to_record() if wanted else None  # type: ignore[attr-defined]
                sent.append((digest, record, facts, error, present))
            return sent

        return parse

    chunks = _balanced_chunks(sizes, jobs)
    code.mark()  # what a worker adds later (facts extracted on the spot) is its delta
    workers = StayingWorkers(
        [share(chunk) for chunk in chunks[1:]],
        [frozenset(paths[i] for i in chunk) for chunk in chunks[1:]],
        stay, code.delta,
    )  # fmt: skip
    results: list = [None] * len(items)
    try:
        for index, result in zip(chunks[0], _read_and_parse_chunk([items[i] for i in chunks[0]])):
            results[index] = result
        for chunk, parsed in zip(chunks[1:], workers.parsed()):
            for index, result in zip(chunk, parsed):
                results[index] = result
            progress.advance(len(chunk), exact=True)
    except BaseException:
        workers.close()
        raise
    return results, workers


def collect_facts(
    files: Sequence[DiscoveredFile],
    cache: FactsCache,
    code: CodeFactsStore,
    jobs: int,
    wants_code: Mapping[str, tuple[bytes, ...] | None] | None = None,
    parser_options: Mapping[str, Mapping[str, object]] | None = None,
    stay: StayJob | None = None,
) -> tuple[list[FileFacts | None], list[str | None], StayingWorkers | None]:
    """Facts for every file (None where it could not be read), read errors, and the workers
    that stay to run the one-file rules (``stay``), if any were started. Code facts of the
    files in ``wants_code`` go into ``code`` on the way: all of them (None), or those whose
    bytes contain one of the given triggers."""
    wants_code = wants_code or {}
    facts: list[FileFacts | None] = [None] * len(files)
    errors: list[str | None] = [None] * len(files)
    pending: list[int] = []
    for index, file in enumerate(files):
        record = None
        digest = cache.known_hash(file.path, file.size, file.mtime_ns, file.ctime_ns)
        if digest is not None:
            record = cache.get(digest)
            code.bind(file.path, digest)
        decoded = _decode(record)
        needs_code = file.path in wants_code and (digest is None or not code.has(digest))
        if decoded is None or needs_code:
            pending.append(index)
        else:
            facts[index] = decoded
    if not pending:
        return facts, errors, None
    global _KNOWN, _KNOWN_CODE, _TRIGGERS
    _KNOWN = cache.facts
    _KNOWN_CODE = code.records if wants_code else {}
    _TRIGGERS = tuple(sorted(getattr(wants_code, "triggers", ())))
    items: list[Item] = [
        (
            files[i].abspath,
            files[i].language,
            (wants_code[files[i].path] or True) if files[i].path in wants_code else False,
            tuple(sorted((parser_options or {}).get(files[i].language, {}).items())),
        )
        for i in pending
    ]
    workers = min(jobs, len(items) // MIN_FILES_PER_WORKER)
    progress.phase("reading files", len(items), scale=max(1, workers))
    looked_for = frozenset(getattr(wants_code, "triggers", ()))
    staying: StayingWorkers | None = None
    try:
        sizes = [files[i].size for i in pending]
        if workers > 1 and stay is not None and sys.platform.startswith("linux"):
            send = None if code.enabled else frozenset(getattr(wants_code, "shared", ()))
            paths = [files[i].path for i in pending]
            results, staying = _run_staying(
                items, paths, sizes, workers, code, wants_code, looked_for, send, stay
            )
        elif workers > 1:
            results = _run_parallel(items, sizes, workers)
        else:
            results = _read_and_parse_chunk(items)
    finally:
        _KNOWN, _KNOWN_CODE, _TRIGGERS = {}, {}, ()
    for index, (digest, record, code_facts, error, present) in zip(pending, results):
        file = files[index]
        if error is not None:
            errors[index] = error
            continue
        assert digest is not None
        if record is None:
            record = cache.get(digest)
        else:
            cache.put(digest, record)
        if isinstance(code_facts, CodeFacts):  # extracted here
            code.adopt(file.path, digest, code_facts)
        elif code_facts is not None:  # a record, from a worker
            code.put(digest, code_facts)
        if file.path in wants_code:
            code.presence(digest, looked_for, present)
        code.bind(file.path, digest)
        decoded = _decode(record)
        if decoded is None:  # a foreign cache entry: parse here, now
            with open(file.abspath, "rb") as handle:
                options = (parser_options or {}).get(file.language, {})
                decoded = parser_for(file.language)(handle.read(), **options)
            cache.put(digest, decoded.to_record())
        facts[index] = decoded
        cache.remember(file.path, file.size, file.mtime_ns, file.ctime_ns, digest)
    return facts, errors, staying


def _decode(record: tuple | None) -> FileFacts | None:
    if record is None:
        return None
    try:
        return FileFacts.from_record(record)
    except (TypeError, ValueError):
        return None  # corrupt or foreign: treated as a miss
