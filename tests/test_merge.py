"""`openness merge`: the suppliers' files (long tables, filled templates, aggregate output)
as one long table, with no value given twice and every file read by its own rules."""
import csv
import io

import openpyxl
import pytest

from openness_xl.io.published import published_submissions
from openness_xl.io.writing import inputs_csv
from openness_xl.io.template_reader import FIRST_BODY_ROW, KEY_ROW
from openness_xl.workbooks.template import write_template

def _split(submissions, take):
    """The submissions with only the indicators `take(indicator_id)` keeps."""
    return [(body, kind, {i: e for i, e in entries.items() if take(i)}) for body, kind, entries in submissions]


def _scores(cli, path):
    code, out, err = cli("scores", path, "--format", "csv")
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_aggregate_output_a_template_and_a_long_table_merge_into_what_they_hold(cli, tmp_path, methodology, bodies):
    """e-Otinish counts from `aggregate`, the open-government scores as a filled template, the
    rest as a long table: merged, they score as the same submissions given in one file, and the
    merged file is the same bytes each time."""
    pytest.importorskip("duckdb")
    assert cli("synthetic", "-d", tmp_path, "--appeals", "2000", "--seed", "5")[0] == 0
    eotinish = tmp_path / "eotinish.csv"
    assert cli("aggregate", tmp_path / "appeals.parquet", tmp_path / "receptions.parquet", "-o", eotinish)[0] == 0
    fed = {row["indicator"] for row in csv.DictReader(io.StringIO(eotinish.read_text(encoding="utf-8")))}
    published = published_submissions(2025)
    rest = [i.id for i in methodology.indicators if i.id not in fed]
    og = [i for i in rest if i.startswith("og_")]
    template = tmp_path / "og.xlsx"
    template.write_bytes(write_template(methodology, bodies, _split(published, lambda i: i in og)))
    others = tmp_path / "others.csv"
    others.write_text(inputs_csv(methodology, _split(published, lambda i: i in rest and i not in og)), encoding="utf-8")
    merged = tmp_path / "source.csv"
    code, _out, err = cli("merge", eotinish, template, others, "-o", merged)
    assert code == 0, err
    assert "merged 3 into" in " ".join(err.split())
    whole = tmp_path / "whole.csv"
    eotinish_rows = eotinish.read_text(encoding="utf-8").splitlines()[1:]
    whole.write_text("\n".join([others.read_text(encoding="utf-8").rstrip("\n")] + eotinish_rows) + "\n"
                     + inputs_csv(methodology, _split(published, lambda i: i in og)).split("\n", 1)[1], encoding="utf-8")
    assert _scores(cli, merged) == _scores(cli, whole)
    again = tmp_path / "again.csv"
    assert cli("merge", eotinish, template, others, "-o", again)[0] == 0
    assert again.read_bytes() == merged.read_bytes()


def test_the_same_value_in_two_files_is_refused_naming_both_even_when_equal(cli, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\n"
                 "МЗ,appk_review_timeliness,reviewed,48981\n", encoding="utf-8")
    b.write_text("body,indicator,field,value\nМФ,fb_meetings,score,5\n"
                 "Министерство здравоохранения,appk_review_timeliness,late,25\n", encoding="utf-8")
    out = tmp_path / "m.csv"
    code, _out, err = cli("merge", a, b, "-o", out)
    flat = " ".join(err.split())
    assert code != 0 and not out.exists()
    assert f"{b}, row 3" in flat and f"also in {a}, row 2" in flat and "late" in flat


def test_prefer_says_which_file_wins_and_each_value_left_out_is_noted(cli, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\n"
                 "МЗ,appk_review_timeliness,reviewed,48981\n", encoding="utf-8")
    b.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,30\n", encoding="utf-8")
    out = tmp_path / "m.csv"
    code, _out, err = cli("merge", a, b, "--prefer", b, "-o", out)
    assert code == 0, err
    rows = {(r["indicator"], r["field"]): r["value"] for r in csv.DictReader(io.StringIO(out.read_text("utf-8")))}
    assert rows == {("appk_review_timeliness", "late"): "30", ("appk_review_timeliness", "reviewed"): "48981"}
    assert f"{b}, row 2 taken (--prefer), {a}, row 2 left out" in " ".join(err.split())
    code, _out, err = cli("merge", a, b, "--prefer", tmp_path / "c.csv", "-o", tmp_path / "n.csv")
    assert code != 0 and "not among the files merged" in err


