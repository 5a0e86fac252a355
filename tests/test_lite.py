"""The Excel functions through xlwings Lite's call path (Office.js custom functions).

`openness lite` writes the workbook's main.py; `tests/xlwings_lite.py` loads it with
XLWINGS_ON_SERVER=true and calls it through `custom_functions_meta` / `custom_functions_call`,
as Lite does: every argument a 2-D matrix, an error cell a {"type": "Error"} object, and a
blank cell sent as null, as "" or — on older desktop builds — as 0.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import openness_udfs as classic
from openness_xl.excel import cells
from openness_xl.cli.app import main
from tests.bundled import METHODOLOGY

SCRIPT = Path(__file__).with_name("xlwings_lite.py")
NA = {"type": "Error", "basicValue": "#N/A"}
WHEEL = "https://files.example.kz/openness_xl-0.1.0-py3-none-any.whl"


@pytest.fixture(scope="module")
def main_py(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lite")
    assert main(["lite", "-d", str(folder), "--wheel-url", WHEEL]) == 0
    assert (folder / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == WHEEL
    return folder / "main.py"


def lite(main_py, *calls):
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    env.pop("OPENNESS_METHODOLOGY", None)
    result = subprocess.run([sys.executable, str(SCRIPT), str(main_py)], input=json.dumps(list(calls)),
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def results(main_py, *calls):
    return lite(main_py, *calls)["results"]


def test_lite_registers_the_30_functions_with_the_methodologys_arguments(main_py):
    meta = {f["name"]: f for f in lite(main_py)["meta"]["functions"]}
    assert set(meta) == set(classic.__all__) and len(meta) == 30
    for indicator in METHODOLOGY.indicators:
        function = meta[indicator.udf]
        assert [p["name"] for p in function["parameters"]] == cells.argument_names(indicator)
        assert function["description"] == getattr(classic, indicator.udf).__doc__
        assert all(p["dimensionality"] == "matrix" and p["type"] == "any" for p in function["parameters"])
    assert meta["OPENNESS_SCORE"]["parameters"][1].get("repeating") is True


def test_scalars_and_columns_give_the_classic_results(main_py):
    got = results(main_py,
                  ["OPENNESS_TIMELINESS", [[[22]], [[391954]]]],
                  ["OPENNESS_TIMELINESS", [[[22], [25]], [[391954], [48981]]]],
                  ["OPENNESS_SCORE", [[["appk_review_timeliness"]], [[22]], [[391954]]]],
                  ["OPENNESS_FIRST_LEADERS", [[[116]], [[155]], [["ЦГО"]]]],
                  ["OPENNESS_CRITERION", [[["feedback"]], [[6]], [[2]], [[7]], [[5]], [[2]]]],
                  ["OPENNESS_RATING", [[[93.31]]]])
    assert got[0] == [[classic.OPENNESS_TIMELINESS(22.0, 391954.0)]] == [[3.78]]
    assert got[1] == [[3.78], [1.96]]
    assert got[2] == [[3.78]]
    assert got[3] == [[classic.OPENNESS_FIRST_LEADERS(116.0, 155.0, "ЦГО")]]
    assert got[4] == [[classic.OPENNESS_CRITERION("feedback", 6.0, 2.0, 7.0, 5.0, 2.0)]] == [[18]]
    assert got[5] == [["АА"]]


@pytest.mark.parametrize("blank", [None, ""])
def test_a_blank_sent_as_null_or_empty_is_missing(main_py, blank):
    got = results(main_py, ["OPENNESS_TIMELINESS", [[[blank]], [[391954]]]],
                  ["OPENNESS_TIMELINESS", [[[22]], [[blank]]]])
    assert got == [[["late: нет значения; ожидается целое число не меньше 0"]],
                   [["reviewed: нет значения; ожидается целое число не меньше 0"]]]


def test_a_blank_sent_as_zero_is_a_zero_and_nd_is_the_safe_way(main_py):
    # Older desktop builds send a blank as 0: nothing can tell it from a typed 0. «н/д» can.
    got = results(main_py, ["OPENNESS_TIMELINESS", [[[0]], [[391954]]]],
                  ["OPENNESS_TIMELINESS", [[["н/д"]], [[391954]]]],
                  ["OPENNESS_TIMELINESS", [[[22]], [[0]]]])
    assert got[0] == [[4]]  # «no late review», the same as a typed 0
    assert got[1] == [["late: нет значения; ожидается целое число не меньше 0"]]
    assert got[2] == [["late (22) не может быть больше reviewed (0)"]]  # a blank base as 0 is at least caught here


def test_an_error_cell_is_reported_never_a_number(main_py):
    got = results(main_py, ["OPENNESS_TIMELINESS", [[[NA]], [[391954]]]],
                  ["OPENNESS_TIER", [[["fb_satisfaction"]], [[NA]]]],
                  ["OPENNESS_TIMELINESS", [[[22], [NA]], [[391954], [48981]]]])
    assert got[0] == [["late: ожидается целое число не меньше 0, а введено '#N/A'"]]
    assert got[1] == [["score: ожидается балл от 0 до 7, а введено '#N/A'"]]
    assert got[2] == [[3.78], ["late: ожидается целое число не меньше 0, а введено '#N/A'"]]


def test_rank_ignores_text_and_nulls_but_not_zeros(main_py):
    group = [[1], [3], ["н/д"], [None], [5]]
    got = results(main_py, ["OPENNESS_RANK", [[[3]], group]],
                  ["OPENNESS_RANK", [[[3], [5], ["н/д"]], group]],
                  ["OPENNESS_RANK", [[[1]], [[1], [3], [0], [5]]]])
    assert got[0] == [[2]]
    assert got[1] == classic.OPENNESS_RANK([[3.0], [5.0], ["н/д"]], [[1.0], [3.0], ["н/д"], [None], [5.0]])
    assert got[1] == [[2], [1], ["score: нет значения; ожидается число"]]
    assert got[2] == [[3]]  # a blank sent as 0 ranks as a score of 0, below 1


def test_lite_refuses_a_methodology_the_wheel_does_not_ship(tmp_path, capsys):
    custom = tmp_path / "mine.toml"
    custom.write_text((Path(METHODOLOGY.path)).read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["lite", "-d", str(tmp_path / "out"), "--wheel-url", WHEEL, "--methodology", str(custom)])
    assert code == 2 and "xlwings Lite computes a methodology shipped in the wheel" in capsys.readouterr().err
    assert main(["lite", "-d", str(tmp_path / "out"), "--wheel-url", "openness.whl"]) == 2
