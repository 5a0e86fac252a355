"""The live workbook: «Расчёт» calls the project's Excel functions over each body's inputs as
«Проверка» finds them by code. The `formulas` package evaluates the functions' array
formulas (the functions registered as xlwings would call them); the native checks they read
are computed by LibreOffice where the input sheets were changed, else taken as cached.
"""
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from openness_xl.io.published import published_submissions, worked_examples
from openness_xl.core.scoring import Entry, evaluate
from openness_xl.texts import using
from openness_xl.workbooks.calculation import calculated_values, see_checks
from openness_xl.workbooks.common import sheet_name
from openness_xl.workbooks.live import write_live
from openness_xl.io.template_reader import FIRST_BODY_ROW, input_sheets, KEY_ROW
from openness_xl.workbooks.input_sheets import input_values
from tests.formula_engine import evaluate as evaluate_formulas, frozen
from tests.libreoffice import needs_libreoffice, recalculate
from tests.test_template_seams import long_table, shuffle_input_sheets
from tests.test_workbooks import plant_stale_value, same
from tests.bundled import METHODOLOGY, BODIES

pytestmark = pytest.mark.slow

CALC, CHECKS = sheet_name("calc"), sheet_name("checks")
with using("ru"):  # the workbooks' language
    SEE_CHECKS = see_checks()


