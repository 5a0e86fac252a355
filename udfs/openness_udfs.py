"""Excel functions of the Openness Index, for xlwings ("UDF Modules": openness_udfs).

A thin adapter: every indicator function is registered at import from the methodology
data, and every function hands its cells to `openness_xl.excel.cells`, so names, arguments, help
texts, formulas and the handling of cell values exist only there. Values are handled the
Excel way:

* numbers arrive as floats and are read as Excel keeps them (15 significant digits);
  3.0 is a whole number, 3.5 is not;
* a blank cell (None) is *missing*: never zero cases, never a score. (xlwings Lite and
  xlwings Server pass a blank as 0 and cannot tell it apart: see docs/excel.md.)
* an Excel error (#N/A …) arrives as text and is reported, like any invalid input, as a
  short message naming the argument and what is allowed — never as a number;
* any argument may be a one-column range: ranges of equal height give a column of
  results (a dynamic array in Excel 365, an array formula elsewhere); single cells
  are repeated down the column.
"""
from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Callable

import xlwings as xw

from openness_xl.excel import cells
from openness_xl.core.exact import plain
from openness_xl.methodology import Indicator, Methodology, available_years, load
from openness_xl.texts import decimal, environment_language, text, using

SETTING = "OPENNESS_METHODOLOGY"
LANGUAGE_SETTING = "OPENNESS_EXCEL_LANG"
CATEGORY = "Openness Index"


def configured_methodology() -> Methodology:
    """The methodology the functions compute: the environment variable OPENNESS_METHODOLOGY
    names a year shipped with the package (2025) or a methodology TOML file; unset, the
    newest shipped year."""
    setting = os.environ.get(SETTING, "").strip()
    if not setting:
        return load(available_years()[-1])
    return load(int(setting) if setting.isdigit() else Path(setting))


METHODOLOGY = configured_methodology()
# The language of the functions' messages and tiers: ru unless OPENNESS_EXCEL_LANG says kk or en
# (RU, kk-KZ … understood; anything else is English, with one warning).
LANGUAGE = environment_language(LANGUAGE_SETTING, "ru")


# ------------------------------------------------------------------ one function per indicator

def H(key: str, **fields) -> str:
    """A help text of Excel's Insert Function dialog, in the functions' language."""
    with using(LANGUAGE):
        return text(f"excel.{key}", **fields)


def described(key: str):
    """Give a function its Excel help from the catalogue. It must be the innermost decorator:
    xlwings reads __doc__ when the first xw.arg or xw.func wraps the function."""
    def give(function):
        function.__doc__ = H(f"help.{key}")
        return function
    return give


def _criterion_help(criterion_id: str) -> str:
    return H("criterion", name=METHODOLOGY.criterion(criterion_id).text("name", LANGUAGE))


def _help(indicator: Indicator) -> str:
    with using(LANGUAGE):
        flag = text("excel.provisional") if indicator.provisional else ""
        role = text(f"excel.{indicator.role}") if indicator.role in ("penalty", "bonus") else ""
        return text("excel.indicator", name=indicator.text(), maximum=decimal(plain(indicator.maximum)), role=role,
                    flag=flag)


def _argument_help(indicator: Indicator, name: str) -> str:
    if name == "body_type":
        return H("body_type")
    spec = indicator.input(name)
    with using(LANGUAGE):
        return f"{spec.text()} ({text(f'unit.{spec.unit}', kind='files')}): {spec.allowed}"


def _make_indicator_function(indicator: Indicator) -> Callable:
    names = cells.argument_names(indicator)

    def udf(*args):
        with using(LANGUAGE):
            return cells.indicator_cell(METHODOLOGY, indicator, *args)

    udf.__name__ = udf.__qualname__ = indicator.udf
    udf.__doc__ = _help(indicator)
    udf.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names]
    )
    udf.__module__ = __name__
    for name in reversed(names):
        udf = xw.arg(name, doc=_argument_help(indicator, name), err_to_str=True)(udf)
    return xw.func(category=CATEGORY)(udf)


INDICATOR_FUNCTIONS: dict[str, Callable] = {}
for _declared in METHODOLOGY.indicators:
    INDICATOR_FUNCTIONS[_declared.udf] = _make_indicator_function(_declared)
    globals()[_declared.udf] = INDICATOR_FUNCTIONS[_declared.udf]


# ------------------------------------------------------------------ general functions

