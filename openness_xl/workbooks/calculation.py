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

from dataclasses import dataclass
from typing import Mapping

from xlsxwriter.utility import xl_col_to_name

from .. import cells, native
from ..bodies import BodyRegistry
from ..methodology import Methodology
from ..output import score_columns
from ..texts import text as T
from .common import GRADE_COLOURS, SCORE_FORMAT, colour_formats, column_range, sheet_name, tier_colour_rules, tier_colours
from .template import FIRST_BODY_ROW, HEAD_ROW, KEY_ROW, TITLE_ROW, write_body_columns

FIRST_COL = 3
TYPE_COL = 2


def define_lambdas(workbook, methodology: Methodology) -> None:
    """The named LAMBDA functions (Excel 2024 and 365): OPENNESS_TIMELINESS(late, reviewed) …"""
    for name, formula in native.lambdas(methodology).items():
        workbook.define_name(name, formula)


def calculated_values(methodology: Methodology, bodies: BodyRegistry, values: Mapping[tuple, object]):
    """What every cell of «Расчёт» and «Проверка» shows for these input cells, by the cell
    semantics of `openness_xl.cells`: ([{column id: value}], [{indicator id: problems}]) per body."""
    rows, problems = [], []
    for body in bodies:
        row: dict[str, object] = {}
        checks: dict[str, str] = {}
        for indicator in methodology.indicators:
            raw = [body.type if n == "body_type" else values.get((body.code, indicator.id, n))
                   for n in cells.argument_names(indicator)]
            checks[indicator.id] = cells.problems_cell(methodology, indicator, *raw)
            score = cells.direct_cell(methodology, indicator, values.get((body.code, indicator.id, "score")), *raw)
            row[indicator.id] = score
            row[f"{indicator.id}__tier"] = cells.tier_cell(methodology, indicator.id, score)
        for criterion in methodology.criteria:
            total = cells.criterion_cell(methodology, criterion.id, *(row[i] for i in criterion.indicators))
            row[criterion.id] = total
            row[f"{criterion.id}__grade"] = cells.grade_cell(methodology, criterion.id, total)
        row["index"] = cells.index_cell(methodology, *(row[c.id] for c in methodology.criteria))
        row["rating"] = cells.rating_cell(methodology, row["index"])
        rows.append(row)
        problems.append(checks)
    for body_type in {b.type for b in bodies}:
        group = [[row["index"]] for row, b in zip(rows, bodies) if b.type == body_type]
        ranks = cells.rank_cell(group, group)
        for row, rank in zip((r for r, b in zip(rows, bodies) if b.type == body_type), ranks):
            row["rank"] = rank[0]
    return rows, problems


def write_calculation(workbook, methodology: Methodology, bodies: BodyRegistry,
                      columns: Mapping[str, tuple[str, int]], values: Mapping[tuple, object]):
    """Add «Расчёт» and «Проверка» over the input sheets written with `columns` and `values`;
    returns where each result column is and the values its cells hold: (col_of, rows)."""
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    key = workbook.add_format({"font_color": "#808080", "font_size": 8})
    title = workbook.add_format({"bold": True, "font_size": 13})
    score_format = workbook.add_format({"num_format": SCORE_FORMAT})
    tiers = colour_formats(workbook, tier_colours())
    letters = colour_formats(workbook, dict(zip(methodology.criteria[0].grade_labels, GRADE_COLOURS)))

    calc = sheet_name("calc")
    sheet = workbook.add_worksheet(calc)
    # Visible: the one place where a whole message can be read.
    checks = workbook.add_worksheet(sheet_name("checks"))
    for formula_sheet in (sheet, checks):
        _verbatim_formulas(formula_sheet)
    sheet.write_string(TITLE_ROW, 0, T("template.calc_title", year=methodology.year), title)
    checks.write_string(TITLE_ROW, 0, T("template.checks_title"), title)
    write_body_columns(sheet, bodies, head, key, methodology.body_type_label)
    write_body_columns(checks, bodies, head, key, methodology.body_type_label)
    ids = score_columns(methodology)[2:]
    col_of = {name: FIRST_COL + n for n, name in enumerate(ids)}
    for name, col in col_of.items():
        sheet.write_string(KEY_ROW, col, name, key)
    first, last = FIRST_BODY_ROW, FIRST_BODY_ROW + len(bodies) - 1
    formulas = _row_formulas(methodology, columns, col_of)
    index_range = column_range(calc, first, last, col_of["index"]).split("!", 1)[1]
    type_range = column_range(calc, first, last, TYPE_COL).split("!", 1)[1]
    formulas.cell["rank"] = "=" + native.rank_formula(_at(col_of["index"]), index_range, _at(TYPE_COL), type_range)
    numeric = {name for name in ids if not name.endswith(("__tier", "__grade")) and name not in ("rating", "rank")}
    rows, problems = calculated_values(methodology, bodies, values)
    for position, (row_values, row_problems) in enumerate(zip(rows, problems)):
        row = first + position
        at_row = str(row + 1)
        for indicator_id, text in row_problems.items():
            checks.write_formula(row, formulas.check_col[indicator_id], formulas.check[indicator_id].replace(ROW, at_row),
                                 None, text)
        for name in ids:
            sheet.write_formula(row, col_of[name], formulas.cell[name].replace(ROW, at_row),
                                score_format if name in numeric else None, row_values[name])

    _headings(sheet, checks, methodology, col_of, head, key)
    for indicator in methodology.indicators:
        tier_colour_rules(sheet, first, last, col_of[f"{indicator.id}__tier"], tiers)
    for criterion in methodology.criteria:
        tier_colour_rules(sheet, first, last, col_of[f"{criterion.id}__grade"], letters)
    sheet.set_column(FIRST_COL, FIRST_COL + len(ids) - 1, 13)
    sheet.set_row(HEAD_ROW, 75)
    checks.set_column(FIRST_COL, FIRST_COL + len(methodology.indicators) - 1, 45)
    checks.set_row(HEAD_ROW, 45)
    for target, width in ((sheet, len(ids)), (checks, len(methodology.indicators))):
        target.freeze_panes(FIRST_BODY_ROW, FIRST_COL)
        # Too wide for one page: print at full size across pages, headings and codes repeated.
        target.print_area(0, 0, last, FIRST_COL + width - 1)
        target.repeat_rows(HEAD_ROW, KEY_ROW)
        target.repeat_columns(0, 0)
    return col_of, rows


