"""What a project rule sees, and running the project rules.

A rule asks questions of a :class:`RuleContext`: which modules a component holds, which
external packages a library list names, the import graph. Components come from the config
(presets included); a rule whose components the config does not define finds nothing,
quietly: a project without a frontend has no frontend to check.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from archlint import progress
from archlint.codefacts import CodeFacts
from archlint.config.model import Config, Group
from archlint.errors import ConfigError
from archlint.facts import SourceFile
from archlint.findings import Finding
from archlint.graph.model import ImportGraph, Site
from archlint.graph.selectors import ModuleSet, module_set
from archlint.rules import RuleInfo, all_rules


@dataclass(slots=True)
class RuleContext:
    config: Config
    graph: ImportGraph
    rule: RuleInfo
    options: Mapping[str, Any]
    code_of: Callable[[str, tuple[bytes, ...]], CodeFacts | None] = lambda path, triggers: None
    _sets: dict[str, ModuleSet] = field(default_factory=dict)
    triggers: tuple[bytes, ...] = ()  # the rule's CODE_TRIGGERS
    # Every file of the project (sources and project files such as schema.prisma), when the
    # run knows them; None otherwise (rules that need them then stay quiet).
    paths: tuple[str, ...] | None = None
    # The files this run of a SHARDABLE rule answers for (None: all): the rule is run once
    # per shard, in parallel, and sees only its shard's files, code and import sites.
    shard: Callable[[str], bool] | None = None
    # Answers the rules of one run share (a dozen rules list the same application files and
    # read the same code facts): one dict per run of the rules, see scope.per_run.
    memo: dict[tuple, Any] = field(default_factory=dict)

    def mine(self, path: str) -> bool:
        """Whether this run of the rule answers for ``path`` (see ``shard``)."""
        return self.shard is None or self.shard(path)

    def files(self, *components: str) -> list[tuple[str, str]]:
        """(module id, path) of every project file in these components, sorted by path."""
        graph = self.graph
        members = self.component(*components).internal(graph)
        found = {(m, path) for m in members if (path := graph.nodes[m].path) and self.mine(path)}
        return sorted(found, key=lambda pair: (pair[1], pair[0]))  # type: ignore[arg-type, return-value]

    def code(self, path: str) -> CodeFacts | None:
        """The code facts of a project file: None when its language has no extractor, or
        when the rule has ``CODE_TRIGGERS`` and the file contains none of them (then it
        cannot hold what the rule looks for, and is not parsed for it)."""
        if not self.mine(path):
            return None
        return self.code_of(path, self.triggers)

    def at(self, path: str, line: int, column: int, message: str, severity: str | None = None) -> Finding:
        return Finding(
            self.rule.code, self.rule.name, severity or self.severity, message, path, line, column
        )

    def component(self, *names: str) -> ModuleSet:
        """The modules of these components (their union); empty for undefined ones."""
        result = ModuleSet()
        for name in names:
            component = self.config.components.get(name)
            if component is None:
                continue
            key = f"component:{name}"
            if key not in self._sets:
                self._sets[key] = module_set(self.graph, Group(name, component.selectors))
            result = result | self._sets[key]
        return result

    def library(self, *names: str) -> ModuleSet:
        """The external packages (or submodules) of these library lists, as graph nodes."""
        libraries = getattr(self.config, "libraries", {}) or {}
        result = ModuleSet()
        for name in names:
            key = f"library:{name}"
            if key not in self._sets:
                selectors = tuple(libraries.get(name, ()))
                self._sets[key] = module_set(self.graph, Group(name, selectors))
            result = result | self._sets[key]
        return result

    def imports_into(
        self, sources: Iterable[str], targets: ModuleSet
    ) -> Iterator[tuple[str, str, Site]]:
        """Every direct import site from a source module into the target set, in order."""
        graph = self.graph
        for importer in sorted(sources):
            path = graph.nodes[importer].path if importer in graph.nodes else None
            if path is not None and not self.mine(path):
                continue
            for imported in sorted(graph.successors(importer)):
                for site in graph.sites(importer, imported):
                    if targets.matches_site(importer, imported, site):
                        yield importer, imported, site

    def import_lines(
        self, sources: Iterable[str], targets: ModuleSet
    ) -> Iterator[tuple[str, str, Site, str]]:
        """Like :meth:`imports_into`, one entry per line and imported module, with the names
        it imports: ``from fastapi import Depends, status`` is one import of fastapi
        ("fastapi.Depends, fastapi.status"), reported once."""
        key: tuple[str, int, str, str] | None = None
        first: tuple[str, str, Site] | None = None
        names: list[str] = []
        for importer, imported, site in self.imports_into(sources, targets):
            here = (importer, site.line, imported, site.path)
            if here == key:
                if site.imported not in names:
                    names.append(site.imported)
                continue
            if first is not None:
                yield (*first, ", ".join(names))
            key, first, names = here, (importer, imported, site), [site.imported]
        if first is not None:
            yield (*first, ", ".join(names))

    def finding(self, site: Site, message: str, severity: str | None = None) -> Finding:
        return Finding(
            self.rule.code,
            self.rule.name,
            severity or self.severity,
            message,
            site.path,
            site.line,
            site.column,
        )

    @property
    def severity(self) -> str:
        configured = self.options.get("severity")
        return str(configured) if configured else self.rule.severity


def _settings(config: Config, rule: RuleInfo) -> dict[str, Any]:
    """The rule's options: its defaults, then ``[rules.<name>]`` from the config."""
    configured = dict((getattr(config, "rules", {}) or {}).get(rule.name, {}))
    defaults = dict(rule.options)
    unknown = set(configured) - set(defaults) - {"enabled", "severity"}
    if unknown:
        import difflib

        name = sorted(unknown)[0]
        close = difflib.get_close_matches(name, [*defaults, "enabled", "severity"], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ConfigError(
            f"unknown option '{name}' for rule '{rule.name}'{hint}", path=str(config.path or "")
        )
    return {**defaults, **configured}


def _explicitly_selected(rule: RuleInfo, select: Iterable[str]) -> bool:
    """Named by code or name, or every rule with ``ALL``: a rule that is off by default runs
    when asked for like this, not for a prefix (``AL4`` means the AL4 rules that are on)."""
    return any(t.upper() in (rule.code, "ALL") or t.lower() == rule.name for t in select)


def _active_rules(
    config: Config, select: tuple[str, ...], wanted: Callable[[str, str], bool]
) -> Iterator[tuple[RuleInfo, Any, dict[str, Any]]]:
    """(rule, its module, its options) of every rule that will run: switched on (by default,
    by ``[rules.<name>] enabled``, or by being named in select) and wanted by select/ignore."""
    for rule in all_rules():
        if not wanted(rule.code, rule.name):
            continue
        options = _settings(config, rule)
        enabled = options.get("enabled")
        if enabled is None:
            enabled = rule.enabled or _explicitly_selected(rule, select)
        if enabled:
            yield rule, importlib.import_module(rule.module), options


def run_rules(
    config: Config,
    graph: ImportGraph,
    select: Iterable[str] = (),
    code_of: Callable[[str, tuple[bytes, ...]], CodeFacts | None] = lambda path, t: None,
    wanted: Callable[[str, str], bool] = lambda code, name: True,
    paths: tuple[str, ...] | None = None,
    jobs: int = 1,
    only_files: frozenset[str] | None = None,
    share: frozenset[str] | None = None,
    whole: bool = True,
    handed_off: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Run every project rule that is on (by default, by the config, or named in select)
    and ``wanted`` (select/ignore would keep its findings): a rule nobody will see the
    findings of costs nothing, not even its code facts. With ``jobs`` > 1 and a project
    big enough, the SHARDABLE rules run in ``jobs`` processes (see rules/parallel.py).

    The one-file (SHARDABLE) rules judge only the files of ``share`` when it is given,
    never those ``handed_off`` (parse workers judge them, see archlint/workers.py), and only
    ``only_files`` when given; ``whole``: whether the other rules run too."""
    from archlint.rules import parallel

    select = tuple(select)
    known = {rule.name for rule in all_rules()}
    for name in sorted(getattr(config, "rules", {}) or {}):
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"unknown rule '{name}' in [rules]{hint}", path=str(config.path or ""))
    shared: dict[str, ModuleSet] = {}  # components resolved once for every rule
    active = list(_active_rules(config, select, wanted))
    progress.phase("checking rules", len(active))

    def run(entries: list, shard: Callable[[str], bool] | None = None) -> list[Finding]:
        found: list[Finding] = []
        memo: dict[tuple, Any] = {}
        for rule, module, options in entries:
            progress.advance()
            check = getattr(module, "check", None)
            if check is None:
                continue
            triggers = tuple(getattr(module, "CODE_TRIGGERS", ()))
            context = RuleContext(config, graph, rule, options, code_of, shared, triggers, paths, shard, memo)
            found.extend(check(context))
        return found

    shardable = [entry for entry in active if getattr(entry[1], "SHARDABLE", False)]
    rest = [entry for entry in active if not getattr(entry[1], "SHARDABLE", False)] if whole else []
    if only_files is not None or share is not None or handed_off:

        def judged(path: str) -> bool:
            return ((only_files is None or path in only_files)
                    and (share is None or path in share) and path not in handed_off)  # fmt: skip

        return [*run(rest), *run(shardable, judged)]
    if not whole:
        return run(shardable)
    files = sum(1 for node in graph.nodes.values() if node.path and not node.external)
    if not shardable or not parallel.worth_workers(jobs, files):
        return run(active)
    return parallel.run_in_shards(
        lambda index: run(shardable, parallel.shard_predicate(index, jobs)), jobs,
        lambda: run(rest), getattr(code_of, "__self__", None),
    )  # fmt: skip


def one_file_rules_run(
    config: Config, select: Iterable[str] = (), wanted: Callable[[str, str], bool] = lambda c, n: True
) -> bool:
    """Whether any SHARDABLE rule will run (parse workers then stay to run them)."""
    active = _active_rules(config, tuple(select), wanted)
    return any(getattr(module, "SHARDABLE", False) for _, module, _ in active)


class CodeScope(dict[str, "tuple[bytes, ...] | None"]):
    """path -> the triggers that make its code facts wanted (None: wanted whatever the file
    holds); ``triggers`` is every trigger of the rules that will run, which the parser
    records the presence of, so that each rule skips the files that lack its own; ``shared``
    the files read by rules that are not SHARDABLE (they read several files at once, in the
    main process, whichever process extracted them)."""

    def __init__(self) -> None:
        super().__init__()
        self.triggers: set[bytes] = set()
        self.shared: set[str] = set()


def code_paths(
    config: Config,
    sources: list[SourceFile],
    select: Iterable[str] = (),
    wanted: Callable[[str, str], bool] = lambda code, name: True,
    only_files: frozenset[str] | None = None,
) -> CodeScope:
    """The files whose code facts the rules that will run are going to read, known before
    any file is parsed (from paths and module names alone), so that one parse extracts
    both kinds of facts. A rule declares it with ``CODE_LAYERS``: the name of its option
    listing components (where "*" means every file), a tuple of component names, or "*"
    for every file."""
    from archlint.frontends import CODE_FRONTENDS
    from archlint.globs import path_matcher
    from archlint.graph.model import Node

    graph = ImportGraph()
    for source in sources:
        if source.language in CODE_FRONTENDS:
            graph.add_node(Node(source.module or source.path, source.path, source.language))
    select = tuple(select)
    shared: dict[str, ModuleSet] = {}
    # Most rules read the same layers minus the same test files: each such choice once.
    chosen_by: dict[tuple[tuple[str, ...], tuple[str, ...], bool], frozenset[str]] = {}
    whatever_held: set[str] = set()  # files some rule reads whatever they hold
    # the files rules read only when one of their triggers is there: the triggers of each
    # choice of files, gathered per choice before they are spread over its files
    triggers_by: dict[frozenset[str], set[bytes]] = {}
    scope = CodeScope()
    for rule, module, options in _active_rules(config, select, wanted):
        layers_option = getattr(module, "CODE_LAYERS", None)
        if layers_option is None:
            continue
        if isinstance(layers_option, tuple):
            names = tuple(str(n) for n in layers_option)  # fixed components
        elif layers_option == "*":
            names = ("*",)
        else:
            names = tuple(str(n) for n in options[layers_option])  # an option naming them
        narrowed = only_files is not None and getattr(module, "SHARDABLE", False)
        key = (names, tuple(str(p) for p in options.get("exclude", ())), narrowed)
        chosen = chosen_by.get(key)
        if chosen is None:
            if "*" in names:  # every file
                paths = {node.path for node in graph.nodes.values() if node.path}
            else:
                context = RuleContext(config, graph, rule, options, _sets=shared)
                members = context.component(*names).internal(graph)
                paths = {graph.nodes[m].path for m in members if graph.nodes[m].path}  # type: ignore[misc]
            if narrowed:
                paths &= only_files  # type: ignore[operator]  # it will judge only these (see run_rules)
            excluded = path_matcher(key[1])
            chosen = chosen_by[key] = frozenset(p for p in paths if p and not excluded(p))
        triggers = tuple(getattr(module, "CODE_TRIGGERS", ()))
        scope.triggers.update(triggers)
        if not getattr(module, "SHARDABLE", False):
            scope.shared.update(chosen)
        if triggers:
            triggers_by.setdefault(chosen, set()).update(triggers)
        else:
            whatever_held.update(chosen)
    triggers_of: dict[str, set[bytes]] = {}
    for chosen, triggers in triggers_by.items():
        for path in chosen - whatever_held:
            known = triggers_of.get(path)
            if known is None:
                triggers_of[path] = set(triggers)
            else:
                known.update(triggers)
    for path, found in triggers_of.items():
        scope[path] = tuple(sorted(found))
    scope.update(dict.fromkeys(whatever_held))
    return scope
