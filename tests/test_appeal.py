"""`openness diff` and `openness appeal`: input versions, their differences, appeals and their effect."""
import csv
import io
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openness_xl.analyses import appeal
from openness_xl.io.published import published_index, published_submissions
from openness_xl.analyses import diff
from openness_xl.core.exact import plain, round_half_away
from openness_xl.io.inputs import load_inputs
from openness_xl.io.writing import input_rows, inputs_csv
from tests.bundled import METHODOLOGY, BODIES

SOURCE = published_submissions(2025)  # the published scores as the source data
HEADER = ",".join(appeal.COLUMNS)



@pytest.fixture
def source(tmp_path):
    path = tmp_path / "source.csv"
    path.write_text(inputs_csv(METHODOLOGY, SOURCE), encoding="utf-8")
    return path


def log(tmp_path, *rows, name="log.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def printed_index(body):
    return next(p.score for p in published_index(2025) if p.body == body)


# ------------------------------------------------------------------ diff

def test_one_bodys_appeal_moves_another_bodys_rank(cli, tmp_path, source):
    # МЗ satisfaction 3 → 5: feedback 12 → 14 (С → В), index 81,13 → 83,13; МВРИ (81,57)
    # falls from 17th to 18th among the ЦГО without a change of its own.
    assert printed_index("МЗ") == Fraction("81.13") and Fraction("81.13") < printed_index("МВРИ") < Fraction("83.13")
    changed = tmp_path / "changed.csv"
    changed.write_text(source.read_text(encoding="utf-8").replace("МЗ,fb_satisfaction,score,3\n",
                                                                  "МЗ,fb_satisfaction,score,5\n"), encoding="utf-8")
    code, out, _ = cli("diff", str(source), str(changed))
    assert code == 1
    assert "МЗ · fb_satisfaction · score: 3 → 5" in out
    assert "МЗ: fb_satisfaction 3 → 5 (неэффективный → средний); feedback 12 → 14 (С → В); index 81.13 → 83.13;" in \
        out.replace("\n      ", " ").replace("\n        ", " ")
    assert "rank 18 → 17" in out
    assert "moved by other bodies' changes:" in out and "МВРИ: rank 17 → 18" in out
    result = diff.diff(METHODOLOGY, SOURCE, load_inputs(changed, METHODOLOGY, BODIES).submissions)
    assert {(m.body, m.item) for m in result.effects} == {("МЗ", "fb_satisfaction"), ("МЗ", "feedback"),
                                                          ("МЗ", "index"), ("МЗ", "rank"), ("МВРИ", "rank")}


def test_no_change_exits_0(cli, source, tmp_path):
    copy = tmp_path / "copy.csv"
    copy.write_bytes(source.read_bytes())
    code, out, _ = cli("diff", str(source), str(copy))
    assert code == 0 and "Changed inputs: 0" in out and "Effect: none" in out


def test_diff_reads_an_input_file_in_cp1251(cli, source, tmp_path):
    """A long table saved from Excel in Windows-1251 is an input file like any other (the body
    with a Kazakh letter given by its Russian name): diff asked first whether it was a score
    file by decoding it as UTF-8, and stopped at «'utf-8' codec can't decode byte 0xc0»."""
    windows = tmp_path / "windows.csv"
    windows.write_bytes(source.read_text(encoding="utf-8").replace("Ұлытау,", "Улытауская,").encode("cp1251"))
    code, out, err = cli("diff", str(windows), str(source))
    assert code == 0 and "Changed inputs: 0" in out and "Effect: none" in out, err


def test_diff_of_score_files_and_its_csv_and_xlsx(cli, tmp_path, source):
    changed = tmp_path / "changed.csv"
    changed.write_text(source.read_text(encoding="utf-8").replace("МЗ,fb_satisfaction,score,3\n",
                                                                  "МЗ,fb_satisfaction,score,5\n"), encoding="utf-8")
    for version in ("source", "changed"):
        assert cli("scores", str(tmp_path / f"{version}.csv"), "-o", str(tmp_path / f"{version}-scores.csv"))[0] == 0
    code, out, _ = cli("diff", str(tmp_path / "source-scores.csv"), str(tmp_path / "changed-scores.csv"),
                       "--format", "csv")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["kind"] for r in rows} == {"effect"}
    assert {(r["body"], r["item"], r["old"], r["new"]) for r in rows} >= {("МЗ", "index", "81.13", "83.13"),
                                                                         ("МВРИ", "rank", "17", "18")}
    target = tmp_path / "diff.xlsx"
    assert cli("diff", str(source), str(changed), "-o", str(target))[0] == 1
    import openpyxl

    sheet = openpyxl.load_workbook(target)["Изменения"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert values[0][:6] == ["input", "МЗ", "fb_satisfaction", "score", 3, 5]


@pytest.mark.parametrize("form, options, suffix", [("excel", ("--excel-csv",), ".csv"), ("xlsx", (), ".xlsx")])
def test_diff_and_compare_take_every_form_of_the_scores(cli, tmp_path, source, form, options, suffix):
    """`scores --excel-csv` (a BOM, semicolons, decimal commas: what a Russian-locale Excel
    opens) and `scores -o FILE.xlsx` were no score files to diff and compare: «header must have
    the columns body, indicator, field, value». Read back, each is the plain CSV's twin."""
    changed = tmp_path / "changed.csv"
    changed.write_text(source.read_text(encoding="utf-8").replace("МЗ,fb_satisfaction,score,3\n",
                                                                  "МЗ,fb_satisfaction,score,5\n"), encoding="utf-8")
    for version in ("source", "changed"):
        for name, extra in ((f"{version}-scores.csv", ()), (f"{version}-scores-{form}{suffix}", options)):
            assert cli("scores", str(tmp_path / f"{version}.csv"), *extra, "-o", str(tmp_path / name))[0] == 0
    plain = [str(tmp_path / "source-scores.csv"), str(tmp_path / "changed-scores.csv")]
    other = [str(tmp_path / f"source-scores-{form}{suffix}"), str(tmp_path / f"changed-scores-{form}{suffix}")]
    for command in ("diff", "compare"):
        expected = cli(command, *plain, "--format", "csv")
        assert expected[0] in (0, 1) and cli(command, *other, "--format", "csv")[:2] == expected[:2], command
        assert cli(command, other[0], plain[1], "--format", "csv")[:2] == expected[:2], command
    assert "effect,МЗ,index,,81.13,83.13" in cli("diff", *other, "--format", "csv")[1]
    code, out, err = cli("diff", other[0], plain[0])
    assert code == 0 and "Effect: none" in out, err


# ------------------------------------------------------------------ appeal apply

GOOD = [
    "Ұлытау,appk_waiting_time,score,2.86,2.95,пересчёт,2026-01-27,accepted,",  # on the deadline day: in time
    "МЗ,fb_satisfaction,score,3,5,опрос,2026-01-25,rejected,",
    "МВД,appk_first_leaders,score,4,4,,2026-01-20,частично,4",
]


def test_apply_takes_only_the_accepted_rows(cli, tmp_path, source):
    final = tmp_path / "final.csv"
    code, _, err = cli("appeal", "apply", str(source), str(log(tmp_path, *GOOD)), "-o", str(final))
    assert code == 0 and "2 of 3 appeals applied" in err
    result = diff.diff(METHODOLOGY, SOURCE, load_inputs(final, METHODOLOGY, BODIES).submissions)
    assert [(c.body, c.indicator, c.field, c.old, c.new) for c in result.inputs] == [
        ("Ұлытау", "appk_waiting_time", "score", "2.86", "2.95")]


def test_applying_the_log_again_reproduces_the_final_input_byte_for_byte(cli, tmp_path, source):
    first, second = tmp_path / "final1.csv", tmp_path / "final2.csv"
    path = log(tmp_path, *GOOD)
    assert cli("appeal", "apply", str(source), str(path), "-o", str(first))[0] == 0
    assert cli("appeal", "apply", str(source), str(path), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    # and the report records the chain only when it holds
    report = tmp_path / "report.xlsx"
    assert cli("report", str(first), "--source", str(source), "--appeals", str(path), "-o", str(report))[0] == 0
    import openpyxl

    book = openpyxl.load_workbook(report)
    provenance = {r[0]: r[1] for r in book["Происхождение"].iter_rows(values_only=True) if r[0]}
    import hashlib

    assert provenance["Итоговые данные, SHA-256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert provenance["Журнал обжалований, SHA-256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert provenance["Принято обжалований"] == "2"
    changes = [r for r in book["Изменения"].iter_rows(min_row=4, values_only=True)]
    assert changes[0][:5] == ("row 2", "исходные данные", "Ұлытау", "appk_waiting_time", "score")
    heads = [c.value for c in book["Изменения"][3]]
    assert heads[:3] == ["Обжалование (строка журнала)", "Что", "Орган"]
    # every effect names the appeal row that caused it; Ұлытау's own appeal moves its own score
    assert all(row[0] for row in changes)
    assert any(row[1] == "следствие" and row[2] == "Ұлытау" and row[0] == "row 2" for row in changes)
    tampered = tmp_path / "tampered.csv"
    tampered.write_text(first.read_text(encoding="utf-8").replace("Ұлытау,appk_waiting_time,score,2.95",
                                                                  "Ұлытау,appk_waiting_time,score,3"), encoding="utf-8")
    code, _, err = cli("report", str(tampered), "--source", str(source), "--appeals", str(path), "-o",
                       str(tmp_path / "r2.xlsx"))
    assert code == 2 and "is not" in err and "with the accepted appeals" in err


@pytest.mark.parametrize("row, message", [
    ("МЗ,fb_satisfaction,score,3,5,опрос,2026-01-28,accepted,", "filed on 2026-01-28, after the appeal deadline 2026-01-27"),
    # A time after the date, as an export writes it, is read (the day kept), not «not a date».
    ("МЗ,fb_satisfaction,score,3,5,опрос,28.01.2026 09:00:00,accepted,", "filed on 2026-01-28, after the appeal deadline 2026-01-27"),
    ("МЗ,fb_satisfaction,score,4,5,опрос,2026-01-25,accepted,", "source_value '4' is not what the source data hold ('3')"),
    ("ЗЗЗ,fb_satisfaction,score,3,5,опрос,2026-01-25,accepted,", "unknown body 'ЗЗЗ'"),
    ("МЗ,fb_satisfaction,percent,3,5,опрос,2026-01-25,accepted,", "unknown field 'percent'"),
    ("МЗ,fb_satisfactoin,score,3,5,опрос,2026-01-25,accepted,", "unknown indicator 'fb_satisfactoin'"),
    ("МЗ,fb_satisfaction,score,3,5,опрос,2026-01-25,,", "decision is blank"),
    ("МЗ,fb_satisfaction,score,3,5,опрос,2026-01-25,partly,", "decision partly needs the accepted_value"),
    ("МЗ,fb_satisfaction,satisfied_percent,,70,опрос,2026-01-25,accepted,", "given as a score in the source data"),
    ("МЗ,fb_satisfaction,score,3,5,опрос,25/01/26,accepted,", "filed_on '25/01/26' is not a date"),
    ("МЗ,fb_satisfaction,score,3,5,опрос,1900-01-01,accepted,", "filed on 1900-01-01, before the appeal cycle opened"),
    ("МЗ,fb_satisfaction,score,3,5,опрос,2026-01-28,partly,4", "filed on 2026-01-28, after the appeal deadline"),
    ("МЗ,fb_satisfaction,score,3,5,опрос,2026-01-25,может быть,", "decision 'может быть' is not one of"),
    ("МЗ,fb_satisfaction,score,3,9,опрос,2026-01-25,accepted,", "after the appeals"),
])
def test_every_refusal_names_its_row_and_writes_nothing(cli, tmp_path, source, row, message):
    final = tmp_path / "final.csv"
    code, _, err = cli("appeal", "apply", str(source), str(log(tmp_path, GOOD[0], row)), "-o", str(final))
    assert code == 2 and message in err, err
    assert "row 3" in err or "after the appeals" in err
    assert not final.exists()


def test_a_duplicate_appeal_is_refused(cli, tmp_path, source):
    code, _, err = cli("appeal", "apply", str(source), str(log(tmp_path, GOOD[1], GOOD[1])), "-o",
                       str(tmp_path / "f.csv"))
    assert code == 2 and "log.csv, row 3" in err and "duplicate: МЗ / fb_satisfaction / score is already appealed at row 2" in err


def test_an_appeal_of_a_raw_input(cli, tmp_path):
    inputs = tmp_path / "raw.csv"
    inputs.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\n"
                      "МЗ,appk_review_timeliness,reviewed,48981\n", encoding="utf-8")
    path = log(tmp_path, "Министерство здравоохранения,appk_review_timeliness,late,25,20,ошибка учёта,2026-01-22,принято,")
    final = tmp_path / "final.csv"
    assert cli("appeal", "apply", str(inputs), str(path), "-o", str(final))[0] == 0
    assert final.read_text(encoding="utf-8") == ("body,indicator,field,value\nМЗ,appk_review_timeliness,late,20\n"
                                                 "МЗ,appk_review_timeliness,reviewed,48981\n")
    code, out, _ = cli("appeal", "report", str(inputs), str(path))
    assert code == 0 and "appk_review_timeliness 1.96 → 2.37 (неэффективный → низкий)" in out


def test_report_shows_each_appeals_effect_if_accepted(cli, tmp_path, source):
    code, out, _ = cli("appeal", "report", str(source), str(log(tmp_path, *GOOD)))
    assert code == 0
    assert "row 3: МЗ · fb_satisfaction · score: 3 → 5 (rejected; filed 2026-01-25)" in out
    assert "МВРИ: rank 17 → 18" in out  # the rejected appeal's effect, had it been accepted


def test_the_log_template(cli, tmp_path):
    target = tmp_path / "log.xlsx"
    assert cli("appeal", "template", "-o", str(target))[0] == 0
    import openpyxl

    book = openpyxl.load_workbook(target)
    assert [c.value for c in book["appeals"][1]] == list(appeal.COLUMNS)
    assert any("2026-01-27" in (c.value or "") for c in book["Инструкция"]["A"])
    sheet = book["appeals"]
    sheet.append(GOOD[0].split(",")[:6] + ["2026-01-27", "accepted", None])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    assert [a.body for a in appeal.read_log(filled)] == ["Ұлытау"]


# ------------------------------------------------------------------ properties

def test_an_empty_log_changes_nothing(tmp_path):
    final, applied = appeal.apply(METHODOLOGY, BODIES, SOURCE, [])
    assert applied == [] and inputs_csv(METHODOLOGY, final) == inputs_csv(METHODOLOGY, SOURCE)


SCORED = [(b, i, v) for b, i, f, v in input_rows(METHODOLOGY, SOURCE)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(range(len(SCORED))), st.sampled_from(["accepted", "rejected", "partly"]),
                          st.integers(0, 100)), max_size=8, unique_by=lambda t: t[0]))
