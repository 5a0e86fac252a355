"""Excel functions of the Openness Index, for xlwings ("UDF Modules": openness_udfs).

A thin adapter over the scoring core: every indicator function is registered at import
from the methodology data, so names, arguments, help texts and formulas exist only there.
Values are handled the Excel way:

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
from fractions import Fraction
from typing import Any, Callable, Sequence

import xlwings as xw

from openness_xl import grading
from openness_xl.exact import NotANumber, plain, to_fraction
from openness_xl.methodology import Indicator, load
from openness_xl.scoring import ScoreError, score_inputs
from openness_xl.values import ValueProblem, is_blank, parse_score

METHODOLOGY = load(2025)
CATEGORY = "Openness Index"
Cell = Any  # float | str | bool | None, or a 2-D list of them for a range


# ------------------------------------------------------------------ ranges

class _Shape(ValueError):
    pass


def _column(value: Cell) -> list | None:
    """A one-column range as a list of cells, or None for a single cell."""
    if not isinstance(value, (list, tuple)):
        return None
    rows = [row if isinstance(row, (list, tuple)) else [row] for row in value]
    if any(len(row) != 1 for row in rows):
        raise _Shape("ranges must be a single column")
    return [row[0] for row in rows]


def _vectorised(compute: Callable[..., Any], args: Sequence[Cell], names: Sequence[str]) -> Any:
    """Call `compute` once per row when any argument is a range; a single value otherwise."""
    try:
        columns = [_column(a) for a in args]
    except _Shape as error:
        return str(error)
    heights = {len(c) for c in columns if c is not None}
    if not heights:
        return compute(*args)
    if len(heights) > 1:
        sizes = ", ".join(f"{n} {len(c)}" for n, c in zip(names, columns) if c is not None)
        return f"ranges must have the same height ({sizes})"
    height = heights.pop()
    return [[compute(*(c[row] if c is not None else a for a, c in zip(args, columns)))] for row in range(height)]


# ------------------------------------------------------------------ values

def _number(value: Fraction) -> float:
    return float(value)


def _score(indicator: Indicator, names: Sequence[str], values: Sequence[Cell]):
    raw = dict(zip(names, values))
    body_type = raw.pop("body_type", None)
    if isinstance(body_type, str):
        body_type = body_type.strip().upper()
    try:
        return _number(score_inputs(METHODOLOGY, indicator.id, raw, body_type))
    except ScoreError as error:
        return "; ".join(str(p) for p in error.problems)


def _score_or_message(indicator: Indicator, score: Cell):
    try:
        return parse_score(indicator, score), None
    except ValueProblem as problem:
        return None, str(problem)


def _exact(name: str, value: Cell):
    if is_blank(value):
        return None, f"{name} is blank"
    if isinstance(value, bool):
        return None, f"{name} must be a number, got {value}"
    try:
        return to_fraction(value), None
    except NotANumber:
        return None, f"{name} must be a number, got {value!r}"


def _indicator(indicator_id: Cell) -> Indicator | str:
    try:
        return METHODOLOGY.indicator(str(indicator_id).strip())
    except KeyError as error:
        return str(error.args[0])


def _criterion(criterion_id: Cell):
    try:
        return METHODOLOGY.criterion(str(criterion_id).strip())
    except KeyError as error:
        return str(error.args[0])


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
    names = list(indicator.input_names) + (["body_type"] if indicator.needs_body_type else [])

    def udf(*args):
        return _vectorised(lambda *row: _score(indicator, names, row), args, names)

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
for _indicator_declared in METHODOLOGY.indicators:
    INDICATOR_FUNCTIONS[_indicator_declared.udf] = _make_indicator_function(_indicator_declared)
    globals()[_indicator_declared.udf] = INDICATOR_FUNCTIONS[_indicator_declared.udf]


# ------------------------------------------------------------------ general functions

@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc="indicator id, e.g. appk_review_timeliness")
@xw.arg("inputs", doc="the indicator's inputs in the methodology's order (body_type last where needed)", err_to_str=True)
def OPENNESS_SCORE(indicator_id, *inputs):
    """Score any indicator by its id from its inputs, in the methodology's order."""
    indicator = _indicator(indicator_id)
    if isinstance(indicator, str):
        return indicator
    function = INDICATOR_FUNCTIONS[indicator.udf]
    expected = list(inspect.signature(function).parameters)
    if len(inputs) != len(expected):
        return f"{indicator.id} takes {len(expected)} inputs ({', '.join(expected)}), got {len(inputs)}"
    return function(*inputs)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc="indicator id, e.g. appk_review_timeliness")
@xw.arg("score", doc="the indicator's score", err_to_str=True)
def OPENNESS_TIER(indicator_id, score):
    """Tier of an indicator score: высокий, средний, низкий or неэффективный (90/70/50 % of the maximum)."""
    indicator = _indicator(indicator_id)
    if isinstance(indicator, str):
        return indicator

    def one(value):
        exact, message = _score_or_message(indicator, value)
        return message or grading.tier(METHODOLOGY, indicator, exact)

    return _vectorised(one, [score], ["score"])


