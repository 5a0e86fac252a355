"""Tiers of indicators, letters of criteria, ratings and ranks of the index.

All comparisons are exact: a score of exactly 70 % of the maximum is средний.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Iterable, Sequence

from .exact import to_fraction
from ..methodology import Criterion, Indicator, Methodology

def tier(methodology: Methodology, indicator: Indicator, score) -> str:
    """Tier of an indicator score: высокий / средний / низкий / неэффективный."""
    value = to_fraction(score)
    bands, fallback = methodology.tier_schemes[indicator.tier_scheme]
    for band in bands:
        if band.at_least_share is not None and value >= band.at_least_share * indicator.maximum:
            return band.tier
        if band.below is not None and value < band.below:
            return band.tier
        if band.at_most is not None and value <= band.at_most:
            return band.tier
    return fallback


def tier_edges(methodology: Methodology, indicator: Indicator) -> list[tuple[str, Fraction, str]]:
    """The tier boundaries of an indicator in points: (tier, edge, how the edge is compared)."""
    bands, _ = methodology.tier_schemes[indicator.tier_scheme]
    edges = []
    for band in bands:
        if band.at_least_share is not None:
            edges.append((band.tier, band.at_least_share * indicator.maximum, ">="))
        elif band.below is not None:
            edges.append((band.tier, band.below, "<"))
        else:
            edges.append((band.tier, band.at_most, "<="))
    return edges


def grade(criterion: Criterion, total) -> str:
    """Letter of a criterion total: А from grade_a_from, С below grade_c_below, else В."""
    best, middle, worst = criterion.grade_labels
    value = to_fraction(total)
    if value >= criterion.grade_a_from:
        return best
    if criterion.grade_c_below is not None and value < criterion.grade_c_below:
        return worst
    return middle


def criterion_bounds(methodology: Methodology, criterion: Criterion) -> tuple[Fraction, Fraction]:
    """The lowest and highest total a criterion can have: a penalty takes off up to its
    maximum, a bonus adds up to its maximum (so a total may exceed the criterion's maximum)."""
    low = high = Fraction(0)
    for indicator_id in criterion.indicators:
        indicator = methodology.indicator(indicator_id)
        if indicator.role == "penalty":
            low -= indicator.maximum
        else:
            high += indicator.maximum
    return low, high


def index_bounds(methodology: Methodology) -> tuple[Fraction, Fraction]:
    """The lowest and highest index a body can have."""
    pairs = [criterion_bounds(methodology, c) for c in methodology.criteria]
    return sum((p[0] for p in pairs), Fraction(0)), sum((p[1] for p in pairs), Fraction(0))


def rating(methodology: Methodology, index) -> tuple[str, bool]:
    """Rating of an index total (ААА … С) and whether that band is provisional."""
    value = to_fraction(index)
    for band in methodology.ratings:
        if band.lower is None or value >= band.lower:
            return band.rating, band.provisional
    raise AssertionError("the rating bands end with a fallback")


def competition_ranks(scores: Sequence) -> list[int | None]:
    """Ranks, highest first, equal scores sharing a rank (1, 2, 2, 4); None stays unranked."""
    exact = [None if s is None else to_fraction(s) for s in scores]
    present = [s for s in exact if s is not None]
    return [None if s is None else 1 + sum(1 for other in present if other > s) for s in exact]


def rank_of(score, scores: Iterable) -> int:
    """Competition rank of `score` among `scores` (which should include it)."""
    value = to_fraction(score)
    return 1 + sum(1 for other in scores if other is not None and to_fraction(other) > value)


