"""Outputs are written atomically and never over an input."""
import os

import pytest

from openness_xl.io.writing import atomic_write, safe_text


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")

    def broken_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_refuses_to_overwrite_an_input(tmp_path):
    source = tmp_path / "inputs.xlsx"
    source.write_bytes(b"input")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.xlsx").symlink_to(source)
    os.link(source, tmp_path / "hard.xlsx")
    for spelling in (tmp_path / "." / "inputs.xlsx", tmp_path / "sub" / ".." / "inputs.xlsx",
                     tmp_path / "link.xlsx", tmp_path / "hard.xlsx"):
        with pytest.raises(ValueError, match="it is the input file"):
            atomic_write(spelling, b"x", protect=[source])
    assert source.read_bytes() == b"input"


def test_a_killed_write_leaves_nothing_behind_after_the_next_one(tmp_path):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".scores.csv.{dead.stdout.strip()}.abc123.tmp"
    stale.write_bytes(b"half")
    mine = tmp_path / f".scores.csv.{os.getpid()}.live.tmp"  # a write still under way
    mine.write_bytes(b"busy")
    atomic_write(tmp_path / "scores.csv", b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, "scores.csv"])


def test_a_folder_is_not_an_output(tmp_path):
    with pytest.raises(ValueError, match="it is a folder"):
        atomic_write(tmp_path, b"x")


def test_new_files_get_ordinary_permissions(tmp_path):
    atomic_write(tmp_path / "a.csv", b"x")
    assert (tmp_path / "a.csv").stat().st_mode & 0o044 == 0o044


@pytest.mark.parametrize("text", ["=1+1", "+7", "-cmd", "@SUM(A1)", "\tx"])
def test_csv_text_that_looks_like_a_formula_is_neutralised(text):
    assert safe_text(text) == "'" + text
    assert safe_text("МЗ") == "МЗ"


def test_the_one_csv_writer_escapes_formula_text_and_keeps_numbers():
    from fractions import Fraction

    from openness_xl.io.writing import csv_text

    text = csv_text(["id", "redirected_to", "total", "count", "empty"],
                    [["=HYPERLINK(1)", "+A3", Fraction(-5), -3, None], ["@SUM(A1)", "-x", Fraction(1, 4), 0, ""]])
    assert text.splitlines() == ["id,redirected_to,total,count,empty",
                                 "'=HYPERLINK(1),'+A3,-5,-3,", "'@SUM(A1),'-x,0.25,0,"]


def test_negative_criterion_totals_stay_numbers_in_the_scores_csv():
    from openness_xl.methodology import load
    from openness_xl.io.writing import scores_csv
    from openness_xl.core.scoring import DIRECT, Entry, evaluate

    methodology = load(2025)
    entries = {i.id: Entry(DIRECT, score=(i.maximum if i.role == "penalty" else 0)) for i in methodology.indicators}
    line = scores_csv(methodology, evaluate(methodology, [("МЗ", "CGO", entries)])).splitlines()[1]
    assert ",-5," in line and "'-" not in line
