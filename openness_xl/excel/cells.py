"""Spreadsheet-cell semantics of the index functions, with no spreadsheet library.

What a cell formula gives for cell values: numbers arrive as floats (read to Excel's 15
digits), a blank (None) is missing — never zero, never a score — and any invalid value
gives a short message naming the argument, never a number. One-column ranges (2-D lists)
give a column of results. The Excel functions (`udfs/openness_udfs.py`) and the cached
values of the generated workbooks both come from here, so they cannot disagree.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

from ..core import grading
from ..core.exact import NotANumber, plain, to_fraction
from ..methodology import Indicator, Methodology
from ..core.scoring import ScoreError, parse_for_scoring, score_inputs
from ..texts import count, decimal, language, term, text
from ..core.values import (EXCEL_ERRORS, WARNING, InputProblem, fraction_warning, invalid_message, is_not_submitted,
                           missing_message, parse_score, score_allowed, shown)

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
        raise _Shape(text("value.range.single_column"))
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
        return text("value.range.same_height", sizes=sizes)
    height = heights.pop()
    return [[compute(*(c[row] if c is not None else a for a, c in zip(args, columns)))] for row in range(height)]


# ------------------------------------------------------------------ values

def _number(value: Fraction) -> float:
    return float(value)


def _score(methodology: Methodology, indicator: Indicator, names: Sequence[str], values: Sequence[Cell]):
    raw = dict(zip(names, values))
    body_type = raw.pop("body_type", None)
    try:
        return _number(score_inputs(methodology, indicator.id, raw, body_type, text_is_number=False))
    except ScoreError as error:
        return "; ".join(str(p) for p in error.problems)


def problems_cell(methodology: Methodology, indicator: Indicator, *args: Cell,
                  names: Mapping[str, str] | None = None) -> str:
    """What is wrong with one row of an indicator's input cells ("" when it can be scored);
    the problems an indicator's formula reports before it scores (`names`: a sheet's names of
    the cells, `values.cell_name`, instead of the argument names)."""
    raw = dict(zip(argument_names(indicator), args))
    body_type = raw.pop("body_type", None)
    _values, _code, problems = parse_for_scoring(methodology, indicator, raw, body_type, text_is_number=False, names=names)
    return "; ".join(str(p) for p in problems)


def check_cell(methodology: Methodology, indicator: Indicator, direct: Cell, *args: Cell,
               where: tuple[str, str] = ("", ""), names: Mapping[str, str] | None = None) -> str:
    """What is wrong with a body's entry for one indicator ("" when it can be scored): a score
    given directly and inputs too (`where` names the two places, as the refusal of the input
    readers does), a direct score that is no score of the indicator, or, when no score is given
    directly, the inputs' problems. `names` as in problems_cell, "score" naming the direct score."""
    names = names or {}
    arguments = argument_names(indicator)
    inputs = [value for name, value in zip(arguments, args) if name != "body_type"]
    if is_not_submitted(direct):
        problems = problems_cell(methodology, indicator, *args, names=names)
        raw = dict(zip(arguments, args))
        warnings = [fraction_warning(spec, raw[spec.name], names.get(spec.name)) for spec in indicator.inputs]
        return "; ".join([p for p in [problems] + warnings if p])
    if any(not is_not_submitted(v) for v in inputs):
        return text("value.score_and_inputs", direct=where[0], inputs=where[1])
    try:
        parse_score(indicator, direct, text_is_number=False, name=names.get("score"))
    except InputProblem as problem:
        return str(problem)
    return ""


def direct_cell(methodology: Methodology, indicator: Indicator, direct: Cell, *args: Cell,
                where: tuple[str, str] = ("", ""), names: Mapping[str, str] | None = None):
    """The score of a body's entry for one indicator (the direct score, or the score of the
    inputs), or what check_cell says is wrong with it."""
    problem = check_cell(methodology, indicator, direct, *args, where=where, names=names)
    if problem and not problem.startswith(WARNING):
        return problem
    return checked_score(methodology, indicator, direct, *args)


def checked_score(methodology: Methodology, indicator: Indicator, direct: Cell, *args: Cell):
    """The score of an entry `check_cell` has passed: the direct score, else the inputs' score."""
    if is_not_submitted(direct):
        return indicator_cell(methodology, indicator, *args)
    return _number(to_fraction(direct))


