"""The command line: parse options, call the engine, pick a reporter, choose the exit code.

Exit codes: 0 clean, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from archlint import __version__, fastpath
from archlint.errors import ArchlintError, UsageError

if TYPE_CHECKING:  # pathlib costs ~5 ms to import: the replay path does without it
    from pathlib import Path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split_tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select AL1,layers --select AL104`` -> ("AL1", "layers", "AL104")."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def _start_folder(paths: tuple[str, ...]) -> str:
    """Where the search for the configuration starts: the first PATH's folder, or here."""
    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"path '{path}' does not exist")
    start = os.path.realpath(paths[0] if paths else ".")
    return start if os.path.isdir(start) else os.path.dirname(start)


def _default_root(paths: tuple[str, ...]) -> str | None:
    """The project root when no config is found, if not the start folder: for files only
    (a pre-commit hook passes the staged files), the current directory when it holds them
    all, so that they are checked within the whole project's graph."""
    if not paths or any(os.path.isdir(path) for path in paths):
        return None
    here = os.path.realpath(".")
    inside = all(os.path.realpath(p).startswith(here.rstrip(os.sep) + os.sep) for p in paths)
    return here if inside else None


def _locate(
    start_folder: str, config_file: str | None, root: str | None, default_root: str | None = None
) -> tuple[Path | None, Path, list[str]]:
    """(config file, project root, config candidates looked at on the way)."""
    from pathlib import Path

    from archlint.config.load import CONFIG_FILES, find_config

    start = Path(start_folder)
    looked_at: list[str] = []
    if config_file is not None:
        config_path: Path | None = Path(config_file).resolve()
        assert config_path is not None
        if not config_path.is_file():
            raise UsageError(f"config file '{config_file}' does not exist")
        looked_at.append(str(config_path))
    else:
        config_path = find_config(start)
        for folder in (start, *start.parents):
            for name in CONFIG_FILES:
                candidate = folder / name
                looked_at.append(str(candidate))
                if candidate == config_path:
                    break
            if config_path is not None and folder == config_path.parent:
                break
    if root is not None:
        project_root = Path(root).resolve()
        if not project_root.is_dir():
            raise UsageError(f"root '{root}' is not a directory")
    elif config_path is not None:
        project_root = config_path.parent
    else:
        project_root = Path(default_root) if default_root else start
    return config_path, project_root, looked_at


def _relative_paths(paths: tuple[str, ...], project_root: str) -> list[str]:
    """PATHs relative to the root, to limit findings to; empty for the whole project."""
    only: list[str] = []
    for path in paths:
        resolved = os.path.realpath(path)
        if resolved != project_root and not resolved.startswith(project_root.rstrip(os.sep) + os.sep):
            raise UsageError(f"path '{path}' is outside the project root '{project_root}'")
        relative = os.path.relpath(resolved, project_root).replace(os.sep, "/")
        if relative == ".":
            return []
        only.append(relative)
    return only


def _resolve_project(paths: tuple[str, ...], config_file: str | None, root: str | None):
    """The configuration and the paths (relative to the root) that findings must touch."""
    from archlint.config.load import load_config

    config_path, project_root, _ = _locate(_start_folder(paths), config_file, root, _default_root(paths))
    config = load_config(config_path, project_root)
    return config, _relative_paths(paths, str(project_root))


def _write_output(text: str, output: str | None, color: bool = False) -> None:
    """Print, or write the file atomically so a reader never sees half a report."""
    if output is None:
        click.echo(text, nl=False, color=color)  # click strips colour off a TTY otherwise
        return
    from pathlib import Path

    target = Path(output)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write '{output}': directory '{directory}' does not exist")
    from archlint.atomic import write_atomic

    write_atomic(target, text.encode("utf-8"))


def _use_color(output: str | None) -> bool:
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="archlint")
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
def cli(debug: bool) -> None:
    """archlint: an architecture linter for layered full-stack repositories."""


