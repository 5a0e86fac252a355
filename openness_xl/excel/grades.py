"""Tiers, letters and ratings as native Excel IF chains and named LAMBDAs, criterion and index
sums, and ranks: the report's and the template's one compiler of the grading rules, an edge
written as a literal or as a cell of «Методика» (`Edge`)."""
from __future__ import annotations

from fractions import Fraction
from typing import Callable, Mapping, Sequence

from ..core import formula_text as ft
from ..core import grading
from ..core.values import invalid_message, missing_message, score_range
from ..methodology import Criterion, Indicator, Methodology
from ..texts import text
from .cells import bounds_allowed, unknown_message
from .native import (HOLE, KEY, MAXIMUM, VALUE, error_name, fill, indicator_lambda, not_submitted, param, quoted,
                     shown_other)

# Criterion totals and the index are sums of scores with at most a few decimals; rounding
# the sum at 10 places removes the binary noise of the addition and nothing else.
SUM_DECIMALS = 10


# How a chain writes an edge of the methodology: by default as its exact decimal; the report
# workbook refers to the cell of «Методика» that holds it instead, `edge(position, value)`.
Edge = Callable[[int, Fraction], str]


def _literal(_position: int, value: Fraction) -> str:
    return ft.number(value)


def tier_chain(methodology: Methodology, indicator: Indicator, score: str, edge: Edge = _literal) -> str:
    """The tier of a valid score, comparing with the edges in order (position 0 the highest)."""
    edges = grading.tier_edges(methodology, indicator)
    _, fallback = methodology.tier_schemes[indicator.tier_scheme]
    expression = ft.text(methodology.tier_label(fallback))
    for position, (tier, value, operator) in reversed(list(enumerate(edges))):
        expression = ft.if_(f"{score}{operator}{edge(position, value)}", ft.text(methodology.tier_label(tier)), expression)
    return expression


def grade_chain(criterion: Criterion, total: str, edge: Edge = _literal) -> str:
    """The letter of a valid total: position 0 is the edge of the best letter, 1 the one below
    which the worst begins (where the criterion has it)."""
    best, middle, worst = criterion.grade_labels
    inner = ft.text(middle)
    if criterion.grade_c_below is not None:
        inner = ft.if_(f"{total}<{edge(1, criterion.grade_c_below)}", ft.text(worst), inner)
    return ft.if_(f"{total}>={edge(0, criterion.grade_a_from)}", ft.text(best), inner)


def rating_chain(methodology: Methodology, index: str, edge: Edge = _literal) -> str:
    """The rating of a valid index; a band's position is its place in `methodology.ratings`."""
    expression = None
    for position, band in reversed(list(enumerate(methodology.ratings))):
        if band.lower is None:
            expression = ft.text(band.rating)
        else:
            expression = ft.if_(f"{index}>={edge(position, band.lower)}", ft.text(band.rating), expression)
    return expression


def passed_on(value: str, then: str) -> str:
    """`then` for a number; a message from the cell before is passed on unchanged."""
    return ft.if_(f"ISNUMBER({value})", then, value)


def checked_number(x: str, then: str, name: str, allowed: str, low: str | None, high: str | None) -> str:
    """`then` for a number within [low, high]; the sentence of `cells.checked_number` otherwise;
    text that is not an error (a message from another cell) is passed on unchanged.
    `allowed` is an Excel text expression; `low` and `high` are Excel expressions."""
    invalid = lambda shown: fill(invalid_message(name, HOLE, HOLE), allowed, shown)  # noqa: E731
    outside = [c for c in ((low is not None and f"{x}<{low}"), (high is not None and f"{x}>{high}")) if c]
    number = ft.if_(ft.any_of(outside), invalid(x), then) if outside else then
    return ft.if_(f"ISERROR({x})", invalid(quoted(error_name(x))),
                  ft.if_(not_submitted(x), fill(missing_message(name, HOLE), allowed),
                         ft.if_(f"ISNUMBER({x})", number,
                                ft.if_(f"ISLOGICAL({x})", invalid(shown_other(x)), x))))


def _key(x: str) -> str:
    return ft.if_(f"ISERROR({x})", error_name(x), f"TRIM({x})")


def _by_key(key: str, groups: list[tuple[list[str], str]], unknown: str) -> str:
    expression = unknown
    for ids, then in reversed(groups):
        expression = ft.if_(ft.any_of([f"{key}={ft.text(i)}" for i in ids]), then, expression)
    return expression


