"""Where one command's output is the next one's input: the year's commands read the file they
are given and say what their own plan does."""
import pytest

from openness_xl.io.published import published_submissions
from openness_xl.io.writing import inputs_csv
from openness_xl.core.scoring import DIRECT, Entry, evaluate


def _final_with_mt_lowered(methodology, tmp_path):
    """The published scores with МТ (rated АА, first among ЦГО) given 0 on its whole АППК."""
    submissions = published_submissions(2025)
    for body, _type, entries in submissions:
        if body == "МТ":
            for indicator_id in methodology.criterion("appk").indicators:
                if methodology.indicator(indicator_id).role != "penalty":
                    entries[indicator_id] = Entry(DIRECT, score=0)
    path = tmp_path / "final.csv"
    path.write_text(inputs_csv(methodology, submissions), encoding="utf-8")
    return path, submissions


@pytest.mark.slow
def test_roadmap_all_low_reads_the_input_it_is_given(methodology, cli, tmp_path):
    """`roadmap --all-low FINAL.csv -d DIR` writes the drafts of FINAL's low bodies, never takes
    the file for a body, never falls back to the published scores."""
    from openness_xl.analyses.roadmap import low_bodies

    final, submissions = _final_with_mt_lowered(methodology, tmp_path)
    wanted = set(low_bodies(methodology, evaluate(methodology, submissions)))
    published = set(low_bodies(methodology, evaluate(methodology, published_submissions(2025))))
    assert "МТ" in wanted and "МТ" not in published
    out = tmp_path / "drafts"
    code, _out, err = cli("roadmap", "--all-low", final, "-d", out)
    assert code == 0, err
    assert {p.stem.removeprefix("roadmap-") for p in out.glob("*.docx")} == wanted


def test_roadmap_all_low_refuses_a_body_and_an_input_together(cli, tmp_path):
    code, _out, err = cli("roadmap", "--all-low", "МЗ", "inputs.csv", "-d", tmp_path)
    assert code == 2 and "--all-low" in err and "МЗ" in err


def test_whatif_every_indicator_at_a_tier_says_the_points_its_plan_gains(methodology, cli):
    from openness_xl.analyses.whatif import plan

    (found,) = plan(methodology, published_submissions(2025), "МЗ", "tier", "средний")
    assert found.need == sum(abs(s.goal - s.score) for s in found.steps) > 0
    code, out, _err = cli("whatif", "МЗ", "--to", "tier", "средний")
    assert code == 0
    line = next(l for l in out.splitlines() if "points to gain" in l)
    assert not line.rstrip().endswith(": 0 points to gain"), line


WHEEL = "https://example.org/openness_xl-0.1-py3-none-any.whl"


@pytest.mark.parametrize("argv, written", [
    (["scores", "-o", "{d}/out.csv"], "out.csv"),
    (["scores", "-o", "{d}/out.xlsx"], "out.xlsx"),
    (["appeal", "template", "-o", "{d}/log.csv"], "log.csv"),
    (["whatif", "МЗ", "-o", "{d}/w.txt"], "w.txt"),
    (["diff", "{inputs}", "{inputs}", "-o", "{d}/d.txt"], "d.txt"),
    (["reconcile", "-o", "{d}/r.txt"], "r.txt"),
    (["roadmap", "ААЭ", "-o", "{d}/m.docx"], "m.docx"),  # ААЭ is rated low: a roadmap is required
    (["robustness", "--samples", "50", "-o", "{d}/rb.txt"], "rb.txt"),
    (["lite", "-d", "{d}", "--wheel-url", WHEEL], "main.py"),
    (["synthetic", "-d", "{d}", "--appeals", "300"], "appeals.parquet"),
])
def test_no_command_replaces_a_file_without_force(methodology, cli, tmp_path, argv, written):
    inputs = tmp_path / "inputs.csv"
    inputs.write_text(inputs_csv(methodology, published_submissions(2025)), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(d=out, inputs=inputs) for a in argv]
    target = out / written
    target.write_bytes(b"a filled file somebody kept")
    code, _out, err = cli(*args)
    assert code == 2 and "give --force to replace it" in " ".join(err.split()), err
    assert target.read_bytes() == b"a filled file somebody kept"
    code, _out, err = cli(*args, "--force")
    assert code in (0, 1) and target.read_bytes() != b"a filled file somebody kept", err
    assert not list(out.glob(".*.tmp"))


