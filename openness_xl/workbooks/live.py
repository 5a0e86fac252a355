"""The live workbook: the input template plus a «Расчёт» sheet whose cells call the project's
Excel functions (xlwings UDFs), one array formula per column.

The functions read each body's inputs where «Проверка» finds them by the body's code, not
the input sheets' rows by position, so that sorting an input sheet moves no score to another
body; a score whose inputs «Проверка» finds wrong (or given both raw and direct) points
there, as on the template's own «Расчёт». A place is given only among a complete group.

Each formula cell is stored with the value the template's «Расчёт» computes for the same
cells (`calculated_values`, the cell semantics of `openness_xl.excel.cells` — the code the Excel
functions run), so the file shows numbers before the add-in recalculates, and a
recalculation with the add-in gives the same numbers.
"""
from __future__ import annotations

from typing import Sequence

from ..excel import cells, native
from ..core import formula_text as ft
from ..core.bodies import BodyRegistry
from ..methodology import Methodology
from ..core.scoring import Entry
from ..texts import text as T, using
from .calculation import FIRST_COL, Styles, calculated_values, see_checks, write_checks
from .common import SCORE_FORMAT, column_range, finish, new_workbook, sheet_name
from ..io.template_reader import FIRST_BODY_ROW, HEAD_ROW, KEY_ROW, TITLE_ROW
from .input_sheets import input_values, write_body_columns, write_input_sheets

CONF = "xlwings.conf"
UDF_MODULE = "openness_udfs"


def write_live(methodology: Methodology, bodies: BodyRegistry, submissions: Sequence[tuple[str, str, dict[str, Entry]]],
               lang: str = "ru") -> bytes:
    """The live workbook in `lang` (ru, kk or en) as bytes (deterministic). Its cached values
    are what the functions return in that language (OPENNESS_EXCEL_LANG for xlwings)."""
    with using(lang):
        return _write_live(methodology, bodies, submissions)


def _write_live(methodology: Methodology, bodies: BodyRegistry, submissions) -> bytes:
    calc = T("sheet.calc")
    workbook, buffer = new_workbook(T("template.live_title", year=methodology.year))
    values = input_values(methodology, submissions)
    write_input_sheets(workbook, methodology, bodies, values)
    types = [b.type for b in bodies]
    if len(set(types)) != sum(1 for n, t in enumerate(types) if n == 0 or types[n - 1] != t):
        raise ValueError("bodies of one type must be contiguous for the rank formulas")
    styles = Styles(workbook)
    rows, problems = calculated_values(methodology, bodies, values)
    sheet = workbook.add_worksheet(calc)
    sheet.write_string(TITLE_ROW, 0, T("template.live_calc_title"), styles.title)
    columns = _Columns(workbook, sheet, calc, styles, rows, len(bodies))
    write_body_columns(sheet, bodies, columns.head, styles.key, methodology.body_type_label)
    by = write_checks(workbook, workbook.add_worksheet(sheet_name("checks")), styles, methodology, bodies, values, problems)
    col = 3
    scores: dict[str, str] = {}
    for number, indicator in enumerate(methodology.indicators):
        arguments = [columns.range(2) if name == "body_type" else columns.on_checks(by.value_col[f"{indicator.id}.{name}"])
                     for name in cells.argument_names(indicator)]
        own = f"{indicator.udf}({','.join(arguments)})"
        formula = native.score_or_direct(indicator, columns.on_checks(FIRST_COL + number),
                                         columns.on_checks(by.value_col[f"{indicator.id}.score"]), own, ft.text(see_checks()))
        scores[indicator.id] = columns.pair(col, indicator.text(), indicator.id, formula, "head.tier", "__tier",
                                            lambda own_range: f'OPENNESS_TIER("{indicator.id}",{own_range})')
        col += 2
    totals = []
    for criterion in methodology.criteria:
        formula = f'OPENNESS_CRITERION("{criterion.id}",{",".join(scores[i] for i in criterion.indicators)})'
        totals.append(columns.pair(col, criterion.text(), criterion.id, formula, "head.grade", "__grade",
                                   lambda own_range: f'OPENNESS_GRADE("{criterion.id}",{own_range})'))
        col += 2
    for offset, (label, name) in enumerate((("head.index", "index"), ("head.rating", "rating"), ("head.rank", "rank"))):
        sheet.write_string(HEAD_ROW, col + offset, T(label), columns.head)
        sheet.write_string(KEY_ROW, col + offset, name, styles.key)
    columns.write(col, f"OPENNESS_INDEX({','.join(totals)})", "index")
    columns.write(col + 1, f"OPENNESS_RATING({columns.range(col)})", "rating")
    _write_ranks(sheet, columns, methodology, types, col)
    sheet.set_row(HEAD_ROW, 75)
    sheet.freeze_panes(FIRST_BODY_ROW, 3)

    # The module is installed with the package, so xlwings finds it without a PYTHONPATH.
    conf = workbook.add_worksheet(CONF)
    conf.write_string(0, 0, "UDF Modules")
    conf.write_string(0, 1, UDF_MODULE)
    sheet.activate()
    return finish(workbook, buffer)


