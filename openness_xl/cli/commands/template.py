"""`openness template [INPUT] -o FILE`: the input template, blank or prefilled."""
from __future__ import annotations

from ...core.bodies import registry
from ...io.writing import atomic_write
from ...texts import count, text as T
from ..common import (check_output, input_option, lang_option, load_methodology, load_submissions, output_option,
                      read_files)


def define(command) -> None:
    """The options of `template`, beside its handler."""
    input_option(command, "cli.template.input")
    output_option(command, "common.output_xlsx", required=True)
    lang_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...workbooks.template import write_template

    methodology = load_methodology(args)
    check_output(args, "xlsx")
    submissions = load_submissions(args, methodology) if args.input else ()
    atomic_write(args.output, write_template(methodology, registry(args.year), submissions, args.lang), protect=read_files(args))
    filled = T("messages.prefilled_from", file=args.input) if args.input else ""
    calc = T("sheet.calc", args.lang)
    print(T("messages.wrote_what", path=args.output, what=T("messages.template_written", bodies=count(
        len(registry(args.year)), "body"), filled=filled, calc=calc, year=methodology.year)))
    return 0
