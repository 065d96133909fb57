"""The command line: parse options, call the engine, pick a reporter, choose the exit code.

Exit codes: 0 clean, 1 findings, 2 usage, configuration or internal error. One module per
command family: ``check`` (the run and its filters), ``commands`` (baseline, graph, rules,
explain, init); ``common`` holds what they share.
"""

from __future__ import annotations

import sys

import click

from archlint import __version__
from archlint.cli.check import check
from archlint.cli.commands import explain, graph, init, list_rules, write_baseline
from archlint.cli.common import EXIT_CLEAN, EXIT_ERROR
from archlint.errors import ArchlintError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="archlint")
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
def cli(debug: bool) -> None:
    """archlint: an architecture linter for layered full-stack repositories."""


for _command in (check, write_baseline, graph, list_rules, explain, init):
    cli.add_command(_command)


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