def test_a_pipe_given_as_output_is_refused_even_with_force(cli, tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _out, err = cli("scores", "-o", fifo, "--force")
    assert code == 2 and "not a regular file" in err
    assert fifo.is_fifo()


PART = ("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\nМЗ,appk_review_timeliness,reviewed,48981\n"
        "МЗ,fb_satisfaction,score,3\n")


def test_check_speaks_of_completeness_as_scores_does(cli, tmp_path):
    part = tmp_path / "part.csv"
    part.write_text(PART, encoding="utf-8")
    code, out, err = cli("check", part)
    assert code == 0 and "OK" not in out and "incomplete" in out
    flat = " ".join(err.split())
    _code, _out, scores_err = cli("scores", part)
    assert flat == " ".join(scores_err.split())  # the same warnings, word for word
    assert "no data for 18 indicators (2–12, 14–20)" in flat
    assert cli("check", part, "--strict")[0] == 2


@pytest.mark.parametrize("goal", [("rating", "АА"), ("rank", "5")])
def test_whatif_on_incomplete_input_says_what_is_missing(cli, tmp_path, goal):
    part = tmp_path / "part.csv"
    part.write_text(PART, encoding="utf-8")
    code, _out, err = cli("whatif", "МЗ", part, "--to", *goal)
    assert code == 2 and "Traceback" not in err
    assert "МЗ has no index" in err and "2–12, 14–20" in err


def test_whatif_rank_must_be_a_whole_number(cli):
    code, _out, err = cli("whatif", "МЗ", "--to", "rank", "1.5")
    assert code == 2 and "a whole number" in err


def test_a_roadmap_of_incomplete_input_says_what_is_missing(cli, tmp_path):
    docx = pytest.importorskip("docx")
    part = tmp_path / "part.csv"
    part.write_text(PART, encoding="utf-8")
    out = tmp_path / "m.docx"
    assert cli("roadmap", "МЗ", part, "-o", out)[0] == 0
    document = docx.Document(out)
    text = " ".join(p.text for p in document.paragraphs) + " ".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "None" not in text and "нет данных для индикаторов 2–12, 14–20" in text


def test_aggregate_writes_every_body_and_names_those_without_records(cli, tmp_path, methodology, bodies):
    """A body with no records gets zero counts (the methodology's "nothing to assess") and is
    named; the long table has every body of the methodology for the indicators records feed."""
    import csv
    import io

    pytest.importorskip("duckdb")
    import pyarrow.parquet as pq

    assert cli("synthetic", "-d", tmp_path, "--appeals", "2000", "--seed", "3")[0] == 0
    appeals = pq.read_table(tmp_path / "appeals.parquet")
    kept = appeals.filter(__import__("pyarrow.compute", fromlist=["x"]).not_equal(appeals["body"], "МЗ"))
    pq.write_table(kept, tmp_path / "without-mz.parquet")
    out = tmp_path / "inputs.csv"
    code, _out, err = cli("aggregate", tmp_path / "without-mz.parquet", tmp_path / "receptions.parquet", "-o", out)
    assert code == 0, err
    assert "МЗ" in " ".join(err.split()) and "nothing to assess" in " ".join(err.split())
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    mz = {(r["indicator"], r["field"]): r["value"] for r in rows if r["body"] == "МЗ"}
    assert mz[("appk_review_timeliness", "reviewed")] == "0" and mz[("appk_redirect_timeliness", "received")] == "0"
    for indicator in ("appk_review_timeliness", "appk_redirect_timeliness", "appk_waiting_time", "appk_first_leaders"):
        assert {r["body"] for r in rows if r["indicator"] == indicator} == {b.code for b in bodies}, indicator
    code, scores, _ = cli("scores", out, "--format", "csv")
    line = next(r for r in csv.DictReader(io.StringIO(scores)) if r["body"] == "МЗ")
    assert line["appk_review_timeliness"] == str(methodology.indicator("appk_review_timeliness").maximum)


def test_aggregate_of_another_years_extract_writes_nothing_and_fails(cli, tmp_path):
    from pathlib import Path

    pytest.importorskip("duckdb")
    assert cli("synthetic", "-d", tmp_path, "--appeals", "500")[0] == 0
    source = (Path(__file__).parent.parent / "openness_xl" / "methodology" / "2025.toml").read_text(encoding="utf-8")
    later = tmp_path / "2026.toml"
    later.write_text(source.replace("\nyear = 2025\n", "\nyear = 2026\n"), encoding="utf-8")
    out = tmp_path / "inputs.csv"
    code, _out, err = cli("aggregate", tmp_path / "appeals.parquet", tmp_path / "receptions.parquet",
                          "--methodology", later, "-o", out)
    assert code == 2 and "every one of" in " ".join(err.split()) and not out.exists()


def test_the_next_years_methodology_in_one_command(cli, tmp_path):
    """`methodology new 2026` keeps every number, moves the cycle a year on, marks the
    provisional readings for review and loads; `methodology check` says so; the year's
    synthetic extract and scores follow it."""
    from openness_xl.methodology import load

    path = tmp_path / "2026.toml"
    code, out, err = cli("methodology", "new", "2026", "-o", path)
    assert code == 0, err
    new, old = load(path), load(2025)
    assert new.year == 2026 and new.cycle.appeals_until.isoformat() == "2027-01-27"
    assert [i.params for i in new.indicators] == [i.params for i in old.indicators]
    assert path.read_text(encoding="utf-8").count("# REVIEW 2026:") == sum(i.provisional for i in old.indicators) > 0
    code, out, _ = cli("methodology", "check", path)
    assert code == 0 and "a valid methodology of 2026" in out
    assert cli("methodology", "new", "2025", "-o", tmp_path / "again.toml")[0] == 2
    assert cli("methodology", "new", "2026", "-o", path)[0] == 2  # exists: only with --force
    broken = tmp_path / "broken.toml"
    broken.write_text(path.read_text(encoding="utf-8").replace("year = 2026", 'year = "abc"'), encoding="utf-8")
    code, _out, err = cli("methodology", "check", broken)
    assert code == 2 and "broken.toml" in err
    import pyarrow.parquet as pq

    extract = tmp_path / "extract"
    assert cli("synthetic", "-d", extract, "--appeals", "300", "--methodology", path)[0] == 0
    registered = pq.read_table(extract / "appeals.parquet").column("registered_on").to_pylist()
    assert {d.year for d in registered if d} == {2026}


@pytest.mark.parametrize("value, first", [("xx", "usage:"), ("RU", "использование:"), ("ru_RU.UTF-8", "использование:"),
                                          ("kk-KZ", "қолданылуы:")])
def test_openness_lang_as_systems_spell_it_and_an_unknown_one(value, first):
    """OPENNESS_LANG=ru_RU.UTF-8 is Russian; an unknown language is English with one warning
    naming the variable, never a traceback (even for --help)."""
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "openness_xl.cli", "--help"], capture_output=True, text=True,
                            env={**os.environ, "OPENNESS_LANG": value}, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stdout.startswith(first), result.stdout[:80]
    assert ("OPENNESS_LANG='xx'" in result.stderr) == (value == "xx")


