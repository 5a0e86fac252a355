"""Excel functions of the Openness Index, for xlwings ("UDF Modules": openness_udfs).

A thin adapter: every indicator function is registered at import from the methodology
data, and every function hands its cells to `openness_xl.cells`, so names, arguments, help
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

from openness_xl import cells
from openness_xl.exact import plain
from openness_xl.methodology import Indicator, Methodology, available_years, load
from openness_xl.texts import checked_language, using

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
# The language of the functions' messages and tiers: ru unless OPENNESS_EXCEL_LANG says kk or en.
LANGUAGE = checked_language(os.environ.get(LANGUAGE_SETTING, "").strip() or "ru")


# ------------------------------------------------------------------ one function per indicator

def _help(indicator: Indicator) -> str:
    flag = " PROVISIONAL formula: see docs/indicators.md." if indicator.provisional else ""
    role = {"penalty": " (penalty, subtracted)", "bonus": " (bonus)"}.get(indicator.role, "")
    return f"{indicator.name_ru}: score 0–{plain(indicator.maximum)}{role}.{flag}"


def _argument_help(indicator: Indicator, name: str) -> str:
    if name == "body_type":
        return "CGO (ЦГО) or MIO (МИО): the steps differ by body type"
    spec = indicator.input(name)
    return f"{spec.description_ru} ({spec.unit}): {spec.allowed}"


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
@xw.arg("indicator_id", doc="indicator id, e.g. appk_review_timeliness")
@xw.arg("inputs", doc="the indicator's inputs in the methodology's order (body_type last where needed)", err_to_str=True)
def OPENNESS_SCORE(indicator_id, *inputs):
    """Score any indicator by its id from its inputs, in the methodology's order."""
    with using(LANGUAGE):
        return cells.score_cell(METHODOLOGY, indicator_id, *inputs)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc="indicator id, e.g. appk_review_timeliness")
@xw.arg("input_name", doc="the input to change, e.g. late")
@xw.arg("target_score", doc="the score to reach (for the penalty: to come down to)", err_to_str=True)
@xw.arg("inputs", doc="the indicator's inputs in the methodology's order, as for OPENNESS_SCORE", err_to_str=True)
def OPENNESS_TARGET(indicator_id, input_name, target_score, *inputs):
    """The value of one input that reaches a target score, the other inputs unchanged (a message if it cannot)."""
    with using(LANGUAGE):
        return cells.target_cell(METHODOLOGY, indicator_id, input_name, target_score, *inputs)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc="indicator id, e.g. appk_review_timeliness")
@xw.arg("score", doc="the indicator's score", err_to_str=True)
def OPENNESS_TIER(indicator_id, score):
    """Tier of an indicator score: высокий, средний, низкий or неэффективный (90/70/50 % of the maximum)."""
    with using(LANGUAGE):
        return cells.tier_cell(METHODOLOGY, indicator_id, score)


@xw.func(category=CATEGORY)
@xw.arg("criterion_id", doc="appk, open_government, feedback or internal_control")
@xw.arg("scores", doc="the criterion's indicator scores in methodology order (a penalty as a positive number)", err_to_str=True)
def OPENNESS_CRITERION(criterion_id, *scores):
    """Total of a criterion: the sum of its indicator scores, the penalty subtracted."""
    with using(LANGUAGE):
        return cells.criterion_cell(METHODOLOGY, criterion_id, *scores)


@xw.func(category=CATEGORY)
@xw.arg("criterion_id", doc="appk, open_government, feedback or internal_control")
@xw.arg("total", doc="the criterion's total", err_to_str=True)
def OPENNESS_GRADE(criterion_id, total):
    """Letter of a criterion total: А, В or С."""
    with using(LANGUAGE):
        return cells.grade_cell(METHODOLOGY, criterion_id, total)


@xw.func(category=CATEGORY)
@xw.arg("appk", doc="criterion «Исполнение требований АППК»", err_to_str=True)
@xw.arg("open_government", doc="criterion «Открытое Правительство»", err_to_str=True)
@xw.arg("feedback", doc="criterion «Обратная связь с населением»", err_to_str=True)
@xw.arg("internal_control", doc="criterion «Внутренний контроль и самодисциплина»", err_to_str=True)
def OPENNESS_INDEX(appk, open_government, feedback, internal_control):
    """Openness Index: the sum of the four criteria (up to 100, plus the bonus)."""
    with using(LANGUAGE):
        return cells.index_cell(METHODOLOGY, appk, open_government, feedback, internal_control)


@xw.func(category=CATEGORY)
@xw.arg("index", doc="the Openness Index total", err_to_str=True)
def OPENNESS_RATING(index):
    """Rating of an index total: ААА, АА, А, ВВВ, ВВ, В or С."""
    with using(LANGUAGE):
        return cells.rating_cell(METHODOLOGY, index)


@xw.func(category=CATEGORY)
@xw.arg("score", doc="the score to rank", err_to_str=True)
@xw.arg("scores", doc="all scores of the group (ЦГО or МИО), blanks ignored", err_to_str=True)
def OPENNESS_RANK(score, scores):
    """Rank of a score among scores, highest first; equal scores share a rank (1, 2, 2, 4)."""
    with using(LANGUAGE):
        return cells.rank_cell(score, scores)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc="indicator or criterion id")
def OPENNESS_MAX(indicator_id):
    """Maximum score of an indicator or a criterion."""
    with using(LANGUAGE):
        return cells.max_cell(METHODOLOGY, indicator_id)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc="indicator id, e.g. fb_satisfaction")
def OPENNESS_INFO(indicator_id):
    """Name, Excel function, maximum, inputs and provisional status of an indicator, as text."""
    with using(LANGUAGE):
        return cells.info_cell(METHODOLOGY, indicator_id)


GENERAL_FUNCTIONS = {
    f.__name__: f for f in (OPENNESS_SCORE, OPENNESS_TARGET, OPENNESS_TIER, OPENNESS_CRITERION, OPENNESS_GRADE, OPENNESS_INDEX,
                            OPENNESS_RATING, OPENNESS_RANK, OPENNESS_MAX, OPENNESS_INFO)
}
__all__ = [*INDICATOR_FUNCTIONS, *GENERAL_FUNCTIONS]