def checked_number(name: str, allowed: str, low: Fraction | None, high: Fraction | None, value: Cell):
    """(exact number, None), or (None, message) for a cell that should hold a number.

    Text that is not an error value is a message from the cell the value came from and is
    passed on unchanged, so a chain of formulas shows the innermost cause only once."""
    if is_not_submitted(value):
        return None, missing_message(name, allowed)
    if isinstance(value, str) and value not in EXCEL_ERRORS:
        return None, value
    if isinstance(value, (bool, str)):
        return None, invalid_message(name, allowed, shown(value))
    try:
        exact = to_fraction(value)
    except NotANumber:
        return None, invalid_message(name, allowed, shown(value))
    if (low is not None and exact < low) or (high is not None and exact > high):
        return None, invalid_message(name, allowed, shown(value))
    return exact, None


def bounds_allowed(low: Fraction, high: Fraction) -> str:
    return text("value.number_range", low=decimal(plain(low)), high=decimal(plain(high)))


def key_text(raw: Cell) -> str:
    """An id typed into a cell as the formulas read it: text trimmed, numbers as shown."""
    return raw.strip() if isinstance(raw, str) else ("" if raw is None else shown(raw))


def unknown_message(kind: str, key: str, known: Sequence[str]) -> str:
    """«unknown indicator 'x'; known: …» (`kind` is indicator or criterion)."""
    return text("value.unknown", what=text(f"value.what.{kind}"), id=key, known=", ".join(known))


def _indicator(methodology: Methodology, indicator_id: Cell) -> Indicator | str:
    key = key_text(indicator_id)
    try:
        return methodology.indicator(key.lower())  # a formula compares ids without case
    except KeyError:
        return unknown_message("indicator", key, [i.id for i in methodology.indicators])


def _criterion(methodology: Methodology, criterion_id: Cell):
    key = key_text(criterion_id)
    try:
        return methodology.criterion(key.lower())
    except KeyError:
        return unknown_message("criterion", key, [c.id for c in methodology.criteria])


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


def target_cell(methodology: Methodology, indicator_id: Cell, input_name: Cell, goal: Cell, *inputs: Cell):
    """The value of one input that reaches a target score, the others unchanged."""
    from ..core.targets import target

    indicator = _indicator(methodology, indicator_id)
    if isinstance(indicator, str):
        return indicator
    name = key_text(input_name)
    if name not in indicator.input_names:
        return unknown_message("input", name, list(indicator.input_names))
    names = argument_names(indicator)
    if len(inputs) != len(names):
        return text("value.takes", what=indicator.id, expected=count(len(names), "argument"), names=", ".join(names),
                    got=len(inputs))

    def one(wanted, *row):
        exact_goal, message = checked_number("target_score", score_allowed(indicator), Fraction(0), indicator.maximum,
                                             wanted)
        if message:
            return message
        raw = dict(zip(names, row))
        body_type = raw.pop("body_type", None)
        values, code, problems = parse_for_scoring(methodology, indicator, raw, body_type, text_is_number=False)
        if problems:
            return "; ".join(str(p) for p in problems)
        try:
            found = target(methodology, indicator, values, name, exact_goal, code)
        except ScoreError as error:
            return "; ".join(str(p) for p in error.problems)
        return _number(found.value) if found.value is not None else str(found)

    return _vectorised(one, [goal, *inputs], ["target_score", *names])


def tier_cell(methodology: Methodology, indicator_id: Cell, score: Cell):
    """The tier of a score; a message for a score outside 0…maximum; a message passed on."""
    indicator = _indicator(methodology, indicator_id)
    if isinstance(indicator, str):
        return indicator

    def one(value):
        exact, message = checked_number("score", score_allowed(indicator), Fraction(0), indicator.maximum, value)
        return message or methodology.tier_label(grading.tier(methodology, indicator, exact))

    return _vectorised(one, [score], ["score"])


def criterion_cell(methodology: Methodology, criterion_id: Cell, *scores: Cell):
    """A criterion total; the first indicator without a valid score is named instead."""
    criterion = _criterion(methodology, criterion_id)
    if isinstance(criterion, str):
        return criterion
    if len(scores) != len(criterion.indicators):
        return text("value.takes", what=criterion.id, expected=count(len(criterion.indicators), "score"),
                    names=", ".join(criterion.indicators), got=len(scores))

    def one(*row):
        total = Fraction(0)
        for indicator_id, value in zip(criterion.indicators, row):
            indicator = methodology.indicator(indicator_id)
            exact, message = checked_number("score", score_allowed(indicator), Fraction(0), indicator.maximum, value)
            if message:
                return f"{indicator_id}: {message}"
            total += -exact if indicator.role == "penalty" else exact
        return _number(total)

    return _vectorised(one, scores, list(criterion.indicators))


