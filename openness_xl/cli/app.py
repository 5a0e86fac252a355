"""The `openness` command: score, check and reconcile the Openness Index."""
from __future__ import annotations

import argparse
import contextlib
import re
import shlex
import sys
import textwrap
from pathlib import Path
from typing import Sequence

from ..version import __version__
from ..core.bodies import registry
from ..extras import MissingExtra
from ..io.inputs import InputErrors, load_inputs
from ..methodology import DEFAULT_YEAR, MethodologyError, load
from ..io.writing import (OutputRefused, atomic_write, json_text, order_ranges, refuse_inputs, replacing, score_columns,
                          score_rows, scores_csv, scores_table, visible)
from ..io.published import published_submissions
from ..texts import LANGUAGES, count, decimal, language, text as T, using


# The exit codes of every command (README, «Exit codes»): diff(1)'s and grep(1)'s habit.
EXIT_OK = 0
EXIT_FINDINGS = 1  # the command ran and found something: versions differ, new report errors
EXIT_INPUT = 2  # nothing was done: a usage error, or input that cannot be used as given


def _methodology(args):
    return load(Path(args.methodology) if args.methodology else args.year)


def _submissions(args, methodology):
    """The input file's submissions, or the embedded published scores of the year; the
    reader's warnings (macros, external links) go to standard error."""
    if args.input is None:
        return published_submissions(args.year)
    loaded = load_inputs(args.input, methodology, registry(args.year), getattr(args, "input_name", None))
    for warning in loaded.warnings:
        _warn(str(warning))
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


def _standard_input(args, stack) -> None:
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


# The output forms that are a table of rows: the same rows, as CSV or as JSON.
ROWS = ("csv", "json")


def _emit(text: str, args, kind: str = "text") -> None:
    """Write `text` to -o (atomically), or to standard output; with --format json, text that
    is CSV is written as JSON (`output.json_text`)."""
    if kind == "json":
        text = json_text(text)
    if args.output and args.output != "-":
        output_format(args.output, kind)
        atomic_write(args.output, text.encode("utf-8"), protect=read_files(args))
    else:
        sys.stdout.write(visible(text) if sys.stdout.isatty() else text)


def cmd_scores(args) -> int:
    from ..core.scoring import evaluate

    methodology = _methodology(args)
    chosen = check_output(args, args.format, also=("xlsx",))
    results = evaluate(methodology, _submissions(args, methodology), assessed=registry(args.year))
    names = {b.code: b.name(language()) for b in registry(args.year)}
    if not _complete(args, methodology, results) and args.strict:
        _warn(T("messages.strict_missing"), "error")
        return EXIT_INPUT
    if chosen == "xlsx":
        from ..workbooks.scores import write_scores

        atomic_write(args.output, write_scores(methodology, results, args.lang), protect=read_files(args))
        return 0
    if args.format in ROWS:
        if args.excel_csv:
            from ..io.writing import excel_csv

            data = excel_csv(score_columns(methodology), score_rows(methodology, results))
            if args.output and args.output != "-":
                atomic_write(args.output, data, protect=read_files(args))
            else:
                sys.stdout.buffer.write(data)
            return 0
        _emit(scores_csv(methodology, results), args, args.format)
        return 0
    _emit(scores_table(methodology, results, names, wide=args.wide, width=_terminal_width()), args, args.format)
    return 0


def _complete(args, methodology, results) -> bool:
    """Warn of every body with indicators missing (by number), of the bodies the input does not
    mention and of the groups that get no place; True when nothing is missing."""
    names = {b.code: b.name(language()) for b in registry(args.year)}
    for result in results:
        if result.missing:
            orders = order_ranges([methodology.indicator(i).order for i in result.missing])
            _warn(T("messages.no_data_for", body=f"{result.body} ({names.get(result.body, result.body)})",
                    indicators=count(len(result.missing), "indicator_of"), orders=orders))
    absent = _absent_bodies(args, results)
    return not absent and not any(r.missing for r in results)


def _terminal_width() -> int:
    import shutil

    return max(60, shutil.get_terminal_size((80, 24)).columns)


