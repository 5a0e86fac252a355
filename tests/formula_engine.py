"""Evaluating a workbook with the `formulas` package, the project's Excel functions registered.

The live workbook's cells call OPENNESS_… functions that only xlwings provides in Excel;
here the same functions (udfs/openness_udfs.py) are registered with the formula engine,
with Excel's argument shapes: a single cell as a value, a range as a 2-D list, a blank as None.
"""
from pathlib import Path

import numpy as np
import openpyxl
import schedula as sh
from openpyxl.worksheet.formula import ArrayFormula

import formulas
import openness_udfs


def _cell(value):
    if value is sh.EMPTY:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return value


def _excel_argument(argument):
    value = argument.value if hasattr(argument, "value") else argument
    array = np.atleast_2d(np.asarray(value, dtype=object))
    if array.shape == (1, 1):
        return _cell(array[0, 0])
    return [[_cell(x) for x in row] for row in array]


def _registered(function):
    def call(*arguments):
        result = function(*[_excel_argument(a) for a in arguments])
        return np.asarray(result, dtype=object) if isinstance(result, list) else result
    return call


def evaluate(path) -> dict[str, object]:
    """Every formula range of the workbook evaluated: {"SHEET!A1:A3": 2-D array of values}."""
    functions = formulas.get_functions()
    for name in openness_udfs.__all__:
        functions[name] = _registered(getattr(openness_udfs, name))
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    results = {}
    for key, value in solution.items():
        sheet_and_range = key.split("]", 1)[-1].strip("'")
        sheet, _, cells = sheet_and_range.rpartition("!")
        results[f"{sheet.strip(chr(39)).upper()}!{cells}"] = np.atleast_2d(np.asarray(getattr(value, "value", value), dtype=object))
    return results


def frozen(path: Path, sheet: str, shown: Path, out: Path) -> Path:
    """A copy of the workbook at `path` in which every formula of `sheet` is replaced by the
    value its cell shows in the workbook at `shown` (the file's own cached values, or
    LibreOffice's recalculation): the `formulas` package cannot read the template's native
    checks, a real engine computes them, and the package evaluates the functions' cells."""
    book = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(shown, data_only=True)[sheet]
    for row in book[sheet].iter_rows():
        for cell in row:
            if cell.data_type == "f" or isinstance(cell.value, ArrayFormula):
                cell.value = values[cell.coordinate].value
    book.save(out)
    return out
