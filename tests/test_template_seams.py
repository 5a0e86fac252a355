"""The template used as people use it: input sheets sorted, a code retyped, a score given both
directly and from inputs, scores given wholly directly. LibreOffice recalculates every formula
from scratch (openpyxl keeps no cached value) and the result is held to the core and to what
the command line reads from the same file.
"""
import csv
import io
import random
import re
from pathlib import Path

import openpyxl
import pytest

from openness_xl.io.inputs import InputErrors, load_inputs
from openness_xl.io.writing import score_columns
from openness_xl.texts import using
from openness_xl.workbooks import by_code
from openness_xl.core.values import input_heading, score_heading
from openness_xl.workbooks.calculation import FIRST_COL, calculated_values, see_checks
from openness_xl.workbooks.common import sheet_name
from openness_xl.io.template_reader import FIRST_BODY_ROW, input_sheets, KEY_ROW
from openness_xl.workbooks.template import write_template
from tests import native_cases as nc
from tests.libreoffice import needs_libreoffice, recalculated_rows as engine_rows

pytestmark = pytest.mark.slow

CALC, CHECKS, DIRECT = sheet_name("calc"), sheet_name("checks"), sheet_name("direct")


def same(expected, got) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(expected - got) <= 1e-9
    return (expected if expected not in (None, "") else None) == (got if got not in (None, "") else None)


def shuffle_input_sheets(path: Path, seed: int, sheets=None) -> dict:
    """Sort every input sheet's body rows into a random order, as Excel's sort moves whole rows
    (values only: the template's input cells carry no formats of their own). Returns the new
    row of each code per sheet."""
    book = openpyxl.load_workbook(path)
    rng = random.Random(seed)
    moved = {}
    for name in (input_sheets_ru() if sheets is None else sheets):
        sheet = book[name]
        first = FIRST_BODY_ROW + 1
        last = sheet.max_row
        lines = [[sheet.cell(r, c).value for c in range(1, sheet.max_column + 1)] for r in range(first, last + 1)]
        rng.shuffle(lines)
        for offset, line in enumerate(lines):
            for c, value in enumerate(line, start=1):
                sheet.cell(first + offset, c).value = value
            moved[(name, line[0])] = first + offset
    book.save(path)
    return moved


def input_sheets_ru():
    from openness_xl.methodology import load

    return input_sheets(load(2025))


def long_table(methodology, bodies, tmp_path, seed=9, absent=0.08, direct=0.25) -> Path:
    rows = nc.long_table_rows(methodology, bodies, random.Random(seed), absent=absent, direct=direct,
                              always=("МФ", "Абай"))
    path = tmp_path / "inputs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def recalculated_rows(path: Path, tmp_path: Path, sheet: str) -> dict:
    """{body code: its row of `sheet`} once LibreOffice has recalculated the file."""
    return recalculated_sheets(path, tmp_path, sheet)[0]


def recalculated_sheets(path: Path, tmp_path: Path, *sheets: str) -> list[dict]:
    """The rows of each of `sheets` from one recalculation: LibreOffice starts once."""
    book = engine_rows(path.resolve(), tmp_path.resolve(), sheets)
    return [{r[0]: r for r in book[sheet][FIRST_BODY_ROW:] if r[0]} for sheet in sheets]


