"""The pandas API: the same numbers as the CLI, and docs/python.md's example runs."""
import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest

import openness_xl as ox
from openness_xl.cli.app import main
from openness_xl.io.inputs import InputErrors

DOCS = Path(__file__).resolve().parent.parent / "docs" / "python.md"


def test_score_equals_the_cli_csv(capsys):
    assert main(["scores"]) == 0
    cli = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    frame = ox.score()
    assert list(frame.columns) == list(cli[0])
    for row, (_, record) in zip(cli, frame.iterrows()):
        for column, text in row.items():
            value = record[column]
            if text == "":
                assert pd.isna(value), (row["body"], column)
            elif column in ("body", "body_type", "rating") or column.endswith(("__tier", "__grade")):
                assert value == text
            else:
                assert float(value) == float(text), (row["body"], column)
    assert str(frame["index"].dtype) == "Float64" and str(frame["rank"].dtype) == "Int64"


def test_a_long_frame_and_a_wide_frame_score_alike():
    long = pd.DataFrame({"body": ["МЗ", "МЗ"], "indicator": ["appk_review_timeliness"] * 2,
                         "field": ["late", "reviewed"], "value": [25, 48981]})
    wide = pd.DataFrame({"body": ["МЗ"], "appk_review_timeliness.late": [25],
                         "appk_review_timeliness.reviewed": [48981]})
    a, b = ox.score(long), ox.score(wide)
    assert a["appk_review_timeliness"].item() == b["appk_review_timeliness"].item() == 1.96


def test_a_bad_value_names_its_row_and_column():
    wide = pd.DataFrame({"body": ["МЗ", "МФ"], "appk_review_timeliness.late": [25, -1],
                         "appk_review_timeliness.reviewed": [48981, 391954]})
    with pytest.raises(InputErrors, match="row 1, column appk_review_timeliness.late.*got -1"):
        ox.score(wide)


def test_the_documented_example_runs(capsys):
    code = "\n".join(re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S))
    exec(compile(code, str(DOCS), "exec"), {})
    out = capsys.readouterr().out
    assert "late ≤ 24 (now 25)" in out and "kept" in out


def test_a_frame_of_the_wrong_shape_is_named_in_the_language_chosen():
    from openness_xl.texts import using

    no_body = pd.DataFrame({"organ": ["МЗ"], "value": [1]})
    with pytest.raises(InputErrors, match=re.escape("needs body,indicator,field,value (long)")):
        ox.score(no_body)
    with using("ru"), pytest.raises(InputErrors, match="нужны столбцы body,indicator,field,value"):
        ox.score(no_body)
    wide_without_fields = pd.DataFrame({"body": ["МЗ"], "value": [1]})
    with using("kk"), pytest.raises(InputErrors, match=re.escape("indicator.field бағаны жоқ")):
        ox.score(wide_without_fields)
    bad_cell = pd.DataFrame({"body": ["МЗ"], "appk_review_timeliness.late": ["много"],
                             "appk_review_timeliness.reviewed": [10]})
    with using("ru"), pytest.raises(InputErrors, match="строка 0, столбец appk_review_timeliness.late"):
        ox.score(bad_cell)


def test_compare_takes_a_frame_where_the_command_takes_a_file():
    import pandas as pd

    import openness_xl as ox
    from openness_xl.io.published import published_submissions
    from openness_xl.methodology import load
    from openness_xl.io.writing import input_rows

    frame = pd.DataFrame(input_rows(load(2025), published_submissions(2025)),
                         columns=["body", "indicator", "field", "value"])
    table = ox.compare("2025", frame)
    assert len(table) > 0 and set(table["verdict"]) == {"kept"}


def published_frame(methodology):
    from openness_xl.io.published import published_submissions
    from openness_xl.io.writing import input_rows

    return pd.DataFrame(input_rows(methodology, published_submissions(2025)),
                        columns=["body", "indicator", "field", "value"])


def test_check_takes_a_frame_and_speaks_of_completeness_as_the_command(methodology, cli, tmp_path):
    """One body with three indicators: the frame is read, a row per assessed body says what is
    missing, the same bodies the command warns of; strict raises where `check --strict` exits 2."""
    part = pd.DataFrame({"body": ["МЗ"] * 2, "indicator": ["appk_review_timeliness"] * 2,
                         "field": ["late", "reviewed"], "value": [25, 48981]})
    with pytest.warns(UserWarning, match="no rank"):
        table = ox.check(part)
    assert len(table) == 49 and list(table.columns) == ["body", "body_type", "given", "missing", "missing_indicators"]
    mz = table[table["body"] == "МЗ"].iloc[0]
    assert (mz["given"], mz["missing"], mz["missing_indicators"]) == (1, 19, "2–20")
    assert (table[table["body"] != "МЗ"]["missing"] == 20).all()
    path = tmp_path / "part.csv"
    part.to_csv(path, index=False)
    code, _out, err = cli("check", path)
    assert code == 0 and "МЗ" in err and "2–20" in err
    assert cli("check", path, "--strict")[0] == 2
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="strict.*МЗ"):
        ox.check(part, strict=True)
    whole = ox.check(published_frame(methodology))
    assert (whole["missing"] == 0).all() and (whole["missing_indicators"] == "").all()
    bad = part.assign(value=[25, "много"])
    with pytest.raises(InputErrors, match="много"):
        ox.check(bad)


def test_diff_takes_frames_and_gives_the_command_s_rows(methodology, cli, tmp_path):
    """МЗ's review timeliness given by its counts (250 late) instead of the published score: the rows equal `openness diff --format csv` of the
    same two files; a score frame on one side gives the effects only, as a scores CSV does."""
    old = published_frame(methodology)
    new = pd.concat([old, pd.DataFrame({"body": ["МЗ"] * 2, "indicator": ["appk_review_timeliness"] * 2,
                                        "field": ["late", "reviewed"], "value": [250, 48981]})])
    new = new[~((new["body"] == "МЗ") & (new["indicator"] == "appk_review_timeliness") & (new["field"] == "score"))]
    table = ox.diff(old, new)
    a, b = tmp_path / "old.csv", tmp_path / "new.csv"
    old.to_csv(a, index=False)
    new.to_csv(b, index=False)
    code, out, _err = cli("diff", a, b, "--format", "csv")
    assert code == 1
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(table.columns)
    assert rows[1:] == table.astype(str).values.tolist()
    assert "input" in set(table["kind"]) and len(table) > 2
    scores_then = ox.score(old)
    effects = ox.diff(scores_then, new)
    assert len(effects) > 0 and "input" not in set(effects["kind"])
    assert effects.values.tolist() == table[table["kind"] != "input"].values.tolist()
    assert len(ox.diff(scores_then, old)) == 0
