"""The console entry point: a repeated check answered without the option parser, else the CLI.

A repeated ``archlint check`` whose answer the last identical run already knows (see
archlint/fastpath.py) parses nothing and builds no graph; importing click alone would then
cost more than the rest of the run (~35 of ~60 ms). So the plainest invocations,
``archlint check [PATH ...] [-q|--quiet] [--format text|json]``, are answered here when the
replay holds, with the same findings, notes, output and exit code as the CLI (a test runs
both and compares). Anything else, and any doubt (a baseline to honour, a path outside the
project, an error of any kind), goes to the CLI, which does the full job and says it properly.
"""

from __future__ import annotations

import os
import sys

_FORMATS = ("text", "json")


def _plain_check(args: list[str]) -> tuple[tuple[str, ...], bool, str] | None:
    """(paths, quiet, format) of a plain ``check`` invocation, or None for anything else."""
    if not args or args[0] != "check":
        return None
    paths: list[str] = []
    quiet, output_format = False, "text"
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("-q", "--quiet"):
            quiet = True
        elif arg == "--format":
            output_format = next(rest, "")
        elif arg.startswith("--format="):
            output_format = arg.partition("=")[2]
        elif arg.startswith("-"):
            return None  # any other option: the CLI
        else:
            paths.append(arg)
    if output_format not in _FORMATS:
        return None
    return tuple(paths), quiet, output_format


def quick(args: list[str]) -> int | None:
    """The exit code of a plain check answered from the last identical run, having printed
    its report; None when the CLI must run (nothing was printed then)."""
    plain = _plain_check(args)
    if plain is None or os.environ.get("ARCHLINT_NO_REPLAY"):
        return None
    paths, quiet, output_format = plain
    try:
        from archlint import fastpath
        from archlint.locate import relative_paths, start_folder, use_color, uses_baseline

        start = start_folder(paths)
        replayed = fastpath.replay(start, fastpath.check_key(None, None, (), ()), True)
        if replayed is None:
            return None
        project_root, records, files, notes, config_select, config_ignore = replayed
        if uses_baseline(project_root, None, False, False):
            return None  # a baseline to honour: the CLI's job
        from archlint.findings import Finding
        from archlint.reporters import Report, get_reporter
        from archlint.rules.selection import RuleFilter

        rule_filter = RuleFilter(config_select, config_ignore, validate=False)
        findings = rule_filter.apply([Finding.from_record(record) for record in records])
        findings = rule_filter.apply(findings, relative_paths(paths, project_root))
        color = output_format == "text" and use_color(None)
        report = Report(findings, files, color=color, quiet=quiet, root=project_root)
        text = get_reporter(output_format)(report)
    except Exception:  # noqa: BLE001 - whatever it is, the CLI will say it properly
        return None
    try:
        if not quiet:
            for note in notes:
                sys.stderr.write(f"note: {note}\n")
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        return 2
    return 1 if findings else 0


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    code = quick(args)
    if code is not None:
        sys.exit(code)
    from archlint.cli import main as cli_main

    cli_main(args)


def console() -> None:
    """The ``archlint`` command: :func:`main`, then an exit that skips the interpreter's
    teardown. A run with rules leaves a hundred thousand objects in per-run caches, and
    destroying them one by one after a last garbage collection costs up to a tenth of a
    second, for nothing: the report is written and every worker has been joined. An
    exception other than SystemExit still ends the ordinary way, with its traceback."""
    try:
        main()
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1
    os._exit(code)
