"""`openness scores [INPUT]`: every body's scores as CSV, JSON, a table or a workbook."""
from __future__ import annotations

import sys

from ...core.bodies import registry
from ...io.writing import atomic_write, score_columns, score_rows, scores_csv, scores_table
from ...texts import language, text as T
from ..common import (EXIT_INPUT, ROWS, check_output, complete, emit, format_option, input_option, lang_option,
                      load_methodology, load_submissions, output_option, read_files, strict_option, text_width,
                      warn)


def define(command) -> None:
    """The options of `scores`, beside its handler."""
    input_option(command)
    format_option(command, ("csv", "json", "table"), "csv", "cli.scores.format")
    command.add_argument("--wide", action="store_true", help=T("cli.scores.wide"))
    command.add_argument("--excel-csv", action="store_true", help=T("cli.scores.excel_csv"))
    output_option(command)
    strict_option(command, "cli.scores.strict")
    lang_option(command, "cli.scores.lang")


def run(args) -> int:
    """The command itself: its exit code."""
    from ...core.scoring import evaluate

    methodology = load_methodology(args)
    chosen = check_output(args, args.format, also=("xlsx",))
    results = evaluate(methodology, load_submissions(args, methodology), assessed=registry(args.year))
    names = {b.code: b.name(language()) for b in registry(args.year)}
    if not complete(args, methodology, results) and args.strict:
        warn(T("messages.strict_missing"), "error")
        return EXIT_INPUT
    if chosen == "xlsx":
        from ...workbooks.scores import write_scores

        atomic_write(args.output, write_scores(methodology, results, args.lang), protect=read_files(args))
        return 0
    if args.format in ROWS:
        if args.excel_csv:
            from ...io.writing import excel_csv

            data = excel_csv(score_columns(methodology), score_rows(methodology, results))
            if args.output and args.output != "-":
                atomic_write(args.output, data, protect=read_files(args))
            else:
                sys.stdout.buffer.write(data)
            return 0
        emit(scores_csv(methodology, results), args, args.format)
        return 0
    emit(scores_table(methodology, results, names, wide=args.wide, width=text_width(args)), args, args.format)
    return 0
