"""The template's «Расчёт» sheet: the whole index as native Excel formulas, no add-in.

Per body: every indicator score (a direct score where one was typed, else the formula over
the input sheets) and tier, the four criteria with letters, the index, rating and rank
within the body type. Only functions of Excel 2010 and LibreOffice 7.4 are used; no cell
calls an `OPENNESS_` function. A hidden sheet «Проверка» holds, per body and indicator,
what is wrong with its inputs ("" when nothing), so that each score formula checks once.

The formulas come from `openness_xl.native`; every cell is stored with the value that
`openness_xl.cells` gives for the same cell values, so the file reads correctly before any
recalculation and a recalculation changes nothing.
"""
from __future__ import annotations

from typing import Mapping

from .. import cells, native
from ..bodies import BodyRegistry
from ..methodology import Methodology
from ..output import score_columns
from .common import GRADE_COLOURS, TIER_COLOURS, cell, colour_formats, column_range, ref, tier_colour_rules
from .template import FIRST_BODY_ROW, HEAD_ROW, KEY_ROW, TITLE_ROW, write_body_columns

CALC = "Расчёт"
CHECKS = "Проверка"
FIRST_COL = 3
TYPE_COL = 2


def define_lambdas(workbook, methodology: Methodology) -> None:
    """The named LAMBDA functions (Excel 2024 and 365): OPENNESS_TIMELINESS(late, reviewed) …"""
    for name, formula in native.lambdas(methodology).items():
        workbook.define_name(name, formula)


def write_calculation(workbook, methodology: Methodology, bodies: BodyRegistry,
                      columns: Mapping[str, tuple[str, int]], values: Mapping[tuple, object]) -> None:
    """Add «Расчёт» and «Проверка» over the input sheets written with `columns` and `values`."""
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    key = workbook.add_format({"font_color": "#808080", "font_size": 8})
    title = workbook.add_format({"bold": True, "font_size": 13})
    score_format = workbook.add_format({"num_format": "0.00##"})
    tiers = colour_formats(workbook, TIER_COLOURS)
    letters = colour_formats(workbook, dict(zip(methodology.criteria[0].grade_labels, GRADE_COLOURS)))

    sheet = workbook.add_worksheet(CALC)
    checks = workbook.add_worksheet(CHECKS)
    for formula_sheet in (sheet, checks):
        _verbatim_formulas(formula_sheet)
    sheet.write_string(TITLE_ROW, 0, f"Расчёт индекса {methodology.year} формулами Excel (без надстроек): "
                       "заполните листы критериев, результат пересчитывается сам", title)
    checks.write_string(TITLE_ROW, 0, "Служебный лист: что не так с исходными данными индикатора (пусто — всё в порядке)", title)
    write_body_columns(sheet, bodies, head, key)
    write_body_columns(checks, bodies, head, key)
    ids = score_columns(methodology)[2:]
    col_of = {name: FIRST_COL + n for n, name in enumerate(ids)}
    for name, col in col_of.items():
        sheet.write_string(KEY_ROW, col, name, key)
    first, last = FIRST_BODY_ROW, FIRST_BODY_ROW + len(bodies) - 1
    types = [b.type for b in bodies]
    codes = [b.code for b in bodies]
    index_values: list = []

    for position, code in enumerate(codes):
        row = first + position
        body_type = cell(row, TYPE_COL)
        scores: dict[str, str] = {}
        score_values: dict[str, object] = {}
        for number, indicator in enumerate(methodology.indicators):
            names = cells.argument_names(indicator)
            inputs = {}
            for name in indicator.input_names:
                input_sheet, input_col = columns[f"{indicator.id}.{name}"]
                inputs[name] = ref(input_sheet, row, input_col, absolute=False)
            raw = [types[position] if n == "body_type" else values.get((code, indicator.id, n)) for n in names]
            check_col = FIRST_COL + number
            problems = native.problems_formula(methodology, indicator, native.Cells(inputs, ref(CALC, row, TYPE_COL, absolute=False)))
            checks.write_formula(row, check_col, "=" + problems, None, cells.problems_cell(methodology, indicator, *raw))
            check = ref(CHECKS, row, check_col, absolute=False)
            direct_sheet, direct_col = columns[f"{indicator.id}.score"]
            direct = ref(direct_sheet, row, direct_col, absolute=False)
            own = native.score_formula(methodology, indicator, native.Cells(inputs, body_type))
            formula = native.direct_or(indicator, direct, f'IF({check}="",{own},{check})')
            value = cells.direct_cell(methodology, indicator, values.get((code, indicator.id, "score")), *raw)
            col = col_of[indicator.id]
            sheet.write_formula(row, col, "=" + formula, score_format, value)
            scores[indicator.id], score_values[indicator.id] = cell(row, col), value
            sheet.write_formula(row, col + 1, "=" + native.passed_on(cell(row, col), native.tier_chain(methodology, indicator, cell(row, col))),
                                None, cells.tier_cell(methodology, indicator.id, value))
        totals, total_values = [], []
        for criterion in methodology.criteria:
            col = col_of[criterion.id]
            total = cells.criterion_cell(methodology, criterion.id, *(score_values[i] for i in criterion.indicators))
            sheet.write_formula(row, col, "=" + native.criterion_formula(methodology, criterion, scores), score_format, total)
            sheet.write_formula(row, col + 1, "=" + native.passed_on(cell(row, col), native.grade_chain(criterion, cell(row, col))),
                                None, cells.grade_cell(methodology, criterion.id, total))
            totals.append(cell(row, col))
            total_values.append(total)
        index = cells.index_cell(methodology, *total_values)
        index_values.append(index)
        sheet.write_formula(row, col_of["index"], "=" + native.index_formula(totals), score_format, index)
        sheet.write_formula(row, col_of["rating"], "=" + native.passed_on(cell(row, col_of["index"]), native.rating_chain(methodology, cell(row, col_of["index"]))),
                            None, cells.rating_cell(methodology, index))

    index_range = column_range(CALC, first, last, col_of["index"]).split("!", 1)[1]
    type_range = column_range(CALC, first, last, TYPE_COL).split("!", 1)[1]
    for position, index in enumerate(index_values):
        row = first + position
        group = [[v] for v, t in zip(index_values, types) if t == types[position]]
        sheet.write_formula(row, col_of["rank"], "=" + native.rank_formula(cell(row, col_of["index"]), index_range,
                                                                          cell(row, TYPE_COL), type_range),
                            None, cells.rank_cell(index, group))

    _headings(sheet, checks, methodology, col_of, head, key)
    for indicator in methodology.indicators:
        tier_colour_rules(sheet, first, last, col_of[f"{indicator.id}__tier"], tiers)
    for criterion in methodology.criteria:
        tier_colour_rules(sheet, first, last, col_of[f"{criterion.id}__grade"], letters)
    sheet.set_column(FIRST_COL, FIRST_COL + len(ids), 13)
    sheet.set_row(HEAD_ROW, 75)
    sheet.freeze_panes(FIRST_BODY_ROW, FIRST_COL)
    checks.set_column(FIRST_COL, FIRST_COL + len(methodology.indicators), 30)
    checks.freeze_panes(FIRST_BODY_ROW, FIRST_COL)
    checks.hide()