_config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), default=None,
    help="Config file (archlint.toml or pyproject.toml); default: searched upward.",
)  # fmt: skip
_root_option = click.option(
    "--root", type=click.Path(file_okay=False), default=None,
    help="Project root; default: the config file's directory, else PATH.",
)  # fmt: skip


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_config_option
@_root_option
@click.option("--format", "output_format", default="text", show_default=True,
              type=click.Choice(["text", "json", "sarif", "github", "junit"]),
              help="Output format.")  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to FILE (atomically) instead of stdout.")  # fmt: skip
@click.option("--no-cache", is_flag=True, help="Neither read nor write .archlint_cache/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing [default: CPU count].")  # fmt: skip
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
    key = fastpath.invocation_key(
        os.path.realpath(config_file) if config_file else None,
        os.path.realpath(root) if root else None,
        # select and ignore decide which rules run at all: part of what a run computed.
        "\0".join((__version__, ",".join(sorted(_split_tokens(select))),
                   ",".join(sorted(_split_tokens(ignore))))),  # fmt: skip
    )

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
        from archlint import progress

        # A bar on a terminal for a run longer than a second; never in a pipe or a file.
        with progress.shown(sys.stderr, progress.wanted(sys.stderr, quiet)):
            result = engine.check(
                config, use_cache=not no_cache, jobs=jobs,
                select=_split_tokens(select) or config.select,
                ignore=(*config.ignore, *_split_tokens(ignore)),
            )  # fmt: skip
        all_findings, files, notes = result.all_findings, result.files, result.notes
        if not no_cache:
            _remember_run(key, config, looked_at, result)
    findings = rule_filter.apply(all_findings)
    # archlint.baseline costs ~2 ms to import: a warm run without a baseline does without it.
    default_baseline = os.path.join(project_root, ".archlint-baseline.json")
    if baseline_file or update_baseline or (not no_baseline and os.path.isfile(default_baseline)):
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


@cli.command("baseline")
@click.argument("path", required=False, type=click.Path())
@_config_option
@_root_option
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="Write FILE [default: .archlint-baseline.json at the project root].")  # fmt: skip
@click.option("--no-cache", is_flag=True, help="Neither read nor write .archlint_cache/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing [default: CPU count].")  # fmt: skip
def write_baseline(
    path: str | None, config_file: str | None, root: str | None, baseline_file: str | None,
    no_cache: bool, jobs: int | None,
) -> int:  # fmt: skip
    """Record the project's findings in a baseline: `check` then reports only new ones."""
    from archlint import engine
    from archlint.baseline import record

    # PATH finds the project, as for `graph`: a baseline always covers the whole of it.
    config, _ = _resolve_project((path,) if path else (), config_file, root)
    result = engine.check(config, use_cache=not no_cache, jobs=jobs,
                          select=config.select, ignore=config.ignore)  # fmt: skip
    click.echo(record(result.findings, str(config.root), baseline_file))
    return EXIT_CLEAN


@cli.command()
@click.argument("path", required=False, type=click.Path())
@_config_option
@_root_option
@click.option("--format", "output_format", type=click.Choice(["json", "dot", "mermaid", "html"]),
              default="json", show_default=True, help="Output format.")  # fmt: skip
@click.option("--collapse", type=click.IntRange(min=1), default=None, metavar="DEPTH",
              help="Fold modules into their packages DEPTH dotted segments deep.")  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of stdout.")  # fmt: skip
