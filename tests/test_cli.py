"""The `openness` command as a user runs it."""
import csv
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

from openness_xl.cli.app import main
from openness_xl.methodology import load
from openness_xl.io.writing import score_columns


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_scores_of_the_embedded_2025_data(capsys, methodology):
    code, out, err = run(capsys, "scores")
    assert code == 0 and err == ""
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == score_columns(methodology)
    assert list(rows[0])[:4] == ["body", "body_type", "appk_review_timeliness", "appk_review_timeliness__tier"]
    assert list(rows[0])[-3:] == ["index", "rating", "rank"]
    assert len(rows) == 49
    by_body = {r["body"]: r for r in rows}
    assert by_body["МП"]["index"] == "79.085" and by_body["МП"]["rating"] == "ВВ"
    assert by_body["Жамбылская"]["rating"] == "ААА" and by_body["Жамбылская"]["rank"] == "1"
    assert by_body["МЗ"]["appk_review_timeliness"] == "1.96"
    assert by_body["МЗ"]["appk_review_timeliness__tier"] == "неэффективный"


def test_table_format(capsys):
    code, out, _ = run(capsys, "scores", "--format", "table")
    assert code == 0
    assert out.splitlines()[1].startswith("МТ ") and "93.31" in out.splitlines()[1]


def test_a_table_written_to_a_file_is_the_same_whatever_terminal_made_it(tmp_path, capsys, monkeypatch):
    """The wide table wraps its notes at the terminal's width on screen, at 80 in a file."""
    import os

    narrow, wide = tmp_path / "narrow.txt", tmp_path / "wide.txt"
    assert run(capsys, "scores", "--format", "table", "--wide", "-o", str(narrow))[0] == 0
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=None: os.terminal_size((200, 40)))
    assert run(capsys, "scores", "--format", "table", "--wide", "-o", str(wide))[0] == 0
    assert wide.read_text(encoding="utf-8") == narrow.read_text(encoding="utf-8")


