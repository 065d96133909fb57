"""One run: discover -> facts (cached, in workers) -> graph -> contracts -> findings.

Everything here returns data; formatting belongs to reporters and renderers, exit codes to
the CLI.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from archlint.cache import FactsCache, content_hash
from archlint.config.model import Config
from archlint.discover import LANGUAGE_BY_SUFFIX, DiscoveredFile, Discovery, discover
from archlint.facts import FileFacts, SourceFile
from archlint.frontends import FRONTENDS, parser_for, parser_versions
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
    inputs: list[str] = field(default_factory=list)  # config files read to resolve imports


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
    digest = content_hash(data, language)
    if digest in _KNOWN:
        return digest, None, None
    return digest, parser_for(language)(data).to_record(), None


def _read_and_parse_chunk(items: list[tuple[str, str]]) -> list:
    # Syntax trees hold no reference cycles and die right after extraction, so the cyclic
    # garbage collector only burns time here (~10% of parsing, measured on Django).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [_read_and_parse(item) for item in items]
    finally:
        if enabled:
            gc.enable()


def _balanced_chunks(sizes: list[int], count: int) -> list[list[int]]:
    """Indices dealt into ``count`` chunks of about equal bytes, biggest files first."""
    chunks: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for index in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = loads.index(min(loads))
        chunks[lightest].append(index)
        loads[lightest] += sizes[index] + 2048  # a file costs something even when tiny
    return chunks


def _run_parallel(items: list[tuple[str, str]], sizes: list[int], jobs: int) -> list:
    """Parse in ``jobs`` processes: this one and ``jobs - 1`` workers."""
    import concurrent.futures
    import multiprocessing

    # fork shares the loaded cache with the workers for free; spawn is the safe default
    # elsewhere (macOS, Windows).
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    chunks = _balanced_chunks(sizes, jobs)
    results: list = [None] * len(items)
    with concurrent.futures.ProcessPoolExecutor(jobs - 1, mp_context=context) as pool:
        futures = [
            pool.submit(_read_and_parse_chunk, [items[i] for i in chunk]) for chunk in chunks[1:]
        ]
        for index, result in zip(chunks[0], _read_and_parse_chunk([items[i] for i in chunks[0]])):
            results[index] = result
        for chunk, future in zip(chunks[1:], futures):
            for index, result in zip(chunk, future.result()):
                results[index] = result
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
        digest = cache.known_hash(file.path, file.size, file.mtime_ns, file.ctime_ns)
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
        if workers > 1:
            results = _run_parallel(items, [files[i].size for i in pending], workers)
        else:
            results = _read_and_parse_chunk(items)
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
            with open(file.abspath, "rb") as handle:
                decoded = parser_for(file.language)(handle.read())
            cache.put(digest, decoded.to_record())
        facts[index] = decoded
        cache.remember(file.path, file.size, file.mtime_ns, file.ctime_ns, digest)
    return facts, errors


def _decode(record: tuple | None) -> FileFacts | None:
    if record is None:
        return None
    try:
        return FileFacts.from_record(record)
    except (TypeError, ValueError):
        return None  # corrupt or foreign: treated as a miss


# --- the run --------------------------------------------------------------------------


def _discover(config: Config) -> Discovery:
    """The project's files, in the languages archlint has a parser for."""
    languages = {suffix: lang for suffix, lang in LANGUAGE_BY_SUFFIX.items() if lang in FRONTENDS}
    return discover(config.root, config.include, config.exclude, languages)


def _open_cache(config: Config, use_cache: bool) -> FactsCache:
    return FactsCache(config.root, parser_versions(), enabled=use_cache)


def _build_project(
    config: Config, found: Discovery, cache: FactsCache, jobs: int | None
) -> tuple[Project, bool]:
    """The project, and whether every file could be read."""
    from archlint.frontends.python_modules import PythonModuleNamer
    from archlint.graph.build import build_graph

    facts, errors = _collect_facts(found.files, cache, jobs or os.cpu_count() or 1)
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
    graph = build_graph(p for p in pairs if p[0].language == "python")
    scripts = [p for p in pairs if p[0].language != "python"]
    inputs: list[str] = []
    if scripts:
        from archlint.graph.build_js import add_js_modules

        unresolved, inputs = add_js_modules(graph, config.root, scripts, found.project_files)
        findings.extend(unresolved)
    project = Project(config, sources, graph, findings, found.notes, inputs)
    return project, not any(errors)