def live_file(tmp_path, submissions, name="live.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(write_live(METHODOLOGY, BODIES, submissions))
    return path


def raw_submissions():
    examples = [e for e in worked_examples(2025) if e.status == "match"]
    bodies: dict[str, dict] = {}
    from openness_xl.core.values import parse_inputs

    for example in examples:
        indicator = METHODOLOGY.indicator(example.indicator_id)
        values, problems = parse_inputs(indicator, example.inputs)
        assert not problems
        bodies.setdefault(example.body, {})[indicator.id] = Entry("raw", values=values)
    return [(b.code, b.type, bodies[b.code]) for b in BODIES if b.code in bodies]


def evaluated(path: Path, shown: Path | None = None) -> dict:
    """{coordinate: value} of every cell of the functions' array formulas on «Расчёт», evaluated
    with «Проверка» as `shown` computes it (by default the file's own cached values)."""
    engine = evaluate_formulas(frozen(path, CHECKS, shown or path, path.with_name(path.stem + "-frozen.xlsx")))
    formula_sheet = openpyxl.load_workbook(path)[CALC]
    ranges = {item.value.ref for row in formula_sheet.iter_rows() for item in row
              if isinstance(item.value, openpyxl.worksheet.formula.ArrayFormula)}
    assert {f"{CALC.upper()}!{r}" for r in ranges} <= set(engine), "a formula range was not evaluated"
    cells = {}
    for reference_ in ranges:
        array = engine[f"{CALC.upper()}!{reference_}"]
        block = formula_sheet[reference_]
        assert len(block) == len(array)
        for row, values in zip(block, array):
            assert len(row) == len(values)
            for item, value in zip(row, values):
                cells[item.coordinate] = float(value) if isinstance(value, (int, float, np.integer, np.floating)) else value
    return cells


def compare_cached(path: Path, cells: dict) -> int:
    sheet = openpyxl.load_workbook(path, data_only=True)[CALC]
    for coordinate, value in cells.items():
        assert same(sheet[coordinate].value, value), (coordinate, sheet[coordinate].value, value)
    return len(cells)


def test_live_workbook_evaluated_with_the_functions_equals_the_core(tmp_path):
    path = live_file(tmp_path, published_submissions(2025))
    assert compare_cached(path, evaluated(path)) == 49 * (2 * 20 + 2 * 4 + 3)  # every formula cell of «Расчёт»
    sheet = openpyxl.load_workbook(path, data_only=True)[CALC]
    header = {c.value: c.column for c in sheet[4]}
    results = {r.body: r for r in evaluate(METHODOLOGY, published_submissions(2025))}
    for row in range(5, 54):
        result = results[sheet.cell(row, 1).value]
        assert sheet.cell(row, header["index"]).value == pytest.approx(float(result.index), abs=1e-9)
        assert sheet.cell(row, header["rating"]).value == result.rating
        assert sheet.cell(row, header["rank"]).value == result.rank
    conf = openpyxl.load_workbook(path)["xlwings.conf"]
    assert conf["B1"].value == "openness_udfs"
    assert conf.max_row == 1  # no PYTHONPATH: the module is installed with the package


def test_live_workbook_with_raw_inputs_and_a_stale_value(tmp_path):
    submissions = raw_submissions()
    path = live_file(tmp_path, submissions)
    stale = tmp_path / "stale.xlsx"
    stale.write_bytes(path.read_bytes())
    calc_number = openpyxl.load_workbook(path).sheetnames.index(CALC) + 1
    mf = [b.code for b in BODIES].index("МФ")
    plant_stale_value(stale, calc_number, f"D{5 + mf}", "123")  # МФ's review timeliness: 3.78 in truth
    assert openpyxl.load_workbook(stale, data_only=True)[CALC][f"D{5 + mf}"].value == 123
    assert compare_cached(path, evaluated(path)) > 0
    assert evaluated(stale)[f"D{5 + mf}"] == 3.78
    core = {r.body: r for r in evaluate(METHODOLOGY, submissions)}
    sheet = openpyxl.load_workbook(path, data_only=True)[CALC]
    header = {c.value: c.column for c in sheet[4]}
    for row in range(5, 54):
        result = core.get(sheet.cell(row, 1).value)
        for indicator in METHODOLOGY.indicators:
            value = sheet.cell(row, header[indicator.id]).value
            if result and result.indicators[indicator.id].score is not None:
                assert value == float(result.indicators[indicator.id].score)
            else:
                assert value == SEE_CHECKS  # a blank is missing, never a score; «Проверка» says so


@needs_libreoffice
def test_the_live_workbook_reads_each_body_by_its_code(methodology, bodies, tmp_path):
    """Every input sheet sorted in a random order and МЗ retyped as МЭ on «АППК»: LibreOffice
    computes «Проверка», the functions «Расчёт»; every cell equals the template's «Расчёт» for
    the same cells (`calculated_values` given where each code stands), so no body takes
    another's numbers, МЗ and МЭ point to «Проверка» and no ЦГО gets a place."""
    from openness_xl.io.inputs import load_inputs

    submissions = load_inputs(long_table(methodology, bodies, tmp_path), methodology, bodies).submissions
    path = live_file(tmp_path, submissions)
    sheets = input_sheets(methodology)
    moved = shuffle_input_sheets(path, seed=11)
    book = openpyxl.load_workbook(path)
    book[sheets[0]].cell(moved[(sheets[0], "МЗ")], 1).value = "МЭ"
    book.save(path)
    found = {key: row for key, row in moved.items() if key != (sheets[0], "МЗ")}
    found[(sheets[0], "МЭ")] = "twice"
    from openness_xl.workbooks.by_code import code_status

    found = {(sheet, code): code_status(sheet, code, [row] if row != "twice" else [1, 2])
             for (sheet, code), row in found.items()}
    with using("ru"):
        want, _ = calculated_values(methodology, bodies, input_values(methodology, submissions), found)
    recalculated = recalculate(path.resolve(), tmp_path.resolve())
    cells = evaluated(path, recalculated)
    sheet = openpyxl.load_workbook(path)[CALC]
    keys = {c.column_letter: c.value for c in sheet[KEY_ROW + 1]}  # the hidden row of column ids
    compared = 0
    for coordinate, value in cells.items():
        letter, row = openpyxl.utils.cell.coordinate_from_string(coordinate)
        expected = want[row - FIRST_BODY_ROW - 1][keys[letter]]
        assert same(expected, value), (sheet.cell(row, 1).value, keys[letter], expected, value)
        compared += 1
    assert compared == len(bodies) * (2 * 20 + 2 * 4 + 3)
    print(f"\nsorted live workbook: {compared} cells of «Расчёт» evaluated, all equal to the template's")
    codes = [b.code for b in bodies]
    for code in ("МЗ", "МЭ"):
        assert want[codes.index(code)]["appk_review_timeliness"] == SEE_CHECKS
    assert all(isinstance(want[n]["rank"], str) for n, b in enumerate(bodies) if b.type == "CGO")