def _absent_bodies(args, results) -> list:
    """Warn of the assessed bodies the input does not mention, and of each group that gets no
    place because some of its bodies have no index (the same sentence as the template's)."""
    from ..core.scoring import partial_types, unranked

    given_codes = {r.body for r in results}
    absent = [b for b in registry(args.year) if b.code not in given_codes]
    methodology = _methodology(args)
    for body_type in sorted({b.type for b in absent}):
        codes = [b.code for b in absent if b.type == body_type]
        label = methodology.body_type_label(body_type, language())
        _warn(T("messages.absent_bodies", label=label, bodies=count(len(codes), "body_of"), codes=", ".join(codes)))
    for body_type, codes in sorted(unranked(partial_types(results), registry(args.year)).items()):
        label = methodology.body_type_label(body_type, language())
        given = [code for code in codes if code in given_codes]  # the absent ones are named above
        _warn(T("value.no_rank", type=label, count=len(codes)) + (f" ({', '.join(given)})" if given else ""))
    return absent


def _warn(message: str, level: str = "warning") -> None:
    """A diagnostic on standard error, wrapped to the terminal; `level` is warning, error or note."""
    # Never inside a word or a path (pytest-of-root/… has hyphens): a file name stays copyable.
    print("\n".join(textwrap.wrap(f"{T('messages.' + level)}: {visible(message)}", _terminal_width(),
                                   subsequent_indent="  ", break_on_hyphens=False, break_long_words=False)),
          file=sys.stderr)


def _provenance(args) -> list[tuple[str, str]]:
    """Where the scores came from, for the workbook's provenance sheet: files and their SHA-256."""
    import hashlib

    from ..io.report_data import DATA

    if args.input is None:
        files = [DATA / str(args.year) / name for name in ("indicator_scores.csv", "corrections.csv")]
        rows = [(T("report.inputs", kind="files"), T("report.embedded", kind="files", year=args.year))]
    else:
        files = [Path(args.input)]
        rows = [(T("report.inputs", kind="files"), Path(args.input).name)]
    rows += [(f"{path.name}, SHA-256", hashlib.sha256(path.read_bytes()).hexdigest()) for path in files]
    # The whole command as it was given (its options, --source and --appeals too), files by name.
    given = getattr(args, "argv", None) or [args.command] + ([args.input] if args.input else [])
    if given[0] != args.command:  # `openness workbooks` writes the report of `openness report`
        given = [args.command]
    shown = [Path(a).name if Path(a).suffix and "/" in a else a for a in given]
    rows.append((T("report.command", kind="files"), shlex.join(["openness", *shown])))
    return rows


def cmd_report(args) -> int:
    from ..core.scoring import evaluate

    methodology = _methodology(args)
    check_output(args, "xlsx")
    submissions = _submissions(args, methodology)
    results = evaluate(methodology, submissions, assessed=registry(args.year))
    if not results:
        _warn(T("messages.nothing_to_report", file=args.input), "error")
        return EXIT_INPUT
    _absent_bodies(args, results)
    # Everything that reads and checks files first, so that its errors speak the command line's
    # language; the sheets are then made in the workbook's.
    chain = compared = None
    if args.source or args.appeals:
        from ..analyses.appeal import version_chain

        if not (args.source and args.appeals and args.input):
            raise ValueError(T("messages.source_and_appeals"))
        chain = version_chain(methodology, registry(args.year), args.source, args.appeals, args.input, args.lang)
    if args.previous:
        from dataclasses import replace

        from ..analyses import compare

        # Read and checked in the command line's language; named in the workbook's
        # («2024 (по отчёту за 2025 год)»).
        previous = compare.side(args.previous, args.previous_methodology, args.year)
        with using(args.lang):
            previous = replace(previous, name=compare.side_name(args.previous, args.previous_methodology))
        compared = previous.name, compare.rows(compare.compare(previous, compare.from_results(
            f"{methodology.year}", methodology, results)))
    with using(args.lang):
        data = _report_workbook(args, methodology, submissions, results, chain, compared)
    atomic_write(args.output, data, protect=read_files(args))
    print(T("messages.wrote_what", path=args.output, what=count(len(results), "body")))
    return 0


def _report_workbook(args, methodology, submissions, results, chain, compared) -> bytes:
    """The report's bytes, every sheet made in the language `using` set."""
    from ..workbooks.analyses import analysis_sheets
    from ..workbooks.common import sheet_name
    from ..workbooks.report import write_report
    from ..workbooks.table import Table

    provenance, tables = _provenance(args), []
    if chain is not None:
        rows, (columns, changes) = chain
        provenance = [*provenance, *rows]
        tables.append(Table(sheet_name("changes"), T("report.changes_title", kind="files"), columns, changes))
    if compared is not None:
        from ..analyses.compare import CSV_COLUMNS

        previous, rows = compared
        tables.append(Table(sheet_name("dynamics"), T("report.dynamics_title", kind="files", previous=previous,
                                                      year=methodology.year), CSV_COLUMNS, rows))
        provenance = [*provenance, (T("report.previous_year", kind="files"), previous)]
    tables += analysis_sheets(methodology, submissions, {b.code: b.name() for b in registry(args.year)})
    return write_report(methodology, results, provenance, args.year, tables, lang=args.lang,
                        departures=_departures(args, methodology))


