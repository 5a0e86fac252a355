"""The template's «Расчёт» sheet: the whole index as native Excel formulas, no add-in.

Per body: every indicator score (a direct score where one was typed, else the formula over
the input sheets) and tier, the four criteria with letters, the index, rating and rank
within the body type. Only functions of Excel 2010 and LibreOffice 7.4 are used; no cell
calls an `OPENNESS_` function. A hidden sheet «Проверка» holds, per body and indicator,
what is wrong with its inputs ("" when nothing), so that each score formula checks once.

The formulas come from `openness_xl.excel.native`; every cell is stored with the value that
`openness_xl.excel.cells` gives for the same cell values, so the file reads correctly before any
recalculation and a recalculation changes nothing.
"""
from __future__ import annotations

from typing import Mapping

from xlsxwriter.utility import xl_col_to_name

from ..excel import cells, grades, native
from ..core import formula_text as ft
from ..core.bodies import BodyRegistry
from ..methodology import Methodology
from ..io.writing import score_columns
from ..texts import text as T
from ..core.values import WARNING, cell_name
from . import by_code
from .common import (GRADE_COLOURS, ROW, SCORE_FORMAT, at, colour_formats, column_range, sheet_name, tier_colour_rules,
                     tier_colours)
from .table import LINE_HEIGHT, lines_of
from ..io.template_reader import FIRST_BODY_ROW, GROUP_ROW, HEAD_ROW, KEY_ROW, TITLE_ROW
from .input_sheets import write_body_columns

FIRST_COL = 3
TYPE_COL = 2


def define_lambdas(workbook, methodology: Methodology) -> None:
    """The named LAMBDA functions (Excel 2024 and 365): OPENNESS_TIMELINESS(late, reviewed) …"""
    for name, formula in grades.lambdas(methodology).items():
        workbook.define_name(name, formula)


def calculated_values(methodology: Methodology, bodies: BodyRegistry, values: Mapping[tuple, object],
                      found: Mapping[tuple[str, str], object] | None = None):
    """What every cell of «Расчёт» and «Проверка» shows for these input cells, by the cell
    semantics of `openness_xl.excel.cells`: ([{column id: value}], [{indicator id: problems}]) per body.
    `found` {(input sheet, code): status} is what `by_code` finds for each code (its row, or
    why none); by default every code stands once, in its body's row of the template."""
    by = by_code.layout(methodology, bodies)
    rows, problems = [], []
    for position, body in enumerate(bodies):
        def status(sheet: str):
            if found is None:
                return FIRST_BODY_ROW + position + 1
            return found.get((sheet, body.code), by_code.code_status(sheet, body.code, []))

        row: dict[str, object] = {}
        checks: dict[str, str] = {}
        for indicator in methodology.indicators:
            keys = [f"{indicator.id}.{name}" for name in indicator.input_names]
            score_key = f"{indicator.id}.score"
            own, direct = status(by.columns[keys[0]][0]), status(by.columns[score_key][0])
            if not isinstance(own, int) or not isinstance(direct, int):
                checks[indicator.id] = own if not isinstance(own, int) else direct
                score = see_checks()
            else:
                raw = [body.type if n == "body_type" else values.get((body.code, indicator.id, n))
                       for n in cells.argument_names(indicator)]
                where = (by_code.location(by, [score_key], direct), by_code.location(by, keys, own))
                names = by_code.cell_names(by, keys + [score_key],
                                           [by_code.location(by, [k], own) for k in keys] + [where[0]])
                names["body_type"] = type_name(FIRST_BODY_ROW + position + 1)
                given = values.get((body.code, indicator.id, "score"))
                checks[indicator.id] = check = cells.check_cell(methodology, indicator, given, *raw, where=where, names=names)
                score = (see_checks() if check and not check.startswith(WARNING)
                         else cells.checked_score(methodology, indicator, given, *raw))
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
        group = [row for row, b in zip(rows, bodies) if b.type == body_type]
        ranks = cells.rank_cells([row["index"] for row in group], methodology.body_type_label(body_type))
        for row, rank in zip(group, ranks):
            row["rank"] = rank
    return rows, problems


def see_checks() -> str:
    """What «Расчёт» shows for a score whose data «Проверка» finds wrong (the message is there)."""
    return T("value.see_checks", sheet=sheet_name("checks"))


def type_name(row: int | str) -> str:
    """The name messages give the body type's cell on «Расчёт» in `row` (1-based)."""
    return cell_name(T("head.type", kind="files"), f"{sheet_name('calc')}!{xl_col_to_name(TYPE_COL)}{row}")


