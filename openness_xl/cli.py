"""The `openness` command: score, check and reconcile the Openness Index."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .bodies import registry
from .inputs import InputErrors, load_inputs
from .methodology import MethodologyError, load
from .output import atomic_write, scores_csv, scores_table
from .reference import published_submissions


def _methodology(args):
    return load(Path(args.methodology) if args.methodology else args.year)


def _submissions(args, methodology):
    """The input file's submissions, or the embedded published scores of the year."""
    if args.input is None:
        return published_submissions(args.year), []
    loaded = load_inputs(args.input, methodology, registry(args.year))
    return loaded.submissions, loaded.warnings


def _emit(text: str, args, protect: Sequence = ()) -> None:
    if args.output:
        atomic_write(args.output, text.encode("utf-8"), protect=protect)
    else:
        sys.stdout.write(text)


def cmd_scores(args) -> int:
    methodology = _methodology(args)
    submissions, warnings = _submissions(args, methodology)
    from .scoring import evaluate

    results = evaluate(methodology, submissions)
    for result in results:
        if result.missing:
            warnings.append(f"{result.body}: no data for {', '.join(result.missing)}; "
                            f"criteria and index left empty where they need them")
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.strict and any(r.missing for r in results):
        print("error: --strict and some indicators have no data (see the warnings above)", file=sys.stderr)
        return 2
    text = scores_csv(methodology, results) if args.format == "csv" else scores_table(methodology, results)
    _emit(text, args, protect=[args.input] if args.input else [])
    return 0


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

    methodology = _methodology(args)
    submissions, warnings = _submissions(args, methodology)
    results = evaluate(methodology, submissions)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    data = write_report(methodology, results, _provenance(args), args.year)
    atomic_write(args.output, data, protect=[args.input] if args.input else [])
    print(f"wrote {args.output}: {len(results)} bodies")
    return 0


def cmd_template(args) -> int:
    from .workbooks.template import write_template

    methodology = _methodology(args)
    atomic_write(args.output, write_template(methodology, registry(args.year)))
    print(f"wrote {args.output}: input template for {len(registry(args.year))} bodies, methodology {methodology.year}")
    return 0


def cmd_live(args) -> int:
    from .workbooks.live import write_live

    methodology = _methodology(args)
    submissions, warnings = _submissions(args, methodology)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    atomic_write(args.output, write_live(methodology, registry(args.year), submissions),
                 protect=[args.input] if args.input else [])
    print(f"wrote {args.output}: live workbook calling the OPENNESS_… functions")
    return 0


def cmd_workbooks(args) -> int:
    """Regenerate the downloadable workbooks of the embedded year in one go."""
    from .scoring import evaluate
    from .workbooks.live import write_live
    from .workbooks.report import write_report
    from .workbooks.template import write_template

    methodology = _methodology(args)
    folder = Path(args.dir)
    submissions = published_submissions(args.year)
    args.input, args.command = None, "report"
    files = {
        f"inputs-template-{args.year}.xlsx": write_template(methodology, registry(args.year)),
        f"report-{args.year}.xlsx": write_report(methodology, evaluate(methodology, submissions), _provenance(args), args.year),
        f"live-{args.year}.xlsx": write_live(methodology, registry(args.year), submissions),
    }
    for name, data in files.items():
        atomic_write(folder / name, data)
        print(f"wrote {folder / name}")
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
    from .reconcile import reconcile, summary

    methodology = _methodology(args)
    findings = reconcile(methodology, args.year)
    if not args.all:
        shown = [f for f in findings if f.check != "tier-label"]
    else:
        shown = findings
    lines = [f"Reconciliation of the published {args.year} tables with methodology {Path(methodology.path).name}", ""]
    lines += [str(f) for f in shown]
    hidden = len(findings) - len(shown)
    if hidden:
        lines += ["", f"({hidden} printed tier labels disagree with the percent rule: see --all)"]
    lines += ["", summary(findings)]
    _emit("\n".join(lines) + "\n", args)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="openness", description="Openness Index of Kazakhstan's government bodies")
    parser.add_argument("--version", action="version", version=f"openness-xl {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--year", type=int, default=2025, help="methodology year shipped with the package (default 2025)")
    common.add_argument("--methodology", help="a methodology TOML file instead of the shipped year")
    sub = parser.add_subparsers(dest="command", required=True)

    scores = sub.add_parser("scores", parents=[common], help="score bodies (default: the embedded published scores)")
    scores.add_argument("input", nargs="?", help="long table body,indicator,field,value (.csv or .xlsx)")
    scores.add_argument("--format", choices=["csv", "table"], default="csv")
    scores.add_argument("-o", "--output", help="write here (atomically) instead of standard output")
    scores.add_argument("--strict", action="store_true", help="missing indicators are an error")
    scores.set_defaults(run=cmd_scores)

    template = sub.add_parser("template", parents=[common], help="the input template (.xlsx) with validation")
    template.add_argument("-o", "--output", required=True)
    template.set_defaults(run=cmd_template)

    report = sub.add_parser("report", parents=[common], help="the report workbook (.xlsx) with live formulas")
    report.add_argument("input", nargs="?", help="input file (default: the embedded published scores)")
    report.add_argument("-o", "--output", required=True)
    report.set_defaults(run=cmd_report)

    live = sub.add_parser("live", parents=[common], help="the live workbook (.xlsx) calling the Excel functions")
    live.add_argument("input", nargs="?", help="input file (default: the embedded published scores)")
    live.add_argument("-o", "--output", required=True)
    live.set_defaults(run=cmd_live)

    books = sub.add_parser("workbooks", parents=[common], help="regenerate the template, report and live workbooks of the year")
    books.add_argument("-d", "--dir", default="workbooks")
    books.set_defaults(run=cmd_workbooks)

    check = sub.add_parser("check", parents=[common], help="validate an input file only")
    check.add_argument("input")
    check.set_defaults(run=cmd_check)

    rec = sub.add_parser("reconcile", parents=[common], help="published tables against the recomputation")
    rec.add_argument("--all", action="store_true", help="also list every printed tier label that disagrees")
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
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
