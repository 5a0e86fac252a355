"""Where one command's output is the next one's input: the year's commands read the file they
are given and say what their own plan does."""
import pytest

from openness_xl import reference
from openness_xl.output import inputs_csv
from openness_xl.scoring import DIRECT, Entry, evaluate


def _final_with_mt_lowered(methodology, tmp_path):
    """The published scores with МТ (rated АА, first among ЦГО) given 0 on its whole АППК."""
    submissions = reference.published_submissions(2025)
    for body, _type, entries in submissions:
        if body == "МТ":
            for indicator_id in methodology.criterion("appk").indicators:
                if methodology.indicator(indicator_id).role != "penalty":
                    entries[indicator_id] = Entry(DIRECT, score=0)
    path = tmp_path / "final.csv"
    path.write_text(inputs_csv(methodology, submissions), encoding="utf-8")
    return path, submissions


def test_roadmap_all_low_reads_the_input_it_is_given(methodology, cli, tmp_path):
    """`roadmap --all-low FINAL.csv -d DIR` writes the drafts of FINAL's low bodies, never takes
    the file for a body, never falls back to the published scores."""
    from openness_xl.roadmap import low_bodies

    final, submissions = _final_with_mt_lowered(methodology, tmp_path)
    wanted = set(low_bodies(methodology, evaluate(methodology, submissions)))
    published = set(low_bodies(methodology, evaluate(methodology, reference.published_submissions(2025))))
    assert "МТ" in wanted and "МТ" not in published
    out = tmp_path / "drafts"
    code, _out, err = cli("roadmap", "--all-low", final, "-d", out)
    assert code == 0, err
    assert {p.stem.removeprefix("roadmap-") for p in out.glob("*.docx")} == wanted


def test_roadmap_all_low_refuses_a_body_and_an_input_together(cli, tmp_path):
    code, _out, err = cli("roadmap", "--all-low", "МЗ", "inputs.csv", "-d", tmp_path)
    assert code == 1 and "--all-low" in err and "МЗ" in err


def test_whatif_every_indicator_at_a_tier_says_the_points_its_plan_gains(methodology, cli):
    from openness_xl.what_it_takes import plan

    (found,) = plan(methodology, reference.published_submissions(2025), "МЗ", "tier", "средний")
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
    (["roadmap", "МЗ", "-o", "{d}/m.docx"], "m.docx"),
    (["robustness", "--samples", "50", "-o", "{d}/rb.txt"], "rb.txt"),
    (["lite", "-d", "{d}", "--wheel-url", WHEEL], "main.py"),
    (["synthetic", "-d", "{d}", "--appeals", "300"], "appeals.parquet"),
])
def test_no_command_replaces_a_file_without_force(methodology, cli, tmp_path, argv, written):
    inputs = tmp_path / "inputs.csv"
    inputs.write_text(inputs_csv(methodology, reference.published_submissions(2025)), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    args = [a.format(d=out, inputs=inputs) for a in argv]
    target = out / written
    target.write_bytes(b"a filled file somebody kept")
    code, _out, err = cli(*args)
    assert code == 1 and "give --force to replace it" in " ".join(err.split()), err
    assert target.read_bytes() == b"a filled file somebody kept"
    code, _out, err = cli(*args, "--force")
    assert code in (0, 1) and target.read_bytes() != b"a filled file somebody kept", err
    assert not list(out.glob(".*.tmp"))


def test_a_pipe_given_as_output_is_refused_even_with_force(cli, tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _out, err = cli("scores", "-o", fifo, "--force")
    assert code == 1 and "not a regular file" in err
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
    assert code == 1 and "Traceback" not in err
    assert "МЗ has no index" in err and "2–12, 14–20" in err


def test_whatif_rank_must_be_a_whole_number(cli):
    code, _out, err = cli("whatif", "МЗ", "--to", "rank", "1.5")
    assert code == 1 and "a whole number" in err


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
