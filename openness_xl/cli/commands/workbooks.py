"""`openness workbooks`: the downloadable workbooks of the embedded year in one go."""
from __future__ import annotations

from pathlib import Path

from ...core.bodies import registry
from ...io.published import published_submissions
from ...io.writing import atomic_write
from ...texts import LANGUAGES, text as T, using
from ..common import load_methodology, provenance, read_files, report_departures


def define(command) -> None:
    """The options of `workbooks`, beside its handler."""
    command.add_argument("-d", "--dir", default="workbooks", help=T("cli.workbooks.dir"))
    command.add_argument("--langs", nargs="+", choices=LANGUAGES, default=["ru", "kk"], help=T("cli.workbooks.langs"))


def run(args) -> int:
    """The command itself: its exit code."""
    from ...core.scoring import evaluate
    from ...workbooks.analyses import analysis_sheets
    from ...workbooks.live import write_live
    from ...workbooks.report import write_report
    from ...workbooks.template import write_template

    methodology = load_methodology(args)
    folder = Path(args.dir)
    submissions = published_submissions(args.year)
    results = evaluate(methodology, submissions)
    args.input, args.command = None, "report"
    files = {}
    for lang in args.langs:
        suffix = "" if lang == "ru" else f"-{lang}"
        with using(lang):
            files[f"inputs-template-{args.year}{suffix}.xlsx"] = write_template(methodology, registry(args.year), lang=lang)
            with analysis_sheets(methodology, submissions, results) as analyses:
                files[f"report-{args.year}{suffix}.xlsx"] = write_report(
                    methodology, results, provenance(args), args.year, analyses, lang=lang,
                    departures=report_departures(args, methodology, results))
            files[f"live-{args.year}{suffix}.xlsx"] = write_live(methodology, registry(args.year), submissions, lang)
    for name, data in files.items():
        atomic_write(folder / name, data, protect=read_files(args))
        print(T("messages.wrote", path=folder / name))
    return 0