def test_missing_indicators_warn_and_leave_totals_empty(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\nМЗ,appk_review_timeliness,reviewed,48981\n", encoding="utf-8")
    code, out, err = run(capsys, "scores", str(path))
    assert code == 0
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["appk_review_timeliness"] == "1.96" and row["appk"] == "" and row["index"] == "" and row["fb_satisfaction"] == ""
    # a body is named by its code and name; the missing indicators by their numbers
    assert "warning: МЗ (Министерство здравоохранения): no data for 19 indicators (2–20)" in " ".join(err.split())
    code, _, err = run(capsys, "scores", str(path), "--strict")
    assert code == 2 and "--strict" in err


def test_many_bodies_missing_the_same_indicators_are_told_once(tmp_path, capsys):
    """An aggregate of records alone gives 6 of 20 indicators: 49 warnings of one sentence
    each filled the screen. From three bodies missing the same indicators one warning names
    them by code; fewer keep theirs, with their names."""
    path = tmp_path / "in.csv"
    rows = [f"{b},appk_review_timeliness,late,25\n{b},appk_review_timeliness,reviewed,48981\n"
            for b in ("МЗ", "МЮ", "МФ", "МВД")]
    path.write_text("body,indicator,field,value\n" + "".join(rows) + "МВД,fb_satisfaction,score,3\n", encoding="utf-8")
    code, _, err = run(capsys, "scores", str(path))
    flat = " ".join(err.split())
    assert code == 0
    assert "warning: 3 bodies (МЮ, МЗ, МФ): no data for 19 indicators (2–20)" in flat  # in the registry's order
    assert "warning: МВД (Министерство внутренних дел): no data for 18 indicators (2–12, 14–20)" in flat
    assert flat.count("no data for") == 2


def test_errors_exit_non_zero_with_every_problem(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("body,indicator,field,value\nМЗ,fb_meetings,score,9\nZZ,fb_meetings,score,1\n", encoding="utf-8")
    code, out, err = run(capsys, "scores", str(path))
    assert code == 2 and out == ""
    assert "2 problems" in err and "row 2" in err and "row 3" in err
    code, _, err = run(capsys, "check", str(path))
    assert code == 2 and "score must be a score from 0 to 5, got '9'" in err


def test_check_ok(tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_text("body,indicator,field,value\nМЗ,fb_meetings,score,4\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0 and "every value is valid — 1 body, 1 indicator entry; but the year is incomplete" in out


def test_output_file_is_written_and_never_over_the_input(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("body,indicator,field,value\nМЗ,fb_meetings,score,4\n", encoding="utf-8")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, _, err = run(capsys, "scores", str(path), "-o", str(path))
    assert code == 2 and "it is the input file" in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    out = tmp_path / "sub" / "scores.csv"
    assert run(capsys, "scores", "-o", str(out))[0] == 0
    first = out.read_bytes()
    assert run(capsys, "scores", "-o", str(out))[0] == 2  # it exists: only with --force
    assert run(capsys, "scores", "-o", str(out), "--force")[0] == 0
    assert out.read_bytes() == first  # same inputs, same bytes
    assert [p.name for p in out.parent.iterdir()] == ["scores.csv"]  # no temporary left behind


def test_reconcile_lists_the_known_inconsistencies(capsys):
    # The full behaviour is in test_reconcile.py; here the command's face.
    code, out, _ = run(capsys, "reconcile")
    assert code == 0
    assert "New findings: 0" in out
    assert "tier-label (106)" in out and "letter-script (164)" in out
    assert "L342   worked-example · Алматинская · appk_review_timeliness: 3.85 → 3.86 [R2]" in out
    assert "L1096  worked-example · Алматы · appk_first_leaders: 4 → 1 [R6]" in out
    assert "L1369  print-correction · МП · og_open_data: 4.51 → 4.515 [§1]" in out


def test_console_script_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "openness_xl.cli", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "openness-xl" in result.stdout


# ---------------------------------------------------------------- json, stdin and stdout

@pytest.mark.parametrize("argv", [["scores"], ["reconcile"], ["whatif", "МЗ"], ["compare", "2024", "2025"],
                                  ["diff", "{published}", "{changed}"]])
def test_json_holds_the_rows_of_the_csv(cli, tmp_path, argv):
    """--format json wherever --format csv is: one object per CSV row, the same values (a
    plain decimal as a number, an empty cell as null)."""
    import csv
    import io
    import json

    from openness_xl.io.published import published_submissions
    from openness_xl.io.writing import inputs_csv

    methodology = load(2025)
    published = tmp_path / "published.csv"
    published.write_text(inputs_csv(methodology, published_submissions(2025)), encoding="utf-8")
    changed = tmp_path / "changed.csv"
    import re

    changed.write_text(re.sub(r"(?m)^МЗ,fb_meetings,score,.*$", "МЗ,fb_meetings,score,0",
                              published.read_text(encoding="utf-8")), encoding="utf-8")
    argv = [a.format(published=published, changed=changed) for a in argv]
    code_csv, as_csv, _ = cli(*argv, "--format", "csv")
    code_json, as_json, _ = cli(*argv, "--format", "json")
    assert code_csv == code_json and as_csv
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    objects = json.loads(as_json)
    assert len(objects) == len(rows) > 0

    def same(text, value):
        if text == "":
            return value is None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(text) == value
        return text == value

    assert all(same(row[key], item[key]) for row, item in zip(rows, objects) for key in row)
    numbers = [v for item in objects for v in item.values() if isinstance(v, (int, float))]
    assert numbers or argv[0] == "compare"  # compare's cells are words and labels («3.99 (99.8 %) высокий»)


def test_a_dash_reads_standard_input_and_writes_standard_output(cli, tmp_path, monkeypatch):
    import io
    import json

    data = "body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\nМЗ,appk_review_timeliness,reviewed,48981\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    code, out, _ = cli("scores", "-", "-o", "-", "--format", "json")
    path = tmp_path / "inputs.csv"
    path.write_text(data, encoding="utf-8")
    assert code == 0 and out == cli("scores", path, "--format", "json")[1] and json.loads(out)[0]["body"] == "МЗ"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.replace("25", "x").encode("utf-8"))))
    code, _, err = cli("check", "-")
    assert code == 2 and "stdin, row 2" in err
    template = Path(__file__).resolve().parent.parent / "workbooks" / "inputs-template-2025.xlsx"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(template.read_bytes())))
    code, out, _ = cli("check", "-")
    assert code == 0 and out.startswith("stdin:")
    code, _, err = cli("template", "-o", "-")
    assert code == 2 and "needs a file name" in err


