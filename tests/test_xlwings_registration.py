"""The Excel functions as xlwings registers them on Windows, seen through xlwings' own code.

`tests/xlwings_windows.py` runs xlwings' «Import Functions» (`xlwings.udfs.import_udfs`) with
pywin32 stubbed; here we check the VBA it generates and the help Excel's Insert Function
dialog receives (`Application.MacroOptions`).
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from openness_xl.excel import cells
from tests.bundled import METHODOLOGY

SCRIPT = Path(__file__).with_name("xlwings_windows.py")

# VBA's keywords and the statements that cannot name a variable (Office VBA language
# reference), plus the names xlwings' wrappers use themselves.
VBA_RESERVED = {word.lower() for word in """
    AddressOf Alias And Any Append As Attribute Base Binary Boolean ByRef Byte ByVal Call Case CDecl
    Close Compare Const Currency Date Decimal Declare DefBool DefByte DefCur DefDate DefDbl DefInt
    DefLng DefLngLng DefLngPtr DefObj DefSng DefStr DefVar Dim Do Double Each Else ElseIf Empty End
    EndIf Enum Eqv Erase Error Event Exit Explicit False For Friend Function Get Global GoSub GoTo If
    Imp Implements In Input Integer Is Let Lib Like Line Lock Long LongLong LongPtr Loop LSet Me Mod
    Name New Next Not Nothing Null Object On Open Option Optional Or Output ParamArray Preserve Print
    Private Property PtrSafe Public Put RaiseEvent Random Read ReDim Rem Resume Return RSet Seek Select
    Set Shared Single Spc Static Step Stop String Sub Tab Text Then To True Type TypeOf Unlock Until
    Variant Wend While Width With WithEvents Write Xor
    k argsArray failed Application ThisWorkbook ActiveWorkbook XLPy
""".split()}
VBA_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,254}$")


@pytest.fixture(scope="module")
def registered():
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def signatures(vba: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"^Function (\w+)\((.*)\)$", vba, re.M)}


def test_all_30_functions_are_generated(registered):
    names = set(signatures(registered["vba"]))
    indicator_names = {i.udf for i in METHODOLOGY.indicators}
    assert len(indicator_names) == 20 and indicator_names <= names
    assert names - indicator_names == {"OPENNESS_SCORE", "OPENNESS_TARGET", "OPENNESS_TIER", "OPENNESS_CRITERION", "OPENNESS_GRADE",
                                       "OPENNESS_INDEX", "OPENNESS_RATING", "OPENNESS_RANK", "OPENNESS_MAX",
                                       "OPENNESS_INFO"}
    assert registered["vba"].count("End Function") == 30


def test_each_indicator_function_takes_the_methodologys_arguments_in_order(registered):
    vba = signatures(registered["vba"])
    for indicator in METHODOLOGY.indicators:
        assert vba[indicator.udf] == ", ".join(cells.argument_names(indicator)), indicator.id


def test_the_index_function_takes_the_methodologys_criteria_in_order(registered):
    assert signatures(registered["vba"])["OPENNESS_INDEX"] == ", ".join(c.id for c in METHODOLOGY.criteria)


def test_the_variadic_functions_use_a_paramarray(registered):
    vba = signatures(registered["vba"])
    assert vba["OPENNESS_SCORE"] == "indicator_id, ParamArray inputs()"
    assert vba["OPENNESS_CRITERION"] == "criterion_id, ParamArray scores()"
    assert vba["OPENNESS_TARGET"] == "indicator_id, input_name, target_score, ParamArray inputs()"
    assert "argsArray = Array(indicator_id)" in registered["vba"]


def test_every_name_is_a_valid_vba_identifier_and_no_reserved_word(registered):
    for name, arguments in signatures(registered["vba"]).items():
        assert VBA_IDENTIFIER.match(name), name
        for argument in arguments.replace("ParamArray ", "").replace("()", "").split(", "):
            assert VBA_IDENTIFIER.match(argument), (name, argument)
            assert argument.lower() not in VBA_RESERVED, (name, argument)
            assert argument.lower() != name.lower(), (name, argument)


def test_insert_function_shows_our_category_and_help(registered):
    import openness_udfs

    options = {o["macro"].split("!")[1]: o for o in registered["options"]}
    assert len(options) == 30
    for name, option in options.items():
        function = getattr(openness_udfs, name)
        assert option["macro"] == f"'live-2025.xlsm'!{name}"
        assert option["Category"] == "Openness Index"
        assert option["Description"] == function.__doc__ and 0 < len(function.__doc__) <= 255, name
        described = option["ArgumentDescriptions"]
        assert len(described) == len(registered["functions"][name]["args"]), name
        assert all(d and not d.startswith("Positional argument") and len(d) <= 255 for d in described), name
    timeliness = options["OPENNESS_TIMELINESS"]
    assert timeliness["Description"].startswith("Соблюдение сроков рассмотрения заявлений и жалоб: балл 0–4")
    assert timeliness["ArgumentDescriptions"][0].startswith("заявления и жалобы, рассмотренные с нарушением срока")
    leaders = options["OPENNESS_FIRST_LEADERS"]["ArgumentDescriptions"]
    assert leaders[-1] == "ЦГО или МИО (CGO, MIO): шаги зависят от типа органа"


def test_every_value_argument_reads_excel_errors_as_text(registered):
    # err_to_str: an error cell reaches the function as "#N/A", never as None (a blank).
    for name, info in registered["functions"].items():
        values = [a for a in info["args"] if a not in ("indicator_id", "criterion_id", "input_name")]
        assert info["err_to_str"] == values, name
