"""The parser of `openness`: argparse in the catalogue's words, one sub-parser per command module."""
from __future__ import annotations

import argparse
import re
import sys

from ..methodology import DEFAULT_YEAR
from ..texts import has_text, text as T
from ..version import __version__
from . import commands
from .common import EXIT_INPUT


class HelpFormatter(argparse.HelpFormatter):
    """Argparse's help in the catalogue's words: the usage line and each option's default."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix if prefix is not None else T("common.usage") + " ")

    def _get_help_string(self, action):
        help_text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and action.option_strings:
            help_text += f" ({T('common.default')}: {action.default})"
        return help_text


# Argparse writes its errors in English; these are the ones a user meets, as argparse words them.
ARGPARSE_ERRORS = (
    ("required", re.compile(r"the following arguments are required: (?P<names>.+)")),
    ("invalid_choice", re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)")),
    ("unrecognized", re.compile(r"unrecognized arguments: (?P<names>.+)")),
    ("invalid_value", re.compile(r"argument (?P<name>\S+): invalid (?P<type>\S+) value: (?P<value>.+)")),
    ("expected_one", re.compile(r"argument (?P<name>\S+): expected one argument")),
    ("expected_n", re.compile(r"argument (?P<name>\S+): expected (?P<count>\d+) arguments?")),
    ("expected_some", re.compile(r"argument (?P<name>\S+): expected at least one argument")),
    ("expected_at_most_one", re.compile(r"argument (?P<name>\S+): expected at most one argument")),
    ("ambiguous", re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)")),
    ("ignored", re.compile(r"argument (?P<name>\S+): ignored explicit argument (?P<value>.+)")),
    ("not_allowed", re.compile(r"argument (?P<name>\S+): not allowed with argument (?P<other>.+)")),
)



class Parser(argparse.ArgumentParser):
    """Argparse with its errors in the catalogue's words; an error it words otherwise is kept."""

    def error(self, message: str):
        for key, pattern in ARGPARSE_ERRORS:
            found = pattern.fullmatch(message)
            if found:
                fields = found.groupdict()
                if fields.get("type") in ("int", "float"):
                    fields["type"] = T(f"argparse.type_{fields['type']}")
                message = T(f"argparse.{key}", **fields)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, T("argparse.error", prog=self.prog, message=message) + "\n")


def _titles(parser: argparse.ArgumentParser) -> None:
    """Argparse's own headings («positional arguments», «options») in the catalogue's words."""
    parser._positionals.title = T("common.positionals")
    parser._optionals.title = T("common.options")


def build_parser() -> argparse.ArgumentParser:
    """The command line: every help text comes from the catalogue (openness_xl/texts/cli.toml)."""
    parser = Parser(prog="openness", description=T("common.description"), epilog=T("common.epilog"),
                    formatter_class=HelpFormatter, add_help=False)
    parser.add_argument("-h", "--help", action="help", help=T("common.help"))
    _titles(parser)
    parser.add_argument("--version", action="version", version=f"openness-xl {__version__}", help=T("common.version"))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--year", type=int, default=DEFAULT_YEAR, help=T("common.year"))
    common.add_argument("--methodology", help=T("common.methodology"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=T("common.commands"))
    for module in commands.ALL:
        name = commands.name(module)
        description = f"cli.{name}.description" if has_text(f"cli.{name}.description") else f"cli.{name}.help"
        command = sub.add_parser(name, parents=[common] if getattr(module, "COMMON_OPTIONS", True) else [],
                                 help=T(f"cli.{name}.help"), description=T(description), formatter_class=HelpFormatter,
                                 add_help=False)
        command.add_argument("-h", "--help", action="help", help=T("common.help"))
        _titles(command)
        module.define(command)
        command.set_defaults(run=module.run)
    _force_where_files_are_written(parser)
    return parser


def _force_where_files_are_written(parser) -> None:
    """--force on every command that writes a file (-o, -d or --plot), with the one meaning."""
    for action in parser._subparsers._group_actions:
        for command in dict.fromkeys(action.choices.values()):
            options = {o for a in command._actions for o in a.option_strings}
            if options & {"-o", "-d", "--plot"} and "--force" not in options:
                command.add_argument("--force", action="store_true", help=T("common.force"))
            if command._subparsers is not None:
                _force_where_files_are_written(command)
