"""`openness lite -d DIR --wheel-url URL`: the files of the xlwings Lite add-in."""
from __future__ import annotations

from pathlib import Path

from ...texts import text as T
from ...version import __version__
from ..common import load_methodology, read_files


def define(command) -> None:
    """The options of `lite`, beside its handler."""
    command.add_argument("-d", "--dir", required=True, help=T("cli.lite.dir"))
    command.add_argument("--wheel-url", required=True, help=T("cli.lite.wheel_url"))


def run(args) -> int:
    """The command itself: its exit code."""
    from ...excel import lite

    methodology = load_methodology(args)
    for path in lite.write(Path(args.dir), lite.files(methodology, args.wheel_url, __version__), read_files(args)):
        print(T("messages.wrote", path=path))
    return 0