def _departures(args, methodology) -> list:
    """Where the recomputed published tables differ from the print (only for the embedded
    published scores: another input has no printed report to differ from)."""
    from ..analyses.reconcile import departures

    return departures(methodology, args.year) if args.input is None else []


def cmd_robustness(args) -> int:
    from ..analyses import robustness

    methodology = _methodology(args)
    check_output(args, args.format)
    if args.plot:
        output_format(args.plot, "png")
    result = robustness.analyse(methodology, _submissions(args, methodology), args.samples, args.seed,
                               progress=None)
    labels = {code: methodology.body_type_label(code, language()) for code in methodology.body_types}
    text = robustness.render_csv(result) if args.format in ROWS else robustness.render_text(methodology, result, labels)
    _emit(text, args, args.format)
    if args.plot:
        from ..documents.robustness import rank_intervals

        with using(args.lang):
            picture = rank_intervals(methodology, result)
        atomic_write(args.plot, picture, protect=read_files(args))
        print(T("messages.wrote", path=args.plot), file=sys.stderr)
    return 0


def cmd_template(args) -> int:
    from ..workbooks.template import write_template

    methodology = _methodology(args)
    check_output(args, "xlsx")
    submissions = _submissions(args, methodology) if args.input else ()
    atomic_write(args.output, write_template(methodology, registry(args.year), submissions, args.lang), protect=read_files(args))
    filled = T("messages.prefilled_from", file=args.input) if args.input else ""
    calc = T("sheet.calc", args.lang)
    print(T("messages.wrote_what", path=args.output, what=T("messages.template_written", bodies=count(
        len(registry(args.year)), "body"), filled=filled, calc=calc, year=methodology.year)))
    return 0


def cmd_live(args) -> int:
    from ..workbooks.live import write_live

    methodology = _methodology(args)
    check_output(args, "xlsx")
    atomic_write(args.output, write_live(methodology, registry(args.year), _submissions(args, methodology), args.lang),
                 protect=read_files(args))
    print(T("messages.wrote_what", path=args.output, what=T("messages.live_written")))
    return 0


def cmd_workbooks(args) -> int:
    """Regenerate the downloadable workbooks of the embedded year in one go."""
    from ..core.scoring import evaluate
    from ..workbooks.analyses import analysis_sheets
    from ..workbooks.live import write_live
    from ..workbooks.report import write_report
    from ..workbooks.template import write_template

    methodology = _methodology(args)
    folder = Path(args.dir)
    submissions = published_submissions(args.year)
    results = evaluate(methodology, submissions)
    args.input, args.command = None, "report"
    files = {}
    for lang in args.langs:
        suffix = "" if lang == "ru" else f"-{lang}"
        with using(lang):
            names = {b.code: b.name() for b in registry(args.year)}
            files[f"inputs-template-{args.year}{suffix}.xlsx"] = write_template(methodology, registry(args.year), lang=lang)
            files[f"report-{args.year}{suffix}.xlsx"] = write_report(
                methodology, results, _provenance(args), args.year, analysis_sheets(methodology, submissions, names), lang=lang,
                departures=_departures(args, methodology))
            files[f"live-{args.year}{suffix}.xlsx"] = write_live(methodology, registry(args.year), submissions, lang)
    for name, data in files.items():
        atomic_write(folder / name, data, protect=read_files(args))
        print(T("messages.wrote", path=folder / name))
    return 0


def cmd_diff(args) -> int:
    from ..analyses import diff

    methodology = _methodology(args)
    chosen = check_output(args, args.format, also=("xlsx",))
    result = diff.between_files(methodology, registry(args.year), args.old, args.new)
    for warning in result.warnings:
        _warn(warning)
    if chosen == "xlsx":
        from ..workbooks.table import write_table

        data = write_table(f"{Path(args.old).name} → {Path(args.new).name}", "Изменения", diff.CSV_COLUMNS,
                           diff.rows(result))
        atomic_write(args.output, data, protect=read_files(args))
    else:
        text = diff.render_csv(result) if args.format in ROWS else diff.render_text(
            result, Path(args.old).name, Path(args.new).name)
        _emit(text, args, args.format)
    return EXIT_FINDINGS if result.changed else EXIT_OK  # like diff(1): 1 means the versions differ