def write_calculation(workbook, methodology: Methodology, bodies: BodyRegistry,
                      columns: Mapping[str, tuple[str, int]], values: Mapping[tuple, object]):
    """Add «Расчёт» and «Проверка» over the input sheets written with `columns` and `values`;
    returns where each result column is and the values its cells hold: (col_of, rows)."""
    styles = Styles(workbook)
    score_format = workbook.add_format({"num_format": SCORE_FORMAT})
    tiers = colour_formats(workbook, tier_colours(methodology))
    letters = colour_formats(workbook, dict(zip(methodology.criteria[0].grade_labels, GRADE_COLOURS)))

    calc = sheet_name("calc")
    sheet = workbook.add_worksheet(calc)
    # Visible: the one place where a whole message can be read.
    checks = workbook.add_worksheet(sheet_name("checks"))
    sheet.write_string(TITLE_ROW, 0, T("template.calc_title", year=methodology.year), styles.title)
    write_body_columns(sheet, bodies, styles.head, styles.key, methodology.body_type_label)
    ids = score_columns(methodology)[2:]
    col_of = {name: FIRST_COL + n for n, name in enumerate(ids)}
    for name, col in col_of.items():
        sheet.write_string(KEY_ROW, col, name, styles.key)
    first, last = FIRST_BODY_ROW, FIRST_BODY_ROW + len(bodies) - 1
    by = by_code.layout(methodology, bodies)
    assert dict(by.columns) == dict(columns)
    formulas = _calc_formulas(methodology, by, col_of)
    index_range = column_range(calc, first, last, col_of["index"]).split("!", 1)[1]
    type_range = column_range(calc, first, last, TYPE_COL).split("!", 1)[1]
    formulas["rank"] = "=" + grades.rank_formula(at(col_of["index"]), index_range, at(TYPE_COL), type_range)
    numeric = {name for name in ids if not name.endswith(("__tier", "__grade")) and name not in ("rating", "rank")}
    rows, problems = calculated_values(methodology, bodies, values)
    write_checks(workbook, checks, styles, methodology, bodies, values, problems)
    for name in ids:
        sheet.write_formula_down(first, col_of[name], formulas[name], [row_values[name] for row_values in rows],
                                 score_format if name in numeric else None)

    group = workbook.add_format({"bold": True, "bg_color": "#B4C6E7", "border": 1, "text_wrap": True, "valign": "top",
                                 "align": "center"})
    _headings(sheet, methodology, col_of, styles.head, group)
    for indicator in methodology.indicators:
        tier_colour_rules(sheet, first, last, col_of[f"{indicator.id}__tier"], tiers)
    for criterion in methodology.criteria:
        tier_colour_rules(sheet, first, last, col_of[f"{criterion.id}__grade"], letters)
    for name, col in col_of.items():
        sheet.set_column(col, col, 13 if name.endswith("__tier") or name == "rank" else 8)
    sheet.set_row(GROUP_ROW, 30)
    sheet.set_row(HEAD_ROW, 30)
    _body_rows(sheet, styles, bodies)
    for position, body in enumerate(bodies):
        name_lines = lines_of(body.name(), NAME_WIDTH - 4)
        if name_lines > 1:
            sheet.set_row(first + position, LINE_HEIGHT * name_lines)
    pages = _page_groups(methodology, [[col_of[i.id], col_of[f"{i.id}__tier"]] for i in methodology.indicators], 3)
    pages.append([col_of[name] for c in methodology.criteria for name in (c.id, f"{c.id}__grade")])
    pages.append([col_of[name] for name in ("index", "rating", "rank")])
    print_in_pages(sheet, bodies, pages, T("template.calc_title", year=methodology.year))
    return col_of, rows


class Styles:
    """The formats «Расчёт» and «Проверка» share, added to the workbook once."""

    def __init__(self, workbook):
        self.head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                         "valign": "top"})
        self.key = workbook.add_format({"font_color": "#808080", "font_size": 8})
        self.title = workbook.add_format({"bold": True, "font_size": 13})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})


