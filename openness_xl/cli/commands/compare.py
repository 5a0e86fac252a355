"""`openness compare PREVIOUS CURRENT`: year over year, on the later year's scale."""
from __future__ import annotations

from ...methodology import DEFAULT_YEAR
from ...texts import text as T
from ..common import ROWS, check_output, emit, format_option, output_option, text_width

# Its own --year (the year whose bodies are compared); each side names its own methodology.
COMMON_OPTIONS = False


def define(command) -> None:
    """The options of `compare`, beside its handler."""
    command.add_argument("previous", help=T("cli.compare.previous"))
    command.add_argument("current", help=T("cli.compare.current"))
    command.add_argument("--previous-methodology", help=T("cli.compare.previous_methodology"))
    command.add_argument("--current-methodology", help=T("cli.compare.current_methodology"))
    command.add_argument("--year", type=int, default=DEFAULT_YEAR, help=T("cli.compare.year"))
    format_option(command)
    output_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...analyses import compare

    check_output(args, args.format)
    previous = compare.side(args.previous, args.previous_methodology, args.year)
    current = compare.side(args.current, args.current_methodology, args.year)
    changes = compare.compare(previous, current)
    text = (compare.render_csv(changes) if args.format in ROWS
            else compare.render_text(changes, previous, current, text_width(args)))
    emit(text, args, args.format)
    return 0