@needs_libreoffice
def test_sorting_every_input_sheet_changes_no_result(methodology, bodies, cli, tmp_path):
    """All five input sheets sorted in different random orders: «Расчёт» recalculated equals
    `openness scores` of the unsorted input, cell by cell, and the command line reads the sorted
    file to the same scores."""
    inputs = long_table(methodology, bodies, tmp_path)
    template = tmp_path / "t.xlsx"
    assert cli("template", inputs, "-o", template)[0] == 0
    moved = shuffle_input_sheets(template, seed=4)
    assert sum(1 for (sheet, code), row in moved.items() if row != FIRST_BODY_ROW + 1 + [b.code for b in bodies].index(code)) > 200
    scores = tmp_path / "scores.csv"
    again = tmp_path / "again.csv"
    assert cli("scores", inputs, "-o", scores)[0] == 0
    assert cli("scores", template, "-o", again)[0] == 0
    assert scores.read_text(encoding="utf-8") == again.read_text(encoding="utf-8")
    got = recalculated_rows(template, tmp_path, CALC)
    ids = score_columns(methodology)[2:]
    mismatches, compared = [], 0
    lines = list(csv.DictReader(io.StringIO(scores.read_text(encoding="utf-8"))))
    assert len(lines) == len(got) == len(bodies)
    for line in lines:
        row = got[line["body"]]
        assert len(row) >= FIRST_COL + len(ids)
        for name, value in zip(ids, row[FIRST_COL:]):
            want = line[name]
            compared += 1
            if want == "":
                ok = isinstance(value, str) and value != ""
            elif name == "rank":
                ok = value == int(want)
            else:
                ok = same(float(want), value) if re.fullmatch(r"-?[0-9.]+", want) else value == want
            if not ok:
                mismatches.append((line["body"], name, want, value))
    print(f"\nsorted template: {compared} cells of «Расчёт» recalculated, {len(mismatches)} differ from openness scores")
    assert not mismatches, mismatches[:10]


@needs_libreoffice
def test_a_retyped_code_shows_on_its_body_and_moves_no_other(methodology, bodies, cli, tmp_path):
    """МЗ retyped as МЭ on «АППК» (sorted first): МЗ's АППК indicators say the sheet has no row
    for МЗ, МЭ's say МЭ stands in two rows; every other body's checks are as before."""
    from openness_xl.io.published import published_submissions

    submissions = published_submissions(2025)
    template = tmp_path / "t.xlsx"
    template.write_bytes(write_template(methodology, bodies, submissions))
    appk = input_sheets_ru()[0]
    moved = shuffle_input_sheets(template, seed=7, sheets=[appk])
    book = openpyxl.load_workbook(template)
    row = moved[(appk, "МЗ")]
    book[appk].cell(row, 1).value = "МЭ"
    book.save(template)
    checks = recalculated_rows(template, tmp_path, CHECKS)
    found = {(sheet, b.code): FIRST_BODY_ROW + 1 + n for sheet in input_sheets_ru() for n, b in enumerate(bodies)}
    found.update({(appk, code): r for (sheet, code), r in moved.items() if sheet == appk})
    values = {}
    for body, _type, entries in submissions:
        for indicator_id, entry in entries.items():
            values[(body, indicator_id, "score")] = float(entry.score)
    with using("ru"):  # the template's language
        found[(appk, "МЗ")] = by_code.code_status(appk, "МЗ", [])
        found[(appk, "МЭ")] = by_code.code_status(appk, "МЭ", [moved[(appk, "МЭ")], row])
        _rows, problems = calculated_values(methodology, bodies, values, found)
    appk_indicators = set(methodology.criteria[0].indicators)
    mismatches = []
    for body, expected in zip(bodies, problems):
        line = checks[body.code]
        for n, indicator in enumerate(methodology.indicators):
            if not same(expected[indicator.id], line[FIRST_COL + n]):
                mismatches.append((body.code, indicator.id, expected[indicator.id], line[FIRST_COL + n]))
    assert not mismatches, mismatches[:10]
    by_position = {b.code: p for p, b in enumerate(bodies)}
    assert problems[by_position["МЗ"]]["appk_hearing"] == "на листе «АППК» нет строки с кодом МЗ"
    assert problems[by_position["МЭ"]]["appk_hearing"] == "на листе «АППК» код МЭ стоит в 2 строках: оставьте одну"
    assert all(problems[by_position["МЗ"]][i] == "" for i in problems[0] if i not in appk_indicators)
    assert all(v == "" for body, p in zip(bodies, problems) if body.code not in ("МЗ", "МЭ") for v in p.values())
    # The command line refuses the same file, at the retyped row.
    with pytest.raises(InputErrors) as caught:
        load_inputs(template, methodology, bodies)
    assert any(p.location == f"{appk}!A{row}" for p in caught.value.problems), caught.value


