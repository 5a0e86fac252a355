"""The `openness` command: score, check and reconcile the Openness Index."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .bodies import registry
from .extras import MissingExtra
from .inputs import InputErrors, load_inputs
from .methodology import MethodologyError, load
from .output import OutputRefused, atomic_write, refuse_inputs, scores_csv, scores_table
from .reference import published_submissions


def _methodology(args):
    return load(Path(args.methodology) if args.methodology else args.year)


def _submissions(args, methodology):
    """The input file's submissions, or the embedded published scores of the year; the
    reader's warnings (macros, external links) go to standard error."""
    if args.input is None:
        return published_submissions(args.year)
    loaded = load_inputs(args.input, methodology, registry(args.year))
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return loaded.submissions


def read_files(args) -> list:
    """Every file the command reads: an output may be none of them, however it is spelled."""
    names = ("input", "methodology", "mapping", "plans", "appeals", "receptions", "old", "new", "log", "source",
             "previous", "current", "previous_methodology", "current_methodology")
    files = [getattr(args, name) for name in names if getattr(args, name, None)]
    if getattr(args, "published", None) and Path(args.published).is_dir():
        files += [str(p) for p in sorted(Path(args.published).rglob("*")) if p.is_file()]
    return files


# What each output format may be called: a file named otherwise is refused, never written
# in a format its name does not say.
SUFFIXES = {"csv": (".csv", ".txt"), "table": (".txt", ".csv"), "xlsx": (".xlsx",), "text": (".txt", ".md", ".csv"),
            "docx": (".docx",), "png": (".png",)}


def output_format(path, wanted: str, also: Sequence[str] = ()) -> str:
    """The format to write `path` in: `wanted`, or one of `also` its suffix names; else an error."""
    suffix = Path(path).suffix.lower()
    for name in (wanted, *also):
        if suffix in SUFFIXES[name]:
            return name
    allowed = sorted({s for name in (wanted, *also) for s in SUFFIXES[name]})
    raise OutputRefused(f"{path}: this command writes {' or '.join((wanted, *also))}; "
                        f"give the output a name ending in {', '.join(allowed)}")


def check_output(args, kind: str, also: Sequence[str] = ()) -> str | None:
    """Refuse a wrong output before any work is done: its name must fit the format, and it
    may be none of the inputs. The format to write, or None when printing to the terminal."""
    if not getattr(args, "output", None):
        return None
    chosen = output_format(args.output, kind, also)
    refuse_inputs(args.output, read_files(args))
    return chosen


def _emit(text: str, args, kind: str = "text") -> None:
    if args.output:
        output_format(args.output, kind)
        atomic_write(args.output, text.encode("utf-8"), protect=read_files(args))
    else:
        sys.stdout.write(text)


def cmd_scores(args) -> int:
    from .scoring import evaluate

    methodology = _methodology(args)
    chosen = check_output(args, args.format, also=("xlsx",))
    results = evaluate(methodology, _submissions(args, methodology))
    for result in results:
        if result.missing:
            print(f"warning: {result.body}: no data for {', '.join(result.missing)}; "
                  f"criteria and index left empty where they need them", file=sys.stderr)
    absent = _absent_bodies(args, results)
    if args.strict and (absent or any(r.missing for r in results)):
        print("error: --strict and some bodies or indicators have no data (see the warnings above)", file=sys.stderr)
        return 2
    if chosen == "xlsx":
        from .workbooks.scores import write_scores

        atomic_write(args.output, write_scores(methodology, results), protect=read_files(args))
        return 0
    text = scores_csv(methodology, results) if args.format == "csv" else scores_table(methodology, results)
    _emit(text, args, args.format)
    return 0


