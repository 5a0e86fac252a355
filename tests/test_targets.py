"""Targets: the smallest change of one input that reaches a score — it reaches it, one step
less does not, and the range and relations of the inputs hold."""
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import openness_udfs as udfs
from openness_xl.exact import round_half_away
from openness_xl.methodology import load
from openness_xl.scoring import ScoreError, compute
from openness_xl.targets import DECIMAL_STEP, _bounds, next_tier_goal, reaches, target
from openness_xl.values import check_relations
from tests.strategies import inputs_for

METHODOLOGY = load(2025)
MOVABLE = [(i, name) for i in METHODOLOGY.indicators for name in i.kind.monotone(i.params) if name in i.input_names]


def score(indicator, values, body_type):
    try:
        return compute(METHODOLOGY, indicator, values, body_type)
    except ScoreError:
        return None


@pytest.mark.parametrize("indicator, name", MOVABLE, ids=[f"{i.id}.{n}" for i, n in MOVABLE])
@settings(max_examples=60, deadline=None)
@given(data=st.data(), body_type=st.sampled_from(["CGO", "MIO"]), percent=st.integers(0, 100))
def test_the_target_is_reached_and_one_step_less_is_not(indicator, name, data, body_type, percent):
    values = data.draw(inputs_for(indicator))
    goal = round_half_away(indicator.maximum * percent / 100, 2)
    found = target(METHODOLOGY, indicator, values, name, goal, body_type)
    if found.value is None:
        low, high = _bounds(indicator, values, name)
        if found.reason.startswith("at "):  # the far end of the range does not reach it either
            assert found.score is None or not reaches(indicator, found.score, goal)
        return
    moved = {**values, name: found.value}
    low, high = _bounds(indicator, values, name)
    assert low <= found.value <= high
    assert check_relations(indicator, moved) == []
    assert reaches(indicator, score(indicator, moved, body_type), goal)
    if found.change:
        spec = indicator.input(name)
        if spec.type in ("integer", "decimal"):
            step = 1 if spec.type == "integer" else DECIMAL_STEP
            before = {**values, name: found.value - step * (1 if found.change > 0 else -1)}
            reached_before = score(indicator, before, body_type)
            assert reached_before is None or not reaches(indicator, reached_before, goal)


@pytest.mark.parametrize("indicator_id, name, goal, values, expected", [
    # МЗ, 25 late of 48 981 (1,96, L346): «средний» (2,8) needs at most 14 late
    ("appk_review_timeliness", "late", "2.8", {"late": 25, "reviewed": 48981}, 14),
    # or, with 25 late, at least 82 988 reviewed
    ("appk_review_timeliness", "reviewed", "2.8", {"late": 25, "reviewed": 48981}, 82988),
    # one penalty point fewer: 4 unaccredited channels instead of 5
    ("fb_unaccredited_channels_penalty", "unaccredited", "0", {"unaccredited": 5}, 4),
    # Алматы first leaders: 262 of 1 078 (24,3 %) reaches 35 % with 378 received by the akim
    ("appk_first_leaders", "by_first_leader", "4", {"by_first_leader": 262, "received": 1078}, 378),
    # АФМ satisfaction 53 % (3 points, L1746): 90 % for the maximum
    ("fb_satisfaction", "satisfied_percent", "7", {"satisfied_percent": 53}, 90),
])
def test_worked_targets(indicator_id, name, goal, values, expected):
    indicator = METHODOLOGY.indicator(indicator_id)
    exact = {k: Fraction(v) for k, v in values.items()}
    found = target(METHODOLOGY, indicator, exact, name, Fraction(goal), "MIO")
    assert found.value == expected, str(found)


def test_what_no_single_input_can_reach_is_said():
    indicator = METHODOLOGY.indicator("appk_review_timeliness")
    found = target(METHODOLOGY, indicator, {"late": Fraction(9000), "reviewed": Fraction(9451)}, "reviewed",
                   Fraction(4), "CGO")
    assert found.value is None and "not reachable by this input" in str(found)


def test_the_next_tier_is_the_target_a_roadmap_names():
    indicator = METHODOLOGY.indicator("appk_review_timeliness")
    assert next_tier_goal(METHODOLOGY, indicator, Fraction("1.96")) == ("низкий", Fraction(2))
    assert next_tier_goal(METHODOLOGY, indicator, Fraction(4)) is None
    penalty = METHODOLOGY.indicator("fb_unaccredited_channels_penalty")
    assert next_tier_goal(METHODOLOGY, penalty, Fraction(5)) == ("низкий", Fraction("4.5"))
    assert next_tier_goal(METHODOLOGY, penalty, Fraction(3)) == ("высокий", Fraction("1.99"))


def test_the_excel_function():
    assert udfs.OPENNESS_TARGET("appk_review_timeliness", "late", 2.8, 25.0, 48981.0) == 14.0
    assert udfs.OPENNESS_TARGET("appk_review_timeliness", "late", [[2.8], [4.0]], 25.0, 48981.0) == [[14.0], [0.0]]
    assert udfs.OPENNESS_TARGET("appk_review_timeliness", "lates", 2.8, 25.0, 48981.0).startswith("неизвестный аргумент 'lates'")
    assert udfs.OPENNESS_TARGET("appk_review_timeliness", "late", 4.5, 25.0, 48981.0) == \
        "target_score: ожидается балл от 0 до 4, а введено 4.5"
    assert udfs.OPENNESS_TARGET("appk_review_timeliness", "late", 2.8, None, 48981.0) == \
        "late: нет значения; ожидается целое число не меньше 0"
    assert "этим показателем не достичь" in udfs.OPENNESS_TARGET("fb_knowledge_base", "bilingual", 7, 0.0, 0.0)
