"""Properties of every indicator, derived from the methodology: caps, floors, direction, tiers.

Nothing here names an indicator: each test runs over the whole registry, so a new
indicator in the methodology file is covered the moment it is declared.
"""
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from openness_xl.core import grading
from openness_xl.core.exact import to_decimal
from openness_xl.methodology import load
from openness_xl.core.scoring import ScoreError, compute
from openness_xl.core.values import check_relations
from tests.strategies import inputs_for
from tests.bundled import METHODOLOGY

INDICATORS = METHODOLOGY.indicators
IDS = [i.id for i in INDICATORS]
# Every other reading the methodology declares for robustness is a formula too: the same
# caps, floors, directions and band edges hold for it.
READINGS = [indicator.with_changes(option.changes) for indicator in INDICATORS for u in indicator.uncertainties
            for number, option in enumerate(u.options) if number != u.declared]
READING_IDS = [f"{i.id}~{u.id.split(':')[-1]}{n}" for i in INDICATORS for u in i.uncertainties
               for n, _ in enumerate(u.options) if n != u.declared]
ALL, ALL_IDS = [*INDICATORS, *READINGS], [*IDS, *READING_IDS]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def score(indicator, values, body_type):
    assert not check_relations(indicator, values), "the strategy drew inputs that break a declared relation"
    try:
        return compute(METHODOLOGY, indicator, values, body_type)
    except ScoreError:
        assume(False)


@pytest.mark.parametrize("indicator", ALL, ids=ALL_IDS)
@SETTINGS
@given(data=st.data(), body_type=st.sampled_from(["CGO", "MIO"]))
def test_score_stays_within_zero_and_the_maximum(indicator, data, body_type):
    value = score(indicator, data.draw(inputs_for(indicator)), body_type)
    assert 0 <= value <= indicator.maximum
    # Rounded once, to the methodology's decimals; a kind that rounds itself (open data:
    # ROUND(A + B; 2) · 0,25) still gives a finite decimal, never a repeating one.
    if indicator.kind.rounds_itself:
        to_decimal(value)
    else:
        assert (value * 10**METHODOLOGY.decimals).denominator == 1


@pytest.mark.parametrize("indicator", ALL, ids=ALL_IDS)
@SETTINGS
@given(data=st.data(), body_type=st.sampled_from(["CGO", "MIO"]))
def test_score_moves_in_the_declared_direction(indicator, data, body_type):
    values = data.draw(inputs_for(indicator))
    before = score(indicator, values, body_type)
    for name, direction in indicator.kind.monotone(indicator.params).items():
        spec = indicator.input(name)
        ceiling = values[spec.part_of] if spec.part_of else (spec.max if spec.max is not None else values[name] + 10**6)
        # An input already at its top has nowhere to move: try the next one rather than
        # discard the example (discarding made Hypothesis's filter health check flaky).
        if spec.type == "choice":
            higher = [c for c in spec.choices if c > values[name]]
            if not higher:
                continue
            bigger = data.draw(st.sampled_from(higher))
        elif spec.type == "boolean":
            if values[name] != 0:
                continue
            bigger = Fraction(1)
        else:
            if values[name] >= ceiling:
                continue
            step = data.draw(st.integers(1, 10**4)) if spec.type == "integer" else Fraction(data.draw(st.integers(1, 500)), 100)
            bigger = min(ceiling, values[name] + step)
        moved = dict(values, **{name: bigger})
        if check_relations(indicator, moved):
            continue  # the move broke a declared relation (e.g. a sum of parts above its whole)
        try:
            after = compute(METHODOLOGY, indicator, moved, body_type)
        except ScoreError:
            continue
        assert (after - before) * direction >= 0, f"{name}: {values[name]} → {bigger} moved {before} → {after}"


def test_zero_base_means_nothing_to_assess(methodology):
    # A zero base gives the maximum only where the methodology says so (when_whole_zero).
    for indicator in methodology.indicators:
        if indicator.params.get("when_whole_zero") == "maximum":
            values = {s.name: Fraction(0) for s in indicator.inputs}
            assert compute(methodology, indicator, values, "CGO") == indicator.maximum, indicator.id


