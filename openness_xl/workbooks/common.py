"""What the generated workbooks share: deterministic files, formats, tier colours, references."""
from __future__ import annotations

import datetime as dt
import io
import re
from collections import namedtuple
from fractions import Fraction
from functools import lru_cache

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import CellFormulaTuple, CellNumberTuple, CellStringTuple, Worksheet

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


def shareable(formula: str) -> bool:
    """Whether a formula compiled with its row left open (ROW) can be stored once for a whole
    column, as Excel stores a filled-down formula («shared formula»): Excel moves every
    relative row of the first cell's formula down to each cell, so every relative row must be
    ROW, and no ROW may stand where nothing moves it (an absolute row, a text, a quoted sheet
    name)."""
    outside = []
    for position, piece in enumerate(_QUOTED.split(formula)):
        if position % 2:  # a text or a quoted sheet name
            if ROW in piece:
                return False
        else:
            outside.append(piece)
    code = " ".join(outside)
    moved = 0
    for match in _REFERENCE.finditer(code):
        for part in range(4):
            row_is_absolute, row = match.group(f"abs{part or ''}", f"row{part or ''}")
            if row is None:
                continue
            if (row == ROW) == bool(row_is_absolute):
                return False  # an absolute ROW, or a relative row Excel would move
            moved += row == ROW
    return moved == code.count(ROW)


# A text ("…", "" inside) or a quoted sheet name ('…', '' inside), split out with its quotes.
_QUOTED = re.compile(r"""("(?:[^"]|"")*"|'(?:[^']|'')*')""")
# A cell or range (A5, $A$5, A5:B6) or a range of whole rows (5:6), the row either digits or ROW;
# not a piece of a name, a number or a function (LOG10( ).
_ROW_PART = r"(?P<{0}>\$?)(?P<{1}>[0-9]+|\x01)"
_REFERENCE = re.compile(
    r"(?<![A-Za-z0-9_.$\\])(?:\$?[A-Z]{1,3}" + _ROW_PART.format("abs", "row") + r"(?::\$?[A-Z]{1,3}"
    + _ROW_PART.format("abs1", "row1") + r")?|" + _ROW_PART.format("abs2", "row2") + ":"
    + _ROW_PART.format("abs3", "row3") + r")(?![A-Za-z0-9_(.])")


# A cell of a shared formula: the anchor (the group's first cell) holds the text and the range
# it covers (`ref`); every cell keeps its own cached value.
SharedFormula = namedtuple("SharedFormula", "formula, format, value, ref, group")

_ERROR_VALUES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))


class VerbatimWorksheet(Worksheet):
    """A worksheet that stores its formulas as written. XlsxWriter otherwise runs some 30 regular
    expressions over every formula to add `_xlfn.` prefixes, and one more to find a dynamic
    array function — 2 of the 3.5 s of a 49-body template, 0.5 s of a report —; the compiler
    (`excel/native.py`) writes the prefixes of the few newer functions it uses (LAMBDA, LET)
    itself, in defined names, and no cell of ours spills."""

    _shared_groups = -1  # the last shared formula's group number on this sheet

    def _prepare_formula(self, formula, expand_future_functions=False):
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")

    def _write_formula(self, row, col, formula, cell_format=None, value=0):
        if formula.startswith("{") or self.constant_memory or not formula:
            return super()._write_formula(row, col, formula, cell_format, value)
        if self._check_dimensions(row, col):
            return -1
        self.table[row][col] = CellFormulaTuple(self._prepare_formula(formula), cell_format, value)
        return 0

    def write_formula_down(self, first_row: int, col: int, formula: str, values, cell_format=None) -> None:
        """`formula`, its row left open (ROW), in column `col` from `first_row` down, one cell
        for each of `values` (its cached value). Stored once for the column where it can be
        (`shareable`), else cell by cell. Read back, each cell has its own formula either way;
        the prefilled 49-body template's sheets are 1.7 MB of XML instead of 12.6 MB."""
        values = list(values)
        if len(values) < 2 or not shareable(formula):
            for offset, value in enumerate(values):
                self.write_formula(first_row + offset, col, formula.replace(ROW, str(first_row + offset + 1)), cell_format,
                                   value)
            return
        last = first_row + len(values) - 1
        if self._check_dimensions(last, col) or self._check_dimensions(first_row, col):
            raise ValueError(f"row {last + 1} or column {col + 1} is outside a worksheet")
        group = self._shared_groups = self._shared_groups + 1
        ref = f"{xl_rowcol_to_cell(first_row, col)}:{xl_rowcol_to_cell(last, col)}"
        anchor = self._prepare_formula(formula.replace(ROW, str(first_row + 1)))
        for offset, value in enumerate(values):
            self.table[first_row + offset][col] = SharedFormula(None if offset else anchor, cell_format, value, ref, group)

    def _write_cell(self, row, col, cell):
        # As XlsxWriter writes a number, a shared string and a formula (its format, else the
        # row's or the column's; the type of a formula's cached value), without its per-cell
        # lists of attributes and escaping of the reference and style: 13 K cells of a report.
        kind = type(cell)
        if kind not in _WRITTEN_HERE or (kind is CellStringTuple and self.constant_memory):  # (then written inline)
            return super()._write_cell(row, col, cell)
        attributes = f' r="{_column_name(col)}{row + 1}"'
        style = cell.format
        if style is None and row in self.row_info:
            style = self.row_info[row].row_format
        if style is None and col in self.col_info:
            style = self.col_info[col].column_format
        if style is not None:
            attributes += f' s="{style._get_xf_index()}"'
        if kind is CellNumberTuple:
            self.fh.write(f"<c{attributes}><v>{cell.number:.16G}</v></c>")
            return
        if kind is CellStringTuple:  # its index in the shared strings
            self.fh.write(f'<c{attributes} t="s"><v>{cell.string}</v></c>')
            return
        value = cell.value
        if isinstance(value, bool):
            attributes, value = attributes + ' t="b"', int(value)
        elif isinstance(value, str) and value:
            attributes += ' t="e"' if value in _ERROR_VALUES else ' t="str"'
        value = self._escape_data(value)
        if kind is CellFormulaTuple:
            self.fh.write(f"<c{attributes}><f>{self._escape_data(cell.formula)}</f><v>{value}</v></c>")
        elif cell.formula is None:  # a shared formula's later cell: the formula written once for its group
            self.fh.write(f'<c{attributes}><f t="shared" si="{cell.group}"/><v>{value}</v></c>')
        else:
            self.fh.write(f'<c{attributes}><f t="shared" ref="{cell.ref}" si="{cell.group}">'
                          f'{self._escape_data(cell.formula)}</f><v>{value}</v></c>')


_WRITTEN_HERE = frozenset((CellNumberTuple, CellStringTuple, CellFormulaTuple, SharedFormula))


@lru_cache(maxsize=None)
def _column_name(col: int) -> str:
    return xl_col_to_name(col)


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