class _Columns:
    """The «Расчёт» sheet's result columns: one legacy array formula over all bodies per column
    (works in every Excel and with xlwings), every cell of the range holding its cached value."""

    def __init__(self, workbook, sheet, calc: str, styles, rows, count: int):
        self.sheet, self.calc, self.styles, self.rows = sheet, calc, styles, rows
        self.first, self.last = FIRST_BODY_ROW, FIRST_BODY_ROW + count - 1
        self.head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                         "valign": "top"})
        self.score = workbook.add_format({"num_format": SCORE_FORMAT})

    def range(self, col: int) -> str:
        return column_range(self.calc, self.first, self.last, col)

    def on_checks(self, col: int) -> str:
        return column_range(sheet_name("checks"), self.first, self.last, col)

    def write(self, col: int, formula: str, name: str) -> None:
        results = [row[name] for row in self.rows]
        self.sheet.write_array_formula(self.first, col, self.last, col, "{=" + formula + "}", self.score, results[0])
        for offset, result in enumerate(results[1:], start=1):
            if isinstance(result, str):
                self.sheet.write_string(self.first + offset, col, result, self.score)
            else:
                self.sheet.write_number(self.first + offset, col, result, self.score)

    def pair(self, col: int, title: str, key: str, formula: str, second_head: str, suffix: str, second) -> str:
        """A result and its tier or letter beside it; the result's range."""
        self.sheet.write_string(HEAD_ROW, col, title, self.head)
        self.sheet.write_string(KEY_ROW, col, key, self.styles.key)
        self.write(col, formula, key)
        self.sheet.write_string(HEAD_ROW, col + 1, T(second_head), self.head)
        self.sheet.write_string(KEY_ROW, col + 1, f"{key}{suffix}", self.styles.key)
        self.write(col + 1, second(self.range(col)), f"{key}{suffix}")
        return self.range(col)


def _write_ranks(sheet, columns: _Columns, methodology: Methodology, types: list[str], col: int) -> None:
    """Ranks within ЦГО and within МИО: one array formula per contiguous block of a body type,
    a place only where every body of the block has an index (`cells.rank_cells`)."""
    first, calc = columns.first, columns.calc
    start = 0
    while start < len(types):
        end = start
        while end + 1 < len(types) and types[end + 1] == types[start]:
            end += 1
        block = column_range(calc, first + start, first + end, col)
        without = f"ROWS({block})-COUNT({block})"
        incomplete = native.fill(T("value.no_rank", type=methodology.body_type_label(types[start]), count=native.HOLE),
                                 f"({without})")
        formula = ft.if_(f"{without}=0", f"OPENNESS_RANK({block},{block})", ft.if_(f"ISNUMBER({block})", incomplete, block))
        ranks = [row["rank"] for row in columns.rows[start:end + 1]]
        sheet.write_array_formula(first + start, col + 2, first + end, col + 2, "{=" + formula + "}", None, ranks[0])
        for offset, rank in enumerate(ranks[1:], start=1):
            (sheet.write_string if isinstance(rank, str) else sheet.write_number)(first + start + offset, col + 2, rank)
        start = end + 1