def write_checks(workbook, checks, styles: Styles, methodology: Methodology, bodies: BodyRegistry,
                 values: Mapping[tuple, object], problems) -> by_code.ByCode:
    """Fill «Проверка» (`checks`, an added sheet): per body and indicator what is wrong with its
    inputs ("" when nothing), `problems` being what `calculated_values` finds, and right of the
    checks each body's inputs found by its code. Returns where those inputs are."""
    checks.write_string(TITLE_ROW, 0, T("template.checks_title"), styles.title)
    write_body_columns(checks, bodies, styles.head, styles.key, methodology.body_type_label)
    by = by_code.layout(methodology, bodies)
    formulas = _check_formulas(methodology, by)
    by_code.write_columns(workbook, checks, by, methodology, bodies, values)
    for number, indicator in enumerate(methodology.indicators):
        checks.write_formula_down(FIRST_BODY_ROW, FIRST_COL + number, formulas[indicator.id],
                                  [row_problems[indicator.id] for row_problems in problems])
        checks.write_string(HEAD_ROW, FIRST_COL + number, _label(indicator), styles.head)
        checks.write_string(KEY_ROW, FIRST_COL + number, indicator.id)
    checks.set_column(FIRST_COL, FIRST_COL + len(methodology.indicators) - 1, CHECK_WIDTH, styles.wrap)
    checks.set_row(HEAD_ROW, 30)
    _body_rows(checks, styles, bodies)
    # Rows as tall as their longest name or message as written (LibreOffice does not fit a row
    # to wrapped text when it opens a file; Excel's AutoFit refits it after edits).
    for position, (body, row_problems) in enumerate(zip(bodies, problems)):
        name_lines = lines_of(body.name(), NAME_WIDTH - 4)
        # At most three lines: the whole of a longer message is in its cell (an empty template's
        # «нет значения» for every input would otherwise print some fifty pages).
        most = min(3, max([name_lines] + [lines_of(text, CHECK_WIDTH - 4) for text in row_problems.values() if text]))
        if most > 1:
            checks.set_row(FIRST_BODY_ROW + position, LINE_HEIGHT * most)
    print_in_pages(checks, bodies, _page_groups(methodology, [[FIRST_COL + n] for n in range(len(methodology.indicators))], 2),
                   T("template.checks_title"))
    return by


def _body_rows(sheet, styles: Styles, bodies: BodyRegistry) -> None:
    """A body-per-row sheet's frozen panes, hidden key row and wrapped names."""
    sheet.freeze_panes(FIRST_BODY_ROW, FIRST_COL)
    sheet.set_row(KEY_ROW, None, None, {"hidden": True})  # the program's column ids, not for reading
    sheet.set_column(1, 1, NAME_WIDTH, styles.wrap)
    for position, body in enumerate(bodies):
        sheet.write_string(FIRST_BODY_ROW + position, 1, body.name(), styles.wrap)


# Printing: A4 landscape at 75 % (11-point text prints at 8.25 points), the code and the name
# repeated on every page, a page of columns never splitting an indicator (three on «Расчёт»,
# two on «Проверка»), ЦГО and МИО on pages of their own. LibreOffice measures a column wider
# than Excel does: the pages are planned with its measure.
NAME_WIDTH = 40
CHECK_WIDTH = 36
PRINT_SCALE = 75


