"""The report workbook's analysis sheets: «Что нужно» (what reaches each indicator's next tier,
the bodies that must publish a roadmap first) and «Устойчивость» (ranks and ratings under the
methodology's plausible readings)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..analyses import robustness, robustness_tables, roadmap
from ..methodology import Methodology
from .common import SCORE_FORMAT, sheet_name
from .table import Table


@contextmanager
def analysis_sheets(methodology: Methodology, submissions, results) -> Iterator[list]:
    """The analysis sheets in the current language of files, for `write_report`'s tables
    (`results`: the submissions evaluated once, shared by every sheet): the roadmap sheet, and
    the function that hands over the robustness sheet, for `write_report` to call when it
    reaches that sheet. Write the report inside the `with`.

    The two sheets share nothing but their inputs, and each holds the interpreter (exact
    arithmetic; NumPy's import and the samples): the robustness sheet is made in a forked
    process (`meanwhile.Forked`, in line where forking is not safe) while this one makes the
    roadmap sheet and then the report's other sheets. For seeded raw inputs of 49 bodies the
    report took 0.57–0.61 s so, against 0.68–0.71 s one after the other (robustness 0.12–0.14 s,
    roadmaps 0.18 s); the parent then still waited 0.04–0.10 s for the child before the report's
    sheets were written, and no longer does."""
    from ..meanwhile import Forked

    with Forked(_robustness_sheet, methodology, submissions, results) as robust:
        title, notes, columns, rows = roadmap.sheet_table(methodology, submissions, results)
        roadmaps = Table(sheet_name("roadmaps"), title, columns, rows, notes, widths=(14, 6, 7, 8, 12, 38, 8, 14, 14, 9, 60),
                         wrap=(5, 10), number_formats={6: SCORE_FORMAT, 9: SCORE_FORMAT})
        yield [roadmaps, robust.result]


def _robustness_sheet(methodology: Methodology, submissions, results) -> Table:
    """The «Устойчивость» sheet: ranks and ratings under the methodology's plausible readings."""
    labels = {code: methodology.body_type_label(code) for code in methodology.body_types}
    result = robustness.analyse(methodology, submissions, results=results)
    title, notes, columns, rows = robustness_tables.sheet_table(methodology, result, labels)
    shares = len(result.rating_labels)
    widths = (14, 6, 7, 9, 8, 8, 8, *([8] * shares), 30, 10, 30, 10)
    percent = {col: "0%" for col in (*range(7, 7 + shares), 8 + shares, 10 + shares)}
    return Table(sheet_name("robustness"), title, columns, rows, notes, widths=widths, wrap=(7 + shares, 9 + shares),
                 number_formats=percent)
