"""The other commands: baseline, graph, rules, explain, init."""

from __future__ import annotations

import click

from archlint.cli.common import (
    EXIT_CLEAN,
    _config_option,
    _jobs_option,
    _no_cache_option,
    _resolve_project,
    _root_option,
    _write_output,
)
from archlint.errors import UsageError


@click.command("baseline")
@click.argument("path", required=False, type=click.Path())
@_config_option
@_root_option
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), default=None,
              help="Write FILE [default: .archlint-baseline.json at the project root].")  # fmt: skip
@_no_cache_option
@_jobs_option
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


@click.command()
@click.argument("path", required=False, type=click.Path())
@_config_option
@_root_option
@click.option("--format", "output_format", type=click.Choice(["json", "dot", "mermaid", "html"]),
              default="json", show_default=True, help="Output format.")  # fmt: skip
@click.option("--collapse", type=click.IntRange(min=1), default=None, metavar="DEPTH",
              help="Fold modules into their packages DEPTH dotted segments deep.")  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of stdout.")  # fmt: skip
@_no_cache_option
@_jobs_option
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
    graph = None
    if output_format != "json":  # the pictures colour the imports that break a contract
        findings, notes, graph = graph_findings(config, use_cache=not no_cache, jobs=jobs)
        for note in notes:
            click.echo(f"note: {note}", err=True)
    if graph is None:  # a JSON graph, or a check answered from its memo: read the project
        graph = engine.load_project(config, use_cache=not no_cache, jobs=jobs).graph
    _write_output(draw(config, graph, output_format, collapse, findings), output)
    return EXIT_CLEAN


@click.command("rules")
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


@click.command()
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


@click.command("init")
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
