"""`openness whatif BODY [INPUT] [--to KIND VALUE]`: what it takes to reach a target."""
from __future__ import annotations

from ...core.bodies import registry
from ...texts import text as T
from ..common import (ROWS, check_output, emit, format_option, input_option, load_methodology, load_submissions,
                      output_option, text_width)


def define(command) -> None:
    """The options of `whatif`, beside its handler."""
    command.add_argument("body", help=T("common.body"))
    input_option(command)
    command.add_argument("--to", nargs=2, metavar=("KIND", "VALUE"), help=T("cli.whatif.to"))
    format_option(command)
    output_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...analyses import whatif, whatif_tables

    methodology = load_methodology(args)
    check_output(args, args.format)
    body = registry(args.year).find(args.body).code
    submissions = load_submissions(args, methodology)
    if body not in {b for b, _, _ in submissions}:
        raise ValueError(T("messages.no_data_for_body", body=args.body, source=args.input or T("messages.embedded_scores")))
    rows = whatif.indicator_rows(methodology, submissions, body)
    plans = whatif.plan(methodology, submissions, body, *args.to) if args.to else []
    text = whatif_tables.render_csv(body, rows, plans) if args.format in ROWS else whatif_tables.render_text(
        methodology, body, rows, plans, text_width(args))
    emit(text, args, args.format)
    return 0