def test_penalty_is_at_most_five(methodology):
    penalty = methodology.indicator("fb_unaccredited_channels_penalty")
    assert penalty.maximum == 5
    assert compute(methodology, penalty, {"unaccredited": Fraction(10**9)}, "CGO") == 5


# ---------------------------------------------------------------- tiers

def edges_of(indicator):
    return grading.tier_edges(METHODOLOGY, indicator)


@pytest.mark.parametrize("indicator", INDICATORS, ids=IDS)
def test_tier_edges_are_exact(indicator):
    order = list(METHODOLOGY.tier_order)
    for tier, edge, comparison in edges_of(indicator):
        cent = Fraction(1, 100)
        if comparison == ">=":
            assert grading.tier(METHODOLOGY, indicator, edge) == tier
            assert order.index(grading.tier(METHODOLOGY, indicator, edge - cent)) > order.index(tier)
        elif comparison == "<":
            assert grading.tier(METHODOLOGY, indicator, edge - cent) == tier
            assert grading.tier(METHODOLOGY, indicator, edge) != tier
        else:
            assert grading.tier(METHODOLOGY, indicator, edge) == tier
            assert grading.tier(METHODOLOGY, indicator, edge + cent) != tier


def test_seventy_percent_exactly_is_medium(methodology):
    hearing = methodology.indicator("appk_hearing")
    # 3 · 0.7 is 2.0999999999999996 in binary floats: the exact comparison must still say средний.
    assert grading.tier(methodology, hearing, 3 * (1 - 3 / 10)) == "средний"
    assert grading.tier(methodology, hearing, "2.1") == "средний"
    assert grading.tier(methodology, hearing, "2.09") == "низкий"


@pytest.mark.parametrize("indicator", INDICATORS, ids=IDS)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_tiers_never_get_worse_as_the_score_improves(indicator, data):
    order = list(METHODOLOGY.tier_order)
    edge_cents = [int(e * 100) for _, e, _ in edges_of(indicator)]
    top = int(indicator.maximum * 100)
    cents = st.one_of(st.integers(0, top), st.sampled_from(edge_cents + [c - 1 for c in edge_cents] + [c + 1 for c in edge_cents]))
    a, b = sorted([data.draw(cents), data.draw(cents)])
    assume(0 <= a and b <= top)
    rank_a = order.index(grading.tier(METHODOLOGY, indicator, Fraction(a, 100)))
    rank_b = order.index(grading.tier(METHODOLOGY, indicator, Fraction(b, 100)))
    better_is_higher = indicator.role != "penalty"
    assert (rank_b <= rank_a) if better_is_higher else (rank_b >= rank_a)


def test_rating_edges_are_exact(methodology):
    bands = [b for b in methodology.ratings if b.lower is not None]
    for band in bands:
        assert grading.rating(methodology, band.lower)[0] == band.rating
        assert grading.rating(methodology, band.lower - Fraction(1, 100))[0] != band.rating
    assert grading.rating(methodology, 0)[0] == methodology.ratings[-1].rating
    assert grading.rating(methodology, 107)[0] == "ААА"


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10700), st.integers(0, 10700))
def test_ratings_never_get_worse_as_the_index_rises(a, b):
    labels = [band.rating for band in METHODOLOGY.ratings]
    low, high = sorted([Fraction(a, 100), Fraction(b, 100)])
    assert labels.index(grading.rating(METHODOLOGY, high)[0]) <= labels.index(grading.rating(METHODOLOGY, low)[0])


def test_ratings_of_2025_examples(methodology):
    # Stated in the text: Жамбылская 96,15 ААА (L2617); МЧС 69,83 ВВ (L2623); МП 79,085 ВВ.
    assert grading.rating(methodology, "96.15")[0] == "ААА"
    assert grading.rating(methodology, "69.83") == ("ВВ", True)
    assert grading.rating(methodology, "79.085")[0] == "ВВ"
    assert grading.rating(methodology, "80")[0] == "ВВВ"


