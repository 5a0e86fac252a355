"""`openness scores -o FILE.xlsx`: the scores table as a workbook, numbers as numbers."""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from ..methodology import Methodology
from ..io.writing import score_columns, score_rows
from ..core.scoring import BodyResult
from ..texts import text, using
from .common import SCORE_FORMAT, finish, new_workbook, sheet_name


def write_scores(methodology: Methodology, results: Sequence[BodyResult], lang: str = "ru") -> bytes:
    """One sheet «Баллы»: the columns and values of the scores CSV (machine-readable in every
    language; the title and sheet name in `lang`), a row per body (deterministic bytes)."""
    with using(lang):
        workbook, buffer = new_workbook(text("report.scores_title", kind="files", year=methodology.year))
        sheet = workbook.add_worksheet(sheet_name("scores"))
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    score = workbook.add_format({"num_format": SCORE_FORMAT})
    columns = score_columns(methodology)
    sheet.write_row(0, 0, columns, head)
    for row, values in enumerate(score_rows(methodology, results), start=1):
        for col, value in enumerate(values):
            if isinstance(value, Fraction):
                sheet.write_number(row, col, float(value), score)
            elif isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(row, col, float(value))
            elif value is not None:
                sheet.write_string(row, col, str(value))
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, len(columns) - 1, 12)
    return finish(workbook, buffer)