def cmd_appeal(args) -> int:
    from ..analyses import appeal

    methodology = _methodology(args)
    bodies = registry(args.year)
    # One command with three actions: what each needs is checked here, with the usage in words.
    if args.action == "template" and (args.input or args.log or not args.output):
        raise ValueError(T("messages.appeal_template_alone"))
    if args.action != "template" and not (args.input and args.log):
        raise ValueError(T("messages.appeal_needs_files", action=args.action))
    if args.action == "apply" and not args.output:
        raise ValueError(T("messages.appeal_apply_output"))
    if args.action == "template":
        chosen = check_output(args, "csv", also=("xlsx",))
        if chosen == "xlsx":
            from ..workbooks.appeal_log import write_appeal_log

            atomic_write(args.output, write_appeal_log(methodology, bodies, lang=args.lang), protect=read_files(args))
        else:
            atomic_write(args.output, appeal.template_csv().encode("utf-8"), protect=read_files(args))
        print(T("messages.wrote", path=args.output))
        return 0
    chosen = check_output(args, "csv" if args.action == "apply" else args.format, also=("xlsx",))
    submissions = _submissions(args, methodology)
    noticed: list[str] = []
    appeals = appeal.read_log(args.log, noticed)
    for warning in noticed:
        _warn(warning)
    if args.action == "apply":
        final, applied = appeal.apply(methodology, bodies, submissions, appeals, str(args.log))
        if chosen == "xlsx":
            from ..workbooks.template import write_template

            data = write_template(methodology, bodies, final, args.lang)
        else:
            data = appeal.final_csv(methodology, final).encode("utf-8")
        atomic_write(args.output, data, protect=read_files(args))
        print(T("messages.wrote_what", path=args.output, what=T("messages.appeals_applied", applied=len(applied),
                                                                 appeals=count(len(appeals), "appeal_filed"))), file=sys.stderr)
        return 0
    effects = appeal.effects(methodology, bodies, submissions, appeals, str(args.log))
    if chosen == "xlsx":
        from ..workbooks.table import write_table

        atomic_write(args.output, write_table("Обжалования: эффект", "Обжалования", appeal.REPORT_COLUMNS,
                                              appeal.report_rows(effects)), protect=read_files(args))
        return 0
    _emit(appeal.report_csv(effects) if args.format in ROWS else appeal.render_report(effects), args, args.format)
    return 0


def cmd_compare(args) -> int:
    from ..analyses import compare

    check_output(args, args.format)
    previous = compare.side(args.previous, args.previous_methodology, args.year)
    current = compare.side(args.current, args.current_methodology, args.year)
    changes = compare.compare(previous, current)
    text = compare.render_csv(changes) if args.format in ROWS else compare.render_text(changes, previous, current)
    _emit(text, args, args.format)
    return 0


def cmd_whatif(args) -> int:
    from ..analyses import whatif

    methodology = _methodology(args)
    check_output(args, args.format)
    body = registry(args.year).find(args.body).code
    submissions = _submissions(args, methodology)
    if body not in {b for b, _, _ in submissions}:
        raise ValueError(T("messages.no_data_for_body", body=args.body, source=args.input or T("messages.embedded_scores")))
    rows = whatif.indicator_rows(methodology, submissions, body)
    plans = whatif.plan(methodology, submissions, body, *args.to) if args.to else []
    text = whatif.render_csv(body, rows, plans) if args.format in ROWS else whatif.render_text(
        methodology, body, rows, plans)
    _emit(text, args, args.format)
    return 0


def cmd_roadmap(args) -> int:
    from ..analyses import roadmap
    from ..documents.roadmap import write_roadmap
    from ..core.scoring import evaluate

    methodology = _methodology(args)
    bodies = registry(args.year)
    if args.all_low and args.body is not None:
        # `roadmap --all-low FINAL.csv -d DIR`: with --all-low the one positional is the input.
        if args.input is not None:
            raise ValueError(T("messages.all_low_no_body", body=args.body))
        args.input, args.body = args.body, None
    submissions = _submissions(args, methodology)
    if args.all_low:
        if not args.dir:
            raise ValueError(T("messages.all_low_needs_dir"))
        chosen = roadmap.low_bodies(methodology, evaluate(methodology, submissions))
        targets = [(code, Path(args.dir) / f"roadmap-{code}.docx") for code in chosen]
    else:
        if not args.body or not args.output:
            raise ValueError(T("messages.roadmap_needs"))
        output_format(args.output, "docx")
        targets = [(bodies.find(args.body).code, Path(args.output))]
    names = {b.code: b.name(args.lang) for b in bodies}
    from ..progress import bar

    for code, path in bar(targets, len(targets), T("progress.roadmaps"), unit="document"):
        with using(args.lang):
            content = roadmap.build(methodology, submissions, code, names)
        if not content.required and not args.force:
            # A body rated high need not publish one: a draft is written only when asked for.
            raise ValueError(T("messages.roadmap_not_required", body=code, rating=content.result.rating,
                               below=methodology.roadmap_below_rating))
        atomic_write(path, write_roadmap(content, args.lang), protect=read_files(args))
        print(T("messages.wrote", path=path))
    return 0


