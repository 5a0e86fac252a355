"""`openness reconcile`: the published tables against the recomputed ones."""
from __future__ import annotations

from pathlib import Path

from ...texts import text as T
from ..common import (EXIT_FINDINGS, EXIT_OK, ROWS, check_output, emit, format_option, load_methodology, output_option,
                      strict_option)


def define(command) -> None:
    """The options of `reconcile`, beside its handler."""
    command.add_argument("--published", metavar="DIR", help=T("cli.reconcile.published"))
    format_option(command)
    command.add_argument("--new", action="store_true", help=T("cli.reconcile.new"))
    strict_option(command, "cli.reconcile.strict")
    output_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...io.writing import csv_text
    from ...analyses.reconcile import CSV_COLUMNS, finding_rows, reconcile, render_text, tables_named

    methodology = load_methodology(args)
    check_output(args, args.format)
    source = Path(args.published) if args.published else args.year
    result = reconcile(methodology, source)
    if args.format in ROWS:
        text = csv_text(CSV_COLUMNS, finding_rows(result))
    else:
        text = render_text(result, tables_named(args.published, args.year), Path(methodology.path).name,
                           new_only=args.new)
    emit(text, args, args.format)
    # A new finding fails the run; --strict fails on documented report errors too.
    return EXIT_FINDINGS if result.new or (args.strict and result.findings) else EXIT_OK
