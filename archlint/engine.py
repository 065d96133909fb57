"""One run: discover -> facts (cached, in workers) -> graph -> contracts -> findings.

Everything here returns data; formatting belongs to reporters and renderers, exit codes to
the CLI.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from archlint.cache import FactsCache, content_hash
from archlint.config.model import Config
from archlint.discover import DiscoveredFile, discover
from archlint.facts import FileFacts, SourceFile
from archlint.findings import Finding, sort_findings
from archlint.graph.model import ImportGraph
from archlint.rules import parse_error, unreadable_file

# Below this many files to parse, starting worker processes costs more than it saves.
MIN_FILES_PER_WORKER = 150


@dataclass(slots=True)
class Project:
    """What a run knows after reading every file: the sources, their facts and the graph."""

    config: Config
    files: list[SourceFile]
    graph: ImportGraph
    file_findings: list[Finding]
    notes: list[str] = field(default_factory=list)


def _parsers() -> dict[str, tuple[Callable[[bytes], FileFacts], str]]:
    from archlint.frontends.python import PARSER_VERSION, parse_python

    return {"python": (parse_python, PARSER_VERSION)}


# --- reading and parsing, possibly in worker processes ----------------------------------

_KNOWN: dict[bytes, tuple] = {}  # the cache's records, inherited by forked workers


def _read_and_parse(item: tuple[str, str]) -> tuple[bytes | None, tuple | None, str | None]:
    """(digest, record or None when the cache has it, read error)."""
    abspath, language = item
    try:
        with open(abspath, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return None, None, error.strerror or str(error)
    digest = content_hash(data)
    if digest in _KNOWN:
        return digest, None, None
    parse, _version = _parsers()[language]
    return digest, parse(data).to_record(), None


def _read_and_parse_chunk(items: list[tuple[str, str]]) -> list:
    return [_read_and_parse(item) for item in items]


def _run_parallel(items: list[tuple[str, str]], jobs: int) -> list:
    import concurrent.futures
    import multiprocessing

    # fork shares the loaded cache with the workers for free; spawn is the safe default
    # elsewhere (macOS, Windows).
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    # Interleave so each chunk gets a fair share of big and small files.
    chunks = [items[i::jobs] for i in range(jobs)]
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
        parts = list(pool.map(_read_and_parse_chunk, chunks))
    results: list = [None] * len(items)
    for offset, part in enumerate(parts):
        results[offset::jobs] = part
    return results


def _collect_facts(
    files: Sequence[DiscoveredFile], cache: FactsCache, jobs: int
) -> tuple[list[FileFacts | None], list[str | None]]:
    """Facts for every file (None where it could not be read), and read errors."""
    facts: list[FileFacts | None] = [None] * len(files)
    errors: list[str | None] = [None] * len(files)
    pending: list[int] = []
    for index, file in enumerate(files):
        record = None
        digest = cache.known_hash(file.path, file.size, file.mtime_ns)
        if digest is not None:
            record = cache.get(digest)
        decoded = _decode(record)
        if decoded is None:
            pending.append(index)
        else:
            facts[index] = decoded
    if not pending:
        return facts, errors
    global _KNOWN
    _KNOWN = cache.facts
    items = [(files[i].abspath, files[i].language) for i in pending]
    workers = min(jobs, len(items) // MIN_FILES_PER_WORKER)
    try:
        results = _run_parallel(items, workers) if workers > 1 else [
            _read_and_parse(item) for item in items
        ]
    finally:
        _KNOWN = {}
    for index, (digest, record, error) in zip(pending, results):
        file = files[index]
        if error is not None:
            errors[index] = error
            continue
        assert digest is not None
        if record is None:
            record = cache.get(digest)
        else:
            cache.put(digest, record)
        decoded = _decode(record)
        if decoded is None:  # a foreign cache entry: parse here, now
            parse, _ = _parsers()[file.language]
            with open(file.abspath, "rb") as handle:
                decoded = parse(handle.read())
            cache.put(digest, decoded.to_record())
        facts[index] = decoded
        cache.remember(file.path, file.size, file.mtime_ns, digest)
    return facts, errors


def _decode(record: tuple | None) -> FileFacts | None:
    if record is None:
        return None
    try:
        return FileFacts.from_record(record)
    except (TypeError, ValueError):
        return None  # corrupt or foreign: treated as a miss


# --- the run --------------------------------------------------------------------------


def load_project(config: Config, *, use_cache: bool = True, jobs: int | None = None) -> Project:
    """Discover, read and parse every file of the project and build its import graph."""
    from archlint.frontends.python_modules import PythonModuleNamer
    from archlint.graph.build import build_graph

    found = discover(config.root, config.include, config.exclude)
    parser_versions = tuple(sorted(version for _, version in _parsers().values()))
    cache = FactsCache(config.root, parser_versions, enabled=use_cache)
    facts, errors = _collect_facts(found.files, cache, jobs or os.cpu_count() or 1)
    cache.save({f.path for f in found.files})

    namer = PythonModuleNamer(config.root, config.python_roots)
    sources: list[SourceFile] = []
    pairs: list[tuple[SourceFile, FileFacts]] = []
    findings: list[Finding] = []
    for file, file_facts, error in zip(found.files, facts, errors):
        named = namer.name_for(file.path) if file.language == "python" else None
        module, is_package = named if named is not None else (None, False)
        source = SourceFile(file.path, file.language, module, is_package)
        sources.append(source)
        if error is not None:
            findings.append(unreadable_file.finding(file.path, error))
            continue
        assert file_facts is not None
        if file_facts.problem is not None:
            findings.append(parse_error.finding(file.path, file_facts.problem))
        pairs.append((source, file_facts))
    graph = build_graph(pairs)
    return Project(config, sources, graph, findings, found.notes)


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding]
    files: int
    notes: list[str]


def check(
    config: Config,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    only_paths: Sequence[str] = (),
) -> CheckResult:
    """Check a project: every contract and rule, filtered by select/ignore and paths."""
    from archlint.contracts import check_contracts
    from archlint.rules.selection import RuleFilter

    rule_filter = RuleFilter(select, ignore)  # validates codes before any work is done
    project = load_project(config, use_cache=use_cache, jobs=jobs)
    findings = list(project.file_findings)
    findings.extend(check_contracts(project.graph, config.contracts, config.display_path))
    findings = [f for f in findings if rule_filter.enabled(f.code, f.rule)]
    if only_paths:
        findings = [f for f in findings if _touches(f, only_paths)]
    return CheckResult(sort_findings(findings), len(project.files), project.notes)


def _touches(finding: Finding, prefixes: Sequence[str]) -> bool:
    """Whether a finding is in (or, for a chain, passes through) one of the given paths."""
    paths = [finding.path, *(hop.path for hop in finding.chain)]
    return any(p == prefix or p.startswith(prefix + "/") or not prefix for p in paths for prefix in prefixes)