# Formulas are compiled once per column with this in place of the row number, then the row
# is put in: compiling 2,000 rows one by one took most of the time of a large template.
ROW = "\x01"


def _at(col: int, sheet: str | None = None) -> str:
    """A relative reference to column `col` of the row being written."""
    reference = xl_col_to_name(col) + ROW
    return f"'{sheet}'!{reference}" if sheet else reference


@dataclass
class _RowFormulas:
    check: dict[str, str]
    check_col: dict[str, int]
    cell: dict[str, str]


def _row_formulas(methodology: Methodology, columns: Mapping[str, tuple[str, int]], col_of: Mapping[str, int]) -> _RowFormulas:
    """Every formula of a body row on «Проверка» and «Расчёт», the row left open."""
    result = _RowFormulas({}, {}, {})
    body_type = _at(TYPE_COL)
    for number, indicator in enumerate(methodology.indicators):
        inputs = {name: _at(columns[f"{indicator.id}.{name}"][1], columns[f"{indicator.id}.{name}"][0])
                  for name in indicator.input_names}
        result.check_col[indicator.id] = FIRST_COL + number
        result.check[indicator.id] = "=" + native.problems_formula(
            methodology, indicator, native.Cells(inputs, _at(TYPE_COL, sheet_name("calc")), references=True))
        check = _at(FIRST_COL + number, sheet_name("checks"))
        direct_sheet, direct_col = columns[f"{indicator.id}.score"]
        own = native.score_formula(methodology, indicator, native.Cells(inputs, body_type))
        score = _at(col_of[indicator.id])
        result.cell[indicator.id] = "=" + native.direct_or(indicator, _at(direct_col, direct_sheet),
                                                           f'IF({check}="",{own},{check})')
        result.cell[f"{indicator.id}__tier"] = "=" + native.passed_on(score, native.tier_chain(methodology, indicator, score))
    scores = {i.id: _at(col_of[i.id]) for i in methodology.indicators}
    for criterion in methodology.criteria:
        total = _at(col_of[criterion.id])
        result.cell[criterion.id] = "=" + native.criterion_formula(methodology, criterion, scores)
        result.cell[f"{criterion.id}__grade"] = "=" + native.passed_on(total, native.grade_chain(criterion, total))
    result.cell["index"] = "=" + native.index_formula([_at(col_of[c.id]) for c in methodology.criteria])
    index = _at(col_of["index"])
    result.cell["rating"] = "=" + native.passed_on(index, native.rating_chain(methodology, index))
    return result


def _verbatim_formulas(sheet) -> None:
    """Store this sheet's formulas as written. XlsxWriter otherwise runs some 30 regular
    expressions over every formula to add `_xlfn.` prefixes, which took 2 of the 3.5 s of a
    49-body template; the compiler uses only Excel 2010 functions, which need no prefix."""
    sheet._prepare_formula = lambda formula, expand_future_functions=False: formula.removeprefix("=")


def _headings(sheet, checks, methodology: Methodology, col_of, head, key) -> None:
    for number, indicator in enumerate(methodology.indicators):
        label = f"{indicator.order}. {indicator.text('short')}" + (T("word.provisional") if indicator.provisional else "")
        sheet.write_string(HEAD_ROW, col_of[indicator.id], label, head)
        sheet.write_string(HEAD_ROW, col_of[f"{indicator.id}__tier"], T("head.tier"), head)
        checks.write_string(HEAD_ROW, FIRST_COL + number, label, head)
        checks.write_string(KEY_ROW, FIRST_COL + number, indicator.id, key)
    for criterion in methodology.criteria:
        sheet.write_string(HEAD_ROW, col_of[criterion.id], criterion.text(), head)
        sheet.write_string(HEAD_ROW, col_of[f"{criterion.id}__grade"], T("head.grade"), head)
    types = " / ".join(methodology.body_type_label(code) for code in methodology.body_types)
    for name, label in (("index", T("head.index")), ("rating", T("head.rating")), ("rank", T("head.rank_in_types", types=types))):
        sheet.write_string(HEAD_ROW, col_of[name], label, head)
