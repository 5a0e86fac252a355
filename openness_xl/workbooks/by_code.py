"""Each body's input cells found by its code: the columns right of «Проверка»'s checks.

«Расчёт», «Проверка» and «Цели» list the bodies in the methodology's order and read their
inputs from these columns, never from an input sheet's row by position, so that a person may
sort an input sheet by any column (Excel moves the values with their rows) and no score moves
to another body. Per input sheet a status column holds the row of the body's code on that
sheet, or the sentence that says why there is none (no such row, or several); per input a
column holds the value of that row's cell ("" for a blank cell, an error value passed on),
one the cell's name as messages give it («АППК!D7 «…»», `values.cell_name`), and one, for a
number, what makes a text in the cell text when it looks like a number
(`values.text_number_hint`), so that each check refers to them instead of repeating them.
They stand on «Проверка» itself because its checks refer to them most (a check of waiting
time ~180 times): a reference without a sheet's name keeps it within Excel's 8,192 characters.

Only functions of Excel 2010 and LibreOffice 7.4. A column per input sheet holds each row's
code as TRIM leaves it (a code typed with spaces is still found); a body's row is the first
MATCH of its code there and a second MATCH below it must find none. MATCH compares text as `=`
does (case aside) and would read `*`, `?` and `~` as wildcards, so the code is looked up with
those escaped; how many times a code stands is counted (SUMPRODUCT, exact) only where it stands
twice. Three SUMPRODUCTs of TRIM over every row per body and sheet (the search before) cost
LibreOffice 17 s of 50 on 2,000 bodies; the MATCHes cost some 5 s. Only the count of unknown
codes uses COUNTIF, against the template's own codes, which hold no wildcard.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from xlsxwriter.utility import xl_col_to_name

from ..core import formula_text as ft
from ..excel import native
from ..core.bodies import BodyRegistry
from ..methodology import Methodology
from ..texts import text as T
from ..core.values import cell_name, input_heading, score_heading, text_number_hint
from .common import ROW, at, quoted_sheet, sheet_name
from ..io.template_reader import FIRST_BODY_ROW, FIRST_INPUT_COL, GROUP_ROW, HEAD_ROW, input_columns, input_sheets, TITLE_ROW

# Rows below the last body that the code search still covers (bodies a person added, blank
# rows sorted to the top): the template's own rows plus these.
SPARE_ROWS = 500


@dataclass(frozen=True)
class ByCode:
    """Where «Проверка» keeps each status and value, and how formulas refer to them."""

    sheet: str  # «Проверка»
    columns: Mapping[str, tuple[str, int]]  # key → (input sheet, column there)
    status_col: Mapping[str, int]  # input sheet → its status column here
    value_col: Mapping[str, int]  # key → its value column here
    name_col: Mapping[str, int]  # key → the column of its cell's name
    hint_col: Mapping[str, int]  # key of a number → the column of its text hint
    trim_col: Mapping[str, int]  # input sheet → the column of its codes as TRIM leaves them
    last_row: int  # the last row (0-based) of the input sheets' code search
    headings: Mapping[str, str]  # key → the heading of its column on its input sheet (`heading`)

    def value(self, key: str, here: bool = False) -> str:
        """The value of input `key` of the body of the row being written (`here`: from a
        formula on «Проверка» itself)."""
        return at(self.value_col[key], None if here else self.sheet)

    def name(self, key: str, here: bool = False) -> str:
        """The name of input `key`'s cell, as messages give it."""
        return at(self.name_col[key], None if here else self.sheet)

    def hint(self, key: str, here: bool = False) -> str | None:
        """What makes input `key`'s text text when it looks like a number ("" otherwise);
        None for a yes/no input."""
        return at(self.hint_col[key], None if here else self.sheet) if key in self.hint_col else None

    def status(self, input_sheet: str, here: bool = False) -> str:
        """The row of the body's code on `input_sheet`, or why there is none."""
        return at(self.status_col[input_sheet], None if here else self.sheet)

    def source(self, key: str, here: bool = False) -> str:
        """The input sheet's cell itself (a reference, so that CELL("format") sees its format)."""
        sheet, col = self.columns[key]
        letter = xl_col_to_name(col)
        return f"INDEX({quoted_sheet(sheet)}!${letter}:${letter},{self.status(sheet, here)})"

    def location(self, keys: Sequence[str], here: bool = False) -> str:
        """An Excel text expression naming the cells of `keys` on the body's row, as the
        template reader names them: «АППК!D7», «АППК!D7:E7»."""
        sheet = self.columns[keys[0]][0]
        first, last = (xl_col_to_name(self.columns[k][1]) for k in (keys[0], keys[-1]))
        row = self.status(sheet, here)
        if first == last:
            return f"{ft.text(f'{sheet}!{first}')}&{row}"
        return f"{ft.text(f'{sheet}!{first}')}&{row}&{ft.text(':' + last)}&{row}"