def test_applying_a_log_then_diffing_shows_exactly_the_accepted_rows(picks):
    appeals = []
    for number, (position, decision, percent) in enumerate(picks, start=2):
        body, indicator_id, value = SCORED[position]
        new = plain(round_half_away(METHODOLOGY.indicator(indicator_id).maximum * percent / 100, 2))
        appeals.append(appeal.Appeal(f"row {number}", body, indicator_id, "score", value, new, "",
                                     METHODOLOGY.cycle.appeals_until, decision, new if decision == "partly" else ""))
    final, applied = appeal.apply(METHODOLOGY, BODIES, SOURCE, appeals)
    changes = {(c.body, c.indicator, c.field, c.new) for c in diff.input_changes(METHODOLOGY, SOURCE, final)}
    expected = {(a.body, a.indicator, "score", a.claimed_value) for a in appeals
                if a.decision != "rejected" and Fraction(a.claimed_value) != Fraction(a.source_value)}
    assert changes == expected
    assert len(applied) == sum(a.decision != "rejected" for a in appeals)


@pytest.mark.slow
def test_a_final_version_in_xlsx_or_a_template_passes_the_version_check(cli, tmp_path, source):
    """`appeal apply … -o final.xlsx` and a template made from the final CSV are the same final
    version as the CSV: `report --source --appeals` compares their content, not their bytes."""
    path = log(tmp_path, *GOOD)
    final_csv, final_xlsx, template = tmp_path / "final.csv", tmp_path / "final.xlsx", tmp_path / "final-template.xlsx"
    assert cli("appeal", "apply", str(source), str(path), "-o", str(final_csv))[0] == 0
    assert cli("appeal", "apply", str(source), str(path), "-o", str(final_xlsx))[0] == 0
    assert cli("template", str(final_csv), "-o", str(template))[0] == 0
    for final in (final_xlsx, template):
        code, _, err = cli("report", str(final), "--source", str(source), "--appeals", str(path), "-o",
                           str(tmp_path / f"report-{final.stem}.xlsx"))
        assert code == 0, err