def cmd_lite(args) -> int:
    from ..excel import lite

    methodology = _methodology(args)
    for path in lite.write(Path(args.dir), lite.files(methodology, args.wheel_url, __version__), read_files(args)):
        print(T("messages.wrote", path=path))
    return 0


def cmd_aggregate(args) -> int:
    import time

    check_output(args, "csv")
    from ..records.pipeline import aggregate, explain
    from ..records.schema import load_mapping

    from ..records.calendar import calendar_notes, load_overrides

    methodology = _methodology(args)
    bodies = registry(args.year)
    mapping = load_mapping(args.mapping)
    overrides = load_overrides(args.calendar) if args.calendar else load_overrides()
    # What the working-day calendar of the year does not know for sure, before any count.
    for note in calendar_notes(methodology.year, overrides):
        _warn(note)
    if args.explain:
        body, indicator_id = args.explain
        _emit(explain(args.appeals, args.receptions, methodology, bodies, mapping, body, indicator_id, args.limit,
                      overrides), args, "csv")
        return 0
    plans = None
    if args.plans:
        from ..records.plans import read_plans

        plans = read_plans(args.plans, bodies, methodology)
    started = time.perf_counter()
    result = aggregate(args.appeals, args.receptions, methodology, bodies, mapping, plans,
                       progress=sys.stderr.isatty(), overrides=overrides)
    elapsed = time.perf_counter() - started
    for note in result.notes:
        _warn(note)
    problems = result.appeal_problems.lines("appeals") + result.reception_problems.lines("receptions")
    for line in problems:
        _warn(line, "error" if args.strict else "warning")
    summary = T("messages.aggregated", appeals=count(result.records["appeals"], "appeal"),
                receptions=count(result.records["receptions"], "reception_request"),
                bodies=count(len(result.inputs), "body_of"), seconds=decimal(f"{elapsed:.1f}"))
    print("\n".join(textwrap.wrap(summary, _terminal_width(), subsequent_indent="  ")), file=sys.stderr)
    if result.overdue_unanswered:
        from ..records.pipeline import period_end

        _warn(T("messages.overdue_unanswered" if result.overdue_counted else "messages.overdue_left_out",
                appeals=count(result.overdue_unanswered, "appeal"), end=period_end(methodology).strftime("%d.%m.%Y")), "note")
    dropped = [table for table, read in result.records.items() if read and not result.used.get(table)]
    if dropped:  # a wholesale mismatch (another year's extract, a wrong mapping): nothing to write
        for table in dropped:
            _warn(T("messages.all_dropped", table=T(f"records.table.{table}"), records=count(result.records[table], "record"),
                    year=methodology.year), "error")
        return EXIT_INPUT
    for table, codes in result.without.items():
        if codes:
            _warn(T("messages.no_records", table=T(f"records.table.{table}"), bodies=count(len(codes), "body_of"),
                    codes=", ".join(codes)), "note")
    if not plans:
        _warn(T("messages.no_plans"), "note")
    unplanned = [code for code in result.inputs if plans and code not in plans]
    if unplanned:
        _warn(T("messages.unplanned", file=args.plans, codes=", ".join(unplanned)), "error" if args.strict else "warning")
    if args.strict and (problems or unplanned):
        return EXIT_INPUT
    _emit(result.csv(methodology, bodies), args, "csv")
    return 0


def cmd_synthetic(args) -> int:
    from ..records.synthetic import generate

    methodology = _methodology(args)
    extract = generate(args.dir, methodology, registry(args.year), appeals=args.appeals, seed=args.seed, year=methodology.year,
                       inject_bad=args.bad, fmt=args.files, with_expected=False, ids_in_order=not args.shuffled_ids)
    print(T("messages.wrote_two", first=extract.appeals, second=extract.receptions))
    return 0


def cmd_methodology(args) -> int:
    """`methodology new YEAR [--from FILE] -o FILE` and `methodology check FILE`."""
    from ..methodology.draft import draft, summary
    from ..methodology.loader import HERE, available_years

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