def _absent_bodies(args, results) -> list:
    """Warn of the assessed bodies the input does not mention: the ranks leave them out."""
    given = {r.body for r in results}
    absent = [b for b in registry(args.year) if b.code not in given]
    for body_type in sorted({b.type for b in absent}):
        names = [b.code for b in absent if b.type == body_type]
        print(f"warning: no data at all for {len(names)} {body_type} bodies ({', '.join(names)}): "
              f"ranks among the {body_type} bodies are among those given only", file=sys.stderr)
    return absent


def _provenance(args) -> list[tuple[str, str]]:
    """Where the scores came from, for the workbook's provenance sheet: files and their SHA-256."""
    import hashlib

    from .reference import DATA

    if args.input is None:
        files = [DATA / str(args.year) / name for name in ("indicator_scores.csv", "corrections.csv")]
        rows = [("Входные данные", f"опубликованные баллы индикаторов {args.year} (встроены в пакет)")]
    else:
        files = [Path(args.input)]
        rows = [("Входные данные", Path(args.input).name)]
    rows += [(f"{path.name}, SHA-256", hashlib.sha256(path.read_bytes()).hexdigest()) for path in files]
    rows.append(("Команда", " ".join(["openness", args.command] + ([Path(args.input).name] if args.input else []))))
    return rows


def cmd_report(args) -> int:
    from .scoring import evaluate
    from .workbooks.report import write_report
    from .workbooks.table import Table

    methodology = _methodology(args)
    check_output(args, "xlsx")
    submissions = _submissions(args, methodology)
    results = evaluate(methodology, submissions)
    if not results:
        print(f"error: {args.input}: no body has any data; nothing to report (fill the template first)", file=sys.stderr)
        return 1
    _absent_bodies(args, results)
    provenance, tables = _provenance(args), []
    if args.source or args.appeals:
        from .appeal import version_chain
        from .workbooks.report import CHANGES

        if not (args.source and args.appeals and args.input):
            raise ValueError("--source and --appeals go together, with the final input as INPUT")
        chain, (columns, rows) = version_chain(methodology, registry(args.year), args.source, args.appeals, args.input)
        provenance = [*provenance, *chain]
        tables.append(Table(CHANGES, "Принятые обжалования и их эффект (openness diff)", columns, rows))
    if args.previous:
        from . import year_over_year as compare
        from .workbooks.report import DYNAMICS

        previous = compare.side(args.previous, args.previous_methodology, args.year)
        changes = compare.compare(previous, compare.from_results(f"{methodology.year}", methodology, results))
        tables.append(Table(DYNAMICS, f"Динамика: {previous.name} → {methodology.year} (openness compare)",
                            compare.CSV_COLUMNS, compare.rows(changes)))
        provenance = [*provenance, ("Предыдущий год", previous.name)]
    from .workbooks.analyses import analysis_sheets

    tables += analysis_sheets(methodology, submissions, {b.code: b.name_ru for b in registry(args.year)})
    data = write_report(methodology, results, provenance, args.year, tables)
    atomic_write(args.output, data, protect=read_files(args))
    print(f"wrote {args.output}: {len(results)} bodies")
    return 0


def cmd_robustness(args) -> int:
    from . import rank_robustness as robustness

    methodology = _methodology(args)
    check_output(args, args.format)
    if args.plot:
        output_format(args.plot, "png")
    result = robustness.analyse(methodology, _submissions(args, methodology), args.samples, args.seed)
    labels = {code: methodology.body_type_label(code) for code in methodology.body_types}
    text = robustness.render_csv(result) if args.format == "csv" else robustness.render_text(methodology, result, labels)
    _emit(text, args, args.format)
    if args.plot:
        from .rank_robustness_plot import rank_intervals

        atomic_write(args.plot, rank_intervals(methodology, result), protect=read_files(args))
        print(f"wrote {args.plot}", file=sys.stderr)
    return 0


