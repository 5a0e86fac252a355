"""Generated workbooks: structure, values against the core, and real engines recalculating them."""
import re
import zipfile
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openness_xl.core import grading
from openness_xl.io.published import published_submissions
from openness_xl.cli.app import main
from openness_xl.io.inputs import InputErrors, load_inputs
from openness_xl.core.scoring import DIRECT, Entry, evaluate
from openness_xl.core.values import input_heading
from openness_xl.workbooks.common import ROW, shareable, sheet_name
from openness_xl.workbooks.report import write_report
from openness_xl.io.template_reader import template_keys
from openness_xl.workbooks.template import write_template
from tests.libreoffice import needs_libreoffice, recalculate
from tests.bundled import METHODOLOGY, BODIES

CALC, DATA = sheet_name("calc"), sheet_name("data")

RESULTS = evaluate(METHODOLOGY, published_submissions(2025))
PROVENANCE = [("Входные данные", "test")]
ROOT = Path(__file__).resolve().parent.parent


def report_file(tmp_path, results=RESULTS, name="report.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(write_report(METHODOLOGY, results, PROVENANCE))
    return path


def formula_cells(path: Path):
    """(sheet, coordinate) of every formula cell, with the value cached in the file."""
    formulas_book = openpyxl.load_workbook(path)
    values_book = openpyxl.load_workbook(path, data_only=True)
    for sheet in formulas_book.worksheets:
        for row in sheet.iter_rows():
            for item in row:
                if isinstance(item.value, str) and item.value.startswith("="):
                    yield sheet.title, item.coordinate, values_book[sheet.title][item.coordinate].value


def same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-9
    return (a if a is not None else "") == (b if b is not None else "")


def plant_stale_value(path: Path, sheet_number: int, coordinate: str, stale: str) -> None:
    """Overwrite one cached value inside the file (a formula cell, or a cell of an array
    formula's range), leaving the formula intact."""
    member = f"xl/worksheets/sheet{sheet_number}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[member].decode("utf-8")
    pattern = re.compile(rf'(<c r="{coordinate}"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?)<v>[^<]*</v>')
    xml, count = pattern.subn(rf"\g<1><v>{stale}</v>", xml)
    assert count == 1, f"no cached value at {coordinate}"
    parts[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# ---------------------------------------------------------------- template

def test_template_columns_come_from_the_methodology(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(write_template(METHODOLOGY, BODIES))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Инструкция", "АППК", "Открытое Правительство", "Обратная связь", "Внутренний контроль",
                               "Баллы напрямую", "Расчёт", "Проверка", "Цели"]
    inputs = book.worksheets[1:6]
    keys = [c.value for s in inputs for c in s[4] if isinstance(c.value, str) and "." in c.value]
    assert keys == list(template_keys(METHODOLOGY))
    for sheet in inputs:
        assert [sheet.cell(r, 1).value for r in range(5, 54)] == [b.code for b in BODIES]
        validated = {str(ref).split(":")[0][:-1] for v in sheet.data_validations.dataValidation for ref in v.sqref.ranges}
        key_columns = {c.column_letter for c in sheet[4] if isinstance(c.value, str) and "." in c.value}
        assert key_columns <= validated, f"{sheet.title}: columns without validation {key_columns - validated}"
    appk = book["АППК"]
    assert "Допустимо: целое число не меньше 0" in appk["D3"].comment.text  # Russian throughout, no English phrase
    assert "Не больше, чем «рассмотренные обращения за период»" in appk["D3"].comment.text
    assert appk["D3"].value.endswith(", обращения") and appk["C5"].value == "ЦГО"
    assert "н/д" in appk["D3"].comment.text
    # Who supplies each indicator's data (L56–L58, L109–L117) is on the sheet and in the note.
    assert "Данные: КПСиСУ ГП" in appk["D3"].comment.text
    assert appk["D2"].value.endswith("— данные: КПСиСУ ГП")
    groups = [c.value for sheet in inputs[:4] for c in sheet[2] if isinstance(c.value, str) and "— данные: " in c.value]
    assert len(groups) == 20
    assert any(g.endswith("данные: МКИ (в отчёте не назван)") for g in groups)
    direct = book["Баллы напрямую"]
    assert all("рассчитывает " in c.value for c in direct[3][3:23])


def _cells(path: Path, data_only: bool) -> dict:
    """Every non-empty cell of every sheet as openpyxl reads it (an array formula as its text
    and range): shared formulas come back as each cell's own formula."""
    book = openpyxl.load_workbook(path, data_only=data_only)
    return {(sheet.title, item.coordinate): (item.value.text, item.value.ref) if hasattr(item.value, "ref") else item.value
            for sheet in book.worksheets for row in sheet.iter_rows() for item in row if item.value is not None}


def test_shared_formulas_read_back_as_the_formulas_written_cell_by_cell(tmp_path, monkeypatch):
    """A column's formula is stored once where it can be (Excel's shared formulas): read back,
    every cell of the prefilled template has the formula and the value it has when each cell is
    written on its own; the XML is a fifth of it. (LibreOffice recalculating the shared
    formulas from scratch: test_native.py.)"""
    from openness_xl.workbooks import common
    shared, alone = tmp_path / "shared.xlsx", tmp_path / "alone.xlsx"
    submissions = published_submissions(2025)
    shared.write_bytes(write_template(METHODOLOGY, BODIES, submissions))
    monkeypatch.setattr(common, "shareable", lambda formula: False)
    alone.write_bytes(write_template(METHODOLOGY, BODIES, submissions))

    def xml(path):
        with zipfile.ZipFile(path) as archive:
            return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/sheet")}

    ours, theirs = xml(shared), xml(alone)
    groups = sum(text.count('t="shared" ref=') for text in ours.values())
    assert groups >= 300 and not any('t="shared"' in text for text in theirs.values())
    assert sum(map(len, ours.values())) * 5 < sum(map(len, theirs.values()))
    for data_only in (False, True):
        assert _cells(shared, data_only) == _cells(alone, data_only)


CELL_VALUES = st.one_of(st.booleans(), st.integers(-10 ** 20, 10 ** 20), st.floats(allow_nan=False, allow_infinity=False),
                        st.sampled_from(["", "#N/A", "#DIV/0!", "#VALUE!", "текст & <b>", "a > b"]), st.text(max_size=8))


@given(st.lists(st.tuples(st.sampled_from(["number", "string", "formula"]), CELL_VALUES,
                          st.sampled_from(["cell", "row", "column", "none"])), min_size=1, max_size=30),
       st.sampled_from(["=A1+1", "=IF(A1<>\"\",\"a & b\",\"<c>\")", "=SUM($B$2:$B$9)"]))
@settings(max_examples=100, deadline=None)
def test_cells_are_written_as_xlsxwriter_writes_them(cells, formula):
    """A number, a shared string and a formula (its cached value a number, a boolean, a text,
    an error or nothing) are written by our worksheet as XlsxWriter's own `_write_cell` writes
    them, with the cell's format, else the row's or the column's."""
    import io

    from xlsxwriter.worksheet import Worksheet

    from openness_xl.workbooks.common import new_workbook

    workbook, _ = new_workbook("t")
    sheet = workbook.add_worksheet("s")
    bold, tinted = workbook.add_format({"bold": True}), workbook.add_format({"bg_color": "#D9E1F2"})
    sheet.set_row(2, None, tinted)
    sheet.set_column(3, 3, None, bold)
    places = {"cell": (0, 0), "row": (2, 1), "column": (4, 3), "none": (4, 5)}
    for kind, value, where in cells:
        row, col = places[where]
        style = bold if where == "cell" else None
        if kind == "number" and not isinstance(value, (bool, str)):
            sheet.write_number(row, col, value, style)
        elif kind == "string":
            sheet.write_string(row, col, str(value), style)
        else:
            sheet.write_formula(row, col, formula, style, value)
        workbook._prepare_format_properties()  # the formats' indices, as closing the workbook sets them
        ours, theirs = io.StringIO(), io.StringIO()
        sheet.fh = ours
        sheet._write_cell(row, col, sheet.table[row][col])
        sheet.fh = theirs
        Worksheet._write_cell(sheet, row, col, sheet.table[row][col])
        assert ours.getvalue() == theirs.getvalue()


FORMULA_PIECES = st.one_of(
    st.tuples(st.sampled_from(["", "$"]), st.sampled_from(["A", "Y", "AC", "HX", "XFD"])).map(lambda p: p[0] + p[1] + ROW),
    st.sampled_from(["$A$5", "$HX$5:$HX$553", "$V:$V", "TRUE", "1", "A5", "B$7:C9", "3:3", "$3:$4", "LOG10(2)", "1E5",
                     "A" + ROW + ":B$9", "$" + ROW + ":$" + ROW, ROW + ":" + ROW, "A$" + ROW]),
    st.lists(st.sampled_from(["a", " ", '""', ROW, "C", "!"]), max_size=6).map(lambda t: '"' + "".join(t) + '"'),
    st.tuples(st.sampled_from(["Лист", "Bob''s", "Q" + ROW]), st.sampled_from(["A", "$B"])).map(
        lambda p: f"'{p[0]}'!{p[1]}{ROW}"),
)


@given(st.lists(FORMULA_PIECES, min_size=1, max_size=6), st.integers(1, 500))
@settings(max_examples=300, deadline=None)
def test_a_formula_is_shared_exactly_where_moving_it_gives_each_rows_formula(pieces, down):
    """`shareable` against openpyxl's translation of a formula to another cell (as Excel
    reads a shared formula): it says yes exactly where the first row's formula moved `down`
    rows is the formula written for that row."""
    from openpyxl.formula.translate import Translator
    formula = "=IF(" + ",".join(pieces) + ")" if len(pieces) > 1 else "=" + pieces[0]
    first, later = formula.replace(ROW, "5"), formula.replace(ROW, str(5 + down))
    moved = Translator(first, origin="D5").translate_formula(f"D{5 + down}")
    assert shareable(formula) == (moved == later), (formula, moved, later)


def test_filled_template_is_read_back(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(write_template(METHODOLOGY, BODIES))
    book = openpyxl.load_workbook(path)
    appk = book["АППК"]
    row = 5 + [b.code for b in BODIES].index("МЗ")
    appk[f"D{row}"], appk[f"E{row}"] = 25, 48981
    appk[f"F{row}"], appk[f"G{row}"] = "н/д", "н/д"  # redirect timeliness: not submitted
    feedback = book["Обратная связь"]
    key_col = {c.value: c.column_letter for c in feedback[4]}
    feedback[f"{key_col['fb_knowledge_base.updated']}{row}"] = "да"
    feedback[f"{key_col['fb_knowledge_base.bilingual']}{row}"] = "нет"
    direct = book["Баллы напрямую"]
    direct_col = {c.value: c.column_letter for c in direct[4]}
    direct[f"{direct_col['fb_meetings.score']}{row}"] = 4.5
    book.save(path)
    loaded = load_inputs(path, METHODOLOGY, BODIES)
    (body, _, entries), = loaded.submissions
    assert body == "МЗ" and set(entries) == {"appk_review_timeliness", "fb_knowledge_base", "fb_meetings"}
    result = evaluate(METHODOLOGY, loaded.submissions)[0]
    assert result.indicators["appk_review_timeliness"].score == Fraction(196, 100)
    assert result.indicators["fb_knowledge_base"].score == 5
    assert result.indicators["fb_meetings"].source == DIRECT


def test_template_errors_name_sheet_and_cell(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(write_template(METHODOLOGY, BODIES))
    book = openpyxl.load_workbook(path)
    book["АППК"]["D5"] = 7      # late given, reviewed left blank
    book["АППК"]["F6"] = -2     # a negative count
    book["АППК"]["G6"] = 10
    book.save(path)
    with pytest.raises(InputErrors) as caught:
        load_inputs(path, METHODOLOGY, BODIES)
    text = str(caught.value)
    timeliness, redirect = (METHODOLOGY.indicator(i) for i in ("appk_review_timeliness", "appk_redirect_timeliness"))
    # Each cell named once, by its address and its heading as the (Russian) sheet shows it.
    assert f"АППК!E5 “{input_heading(timeliness.input('reviewed'), 'ru')}” is blank" in text
    assert f"АППК!F6 “{input_heading(redirect.input('late'), 'ru')}” must be a whole number ≥ 0, got -2" in text
    assert text.count("АППК!F6") == 1 and "field late" not in text


# ---------------------------------------------------------------- report

def test_report_has_all_50_published_tables(tmp_path):
    book = openpyxl.load_workbook(report_file(tmp_path))
    tables = 0
    for sheet in book.worksheets:
        texts = [c.value for row in sheet.iter_rows(max_row=3) for c in row if isinstance(c.value, str)]
        if any(t.startswith("Распределение баллов в разрезе") for t in texts):
            assert "Распределение баллов в разрезе ЦГО" in texts and "Распределение баллов в разрезе МИО" in texts
            names = [sheet.cell(r, 1).value for r in range(5, 60) if sheet.cell(r, 1).value]
            names_mio = [sheet.cell(r, 5).value for r in range(5, 60) if sheet.cell(r, 5).value]
            assert (len(names), len(names_mio)) == (29, 20), sheet.title
            tables += 2
    final = book["Итог"]
    headings = [c.value for c in final["A"] if isinstance(c.value, str) and c.value.startswith("Итоговые значения индекса")]
    assert len(headings) == 2
    assert tables + len(headings) == 50
    assert {"Сводка", "Профиль", "Происхождение", "Методика", DATA} <= set(book.sheetnames)
    method = book["Методика"]
    assert (method["J2"].value, method["K2"].value) == ("Поставщик данных", "Источник")
    suppliers = {method.cell(r, 1).value: method.cell(r, 10).value for r in range(3, 23)}
    assert suppliers == {i.id: i.supplier_shown for i in METHODOLOGY.indicators}
    charts = sum(len(sheet._charts) for sheet in openpyxl.load_workbook(report_file(tmp_path, name="r2.xlsx")).worksheets)
    assert charts >= 4


def test_report_tables_are_sorted_and_equal_the_core(tmp_path):
    book = openpyxl.load_workbook(report_file(tmp_path), data_only=True)
    sheet = book["1. Сроки рассмотрения"]
    scores = [sheet.cell(r, 2).value for r in range(5, 34)]
    assert scores == sorted(scores, reverse=True)
    by_name = {b.name_ru: b.code for b in BODIES}
    results = {r.body: r for r in RESULTS}
    for r in range(5, 34):
        result = results[by_name[sheet.cell(r, 1).value]]
        assert sheet.cell(r, 2).value == float(result.indicators["appk_review_timeliness"].score)
        assert sheet.cell(r, 3).value == result.indicators["appk_review_timeliness"].tier
    data = book[DATA]
    header = {c.value: c.column for c in data[2]}
    for row in range(3, 52):
        result = results[data.cell(row, 1).value]
        assert data.cell(row, header["index"]).value == pytest.approx(float(result.index), abs=1e-12)
        assert data.cell(row, header["rating"]).value == result.rating
        assert data.cell(row, header["rank"]).value == result.rank
        assert data.cell(row, header["appk__grade"]).value == result.criteria["appk"].grade


def test_report_is_byte_identical_for_the_same_inputs(tmp_path):
    assert report_file(tmp_path, name="a.xlsx").read_bytes() == report_file(tmp_path, name="b.xlsx").read_bytes()


@needs_libreoffice
def test_libreoffice_recalculates_every_formula_to_the_core_value(tmp_path):
    path = report_file(tmp_path)
    expected = list(formula_cells(path))
    assert len(expected) > 4000
    # Plant a stale cached value in МТ's index (Данные is the 2nd sheet): only a real recalculation fixes it.
    header = {c.value: c.column_letter for c in openpyxl.load_workbook(path)[DATA][2]}
    mt_row = 3 + [r.body for r in RESULTS].index("МТ")
    stale = tmp_path / "stale.xlsx"
    stale.write_bytes(path.read_bytes())
    plant_stale_value(stale, 2, f"{header['index']}{mt_row}", "1")
    assert openpyxl.load_workbook(stale, data_only=True)[DATA][f"{header['index']}{mt_row}"].value == 1
    recalculated = openpyxl.load_workbook(recalculate(stale, tmp_path), data_only=True)
    assert recalculated[DATA][f"{header['index']}{mt_row}"].value == pytest.approx(93.31)
    mismatches = [(s, c, v, recalculated[s][c].value) for s, c, v in expected if not same(v, recalculated[s][c].value)]
    assert mismatches == []


@needs_libreoffice
def test_libreoffice_agrees_where_data_is_missing(tmp_path):
    # Some bodies with only part of their indicators: criteria, index, rating and rank stay
    # empty in Python, and must be empty (not 0, not an error) after LibreOffice recalculates.
    partial = []
    for body, body_type, entries in published_submissions(2025)[:6]:
        kept = dict(list(entries.items())[: 20 if body in ("ААЭ", "ГП") else 12])
        partial.append((body, body_type, kept))
    results = evaluate(METHODOLOGY, partial)
    assert sum(r.index is None for r in results) == 4
    path = report_file(tmp_path, results)
    expected = list(formula_cells(path))
    recalculated = openpyxl.load_workbook(recalculate(path, tmp_path), data_only=True)
    mismatches = [(s, c, v, recalculated[s][c].value) for s, c, v in expected if not same(v, recalculated[s][c].value)]
    assert mismatches == []


def boundary_submissions():
    """Bodies whose every indicator sits exactly on a tier edge, or one cent beside it."""
    submissions = []
    for slot, body in enumerate(list(BODIES)[:8]):
        entries = {}
        for indicator in METHODOLOGY.indicators:
            points = []
            for _tier, edge, operator in grading.tier_edges(METHODOLOGY, indicator):
                points += [edge, edge - Fraction(1, 100)] if operator in (">=", "<") else [edge, edge + Fraction(1, 100)]
            points += [indicator.maximum, Fraction(0)]
            score = min(indicator.maximum, max(Fraction(0), points[slot % len(points)]))
            entries[indicator.id] = Entry(DIRECT, score=score)
        submissions.append((body.code, body.type, entries))
    return submissions


@needs_libreoffice
def test_tier_boundaries_agree_between_python_and_libreoffice(tmp_path):
    results = evaluate(METHODOLOGY, boundary_submissions())
    path = report_file(tmp_path, results)
    recalculated = openpyxl.load_workbook(recalculate(path, tmp_path), data_only=True)[DATA]
    header = {c.value: c.column for c in recalculated[2]}
    checked = 0
    for row_offset, result in enumerate(results):
        for indicator in METHODOLOGY.indicators:
            cell = recalculated.cell(3 + row_offset, header[f"{indicator.id}__tier"]).value
            assert cell == result.indicators[indicator.id].tier, (result.body, indicator.id, result.indicators[indicator.id].score)
            checked += 1
    assert checked == 160


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path, capsys):
    source = tmp_path / "=HYPERLINK(1).csv"
    source.write_text("body,indicator,field,value\nМЗ,fb_meetings,score,4\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert main(["report", str(source), "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    values = [c.value for row in book["Происхождение"].iter_rows() for c in row]
    assert "=HYPERLINK(1).csv" in values  # a string cell: openpyxl would show a formula as "=…" too, so check the type
    cell = next(c for row in book["Происхождение"].iter_rows() for c in row if c.value == "=HYPERLINK(1).csv")
    assert cell.data_type == "s"


# ---------------------------------------------------------------- committed files

@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """The committed workbooks made anew, once for the six checks."""
    folder = tmp_path_factory.mktemp("workbooks")
    assert main(["workbooks", "-d", str(folder)]) == 0
    return folder


@pytest.mark.parametrize("name", [f"{stem}-2025{lang}.xlsx" for stem in ("inputs-template", "report", "live")
                                  for lang in ("", "-kk")])
@pytest.mark.slow
def test_committed_workbooks_are_fresh(regenerated, name):
    committed = ROOT / "workbooks" / name
    assert committed.read_bytes() == (regenerated / name).read_bytes(), f"workbooks/{name} is stale: run `openness workbooks`"


@pytest.mark.engine
def test_the_template_validation_accepts_exactly_the_numbers_the_reader_accepts(tmp_path):
    """Each input column's data-validation formula, read from the template and evaluated by
    IronCalc over probe numbers, says yes exactly where the reader (and so «Проверка») takes
    the number: the valid range is written once (`native.number_rules`)."""
    import ironcalc

    from openness_xl.core.values import InputProblem, parse_input, parse_score
    from openness_xl.io.template_reader import FIRST_BODY_ROW

    path = tmp_path / "t.xlsx"
    path.write_bytes(write_template(METHODOLOGY, BODIES))
    book = openpyxl.load_workbook(path)
    keys = {}
    for sheet in book.worksheets:
        for validation in sheet.data_validations.dataValidation:
            if validation.type != "custom":
                continue
            first = str(validation.sqref).split(":")[0]
            column = re.match(r"[A-Z]+", first).group(0)
            indicator_id, field = sheet[f"{column}{FIRST_BODY_ROW}"].value.split(".")
            keys[(indicator_id, field)] = (validation.formula1, first)
    model = ironcalc.create("probe", "en", "UTC")
    probes = [-1, -0.5, 0, 0.25, 0.5, 1, 1.5, 2, 3, 4.9, 5, 7, 12, 100, 101, 1000.5, 10**6]
    cases, row = [], 0
    for (indicator_id, field), (formula, first) in sorted(keys.items()):
        indicator = METHODOLOGY.indicator(indicator_id)
        spec = None if field == "score" else indicator.input(field)
        for value in probes:
            row += 1
            model.update_cell_with_number(0, row, 1, float(value))
            model.update_cell_with_formula(0, row, 2, "=" + formula.replace(first, f"A{row}"))
            try:
                if spec is None:
                    parse_score(indicator, value, text_is_number=False)
                else:
                    parse_input(spec, value, text_is_number=False)
                accepted = True
            except InputProblem:
                accepted = False
            cases.append((indicator_id, field, value, accepted, row))
    model.evaluate()
    disagree = [(i, f, v, want) for i, f, v, want, r in cases if bool(model.get_cell_value(0, r, 2)) != want]
    assert len({(i, f) for i, f, *_ in cases}) == len(keys) >= 40
    assert any(not want for *_, want, _ in cases) and any(want for *_, want, _ in cases)
    assert not disagree, disagree[:10]


def test_tier_colours_go_by_position_best_to_worst():
    """A methodology with fewer or other tiers gets the best and the worst colour at its ends."""
    from dataclasses import replace

    from openness_xl.workbooks.common import TIER_COLOURS, tier_colours

    high, middle, low, poor = METHODOLOGY.tier_order
    label = METHODOLOGY.tier_label
    assert list(tier_colours(METHODOLOGY).values()) == list(TIER_COLOURS)
    assert tier_colours(replace(METHODOLOGY, tier_order=(high, low, poor))) == {
        label(high): TIER_COLOURS[0], label(low): TIER_COLOURS[2], label(poor): TIER_COLOURS[3]}
    assert list(tier_colours(replace(METHODOLOGY, tier_order=(high, poor))).values()) == [TIER_COLOURS[0], TIER_COLOURS[3]]