def layout(methodology: Methodology, bodies: BodyRegistry) -> ByCode:
    """The columns: after the checks and one empty column, a status per input sheet, then a
    value per key in template order, a name per key, a hint per key of a number, and the
    trimmed codes of each input sheet."""
    columns = input_columns(methodology)
    sheets = input_sheets(methodology)
    first = FIRST_INPUT_COL + len(methodology.indicators) + 1
    status_col = {sheet: first + n for n, sheet in enumerate(sheets)}
    value_col = {key: first + len(sheets) + n for n, key in enumerate(columns)}
    name_col = {key: first + len(sheets) + len(columns) + n for n, key in enumerate(columns)}
    numbers = [key for key in columns if _spec(methodology, key) is None or _spec(methodology, key).type != "boolean"]
    hint_col = {key: first + len(sheets) + 2 * len(columns) + n for n, key in enumerate(numbers)}
    trim_col = {sheet: first + len(sheets) + 2 * len(columns) + len(numbers) + n for n, sheet in enumerate(sheets)}
    return ByCode(sheet_name("checks"), columns, status_col, value_col, name_col, hint_col, trim_col,
                  FIRST_BODY_ROW + len(bodies) - 1 + SPARE_ROWS, {key: heading(methodology, key) for key in columns})


def _spec(methodology: Methodology, key: str):
    """The input of `key`, None for a direct score."""
    indicator_id, field = key.split(".")
    return None if field == "score" else methodology.indicator(indicator_id).input(field)


def heading(methodology: Methodology, key: str) -> str:
    """The heading of `key`'s column on its input sheet, as messages name it."""
    spec = _spec(methodology, key)
    return score_heading(methodology.indicator(key.split(".")[0])) if spec is None else input_heading(spec)