@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc=H("indicator_id"))
@xw.arg("inputs", doc=H("inputs"), err_to_str=True)
@described("score")
def OPENNESS_SCORE(indicator_id, *inputs):
    """Score any indicator by its id from its inputs, in the methodology's order."""
    with using(LANGUAGE):
        return cells.score_cell(METHODOLOGY, indicator_id, *inputs)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc=H("indicator_id"))
@xw.arg("input_name", doc=H("input_name"))
@xw.arg("target_score", doc=H("target_score"), err_to_str=True)
@xw.arg("inputs", doc=H("inputs"), err_to_str=True)
@described("target")
def OPENNESS_TARGET(indicator_id, input_name, target_score, *inputs):
    """The value of one input that reaches a target score, the other inputs unchanged (a message if it cannot)."""
    with using(LANGUAGE):
        return cells.target_cell(METHODOLOGY, indicator_id, input_name, target_score, *inputs)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc=H("indicator_id"))
@xw.arg("score", doc=H("score"), err_to_str=True)
@described("tier")
def OPENNESS_TIER(indicator_id, score):
    """Tier of an indicator score: высокий, средний, низкий or неэффективный (90/70/50 % of the maximum)."""
    with using(LANGUAGE):
        return cells.tier_cell(METHODOLOGY, indicator_id, score)


@xw.func(category=CATEGORY)
@xw.arg("criterion_id", doc=H("criterion_id"))
@xw.arg("scores", doc=H("scores"), err_to_str=True)
@described("criterion")
def OPENNESS_CRITERION(criterion_id, *scores):
    """Total of a criterion: the sum of its indicator scores, the penalty subtracted."""
    with using(LANGUAGE):
        return cells.criterion_cell(METHODOLOGY, criterion_id, *scores)


@xw.func(category=CATEGORY)
@xw.arg("criterion_id", doc=H("criterion_id"))
@xw.arg("total", doc=H("total"), err_to_str=True)
@described("grade")
def OPENNESS_GRADE(criterion_id, total):
    """Letter of a criterion total: А, В or С."""
    with using(LANGUAGE):
        return cells.grade_cell(METHODOLOGY, criterion_id, total)


def _make_index_function() -> Callable:
    """OPENNESS_INDEX with one argument per criterion of the methodology, in its order."""
    names = [criterion.id for criterion in METHODOLOGY.criteria]

    def OPENNESS_INDEX(*totals):
        with using(LANGUAGE):
            return cells.index_cell(METHODOLOGY, *totals)

    OPENNESS_INDEX.__doc__ = H("help.index")
    OPENNESS_INDEX.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names])
    OPENNESS_INDEX.__module__ = __name__
    for name in reversed(names):
        OPENNESS_INDEX = xw.arg(name, doc=_criterion_help(name), err_to_str=True)(OPENNESS_INDEX)
    return xw.func(category=CATEGORY)(OPENNESS_INDEX)


OPENNESS_INDEX = _make_index_function()


@xw.func(category=CATEGORY)
@xw.arg("index", doc=H("index"), err_to_str=True)
@described("rating")
def OPENNESS_RATING(index):
    """Rating of an index total: ААА, АА, А, ВВВ, ВВ, В or С."""
    with using(LANGUAGE):
        return cells.rating_cell(METHODOLOGY, index)


@xw.func(category=CATEGORY)
@xw.arg("score", doc=H("rank_score"), err_to_str=True)
@xw.arg("scores", doc=H("rank_scores"), err_to_str=True)
@described("rank")
def OPENNESS_RANK(score, scores):
    """Rank of a score among scores, highest first; equal scores share a rank (1, 2, 2, 4)."""
    with using(LANGUAGE):
        return cells.rank_cell(score, scores)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc=H("item_id"))
@described("max")
def OPENNESS_MAX(indicator_id):
    """Maximum score of an indicator or a criterion."""
    with using(LANGUAGE):
        return cells.max_cell(METHODOLOGY, indicator_id)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc=H("info_id"))
@described("info")
def OPENNESS_INFO(indicator_id):
    """Name, Excel function, maximum, inputs and provisional status of an indicator, as text."""
    with using(LANGUAGE):
        return cells.info_cell(METHODOLOGY, indicator_id)


GENERAL_FUNCTIONS = {
    f.__name__: f for f in (OPENNESS_SCORE, OPENNESS_TARGET, OPENNESS_TIER, OPENNESS_CRITERION, OPENNESS_GRADE, OPENNESS_INDEX,
                            OPENNESS_RATING, OPENNESS_RANK, OPENNESS_MAX, OPENNESS_INFO)
}
__all__ = [*INDICATOR_FUNCTIONS, *GENERAL_FUNCTIONS]
