"""`openness live [INPUT] -o FILE`: the workbook that scores with the add-in's functions."""
from __future__ import annotations

from ...core.bodies import registry
from ...io.writing import atomic_write
from ...texts import text as T
from ..common import (check_output, input_option, lang_option, load_methodology, load_submissions, output_option,
                      read_files)


def define(command) -> None:
    """The options of `live`, beside its handler."""
    input_option(command)
    output_option(command, "common.output_xlsx", required=True)
    lang_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...workbooks.live import write_live

    methodology = load_methodology(args)
    check_output(args, "xlsx")
    atomic_write(args.output, write_live(methodology, registry(args.year), load_submissions(args, methodology), args.lang),
                 protect=read_files(args))
    print(T("messages.wrote_what", path=args.output, what=T("messages.live_written")))
    return 0
