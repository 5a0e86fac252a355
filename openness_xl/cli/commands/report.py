"""`openness report [INPUT] -o FILE`: the report workbook, with its changes and dynamics."""
from __future__ import annotations

from ...core.bodies import registry
from ...io.writing import atomic_write
from ...texts import count, text as T, using
from ..common import (EXIT_INPUT, absent_bodies, check_output, input_option, lang_option, load_methodology, load_submissions,
                      output_option, provenance, read_files, report_departures, warn)


def define(command) -> None:
    """The options of `report`, beside its handler."""
    input_option(command)
    output_option(command, "common.output_xlsx", required=True)
    command.add_argument("--source", help=T("cli.report.source"))
    command.add_argument("--appeals", help=T("cli.report.appeals"))
    command.add_argument("--previous", help=T("cli.report.previous"))
    command.add_argument("--previous-methodology", help=T("cli.report.previous_methodology"))
    lang_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...core.scoring import evaluate

    methodology = load_methodology(args)
    check_output(args, "xlsx")
    submissions = load_submissions(args, methodology)
    results = evaluate(methodology, submissions, assessed=registry(args.year))
    if not results:
        warn(T("messages.nothing_to_report", file=args.input), "error")
        return EXIT_INPUT
    absent_bodies(args, results)
    # Everything that reads and checks files first, so that its errors speak the command line's
    # language; the sheets are then made in the workbook's.
    chain = compared = None
    if args.source or args.appeals:
        from ...analyses.appeal import version_chain

        if not (args.source and args.appeals and args.input):
            raise ValueError(T("messages.source_and_appeals"))
        chain = version_chain(methodology, registry(args.year), args.source, args.appeals, args.input, args.lang)
    if args.previous:
        from dataclasses import replace

        from ...analyses import compare

        # Read and checked in the command line's language; named in the workbook's
        # («2024 (по отчёту за 2025 год)»).
        previous = compare.side(args.previous, args.previous_methodology, args.year)
        with using(args.lang):
            previous = replace(previous, name=compare.side_name(args.previous, args.previous_methodology))
        compared = previous.name, compare.rows(compare.compare(previous, compare.from_results(
            f"{methodology.year}", methodology, results)))
    with using(args.lang):
        data = _report_workbook(args, methodology, submissions, results, chain, compared)
    atomic_write(args.output, data, protect=read_files(args))
    print(T("messages.wrote_what", path=args.output, what=count(len(results), "body")))
    return 0


def _report_workbook(args, methodology, submissions, results, chain, compared) -> bytes:
    """The report's bytes, every sheet made in the language `using` set."""
    from ...workbooks.analyses import analysis_sheets
    from ...workbooks.common import sheet_name
    from ...workbooks.report import write_report
    from ...workbooks.table import Table

    given, tables = provenance(args), []
    if chain is not None:
        rows, (columns, changes) = chain
        given = [*given, *rows]
        tables.append(Table(sheet_name("changes"), T("report.changes_title", kind="files"), columns, changes))
    if compared is not None:
        from ...analyses.compare import CSV_COLUMNS

        previous, rows = compared
        tables.append(Table(sheet_name("dynamics"), T("report.dynamics_title", kind="files", previous=previous,
                                                      year=methodology.year), CSV_COLUMNS, rows))
        given = [*given, (T("report.previous_year", kind="files"), previous)]
    with analysis_sheets(methodology, submissions, results) as analyses:
        return write_report(methodology, results, given, args.year, tables + analyses, lang=args.lang,
                            departures=report_departures(args, methodology, results))
