"""A plain table as a workbook sheet: the diff, the appeals' effects, year-over-year change."""
from __future__ import annotations

from typing import Sequence

from .common import finish, new_workbook


def add_table_sheet(workbook, name: str, columns: Sequence[str], rows: Sequence[Sequence], title: str = "") -> None:
    """A sheet with an optional title, a bold header and the rows; numbers written as numbers."""
    sheet = workbook.add_worksheet(name)
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    first = 0
    if title:
        sheet.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 12}))
        first = 2
    sheet.write_row(first, 0, list(columns), head)
    for offset, values in enumerate(rows, start=first + 1):
        for col, value in enumerate(values):
            text = "" if value is None else str(value)
            try:
                is_number = text not in ("", "—") and float(text) == float(text) and not text.startswith(("+", " "))
            except ValueError:
                is_number = False
            if is_number and not any(ch.isalpha() for ch in text):
                sheet.write_number(offset, col, float(text))
            elif text:
                sheet.write_string(offset, col, text)
    sheet.freeze_panes(first + 1, 0)
    sheet.set_column(0, len(columns) - 1, 16)
    sheet.autofilter(first, 0, first + max(len(rows), 1), len(columns) - 1)


def write_table(title: str, sheet: str, columns: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """A one-sheet workbook of the table (deterministic bytes)."""
    workbook, buffer = new_workbook(title)
    add_table_sheet(workbook, sheet, columns, rows, title)
    return finish(workbook, buffer)
