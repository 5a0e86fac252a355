"""Spreadsheet-cell semantics of the index functions, with no spreadsheet library.

What a cell formula gives for cell values: numbers arrive as floats (read to Excel's 15
digits), a blank (None) is missing — never zero, never a score — and any invalid value
gives a short message naming the argument, never a number. One-column ranges (2-D lists)
give a column of results. The Excel functions (`udfs/openness_udfs.py`) and the cached
values of the generated workbooks both come from here, so they cannot disagree.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Sequence

from . import grading
from .exact import NotANumber, plain, to_fraction
from .methodology import Indicator, Methodology
from .scoring import ScoreError, score_inputs
from .values import ValueProblem, is_blank, parse_score

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


def _score(methodology: Methodology, indicator: Indicator, names: Sequence[str], values: Sequence[Cell]):
    raw = dict(zip(names, values))
    body_type = raw.pop("body_type", None)
    if isinstance(body_type, str):
        body_type = body_type.strip().upper()
    try:
        return _number(score_inputs(methodology, indicator.id, raw, body_type))
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


def _indicator(methodology: Methodology, indicator_id: Cell) -> Indicator | str:
    try:
        return methodology.indicator(str(indicator_id).strip())
    except KeyError as error:
        return str(error.args[0])


def _criterion(methodology: Methodology, criterion_id: Cell):
    try:
        return methodology.criterion(str(criterion_id).strip())
    except KeyError as error:
        return str(error.args[0])



def argument_names(indicator: Indicator) -> list[str]:
    """The arguments of an indicator's function: its inputs, then body_type where the steps differ."""
    return list(indicator.input_names) + (["body_type"] if indicator.needs_body_type else [])


def indicator_cell(methodology: Methodology, indicator: Indicator, *args: Cell):
    """The score of one indicator from its inputs (single cells or one-column ranges)."""
    names = argument_names(indicator)
    if len(args) != len(names):
        return f"{indicator.id} takes {len(names)} inputs ({', '.join(names)}), got {len(args)}"
    return _vectorised(lambda *row: _score(methodology, indicator, names, row), args, names)


def score_cell(methodology: Methodology, indicator_id: Cell, *inputs: Cell):
    """Any indicator by id."""
    indicator = _indicator(methodology, indicator_id)
    if isinstance(indicator, str):
        return indicator
    return indicator_cell(methodology, indicator, *inputs)


def tier_cell(methodology: Methodology, indicator_id: Cell, score: Cell):
    indicator = _indicator(methodology, indicator_id)
    if isinstance(indicator, str):
        return indicator

    def one(value):
        exact, message = _score_or_message(indicator, value)
        return message or grading.tier(methodology, indicator, exact)

    return _vectorised(one, [score], ["score"])


def criterion_cell(methodology: Methodology, criterion_id: Cell, *scores: Cell):
    criterion = _criterion(methodology, criterion_id)
    if isinstance(criterion, str):
        return criterion
    if len(scores) != len(criterion.indicators):
        return f"{criterion.id} takes {len(criterion.indicators)} scores ({', '.join(criterion.indicators)}), got {len(scores)}"

    def one(*row):
        total = Fraction(0)
        for indicator_id, value in zip(criterion.indicators, row):
            indicator = methodology.indicator(indicator_id)
            exact, message = _score_or_message(indicator, value)
            if message:
                return f"{indicator_id}: {message}"
            total += -exact if indicator.role == "penalty" else exact
        return _number(total)

    return _vectorised(one, scores, list(criterion.indicators))


def grade_cell(methodology: Methodology, criterion_id: Cell, total: Cell):
    criterion = _criterion(methodology, criterion_id)
    if isinstance(criterion, str):
        return criterion

    def one(value):
        exact, message = _exact("total", value)
        return message or grading.grade(criterion, exact)

    return _vectorised(one, [total], ["total"])


def index_cell(methodology: Methodology, *criteria: Cell):
    names = [c.id for c in methodology.criteria]
    if len(criteria) != len(names):
        return f"the index takes {len(names)} criteria ({', '.join(names)}), got {len(criteria)}"

    def one(*row):
        total = Fraction(0)
        for name, value in zip(names, row):
            exact, message = _exact(name, value)
            if message:
                return message
            total += exact
        return _number(total)

    return _vectorised(one, criteria, names)


def rating_cell(methodology: Methodology, index: Cell):
    def one(value):
        exact, message = _exact("index", value)
        return message or grading.rating(methodology, exact)[0]

    return _vectorised(one, [index], ["index"])


def rank_cell(score: Cell, scores: Cell):
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


def max_cell(methodology: Methodology, item_id: Cell):
    try:
        return _number(methodology.indicator(str(item_id).strip()).maximum)
    except KeyError:
        criterion = _criterion(methodology, item_id)
        return criterion if isinstance(criterion, str) else _number(criterion.maximum)


def info_cell(methodology: Methodology, indicator_id: Cell):
    indicator = _indicator(methodology, indicator_id)
    if isinstance(indicator, str):
        return indicator
    inputs = ", ".join(f"{s.name} ({s.unit})" for s in indicator.inputs)
    extra = ", body_type" if indicator.needs_body_type else ""
    status = "provisional" if indicator.provisional else "not provisional"
    return (f"{indicator.name_ru} / {indicator.name_en} | {indicator.udf} | max {plain(indicator.maximum)} | "
            f"inputs: {inputs}{extra} | {status} ({indicator.confidence})")
