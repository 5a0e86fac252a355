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
    first, last = FIRST_BODY_ROW, FIRST_BODY_ROW + len(bodies) - 1
    styles = Styles(workbook)
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    score = workbook.add_format({"num_format": SCORE_FORMAT})
    rows, problems = calculated_values(methodology, bodies, values)

    sheet = workbook.add_worksheet(calc)
    sheet.write_string(TITLE_ROW, 0, T("template.live_calc_title"), styles.title)
    write_body_columns(sheet, bodies, head, styles.key, methodology.body_type_label)
    by = write_checks(workbook, workbook.add_worksheet(sheet_name("checks")), styles, methodology, bodies, values, problems)

    def on_checks(col: int) -> str:
        return column_range(sheet_name("checks"), first, last, col)

    def write_column(col, formula, name):
        """One legacy array formula over all bodies (works in every Excel and with xlwings),
        with every cell of the range holding its cached value."""
        results = [row[name] for row in rows]
        sheet.write_array_formula(first, col, last, col, "{=" + formula + "}", score, results[0])
        for offset, result in enumerate(results[1:], start=1):
            if isinstance(result, str):
                sheet.write_string(first + offset, col, result, score)
            else:
                sheet.write_number(first + offset, col, result, score)

    type_range = column_range(calc, first, last, 2)
    col = 3
    score_ranges: dict[str, str] = {}
    for number, indicator in enumerate(methodology.indicators):
        arguments = [type_range if name == "body_type" else on_checks(by.value_col[f"{indicator.id}.{name}"])
                     for name in cells.argument_names(indicator)]
        own = f"{indicator.udf}({','.join(arguments)})"
        formula = native.score_or_direct(indicator, on_checks(FIRST_COL + number),
                                         on_checks(by.value_col[f"{indicator.id}.score"]), own, ft.text(see_checks()))
        sheet.write_string(HEAD_ROW, col, indicator.text(), head)
        sheet.write_string(KEY_ROW, col, indicator.id, styles.key)
        write_column(col, formula, indicator.id)
        own_range = column_range(calc, first, last, col)
        score_ranges[indicator.id] = own_range
        sheet.write_string(HEAD_ROW, col + 1, T("head.tier"), head)
        sheet.write_string(KEY_ROW, col + 1, f"{indicator.id}__tier", styles.key)
        write_column(col + 1, f'OPENNESS_TIER("{indicator.id}",{own_range})', f"{indicator.id}__tier")
        col += 2

    criterion_ranges = []
    for criterion in methodology.criteria:
        sheet.write_string(HEAD_ROW, col, criterion.text(), head)
        sheet.write_string(KEY_ROW, col, criterion.id, styles.key)
        write_column(col, f'OPENNESS_CRITERION("{criterion.id}",{",".join(score_ranges[i] for i in criterion.indicators)})',
                     criterion.id)
        own_range = column_range(calc, first, last, col)
        criterion_ranges.append(own_range)
        sheet.write_string(HEAD_ROW, col + 1, T("head.grade"), head)
        sheet.write_string(KEY_ROW, col + 1, f"{criterion.id}__grade", styles.key)
        write_column(col + 1, f'OPENNESS_GRADE("{criterion.id}",{own_range})', f"{criterion.id}__grade")
        col += 2

    for offset, (label, name) in enumerate((("head.index", "index"), ("head.rating", "rating"), ("head.rank", "rank"))):
        sheet.write_string(HEAD_ROW, col + offset, T(label), head)
        sheet.write_string(KEY_ROW, col + offset, name, styles.key)
    write_column(col, f"OPENNESS_INDEX({','.join(criterion_ranges)})", "index")
    index_range = column_range(calc, first, last, col)
    write_column(col + 1, f"OPENNESS_RATING({index_range})", "rating")
    # Ranks within ЦГО and within МИО: one array formula per contiguous block of a body type,
    # a place only where every body of the block has an index (`cells.rank_cells`).
    start = 0
    while start < len(bodies):
        end = start
        while end + 1 < len(bodies) and types[end + 1] == types[start]:
            end += 1
        block = column_range(calc, first + start, first + end, col)
        without = f"ROWS({block})-COUNT({block})"
        incomplete = native.fill(T("value.no_rank", type=methodology.body_type_label(types[start]), count=native.HOLE),
                                 f"({without})")
        formula = ft.if_(f"{without}=0", f"OPENNESS_RANK({block},{block})", ft.if_(f"ISNUMBER({block})", incomplete, block))
        ranks = [row["rank"] for row in rows[start:end + 1]]
        sheet.write_array_formula(first + start, col + 2, first + end, col + 2, "{=" + formula + "}", None, ranks[0])
        for offset, rank in enumerate(ranks[1:], start=1):
            (sheet.write_string if isinstance(rank, str) else sheet.write_number)(first + start + offset, col + 2, rank)
        start = end + 1
    sheet.set_row(HEAD_ROW, 75)
    sheet.freeze_panes(FIRST_BODY_ROW, 3)

    # The module is installed with the package, so xlwings finds it without a PYTHONPATH.
    conf = workbook.add_worksheet(CONF)
    conf.write_string(0, 0, "UDF Modules")
    conf.write_string(0, 1, UDF_MODULE)
    sheet.activate()
    return finish(workbook, buffer)