def cmd_template(args) -> int:
    from .workbooks.template import write_template

    methodology = _methodology(args)
    check_output(args, "xlsx")
    if Path(args.output).exists() and not args.force:
        print(f"error: {args.output} exists (it may be a filled template); give --force to replace it", file=sys.stderr)
        return 1
    submissions = _submissions(args, methodology) if args.input else ()
    atomic_write(args.output, write_template(methodology, registry(args.year), submissions), protect=read_files(args))
    filled = f", prefilled from {args.input}" if args.input else ""
    print(f"wrote {args.output}: input template for {len(registry(args.year))} bodies{filled}, "
          f"computed on the «Расчёт» sheet, methodology {methodology.year}")
    return 0


def cmd_live(args) -> int:
    from .workbooks.live import write_live

    methodology = _methodology(args)
    check_output(args, "xlsx")
    atomic_write(args.output, write_live(methodology, registry(args.year), _submissions(args, methodology)),
                 protect=read_files(args))
    print(f"wrote {args.output}: live workbook calling the OPENNESS_… functions")
    return 0


def cmd_workbooks(args) -> int:
    """Regenerate the downloadable workbooks of the embedded year in one go."""
    from .scoring import evaluate
    from .workbooks.analyses import analysis_sheets
    from .workbooks.live import write_live
    from .workbooks.report import write_report
    from .workbooks.template import write_template

    methodology = _methodology(args)
    folder = Path(args.dir)
    submissions = published_submissions(args.year)
    names = {b.code: b.name_ru for b in registry(args.year)}
    args.input, args.command = None, "report"
    files = {
        f"inputs-template-{args.year}.xlsx": write_template(methodology, registry(args.year)),
        f"report-{args.year}.xlsx": write_report(methodology, evaluate(methodology, submissions), _provenance(args),
                                                 args.year, analysis_sheets(methodology, submissions, names)),
        f"live-{args.year}.xlsx": write_live(methodology, registry(args.year), submissions),
    }
    for name, data in files.items():
        atomic_write(folder / name, data, protect=read_files(args))
        print(f"wrote {folder / name}")
    return 0


def cmd_diff(args) -> int:
    from . import diff

    methodology = _methodology(args)
    chosen = check_output(args, args.format, also=("xlsx",))
    result = diff.between_files(methodology, registry(args.year), args.old, args.new)
    if chosen == "xlsx":
        from .workbooks.table import write_table

        data = write_table(f"{Path(args.old).name} → {Path(args.new).name}", "Изменения", diff.CSV_COLUMNS,
                           diff.rows(result))
        atomic_write(args.output, data, protect=read_files(args))
    else:
        text = diff.render_csv(result) if args.format == "csv" else diff.render_text(
            result, Path(args.old).name, Path(args.new).name)
        _emit(text, args, args.format)
    return 1 if result.changed else 0  # like diff(1): 1 means the versions differ


def cmd_appeal(args) -> int:
    from . import appeal

    methodology = _methodology(args)
    bodies = registry(args.year)
    # One command with three actions: what each needs is checked here, with the usage in words.
    if args.action == "template" and (args.input or args.log or not args.output):
        raise ValueError("openness appeal template -o LOG.xlsx (or .csv) takes no other file")
    if args.action != "template" and not (args.input and args.log):
        raise ValueError(f"openness appeal {args.action} needs the source data and the appeal log: SOURCE LOG")
    if args.action == "apply" and not args.output:
        raise ValueError("openness appeal apply SOURCE LOG -o FINAL.csv: give the final input's file with -o")
    if args.action == "template":
        chosen = check_output(args, "csv", also=("xlsx",))
        if chosen == "xlsx":
            from .workbooks.appeal_log import write_appeal_log

            atomic_write(args.output, write_appeal_log(methodology, bodies), protect=read_files(args))
        else:
            atomic_write(args.output, appeal.template_csv().encode("utf-8"), protect=read_files(args))
        print(f"wrote {args.output}")
        return 0
    chosen = check_output(args, "csv" if args.action == "apply" else args.format, also=("xlsx",))
    submissions = _submissions(args, methodology)
    appeals = appeal.read_log(args.log)
    if args.action == "apply":
        final, applied = appeal.apply(methodology, bodies, submissions, appeals, str(args.log))
        if chosen == "xlsx":
            from .workbooks.template import write_template

            data = write_template(methodology, bodies, final)
        else:
            data = appeal.final_csv(methodology, final).encode("utf-8")
        atomic_write(args.output, data, protect=read_files(args))
        print(f"wrote {args.output}: {len(applied)} of {len(appeals)} appeal(s) applied", file=sys.stderr)
        return 0
    effects = appeal.effects(methodology, bodies, submissions, appeals, str(args.log))
    if chosen == "xlsx":
        from .workbooks.table import write_table

        atomic_write(args.output, write_table("Обжалования: эффект", "Обжалования", appeal.REPORT_COLUMNS,
                                              appeal.report_rows(effects)), protect=read_files(args))
        return 0
    _emit(appeal.report_csv(effects) if args.format == "csv" else appeal.render_report(effects), args, args.format)
    return 0


