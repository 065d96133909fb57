"""One run: discover -> facts (cached, in workers) -> graph -> contracts -> findings.

Everything here returns data; formatting belongs to reporters and renderers, exit codes to
the CLI.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archlint import progress
from archlint.cache import FactsCache
from archlint.code_store import CodeFactsStore
from archlint.config.model import Config
from archlint.discover import LANGUAGE_BY_SUFFIX, Discovery, discover
from archlint.facts import FileFacts, SourceFile, Suppression
from archlint.findings import Finding, sort_findings
from archlint.frontends import FRONTENDS, parser_versions
from archlint.graph.model import ImportGraph
from archlint.parsing import collect_facts
from archlint.rules import parse_error, unreadable_file

if TYPE_CHECKING:
    from archlint.workers import StayingWorkers, StayJob


@dataclass(slots=True)
class Project:
    """What a run knows after reading every file: the sources, their facts and the graph."""

    config: Config
    files: list[SourceFile]
    graph: ImportGraph
    file_findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # config files read to resolve imports
    suppressions: dict[str, tuple[Suppression, ...]] = field(default_factory=dict)  # by path


# --- the run --------------------------------------------------------------------------


def _discover(config: Config) -> Discovery:
    """The project's files, in the languages archlint has a parser for."""
    languages = {suffix: lang for suffix, lang in LANGUAGE_BY_SUFFIX.items() if lang in FRONTENDS}
    return discover(config.root, config.include, config.exclude, languages)


def parser_options(config: Config) -> dict[str, dict[str, object]]:
    """language -> the keyword options its parser gets from the config."""
    return {"sql": {"dialect": config.sql_dialect}} if config.sql_dialect else {}


def _open_cache(config: Config, use_cache: bool) -> FactsCache:
    # The parsers' options change what they extract from the same bytes: part of the key.
    options = tuple(f"{lang}:{sorted(o.items())}" for lang, o in sorted(parser_options(config).items()))
    return FactsCache(config.root, (*parser_versions(), *options), enabled=use_cache)


def _sources(config: Config, found: Discovery) -> list[SourceFile]:
    from archlint.frontends.python_modules import PythonModuleNamer

    namer = PythonModuleNamer(config.root, config.python_roots)
    sources: list[SourceFile] = []
    for file in found.files:
        named = namer.name_for(file.path) if file.language == "python" else None
        module, is_package = named if named is not None else (None, False)
        sources.append(SourceFile(file.path, file.language, module, is_package))
    return sources


def _build_project(
    config: Config,
    found: Discovery,
    cache: FactsCache,
    jobs: int | None,
    code: CodeFactsStore | None = None,
    code_scope: Callable[[list[SourceFile]], set[str]] | None = None,
    stay: Callable[[list[SourceFile]], StayJob | None] | None = None,
) -> tuple[Project, bool, StayingWorkers | None]:
    """The project, whether every file could be read, and the parse workers that stayed
    to run the one-file rules (see archlint/workers.py), if any. ``code_scope`` names the
    files whose code facts rules will ask for: they are extracted in the same parse."""
    sources = _sources(config, found)
    if code is None:
        code = CodeFactsStore(config.root, {f.path: f for f in found.files}, enabled=False)
    wants_code = code_scope(sources) if code_scope is not None else set()
    facts, errors, workers = collect_facts(
        found.files, cache, code, jobs or os.cpu_count() or 1, wants_code, parser_options(config),
        stay(sources) if stay is not None else None,
    )  # fmt: skip
    try:
        if workers is not None:
            workers.hand_over(facts, errors)  # they assemble the project while this does
        project, complete = assemble_project(config, found, sources, facts, errors)
    except BaseException:
        if workers is not None:
            workers.close()
        raise
    return project, complete, workers


