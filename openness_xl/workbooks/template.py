"""The input template: the input sheets (`input_sheets.py`), the index computed by native
formulas on «Расчёт» and «Проверка» (`calculation.py`), what each body needs on «Цели»
(`targets_sheet.py`) and the named LAMBDA functions, in one workbook.

Its layout, and reading a filled one back, are in `io/template_reader.py`.
"""
from __future__ import annotations

from ..core.bodies import BodyRegistry
from ..methodology import Methodology
from ..texts import text as T, using
from .calculation import define_lambdas, write_calculation
from .common import finish, new_workbook
from .input_sheets import input_values, write_input_sheets
from .targets_sheet import write_targets


def write_template(methodology: Methodology, bodies: BodyRegistry, submissions=(), lang: str = "ru") -> bytes:
    """The input template for all bodies in `lang` (ru, kk or en), as bytes (deterministic):
    prefilled with `submissions` (raw inputs on the criterion sheets, direct scores on «Баллы
    напрямую»), computing the index itself on «Расчёт», with the named LAMBDA functions."""
    with using(lang):
        workbook, buffer = new_workbook(T("template.workbook_title", year=methodology.year))
        values = input_values(methodology, submissions)
        return finish_template(workbook, buffer, methodology, bodies, values)


def finish_template(workbook, buffer, methodology: Methodology, bodies: BodyRegistry, values: dict) -> bytes:
    """The template's sheets over `values` {(body, indicator_id, field): cell value}, as bytes."""
    columns = write_input_sheets(workbook, methodology, bodies, values)
    col_of, rows = write_calculation(workbook, methodology, bodies, columns, values)
    write_targets(workbook, methodology, bodies, values, col_of, rows)
    define_lambdas(workbook, methodology)
    return finish(workbook, buffer, natural_size=tuple(T(f"sheet.{key}") for key in ("calc", "checks", "targets")))