@pytest.mark.parametrize("url", ["http://x.kz/openness_xl-0.1-py3-none-any.whl",
                                 "https://x.kz/a.whl\n--extra-index-url https://evil.example/simple",
                                 "https://x.kz/my wheel.whl", "https://x.kz/openness.zip", "openness.whl"])
def test_lite_takes_one_https_wheel_address_only(cli, tmp_path, url):
    code, _out, err = cli("lite", "-d", tmp_path / "out", "--wheel-url", url)
    assert code == 2 and "--wheel-url" in err and not (tmp_path / "out").exists()


def test_an_escape_sequence_in_a_data_file_is_shown_not_obeyed(cli, tmp_path):
    inputs = tmp_path / "inputs.csv"
    inputs.write_text("body,indicator,field,value\n\x1b[2J\x1b[31mМЗ,fb_satisfaction,score,3\n", encoding="utf-8")
    code, _out, err = cli("check", inputs)
    assert code == 2 and "\x1b" not in err and "\\x1b[2J" in err


def test_a_file_where_a_folder_should_be_is_named(cli, tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _out, err = cli("scores", "-o", tmp_path / "afile" / "out.csv")
    assert code == 2 and "is a file, not a folder" in err


def test_robustness_samples_have_a_stated_ceiling(cli):
    code, _out, err = cli("robustness", "--samples", "1000000000")
    assert code == 2 and "from 1 to 200,000" in err


def test_a_report_without_one_body_gives_its_group_no_place_on_any_sheet(methodology, bodies, cli, tmp_path):
    """The report's analysis sheets share its one evaluation: without ААЭ (ЦГО), «Что нужно» and
    «Устойчивость» give no ЦГО a place, as «Итог» gives none, while every МИО keeps its own."""
    import openpyxl

    from openness_xl.texts import text
    from openness_xl.workbooks.common import sheet_name

    submissions = [s for s in published_submissions(2025) if s[0] != "ААЭ"]
    source = tmp_path / "without-aae.csv"
    source.write_text(inputs_csv(methodology, submissions), encoding="utf-8")
    code, _out, _err = cli("report", source, "-o", tmp_path / "report.xlsx")
    assert code == 0
    book = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    types = {b.code: b.type for b in bodies}
    for sheet, rank in (("roadmaps", "roadmap_sheet.rank"), ("robustness", "robustness_sheet.rank")):
        rows = list(book[sheet_name(sheet)].iter_rows(values_only=True))
        head = next(n for n, row in enumerate(rows) if text(rank, kind="files") in row)
        column = rows[head].index(text(rank, kind="files"))
        places = {row[0]: row[column] for row in rows[head + 1:] if row[0] in types}
        assert {types[b] for b in places} == {"CGO", "MIO"}, sheet
        assert all(place in (None, "") for b, place in places.items() if types[b] == "CGO"), sheet
        assert all(isinstance(place, int) for b, place in places.items() if types[b] == "MIO"), sheet


def test_an_output_workbook_given_as_input_is_named_with_its_input(methodology, cli, tmp_path):
    """The report (or a diff's workbook) given to `scores`, `diff` or `whatif` stopped at «header
    must have the columns body, indicator, field, value» of its first sheet. It is named as an
    output, with the input its «Происхождение» records; the workbooks people fill (the appeal
    log, a template) keep their own messages."""
    inputs = tmp_path / "inputs.csv"
    inputs.write_text(inputs_csv(methodology, published_submissions(2025)), encoding="utf-8")
    report, changes = tmp_path / "report.xlsx", tmp_path / "changes.xlsx"
    assert cli("report", inputs, "-o", report)[0] == 0
    assert cli("diff", inputs, inputs, "-o", changes)[0] == 0
    for command in (("scores", report), ("diff", report, inputs), ("whatif", "МЗ", report)):
        code, _out, err = cli(*command)
        assert code == 2 and (f"{report}: a workbook openness-xl wrote as an output («Индекс открытости 2025»), not "
                              "an input: give the input file it was made from (inputs.csv, as its sheet "
                              "«Происхождение» says), or a filled template") in " ".join(err.split()), err
    code, _out, err = cli("scores", changes)
    assert code == 2 and "wrote as an output («inputs.csv → inputs.csv»)" in err and "as its sheet" not in err
    log = tmp_path / "log.xlsx"
    assert cli("appeal", "template", "-o", log)[0] == 0
    code, _out, err = cli("scores", log)
    assert code == 2 and "header must have the columns" in err and "wrote as an output" not in err


@pytest.mark.parametrize("form", [(), ("--excel-csv",)])
def test_scores_given_as_inputs_are_named(cli, tmp_path, form):
    """`openness scores scores.csv` listed 53 found columns under «header must have the columns
    body, indicator, field, value»; the file is named for what it is, and what to give."""
    scores = tmp_path / "scores.csv"
    assert cli("scores", *form, "-o", scores)[0] == 0
    for command in (("scores", scores), ("whatif", "МЗ", scores)):
        code, _out, err = cli(*command)
        assert code == 2 and f"{scores}: scores written by «openness scores», not inputs" in " ".join(err.split()), err