@xw.func(category=CATEGORY)
@xw.arg("criterion_id", doc="appk, open_government, feedback or internal_control")
@xw.arg("scores", doc="the criterion's indicator scores in methodology order (a penalty as a positive number)", err_to_str=True)
def OPENNESS_CRITERION(criterion_id, *scores):
    """Total of a criterion: the sum of its indicator scores, the penalty subtracted."""
    criterion = _criterion(criterion_id)
    if isinstance(criterion, str):
        return criterion
    if len(scores) != len(criterion.indicators):
        return f"{criterion.id} takes {len(criterion.indicators)} scores ({', '.join(criterion.indicators)}), got {len(scores)}"

    def one(*row):
        total = Fraction(0)
        for indicator_id, value in zip(criterion.indicators, row):
            indicator = METHODOLOGY.indicator(indicator_id)
            exact, message = _score_or_message(indicator, value)
            if message:
                return f"{indicator_id}: {message}"
            total += -exact if indicator.role == "penalty" else exact
        return _number(total)

    return _vectorised(one, scores, list(criterion.indicators))


@xw.func(category=CATEGORY)
@xw.arg("criterion_id", doc="appk, open_government, feedback or internal_control")
@xw.arg("total", doc="the criterion's total", err_to_str=True)
def OPENNESS_GRADE(criterion_id, total):
    """Letter of a criterion total: А, В or С."""
    criterion = _criterion(criterion_id)
    if isinstance(criterion, str):
        return criterion

    def one(value):
        exact, message = _exact("total", value)
        return message or grading.grade(criterion, exact)

    return _vectorised(one, [total], ["total"])


@xw.func(category=CATEGORY)
@xw.arg("appk", doc="criterion «Исполнение требований АППК»", err_to_str=True)
@xw.arg("open_government", doc="criterion «Открытое Правительство»", err_to_str=True)
@xw.arg("feedback", doc="criterion «Обратная связь с населением»", err_to_str=True)
@xw.arg("internal_control", doc="criterion «Внутренний контроль и самодисциплина»", err_to_str=True)
def OPENNESS_INDEX(appk, open_government, feedback, internal_control):
    """Openness Index: the sum of the four criteria (up to 100, plus the bonus)."""
    names = [c.id for c in METHODOLOGY.criteria]

    def one(*row):
        total = Fraction(0)
        for name, value in zip(names, row):
            exact, message = _exact(name, value)
            if message:
                return message
            total += exact
        return _number(total)

    return _vectorised(one, [appk, open_government, feedback, internal_control], names)


@xw.func(category=CATEGORY)
@xw.arg("index", doc="the Openness Index total", err_to_str=True)
def OPENNESS_RATING(index):
    """Rating of an index total: ААА, АА, А, ВВВ, ВВ, В or С."""
    def one(value):
        exact, message = _exact("index", value)
        return message or grading.rating(METHODOLOGY, exact)[0]

    return _vectorised(one, [index], ["index"])


@xw.func(category=CATEGORY)
@xw.arg("score", doc="the score to rank", err_to_str=True)
@xw.arg("scores", doc="all scores of the group (ЦГО or МИО), blanks ignored", err_to_str=True)
def OPENNESS_RANK(score, scores):
    """Rank of a score among scores, highest first; equal scores share a rank (1, 2, 2, 4)."""
    cells = [cell for row in (scores if isinstance(scores, (list, tuple)) else [[scores]])
             for cell in (row if isinstance(row, (list, tuple)) else [row])]
    group = []
    for cell in cells:
        if is_blank(cell):
            continue
        exact, message = _exact("scores", cell)
        if message:
            return message
        group.append(exact)

    def one(value):
        exact, message = _exact("score", value)
        return message or grading.rank_of(exact, group + ([] if exact in group else [exact]))

    return _vectorised(one, [score], ["score"])


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc="indicator or criterion id")
def OPENNESS_MAX(indicator_id):
    """Maximum score of an indicator or a criterion."""
    try:
        return _number(METHODOLOGY.indicator(str(indicator_id).strip()).maximum)
    except KeyError:
        criterion = _criterion(indicator_id)
        return criterion if isinstance(criterion, str) else _number(criterion.maximum)


@xw.func(category=CATEGORY)
@xw.arg("indicator_id", doc="indicator id, e.g. fb_satisfaction")
def OPENNESS_INFO(indicator_id):
    """Name, Excel function, maximum, inputs and provisional status of an indicator, as text."""
    indicator = _indicator(indicator_id)
    if isinstance(indicator, str):
        return indicator
    inputs = ", ".join(f"{s.name} ({s.unit})" for s in indicator.inputs)
    extra = ", body_type" if indicator.needs_body_type else ""
    status = "provisional" if indicator.provisional else "not provisional"
    return (f"{indicator.name_ru} / {indicator.name_en} | {indicator.udf} | max {plain(indicator.maximum)} | "
            f"inputs: {inputs}{extra} | {status} ({indicator.confidence})")


GENERAL_FUNCTIONS = {
    f.__name__: f for f in (OPENNESS_SCORE, OPENNESS_TIER, OPENNESS_CRITERION, OPENNESS_GRADE, OPENNESS_INDEX,
                            OPENNESS_RATING, OPENNESS_RANK, OPENNESS_MAX, OPENNESS_INFO)
}
__all__ = [*INDICATOR_FUNCTIONS, *GENERAL_FUNCTIONS]
