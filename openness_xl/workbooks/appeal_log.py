"""`openness appeal template -o log.xlsx`: the appeal log as a workbook, with validation."""
from __future__ import annotations

from ..appeal import COLUMNS, DECISIONS
from ..bodies import BodyRegistry
from ..methodology import Methodology
from .common import finish, new_workbook

HELP = {
    "body": "код органа (МЗ, Алматы …)", "indicator": "индикатор (appk_review_timeliness …)",
    "field": "поле исходных данных или score", "source_value": "значение в исходных данных",
    "claimed_value": "значение, которое требует орган", "grounds": "основания",
    "filed_on": "дата подачи (ГГГГ-ММ-ДД)", "decision": "accepted / rejected / partly",
    "accepted_value": "принятое значение (для partly обязательно)",
}


def write_appeal_log(methodology: Methodology, bodies: BodyRegistry, rows: int = 500) -> bytes:
    """An empty log: the header the reader expects on «appeals», lists for body, indicator and
    decision, a date check, and the cycle's deadline in the instructions."""
    workbook, buffer = new_workbook(f"Индекс открытости {methodology.year}: журнал обжалований")
    sheet = workbook.add_worksheet("appeals")
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, COLUMNS, head)
    for col, name in enumerate(COLUMNS):
        sheet.write_comment(0, col, HELP[name])
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
                                              "error_title": "Срок обжалования",
                                              "error_message": f"обжалование принимается до {cycle.appeals_until}"})
    sheet.set_column(0, 2, 18, text)
    sheet.set_column(3, 5, 16, text)
    sheet.set_column(6, 6, 12, date)
    sheet.set_column(7, 8, 14, text)
    sheet.freeze_panes(1, 0)
    lists.hide()
    notes = workbook.add_worksheet("Инструкция")
    lines = ["Журнал обжалований исходных данных: одна жалоба на строку листа «appeals».",
             "field — поле исходных данных индикатора (см. docs/indicators.md) или score для балла напрямую.",
             "decision: accepted (принято), rejected (отклонено), partly (частично, с accepted_value)."]
    if cycle is not None:
        lines.append(f"Исходные данные — до {cycle.source_data_by}; обжалование — до {cycle.appeals_until} включительно; "
                     f"окончательные данные — к {cycle.final_by} (методика, раздел [cycle]).")
    lines.append("openness appeal apply ИСХОДНЫЕ_ДАННЫЕ журнал.xlsx -o итоговые.csv применяет принятые жалобы.")
    notes.write_column(0, 0, lines)
    notes.set_column(0, 0, 110)
    return finish(workbook, buffer)
