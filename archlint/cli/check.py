"""`archlint check`: the run, the baseline and changed-files filters, the report, --watch."""

from __future__ import annotations

import os
import sys

import click

from archlint import fastpath
from archlint.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    _config_option,
    _default_root,
    _jobs_option,
    _locate,
    _no_cache_option,
    _relative_paths,
    _root_option,
    _split_tokens,
    _start_folder,
    _write_output,
)
from archlint.locate import use_color as _use_color
from archlint.locate import uses_baseline
from archlint.errors import UsageError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_config_option
@_root_option
@click.option("--format", "output_format", default="text", show_default=True,
              type=click.Choice(["text", "json", "sarif", "github", "junit"]),
              help="Output format.")  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to FILE (atomically) instead of stdout.")  # fmt: skip
@_no_cache_option
@_jobs_option
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules: codes, code prefixes or names (comma-separated).")  # fmt: skip
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip these rules: codes, code prefixes or names (comma-separated).")  # fmt: skip
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary or notes.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="Baseline file [default: .archlint-baseline.json at the root, if any].")  # fmt: skip
@click.option("--no-baseline", is_flag=True, help="Report every finding, baselined or not.")
@click.option("--update-baseline", is_flag=True,
              help="Drop baseline entries that no longer occur (never adds any).")  # fmt: skip
@click.option("--changed-since", metavar="REF", default=None,
              help="Report only findings touching files changed since git REF.")  # fmt: skip
@click.option("--add-suppressions", is_flag=True,
              help="Write an inline suppression comment for every finding.")  # fmt: skip
@click.option("--watch", is_flag=True, help="Check again whenever a file changes (Ctrl-C ends).")
def check(
    paths: tuple[str, ...],
    config_file: str | None,
    root: str | None,
    output_format: str,
    output: str | None,
    no_cache: bool,
    jobs: int | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exit_zero: bool,
    statistics: bool,
    quiet: bool,
    baseline_file: str | None,
    no_baseline: bool,
    update_baseline: bool,
    changed_since: str | None,
    add_suppressions: bool,
    watch: bool,
) -> int:
    """Check a project (default: the current directory) against its contracts and rules."""
    if watch:
        return _watch(paths, config_file, root, add_suppressions or update_baseline)
    from archlint.findings import Finding
    from archlint.reporters import WITH_RULES, Report, RuleDoc, get_reporter
    from archlint.rules.selection import RuleFilter

    start = _start_folder(paths)
    key = fastpath.check_key(config_file, root, _split_tokens(select), _split_tokens(ignore))

    # The command line's --select replaces the config's; --ignore adds to it.
    def rules_for(config_select: tuple[str, ...], config_ignore: tuple[str, ...]) -> RuleFilter:
        if select or ignore:  # the command line's tokens: checked on every run
            RuleFilter(_split_tokens(select), _split_tokens(ignore))
        chosen = _split_tokens(select) or config_select
        return RuleFilter(chosen, (*config_ignore, *_split_tokens(ignore)), validate=False)

    replayed = None if no_cache else fastpath.replay(start, key, config_file is None)
    if replayed is not None:
        # Nothing the last identical run looked at has changed: its findings still hold.
        project_root, records, files, notes, config_select, config_ignore = replayed
        rule_filter = rules_for(config_select, config_ignore)
        all_findings = [Finding.from_record(record) for record in records]
        only_paths = _relative_paths(paths, project_root)
        changed = _changed_files(project_root, changed_since)
    else:
        from archlint import engine
        from archlint.config.load import load_config

        config_path, root_path, looked_at = _locate(start, config_file, root, _default_root(paths))
        config = load_config(config_path, root_path)
        rule_filter = rules_for(config.select, config.ignore)  # bad codes: exit before work
        only_paths = _relative_paths(paths, str(root_path))
        project_root = str(root_path)
        changed = _changed_files(project_root, changed_since)  # a bad REF: exit before work
        # The one-file rules judge only the changed files, unless a baseline is matched
        # (it needs every finding to tell which of its entries are gone).
        with_baseline = uses_baseline(project_root, baseline_file, no_baseline, update_baseline)
        only_files = changed if changed is not None and not with_baseline else None
        from archlint import progress

        # A bar on a terminal for a run longer than a second; never in a pipe or a file.
        with progress.shown(sys.stderr, progress.wanted(sys.stderr, quiet)):
            result = engine.check(
                config, use_cache=not no_cache, jobs=jobs,
                select=_split_tokens(select) or config.select,
                ignore=(*config.ignore, *_split_tokens(ignore)), only_files=only_files,
            )  # fmt: skip
        all_findings, files, notes = result.all_findings, result.files, result.notes
        if not no_cache and only_files is None:  # a partial run is no answer to replay
            _remember_run(key, config, looked_at, result)
    findings = rule_filter.apply(all_findings)
    # archlint.baseline costs ~2 ms to import: a warm run without a baseline does without it.
    if uses_baseline(project_root, baseline_file, no_baseline, update_baseline):
        from archlint.baseline import honour, resolve_path

        baseline = resolve_path(project_root, baseline_file, no_baseline, update_baseline)
        if baseline is not None:  # matched on the whole project: "no longer occurs" is true
            findings, baseline_notes = honour(findings, project_root, baseline,
                                              rule_filter.enabled, update_baseline)  # fmt: skip
            notes = [*notes, *baseline_notes]
    findings = rule_filter.apply(findings, only_paths)
    if changed is not None:
        from archlint.changes import touches_changed

        findings = [f for f in findings if touches_changed(f, changed)]
    if add_suppressions:  # what is reported (and decides the exit code) is what is left
        from archlint.add_suppressions import add_suppressions as write_suppressions

        added, findings = write_suppressions(project_root, findings, only_paths)
        click.echo(f"archlint: added {added} suppression{'' if added == 1 else 's'}", err=True)
    if not quiet:
        for note in notes:
            click.echo(f"note: {note}", err=True)
    color = _use_color(output) and output_format == "text"
    rule_docs: tuple[RuleDoc, ...] = ()
    if output_format in WITH_RULES:  # the catalogue imports every rule: only when it is used
        from archlint.rules import all_rules

        rule_docs = tuple(RuleDoc(r.code, r.name, r.severity, r.summary, r.doc, r.enabled)
                          for r in all_rules())  # fmt: skip
    report = Report(findings, files, color=color, statistics=statistics, quiet=quiet,
                    root=project_root, rules=rule_docs)  # fmt: skip
    _write_output(get_reporter(output_format)(report), output, color)
    return EXIT_FINDINGS if findings and not exit_zero else EXIT_CLEAN


