"""Targets: the smallest change of one input that reaches a score, all else unchanged.

Every formula kind declares which way each input moves its score (`Kind.monotone`), so the
answer is found exactly by a search over the input's own steps — whole numbers for counts,
hundredths for percents and shares, the listed values for a choice — from the current value
in the direction that helps: the first step that reaches the target, with the step before
it not reaching it. For a penalty «reaching» means coming down to the target. The answer
respects the input's range and its relations (a part never above its whole, a whole never
below its parts); where even the far end of that range does not reach the target, the answer
says so and what the far end gives. Where the kind has an inverse (`Kind.inverse`, a closed
form) the search starts at the step it names: that step and its neighbour are scored, and
two scores settle the answer whenever the closed form is right; when it is not, the search
narrows from them to the same answer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

from .exact import plain
from .kinds import Context, InputProblem
from ..methodology import Indicator, Methodology
from .scoring import ScoreError, compute
from ..texts import decimal, text

DECIMAL_STEP = Fraction(1, 100)  # percents and shares are given to two decimals
# The far end of a count with neither a maximum nor the methodology's [inputs] at_most.
NO_CEILING = Fraction(10 ** 8)


@dataclass(frozen=True)
class Target:
    indicator: str
    input: str
    goal: Fraction
    current: Fraction
    current_score: Fraction
    value: Fraction | None  # the input value that reaches the goal; None when it cannot
    score: Fraction | None  # the score at that value (or at the far end when it cannot)
    reason: str = ""

    @property
    def change(self) -> Fraction | None:
        return None if self.value is None else self.value - self.current

    def __str__(self) -> str:
        if self.value is None:
            return text("target.unreachable", input=self.input, reason=self.reason)
        if self.change == 0:
            return text("target.reached", input=self.input, score=decimal(plain(self.current_score)))
        relation = "≤" if self.change < 0 else "≥"
        return text("target.change", input=self.input, relation=relation, value=decimal(plain(self.value)),
                    current=decimal(plain(self.current)), score=decimal(plain(self.score)))


def reaches(indicator: Indicator, score: Fraction, goal: Fraction) -> bool:
    """Whether a score is at the goal or better (for a penalty: at it or below)."""
    return score <= goal if indicator.role == "penalty" else score >= goal


def helps(indicator: Indicator, name: str) -> int | None:
    """+1 when raising the input brings the score toward a better tier, −1 when lowering it does
    (a penalty is better lower); None when the input does not move the score one way."""
    direction = indicator.kind.monotone(indicator.params).get(name)
    if direction is None:
        return None
    return -direction if indicator.role == "penalty" else direction


def levers(indicator: Indicator) -> list[str]:
    """The inputs a proposal may change: levers (`better` in the methodology) whose real
    improvement also moves the score toward a better tier — never a given (appeals reviewed,
    violations found), never a lever the wrong way (receive fewer citizens)."""
    found = []
    for spec in indicator.inputs:
        way = helps(indicator, spec.name)
        if spec.better and way == (1 if spec.better == "more" else -1):
            found.append(spec.name)
    return found


def input_options(spec) -> tuple[Fraction, ...]:
    """The values a yes/no or a choice input can take, ascending; () for a number."""
    if spec.type == "boolean":
        return (Fraction(0), Fraction(1))
    return tuple(sorted(spec.choices)) if spec.type == "choice" else ()


def input_step(spec) -> Fraction:
    """The step a number input moves by: 1 for a count, a hundredth for a value."""
    return Fraction(1) if spec.type == "integer" else DECIMAL_STEP


def input_range(indicator: Indicator, values: Mapping[str, Fraction], name: str) -> tuple[Fraction, Fraction]:
    """The range the input may take with the others fixed."""
    spec = indicator.input(name)
    low = spec.min if spec.min is not None else Fraction(0)
    high = spec.max if spec.max is not None else (spec.ceiling if spec.ceiling is not None else NO_CEILING)
    if spec.part_of:
        high = min(high, values[spec.part_of])
    parts = [s.name for s in indicator.inputs if s.part_of == name]
    if parts:
        low = max([low, *(values[p] for p in parts)])
    for group, whole in indicator.sums_at_most:
        if name in group:
            high = min(high, values[whole] - sum(values[p] for p in group if p != name))
        if name == whole:
            low = max(low, sum(values[p] for p in group))
    return low, high


def score_or_none(methodology: Methodology, indicator: Indicator, values: Mapping[str, Fraction], body_type: str | None):
    """The rounded score, or None where these inputs cannot be scored."""
    try:
        return compute(methodology, indicator, values, body_type)
    except ScoreError:
        return None


def target(methodology: Methodology, indicator: Indicator, values: Mapping[str, Fraction], name: str,
           goal: Fraction, body_type: str | None = None, now: Fraction | None = None) -> Target:
    """The value of input `name` nearest to its current one that reaches `goal` (`now`: the
    score of `values`, where the caller has it already — a body's every lever starts there)."""
    values = dict(values)
    current = values[name]
    now = compute(methodology, indicator, values, body_type) if now is None else now
    if reaches(indicator, now, goal):
        return Target(indicator.id, name, goal, current, now, current, now)
    way = helps(indicator, name)
    if way is None:
        return Target(indicator.id, name, goal, current, now, None, now, text("target.does_not_move"))
    spec = indicator.input(name)
    options = input_options(spec)
    if options:
        for option in sorted((o for o in options if (o - current) * way > 0), key=lambda o: abs(o - current)):
            score = score_or_none(methodology, indicator, {**values, name: option}, body_type)
            if score is not None and reaches(indicator, score, goal):
                return Target(indicator.id, name, goal, current, now, option, score)
        return Target(indicator.id, name, goal, current, now, None, now, text("target.no_value"))
    step = input_step(spec)
    low, high = input_range(indicator, values, name)
    end = high if way > 0 else low
    steps = int(abs(end - current) / step)  # whole steps that stay inside the range
    scores: dict[int, Fraction | None] = {}

    def at(k: int) -> Fraction:
        return current + way * k * step

    def reached(k: int) -> bool:
        if k not in scores:
            scores[k] = score_or_none(methodology, indicator, {**values, name: at(k)}, body_type)
        return scores[k] is not None and reaches(indicator, scores[k], goal)

    guess = _inverse_steps(methodology, indicator, values, name, goal, body_type, way * step, steps)
    found = first_reaching(reached, 0, steps, guess)  # at(0) is the value now, which does not reach
    if found is None:
        reached(steps)
        far = scores[steps]
        limit = text("target.limit", at=decimal(plain(at(steps))),
                     score=decimal(plain(far)) if far is not None else text("target.not_defined"))
        return Target(indicator.id, name, goal, current, now, None, far, limit)
    return Target(indicator.id, name, goal, current, now, at(found), scores[found])


def first_reaching(reached: Callable[[int], bool], lo: int, last: int, guess: int | None) -> int | None:
    """The least k in lo+1..last that reaches, where `reached` is monotone and k = lo does not;
    None where not even `last` does. A `guess` is scored first, then its neighbour (below it if
    it reaches, above it if not): when it is right those two settle the answer. When it is off,
    the steps away from it double (1, 2, 4 …) until the answer is bracketed, and the bisection
    goes on inside the bracket: a guess off by one or two costs four scores, not a bisection
    of the whole range."""
    hi, below_answer = None, False
    if guess is not None and lo < guess <= last:
        if reached(guess):
            hi, step = guess, 1
            while hi - step > lo:
                if not reached(hi - step):
                    lo = hi - step
                    break
                hi, step = hi - step, step * 2
        elif guess < last and reached(guess + 1):
            lo, hi = guess, guess + 1
        else:
            lo, below_answer = min(guess + 1, last), True
    if hi is None:
        if lo >= last or not reached(last):
            return None
        hi = last
    step = 1
    while below_answer and lo + step < hi:
        if reached(lo + step):
            hi = lo + step
            break
        lo, step = lo + step, step * 2
    while hi - lo > 1:
        middle = (lo + hi) // 2
        if reached(middle):
            hi = middle
        else:
            lo = middle
    return hi


def _inverse_steps(methodology: Methodology, indicator: Indicator, values: Mapping[str, Fraction], name: str,
                   goal: Fraction, body_type: str | None, stride: Fraction, steps: int) -> int | None:
    """How many steps of `stride` from the input's value the kind's inverse puts the score's
    crossing of the goal, within 1..steps; None where the kind has no inverse for these values.
    The crossing is of the unrounded score: ROUND(x) ≥ g from x = g − ½·10⁻ᵈ on, ROUND(x) ≤ g
    below g + ½·10⁻ᵈ (a kind that rounds itself crosses at g)."""
    inverse = indicator.kind.inverse
    if inverse is None or steps < 1:
        return None
    context = Context(indicator.maximum, body_type, methodology.decimals)
    try:
        crossing = inverse(indicator.params, values, context, name, goal_crossing(methodology, indicator, goal))
    except (InputProblem, ZeroDivisionError):
        return None
    if crossing is None:
        return None
    return min(max(math.ceil((crossing - values[name]) / stride), 1), steps)


def goal_crossing(methodology: Methodology, indicator: Indicator, goal: Fraction) -> Fraction:
    """The unrounded score at which the rounded one reaches `goal`."""
    half = 0 if indicator.kind.rounds_itself else Fraction(1, 2 * 10 ** methodology.decimals)
    return goal + half if indicator.role == "penalty" else goal - half


def tier_entry(methodology: Methodology, indicator: Indicator, tier: str) -> Fraction:
    """The score that enters `tier` from below: its lower edge, or for a penalty's point band
    («below 2») the highest score inside it."""
    from . import grading

    _, edge, operator = next(e for e in grading.tier_edges(methodology, indicator) if e[0] == tier)
    return _entered(methodology, edge, operator)


def _entered(methodology: Methodology, edge: Fraction, operator: str) -> Fraction:
    return edge - Fraction(1, 10 ** methodology.decimals) if operator == "<" else edge


def next_tier_goal(methodology: Methodology, indicator: Indicator, score: Fraction) -> tuple[str, Fraction] | None:
    """The next better tier than the score's and the score that enters it; None at the top."""
    from . import grading

    edges = grading.tier_edges(methodology, indicator)  # best first
    names = [t for t, _, _ in edges]
    current = grading.tier(methodology, indicator, score)
    position = names.index(current) if current in names else len(names)
    if position == 0:
        return None
    better, edge, operator = edges[position - 1]
    return better, _entered(methodology, edge, operator)


def attainable_score(methodology: Methodology, indicator: Indicator, goal: Fraction,
                     body_type: str | None = None) -> Fraction | None:
    """The score nearest `goal` that the indicator can give, on the side that reaches it: the
    smallest at or above it (for a penalty the largest at or below it). A kind of a few scores
    (`Kind.scores`) answers from them; otherwise any score on the methodology's decimal grid
    within [0, maximum]. None when no score the indicator gives reaches the goal."""
    import math

    kind_scores = indicator.kind.scores(indicator.params, indicator.maximum, body_type,
                                        lambda name: indicator.input(name).type == "integer")
    penalty = indicator.role == "penalty"
    if kind_scores is None:
        scale = 10 ** methodology.decimals
        rounded = (math.floor if penalty else math.ceil)(goal * scale)
        kind_scores = [Fraction(rounded, scale)] if 0 <= rounded <= indicator.maximum * scale else []
    reaching = [s for s in kind_scores if (s <= goal if penalty else s >= goal)]
    if not reaching:
        return None
    return max(reaching) if penalty else min(reaching)
