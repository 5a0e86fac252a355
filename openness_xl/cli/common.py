"""What every command shares: exit codes, the options spelt once, reading the input, refusing
a wrong output, and writing to a file or the terminal."""
from __future__ import annotations

import shlex
import sys
import textwrap
from pathlib import Path
from typing import Sequence

from ..core.bodies import registry
from ..io.inputs import load_inputs
from ..io.published import published_submissions
from ..io.writing import OutputRefused, atomic_write, json_text, order_ranges, refuse_inputs, visible
from ..methodology import load
from ..texts import LANGUAGES, count, language, text as T


# The exit codes of every command (README, «Exit codes»): diff(1)'s and grep(1)'s habit.
EXIT_OK = 0
EXIT_FINDINGS = 1  # the command ran and found something: versions differ, new report errors
EXIT_INPUT = 2  # nothing was done: a usage error, or input that cannot be used as given


# The options several commands take, each spelt once: the same name, form and default everywhere.
def input_option(command, help_key: str = "common.input", optional: bool = True) -> None:
    """INPUT: a file of scores (CSV or the template); without it, the embedded published scores."""
    command.add_argument("input", nargs="?" if optional else None, help=T(help_key))


def output_option(command, help_key: str = "common.output", required: bool = False) -> None:
    """-o/--output FILE (`-` for standard output where the output is text)."""
    command.add_argument("-o", "--output", required=required, help=T(help_key))


def format_option(command, choices: Sequence[str] = ("text", "csv", "json"), default: str = "text",
                  help_key: str = "common.format_text") -> None:
    """--format: how a text result is written."""
    command.add_argument("--format", choices=list(choices), default=default, help=T(help_key))


def lang_option(command, help_key: str = "common.lang") -> None:
    """--lang: the language of what is written (a workbook, a document, a picture)."""
    command.add_argument("--lang", choices=LANGUAGES, default="ru", help=T(help_key))


def strict_option(command, help_key: str) -> None:
    """--strict: what is otherwise a warning fails the run."""
    command.add_argument("--strict", action="store_true", help=T(help_key))


def load_methodology(args):
    """The methodology of --methodology FILE, or of --year."""
    return load(Path(args.methodology) if args.methodology else args.year)


def load_submissions(args, methodology):
    """The input file's submissions, or the embedded published scores of the year; the
    reader's warnings (macros, external links) go to standard error."""
    if args.input is None:
        return published_submissions(args.year)
    loaded = load_inputs(args.input, methodology, registry(args.year), getattr(args, "input_name", None))
    for warning in loaded.warnings:
        warn(str(warning))
    return loaded.submissions


def read_files(args) -> list:
    """Every file the command reads: an output may be none of them, however it is spelled."""
    names = ("input", "methodology", "mapping", "calendar", "plans", "appeals", "receptions", "old", "new", "log", "source",
             "previous", "current", "previous_methodology", "current_methodology")
    files = [getattr(args, name) for name in names if getattr(args, name, None)] + list(getattr(args, "files", None) or ())
    if getattr(args, "published", None) and Path(args.published).is_dir():
        files += [str(p) for p in sorted(Path(args.published).rglob("*")) if p.is_file()]
    return files


# What each output format may be called: a file named otherwise is refused, never written
# in a format its name does not say.
SUFFIXES = {"csv": (".csv", ".txt"), "json": (".json",), "table": (".txt", ".csv"), "xlsx": (".xlsx",), "text": (".txt", ".md", ".csv"),
            "docx": (".docx",), "png": (".png",), "toml": (".toml",)}


def output_format(path, wanted: str, also: Sequence[str] = ()) -> str:
    """The format to write `path` in: `wanted`, or one of `also` its suffix names; else an error."""
    suffix = Path(path).suffix.lower()
    for name in (wanted, *also):
        if suffix in SUFFIXES[name]:
            return name
    allowed = sorted({s for name in (wanted, *also) for s in SUFFIXES[name]})
    raise OutputRefused(T("messages.wrong_suffix", path=path, formats=T("messages.or").join((wanted, *also)),
                          suffixes=", ".join(allowed)))


def check_output(args, kind: str, also: Sequence[str] = ()) -> str | None:
    """Refuse a wrong output before any work is done: its name must fit the format, and it
    may be none of the inputs. The format to write, or None when printing to the terminal."""
    if not getattr(args, "output", None):
        return None
    if args.output == "-":
        if kind not in TEXT_FORMS:
            raise OutputRefused(T("messages.stdout_is_text", form=kind))
        return kind
    chosen = output_format(args.output, kind, also)
    refuse_inputs(args.output, read_files(args))
    return chosen


# What `-o -` may write to standard output: text, never a workbook or a document.
TEXT_FORMS = ("csv", "json", "table", "text")


# The output forms that are a table of rows: the same rows, as CSV or as JSON.
ROWS = ("csv", "json")


def standard_input(args, stack) -> None:
    """INPUT `-`: standard input, read once (bounded as a CSV is) into a file of its own in a
    folder removed when the command ends; messages call it «stdin»."""
    import tempfile

    from ..io.inputs import MAX_CSV_BYTES

    data = sys.stdin.buffer.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise ValueError("stdin: " + T("input.too_large", limit=f"{MAX_CSV_BYTES:,}"))
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="openness-stdin-")))
    path = folder / ("stdin.xlsx" if data[:4] == b"PK\x03\x04" else "stdin.csv")
    path.write_bytes(data)
    args.input, args.input_name = str(path), "stdin"