def test_a_pipe_is_read_once_and_an_extract_through_one_is_refused(cli, tmp_path):
    """A pipe (`<(…)` in a shell: /dev/fd/N) can be read once. The input's first bytes were
    read to tell a workbook and were then gone for the reader («header must have the columns …
    found appk_first_leaders, …»); diff read it twice. An input through a pipe is now read once;
    a workbook through one, or a records extract (read more than once), is refused by name."""
    import os

    data = "body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\nМЗ,appk_review_timeliness,reviewed,48981\n"
    path = tmp_path / "inputs.csv"
    path.write_text(data, encoding="utf-8")

    def piped(content: bytes) -> str:  # a short content fits the pipe's buffer: no writer thread
        read, write = os.pipe()
        os.write(write, content)
        os.close(write)
        return f"/dev/fd/{read}"

    assert cli("scores", piped(data.encode()), "--format", "json")[1] == cli("scores", path, "--format", "json")[1]
    code, out, err = cli("diff", piped(data.encode()), path)
    assert code == 0 and "Changed inputs: 0" in out, err
    code, _, err = cli("check", piped(b"PK\x03\x04" + bytes(100)))
    assert code == 2 and "a workbook given through a pipe" in err
    code, _, err = cli("aggregate", piped(data.encode()), path)
    assert code == 2 and "not a file (a folder, a pipe or a device)" in err


@pytest.mark.parametrize("terminal", [True, False])
def test_an_error_is_wrapped_at_words_on_a_terminal_and_whole_in_a_log(cli, tmp_path, monkeypatch, terminal):
    """One error (a file that cannot be read, a methodology's problems) was printed as one long
    line, which an 80-column terminal cut inside words and paths («lin / e break»). On a
    terminal each line is now wrapped at words, its continuation indented; in a log or a pipe
    it stays whole, one line, for grep."""
    import os

    line = tmp_path / "appeals.csv"
    line.write_text("appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating"
                    + ",x" * 600_000, encoding="utf-8")
    monkeypatch.setattr("sys.stderr.isatty", lambda: terminal)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=None: os.terminal_size((80, 24)))
    code, _, err = cli("aggregate", line, line)
    whole = f"error: {line}, row 1: longer than 1,048,576 characters without a line break, where a record " \
            "takes a few hundred: not a CSV of records?"
    assert code == 2
    if terminal:
        lines = err.rstrip("\n").split("\n")
        # A word longer than the line (a deep temporary path) stands whole on a line of its own.
        assert len(lines) > 1 and all(len(x) <= 80 or " " not in x.strip() for x in lines)
        assert all(x.startswith("  ") for x in lines[1:])
        assert " ".join(x.strip() for x in lines) == whole
    else:
        assert err == whole + "\n"
    code, _, err = cli("scores", "--methodology", "/dev/zero")
    lines = err.rstrip("\n").split("\n")
    assert lines[1].startswith("  - ") and (not terminal or all(len(x) <= 80 or " " not in x.strip() for x in lines))


@pytest.mark.parametrize("command", [
    ["aggregate", "{appeals}", "{receptions}", "-o", "{out}"],
    ["scores", "{inputs}", "-o", "{out}"],
])
def test_a_closed_standard_error_does_not_stop_the_work(tmp_path, command):
    """`openness aggregate … 2>&1 | head -1` closed the pipe at the first warning; the
    BrokenPipeError ended the command before it wrote its output file (exit 1, nothing said,
    no file). Standard error here is a pipe whose reader is gone before the command starts."""
    import os

    appeals, receptions = tmp_path / "appeals.csv", tmp_path / "receptions.csv"
    appeals.write_text("appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n"
                       "1,МЗ,заявление,2025-03-03,2025-03-18,2025-03-17,,,5\n"
                       "2,Минздрав,заявление,2025-03-03,2025-03-18,2025-03-17,,,5\n", encoding="utf-8")
    receptions.write_text("request_id,body,registered_on,notified_on,appointment_on,received_on,received_by,declined\n",
                          encoding="utf-8")
    inputs = tmp_path / "inputs.csv"
    inputs.write_text("body,indicator,field,value\nМЗ,fb_satisfaction,score,3\n", encoding="utf-8")  # warns: 19 missing
    out = tmp_path / "out.csv"
    arguments = [a.format(appeals=appeals, receptions=receptions, inputs=inputs, out=out) for a in command]
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run([sys.executable, "-m", "openness_xl.cli", *arguments], stderr=write,
                                stdout=subprocess.DEVNULL)
    finally:
        os.close(write)
    assert result.returncode == 0 and out.exists() and out.stat().st_size > 0