def _changed_files(project_root: str, ref: str | None) -> frozenset[str] | None:
    if ref is None:
        return None
    from archlint.changes import changed_files

    return changed_files(project_root, ref)


def _remember_run(key: str, config, looked_at: list[str], result) -> None:  # noqa: ANN001
    """Write the manifest that lets the next identical run replay this one (fastpath)."""
    root = str(config.root)
    # Only the candidates from the root upward: the folders between a later start and the
    # root are checked by the replay itself (they must hold no config candidate).
    looked_at = [p for p in looked_at if not p.startswith(root + os.sep) or
                 os.path.dirname(p) == root]  # fmt: skip
    watched_files = [(f.path, (f.size, f.mtime_ns, f.ctime_ns)) for f in result.discovery.files]
    fastpath.record(
        str(config.root),
        key,
        absolute=[(path, fastpath.stat_of(path)) for path in looked_at],
        relative=[
            *result.discovery.watched,
            *watched_files,
            *((p, fastpath.stat_of(os.path.join(root, p))) for p in result.inputs),
        ],
        config_found=config.path is not None,
        findings=[f.to_record() for f in result.all_findings],
        files=result.files,
        notes=list(result.notes),
        select=tuple(config.select),
        ignore=tuple(config.ignore),
    )


def _watch(paths: tuple[str, ...], config_file: str | None, root: str | None, writes: bool) -> int:
    """check --watch: this same command, without --watch, now and after every change."""
    if writes:  # its own edits would trigger the next run, and so on
        raise UsageError("--watch cannot be combined with --add-suppressions or --update-baseline")
    from archlint.watch import watch

    context = click.get_current_context()
    _, project_root, _ = _locate(_start_folder(paths), config_file, root, _default_root(paths))
    params = {**context.params, "watch": False}
    return watch(project_root, lambda: context.invoke(check, **params))
