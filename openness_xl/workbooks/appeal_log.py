"""`openness appeal template -o log.xlsx`: the appeal log as a workbook, with validation."""
from __future__ import annotations

from ..io.appeal_log import COLUMNS, DECISIONS
from ..core.bodies import BodyRegistry
from ..methodology import Methodology
from ..texts import text as T, using
from .common import finish, new_workbook, sheet_name

def write_appeal_log(methodology: Methodology, bodies: BodyRegistry, rows: int = 500, lang: str = "ru") -> bytes:
    """An empty log in `lang`: the header the reader expects on «appeals» (machine keys in every
    language), lists for body, indicator and decision, a date check, and the cycle's deadline
    in the instructions."""
    with using(lang):
        return _write_appeal_log(methodology, bodies, rows)


def _write_appeal_log(methodology: Methodology, bodies: BodyRegistry, rows: int) -> bytes:
    workbook, buffer = new_workbook(T("appeal_log.title", year=methodology.year))
    sheet = workbook.add_worksheet("appeals")
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    as_text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, COLUMNS, head)
    for col, name in enumerate(COLUMNS):
        sheet.write_comment(0, col, T(f"appeal_log.{name}"))
    lists = workbook.add_worksheet("lists")
    codes = [b.code for b in bodies]
    fields = sorted({"score", *(name for i in methodology.indicators for name in i.input_names)})
    for col, values in enumerate((codes, [i.id for i in methodology.indicators], fields, list(DECISIONS))):
        lists.write_column(0, col, values)
    last = rows
    for col, (name, count) in enumerate(zip(("A", "B", "C"), (len(codes), len(methodology.indicators), len(fields)))):
        sheet.data_validation(1, col, last, col, {"validate": "list", "source": f"=lists!${name}$1:${name}${count}"})
    sheet.data_validation(1, 7, last, 7, {"validate": "list", "source": f"=lists!$D$1:$D${len(DECISIONS)}"})
    cycle = methodology.cycle
    if cycle is not None:
        sheet.data_validation(1, 6, last, 6, {"validate": "date", "criteria": "<=", "value": cycle.appeals_until,
                                              "error_title": T("appeal_log.deadline_title"),
                                              "error_message": T("appeal_log.deadline", date=cycle.appeals_until)})
    sheet.set_column(0, 2, 18, as_text)
    sheet.set_column(3, 5, 16, as_text)
    sheet.set_column(6, 6, 12, date)
    sheet.set_column(7, 8, 14, as_text)
    sheet.freeze_panes(1, 0)
    lists.hide()
    notes = workbook.add_worksheet(sheet_name("readme"))
    lines = [T("appeal_log.line1"), T("appeal_log.line2"), T("appeal_log.line3")]
    if cycle is not None:
        lines.append(T("appeal_log.cycle", source=cycle.source_data_by, appeals=cycle.appeals_until, final=cycle.final_by))
    lines.append(T("appeal_log.apply"))
    notes.write_column(0, 0, lines)
    notes.set_column(0, 0, 110)
    return finish(workbook, buffer)