def cmd_compare(args) -> int:
    from . import year_over_year as compare

    check_output(args, args.format)
    previous = compare.side(args.previous, args.previous_methodology, args.year)
    current = compare.side(args.current, args.current_methodology, args.year)
    changes = compare.compare(previous, current)
    text = compare.render_csv(changes) if args.format == "csv" else compare.render_text(changes, previous, current)
    _emit(text, args, args.format)
    return 0


def cmd_whatif(args) -> int:
    from . import what_it_takes as whatif

    methodology = _methodology(args)
    check_output(args, args.format)
    body = registry(args.year).find(args.body).code
    submissions = _submissions(args, methodology)
    if body not in {b for b, _, _ in submissions}:
        raise ValueError(f"{args.body}: no data for this body in {args.input or 'the embedded scores'}")
    rows = whatif.indicator_rows(methodology, submissions, body)
    plans = whatif.plan(methodology, submissions, body, *args.to) if args.to else []
    text = whatif.render_csv(body, rows, plans) if args.format == "csv" else whatif.render_text(
        methodology, body, rows, plans)
    _emit(text, args, args.format)
    return 0


def cmd_roadmap(args) -> int:
    from . import roadmap
    from .roadmap_document import write_roadmap
    from .scoring import evaluate

    methodology = _methodology(args)
    bodies = registry(args.year)
    submissions = _submissions(args, methodology)
    if args.all_low:
        if not args.dir:
            raise ValueError("--all-low writes one document per body: give the folder with -d")
        chosen = roadmap.low_bodies(methodology, evaluate(methodology, submissions))
        targets = [(code, Path(args.dir) / f"roadmap-{code}.docx") for code in chosen]
    else:
        if not args.body or not args.output:
            raise ValueError("give BODY and -o roadmap.docx, or --all-low -d DIR")
        output_format(args.output, "docx")
        targets = [(bodies.find(args.body).code, Path(args.output))]
    names = {b.code: b.name_ru for b in bodies}
    for code, path in targets:
        atomic_write(path, write_roadmap(roadmap.build(methodology, submissions, code, names)), protect=read_files(args))
        print(f"wrote {path}")
    return 0


def cmd_lite(args) -> int:
    from . import lite

    methodology = _methodology(args)
    for path in lite.write(Path(args.dir), lite.files(methodology, args.wheel_url, __version__), read_files(args)):
        print(f"wrote {path}")
    return 0


