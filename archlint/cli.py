"""The command line: parse options, call the engine, pick a reporter, choose the exit code.

Exit codes: 0 clean, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from archlint import __version__
from archlint.errors import ArchlintError, UsageError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split_tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select AL1,layers --select AL104`` -> ("AL1", "layers", "AL104")."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def _resolve_project(paths: tuple[str, ...], config_file: str | None, root: str | None):
    """The configuration and the paths (relative to the root) that findings must touch."""
    from archlint.config.load import find_config, load_config

    for path in paths:
        if not os.path.exists(path):
            raise UsageError(f"path '{path}' does not exist")
    start = Path(paths[0] if paths else ".").resolve()
    if config_file is not None:
        config_path: Path | None = Path(config_file).resolve()
        if not config_path.is_file():
            raise UsageError(f"config file '{config_file}' does not exist")
    else:
        config_path = find_config(start)
    if root is not None:
        project_root = Path(root).resolve()
        if not project_root.is_dir():
            raise UsageError(f"root '{root}' is not a directory")
    elif config_path is not None:
        project_root = config_path.parent
    else:
        project_root = start if start.is_dir() else start.parent
    config = load_config(config_path, project_root)
    only: list[str] = []
    for path in paths:
        resolved = Path(path).resolve()
        try:
            relative = resolved.relative_to(project_root).as_posix()
        except ValueError:
            raise UsageError(
                f"path '{path}' is outside the project root '{project_root}'"
            ) from None
        if relative == ".":
            return config, []  # the whole project
        only.append(relative)
    return config, only


def _write_output(text: str, output: str | None, color: bool = False) -> None:
    """Print, or write the file atomically so a reader never sees half a report."""
    if output is None:
        click.echo(text, nl=False, color=color)  # click strips colour off a TTY otherwise
        return
    target = Path(output)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise UsageError(f"cannot write '{output}': directory '{directory}' does not exist")
    import tempfile  # only here: it costs ~10 ms to import

    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")  # fmt: skip
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
) -> int:
    """Check a project (default: the current directory) against its contracts and rules."""
    from archlint import engine
    from archlint.reporters import Report, get_reporter

    config, only_paths = _resolve_project(paths, config_file, root)
    # The command line's --select replaces the config's; --ignore adds to it.
    chosen = _split_tokens(select) or config.select
    ignored = (*config.ignore, *_split_tokens(ignore))
    result = engine.check(
        config, use_cache=not no_cache, jobs=jobs, select=chosen, ignore=ignored,
        only_paths=only_paths,
    )  # fmt: skip
    if not quiet:
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
    color = _use_color(output) and output_format == "text"
    report = Report(result.findings, result.files, color=color, statistics=statistics, quiet=quiet)
    _write_output(get_reporter(output_format)(report), output, color)
    return EXIT_FINDINGS if result.findings and not exit_zero else EXIT_CLEAN


@cli.command()
@click.argument("path", required=False, type=click.Path())
@_config_option
@_root_option
@click.option("--format", "output_format", type=click.Choice(["json", "dot", "mermaid"]),
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
    """Print the import graph of a project."""
    from archlint import engine
    from archlint.render import collapse as collapse_graph
    from archlint.render import get_renderer

    config, _ = _resolve_project((path,) if path else (), config_file, root)
    project = engine.load_project(config, use_cache=not no_cache, jobs=jobs)
    import_graph = project.graph
    if collapse is not None:
        import_graph = collapse_graph(import_graph, collapse)
    _write_output(get_renderer(output_format)(import_graph), output)
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