def _raw_and_direct_template(methodology, bodies, tmp_path, lang):
    """МЗ gives late and reviewed for appk_review_timeliness and a direct score for it too."""
    inputs = tmp_path / "inputs.csv"
    inputs.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\n"
                      "МЗ,appk_review_timeliness,reviewed,48981\nАбай,fb_satisfaction,score,3\n", encoding="utf-8")
    template = tmp_path / f"t-{lang}.xlsx"
    with using(lang):
        from openness_xl.io.inputs import load_inputs as load

        submissions = load(inputs, methodology, bodies).submissions
        template.write_bytes(write_template(methodology, bodies, submissions, lang=lang))
    book = openpyxl.load_workbook(template)
    with using(lang):
        direct = sheet_name("direct")
    sheet = book[direct]
    col = next(c.column for c in sheet[KEY_ROW + 1] if c.value == "appk_review_timeliness.score")
    row = FIRST_BODY_ROW + 1 + [b.code for b in bodies].index("МЗ")
    sheet.cell(row, col).value = 3.5
    book.save(template)
    return template, f"{direct}!{openpyxl.utils.get_column_letter(col)}{row}"


@needs_libreoffice
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_raw_inputs_and_a_direct_score_are_refused_alike_on_every_surface(methodology, bodies, tmp_path, lang):
    template, direct_cell = _raw_and_direct_template(methodology, bodies, tmp_path, lang)
    with pytest.raises(InputErrors) as caught, using(lang):
        load_inputs(template, methodology, bodies)
    (problem,) = caught.value.problems
    with using(lang):
        appk = input_sheets(methodology)[0]
        calc, checks = sheet_name("calc"), sheet_name("checks")
    row = direct_cell.rsplit("!", 1)[1][1:]
    assert problem.location == direct_cell
    assert f"({direct_cell})" in problem.message and f"({appk}!D{row}:E{row})" in problem.message
    openpyxl.load_workbook(template).save(template)  # openpyxl keeps no cached value: all is recalculated
    got_checks, got_calc = recalculated_sheets(template, tmp_path, checks, calc)
    assert got_checks["МЗ"][FIRST_COL] == problem.message
    with using(lang):
        assert got_calc["МЗ"][FIRST_COL] == see_checks()  # the short form: the message is on «Проверка»
    assert got_calc["Абай"][FIRST_COL + 2 * [i.id for i in methodology.indicators].index("fb_satisfaction")] == 3


@needs_libreoffice
def test_checks_are_empty_for_direct_scores_and_name_one_bad_one(methodology, bodies, tmp_path):
    """The 2025 scores, all given directly: «Проверка» is empty; one direct score out of range
    is the one message there, in the core's words."""
    from openness_xl.io.published import published_submissions

    template = tmp_path / "t.xlsx"
    template.write_bytes(write_template(methodology, bodies, published_submissions(2025)))
    book = openpyxl.load_workbook(template)
    sheet = book[DIRECT]
    col = next(c.column for c in sheet[KEY_ROW + 1] if c.value == "fb_meetings.score")
    row = FIRST_BODY_ROW + 1 + [b.code for b in bodies].index("Абай")
    sheet.cell(row, col).value = 99
    book.save(template)
    checks = recalculated_rows(template, tmp_path, CHECKS)
    messages = [(code, n, v) for code, line in checks.items() for n, v in enumerate(line[FIRST_COL:FIRST_COL + 20]) if v]
    number = [i.id for i in methodology.indicators].index("fb_meetings")
    with pytest.raises(InputErrors) as caught, using("ru"):
        load_inputs(template, methodology, bodies)
    (problem,) = caught.value.problems
    assert messages == [("Абай", number, problem.message)]


