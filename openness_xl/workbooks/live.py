"""The live workbook: the input template plus a «Расчёт» sheet whose cells call the project's
Excel functions (xlwings UDFs), one array formula per column.

Each formula cell is stored with the value `openness_xl.cells` gives for the input cells —
the same code the Excel functions run — so the file shows numbers before the add-in
recalculates, and a recalculation with the add-in gives the same numbers.
"""
from __future__ import annotations

from typing import Sequence

from .. import cells
from ..bodies import BodyRegistry
from ..methodology import Methodology
from ..scoring import Entry
from ..texts import text as T, using
from .common import SCORE_FORMAT, column_range, finish, new_workbook
from .template import FIRST_BODY_ROW, HEAD_ROW, KEY_ROW, TITLE_ROW, input_values, write_body_columns, write_input_sheets

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
    columns = write_input_sheets(workbook, methodology, bodies, values)
    codes = [b.code for b in bodies]
    types = [b.type for b in bodies]
    if len(set(types)) != sum(1 for n, t in enumerate(types) if n == 0 or types[n - 1] != t):
        raise ValueError("bodies of one type must be contiguous for the rank formulas")
    first, last = FIRST_BODY_ROW, FIRST_BODY_ROW + len(codes) - 1
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    key = workbook.add_format({"font_color": "#808080", "font_size": 8})
    title = workbook.add_format({"bold": True, "font_size": 13})
    score = workbook.add_format({"num_format": SCORE_FORMAT})

    sheet = workbook.add_worksheet(calc)
    sheet.write_string(TITLE_ROW, 0, T("template.live_calc_title"), title)
    write_body_columns(sheet, bodies, head, key, methodology.body_type_label)

    def cell_column(field_key):
        sheet_name, col = columns[field_key]
        return [values.get((code, *field_key.split(".", 1))) for code in codes], column_range(sheet_name, first, last, col)

    def write_column(col, formula, results):
        """One legacy array formula over all bodies (works in every Excel and with xlwings),
        with every cell of the range holding its cached value."""
        sheet.write_array_formula(first, col, last, col, "{=" + formula + "}", score, results[0])
        for offset, result in enumerate(results[1:], start=1):
            if isinstance(result, str):
                sheet.write_string(first + offset, col, result, score)
            else:
                sheet.write_number(first + offset, col, result, score)

    type_range = column_range(calc, first, last, 2)
    col = 3
    score_ranges: dict[str, str] = {}
    score_values: dict[str, list] = {}
    for indicator in methodology.indicators:
        direct_values, direct_range = cell_column(f"{indicator.id}.score")
        argument_values, argument_ranges = [], []
        for name in cells.argument_names(indicator):
            if name == "body_type":
                argument_values.append(types)
                argument_ranges.append(type_range)
            else:
                column_values, column_ref = cell_column(f"{indicator.id}.{name}")
                argument_values.append(column_values)
                argument_ranges.append(column_ref)
        results = []
        for row in range(len(codes)):
            direct = direct_values[row]
            if isinstance(direct, float):
                results.append(direct)
            else:
                results.append(cells.indicator_cell(methodology, indicator, *(a[row] for a in argument_values)))
        formula = f"IF(ISNUMBER({direct_range}),{direct_range},{indicator.udf}({','.join(argument_ranges)}))"
        sheet.write_string(HEAD_ROW, col, indicator.text(), head)
        sheet.write_string(KEY_ROW, col, indicator.id, key)
        write_column(col, formula, results)
        own = column_range(calc, first, last, col)
        score_ranges[indicator.id], score_values[indicator.id] = own, results
        sheet.write_string(HEAD_ROW, col + 1, T("head.tier"), head)
        sheet.write_string(KEY_ROW, col + 1, f"{indicator.id}__tier", key)
        write_column(col + 1, f'OPENNESS_TIER("{indicator.id}",{own})',
                     [cells.tier_cell(methodology, indicator.id, v) for v in results])
        col += 2

    criterion_ranges, criterion_values = [], []
    for criterion in methodology.criteria:
        members = list(criterion.indicators)
        totals = [cells.criterion_cell(methodology, criterion.id, *(score_values[i][row] for i in members))
                  for row in range(len(codes))]
        sheet.write_string(HEAD_ROW, col, criterion.text(), head)
        sheet.write_string(KEY_ROW, col, criterion.id, key)
        write_column(col, f'OPENNESS_CRITERION("{criterion.id}",{",".join(score_ranges[i] for i in members)})', totals)
        own = column_range(calc, first, last, col)
        criterion_ranges.append(own)
        criterion_values.append(totals)
        sheet.write_string(HEAD_ROW, col + 1, T("head.grade"), head)
        sheet.write_string(KEY_ROW, col + 1, f"{criterion.id}__grade", key)
        write_column(col + 1, f'OPENNESS_GRADE("{criterion.id}",{own})',
                     [cells.grade_cell(methodology, criterion.id, t) for t in totals])
        col += 2

    index_values = [cells.index_cell(methodology, *(c[row] for c in criterion_values)) for row in range(len(codes))]
    for offset, (label, name) in enumerate((("head.index", "index"), ("head.rating", "rating"), ("head.rank", "rank"))):
        sheet.write_string(HEAD_ROW, col + offset, T(label), head)
        sheet.write_string(KEY_ROW, col + offset, name, key)
    write_column(col, f"OPENNESS_INDEX({','.join(criterion_ranges)})", index_values)
    index_range = column_range(calc, first, last, col)
    write_column(col + 1, f"OPENNESS_RATING({index_range})", [cells.rating_cell(methodology, v) for v in index_values])
    # Ranks within ЦГО and within МИО: one array formula per contiguous block of a body type.
    start = 0
    while start < len(codes):
        end = start
        while end + 1 < len(codes) and types[end + 1] == types[start]:
            end += 1
        block = column_range(calc, first + start, first + end, col)
        group = [[v] for v in index_values[start:end + 1]]
        ranks = [cells.rank_cell(v, group) for v in index_values[start:end + 1]]
        sheet.write_array_formula(first + start, col + 2, first + end, col + 2,
                                  f"{{=OPENNESS_RANK({block},{block})}}", None, ranks[0])
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