@pytest.mark.parametrize("criterion_id", ["appk", "open_government", "feedback", "internal_control"])
def test_grade_edges_are_exact(methodology, criterion_id):
    criterion = methodology.criterion(criterion_id)
    assert grading.grade(criterion, criterion.grade_a_from) == "А"
    assert grading.grade(criterion, criterion.grade_a_from - Fraction(1, 100)) == "В"
    if criterion.grade_c_below is not None:
        assert grading.grade(criterion, criterion.grade_c_below) == "В"
        assert grading.grade(criterion, criterion.grade_c_below - Fraction(1, 100)) == "С"
    else:
        assert grading.grade(criterion, 0) == "В"


@given(st.lists(st.one_of(st.none(), st.integers(0, 20)), max_size=30))
def test_competition_ranking(scores):
    ranks = grading.competition_ranks(scores)
    for score, rank in zip(scores, ranks):
        if score is None:
            assert rank is None
        else:
            assert rank == 1 + sum(1 for s in scores if s is not None and s > score)


def test_competition_ranking_example():
    assert grading.competition_ranks([90, 80, 80, 70, None]) == [1, 2, 2, 4, None]


def band_cases():
    """Every band edge of every band-table indicator, for each body type its bands depend on."""
    from openness_xl.core.kinds import bands_for

    for indicator, ident in zip(ALL, ALL_IDS):
        if indicator.kind.name != "band_table":
            continue
        body_types = list(indicator.params.get("bands_by_body_type", {"CGO": None}))
        for body_type in body_types:
            steps = bands_for(indicator.params, body_type)
            for position, (edge, points) in enumerate(steps[1:], start=1):
                yield pytest.param(indicator, body_type, edge, points, steps[position - 1][1],
                                   id=f"{ident}-{body_type}-{edge}")


@pytest.mark.parametrize("indicator, body_type, edge, points, below", list(band_cases()))
def test_band_edges_are_inclusive_at_the_lower_end(indicator, body_type, edge, points, below):
    # At the edge exactly the band's points; a hundredth of a percent below, the band before.
    cent = Fraction(1, 100)
    if "value" in indicator.params:
        at = {indicator.params["value"]: edge}
        under = {indicator.params["value"]: edge - cent}
    else:
        whole = Fraction(10_000)
        at = {indicator.params["part"]: edge * whole / 100, indicator.params["whole"]: whole}
        under = {indicator.params["part"]: (edge - cent) * whole / 100, indicator.params["whole"]: whole}
    assert compute(METHODOLOGY, indicator, at, body_type) == points
    assert compute(METHODOLOGY, indicator, under, body_type) == below



@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["CGO", "MIO"]), st.integers(0, 100), st.booleans()), min_size=1, max_size=12),
       st.lists(st.sampled_from(["CGO", "MIO"]), max_size=2))
def test_a_place_only_among_a_complete_group(bodies, absent):
    """A group in which any body has no index — submitted without one, or assessed but not
    submitted — gets no place at all; a complete group gets its competition ranks."""
    from types import SimpleNamespace

    from openness_xl.core.scoring import DIRECT, Entry, evaluate, unranked

    methodology = load(2025)
    submissions = []
    for n, (body_type, share, complete) in enumerate(bodies):
        given = methodology.indicators if complete else methodology.indicators[1:]
        entries = {i.id: Entry(DIRECT, score=Fraction(0) if i.role == "penalty" else i.maximum * share / 100) for i in given}
        submissions.append((f"B{n}", body_type, entries))
    assessed = [SimpleNamespace(code=code, type=t) for code, t, _ in submissions]
    assessed += [SimpleNamespace(code=f"absent{n}", type=t) for n, t in enumerate(absent)]
    results = evaluate(methodology, submissions, assessed=assessed)
    for body_type in ("CGO", "MIO"):
        group = [r for r in results if r.body_type == body_type]
        whole = all(r.index is not None for r in group) and body_type not in absent
        expected = grading.competition_ranks([r.index for r in group]) if whole else [None] * len(group)
        assert [r.rank for r in group] == expected
    missing = unranked([(r.body, r.body_type, r.index is not None) for r in results], assessed)
    assert set(missing) == {t for t in ("CGO", "MIO") if any(r.index is None for r in results if r.body_type == t)
                            or t in absent}