def cmd_check(args) -> int:
    from ..core.scoring import evaluate

    methodology = _methodology(args)
    loaded = load_inputs(args.input, methodology, registry(args.year), getattr(args, "input_name", None))
    for warning in loaded.warnings:
        _warn(str(warning))
    # Completeness as `scores` says it: a valid file with most of the year missing is no «OK».
    complete = _complete(args, methodology, evaluate(methodology, loaded.submissions, assessed=registry(args.year)))
    if args.strict and not complete:
        _warn(T("messages.strict_missing"), "error")
        return EXIT_INPUT
    entries = sum(len(e) for _, _, e in loaded.submissions)
    key = "cli.check.ok" if complete else "cli.check.valid_incomplete"
    said = T(key, file=getattr(args, "input_name", None) or args.input, bodies=count(len(loaded.submissions), "body"), entries=count(entries, "entry"))
    # Wrapped at words on a terminal; one line for a log or a pipe.
    print("\n".join(textwrap.wrap(said, _terminal_width(), subsequent_indent="  ")) if sys.stdout.isatty() else said)
    return 0


def cmd_merge(args) -> int:
    from ..analyses.merge import merge

    check_output(args, "csv")
    methodology = _methodology(args)
    merged = merge(args.files, methodology, registry(args.year), args.prefer or ())
    for warning in merged.warnings:
        _warn(warning)
    for line in merged.settled:
        _warn(line, "note")
    _emit(merged.table, args, "csv")
    entries = sum(len(e) for _, _, e in merged.submissions)
    print(T("merge.done", files=len(args.files), output=args.output, bodies=count(len(merged.submissions), "body"),
            entries=count(entries, "entry")), file=sys.stderr)
    return 0