@pytest.mark.parametrize("filed", ["2026-01-22", "22.01.2026", "46044", "22/01/2026", "22.01.2026 16:45",
                                   "27.01.2026 23:59:59", "2026-01-22T16:45:00", "46044.7"])
def test_dates_as_people_write_them(cli, tmp_path, source, filed):
    """ISO, the Kazakh day.month.year (the formats the records read), either with a time, and an
    Excel date that arrived as its serial (46044 is 2026-01-22; with a fraction, a time) are
    the same filing date."""
    row = f"МЗ,fb_satisfaction,score,3,5,опрос,{filed},accepted,"
    code, _, err = cli("appeal", "apply", str(source), str(log(tmp_path, row)), "-o", str(tmp_path / "f.csv"))
    assert code == 0, err


def test_an_excel_date_cell_is_a_date(cli, tmp_path, source):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "appeals"
    sheet.append(HEADER.split(","))
    sheet.append(["МЗ", "fb_satisfaction", "score", 3, 5, "опрос", dt.datetime(2026, 1, 22), "принято", None])
    path = tmp_path / "log.xlsx"
    book.save(path)
    code, _, err = cli("appeal", "apply", str(source), str(path), "-o", str(tmp_path / "f.csv"))
    assert code == 0, err


def test_a_log_workbook_behind_a_cover_sheet_is_read(cli, tmp_path, source):
    """A log kept in a workbook that opens with a cover sheet was read from the cover. Like an
    input or an extract, it is read from the first sheet headed with its columns."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Титул"
    book.active.append(["Журнал обжалований 2026"])
    sheet = book.create_sheet("Журнал")
    sheet.append(HEADER.split(","))
    sheet.append(["МЗ", "fb_satisfaction", "score", 3, 5, "опрос", "22.01.2026", "принято", None])
    path = tmp_path / "log.xlsx"
    book.save(path)
    code, _, err = cli("appeal", "apply", str(source), str(path), "-o", str(tmp_path / "f.csv"))
    assert code == 0 and "1 of 1 appeal applied" in err, err


def test_a_late_appeal_may_stand_rejected(cli, tmp_path, source):
    """The audit trail keeps a late appeal: rejected, it passes; only granting it is refused."""
    late = "МЗ,fb_satisfaction,score,3,5,опрос,2026-01-29,rejected,"
    code, _, err = cli("appeal", "apply", str(source), str(log(tmp_path, GOOD[0], late)), "-o", str(tmp_path / "f.csv"))
    assert code == 0 and "1 of 2 appeals applied" in err, err


def test_every_problem_of_a_log_in_one_pass(cli, tmp_path, source):
    rows = ["МЗ,fb_satisfaction,score,3,5,опрос,вчера,accepted,",  # not a date
            "ЗЗЗ,fb_satisfaction,score,3,5,опрос,2026-01-25,accepted,",  # unknown body
            "МВД,appk_first_leaders,score,4,4,,2026-01-30,accepted,"]  # late and granted
    code, _, err = cli("appeal", "apply", str(source), str(log(tmp_path, *rows)), "-o", str(tmp_path / "f.csv"))
    assert code == 2
    assert "row 2" in err and "not a date" in err and "row 3" in err and "unknown body" in err
    assert "row 4" in err and "after the appeal deadline" in err


def test_the_csv_report_lists_every_appeal_the_ones_without_effect_too(cli, tmp_path, source):
    import csv as csv_module
    import io

    code, out, _ = cli("appeal", "report", str(source), str(log(tmp_path, *GOOD)), "--format", "csv")
    rows = list(csv_module.DictReader(io.StringIO(out)))
    assert {r["row"] for r in rows} == {"row 2", "row 3", "row 4"}
    assert [r["item"] for r in rows if r["row"] == "row 4"] == ["no effect"]


def test_provenance_records_the_whole_command(cli, tmp_path, source):
    import openpyxl

    path, final, report = log(tmp_path, *GOOD), tmp_path / "final.csv", tmp_path / "report.xlsx"
    assert cli("appeal", "apply", str(source), str(path), "-o", str(final))[0] == 0
    assert cli("report", str(final), "--source", str(source), "--appeals", str(path), "-o", str(report))[0] == 0
    rows = {r[0]: r[1] for r in openpyxl.load_workbook(report)["Происхождение"].iter_rows(values_only=True) if r[0]}
    assert rows["Команда"] == "openness report final.csv --source source.csv --appeals log.csv -o report.xlsx"


# ------------------------------------------------------------------ hardening (issue 24)

def test_a_rejected_appeal_with_an_accepted_value_is_refused_by_row(cli, tmp_path, source):
    path = log(tmp_path, "МЗ,fb_satisfaction,score,3,5,опрос,2026-01-25,rejected,5")
    final = tmp_path / "final.csv"
    code, _, err = cli("appeal", "apply", str(source), str(path), "-o", str(final))
    assert code == 2 and not final.exists()
    assert "log.csv, row 2" in err and "decision rejected, yet accepted_value '5' is given" in " ".join(err.split())


def test_long_grounds_are_read_and_an_over_long_field_is_named_by_row(cli, tmp_path, source):
    letter = "обоснование " * 40_000  # 480,000 characters: a letter pasted whole
    path = log(tmp_path, f'МЗ,fb_satisfaction,score,3,5,"{letter}",2026-01-25,accepted,')
    assert cli("appeal", "apply", str(source), str(path), "-o", str(tmp_path / "final.csv"))[0] == 0
    path = log(tmp_path, "МЗ,fb_satisfaction,score,3,5,ok,2026-01-25,rejected,",
               f'МЗ,fb_meetings,score,5,5,"{letter * 3}",2026-01-25,accepted,', name="long.csv")
    code, _, err = cli("appeal", "apply", str(source), str(path), "-o", str(tmp_path / "again.csv"))
    assert code == 2 and "long.csv, row 3" in err and "up to 1,048,576 characters" in " ".join(err.split())


def test_an_appeal_workbook_with_macros_is_read_with_a_warning(cli, tmp_path, source):
    import zipfile

    import openpyxl

    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "appeals"
    book.active.append(list(appeal.COLUMNS))
    book.active.append(["МЗ", "fb_satisfaction", "score", "3", "5", "опрос", "2026-01-25", "accepted", ""])
    book.save(plain)
    odd = tmp_path / "log.xlsx"
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(odd, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("xl/vbaProject.bin", b"x")
    code, _, err = cli("appeal", "apply", str(source), str(odd), "-o", str(tmp_path / "final.csv"))
    assert code == 0 and "log.xlsx" in err and "macro" in err.lower()
