"""`openness appeal template|apply|report`: the appeal log, applied or reported."""
from __future__ import annotations

import sys

from ...core.bodies import registry
from ...io.writing import atomic_write
from ...texts import count, text as T
from ..common import (ROWS, check_output, emit, format_option, input_option, lang_option, load_methodology,
                      load_submissions, output_option, read_files, warn)


def define(command) -> None:
    """The options of `appeal`, beside its handler."""
    command.add_argument("action", choices=["template", "apply", "report"], help=T("cli.appeal.action"))
    input_option(command, "cli.appeal.input")
    command.add_argument("log", nargs="?", help=T("cli.appeal.log"))
    format_option(command, help_key="cli.appeal.format")
    output_option(command, "cli.appeal.output")
    lang_option(command, "cli.appeal.lang")


def run(args) -> int:
    """The command itself: its exit code."""
    from ...analyses import appeal

    methodology = load_methodology(args)
    bodies = registry(args.year)
    # One command with three actions: what each needs is checked here, with the usage in words.
    if args.action == "template" and (args.input or args.log or not args.output):
        raise ValueError(T("messages.appeal_template_alone"))
    if args.action != "template" and not (args.input and args.log):
        raise ValueError(T("messages.appeal_needs_files", action=args.action))
    if args.action == "apply" and not args.output:
        raise ValueError(T("messages.appeal_apply_output"))
    if args.action == "template":
        chosen = check_output(args, "csv", also=("xlsx",))
        if chosen == "xlsx":
            from ...workbooks.appeal_log import write_appeal_log

            atomic_write(args.output, write_appeal_log(methodology, bodies, lang=args.lang), protect=read_files(args))
        else:
            atomic_write(args.output, appeal.template_csv().encode("utf-8"), protect=read_files(args))
        print(T("messages.wrote", path=args.output))
        return 0
    chosen = check_output(args, "csv" if args.action == "apply" else args.format, also=("xlsx",))
    submissions = load_submissions(args, methodology)
    noticed: list[str] = []
    appeals = appeal.read_log(args.log, noticed)
    for warning in noticed:
        warn(warning)
    if args.action == "apply":
        final, applied = appeal.apply(methodology, bodies, submissions, appeals, str(args.log))
        if chosen == "xlsx":
            from ...workbooks.template import write_template

            data = write_template(methodology, bodies, final, args.lang)
        else:
            data = appeal.final_csv(methodology, final).encode("utf-8")
        atomic_write(args.output, data, protect=read_files(args))
        print(T("messages.wrote_what", path=args.output, what=T("messages.appeals_applied", applied=len(applied),
                                                                 appeals=count(len(appeals), "appeal_filed"))), file=sys.stderr)
        return 0
    effects = appeal.effects(methodology, bodies, submissions, appeals, str(args.log))
    if chosen == "xlsx":
        from ...workbooks.table import write_table

        atomic_write(args.output, write_table("Обжалования: эффект", "Обжалования", appeal.REPORT_COLUMNS,
                                              appeal.report_rows(effects)), protect=read_files(args))
        return 0
    emit(appeal.report_csv(effects) if args.format in ROWS else appeal.render_report(effects), args, args.format)
    return 0
