"""Outputs are written atomically and never over an input."""
import os

import pytest

from openness_xl.output import atomic_write, safe_text


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
    with pytest.raises(ValueError, match="refusing to overwrite the input file"):
        atomic_write(tmp_path / "." / "inputs.xlsx", b"x", protect=[source])
    assert source.read_bytes() == b"input"


def test_new_files_get_ordinary_permissions(tmp_path):
    atomic_write(tmp_path / "a.csv", b"x")
    assert (tmp_path / "a.csv").stat().st_mode & 0o044 == 0o044


@pytest.mark.parametrize("text", ["=1+1", "+7", "-cmd", "@SUM(A1)", "\tx"])
def test_csv_text_that_looks_like_a_formula_is_neutralised(text):
    assert safe_text(text) == "'" + text
    assert safe_text("МЗ") == "МЗ"