def test_a_direct_score_in_one_file_and_inputs_in_another_are_refused_unless_preferred(cli, tmp_path):
    a, c = tmp_path / "a.csv", tmp_path / "c.csv"
    a.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\n"
                 "МЗ,appk_review_timeliness,reviewed,48981\n", encoding="utf-8")
    c.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,score,3\n", encoding="utf-8")
    code, _out, err = cli("merge", a, c, "-o", tmp_path / "m.csv")
    assert code != 0 and "a score given directly in one file and the inputs in another" in " ".join(err.split())
    for preferred, fields in ((c, {"score"}), (a, {"late", "reviewed"})):
        out = tmp_path / f"by-{preferred.stem}.csv"
        assert cli("merge", a, c, "--prefer", preferred, "-o", out)[0] == 0
        assert {r["field"] for r in csv.DictReader(io.StringIO(out.read_text("utf-8")))} == fields


def test_two_files_may_give_different_inputs_of_one_indicator(cli, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\n", encoding="utf-8")
    b.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,reviewed,48981\n", encoding="utf-8")
    out = tmp_path / "m.csv"
    assert cli("merge", a, b, "-o", out)[0] == 0
    assert _scores(cli, out)[0]["appk_review_timeliness"] != ""


def test_each_file_is_read_by_its_own_rules(cli, tmp_path, methodology, bodies):
    """A template's number stored as text stays refused, named by its cell and heading."""
    template = tmp_path / "t.xlsx"
    template.write_bytes(write_template(methodology, bodies))
    book = openpyxl.load_workbook(template)
    sheet = book["АППК"]
    row = FIRST_BODY_ROW + 1 + [b.code for b in bodies].index("МЗ")
    cols = {c.value: c.column for c in sheet[KEY_ROW + 1] if c.value}
    sheet.cell(row, cols["appk_review_timeliness.late"]).value = "25"
    sheet.cell(row, cols["appk_review_timeliness.reviewed"]).value = 48981
    book.save(template)
    other = tmp_path / "b.csv"
    other.write_text("body,indicator,field,value\nМФ,fb_meetings,score,5\n", encoding="utf-8")
    code, _out, err = cli("merge", template, other, "-o", tmp_path / "m.csv")
    assert code != 0 and f"АППК!D{row}" in err and "'25' — text, not a number" in " ".join(err.split())


def test_merge_never_writes_over_an_input_or_an_existing_file(cli, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("body,indicator,field,value\nМЗ,fb_meetings,score,5\n", encoding="utf-8")
    b.write_text("body,indicator,field,value\nМФ,fb_meetings,score,4\n", encoding="utf-8")
    before = a.read_bytes()
    assert cli("merge", a, b, "-o", a, "--force")[0] != 0 and a.read_bytes() == before
    out = tmp_path / "m.csv"
    out.write_text("kept", encoding="utf-8")
    code, _out, err = cli("merge", a, b, "-o", out)
    assert code != 0 and "--force" in err and out.read_text(encoding="utf-8") == "kept"
    assert cli("merge", a, b, "-o", out, "--force")[0] == 0 and out.read_text(encoding="utf-8") != "kept"


def test_the_pandas_api_merges_frames_as_the_command_merges_files(cli, tmp_path):
    """ox.merge takes frames where `openness merge` takes files: the same table, the same
    refusal naming both places, the same --prefer."""
    pd = pytest.importorskip("pandas")
    import openness_xl as ox
    from openness_xl.io.inputs import InputErrors

    a = pd.DataFrame({"body": ["МЗ", "МЗ"], "indicator": ["appk_review_timeliness"] * 2,
                      "field": ["late", "reviewed"], "value": [25, 48981]})
    b = pd.DataFrame({"body": ["МФ"], "fb_meetings.score": [5]})  # a wide frame
    merged = ox.merge(a, b)
    files = [tmp_path / "a.csv", tmp_path / "b.csv"]
    a.to_csv(files[0], index=False)
    files[1].write_text("body,indicator,field,value\nМФ,fb_meetings,score,5\n", encoding="utf-8")
    out = tmp_path / "m.csv"
    assert cli("merge", *files, "-o", out)[0] == 0
    assert merged.to_csv(index=False) == out.read_text(encoding="utf-8")
    twice = pd.DataFrame({"body": ["МЗ"], "indicator": ["appk_review_timeliness"], "field": ["late"], "value": [30]})
    with pytest.raises(InputErrors, match=r"frame 2, row 0.*also in frame 1, row 0"):
        ox.merge(a, twice)
    with pytest.warns(UserWarning, match="frame 2, row 0 taken"):
        preferred = ox.merge(a, twice, prefer=[2])
    assert preferred.loc[preferred.field == "late", "value"].tolist() == ["30"]
