"""What the generated workbooks share: deterministic files, formats, tier colours, references."""
from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet

from ..version import __version__
from ..texts import text

# A fixed creation time: the same inputs must give the same bytes.
FIXED_TIME = dt.datetime(2025, 1, 1)
# The tiers' colours by position, best first: a methodology with other tiers, or more or fewer
# of them, gets the best and the worst colour at its ends and the others spread between.
TIER_COLOURS = ("#C6EFCE", "#FFEB9C", "#FCD5B4", "#FFC7CE")
GRADE_COLOURS = ("#C6EFCE", "#FFEB9C", "#FFC7CE")  # best, middle, worst letter

# Scores show two decimals always (4,00 beside 3,78) and more where a score has them
# (open data 4,515): the exact value, never a rounded-looking one.
SCORE_FORMAT = "0.00##"


# Formulas are compiled once per column with this in place of the row number, then the row
# is put in: compiling 2,000 rows one by one took most of the time of a large template.
ROW = "\x01"


def quoted_sheet(sheet: str) -> str:
    """A sheet name as a reference writes it: 'АППК', 'Bob''s'."""
    return "'" + sheet.replace("'", "''") + "'"


def at(col: int, sheet: str | None = None) -> str:
    """A relative reference to column `col` of the row being written (see ROW)."""
    reference = xl_col_to_name(col) + ROW
    return f"{quoted_sheet(sheet)}!{reference}" if sheet else reference


def sheet_name(key: str) -> str:
    """A sheet's name in the current language of files («calc» → «Расчёт», «Есептеу»)."""
    return text(f"sheet.{key}", kind="files")


def tier_colours(methodology) -> dict[str, str]:
    """The colours of the methodology's tiers (best first), keyed by the tiers as the current
    language of files writes them."""
    last, tiers = len(TIER_COLOURS) - 1, methodology.tier_order
    return {methodology.tier_label(tier): TIER_COLOURS[round(position * last / max(len(tiers) - 1, 1))]
            for position, tier in enumerate(tiers)}


class VerbatimWorksheet(Worksheet):
    """A worksheet that stores its formulas as written. XlsxWriter otherwise runs some 30 regular
    expressions over every formula to add `_xlfn.` prefixes, and one more to find a dynamic
    array function — 2 of the 3.5 s of a 49-body template, 0.5 s of a report —; the compiler
    (`excel/native.py`) writes the prefixes of the few newer functions it uses (LAMBDA, LET)
    itself, in defined names, and no cell of ours spills."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")

    def _write_formula(self, row, col, formula, cell_format=None, value=0):
        if formula.startswith("{") or self.constant_memory or not formula:
            return super()._write_formula(row, col, formula, cell_format, value)
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellFormulaTuple(self._prepare_formula(formula), cell_format, value)
        return 0


def new_workbook(title: str) -> tuple[xlsxwriter.Workbook, io.BytesIO]:
    """An in-memory XlsxWriter workbook that treats user text as text, never as a formula or link."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    workbook.worksheet_class = VerbatimWorksheet
    workbook.set_properties({"title": title, "author": f"openness-xl {__version__}", "created": FIXED_TIME})
    workbook.set_calc_mode("auto")
    workbook.set_size(1600, 1000)
    return workbook, buffer


def finish(workbook: xlsxwriter.Workbook, buffer: io.BytesIO, natural_size: tuple[str, ...] = ()) -> bytes:
    """Print set-up for every sheet (A4 landscape, one page wide, except the `natural_size`
    sheets, too wide to shrink onto one page), then the file's bytes."""
    for sheet in workbook.worksheets():
        sheet.set_landscape()
        sheet.set_paper(9)
        if sheet.get_name() not in natural_size:
            sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    workbook.close()
    return buffer.getvalue()


def ref(sheet: str, row: int, col: int, absolute: bool = True) -> str:
    """A cross-sheet reference such as 'Данные'!$D$5 (0-based row and column)."""
    return f"'{sheet}'!{xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)}"


def cell(row: int, col: int, absolute: bool = False) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)


def column_range(sheet: str, first_row: int, last_row: int, col: int) -> str:
    start = xl_rowcol_to_cell(first_row, col, row_abs=True, col_abs=True)
    end = xl_rowcol_to_cell(last_row, col, row_abs=True, col_abs=True)
    return f"'{sheet}'!{start}:{end}"


def number(value: Fraction | None):
    """A cached value for a formula cell: a float, or "" where the formula gives an empty text."""
    return "" if value is None else float(value)


def tier_colour_rules(sheet, first_row: int, last_row: int, col: int, formats: dict) -> None:
    """Colour a column of tier (or letter) cells by their text, so colours follow recalculation."""
    for label, label_format in formats.items():
        sheet.conditional_format(first_row, col, last_row, col, {
            "type": "cell", "criteria": "==", "value": f'"{label}"', "format": label_format,
        })


def colour_formats(workbook, colours: dict[str, str]) -> dict:
    return {label: workbook.add_format({"bg_color": colour}) for label, colour in colours.items()}