def cell_names(by: ByCode, keys: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """{input name or "score": what messages call its cell} for keys found at `cells`."""
    return {key.split(".")[1]: cell_name(by.headings[key], cell) for key, cell in zip(keys, cells)}


def location(by: ByCode, keys: Sequence[str], row: int) -> str:
    """What ByCode.location gives for a body found in `row` (1-based), in Python."""
    sheet = by.columns[keys[0]][0]
    first, last = (xl_col_to_name(by.columns[k][1]) for k in (keys[0], keys[-1]))
    return f"{sheet}!{first}{row}" + ("" if first == last else f":{last}{row}")


def code_status(sheet: str, code: str, rows: Sequence[int]):
    """The status cell's value for a code found in `rows` (1-based) of `sheet`: the row, or
    the sentence the formula writes."""
    if len(rows) == 1:
        return rows[0]
    if not rows:
        return T("value.code_missing", sheet=sheet, code=code)
    return T("value.code_twice", sheet=sheet, code=code, count=len(rows))


def _trimmed(by: ByCode, sheet: str) -> str:
    """The trimmed codes of input sheet `sheet`, on «Проверка» (references without a sheet name)."""
    letter = xl_col_to_name(by.trim_col[sheet])
    return f"${letter}${FIRST_BODY_ROW + 1}:${letter}${by.last_row + 1}"


def trim_formula(sheet: str) -> str:
    """A row's code on input sheet `sheet` as TRIM leaves it, the row left open."""
    return f"=TRIM({quoted_sheet(sheet)}!$A{ROW})"


def status_formula(by: ByCode, sheet: str) -> str:
    code = "$A" + ROW  # «Проверка» lists the bodies in column A
    trimmed, letter = _trimmed(by, sheet), xl_col_to_name(by.trim_col[sheet])
    wanted = code
    for wildcard in "~*?":  # "~" first: the escapes of the others are not escaped again
        wanted = f'SUBSTITUTE({wanted},"{wildcard}","~{wildcard}")'
    first = f"MATCH({wanted},{trimmed},0)"
    # Below the first: from the next row to one past the last (blank), so never an empty range.
    below = f"INDEX(${letter}:${letter},{first}+{FIRST_BODY_ROW + 1}):${letter}${by.last_row + 2}"
    count = f"SUMPRODUCT(--({trimmed}={code}))"
    missing = native.fill(T("value.code_missing", sheet=sheet, code=native.HOLE), code)
    twice = native.fill(T("value.code_twice", sheet=sheet, code=native.HOLE, count=native.HOLE), code, count)
    return "=" + ft.if_(f"ISNA({first})", missing, ft.if_(f"ISNA(MATCH({wanted},{below},0))", f"{first}+{FIRST_BODY_ROW}",
                                                          twice))


def name_formula(by: ByCode, key: str) -> str:
    status = by.status(by.columns[key][0], here=True)
    name = native.fill(cell_name(by.headings[key], native.HOLE), by.location([key], here=True))
    return "=" + ft.if_(f"ISNUMBER({status})", name, '""')


def hint_formula(by: ByCode, key: str) -> str:
    return "=" + native.text_number_hint(by.value(key, here=True))


def value_formula(by: ByCode, key: str) -> str:
    status, source = by.status(by.columns[key][0], here=True), by.source(key, here=True)
    return "=" + ft.if_(f"ISNUMBER({status})", ft.if_(f"ISBLANK({source})", '""', source), '""')


def unknown_codes_formula(by: ByCode, sheet: str, bodies: BodyRegistry) -> str:
    """How many rows of `sheet` carry a code that is no body's of this template, said when any."""
    codes = _trimmed(by, sheet)
    known = f"$A${FIRST_BODY_ROW + 1}:$A${FIRST_BODY_ROW + len(bodies)}"
    count = f'SUMPRODUCT(({codes}<>"")*(COUNTIF({known},{codes})=0))'
    return "=" + ft.if_(f"{count}>0", native.fill(T("template.unknown_codes", count=native.HOLE), count), '""')


def _heading(methodology: Methodology, by: ByCode, key: str) -> str:
    """Where a value comes from and what it is: «АППК, D: …» (never an indicator.field key,
    which would make the template reader take this sheet for an input sheet)."""
    indicator_id, field = key.split(".")
    indicator = methodology.indicator(indicator_id)
    what = indicator.text("short") if field == "score" else indicator.input(field).text()
    sheet, col = by.columns[key]
    return f"{sheet}, {xl_col_to_name(col)}: {what}"


def write_columns(workbook, sheet, by: ByCode, methodology: Methodology, bodies: BodyRegistry,
                  values: Mapping[tuple, object]) -> None:
    """Write the columns onto «Проверка» (`sheet`), for the template written in body order
    (every code once, in its body's row), each cell with the value it gives."""
    head = workbook.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1, "text_wrap": True, "valign": "top",
                                "font_color": "#595959"})
    first = min(by.status_col.values())
    wrap = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#C00000"})
    sheet.write_string(TITLE_ROW, first, T("template.by_code_title"), workbook.add_format({"italic": True}))
    for input_sheet, col in by.status_col.items():
        sheet.write_string(HEAD_ROW, col, T("head.row_on", sheet=input_sheet), head)
        sheet.write_formula(GROUP_ROW, col, unknown_codes_formula(by, input_sheet, bodies), wrap, "")
    codes = [body.code for body in bodies]  # the trimmed codes' cached values, in body order
    for input_sheet, col in by.trim_col.items():
        sheet.write_string(HEAD_ROW, col, T("head.codes_on", sheet=input_sheet), head)
        sheet.write_formula_down(FIRST_BODY_ROW, col, trim_formula(input_sheet),
                                 codes + [""] * (by.last_row + 1 - FIRST_BODY_ROW - len(codes)))
    for key, col in by.value_col.items():
        sheet.write_string(HEAD_ROW, col, _heading(methodology, by, key), head)
        sheet.write_string(HEAD_ROW, by.name_col[key], T("head.name_of", what=_heading(methodology, by, key)), head)
        if key in by.hint_col:
            sheet.write_string(HEAD_ROW, by.hint_col[key], T("head.hint_of", what=_heading(methodology, by, key)), head)
    rows = range(FIRST_BODY_ROW, FIRST_BODY_ROW + len(bodies))
    for input_sheet, col in by.status_col.items():
        sheet.write_formula_down(FIRST_BODY_ROW, col, status_formula(by, input_sheet), [row + 1 for row in rows])
    for key, col in by.value_col.items():
        indicator_id, field = key.split(".")
        given = [values.get((body.code, indicator_id, field)) for body in bodies]
        sheet.write_formula_down(FIRST_BODY_ROW, col, value_formula(by, key),
                                 ["" if v is None else (str(v) if isinstance(v, str) else v) for v in given])
        sheet.write_formula_down(FIRST_BODY_ROW, by.name_col[key], name_formula(by, key),
                                 [cell_name(by.headings[key], location(by, [key], row + 1)) for row in rows])
        if key in by.hint_col:
            sheet.write_formula_down(FIRST_BODY_ROW, by.hint_col[key], hint_formula(by, key), map(text_number_hint, given))
    sheet.set_column(first, max(by.trim_col.values()), 14)