def cmd_aggregate(args) -> int:
    import time

    check_output(args, "csv")
    from .records.pipeline import aggregate, explain
    from .records.schema import load_mapping

    methodology = _methodology(args)
    bodies = registry(args.year)
    mapping = load_mapping(args.mapping)
    if args.explain:
        body, indicator_id = args.explain
        _emit(explain(args.appeals, args.receptions, methodology, bodies, mapping, body, indicator_id, args.limit), args, "csv")
        return 0
    plans = None
    if args.plans:
        from .records.plans import read_plans

        plans = read_plans(args.plans, bodies)
    started = time.perf_counter()
    result = aggregate(args.appeals, args.receptions, methodology, bodies, mapping, plans,
                       progress=sys.stderr.isatty())
    elapsed = time.perf_counter() - started
    problems = result.appeal_problems.lines("appeals") + result.reception_problems.lines("receptions")
    for line in problems:
        print(("error: " if args.strict else "warning: ") + line, file=sys.stderr)
    print(f"aggregated {result.records['appeals']:,} appeals and {result.records['receptions']:,} reception requests "
          f"for {len(result.inputs)} bodies in {elapsed:.1f} s", file=sys.stderr)
    if not plans:
        print("note: reception intensity needs each body's plan (--plans body,plan CSV); left out", file=sys.stderr)
    unplanned = [code for code in result.inputs if plans and code not in plans]
    if unplanned:
        print(f"{'error' if args.strict else 'warning'}: {args.plans} gives no plan for {', '.join(unplanned)}: "
              f"their reception intensity is left out, not scored", file=sys.stderr)
    if args.strict and (problems or unplanned):
        return 1
    _emit(result.csv(methodology, bodies), args, "csv")
    return 0


def cmd_synthetic(args) -> int:
    from .records.synthetic import generate

    extract = generate(args.dir, _methodology(args), registry(args.year), appeals=args.appeals, seed=args.seed,
                       inject_bad=args.bad, fmt=args.format, with_expected=False, ids_in_order=not args.shuffled_ids)
    print(f"wrote {extract.appeals} and {extract.receptions}")
    return 0


def cmd_check(args) -> int:
    methodology = _methodology(args)
    loaded = load_inputs(args.input, methodology, registry(args.year))
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    entries = sum(len(e) for _, _, e in loaded.submissions)
    print(f"{args.input}: OK — {len(loaded.submissions)} bodies, {entries} indicator entries")
    return 0