def emit(text: str, args, kind: str = "text") -> None:
    """Write `text` to -o (atomically), or to standard output; with --format json, text that
    is CSV is written as JSON (`output.json_text`)."""
    if kind == "json":
        text = json_text(text)
    if args.output and args.output != "-":
        output_format(args.output, kind)
        atomic_write(args.output, text.encode("utf-8"), protect=read_files(args))
    else:
        sys.stdout.write(visible(text) if sys.stdout.isatty() else text)


def warn(message: str, level: str = "warning") -> None:
    """A diagnostic on standard error, wrapped to the terminal; `level` is warning, error or note."""
    # Never inside a word or a path (pytest-of-root/… has hyphens): a file name stays copyable.
    print("\n".join(textwrap.wrap(f"{T('messages.' + level)}: {visible(message)}", terminal_width(),
                                   subsequent_indent="  ", break_on_hyphens=False, break_long_words=False)),
          file=sys.stderr)


def text_width(args) -> int:
    """The width a command's text wraps at: the terminal's when it is written to one, else 80,
    so that a file is the same whatever terminal made it."""
    if (args.output and args.output != "-") or not sys.stdout.isatty():
        return 80
    return terminal_width()


def terminal_width() -> int:
    import shutil

    return max(60, shutil.get_terminal_size((80, 24)).columns)


# From this many bodies missing the same indicators, one warning names them all by code.
GROUPED_FROM = 3


def complete(args, methodology, results) -> bool:
    """Warn of every body with indicators missing (by number), of the bodies the input does not
    mention and of the groups that get no place; True when nothing is missing."""
    names = {b.code: b.name(language()) for b in registry(args.year)}
    # Bodies missing the same indicators are told in one warning where there are many of them
    # (an aggregate of records alone: 49 bodies without the 14 other indicators).
    alike: dict[tuple, list[str]] = {}
    for result in results:
        if result.missing:
            alike.setdefault(tuple(result.missing), []).append(result.body)
    for missing, bodies in alike.items():
        said = {"indicators": count(len(missing), "indicator_of"),
                "orders": order_ranges([methodology.indicator(i).order for i in missing])}
        if len(bodies) >= GROUPED_FROM:
            warn(T("messages.no_data_for_bodies", bodies=count(len(bodies), "body"), codes=", ".join(bodies), **said))
            continue
        for body in bodies:
            warn(T("messages.no_data_for", body=f"{body} ({names.get(body, body)})", **said))
    absent = absent_bodies(args, results)
    return not absent and not any(r.missing for r in results)


def absent_bodies(args, results) -> list:
    """Warn of the assessed bodies the input does not mention, and of each group that gets no
    place because some of its bodies have no index (the same sentence as the template's)."""
    from ..core.scoring import partial_types, unranked

    given_codes = {r.body for r in results}
    absent = [b for b in registry(args.year) if b.code not in given_codes]
    methodology = load_methodology(args)
    for body_type in sorted({b.type for b in absent}):
        codes = [b.code for b in absent if b.type == body_type]
        label = methodology.body_type_label(body_type, language())
        warn(T("messages.absent_bodies", label=label, bodies=count(len(codes), "body_of"), codes=", ".join(codes)))
    for body_type, codes in sorted(unranked(partial_types(results), registry(args.year)).items()):
        label = methodology.body_type_label(body_type, language())
        given = [code for code in codes if code in given_codes]  # the absent ones are named above
        warn(T("value.no_rank", type=label, count=len(codes)) + (f" ({', '.join(given)})" if given else ""))
    return absent


def provenance(args) -> list[tuple[str, str]]:
    """Where the scores came from, for the workbook's provenance sheet: files and their SHA-256."""
    from ..bounded import sha256_of
    from ..io.report_data import DATA

    if args.input is None:
        files = [DATA / str(args.year) / name for name in ("indicator_scores.csv", "corrections.csv")]
        rows = [(T("report.inputs", kind="files"), T("report.embedded", kind="files", year=args.year))]
    else:
        files = [Path(args.input)]
        rows = [(T("report.inputs", kind="files"), Path(args.input).name)]
    rows += [(f"{path.name}, SHA-256", sha256_of(path)) for path in files]
    # The whole command as it was given (its options, --source and --appeals too), files by name.
    given = getattr(args, "argv", None) or [args.command] + ([args.input] if args.input else [])
    if given[0] != args.command:  # `openness workbooks` writes the report of `openness report`
        given = [args.command]
    shown = [Path(a).name if Path(a).suffix and "/" in a else a for a in given]
    rows.append((T("report.command", kind="files"), shlex.join(["openness", *shown])))
    return rows


def report_departures(args, methodology, results) -> list:
    """Where the recomputed published tables differ from the print (only for the embedded
    published scores, which `results` are evaluated from: another input has no printed
    report to differ from)."""
    from ..analyses.reconcile import departures

    return departures(methodology, args.year, results) if args.input is None else []
