"""Scoring: indicator scores from inputs, criteria, the index, ratings and ranks.

Indicators are computed exactly and rounded once (Excel's ROUND, `exact.round_half_away`),
except where the kind rounds itself (open data). Criteria and the index are plain sums.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

from . import grading
from .exact import round_half_away
from .kinds import Context, InputProblem
from ..methodology import Criterion, Indicator, Methodology
from .values import invalid_message, is_not_submitted, missing_message, parse_inputs, shown

RAW, DIRECT = "raw", "direct"


class ScoreError(ValueError):
    """Inputs that cannot be scored; `problems` holds one InputProblem per input at fault."""

    def __init__(self, indicator: Indicator, problems: Sequence[InputProblem]):
        self.indicator = indicator
        self.problems = list(problems)
        super().__init__(f"{indicator.id}: " + "; ".join(str(p) for p in problems))


def compute(methodology: Methodology, indicator: Indicator, values: Mapping[str, Fraction], body_type: str | None = None) -> Fraction:
    """The score of already-validated exact inputs, rounded as the methodology rounds."""
    context = Context(indicator.maximum, body_type, methodology.decimals)
    try:
        exact = indicator.kind.score(indicator.params, values, context)
    except InputProblem as problem:
        raise ScoreError(indicator, [InputProblem(problem.field, str(problem))]) from None
    return exact if indicator.kind.rounds_itself else round_half_away(exact, methodology.decimals)


def score_inputs(methodology: Methodology, indicator_id: str, raw: Mapping[str, Any], body_type: Any = None,
                 text_is_number: bool = True) -> Fraction:
    """Parse raw inputs (numbers or text) for one indicator and score them; ScoreError lists every problem.
    `body_type` may be a code (CGO) or a label (ЦГО) in any case."""
    indicator = methodology.indicator(indicator_id)
    values, code, problems = parse_for_scoring(methodology, indicator, raw, body_type, text_is_number)
    if problems:
        raise ScoreError(indicator, problems)
    return compute(methodology, indicator, values, code)


def parse_for_scoring(methodology: Methodology, indicator: Indicator, raw: Mapping[str, Any], body_type: Any = None,
                      text_is_number: bool = True,
                      names: Mapping[str, str] | None = None) -> tuple[dict[str, Fraction], str | None, list[InputProblem]]:
    """The exact inputs, the body type code, and every problem with them, in the order a
    message lists them: each input in turn, then relations between them, then the body type
    (`names`: a sheet's names of the cells, `values.cell_name`, instead of the ids)."""
    values, problems = parse_inputs(indicator, raw, text_is_number, names)
    code = methodology.body_type_code(body_type)
    if indicator.needs_body_type and code is None:
        problems.append(body_type_problem(methodology, body_type, (names or {}).get("body_type", "body_type")))
    return values, code, problems


def body_type_problem(methodology: Methodology, raw: Any, name: str = "body_type") -> InputProblem:
    """The problem with a body type that is not one of the methodology's."""
    if is_not_submitted(raw):
        return InputProblem("body_type", missing_message(name, methodology.body_type_allowed))
    return InputProblem("body_type", invalid_message(name, methodology.body_type_allowed, shown(raw)))


@dataclass(frozen=True)
class Entry:
    """What was submitted for one indicator of one body: raw inputs or a direct score."""

    source: str  # RAW or DIRECT
    values: Mapping[str, Fraction] = field(default_factory=dict)
    score: Fraction | None = None


@dataclass(frozen=True)
class IndicatorResult:
    indicator_id: str
    score: Fraction | None
    tier: str | None
    source: str | None
    provisional: bool


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: str
    score: Fraction | None
    grade: str | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class BodyResult:
    body: str
    body_type: str
    indicators: Mapping[str, IndicatorResult]
    criteria: Mapping[str, CriterionResult]
    index: Fraction | None
    rating: str | None
    rating_provisional: bool
    rank: int | None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(i for i, r in self.indicators.items() if r.score is None)

    @property
    def provisional(self) -> bool:
        """True when a provisional formula produced a score, or the rating band is provisional."""
        return self.rating_provisional or any(r.provisional for r in self.indicators.values())

    @property
    def direct(self) -> bool:
        return any(r.source == DIRECT for r in self.indicators.values())


def entry_score(methodology: Methodology, indicator: Indicator, entry: Entry, body_type: str) -> Fraction:
    if entry.source == DIRECT:
        return entry.score
    return compute(methodology, indicator, entry.values, body_type)


def criterion_total(criterion: Criterion, methodology: Methodology, scores: Mapping[str, Fraction | None]) -> tuple[Fraction | None, tuple[str, ...]]:
    """The plain sum of a criterion's indicators (penalties subtracted) and the ids that are missing."""
    missing = tuple(i for i in criterion.indicators if scores.get(i) is None)
    if missing:
        return None, missing
    total = Fraction(0)
    for indicator_id in criterion.indicators:
        sign = -1 if methodology.indicator(indicator_id).role == "penalty" else 1
        total += sign * scores[indicator_id]
    return total, ()


def score_body(methodology: Methodology, body: str, body_type: str, entries: Mapping[str, Entry]) -> BodyResult:
    """One body's indicators, criteria, index and rating, with no place yet (`ranked` gives it)."""
    indicators: dict[str, IndicatorResult] = {}
    for indicator in methodology.indicators:
        entry = entries.get(indicator.id)
        if entry is None:
            indicators[indicator.id] = IndicatorResult(indicator.id, None, None, None, False)
            continue
        score = entry_score(methodology, indicator, entry, body_type)
        indicators[indicator.id] = IndicatorResult(
            indicator.id,
            score,
            grading.tier(methodology, indicator, score),
            entry.source,
            indicator.provisional and entry.source == RAW,
        )
    scores = {i: r.score for i, r in indicators.items()}
    criteria = {}
    for criterion in methodology.criteria:
        total, missing = criterion_total(criterion, methodology, scores)
        criteria[criterion.id] = CriterionResult(
            criterion.id, total, None if total is None else grading.grade(criterion, total), missing
        )
    totals = [c.score for c in criteria.values()]
    index = None if any(t is None for t in totals) else sum(totals, Fraction(0))
    label, provisional = grading.rating(methodology, index) if index is not None else (None, False)
    return BodyResult(body, body_type, indicators, criteria, index, label, provisional, None)


def ranked(methodology: Methodology, results: Sequence[BodyResult], assessed: Iterable | None = None) -> list[BodyResult]:
    """The results in their order, each with its place within its body type.

    A place is given only within a complete group: where any body of a type has no index — a
    body submitted without one, or one of the `assessed` bodies (with .code and .type, such as
    the year's registry) not submitted at all — no body of that type gets a place, since it
    would shift with the missing ones (`unranked` names them). A body of a type the
    methodology does not rank is left out."""
    incomplete = set(unranked(partial_types(results), assessed))
    places: dict[str, int | None] = {}
    for body_type in methodology.body_types:
        group = [r for r in results if r.body_type == body_type]
        ranks = grading.competition_ranks([None if body_type in incomplete else r.index for r in group])
        places.update((r.body, rank) for r, rank in zip(group, ranks))
    return [replace(r, rank=places[r.body]) for r in results if r.body in places]


def evaluate(methodology: Methodology, submissions: Sequence[tuple[str, str, Mapping[str, Entry]]],
             assessed: Iterable | None = None) -> list[BodyResult]:
    """Score every body: (code, body type, entries by indicator id) → results in the
    submissions' order, ranked within body type (see `ranked`)."""
    return ranked(methodology, [score_body(methodology, body, body_type, entries)
                                for body, body_type, entries in submissions], assessed)


def partial_types(results: Iterable[BodyResult]) -> list[tuple[str, str, bool]]:
    """(code, type, has an index) of each result."""
    return [(r.body, r.body_type, r.index is not None) for r in results]


def unranked(scored: Sequence[tuple[str, str, bool]], assessed: Iterable | None = None) -> dict[str, list[str]]:
    """{body type: codes of the bodies without an index} for every type whose group gets no
    place: (code, type, has an index) of the scored bodies, and the `assessed` bodies when given."""
    missing: dict[str, list[str]] = {}
    for code, body_type, has_index in scored:
        if not has_index:
            missing.setdefault(body_type, []).append(code)
    given = {code for code, _type, _index in scored}
    for body in assessed or ():
        if body.code not in given:
            missing.setdefault(body.type, []).append(body.code)
    return missing