@needs_libreoffice
def test_no_place_in_a_group_where_a_body_has_no_index(methodology, bodies, cli, tmp_path):
    """The 2025 scores with one indicator of МЗ left out: no ЦГО gets a place, on «Расчёт»
    (recalculated) and in `openness scores`, with the same reason; the МИО keep theirs."""
    from openness_xl.io.published import published_submissions
    from openness_xl.io.writing import inputs_csv

    submissions = published_submissions(2025)
    for body, _type, entries in submissions:
        if body == "МЗ":
            entries.pop("fb_meetings")
    inputs = tmp_path / "inputs.csv"
    inputs.write_text(inputs_csv(methodology, submissions), encoding="utf-8")
    scores = tmp_path / "scores.csv"
    code, _out, err = cli("scores", inputs, "-o", scores)
    assert code == 0
    reason_en = "no rank, as the group is incomplete: bodies of ЦГО without an index: 1 (МЗ)"
    assert reason_en in " ".join(err.split())
    lines = {line["body"]: line for line in csv.DictReader(io.StringIO(scores.read_text(encoding="utf-8")))}
    assert all(line["rank"] == "" for line in lines.values() if line["body_type"] == "CGO")
    assert sorted(int(line["rank"]) for line in lines.values() if line["body_type"] == "MIO") != []
    template = tmp_path / "t.xlsx"
    assert cli("template", inputs, "-o", template)[0] == 0
    openpyxl.load_workbook(template).save(template)  # no cached value is left: all is recalculated
    got = recalculated_rows(template, tmp_path, CALC)
    rank = FIRST_COL + score_columns(methodology)[2:].index("rank")
    with using("ru"):
        reason = by_code.T("value.no_rank", type="ЦГО", count=1)
    for body in bodies:
        value = got[body.code][rank]
        if body.type == "MIO":
            assert value == int(lines[body.code]["rank"]), body.code
        elif body.code == "МЗ":
            with using("ru"):
                assert value == f"fb_meetings: {see_checks()}", value  # the criterion names what it lacks
        else:
            assert value == reason, (body.code, value)