def _verbatim_formulas(sheet) -> None:
    """Store this sheet's formulas as written. XlsxWriter otherwise runs some 30 regular
    expressions over every formula to add `_xlfn.` prefixes, which took 2 of the 3.5 s of a
    49-body template; the compiler uses only Excel 2010 functions, which need no prefix."""
    sheet._prepare_formula = lambda formula, expand_future_functions=False: formula.removeprefix("=")


def _headings(sheet, checks, methodology: Methodology, col_of, head, key) -> None:
    for number, indicator in enumerate(methodology.indicators):
        label = f"{indicator.order}. {indicator.short_ru}" + (" (предв.)" if indicator.provisional else "")
        sheet.write_string(HEAD_ROW, col_of[indicator.id], label, head)
        sheet.write_string(HEAD_ROW, col_of[f"{indicator.id}__tier"], "Категория", head)
        checks.write_string(HEAD_ROW, FIRST_COL + number, label, head)
        checks.write_string(KEY_ROW, FIRST_COL + number, indicator.id, key)
    for criterion in methodology.criteria:
        sheet.write_string(HEAD_ROW, col_of[criterion.id], criterion.name_ru, head)
        sheet.write_string(HEAD_ROW, col_of[f"{criterion.id}__grade"], "Оценка", head)
    for name, label in (("index", "Индекс"), ("rating", "Рейтинг"), ("rank", "Место в группе (ЦГО / МИО)")):
        sheet.write_string(HEAD_ROW, col_of[name], label, head)