def cmd_reconcile(args) -> int:
    from .output import csv_text
    from .reconcile import CSV_COLUMNS, finding_rows, reconcile, render_text

    methodology = _methodology(args)
    check_output(args, args.format)
    source = Path(args.published) if args.published else args.year
    result = reconcile(methodology, source)
    if args.format == "csv":
        text = csv_text(CSV_COLUMNS, finding_rows(result))
    else:
        tables = f"the tables in {args.published}" if args.published else f"the published {args.year} tables"
        text = render_text(result, tables, Path(methodology.path).name, new_only=args.new)
    _emit(text, args, args.format)
    # A new finding fails the run; --strict fails on documented report errors too.
    return 1 if result.new or (args.strict and result.findings) else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="openness", description="Openness Index of Kazakhstan's government bodies")
    parser.add_argument("--version", action="version", version=f"openness-xl {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--year", type=int, default=2025, help="methodology year shipped with the package (default 2025)")
    common.add_argument("--methodology", help="a methodology TOML file instead of the shipped year")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    scores = sub.add_parser("scores", parents=[common], help="score bodies (default: the embedded published scores)")
    scores.add_argument("input", nargs="?", help="long table body,indicator,field,value (.csv or .xlsx)")
    scores.add_argument("--format", choices=["csv", "table"], default="csv")
    scores.add_argument("-o", "--output", help="write here (atomically) instead of standard output")
    scores.add_argument("--strict", action="store_true", help="missing indicators are an error")
    scores.set_defaults(run=cmd_scores)

    template = sub.add_parser("template", parents=[common],
                              help="the input template (.xlsx): validation, and the index computed by native formulas")
    template.add_argument("input", nargs="?", help="prefill from this input file (a long table or a filled template)")
    template.add_argument("-o", "--output", required=True)
    template.add_argument("--force", action="store_true", help="replace an existing output file")
    template.set_defaults(run=cmd_template)

    report = sub.add_parser("report", parents=[common], help="the report workbook (.xlsx) with live formulas")
    report.add_argument("input", nargs="?", help="input file (default: the embedded published scores)")
    report.add_argument("-o", "--output", required=True)
    report.add_argument("--source", help="the source data INPUT was made from (with --appeals): the version chain")
    report.add_argument("--appeals", help="the appeal log applied to --source to give INPUT")
    report.add_argument("--previous", help="the previous year for the sheet «Динамика» (as for openness compare)")
    report.add_argument("--previous-methodology", help="the previous year's methodology TOML")
    report.set_defaults(run=cmd_report)

    live = sub.add_parser("live", parents=[common], help="the live workbook (.xlsx) calling the Excel functions")
    live.add_argument("input", nargs="?", help="input file (default: the embedded published scores)")
    live.add_argument("-o", "--output", required=True)
    live.set_defaults(run=cmd_live)

    books = sub.add_parser("workbooks", parents=[common], help="regenerate the template, report and live workbooks of the year")
    books.add_argument("-d", "--dir", default="workbooks")
    books.set_defaults(run=cmd_workbooks)

    changes = sub.add_parser("diff", parents=[common],
                             help="what changed between two input versions (or two score files), and what it moved")
    changes.add_argument("old", help="the earlier version: an input file or a scores CSV")
    changes.add_argument("new", help="the later version")
    changes.add_argument("--format", choices=["text", "csv"], default="text")
    changes.add_argument("-o", "--output", help="write here (.txt, .csv or .xlsx) instead of standard output")
    changes.set_defaults(run=cmd_diff)

    appeals = sub.add_parser("appeal", parents=[common],
                             help="the appeal log: a template, the final input version, each appeal's effect",
                             description="template -o LOG: an empty appeal log (.xlsx or .csv). "
                                         "apply SOURCE LOG -o FINAL: the accepted appeals applied, the final input. "
                                         "report SOURCE LOG: each appeal's effect if accepted.")
    appeals.add_argument("action", choices=["template", "apply", "report"])
    appeals.add_argument("input", nargs="?", help="apply, report: the source data (an input file)")
    appeals.add_argument("log", nargs="?", help="apply, report: the appeal log (.csv or .xlsx)")
    appeals.add_argument("--format", choices=["text", "csv"], default="text", help="report: text or CSV")
    appeals.add_argument("-o", "--output", help="template: the log; apply: the final input (.csv, or .xlsx for a "
                                                "template); report: instead of standard output")
    appeals.set_defaults(run=cmd_appeal)

    years = sub.add_parser("compare", help="year-over-year change: improved, declined or kept, per body and item")
    years.add_argument("previous", help="2024 (the 2025 report's statements about 2024), a year of published tables "
                                        "(2025), a directory of published tables, a scores CSV or an input file")
    years.add_argument("current", help="the same kinds, for the later year")
    years.add_argument("--previous-methodology", help="the earlier year's methodology TOML")
    years.add_argument("--current-methodology", help="the later year's methodology TOML")
    years.add_argument("--year", type=int, default=2025, help="methodology year for files without one (default 2025)")
    years.add_argument("--format", choices=["text", "csv"], default="text")
    years.add_argument("-o", "--output")
    years.set_defaults(run=cmd_compare)

    what = sub.add_parser("whatif", parents=[common], help="what it takes a body: per indicator and to a target")
    what.add_argument("body", help="the body's code or name, e.g. МЗ or «Акимат г. Алматы»")
    what.add_argument("input", nargs="?", help="input file (default: the embedded published scores)")
    what.add_argument("--to", nargs=2, metavar=("KIND", "VALUE"),
                      help="tier высокий | letter А | rating АА | rank 5: the fewest points that reach it")
    what.add_argument("--format", choices=["text", "csv"], default="text")
    what.add_argument("-o", "--output")
    what.set_defaults(run=cmd_whatif)

    road = sub.add_parser("roadmap", parents=[common], help="the draft «Дорожная карта» of a body (.docx, Russian)")
    road.add_argument("body", nargs="?", help="the body's code or name")
    road.add_argument("input", nargs="?", help="input file (default: the embedded published scores)")
    road.add_argument("-o", "--output", help="the document (.docx)")
    road.add_argument("--all-low", action="store_true",
                      help="one document per body rated below the methodology's [roadmap] threshold, into -d")
    road.add_argument("-d", "--dir", help="the folder for --all-low")
    road.set_defaults(run=cmd_roadmap)

    robust = sub.add_parser("robustness", parents=[common],
                            help="how ranks and ratings move under the plausible readings of the methodology")
    robust.add_argument("input", nargs="?", help="long table body,indicator,field,value (default: the embedded scores)")
    robust.add_argument("--samples", type=int, help="how many samples (default: the methodology's, 10000)")
    robust.add_argument("--seed", type=int, help="seed of the sampling (default: the methodology's, 2025)")
    robust.add_argument("--format", choices=["text", "csv"], default="text", help="text (default) or csv")
    robust.add_argument("-o", "--output", help="write the table to this file instead of the screen")
    robust.add_argument("--plot", metavar="PNG", help="also draw the rank intervals into this .png")
    robust.set_defaults(run=cmd_robustness)

    lite = sub.add_parser("lite", parents=[common], help="main.py and requirements.txt for an xlwings Lite workbook")
    lite.add_argument("-d", "--dir", required=True, help="write the two files into this folder")
    lite.add_argument("--wheel-url", required=True, help="https address where the openness-xl wheel is served")
    lite.set_defaults(run=cmd_lite)

    agg = sub.add_parser("aggregate", parents=[common], help="raw e-Otinish records → indicator inputs (long CSV)")
    agg.add_argument("appeals", help="appeals extract (.parquet, .csv or .xlsx)")
    agg.add_argument("receptions", help="reception requests extract (.parquet, .csv or .xlsx)")
    agg.add_argument("-o", "--output")
    agg.add_argument("--mapping", help="TOML mapping of the export's column names, date formats and codes")
    agg.add_argument("--plans", help="CSV body,plan: minimum receptions per body, for reception intensity")
    agg.add_argument("--strict", action="store_true", help="records with problems are an error")
    agg.add_argument("--explain", nargs=2, metavar=("BODY", "INDICATOR"), help="list the records behind a count")
    agg.add_argument("--limit", type=int, default=100, help="with --explain: at most this many records")
    agg.set_defaults(run=cmd_aggregate)

    synth = sub.add_parser("synthetic", parents=[common], help="write a seeded synthetic extract (for tests and benchmarks)")
    synth.add_argument("-d", "--dir", required=True)
    synth.add_argument("--appeals", type=int, default=200_000)
    synth.add_argument("--seed", type=int, default=2025)
    synth.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    synth.add_argument("--bad", action="store_true", help="inject a few records of each kind of bad data")
    synth.add_argument("--shuffled-ids", action="store_true", help="appeal ids in random order instead of A1, A2, …")
    synth.set_defaults(run=cmd_synthetic)

    check = sub.add_parser("check", parents=[common], help="validate an input file only")
    check.add_argument("input")
    check.set_defaults(run=cmd_check)

    rec = sub.add_parser("reconcile", parents=[common], help="published tables against the recomputation")
    rec.add_argument("--published", metavar="DIR",
                     help="check these tables (the layout of openness_xl/data/2025/) instead of the embedded ones")
    rec.add_argument("--format", choices=["text", "csv"], default="text")
    rec.add_argument("--new", action="store_true", help="list only the new findings, not the documented errors")
    rec.add_argument("--strict", action="store_true", help="exit 1 on documented report errors too")
    rec.add_argument("-o", "--output")
    rec.set_defaults(run=cmd_reconcile)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InputErrors as errors:
        print(f"error: {errors}", file=sys.stderr)
        return 1
    except MethodologyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (FileNotFoundError, ValueError, KeyError, MissingExtra) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"error:{where}: {error.strerror or error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
