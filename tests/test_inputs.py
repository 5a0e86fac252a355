"""Input files: every problem is collected, located and explained; nothing is read as 0."""
import hashlib
from pathlib import Path

import openpyxl
import pytest

from openness_xl.io.inputs import InputErrors, load_inputs
from openness_xl.core.scoring import DIRECT, RAW


def write_csv(tmp_path: Path, rows: list[str], name="inputs.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_text("body,indicator,field,value\n" + "\n".join(rows) + "\n", encoding=encoding)
    return path


def problems(path, methodology, bodies):
    with pytest.raises(InputErrors) as caught:
        load_inputs(path, methodology, bodies)
    return caught.value.problems


def test_raw_and_direct_entries(tmp_path, methodology, bodies):
    path = write_csv(tmp_path, [
        "МЗ,appk_review_timeliness,late,25", "МЗ,appk_review_timeliness,reviewed,48981",
        "МЗ,fb_satisfaction,score,3", "г. Алматы,fb_knowledge_base,updated,да", "Алматы,fb_knowledge_base,bilingual,нет",
    ])
    loaded = load_inputs(path, methodology, bodies)
    entries = {body: e for body, _, e in loaded.submissions}
    assert entries["МЗ"]["appk_review_timeliness"].source == RAW
    assert entries["МЗ"]["fb_satisfaction"].source == DIRECT
    assert entries["Алматы"]["fb_knowledge_base"].values == {"updated": 1, "bilingual": 0}


@pytest.mark.parametrize("row, expected", [
    ("МЗ,appk_unjustified_redirect,facts,много", "row 2, body МЗ (Министерство здравоохранения), indicator appk_unjustified_redirect, field facts: facts must be a whole number ≥ 0, got 'много'"),
    ("МЗ,appk_unjustified_redirect,facts,-1", "facts must be a whole number ≥ 0, got '-1'"),
    ("МЗ,appk_unjustified_redirect,facts,2.5", "facts must be a whole number ≥ 0, got '2.5'"),
    ("МЗ,appk_unjustified_redirect,facts,nan", "got 'nan'"),
    ("МЗ,appk_unjustified_redirect,facts,inf", "got 'inf'"),
    ("МЗ,appk_unjustified_redirect,facts,", "facts is blank"),
    ("МЗ,fb_satisfaction,satisfied_percent,101", "satisfied_percent must be a number from 0 to 100, got '101'"),
    ("МЗ,fb_satisfaction,score,7.5", "score must be a score from 0 to 7, got '7.5'"),
    ("МЗ,fb_knowledge_base,updated,может быть", "updated must be 1/0 (yes/no, да/нет, true/false)"),
    ("МЗ,og_open_data,coef_update,0.3", "coef_update must be one of 0, 0.25, 0.5"),
    ("Министерство магии РК,fb_satisfaction,score,3", "unknown body"),  # «РК» is no part of a name
    ("МЗЗ,fb_satisfaction,score,3", "unknown body 'МЗЗ'; nearest: МЗ"),
    ("МЗ,fb_satisfation,score,3", "unknown indicator 'fb_satisfation'; did you mean fb_satisfaction?"),
    ("МЗ,fb_satisfaction,percent,3", "unknown field 'percent'; fb_satisfaction takes satisfied_percent or score"),
])
def test_single_bad_row(tmp_path, methodology, bodies, row, expected):
    found = problems(write_csv(tmp_path, [row]), methodology, bodies)
    assert any(expected in str(p) for p in found), [str(p) for p in found]
    assert all(str(p).startswith(str(tmp_path)) for p in found)


def test_part_larger_than_whole(tmp_path, methodology, bodies):
    found = problems(write_csv(tmp_path, ["МЗ,appk_court_share,court,30", "МЗ,appk_court_share,reviewed,20"]), methodology, bodies)
    assert [str(p).split(": ", 1)[1] for p in found] == ["court (30) must not exceed reviewed (20)"]
    assert found[0].location == "row 2" and found[0].field == "court"


def test_sum_of_parts_larger_than_whole(tmp_path, methodology, bodies):
    rows = [f"МТС,appk_waiting_time,{k},{v}" for k, v in dict(requests=34, notified_in_time=8, registrants=34,
                                                             received_on_date=31, received_within_month=4).items()]
    found = problems(write_csv(tmp_path, rows), methodology, bodies)
    assert "received_on_date + received_within_month (35) must not exceed registrants (34)" in str(found[0])
    assert found[0].location == "row 6"


def test_missing_input_is_named(tmp_path, methodology, bodies):
    found = problems(write_csv(tmp_path, ["МЗ,appk_review_timeliness,late,3"]), methodology, bodies)
    assert "reviewed is missing; it must be a whole number ≥ 0" in str(found[0])


def test_duplicates_through_aliases(tmp_path, methodology, bodies):
    found = problems(write_csv(tmp_path, ["г. Алматы,fb_satisfaction,score,3", "Алматы,fb_satisfaction,score,4"]), methodology, bodies)
    assert "row 3" in str(found[0]) and "already given at row 2" in str(found[0])


def test_score_and_inputs_together(tmp_path, methodology, bodies):
    found = problems(write_csv(tmp_path, ["МЗ,fb_satisfaction,score,3", "МЗ,fb_satisfaction,satisfied_percent,50"]), methodology, bodies)
    assert "a score is given directly (row 2) and so are the inputs (row 3): keep one of the two" in str(found[0])


def test_every_problem_is_collected(tmp_path, methodology, bodies):
    rows = ["МЗ,appk_unjustified_redirect,facts,-1", "ХХХ,fb_satisfaction,score,3", "МО,fb_meetings,score,6",
            "МФ,fb_satisfaction,satisfied_percent,abc"]
    assert len(problems(write_csv(tmp_path, rows), methodology, bodies)) == 4


def test_latin_lookalike_codes_match(tmp_path, methodology, bodies):
    loaded = load_inputs(write_csv(tmp_path, ["MO,fb_meetings,score,4.5", "MBД,fb_meetings,score,4"]), methodology, bodies)
    assert [body for body, _, _ in loaded.submissions] == ["МВД", "МО"]


def test_semicolon_cp1251_and_decimal_comma(tmp_path, methodology, bodies):
    path = tmp_path / "excel.csv"
    path.write_bytes("body;indicator;field;value\nМФ;fb_satisfaction;satisfied_percent;82,0\n".encode("cp1251"))
    loaded = load_inputs(path, methodology, bodies)
    assert loaded.submissions[0][2]["fb_satisfaction"].values["satisfied_percent"] == 82


def test_bad_header(tmp_path, methodology, bodies):
    path = tmp_path / "x.csv"
    path.write_text("орган,показатель,значение\nМЗ,fb,1\n", encoding="utf-8")
    assert "header must have the columns body, indicator, field, value" in str(problems(path, methodology, bodies)[0])


def test_a_long_table_behind_a_cover_sheet_is_read(tmp_path, methodology, bodies):
    """A workbook that opens with a note before the long table was read from its first sheet:
    «header must have the columns …». The first sheet headed with them is the table."""
    from openness_xl.io.inputs import load_inputs

    path = tmp_path / "supplier.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Пояснение"
    workbook.active.append(["Данные МКИ за 2025 год"])
    sheet = workbook.create_sheet("Данные")
    sheet.append(["Body", "Indicator", "Field", "Value"])
    sheet.append(["МЗ", "fb_satisfaction", "score", 3])
    workbook.save(path)
    loaded = load_inputs(path, methodology, bodies)
    assert [(body, entries["fb_satisfaction"].score) for body, _type, entries in loaded.submissions] == [("МЗ", 3)]


def test_xlsx_errors_name_the_cell_and_the_file_is_untouched(tmp_path, methodology, bodies):
    path = tmp_path / "inputs.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "inputs"
    sheet.append(["body", "indicator", "field", "value"])
    sheet.append(["МЗ", "appk_review_timeliness", "late", 25])
    sheet.append(["МЗ", "appk_review_timeliness", "reviewed", 48981.0])
    sheet.append(["МФ", "fb_satisfaction", "satisfied_percent", "восемьдесят"])
    sheet.append(["МФ", "fb_knowledge_base", "updated", True])
    sheet.append(["МФ", "fb_knowledge_base", "bilingual", None])
    workbook.save(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    found = problems(path, methodology, bodies)
    assert [p.location for p in found] == ["inputs!D4", "inputs!D6"]
    assert "satisfied_percent must be a number from 0 to 100, got 'восемьдесят'" in str(found[0])
    assert "bilingual is blank" in str(found[1])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