def test_the_pandas_api_leaves_the_ranks_of_an_incomplete_group_empty(methodology):
    import warnings

    pd = pytest.importorskip("pandas")
    import openness_xl as ox
    from openness_xl.io.published import published_submissions
    from openness_xl.io.writing import input_rows

    submissions = [s for s in published_submissions(2025) if s[0] != "Абай"]
    frame = pd.DataFrame(input_rows(methodology, submissions), columns=["body", "indicator", "field", "value"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = ox.score(frame)
    assert table.loc[table.body_type == "MIO", "rank"].isna().all()
    assert table.loc[table.body_type == "CGO", "rank"].notna().all()
    assert any("(Абай)" in str(w.message) for w in caught)


@needs_libreoffice
def test_a_share_typed_as_a_fraction_is_scored_as_typed_and_flagged_alike(methodology, bodies, cli, tmp_path):
    """0,533 in a percentage column (53,3 % meant): «Проверка» and `openness check` both say so,
    naming the cell; the score is the score of 0,533 % on «Расчёт» and on the command line."""
    template = tmp_path / "t.xlsx"
    template.write_bytes(write_template(methodology, bodies))
    book = openpyxl.load_workbook(template)
    sheet = book["Обратная связь"]
    col = next(c.column for c in sheet[KEY_ROW + 1] if c.value == "fb_satisfaction.satisfied_percent")
    row = FIRST_BODY_ROW + 1 + [b.code for b in bodies].index("МЗ")
    sheet.cell(row, col).value = 0.533
    book.save(template)
    cell = f"Обратная связь!{openpyxl.utils.get_column_letter(col)}{row}"
    with using("ru"):
        loaded = load_inputs(template, methodology, bodies)
    (warning,) = loaded.warnings
    with using("ru"):
        heading = input_heading(methodology.indicator("fb_satisfaction").input("satisfied_percent"))
    message = f"⚠ {cell} «{heading}»: 0.533 % — возможно, введена доля вместо процента: 53.3"
    assert warning.endswith(message) and "satisfied_percent" not in warning
    number = [i.id for i in methodology.indicators].index("fb_satisfaction")
    checks, calc = recalculated_sheets(template, tmp_path, CHECKS, CALC)
    assert checks["МЗ"][FIRST_COL + number] == message
    scores = tmp_path / "scores.csv"
    assert cli("scores", template, "-o", scores)[0] == 0
    line = next(r for r in csv.DictReader(io.StringIO(scores.read_text(encoding="utf-8"))) if r["body"] == "МЗ")
    got = calc["МЗ"][FIRST_COL + 2 * number]
    assert got == float(line["fb_satisfaction"])


def _mistyped_template(methodology, bodies, tmp_path, lang):
    """An empty template in `lang` with the mistakes people make typed into it: a count copied
    with a space («48 981», text), a direct score typed as text («3,5»), a part above its whole.
    Returns the file and {(body, indicator): (cell, heading)} of each mistake."""
    template = tmp_path / f"typed-{lang}.xlsx"
    with using(lang):
        template.write_bytes(write_template(methodology, bodies, lang=lang))
        appk, direct = input_sheets(methodology)[0], sheet_name("direct")
    book = openpyxl.load_workbook(template)
    row_of = {b.code: FIRST_BODY_ROW + 1 + n for n, b in enumerate(bodies)}

    def put(sheet, code, key, value):
        col = next(c.column for c in book[sheet][KEY_ROW + 1] if c.value == key)
        book[sheet].cell(row_of[code], col).value = value
        return f"{sheet}!{openpyxl.utils.get_column_letter(col)}{row_of[code]}"

    with using(lang):
        timeliness = methodology.indicator("appk_review_timeliness")
        mistakes = {
            ("МЗ", "appk_review_timeliness"): (put(appk, "МЗ", "appk_review_timeliness.late", "48 981"),
                                               input_heading(timeliness.input("late"))),
            ("ГП", "fb_meetings"): (put(direct, "ГП", "fb_meetings.score", "3,5"),
                                    score_heading(methodology.indicator("fb_meetings"))),
            ("МЭ", "appk_review_timeliness"): (put(appk, "МЭ", "appk_review_timeliness.late", 12),
                                               input_heading(timeliness.input("late"))),
        }
    put(appk, "МЗ", "appk_review_timeliness.reviewed", 100)
    put(appk, "МЭ", "appk_review_timeliness.reviewed", 10)
    book.save(template)
    return template, mistakes


@needs_libreoffice
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_messages_name_the_cell_by_its_heading_and_explain_text_numbers_alike(methodology, bodies, tmp_path, lang):
    """Each mistake's message names the cell and its heading as the sheet shows them, explains
    a number typed as text, and is word for word the same on «Проверка» (recalculated by
    LibreOffice) and from the command line's reader; «Расчёт» points to «Проверка»."""
    template, mistakes = _mistyped_template(methodology, bodies, tmp_path, lang)
    with pytest.raises(InputErrors) as caught, using(lang):
        load_inputs(template, methodology, bodies)
    said = {(p.body, p.indicator): p for p in caught.value.problems}
    assert set(said) == set(mistakes), caught.value
    with using(lang):
        checks, calc = sheet_name("checks"), sheet_name("calc")
        spaces, as_text = by_code.T("value.text_number.spaces"), by_code.T("value.text_number.text")
        pointer = see_checks()
    got_checks, got_calc = recalculated_sheets(template, tmp_path, checks, calc)
    number = {i.id: n for n, i in enumerate(methodology.indicators)}
    for (code, indicator_id), (cell, heading) in mistakes.items():
        problem = said[(code, indicator_id)]
        assert problem.message.startswith(f"{cell} «{heading}»"), problem.message
        assert problem.message == got_checks[code][FIRST_COL + number[indicator_id]]
        assert got_calc[code][FIRST_COL + 2 * number[indicator_id]] == pointer
        assert f", {cell}" not in str(problem) and problem.field not in str(problem)  # said once, in the sheet's words
    assert said[("МЗ", "appk_review_timeliness")].message.endswith("'48 981'" + spaces)
    assert said[("ГП", "fb_meetings")].message.endswith("'3,5'" + as_text)
    assert "(12)" in said[("МЭ", "appk_review_timeliness")].message


@pytest.mark.parametrize("raw, kind", [("48 981", "spaces"), ("48\u00a0981,5", "spaces"), ("3,5", "text"), ("25", "text"),
                                       (" 7 ", "spaces"), ("1.000,5", None), ("3,5 %", None), ("abc", None), ("", None),
                                       (",", None), ("-5", None), (5, None)])
def test_which_texts_look_like_a_number(raw, kind):
    from openness_xl.core.values import text_number_kind

    assert text_number_kind(raw) == kind


@pytest.mark.parametrize("lang, words", [("en", "perhaps a share was typed instead of a percentage: 53.3"),
                                         ("ru", "возможно, введена доля вместо процента: 53.3"),
                                         ("kk", "пайыздың орнына үлес енгізілген болуы мүмкін: 53.3")])
def test_check_warns_of_a_share_typed_as_a_fraction(cli, tmp_path, monkeypatch, lang, words):
    monkeypatch.setenv("OPENNESS_LANG", lang)
    inputs = tmp_path / "inputs.csv"
    inputs.write_text("body,indicator,field,value\nМЗ,fb_satisfaction,satisfied_percent,0.533\n", encoding="utf-8")
    code, _out, err = cli("check", inputs)
    assert code == 0
    flat = " ".join(err.split())
    assert words in flat and "satisfied_percent: 0.533 %" in flat and "2" in flat


def test_calculation_and_checks_print_legibly(methodology, bodies, tmp_path):
    """«Расчёт» and «Проверка» print with the code and the name on every page, at no less than
    8 points, never splitting an indicator's score from its tier, ЦГО and МИО on pages of their
    own, the title in the page header rather than in A1 across the pages."""
    template = tmp_path / "t.xlsx"
    template.write_bytes(write_template(methodology, bodies))
    book = openpyxl.load_workbook(template)
    first_mio = FIRST_BODY_ROW + [b.type for b in bodies].index("MIO")
    for name in (CALC, CHECKS):
        sheet = book[name]
        assert sheet.print_title_cols == "$A:$B" and sheet.print_title_rows == "$2:$3"
        assert 11 * sheet.page_setup.scale / 100 >= 8
        assert [b.id for b in sheet.row_breaks.brk] == [first_mio]
        assert sheet.oddHeader.left.text.removeprefix("&B").startswith(sheet["A1"].value[:40])
        breaks = [b.id for b in sheet.col_breaks.brk]
        assert breaks, name
        if name == CALC:
            keys = [c.value for c in sheet[KEY_ROW + 1]]
            for column in breaks:  # a break falls after column `column` (1-based): never inside a pair
                assert not str(keys[column]).endswith("__tier") and not str(keys[column]).endswith("__grade"), keys[column]


def test_targets_print_with_an_indicators_goal_and_targets_on_one_page(methodology, bodies, tmp_path):
    """«Цели» prints like «Расчёт»: code and name repeated, ЦГО and МИО apart, and a page break
    only before an indicator's goal column, never between the goal and its targets."""
    template = tmp_path / "t.xlsx"
    template.write_bytes(write_template(methodology, bodies))
    sheet = openpyxl.load_workbook(template)[sheet_name("targets")]
    assert sheet.print_title_cols == "$A:$B"
    assert [b.id for b in sheet.row_breaks.brk] == [FIRST_BODY_ROW + [b.type for b in bodies].index("MIO")]
    keys = [c.value for c in sheet[KEY_ROW + 1]]
    breaks = [b.id for b in sheet.col_breaks.brk]
    assert breaks and all(str(keys[column]).endswith("__goal") for column in breaks), [keys[c] for c in breaks]


@needs_libreoffice
def test_a_whole_of_zero_is_refused_on_checks_in_the_sheets_words(tmp_path):
    """A methodology that lets the website's mandatory sections be 0: the proportional kind
    cannot score a whole of 0, and says so as every other problem of the inputs — on
    «Проверка» naming the cell and its heading (the score points there), from the command
    line in the same words, from the Excel functions by the argument's name."""
    from openness_xl.core.bodies import Body, BodyRegistry
    from openness_xl.excel.cells import indicator_cell
    from openness_xl.methodology import load
    from openness_xl.core.scoring import Entry

    source = (Path(__file__).resolve().parent.parent / "openness_xl/methodology/2025.toml").read_text(encoding="utf-8")
    loose = source.replace('{ name = "required", type = "decimal", min = 1,', '{ name = "required", type = "decimal", min = 0,')
    assert loose != source
    path = tmp_path / "m.toml"
    path.write_text(loose, encoding="utf-8")
    methodology = load(path)
    bodies = BodyRegistry([Body("МФ", "CGO", "Министерство финансов", ()), Body("Абай", "MIO", "Акимат области Абай", ())])
    template = tmp_path / "t.xlsx"
    with using("ru"):
        template.write_bytes(write_template(methodology, bodies, [
            ("МФ", "CGO", {"ic_website": Entry("raw", values={"current": 0, "required": 0})}),
            ("Абай", "MIO", {"ic_website": Entry("raw", values={"current": 3, "required": 6})})]))
        heading = input_heading(methodology.indicator("ic_website").input("required"))
        sheet = input_sheets(methodology)[3]
        with pytest.raises(InputErrors) as caught:
            load_inputs(template, methodology, bodies)
        assert indicator_cell(methodology, methodology.indicator("ic_website"), 0, 0) == "required должно быть больше 0"
        see = see_checks()
    (problem,) = caught.value.problems
    column = openpyxl.utils.get_column_letter(1 + by_code.layout(methodology, bodies).columns["ic_website.required"][1])
    named = f"{sheet}!{column}5 «{heading}»"
    assert problem.message == f"{named} должно быть больше 0"
    openpyxl.load_workbook(template).save(template)  # openpyxl keeps no cached value: all is recalculated
    position = [i.id for i in methodology.indicators].index("ic_website")
    checks, calc = recalculated_sheets(template, tmp_path, CHECKS, CALC)
    assert checks["МФ"][FIRST_COL + position] == problem.message
    assert calc["МФ"][FIRST_COL + 2 * position] == see
    assert calc["Абай"][FIRST_COL + 2 * position] == 3


@needs_libreoffice
def test_a_code_is_found_as_typed_whatever_its_wildcards_spaces_and_case(methodology, tmp_path):
    """«Проверка» finds a body's row by MATCH with `*`, `?` and `~` escaped: codes that hold them
    find their own rows, never one their wildcard would match (A* is not AB, A~B is not AB); a
    code retyped in lower case with spaces around is still found, and one typed twice is said so."""
    from openness_xl.core.bodies import Body, BodyRegistry

    codes = ("A*", "AB", "A?", "A~B", "AXB", "Z")
    bodies = BodyRegistry([Body(code, "CGO", f"Орган {code}", ()) for code in codes])
    template = tmp_path / "t.xlsx"
    template.write_bytes(write_template(methodology, bodies))
    appk = input_sheets_ru()[0]
    book = openpyxl.load_workbook(template)
    book[appk].cell(FIRST_BODY_ROW + 1 + codes.index("AXB"), 1).value = "  axb "
    book[appk].cell(FIRST_BODY_ROW + 1 + codes.index("Z"), 1).value = "AB"
    book.save(template)
    checks = recalculated_rows(template, tmp_path, CHECKS)
    by = by_code.layout(methodology, bodies)
    with using("ru"):
        for position, code in enumerate(codes):
            for sheet, col in by.status_col.items():
                if sheet == appk and code in ("Z", "AB"):
                    rows = [FIRST_BODY_ROW + 1 + codes.index(c) for c in ("AB", "Z")] if code == "AB" else []
                    expected = by_code.code_status(sheet, code, rows)
                else:
                    expected = FIRST_BODY_ROW + 1 + position
                assert same(expected, checks[code][col]), (code, sheet, checks[code][col])