def _page_groups(methodology: Methodology, columns: list[list[int]], most: int) -> list[list[int]]:
    """The columns of each printed page: each criterion's indicators (`columns`, in the
    methodology's order) in as few pages of at most `most` indicators as it takes, evenly."""
    pages, position = [], 0
    for criterion in methodology.criteria:
        own = columns[position:position + len(criterion.indicators)]
        position += len(criterion.indicators)
        count = -(-len(own) // most)
        size = -(-len(own) // count)
        pages += [[c for item in own[n:n + size] for c in item] for n in range(0, len(own), size)]
    return pages


def print_in_pages(sheet, bodies: BodyRegistry, pages: list[list[int]], title: str) -> None:
    """Print set-up of a body-per-row sheet whose columns `pages` are each one printed page."""
    sheet.print_area(GROUP_ROW, 0, FIRST_BODY_ROW + len(bodies) - 1, max(pages[-1]))
    sheet.repeat_rows(GROUP_ROW, HEAD_ROW)
    sheet.repeat_columns(0, 1)
    sheet.set_print_scale(PRINT_SCALE)
    sheet.set_v_pagebreaks([min(page) for page in pages[1:]])
    types = [body.type for body in bodies]
    sheet.set_h_pagebreaks([FIRST_BODY_ROW + n for n in range(1, len(types)) if types[n] != types[n - 1]])
    # The title in the page's header: in A1 it would run across the pages and garble.
    sheet.set_header("&L&B" + title.replace("&", "&&")[:200] + "&R&P / &N")


def _check_formulas(methodology: Methodology, by: by_code.ByCode) -> dict[str, str]:
    """Each indicator's check on «Проверка», the row left open: what is wrong with the body's
    inputs, read from the columns right of the checks where each body's row of every input
    sheet is found by its code (`by_code`)."""
    result = {}
    for indicator in methodology.indicators:
        keys = {name: f"{indicator.id}.{name}" for name in indicator.input_names}
        score_key = f"{indicator.id}.score"
        own_sheet, direct_sheet = by.columns[next(iter(keys.values()))][0], by.columns[score_key][0]
        names = {n: by.name(k, here=True) for n, k in {**keys, "score": score_key}.items()}
        hints = {n: by.hint(k, here=True) for n, k in {**keys, "score": score_key}.items() if k in by.hint_col}
        if indicator.needs_body_type:
            # Its row computed (ROW()), not written in: the same formula in every row, stored once.
            before, after = type_name(ROW).split(ROW)
            names["body_type"] = f"({ft.text(before)}&ROW()&{ft.text(after)})"
        checked = native.checked_inputs(
            methodology, indicator,
            native.Cells({n: by.value(k, here=True) for n, k in keys.items()}, at(TYPE_COL, sheet_name("calc")),
                         cells={n: by.source(k, here=True) for n, k in keys.items()}, names=names, hints=hints),
            by.value(score_key, here=True), by.source(score_key, here=True), by.location([score_key], here=True),
            by.location(list(keys.values()), here=True))
        found = [by.status(own_sheet, here=True), by.status(direct_sheet, here=True)]
        result[indicator.id] = "=" + ft.if_(f"ISNUMBER({found[0]})", ft.if_(f"ISNUMBER({found[1]})", checked, found[1]),
                                            found[0])
    return result


def check_cell(methodology: Methodology, indicator_id: str) -> str:
    """The reference to an indicator's check on «Проверка» in the row being written."""
    position = next(n for n, i in enumerate(methodology.indicators) if i.id == indicator_id)
    return at(FIRST_COL + position, sheet_name("checks"))


def _calc_formulas(methodology: Methodology, by: by_code.ByCode, col_of: Mapping[str, int]) -> dict[str, str]:
    """Every formula of a body row on «Расчёт» but the rank, the row left open."""
    result = {}
    body_type = at(TYPE_COL)
    for indicator in methodology.indicators:
        keys = {name: f"{indicator.id}.{name}" for name in indicator.input_names}
        own = native.score_formula(methodology, indicator, native.Cells({n: by.value(k) for n, k in keys.items()}, body_type))
        score = at(col_of[indicator.id])
        result[indicator.id] = "=" + native.score_or_direct(indicator, check_cell(methodology, indicator.id),
                                                            by.value(f"{indicator.id}.score"), own, ft.text(see_checks()))
        result[f"{indicator.id}__tier"] = "=" + grades.passed_on(score, grades.tier_chain(methodology, indicator, score))
    scores = {i.id: at(col_of[i.id]) for i in methodology.indicators}
    for criterion in methodology.criteria:
        total = at(col_of[criterion.id])
        result[criterion.id] = "=" + grades.criterion_formula(methodology, criterion, scores)
        result[f"{criterion.id}__grade"] = "=" + grades.passed_on(total, grades.grade_chain(criterion, total))
    result["index"] = "=" + grades.index_formula([at(col_of[c.id]) for c in methodology.criteria])
    index = at(col_of["index"])
    result["rating"] = "=" + grades.passed_on(index, grades.rating_chain(methodology, index))
    return result



def _label(indicator) -> str:
    return f"{indicator.order}. {indicator.text('short')}" + (T("word.provisional") if indicator.provisional else "")


def _headings(sheet, methodology: Methodology, col_of, head, group) -> None:
    """Headings: an indicator's or criterion's name over its two columns, then what each holds."""
    for indicator in methodology.indicators:
        sheet.merge_range(GROUP_ROW, col_of[indicator.id], GROUP_ROW, col_of[f"{indicator.id}__tier"], _label(indicator),
                          group)
        sheet.write_string(HEAD_ROW, col_of[indicator.id], T("head.score"), head)
        sheet.write_string(HEAD_ROW, col_of[f"{indicator.id}__tier"], T("head.tier"), head)
    for criterion in methodology.criteria:
        sheet.merge_range(GROUP_ROW, col_of[criterion.id], GROUP_ROW, col_of[f"{criterion.id}__grade"], criterion.text(), group)
        sheet.write_string(HEAD_ROW, col_of[criterion.id], T("head.score"), head)
        sheet.write_string(HEAD_ROW, col_of[f"{criterion.id}__grade"], T("head.grade"), head)
    types = " / ".join(methodology.body_type_label(code) for code in methodology.body_types)
    for name, label in (("index", T("head.index")), ("rating", T("head.rating")), ("rank", T("head.rank_in_types", types=types))):
        sheet.write_string(HEAD_ROW, col_of[name], label, head)
