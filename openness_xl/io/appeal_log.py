"""The appeal log of a cycle, read: one appeal a row, from CSV or from the log workbook, every
row that cannot be read named with its row or cell.

    body,indicator,field,source_value,claimed_value,grounds,filed_on,decision,accepted_value

`filed_on` a date (2026-01-22, 22.01.2026, either with a time, or an Excel date); `decision`
accepted, rejected or partly in English, Russian or Kazakh. What the appeals do is
`analyses/appeal.py`."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..bounded import read_at_most
from ..core.values import DATE_FORMATS, EXCEL_EPOCH, EXCEL_SERIAL, EXCEL_SERIALS, with_times
from ..texts import text
from .inputs import MAX_CSV_BYTES, InputErrors, Problem, decode_text, delimiter_of, header_key, sheet_headed

COLUMNS = ("body", "indicator", "field", "source_value", "claimed_value", "grounds", "filed_on", "decision",
           "accepted_value")
# How a decision may be written, in English, Russian and Kazakh.
DECISIONS = {
    "accepted": ("accepted", "принято", "удовлетворено", "удовлетворить", "принять", "қабылданды", "қанағаттандырылды"),
    "rejected": ("rejected", "отклонено", "отказано", "не удовлетворено", "отклонить", "отказать", "қабылданбады",
                 "қанағаттандырылмады", "бас тартылды"),
    "partly": ("partly", "частично", "частично удовлетворено", "partly accepted", "ішінара", "ішінара қанағаттандырылды"),
}
SCORE = "score"


class AppealErrors(InputErrors):
    """Every row of an appeal log that cannot be taken."""


@dataclass(frozen=True)
class Appeal:
    """One row of the log, as written (values are text until the appeal is applied)."""

    location: str  # "row 7" or "appeals!A7"
    body: str
    indicator: str
    field: str
    source_value: str
    claimed_value: str
    grounds: str
    filed_on: dt.date | None
    decision: str  # accepted, rejected, partly, or "" when not decided yet
    accepted_value: str
    unreadable: tuple[str, ...] = ()  # what could not be read in the row (a date, a decision)

    @property
    def outcome(self) -> str | None:
        """The value that goes into the final data, or None when nothing changes."""
        if self.decision == "accepted":
            return self.accepted_value or self.claimed_value
        if self.decision == "partly":
            return self.accepted_value
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> dt.date | None | str:
    """A date — 2026-01-22, 22.01.2026 (as Kazakhstan writes it), either with a time, or an
    Excel date, also one that arrives as its serial number — None when blank, or the text that
    is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    written = _text(value)
    if not written:
        return None
    serial = re.fullmatch(EXCEL_SERIAL, written)  # a date and time: its day
    if serial and int(serial[1]) in EXCEL_SERIALS:
        return EXCEL_EPOCH + dt.timedelta(days=int(serial[1]))
    try:  # ISO with a time, «2026-01-27T16:45»; one with a zone is not a day without one
        written_at = dt.datetime.fromisoformat(written)
        if written_at.tzinfo is None:
            return written_at.date()
    except ValueError:
        pass
    for form in with_times(DATE_FORMATS):
        try:
            return dt.datetime.strptime(written, form).date()
        except ValueError:
            continue
    return written


def _decision(value: Any) -> str | None:
    written = _text(value).lower()
    if not written:
        return ""
    return next((code for code, spellings in DECISIONS.items() if written in spellings), None)


def read_log(path: Path | str, warnings: list[str] | None = None) -> list[Appeal]:
    """The appeal log (CSV or .xlsx: a sheet named «appeals», else the first headed with its
    columns, else the first); AppealErrors lists every row that cannot be read; `warnings` gets
    what the workbook reader notices (macros, links to other files), as for every .xlsx a user
    gives."""
    path = Path(path)
    source = str(path)
    if not path.exists():  # not is_file(): a pipe (`<(…)` in a shell) is read like a file
        raise AppealErrors([Problem(source, "file", text("input.missing_file"))])
    if path.is_dir():
        raise AppealErrors([Problem(source, "file", text("input.folder"))])
    records = _xlsx_records(path, warnings) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_records(path)
    if not records:
        raise AppealErrors([Problem(source, "row 1", text("appeal.no_header", columns=",".join(COLUMNS)))])
    header_location, header = records[0]
    header = [header_key(h) for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise AppealErrors([Problem(source, header_location, text("appeal.missing_columns", missing=", ".join(missing),
                                                                  columns=",".join(COLUMNS)))])
    appeals = []
    for location, cells in records[1:]:
        cells = list(cells) + [None] * (len(header) - len(cells))
        value = {c: cells[header.index(c)] for c in COLUMNS}
        if not any(_text(v) for v in value.values()):
            continue
        filed = _date(value["filed_on"])
        decision = _decision(value["decision"])
        # Said by `check` with every other problem of the row: the whole log in one pass.
        unreadable = ([text("appeal.not_a_date", value=repr(filed))] if isinstance(filed, str) else []) + (
            [text("appeal.bad_decision", value=repr(_text(value["decision"])))] if decision is None else [])
        appeals.append(Appeal(location, _text(value["body"]), _text(value["indicator"]), _text(value["field"]),
                              _text(value["source_value"]), _text(value["claimed_value"]), _text(value["grounds"]),
                              filed if isinstance(filed, dt.date) else None, decision or "",
                              _text(value["accepted_value"]), tuple(unreadable)))
    return appeals


# A field of an appeal log may hold long grounds (a letter pasted whole): up to 1 MB each.
MAX_FIELD = 1024 * 1024


def _csv_records(path: Path) -> list[tuple[str, list[str]]]:
    data = read_at_most(path, MAX_CSV_BYTES)
    if data is None:
        raise AppealErrors([Problem(str(path), "file", text("input.too_large", limit=f"{MAX_CSV_BYTES:,}"))])
    try:
        content = decode_text(data, str(path))
    except InputErrors as error:
        raise AppealErrors(error.problems) from None
    delimiter = delimiter_of(content)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    previous = csv.field_size_limit(MAX_FIELD)
    try:
        rows = list(reader)
    except csv.Error as error:
        # The row the reader stopped in: a field past the limit, or a quote never closed.
        raise AppealErrors([Problem(str(path), f"row {reader.line_num}",
                                    text("appeal.bad_field", error=error, limit=f"{MAX_FIELD:,}"))]) from None
    finally:
        csv.field_size_limit(previous)
    too_wide = [n for n, r in enumerate(rows[1:], start=2) if rows and len(r) > len(rows[0])]
    if too_wide:
        raise AppealErrors([Problem(str(path), f"row {n}", text("appeal.too_wide", fields=len(rows[0])))
                            for n in too_wide])
    return [(f"row {n}", r) for n, r in enumerate(rows, start=1)]


def _xlsx_records(path: Path, warnings: list[str] | None = None) -> list[tuple[str, list[Any]]]:
    from ..io.safe_xlsx import DAMAGED, UnsafeWorkbook, open_workbook, present_rows, unreadable

    try:
        workbook, notes = open_workbook(path)
        if warnings is not None:
            warnings.extend(notes)
    except UnsafeWorkbook as error:
        raise AppealErrors([Problem(str(path), "file", error.reason)]) from None
    try:
        sheet = workbook["appeals"] if "appeals" in workbook.sheetnames else sheet_headed(workbook, COLUMNS)
        return [(f"{sheet.title}!A{n}", list(values)) for n, values in present_rows(sheet)]
    except (*DAMAGED, ValueError) as error:
        raise AppealErrors([Problem(str(path), *unreadable(path, error))]) from None
    finally:
        workbook.close()
