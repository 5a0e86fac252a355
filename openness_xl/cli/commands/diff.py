"""`openness diff OLD NEW`: what changed between two versions of the inputs."""
from __future__ import annotations

from pathlib import Path

from ...core.bodies import registry
from ...io.writing import atomic_write
from ...texts import text as T
from ..common import (EXIT_FINDINGS, EXIT_OK, ROWS, check_output, emit, format_option, load_methodology, output_option,
                      read_files, text_width, warn)


def define(command) -> None:
    """The options of `diff`, beside its handler."""
    command.add_argument("old", help=T("cli.diff.old"))
    command.add_argument("new", help=T("cli.diff.new"))
    format_option(command)
    output_option(command, "cli.diff.output")


def run(args) -> int:
    """The command itself: its exit code."""
    from ...analyses import diff

    methodology = load_methodology(args)
    chosen = check_output(args, args.format, also=("xlsx",))
    result = diff.between_files(methodology, registry(args.year), args.old, args.new)
    for warning in result.warnings:
        warn(warning)
    if chosen == "xlsx":
        from ...workbooks.table import write_table

        data = write_table(f"{Path(args.old).name} → {Path(args.new).name}", "Изменения", diff.CSV_COLUMNS,
                           diff.rows(result))
        atomic_write(args.output, data, protect=read_files(args))
    else:
        text = diff.render_csv(result) if args.format in ROWS else diff.render_text(
            result, Path(args.old).name, Path(args.new).name, text_width(args))
        emit(text, args, args.format)
    return EXIT_FINDINGS if result.changed else EXIT_OK  # like diff(1): 1 means the versions differ