def tier_lambda(methodology: Methodology) -> str:
    """OPENNESS_TIER(indicator_id, score). The id picks the maximum once; indicators with the
    same maximum and tier scheme share one chain of exact edges."""
    key, value, maximum = param(KEY), param(VALUE), param(MAXIMUM)
    by_maximum: dict[Fraction, list[str]] = {}
    by_scheme: dict[tuple, list[Indicator]] = {}
    for indicator in methodology.indicators:
        by_maximum.setdefault(indicator.maximum, []).append(indicator.id)
        by_scheme.setdefault((indicator.maximum, indicator.tier_scheme), []).append(indicator)
    maximum_of = _by_key(key, [(ids, ft.number(m)) for m, ids in by_maximum.items()], "-1")
    tiers = _by_key(key, [([i.id for i in members], tier_chain(methodology, members[0], value))
                          for members in by_scheme.values()], '""')
    unknown = fill(unknown_message("indicator", HOLE, [i.id for i in methodology.indicators]), key)
    allowed = fill(score_range(HOLE), maximum)
    checked = checked_number(value, tiers, "score", allowed, "0", maximum)
    return (f"=_xlfn.LAMBDA({param('indicator_id')},{param('score')},"
            f"_xlfn.LET({key},{_key(param('indicator_id'))},{value},{param('score')},{maximum},{maximum_of},"
            f"IF({maximum}<0,{unknown},{checked})))")


def grade_lambda(methodology: Methodology) -> str:
    """OPENNESS_GRADE(criterion_id, total)."""
    key, value = param(KEY), param(VALUE)
    branches = []
    for criterion in methodology.criteria:
        low, high = grading.criterion_bounds(methodology, criterion)
        branches.append(([criterion.id], checked_number(value, grade_chain(criterion, value), "total",
                                                        ft.text(bounds_allowed(low, high)), ft.number(low), ft.number(high))))
    unknown = fill(unknown_message("criterion", HOLE, [c.id for c in methodology.criteria]), key)
    body = _by_key(key, branches, unknown)
    return (f"=_xlfn.LAMBDA({param('criterion_id')},{param('total')},"
            f"_xlfn.LET({key},{_key(param('criterion_id'))},{value},{param('total')},{body}))")


def rating_lambda(methodology: Methodology) -> str:
    """OPENNESS_RATING(index)."""
    low, high = grading.index_bounds(methodology)
    x = param("index")
    checked = checked_number(x, rating_chain(methodology, x), "index", ft.text(bounds_allowed(low, high)),
                             ft.number(low), ft.number(high))
    return f"=_xlfn.LAMBDA({x},{checked})"


def lambdas(methodology: Methodology) -> dict[str, str]:
    """Every named LAMBDA function: the 20 indicators, then OPENNESS_TIER, _GRADE and _RATING."""
    names = {i.udf: indicator_lambda(methodology, i) for i in methodology.indicators}
    names["OPENNESS_TIER"] = tier_lambda(methodology)
    names["OPENNESS_GRADE"] = grade_lambda(methodology)
    names["OPENNESS_RATING"] = rating_lambda(methodology)
    return names


# ------------------------------------------------------------------ sums and ranks

def criterion_sum(methodology: Methodology, criterion: Criterion, scores: Mapping[str, str]) -> str:
    """The criterion total of score cells that hold numbers: a penalty subtracted, the sum rounded."""
    terms = ""
    for indicator_id in criterion.indicators:
        sign = "-" if methodology.indicator(indicator_id).role == "penalty" else "+"
        terms += f"{sign}{scores[indicator_id]}"
    return f"ROUND({terms.lstrip('+')},{SUM_DECIMALS})"


def index_sum(totals: Sequence[str]) -> str:
    """The index of criterion totals that hold numbers."""
    return f"ROUND({'+'.join(totals)},{SUM_DECIMALS})"


def criterion_formula(methodology: Methodology, criterion: Criterion, scores: Mapping[str, str]) -> str:
    """The criterion total over score cells that hold a number or a message; the first
    message is passed on, prefixed with its indicator, as `cells.criterion_cell` does."""
    expression = criterion_sum(methodology, criterion, scores)
    for indicator_id in reversed(criterion.indicators):
        score = scores[indicator_id]
        expression = ft.if_(f"ISNUMBER({score})", expression, f"{ft.text(indicator_id + ': ')}&{score}")
    return expression


def index_formula(totals: Sequence[str]) -> str:
    expression = index_sum(totals)
    for total in reversed(totals):
        expression = passed_on(total, expression)
    return expression


def rank_parts(index: str, indices: str, body_type: str, body_types: str) -> tuple[str, str]:
    """(how many bodies of the row's type have no index, the row's place among those that
    have one): a place is given only when the first is 0 (`scoring.evaluate`), since a place
    among part of a group would shift with the rest."""
    without = f"SUMPRODUCT(({body_types}={body_type})*(1-ISNUMBER({indices})))"
    rank = f"1+SUMPRODUCT(({body_types}={body_type})*ISNUMBER({indices})*({indices}>{index}))"
    return without, rank


def rank_formula(index: str, indices: str, body_type: str, body_types: str) -> str:
    """Rank among the bodies of the same type, given only when every one of them has an index
    (`cells.rank_cells`): else the sentence that says how many have none."""
    without, rank = rank_parts(index, indices, body_type, body_types)
    incomplete = fill(text("value.no_rank", type=HOLE, count=HOLE), body_type, without)
    return passed_on(index, ft.if_(f"{without}>0", incomplete, rank))