@click.option("--no-cache", is_flag=True, help="Neither read nor write .archlint_cache/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing [default: CPU count].")  # fmt: skip
def graph(
    path: str | None,
    config_file: str | None,
    root: str | None,
    output_format: str,
    collapse: int | None,
    output: str | None,
    no_cache: bool,
    jobs: int | None,
) -> int:
    """Print the import graph of a project (dot, mermaid, html: violations in red)."""
    from archlint import engine
    from archlint.render.violations import draw, graph_findings

    config, _ = _resolve_project((path,) if path else (), config_file, root)
    findings: list = []
    if output_format != "json":  # the pictures colour the imports that break a contract
        findings, notes = graph_findings(config, use_cache=not no_cache, jobs=jobs)
        for note in notes:
            click.echo(f"note: {note}", err=True)
    project = engine.load_project(config, use_cache=not no_cache, jobs=jobs)
    _write_output(draw(config, project.graph, output_format, collapse, findings), output)
    return EXIT_CLEAN


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")  # fmt: skip
def list_rules(output_format: str) -> int:
    """List every rule and contract type: code, name, default severity, summary."""
    from archlint.rules import all_rules

    rules = all_rules()
    if output_format == "json":
        import json

        document = [
            {
                "code": r.code, "name": r.name, "severity": r.severity, "enabled": r.enabled,
                "summary": r.summary, "options": dict(r.options),
            }
            for r in rules
        ]  # fmt: skip
        click.echo(json.dumps(document, indent=2))
        return EXIT_CLEAN
    width = max(len(r.name) for r in rules)
    for rule in rules:
        summary = rule.summary if len(rule.summary) <= 72 else rule.summary[:71].rstrip() + "…"
        off = " (off by default)" if not rule.enabled else ""
        click.echo(f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {summary}{off}")
    return EXIT_CLEAN


@cli.command()
@click.argument("rule")
def explain(rule: str) -> int:
    """Show a rule's documentation, by code (AL101) or name (layers)."""
    import difflib

    from archlint.rules import all_rules, find_rule

    found = find_rule(rule)
    if found is None:
        known = [r.code for r in all_rules()] + [r.name for r in all_rules()]
        close = difflib.get_close_matches(rule, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UsageError(f"unknown rule '{rule}'{hint}; `archlint rules` lists them")
    click.echo(f"# {found.name} ({found.code})\n")
    click.echo(f"Default severity: {found.severity}" + ("" if found.enabled else "; off by default"))
    if found.options:
        options = ", ".join(f"{key} = {value!r}" for key, value in found.options)
        click.echo(f"Options ([rules.{found.name}]): {options}")
    click.echo("")
    click.echo(found.doc)
    return EXIT_CLEAN


@cli.command("init")
@click.argument("path", required=False, default=".", type=click.Path())
@click.option("--force", is_flag=True,
              help="Replace an existing config (with --template: copy into a non-empty DIR).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Print the config instead of writing it.")
@click.option("--template", type=click.Choice(["reference"]), default=None,
              help="Copy a bundled example project into PATH instead.")  # fmt: skip
def init(path: str, force: bool, dry_run: bool, template: str | None) -> int:
    """Detect a project's languages and layout and write its archlint.toml."""
    if template is not None:
        from pathlib import Path

        from archlint.init.template import copy_template

        files = copy_template(template, Path(path), force, dry_run)
        for relpath in files if dry_run else ():
            click.echo(relpath)
        done = "would copy" if dry_run else "copied"
        click.echo(f"archlint init: {done} the {template} template ({len(files)} files) into "
                   f"{path}; then: archlint check {path}", err=True)  # fmt: skip
        return EXIT_CLEAN
    from archlint.init import run_init

    run_init(path, force=force, dry_run=dry_run, echo=lambda line: click.echo(line, err=True),
             out=lambda text: click.echo(text, nl=False))  # fmt: skip
    return EXIT_CLEAN


def main(argv: list[str] | None = None) -> None:
    """Console entry point: turns every outcome into an exit code, tracebacks only on --debug."""
    args = sys.argv[1:] if argv is None else argv
    try:
        code = cli.main(args=args, prog_name="archlint", standalone_mode=False)
    except click.exceptions.Exit as exit_:
        code = exit_.exit_code
    except click.ClickException as error:
        error.show()
        code = EXIT_ERROR
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("archlint: interrupted", err=True)
        code = 130
    except ArchlintError as error:
        click.echo(f"archlint: error: {error}", err=True)
        code = error.exit_code
    except BrokenPipeError:
        code = EXIT_ERROR
    except Exception as error:  # a bug in archlint: one line, the traceback on request
        if "--debug" in args:
            import traceback

            traceback.print_exc()
        click.echo(
            f"archlint: internal error: {type(error).__name__}: {error} "
            "(run with --debug for the traceback)",
            err=True,
        )
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
