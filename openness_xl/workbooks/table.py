"""A plain table as a workbook sheet: the diff, the appeals' effects, year-over-year change."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .common import finish, new_workbook


@dataclass(frozen=True)
class Table:
    """A sheet of plain rows: its name, a title, notes under it, the header and the rows.
    `widths` gives column widths (default 16 each); columns in `wrap` wrap their text; columns
    in `text` hold text even where a value looks like a number (a printed value beside a letter,
    kept as written and aligned alike in every language)."""

    name: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence]
    notes: Sequence[str] = ()
    widths: Sequence[float] = ()
    wrap: Sequence[int] = ()
    number_formats: Mapping[int, str] = field(default_factory=dict)  # column → Excel number format
    text: Sequence[int] = ()


LINE_HEIGHT = 15  # points per line of 11-point text


def lines_of(text: str, width: float) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide (an estimate:
    words are kept whole, as Excel and LibreOffice wrap them)."""
    count, used = 1, 0
    for word in str(text).split():
        if used and used + 1 + len(word) > width:
            count, used = count + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return count


def add_table_sheet(workbook, table: Table) -> None:
    """A sheet with the title and notes, a bold header and the rows; numbers written as numbers.
    Printed landscape, one page wide."""
    sheet = workbook.add_worksheet(table.name)
    columns, rows = table.columns, table.rows
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    top = workbook.add_format({"valign": "top"})
    numbers = {col: workbook.add_format({"valign": "top", "num_format": f}) for col, f in table.number_formats.items()}
    widths = [table.widths[col] if col < len(table.widths) else 16 for col in range(len(columns))]
    first = 0
    if table.title:
        sheet.write_string(0, 0, table.title, workbook.add_format({"bold": True, "font_size": 12}))
        first = 1
    note = workbook.add_format({"italic": True, "font_color": "#7F6000", "text_wrap": True, "valign": "top"})
    for text in table.notes:
        # Merged across the table and wrapped, so that a long note neither runs past the
        # printed page nor hides under the next row (no engine grows a row by itself here).
        sheet.merge_range(first, 0, first, len(columns) - 1, text, note)
        sheet.set_row(first, LINE_HEIGHT * lines_of(text, sum(widths)))
        first += 1
    first += 1 if first else 0
    sheet.write_row(first, 0, list(columns), head)
    sheet.set_row(first, LINE_HEIGHT * max(lines_of(c, w) for c, w in zip(columns, widths)))
    for offset, values in enumerate(rows, start=first + 1):
        lines = max([1, *(lines_of(str(values[col]), widths[col]) for col in table.wrap if col < len(values))])
        if lines > 1:
            sheet.set_row(offset, LINE_HEIGHT * lines)
        for col, value in enumerate(values):
            text = "" if value is None else str(value)
            try:
                is_number = text not in ("", "—") and float(text) == float(text) and not text.startswith(("+", " "))
            except ValueError:
                is_number = False
            if is_number and not any(ch.isalpha() for ch in text) and col not in table.text:
                sheet.write_number(offset, col, float(text), numbers.get(col, top))
            elif text:
                sheet.write_string(offset, col, text, wrapped if col in table.wrap else top)
    sheet.freeze_panes(first + 1, 0)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width, wrapped if col in table.wrap else top)
    sheet.autofilter(first, 0, first + max(len(rows), 1), len(columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(first)


def write_table(title: str, sheet: str, columns: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """A one-sheet workbook of the table (deterministic bytes)."""
    workbook, buffer = new_workbook(title)
    add_table_sheet(workbook, Table(sheet, title, columns, rows))
    return finish(workbook, buffer)