def load_project(config: Config, *, use_cache: bool = True, jobs: int | None = None) -> Project:
    """Discover, read and parse every file of the project and build its import graph."""
    cache = _open_cache(config, use_cache)
    found = _discover(config)
    project, _ = _build_project(config, found, cache, jobs)
    cache.save({f.path for f in found.files})
    return project


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding]  # selected, in report order
    files: int
    notes: list[str]
    all_findings: list[Finding]  # before select/ignore/paths, in report order
    discovery: Discovery
    inputs: list[str] = field(default_factory=list)  # config files the resolution read


def check(
    config: Config,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    only_paths: Sequence[str] = (),
) -> CheckResult:
    """Check a project: every contract and rule, filtered by select/ignore and paths.

    When the cache knows every file unchanged and the configuration is the same, the
    findings of the last identical run are reused: the graph would come out the same.
    """
    from archlint.rules.selection import RuleFilter

    rule_filter = RuleFilter(select, ignore)  # validates codes before any work is done
    cache = _open_cache(config, use_cache)  # first: it may create .archlint_cache/
    found = _discover(config)
    paths = [f.path for f in found.files]
    # Which rules run depends on select and ignore (rules nobody asked for do not run at all,
    # and some run only when named), so the memo does.
    select, ignore = tuple(select), tuple(ignore)
    fingerprint = repr((config, sorted(select), sorted(ignore)))
    fingerprint += _project_files_fingerprint(config, found)
    key = cache.run_key(fingerprint, paths) if _all_trusted(found, cache) else None
    remembered = cache.recall_run(key) if key is not None else None
    findings, inputs = _recalled(config, found, remembered)
    if findings is None:
        from archlint.contracts import check_contracts
        from archlint.code_store import CodeFactsStore
        from archlint.rules.context import run_rules

        project, complete = _build_project(config, found, cache, jobs)
        findings = list(project.file_findings)
        findings.extend(check_contracts(project.graph, config.contracts, config.display_path))
        code = CodeFactsStore(config.root, {f.path: f for f in found.files}, use_cache)
        findings.extend(
            run_rules(config, project.graph, select, code.get, wanted=rule_filter.enabled)
        )
        code.save()
        findings = sort_findings(findings)
        inputs = project.inputs
        key = cache.run_key(fingerprint, paths)
        if key is not None and complete:
            # Config files read beyond those discovery found (a tsconfig base inside
            # node_modules) are checked by content when the run is recalled.
            extra = sorted(set(inputs) - set(found.project_files))
            cache.remember_run(
                key,
                ([f.to_record() for f in findings], [(p, _file_digest(config, p)) for p in extra]),
            )
    cache.save(set(paths))
    selected = rule_filter.apply(findings, only_paths)
    return CheckResult(selected, len(found.files), found.notes, findings, found, inputs)


def _file_digest(config: Config, relpath: str) -> bytes:
    try:
        return hashlib.blake2b((config.root / relpath).read_bytes(), digest_size=16).digest()
    except OSError:
        return b""


def _recalled(
    config: Config, found: Discovery, remembered: object
) -> tuple[list[Finding] | None, list[str]]:
    """A remembered run's findings and inputs, if it is well-formed and its extra config
    files are unchanged; (None, []) otherwise."""
    try:
        records, extra = remembered  # type: ignore[misc]
        if any(_file_digest(config, path) != digest for path, digest in extra):
            return None, []
        findings = [Finding.from_record(record) for record in records]
    except (TypeError, ValueError):
        return None, []  # absent, foreign or corrupt: compute afresh
    return findings, sorted({*found.project_files, *(path for path, _ in extra)})


def _project_files_fingerprint(config: Config, found: Discovery) -> str:
    """tsconfig.json, package.json …: how imports resolve depends on them, so the run memo
    must too. They are few and small: read and hash them every time."""
    digest = hashlib.blake2b(digest_size=16)
    for relpath in found.project_files:
        try:
            digest.update(relpath.encode() + b"\0" + (config.root / relpath).read_bytes())
        except OSError:
            digest.update(relpath.encode() + b"\0unreadable")
    return digest.hexdigest()


def _all_trusted(found: Discovery, cache: FactsCache) -> bool:
    return all(cache.known_hash(f.path, f.size, f.mtime_ns, f.ctime_ns) is not None for f in found.files)
