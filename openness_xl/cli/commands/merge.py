"""`openness merge FILE… -o FILE`: the bodies' own files as one input."""
from __future__ import annotations

import sys

from ...core.bodies import registry
from ...texts import count, text as T
from ..common import check_output, emit, load_methodology, output_option, warn


def define(command) -> None:
    """The options of `merge`, beside its handler."""
    command.add_argument("files", nargs="+", metavar="FILE", help=T("cli.merge.files"))
    command.add_argument("--prefer", action="append", metavar="FILE", help=T("cli.merge.prefer"))
    output_option(command, "cli.merge.output", required=True)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...analyses.merge import merge

    check_output(args, "csv")
    methodology = load_methodology(args)
    merged = merge(args.files, methodology, registry(args.year), args.prefer or ())
    for warning in merged.warnings:
        warn(warning)
    for line in merged.settled:
        warn(line, "note")
    emit(merged.table, args, "csv")
    entries = sum(len(e) for _, _, e in merged.submissions)
    print(T("merge.done", files=len(args.files), output=args.output, bodies=count(len(merged.submissions), "body"),
            entries=count(entries, "entry")), file=sys.stderr)
    return 0