def assemble_project(
    config: Config,
    found: Discovery,
    sources: list[SourceFile],
    facts: list[FileFacts | None],
    errors: list[str | None],
) -> tuple[Project, bool]:
    """The project from every file's facts (None and an error where it could not be read),
    and whether every file could be read. The same facts give the same project, here and in
    a worker."""
    from archlint.graph.build import build_graph

    pairs: list[tuple[SourceFile, FileFacts]] = []
    findings: list[Finding] = []
    suppressions: dict[str, tuple[Suppression, ...]] = {}
    for source, file_facts, error in zip(sources, facts, errors):
        if error is not None:
            findings.append(unreadable_file.finding(source.path, error))
            continue
        assert file_facts is not None
        if file_facts.problem is not None:
            findings.append(parse_error.finding(source.path, file_facts.problem))
        if file_facts.suppressions:
            suppressions[source.path] = file_facts.suppressions
        pairs.append((source, file_facts))
    graph = build_graph(p for p in pairs if p[0].language == "python")
    scripts = [p for p in pairs if p[0].language in ("javascript", "typescript", "tsx")]
    inputs: list[str] = []
    if scripts:
        from archlint.graph.build_js import add_js_modules

        unresolved, inputs = add_js_modules(graph, config.root, scripts, found.project_files)
        findings.extend(unresolved)
    project = Project(config, sources, graph, findings, found.notes, inputs, suppressions)
    return project, not any(errors)


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """A run builds millions of small objects that hold no reference cycles (facts, code
    facts, import sites) and keeps them to its end: the cyclic garbage collector would only
    scan them again and again, a full pass costing ~0.1 s on a 5,000-file project."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_project(config: Config, *, use_cache: bool = True, jobs: int | None = None) -> Project:
    """Discover, read and parse every file of the project and build its import graph."""
    with _without_cyclic_gc():
        return _load_project(config, use_cache, jobs)


def _load_project(config: Config, use_cache: bool, jobs: int | None) -> Project:
    cache = _open_cache(config, use_cache)
    found = _discover(config)
    project, _, _ = _build_project(config, found, cache, jobs)
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
    graph: ImportGraph | None = None  # the import graph, when the run built one (no replay)


def check(
    config: Config,
    *,
    use_cache: bool = True,
    jobs: int | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    only_paths: Sequence[str] = (),
    only_files: frozenset[str] | None = None,
) -> CheckResult:
    """Check a project: every contract and rule, filtered by select/ignore and paths.

    When the cache knows every file unchanged and the configuration is the same, the
    findings of the last identical run are reused: the graph would come out the same.
    ``only_files`` (``check --changed-since``): the rules that judge one file at a time
    (SHARDABLE) judge only these, and their code facts are all that is extracted; the
    contracts and the rules that read several files at once still see the whole project.
    Such a run's findings are complete only for those files: it is not remembered.
    """
    with _without_cyclic_gc():
        return _check(config, use_cache, jobs, select, ignore, only_paths, only_files)


def _check(
    config: Config,
    use_cache: bool,
    jobs: int | None,
    select: Iterable[str],
    ignore: Iterable[str],
    only_paths: Sequence[str],
    only_files: frozenset[str] | None,
) -> CheckResult:
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
    graph: ImportGraph | None = None
    if findings is None:
        from archlint.contracts import check_contracts
        from archlint.rules.context import code_paths, one_file_rules_run, run_rules

        code = CodeFactsStore(config.root, {f.path: f for f in found.files}, use_cache)
        cache.keep_keys.add(code.key)
        jobs = jobs or os.cpu_count() or 1
        all_paths = (*paths, *found.project_files)

        def scope(sources: list[SourceFile]) -> set[str]:
            return code_paths(config, sources, select, rule_filter.enabled, only_files)

        def stay(sources: list[SourceFile]) -> StayJob | None:
            if not one_file_rules_run(config, select, rule_filter.enabled):
                return None

            def rules_in_worker(
                facts: list[FileFacts | None], errors: list[str | None], share: frozenset[str]
            ) -> list[Finding]:  # in a parse worker, `code` being its own copy
                project, _ = assemble_project(config, found, sources, facts, errors)
                return run_rules(
                    config, project.graph, select, code.get, wanted=rule_filter.enabled,
                    paths=all_paths, only_files=only_files, share=share, whole=False,
                )  # fmt: skip

            return rules_in_worker

        project, complete, workers = _build_project(config, found, cache, jobs, code, scope, stay)
        try:
            findings = list(project.file_findings)
            progress.phase("checking contracts")
            findings.extend(check_contracts(project.graph, config.contracts, config.display_path))
            findings.extend(
                run_rules(
                    config, project.graph, select, code.get, wanted=rule_filter.enabled,
                    paths=all_paths, jobs=jobs, only_files=only_files,
                    handed_off=workers.paths if workers is not None else frozenset(),
                )  # fmt: skip
            )
            if workers is not None:
                findings.extend(workers.findings(code.absorb))
        finally:
            if workers is not None:
                workers.close()
        code.save()
        # Inline suppressions, before the run is remembered: a replay knows them too.
        from archlint.rules.unused_suppression import active_codes, apply_suppressions

        ran = active_codes(config, select, rule_filter.enabled)
        findings = apply_suppressions(findings, project.suppressions, ran.__contains__)
        findings = sort_findings(findings)
        inputs, graph = project.inputs, project.graph
        key = cache.run_key(fingerprint, paths) if only_files is None else None
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
    return CheckResult(selected, len(found.files), found.notes, findings, found, inputs, graph)


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
