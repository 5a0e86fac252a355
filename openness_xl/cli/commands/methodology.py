"""`openness methodology new YEAR -o FILE` and `methodology check FILE`."""
from __future__ import annotations

from pathlib import Path

from ...io.writing import atomic_write
from ...methodology import load
from ...texts import text as T
from ..common import check_output, output_option

# Not --year nor --methodology: the year and the file are what the command is given.
COMMON_OPTIONS = False


def define(command) -> None:
    """The options of `methodology`, beside its handler."""
    command.add_argument("action", choices=["new", "check"], help=T("cli.methodology.action"))
    command.add_argument("what", help=T("cli.methodology.what"))
    command.add_argument("--from", dest="source", help=T("cli.methodology.source"))
    output_option(command)


def run(args) -> int:
    """The command itself: its exit code."""
    from ...methodology.draft import draft, summary
    from ...methodology.loader import HERE, available_years

    if args.action == "check":
        print(summary(load(Path(args.what))))
        return 0
    if not args.what.isdigit():
        raise ValueError(T("messages.year_expected", value=repr(args.what)))
    if not args.output:
        raise ValueError(T("messages.output_required", command="methodology new"))
    source = Path(args.source) if args.source else HERE / f"{max(available_years())}.toml"
    check_output(args, "toml")
    text = draft(source, int(args.what))
    atomic_write(args.output, text.encode("utf-8"), protect=[source])
    print(T("draft.wrote", path=args.output, year=args.what, source=source.name, provisional=text.count("# REVIEW ")))
    return 0
