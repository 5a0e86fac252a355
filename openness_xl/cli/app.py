"""The `openness` command: score, check and reconcile the Openness Index."""
from __future__ import annotations

import contextlib
import sys
import textwrap
from typing import Sequence

from ..extras import MissingExtra
from ..io.inputs import InputErrors
from ..io.writing import replacing, visible
from ..methodology import MethodologyError
from ..texts import text as T
from .common import EXIT_INPUT, standard_input, terminal_width
from .parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run `openness` with `argv` (the process's arguments by default); the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = [str(a) for a in (sys.argv[1:] if argv is None else argv)]
    if args.command is None:
        parser.print_help()
        return 0
    with _diagnostics_may_close():
        return _run(args)


def _run(args) -> int:
    """The command `args` names; its errors said on standard error, and the exit code."""
    try:
        with replacing(getattr(args, "force", False)), contextlib.ExitStack() as stack:
            if getattr(args, "input", None) == "-":
                standard_input(args, stack)
            return args.run(args)
    except InputErrors as errors:
        # One problem per line for a log or a pipe; on a terminal wrapped at words, so that a
        # long one stays readable at 80 columns.
        print(f"{T('messages.error')}: {str(errors).splitlines()[0]}", file=sys.stderr)
        for problem in errors.problems:
            said = visible(str(problem))  # a value from the file may hold an escape sequence
            lines = (textwrap.wrap(said, terminal_width(), initial_indent="  ", subsequent_indent="    ")
                     if sys.stderr.isatty() else [f"  {said}"])
            print("\n".join(lines), file=sys.stderr)
        return EXIT_INPUT
    except (MethodologyError, FileNotFoundError, ValueError, KeyError, MissingExtra) as error:
        _error(str(error))
        return EXIT_INPUT
    except OSError as error:
        _error(f"{error.filename}: {error.strerror or error}" if error.filename else str(error.strerror or error))
        return EXIT_INPUT


class _Diagnostics:
    """Standard error that a reader who stopped listening does not stop: `aggregate … 2>&1 |
    head -1` closed the pipe at the first warning, and the BrokenPipeError it raised ended the
    command before it wrote its output file. What cannot be said is dropped; the work goes on."""

    def __init__(self, stream):
        self.stream, self.closed = stream, False

    def write(self, said: str) -> int:
        if not self.closed:
            try:
                return self.stream.write(said)
            except BrokenPipeError:
                self.closed = True
        return len(said)

    def flush(self) -> None:
        if not self.closed:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self.closed = True

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


@contextlib.contextmanager
def _diagnostics_may_close():
    """Standard error as `_Diagnostics` while a command runs."""
    stream = sys.stderr
    sys.stderr = _Diagnostics(stream)
    try:
        yield
    finally:
        sys.stderr = stream


def _error(message: str) -> None:
    """`error: message` on standard error: in a log or a pipe as it is, on a terminal each line
    wrapped at words, its continuation indented under it (a path or a number is never cut)."""
    said = f"{T('messages.error')}: {visible(message)}"
    if sys.stderr.isatty():
        said = "\n".join(piece for line in said.splitlines() for piece in textwrap.wrap(
            line, terminal_width(), subsequent_indent=" " * (len(line) - len(line.lstrip()) + 2),
            break_on_hyphens=False, break_long_words=False) or [""])
    print(said, file=sys.stderr)
