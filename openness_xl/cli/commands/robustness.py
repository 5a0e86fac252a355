"""`openness robustness [INPUT]`: how firm each place is under other weights."""
from __future__ import annotations

import sys

from ...io.writing import atomic_write
from ...texts import language, text as T, using
from ..common import (ROWS, check_output, emit, format_option, input_option, lang_option, load_methodology,
                      load_submissions, output_format, output_option, read_files, text_width)


def define(command) -> None:
    """The options of `robustness`, beside its handler."""
    input_option(command)
    command.add_argument("--samples", type=int, help=T("cli.robustness.samples"))
    command.add_argument("--seed", type=int, help=T("cli.robustness.seed"))
    format_option(command)
    output_option(command)
    command.add_argument("--plot", metavar="PNG", help=T("cli.robustness.plot"))
    lang_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...analyses import robustness, robustness_tables

    methodology = load_methodology(args)
    check_output(args, args.format)
    if args.plot:
        output_format(args.plot, "png")
    result = robustness.analyse(methodology, load_submissions(args, methodology), args.samples, args.seed,
                               progress=None)
    labels = {code: methodology.body_type_label(code, language()) for code in methodology.body_types}
    text = (robustness_tables.render_csv(result) if args.format in ROWS
            else robustness_tables.render_text(methodology, result, labels, text_width(args)))
    emit(text, args, args.format)
    if args.plot:
        from ...documents.robustness import rank_intervals

        with using(args.lang):
            picture = rank_intervals(methodology, result)
        atomic_write(args.plot, picture, protect=read_files(args))
        print(T("messages.wrote", path=args.plot), file=sys.stderr)
    return 0