def grade_cell(methodology: Methodology, criterion_id: Cell, total: Cell):
    """The letter of a criterion total; a message for a total the criterion cannot have."""
    criterion = _criterion(methodology, criterion_id)
    if isinstance(criterion, str):
        return criterion
    low, high = grading.criterion_bounds(methodology, criterion)

    def one(value):
        exact, message = checked_number("total", bounds_allowed(low, high), low, high, value)
        return message or grading.grade(criterion, exact)

    return _vectorised(one, [total], ["total"])


def index_cell(methodology: Methodology, *criteria: Cell):
    """The index: the sum of the four criteria; a criterion's message is passed on."""
    names = [c.id for c in methodology.criteria]
    if len(criteria) != len(names):
        return text("value.takes", what=text("value.what.index"), expected=count(len(names), "criterion"),
                    names=", ".join(names), got=len(criteria))

    def one(*row):
        total = Fraction(0)
        for criterion, value in zip(methodology.criteria, row):
            low, high = grading.criterion_bounds(methodology, criterion)
            exact, message = checked_number(criterion.id, bounds_allowed(low, high), low, high, value)
            if message:
                return message
            total += exact
        return _number(total)

    return _vectorised(one, criteria, names)


def rating_cell(methodology: Methodology, index: Cell):
    """The rating of an index total; a message for a total the index cannot have."""
    low, high = grading.index_bounds(methodology)

    def one(value):
        exact, message = checked_number("index", bounds_allowed(low, high), low, high, value)
        return message or grading.rating(methodology, exact)[0]

    return _vectorised(one, [index], ["index"])


def rank_cell(score: Cell, scores: Cell):
    """Rank among the numbers of `scores` (text, blanks and messages in the group are ignored)."""
    cells = [cell for row in (scores if isinstance(scores, (list, tuple)) else [[scores]])
             for cell in (row if isinstance(row, (list, tuple)) else [row])]
    group = []
    for cell in cells:
        if isinstance(cell, (int, float, Fraction)) and not isinstance(cell, bool):
            try:
                group.append(to_fraction(cell))
            except NotANumber:
                continue

    def one(value):
        exact, message = checked_number("score", text("value.any_number"), None, None, value)
        return message or grading.rank_of(exact, group + ([] if exact in group else [exact]))

    return _vectorised(one, [score], ["score"])


def rank_cells(indices: Sequence[Cell], label: str) -> list:
    """The rank column of one group whose type is written `label`: a body's rank among the
    group's indices where every one is a number; else the index's message passed on, or for a
    body with an index, how many of the group have none (a place among part of a group would
    shift with the rest)."""
    numbers = [isinstance(v, (int, float)) and not isinstance(v, bool) for v in indices]
    if all(numbers):
        return [row[0] for row in rank_cell([[v] for v in indices], [[v] for v in indices])]
    incomplete = text("value.no_rank", type=label, count=numbers.count(False))
    return [incomplete if is_number else value for value, is_number in zip(indices, numbers)]


def max_cell(methodology: Methodology, item_id: Cell):
    """The maximum of an indicator, a criterion or the index."""
    key = key_text(item_id)
    if key == "index":
        return _number(sum((c.maximum for c in methodology.criteria), Fraction(0)))
    try:
        return _number(methodology.indicator(key).maximum)
    except KeyError:
        criterion = _criterion(methodology, item_id)
        return criterion if isinstance(criterion, str) else _number(criterion.maximum)


def info_cell(methodology: Methodology, indicator_id: Cell):
    indicator = _indicator(methodology, indicator_id)
    if isinstance(indicator, str):
        return indicator
    inputs = ", ".join(f"{s.name} ({term('unit', s.unit, kind='files')})" for s in indicator.inputs)
    extra = ", body_type" if indicator.needs_body_type else ""
    name = f"{indicator.name_ru} / {indicator.name_en}" if language("files") == "en" else indicator.text("name")
    if language("files") == "kk" and methodology.name_kk_status:
        name += f" ({term('name_status', methodology.name_kk_status, kind='files')})"  # not official yet
    return text("excel.info.line", name=name, udf=indicator.udf, maximum=decimal(plain(indicator.maximum)), inputs=inputs,
                extra=extra, status=text("excel.info.provisional" if indicator.provisional else "excel.info.stated"),
                confidence=term("doc.confidence", indicator.confidence, kind="files"))
