"""The template's «Цели» sheet: what reaches each indicator's next tier, as native formulas.

Per body and indicator: the score that enters the next better tier, and for each count or
value whose kind has an Excel inverse (`Kind.excel_target`), the value of that one input
that reaches it with the others unchanged — «late: не более …» without an add-in. Kinds with
no closed form (shares, open data, receptions, waiting time) are left to OPENNESS_TARGET and
`openness whatif`, which search. Each cell is stored with the value the core's search
(`targets.target`) gives, so the file reads correctly before a recalculation.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from xlsxwriter.utility import xl_col_to_name

from ..core import formula_text as ft
from ..excel import inverse, native
from ..core.bodies import BodyRegistry
from ..methodology import Methodology
from ..core.scoring import parse_for_scoring
from ..core.targets import helps, next_tier_goal, target
from ..core.values import is_not_submitted
from .common import SCORE_FORMAT
from ..texts import text as T
from . import by_code
from .calculation import FIRST_COL, TYPE_COL, print_in_pages
from .common import ROW, at, sheet_name
from ..io.template_reader import FIRST_BODY_ROW, GROUP_ROW, HEAD_ROW, KEY_ROW, TITLE_ROW
from .input_sheets import write_body_columns


def direct_given() -> str:
    """What a target cell says where the score was given directly (no input to move)."""
    return T("word.direct_given", kind="files")


def target_columns(methodology: Methodology) -> list[tuple[str, str | None]]:
    """(indicator id, input name) of every column, the goal first (input None)."""
    out = []
    for indicator in methodology.indicators:
        names = inverse.target_inputs(indicator)
        if names:
            out += [(indicator.id, None)] + [(indicator.id, name) for name in names]
    return out


def cached(methodology: Methodology, indicator, score, direct, raw: Mapping, body_type: str, name: str | None):
    """What a «Цели» cell shows, by the core: the goal, the input's target, or a word."""
    if not isinstance(score, (int, float, Fraction)) or isinstance(score, bool):
        return ""
    exact = Fraction(str(score)) if isinstance(score, float) else Fraction(score)
    upward = next_tier_goal(methodology, indicator, exact)
    if upward is None:
        return ""
    if name is None:
        return float(upward[1])
    if not is_not_submitted(direct):
        return direct_given()
    # The score is a number, so the inputs are valid: parsing cannot find a problem here.
    values, code, _ = parse_for_scoring(methodology, indicator, raw, body_type, text_is_number=False)
    found = target(methodology, indicator, values, name, upward[1], code)
    return inverse.unreachable() if found.value is None else float(found.value)


def write_targets(workbook, methodology: Methodology, bodies: BodyRegistry, values: Mapping[tuple, object],
                  col_of: Mapping[str, int], rows) -> None:
    """Add «Цели» over «Расчёт» (its scores) and «Проверка» (the current values, found by code)."""
    by = by_code.layout(methodology, bodies)
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    key = workbook.add_format({"font_color": "#808080", "font_size": 8})
    title = workbook.add_format({"bold": True, "font_size": 13})
    goal_format = workbook.add_format({"num_format": SCORE_FORMAT, "bg_color": "#F2F2F2"})
    number = workbook.add_format({"num_format": "0.##"})
    sheet = workbook.add_worksheet(sheet_name("targets"))
    sheet.write_string(TITLE_ROW, 0, T("template.targets_title"), title)
    sheet.write_string(GROUP_ROW, 0, T("template.targets_note"),
                       workbook.add_format({"italic": True, "font_color": "#7F6000"}))
    write_body_columns(sheet, bodies, head, key, methodology.body_type_label)
    layout = target_columns(methodology)
    formulas = {}
    for offset, (indicator_id, name) in enumerate(layout):
        col = FIRST_COL + offset
        indicator = methodology.indicator(indicator_id)
        score = at(col_of[indicator_id], sheet_name("calc"))
        goal_col = FIRST_COL + layout.index((indicator_id, None))
        if name is None:
            sheet.write_string(HEAD_ROW, col, T("head.next_goal", order=indicator.order, short=indicator.text("short")), head)
            sheet.write_string(KEY_ROW, col, f"{indicator_id}__goal", key)
            formulas[col] = "=" + ft.if_(f"ISNUMBER({score})", inverse.goal_formula(methodology, indicator, score), '""')
            continue
        spec = indicator.input(name)
        relation = T("word.at_least" if helps(indicator, name) > 0 else "word.at_most")
        sheet.write_string(HEAD_ROW, col, f"{spec.text()}: {relation}", head)
        sheet.write_string(KEY_ROW, col, f"{indicator_id}__target__{name}", key)
        inputs = {s.name: by.value(f"{indicator_id}.{s.name}") for s in indicator.inputs}
        direct = by.value(f"{indicator_id}.score")
        goal = xl_col_to_name(goal_col) + ROW
        cells = native.Cells(inputs, at(TYPE_COL, sheet_name("calc")))
        formulas[col] = "=" + ft.if_(f"ISNUMBER({goal})", ft.if_(native.not_submitted(direct),
                                                               inverse.target_formula(methodology, indicator, cells, name, goal),
                                                               ft.text(direct_given())), '""')
    for offset, (indicator_id, name) in enumerate(layout):
        indicator = methodology.indicator(indicator_id)
        column = [cached(methodology, indicator, rows[position][indicator_id],
                         values.get((body.code, indicator_id, "score")),
                         {n: values.get((body.code, indicator_id, n)) for n in indicator.input_names}, body.type, name)
                  for position, body in enumerate(bodies)]
        sheet.write_formula_down(FIRST_BODY_ROW, FIRST_COL + offset, formulas[FIRST_COL + offset], column,
                                 goal_format if name is None else number)
    sheet.set_column(FIRST_COL, FIRST_COL + len(layout) - 1, 17)
    sheet.set_row(HEAD_ROW, 90)
    sheet.freeze_panes(FIRST_BODY_ROW, FIRST_COL)
    sheet.set_row(KEY_ROW, None, None, {"hidden": True})  # the program's column ids, not for reading
    print_in_pages(sheet, bodies, _pages(methodology, layout), T("template.targets_title"))


# On a landscape page at 75 %, beside the code and the name, four 17-wide columns fit as
# LibreOffice measures them (it measures a column wider than Excel does).
PAGE_COLUMNS = 4


def _pages(methodology: Methodology, layout) -> list[list[int]]:
    """The columns of each printed page: an indicator's goal and targets never split, each
    criterion's indicators on pages of their own, as few as fit PAGE_COLUMNS columns each."""
    pages: list[list[int]] = []
    for criterion in methodology.criteria:
        current: list[int] = []
        for indicator_id in criterion.indicators:
            group = [FIRST_COL + n for n, (i, _) in enumerate(layout) if i == indicator_id]
            if not group:
                continue
            if current and len(current) + len(group) > PAGE_COLUMNS:
                pages.append(current)
                current = []
            current += group
        if current:
            pages.append(current)
    return pages
