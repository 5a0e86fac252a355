"""`openness check INPUT`: is a file of scores usable, and is it complete?"""
from __future__ import annotations

import sys
import textwrap

from ...core.bodies import registry
from ...io.inputs import load_inputs
from ...texts import count, text as T
from ..common import EXIT_INPUT, complete, input_option, load_methodology, strict_option, terminal_width, warn


def define(command) -> None:
    """The options of `check`, beside its handler."""
    input_option(command, "cli.check.input", optional=False)
    strict_option(command, "cli.check.strict")


def run(args) -> int:
    """The command itself: its exit code."""
    from ...core.scoring import evaluate

    methodology = load_methodology(args)
    loaded = load_inputs(args.input, methodology, registry(args.year), getattr(args, "input_name", None))
    for warning in loaded.warnings:
        warn(str(warning))
    # Completeness as `scores` says it: a valid file with most of the year missing is no «OK».
    whole = complete(args, methodology, evaluate(methodology, loaded.submissions, assessed=registry(args.year)))
    if args.strict and not whole:
        warn(T("messages.strict_missing"), "error")
        return EXIT_INPUT
    entries = sum(len(e) for _, _, e in loaded.submissions)
    key = "cli.check.ok" if whole else "cli.check.valid_incomplete"
    said = T(key, file=getattr(args, "input_name", None) or args.input, bodies=count(len(loaded.submissions), "body"), entries=count(entries, "entry"))
    # Wrapped at words on a terminal; one line for a log or a pipe.
    print("\n".join(textwrap.wrap(said, terminal_width(), subsequent_indent="  ")) if sys.stdout.isatty() else said)
    return 0
