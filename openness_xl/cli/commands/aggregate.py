"""`openness aggregate APPEALS RECEPTIONS`: the raw records counted into inputs."""
from __future__ import annotations

import sys
import textwrap

from ...core.bodies import registry
from ...texts import count, decimal, text as T
from ..common import (EXIT_INPUT, check_output, emit, load_methodology, output_option, strict_option, terminal_width,
                      warn)


def define(command) -> None:
    """The options of `aggregate`, beside its handler."""
    command.add_argument("appeals", help=T("cli.aggregate.appeals"))
    command.add_argument("receptions", help=T("cli.aggregate.receptions"))
    output_option(command)
    command.add_argument("--mapping", help=T("cli.aggregate.mapping"))
    command.add_argument("--plans", help=T("cli.aggregate.plans"))
    command.add_argument("--calendar", metavar="FILE", help=T("cli.aggregate.calendar"))
    strict_option(command, "cli.aggregate.strict")
    command.add_argument("--explain", nargs=2, metavar=("BODY", "INDICATOR"), help=T("cli.aggregate.explain"))
    command.add_argument("--limit", type=int, default=100, help=T("cli.aggregate.limit"))


def run(args) -> int:
    """The command itself: its exit code."""
    import time

    from ...records.calendar import CalendarAhead, calendar_notes, load_overrides
    from ...records.explain import explain
    from ...records.pipeline import aggregate
    from ...records.schema import load_mapping

    check_output(args, "csv")
    methodology = load_methodology(args)
    bodies = registry(args.year)
    mapping = load_mapping(args.mapping)
    overrides = load_overrides(args.calendar) if args.calendar else load_overrides()
    if args.explain:
        for note in calendar_notes(methodology.year, overrides):
            warn(note)
        body, indicator_id = args.explain
        emit(explain(args.appeals, args.receptions, methodology, bodies, mapping, body, indicator_id, args.limit,
                      overrides), args, "csv")
        return 0
    plans = None
    if args.plans:
        from ...records.plans import read_plans

        plans = read_plans(args.plans, bodies, methodology)
    started = time.perf_counter()
    calendar = CalendarAhead(methodology.year, overrides)
    result = aggregate(args.appeals, args.receptions, methodology, bodies, mapping, plans,
                       progress=sys.stderr.isatty(), overrides=overrides, calendar=calendar)
    # What the working-day calendar of the year does not know for sure, before what was counted.
    for note in calendar.notes():
        warn(note)
    problems = _told(args, methodology, result, time.perf_counter() - started)
    dropped = [table for table, read in result.records.items() if read and not result.used.get(table)]
    if dropped:  # a wholesale mismatch (another year's extract, a wrong mapping): nothing to write
        for table in dropped:
            warn(T("messages.all_dropped", table=T(f"records.table.{table}"), records=count(result.records[table], "record"),
                    year=methodology.year), "error")
        return EXIT_INPUT
    for table, codes in result.without.items():
        if codes:
            warn(T("messages.no_records", table=T(f"records.table.{table}"), bodies=count(len(codes), "body_of"),
                    codes=", ".join(codes)), "note")
    if not plans:
        warn(T("messages.no_plans"), "note")
    unplanned = [code for code in result.inputs if plans and code not in plans]
    if unplanned:
        warn(T("messages.unplanned", file=args.plans, codes=", ".join(unplanned)), "error" if args.strict else "warning")
    if args.strict and (problems or unplanned):
        return EXIT_INPUT
    emit(result.csv(methodology, bodies), args, "csv")
    return 0


def _told(args, methodology, result, elapsed: float) -> list[str]:
    """What the aggregation noticed, on standard error: the readers' notes, the records left
    out (errors with --strict), what was counted and how fast, and the unanswered appeals
    past their deadline. The lines of records left out."""
    from ...records.pipeline import period_end

    for note in result.notes:
        warn(note)
    problems = result.appeal_problems.lines("appeals") + result.reception_problems.lines("receptions")
    for line in problems:
        warn(line, "error" if args.strict else "warning")
    summary = T("messages.aggregated", appeals=count(result.records["appeals"], "appeal"),
                receptions=count(result.records["receptions"], "reception_request"),
                bodies=count(len(result.inputs), "body_of"), seconds=decimal(f"{elapsed:.1f}"))
    print("\n".join(textwrap.wrap(summary, terminal_width(), subsequent_indent="  ")), file=sys.stderr)
    for table, rows in result.empty.items():
        if rows:
            warn(T("messages.empty_rows", table=T(f"records.table.{table}"), rows=count(rows, "empty_row")), "note")
    if result.overdue_unanswered:
        warn(T("messages.overdue_unanswered" if result.overdue_counted else "messages.overdue_left_out",
                appeals=count(result.overdue_unanswered, "appeal"), end=period_end(methodology).strftime("%d.%m.%Y")), "note")
    return problems
