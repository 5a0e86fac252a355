"""The report workbook's analysis sheets: «Что нужно» (what reaches each indicator's next tier,
the bodies that must publish a roadmap first) and «Устойчивость» (ranks and ratings under the
methodology's plausible readings)."""
from __future__ import annotations

from ..analyses import robustness, robustness_tables, roadmap
from ..methodology import Methodology
from .common import SCORE_FORMAT, sheet_name
from .table import Table


def analysis_sheets(methodology: Methodology, submissions, results) -> list[Table]:
    """The analysis sheets in the current language of files, for `write_report`'s tables
    (`results`: the submissions evaluated once, shared by every sheet)."""
    title, notes, columns, rows = roadmap.sheet_table(methodology, submissions, results)
    sheets = [Table(sheet_name("roadmaps"), title, columns, rows, notes, widths=(14, 6, 7, 8, 12, 38, 8, 14, 14, 9, 60),
                    wrap=(5, 10), number_formats={6: SCORE_FORMAT, 9: SCORE_FORMAT})]
    labels = {code: methodology.body_type_label(code) for code in methodology.body_types}
    result = robustness.analyse(methodology, submissions, results=results)
    title, notes, columns, rows = robustness_tables.sheet_table(methodology, result, labels)
    shares = len(result.rating_labels)
    widths = (14, 6, 7, 9, 8, 8, 8, *([8] * shares), 30, 10, 30, 10)
    percent = {col: "0%" for col in (*range(7, 7 + shares), 8 + shares, 10 + shares)}
    return sheets + [Table(sheet_name("robustness"), title, columns, rows, notes, widths=widths,
                           wrap=(7 + shares, 9 + shares), number_formats=percent)]