def cmd_reconcile(args) -> int:
    from ..io.writing import csv_text
    from ..analyses.reconcile import CSV_COLUMNS, finding_rows, reconcile, render_text, tables_named

    methodology = _methodology(args)
    check_output(args, args.format)
    source = Path(args.published) if args.published else args.year
    result = reconcile(methodology, source)
    if args.format in ROWS:
        text = csv_text(CSV_COLUMNS, finding_rows(result))
    else:
        text = render_text(result, tables_named(args.published, args.year), Path(methodology.path).name,
                           new_only=args.new)
    _emit(text, args, args.format)
    # A new finding fails the run; --strict fails on documented report errors too.
    return EXIT_FINDINGS if result.new or (args.strict and result.findings) else EXIT_OK


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
    def command(name: str, parents=True, **extra):
        made = sub.add_parser(name, parents=[common] if parents else [], help=T(f"cli.{name}.help"),
                              description=extra.pop("description", T(f"cli.{name}.help")),
                              formatter_class=HelpFormatter, add_help=False, **extra)
        made.add_argument("-h", "--help", action="help", help=T("common.help"))
        _titles(made)
        return made

    parser = Parser(prog="openness", description=T("common.description"), epilog=T("common.epilog"),
                                     formatter_class=HelpFormatter, add_help=False)
    parser.add_argument("-h", "--help", action="help", help=T("common.help"))
    _titles(parser)
    parser.add_argument("--version", action="version", version=f"openness-xl {__version__}", help=T("common.version"))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--year", type=int, default=DEFAULT_YEAR, help=T("common.year"))
    common.add_argument("--methodology", help=T("common.methodology"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=T("common.commands"))

    scores = command("scores")
    scores.add_argument("input", nargs="?", help=T("common.input"))
    scores.add_argument("--format", choices=["csv", "json", "table"], default="csv", help=T("cli.scores.format"))
    scores.add_argument("--wide", action="store_true", help=T("cli.scores.wide"))
    scores.add_argument("--excel-csv", action="store_true", help=T("cli.scores.excel_csv"))
    scores.add_argument("-o", "--output", help=T("common.output"))
    scores.add_argument("--strict", action="store_true", help=T("cli.scores.strict"))
    scores.add_argument("--lang", choices=LANGUAGES, default="ru", help=T("cli.scores.lang"))
    scores.set_defaults(run=cmd_scores)

    check = command("check")
    check.add_argument("input", help=T("cli.check.input"))
    check.add_argument("--strict", action="store_true", help=T("cli.check.strict"))
    check.set_defaults(run=cmd_check)

    merging = command("merge")
    merging.add_argument("files", nargs="+", metavar="FILE", help=T("cli.merge.files"))
    merging.add_argument("--prefer", action="append", metavar="FILE", help=T("cli.merge.prefer"))
    merging.add_argument("-o", "--output", required=True, help=T("cli.merge.output"))
    merging.set_defaults(run=cmd_merge)

    rec = command("reconcile")
    rec.add_argument("--published", metavar="DIR", help=T("cli.reconcile.published"))
    rec.add_argument("--format", choices=["text", "csv", "json"], default="text", help=T("common.format_text"))
    rec.add_argument("--new", action="store_true", help=T("cli.reconcile.new"))
    rec.add_argument("--strict", action="store_true", help=T("cli.reconcile.strict"))
    rec.add_argument("-o", "--output", help=T("common.output"))
    rec.set_defaults(run=cmd_reconcile)

    template = command("template")
    template.add_argument("input", nargs="?", help=T("cli.template.input"))
    template.add_argument("-o", "--output", required=True, help=T("common.output_xlsx"))
    template.add_argument("--lang", choices=LANGUAGES, default="ru", help=T("common.lang"))
    template.set_defaults(run=cmd_template)

    report = command("report")
    report.add_argument("input", nargs="?", help=T("common.input"))
    report.add_argument("-o", "--output", required=True, help=T("common.output_xlsx"))
    report.add_argument("--source", help=T("cli.report.source"))
    report.add_argument("--appeals", help=T("cli.report.appeals"))
    report.add_argument("--previous", help=T("cli.report.previous"))
    report.add_argument("--previous-methodology", help=T("cli.report.previous_methodology"))
    report.add_argument("--lang", choices=LANGUAGES, default="ru", help=T("common.lang"))
    report.set_defaults(run=cmd_report)

    live = command("live")
    live.add_argument("input", nargs="?", help=T("common.input"))
    live.add_argument("-o", "--output", required=True, help=T("common.output_xlsx"))
    live.add_argument("--lang", choices=LANGUAGES, default="ru", help=T("common.lang"))
    live.set_defaults(run=cmd_live)

    books = command("workbooks")
    books.add_argument("-d", "--dir", default="workbooks", help=T("cli.workbooks.dir"))
    books.add_argument("--langs", nargs="+", choices=LANGUAGES, default=["ru", "kk"], help=T("cli.workbooks.langs"))
    books.set_defaults(run=cmd_workbooks)

    changes = command("diff")
    changes.add_argument("old", help=T("cli.diff.old"))
    changes.add_argument("new", help=T("cli.diff.new"))
    changes.add_argument("--format", choices=["text", "csv", "json"], default="text", help=T("common.format_text"))
    changes.add_argument("-o", "--output", help=T("cli.diff.output"))
    changes.set_defaults(run=cmd_diff)

    appeals = command("appeal", description=T("cli.appeal.description"))
    appeals.add_argument("action", choices=["template", "apply", "report"], help=T("cli.appeal.action"))
    appeals.add_argument("input", nargs="?", help=T("cli.appeal.input"))
    appeals.add_argument("log", nargs="?", help=T("cli.appeal.log"))
    appeals.add_argument("--format", choices=["text", "csv", "json"], default="text", help=T("cli.appeal.format"))
    appeals.add_argument("-o", "--output", help=T("cli.appeal.output"))
    appeals.add_argument("--lang", choices=LANGUAGES, default="ru", help=T("cli.appeal.lang"))
    appeals.set_defaults(run=cmd_appeal)

    rules = command("methodology", parents=False)
    rules.add_argument("action", choices=["new", "check"], help=T("cli.methodology.action"))
    rules.add_argument("what", help=T("cli.methodology.what"))
    rules.add_argument("--from", dest="source", help=T("cli.methodology.source"))
    rules.add_argument("-o", "--output", help=T("common.output"))
    rules.set_defaults(run=cmd_methodology)

    years = command("compare", parents=False)
    years.add_argument("previous", help=T("cli.compare.previous"))
    years.add_argument("current", help=T("cli.compare.current"))
    years.add_argument("--previous-methodology", help=T("cli.compare.previous_methodology"))
    years.add_argument("--current-methodology", help=T("cli.compare.current_methodology"))
    years.add_argument("--year", type=int, default=DEFAULT_YEAR, help=T("cli.compare.year"))
    years.add_argument("--format", choices=["text", "csv", "json"], default="text", help=T("common.format_text"))
    years.add_argument("-o", "--output", help=T("common.output"))
    years.set_defaults(run=cmd_compare)

    what = command("whatif")
    what.add_argument("body", help=T("common.body"))
    what.add_argument("input", nargs="?", help=T("common.input"))
    what.add_argument("--to", nargs=2, metavar=("KIND", "VALUE"), help=T("cli.whatif.to"))
    what.add_argument("--format", choices=["text", "csv", "json"], default="text", help=T("common.format_text"))
    what.add_argument("-o", "--output", help=T("common.output"))
    what.set_defaults(run=cmd_whatif)

    road = command("roadmap")
    road.add_argument("body", nargs="?", help=T("cli.roadmap.body"))
    road.add_argument("input", nargs="?", help=T("common.input"))
    road.add_argument("-o", "--output", help=T("cli.roadmap.output"))
    road.add_argument("--all-low", action="store_true", help=T("cli.roadmap.all_low"))
    road.add_argument("-d", "--dir", help=T("cli.roadmap.dir"))
    road.add_argument("--lang", choices=LANGUAGES, default="ru", help=T("common.lang"))
    road.set_defaults(run=cmd_roadmap)

    robust = command("robustness")
    robust.add_argument("input", nargs="?", help=T("common.input"))
    robust.add_argument("--samples", type=int, help=T("cli.robustness.samples"))
    robust.add_argument("--seed", type=int, help=T("cli.robustness.seed"))
    robust.add_argument("--format", choices=["text", "csv", "json"], default="text", help=T("common.format_text"))
    robust.add_argument("-o", "--output", help=T("common.output"))
    robust.add_argument("--plot", metavar="PNG", help=T("cli.robustness.plot"))
    robust.add_argument("--lang", choices=LANGUAGES, default="ru", help=T("common.lang"))
    robust.set_defaults(run=cmd_robustness)

    lite = command("lite")
    lite.add_argument("-d", "--dir", required=True, help=T("cli.lite.dir"))
    lite.add_argument("--wheel-url", required=True, help=T("cli.lite.wheel_url"))
    lite.set_defaults(run=cmd_lite)

    agg = command("aggregate")
    agg.add_argument("appeals", help=T("cli.aggregate.appeals"))
    agg.add_argument("receptions", help=T("cli.aggregate.receptions"))
    agg.add_argument("-o", "--output", help=T("common.output"))
    agg.add_argument("--mapping", help=T("cli.aggregate.mapping"))
    agg.add_argument("--plans", help=T("cli.aggregate.plans"))
    agg.add_argument("--calendar", metavar="FILE", help=T("cli.aggregate.calendar"))
    agg.add_argument("--strict", action="store_true", help=T("cli.aggregate.strict"))
    agg.add_argument("--explain", nargs=2, metavar=("BODY", "INDICATOR"), help=T("cli.aggregate.explain"))
    agg.add_argument("--limit", type=int, default=100, help=T("cli.aggregate.limit"))
    agg.set_defaults(run=cmd_aggregate)

    synth = command("synthetic")
    synth.add_argument("-d", "--dir", required=True, help=T("cli.synthetic.dir"))
    synth.add_argument("--appeals", type=int, default=200_000, help=T("cli.synthetic.appeals"))
    synth.add_argument("--seed", type=int, default=2025, help=T("cli.synthetic.seed"))
    synth.add_argument("--files", choices=["parquet", "csv"], default="parquet", help=T("cli.synthetic.files"))
    synth.add_argument("--bad", action="store_true", help=T("cli.synthetic.bad"))
    synth.add_argument("--shuffled-ids", action="store_true", help=T("cli.synthetic.shuffled_ids"))
    synth.set_defaults(run=cmd_synthetic)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = [str(a) for a in (sys.argv[1:] if argv is None else argv)]
    if args.command is None:
        parser.print_help()
        return 0
    try:
        with replacing(getattr(args, "force", False)), contextlib.ExitStack() as stack:
            if getattr(args, "input", None) == "-":
                _standard_input(args, stack)
            return args.run(args)
    except InputErrors as errors:
        # One problem per line for a log or a pipe; on a terminal wrapped at words, so that a
        # long one stays readable at 80 columns.
        print(f"{T('messages.error')}: {str(errors).splitlines()[0]}", file=sys.stderr)
        for problem in errors.problems:
            said = visible(str(problem))  # a value from the file may hold an escape sequence
            lines = (textwrap.wrap(said, _terminal_width(), initial_indent="  ", subsequent_indent="    ")
                     if sys.stderr.isatty() else [f"  {said}"])
            print("\n".join(lines), file=sys.stderr)
        return EXIT_INPUT
    except (MethodologyError, FileNotFoundError, ValueError, KeyError, MissingExtra) as error:
        print(f"{T('messages.error')}: {visible(str(error))}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"{T('messages.error')}:{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_INPUT
