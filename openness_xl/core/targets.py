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
from itertools import permutations
from typing import Callable, Mapping

from .exact import plain
from .kinds import Context, InputProblem
from ..methodology import Indicator, Methodology
from .scoring import ScoreError, compute
from ..texts import text

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
            return text("target.reached", input=self.input, score=plain(self.current_score))
        relation = "≤" if self.change < 0 else "≥"
        return text("target.change", input=self.input, relation=relation, value=plain(self.value), current=plain(self.current),
                    score=plain(self.score))


def reaches(indicator: Indicator, score: Fraction, goal: Fraction) -> bool:
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


def _bounds(indicator: Indicator, values: Mapping[str, Fraction], name: str) -> tuple[Fraction, Fraction]:
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


def _score(methodology: Methodology, indicator: Indicator, values: Mapping[str, Fraction], body_type: str | None):
    try:
        return compute(methodology, indicator, values, body_type)
    except ScoreError:
        return None


def target(methodology: Methodology, indicator: Indicator, values: Mapping[str, Fraction], name: str,
           goal: Fraction, body_type: str | None = None) -> Target:
    """The value of input `name` nearest to its current one that reaches `goal`."""
    values = dict(values)
    current = values[name]
    now = compute(methodology, indicator, values, body_type)
    if reaches(indicator, now, goal):
        return Target(indicator.id, name, goal, current, now, current, now)
    way = helps(indicator, name)
    if way is None:
        return Target(indicator.id, name, goal, current, now, None, now, text("target.does_not_move"))
    spec = indicator.input(name)
    if spec.type in ("boolean", "choice"):
        options = [Fraction(0), Fraction(1)] if spec.type == "boolean" else sorted(spec.choices)
        for option in sorted((o for o in options if (o - current) * way > 0), key=lambda o: abs(o - current)):
            score = _score(methodology, indicator, {**values, name: option}, body_type)
            if score is not None and reaches(indicator, score, goal):
                return Target(indicator.id, name, goal, current, now, option, score)
        return Target(indicator.id, name, goal, current, now, None, now, text("target.no_value"))
    step = Fraction(1) if spec.type == "integer" else DECIMAL_STEP
    low, high = _bounds(indicator, values, name)
    end = high if way > 0 else low
    steps = int(abs(end - current) / step)  # whole steps that stay inside the range
    scores: dict[int, Fraction | None] = {}

    def at(k: int) -> Fraction:
        return current + way * k * step

    def reached(k: int) -> bool:
        if k not in scores:
            scores[k] = _score(methodology, indicator, {**values, name: at(k)}, body_type)
        return scores[k] is not None and reaches(indicator, scores[k], goal)

    guess = _inverse_steps(methodology, indicator, values, name, goal, body_type, way * step, steps)
    found = _first_reaching(reached, 0, steps, guess)  # at(0) is the value now, which does not reach
    if found is None:
        reached(steps)
        far = scores[steps]
        limit = text("target.limit", at=plain(at(steps)), score=plain(far) if far is not None else text("target.not_defined"))
        return Target(indicator.id, name, goal, current, now, None, far, limit)
    return Target(indicator.id, name, goal, current, now, at(found), scores[found])


def _first_reaching(reached: Callable[[int], bool], lo: int, last: int, guess: int | None) -> int | None:
    """The least k in lo+1..last that reaches, where `reached` is monotone and k = lo does not;
    None where not even `last` does. A `guess` is scored first with its neighbour (below it if
    it reaches, above it if not): when it is right those two settle the answer, otherwise the
    bisection goes on from where they leave it."""
    hi = None
    if guess is not None and lo < guess <= last:
        if reached(guess):
            hi, below = guess, guess - 1
            if below > lo:
                if reached(below):
                    hi = below
                else:
                    lo = below
        else:
            lo, above = guess, guess + 1
            if above <= last:
                if reached(above):
                    hi = above
                else:
                    lo = above
    if hi is None:
        if lo >= last or not reached(last):
            return None
        hi = last
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
        crossing = inverse(indicator.params, values, context, name, _crossing(methodology, indicator, goal))
    except (InputProblem, ZeroDivisionError):
        return None
    if crossing is None:
        return None
    return min(max(math.ceil((crossing - values[name]) / stride), 1), steps)


def _crossing(methodology: Methodology, indicator: Indicator, goal: Fraction) -> Fraction:
    """The unrounded score at which the rounded one reaches `goal`."""
    half = 0 if indicator.kind.rounds_itself else Fraction(1, 2 * 10 ** methodology.decimals)
    return goal + half if indicator.role == "penalty" else goal - half


@dataclass(frozen=True)
class Combined:
    """Several levers changed together where none reaches the goal alone."""

    indicator: str
    goal: Fraction
    changes: tuple[tuple[str, Fraction, Fraction], ...]  # (input, current value, new value), in the inputs' order
    score: Fraction  # what the inputs so changed give, computed
    effort: tuple[tuple[str, Fraction], ...]  # (unit, change in it): a person moved between parts counted once


@dataclass(frozen=True)
class _Move:
    """One way to change inputs by an amount (≥ 0): a lever moved that far in the direction that
    helps (`source` None), or that many people moved from part `source` to part `name` of one
    whole. Amounts add up, so a lever and a move into it combine."""

    name: str
    way: int = 1  # for a lever: +1 raised, −1 lowered
    source: str | None = None

    def apply(self, values: Mapping[str, Fraction], amount: Fraction) -> dict:
        if self.source is None:
            return {**values, self.name: values[self.name] + self.way * amount}
        return {**values, self.source: values[self.source] - amount, self.name: values[self.name] + amount}


def _far_end(indicator: Indicator, values: Mapping[str, Fraction], move: _Move) -> Fraction:
    """How far a move may go, the rest fixed."""
    if move.source is not None:
        return values[move.source]
    spec = indicator.input(move.name)
    if spec.type == "boolean":
        end = Fraction(1 if move.way > 0 else 0)
    elif spec.type == "choice":
        end = max(spec.choices) if move.way > 0 else min(spec.choices)
    else:
        low, high = _bounds(indicator, values, move.name)
        end = high if move.way > 0 else low
    return max(Fraction(0), (end - values[move.name]) * move.way)


def _least(methodology: Methodology, indicator: Indicator, values: dict, move: _Move, goal: Fraction, body_type,
           cache: dict | None = None):
    """The least amount of a move that reaches the goal with the rest fixed; None where even
    its far end does not. `cache` keeps answers already found (orders of moves meet the same
    values again and again)."""
    if cache is not None:
        key = (move, frozenset(values.items()))
        if key not in cache:
            cache[key] = _least(methodology, indicator, values, move, goal, body_type)
        return cache[key]
    if move.source is None:
        found = target(methodology, indicator, values, move.name, goal, body_type)
        return None if found.value is None else abs(found.value - values[move.name])
    available = int(values[move.source])
    if available <= 0:
        return None

    def reached(k: int) -> bool:
        value = _score(methodology, indicator, move.apply(values, Fraction(k)), body_type)
        return value is not None and reaches(indicator, value, goal)

    found = _first_reaching(reached, -1, available, None)  # −1: not even moving none is known to reach
    return None if found is None else Fraction(found)


def _scale(indicator: Indicator, values: Mapping[str, Fraction], move: _Move) -> Fraction:
    """What a move's amount is measured against, so that moves of different units compare: the
    whole it is part of, an input's range, or its present value."""
    spec = indicator.input(move.name)
    whole = next((w for group, w in indicator.sums_at_most if move.name in group), spec.part_of)
    if whole is not None and values[whole] > 0:
        return values[whole]
    if spec.type == "boolean":
        return Fraction(1)
    if spec.type == "choice":
        return max(spec.choices) - min(spec.choices) or Fraction(1)
    if spec.max is not None:
        return spec.max - (spec.min or 0) or Fraction(1)
    return max(values[move.name], Fraction(1))


def _filled(methodology: Methodology, indicator: Indicator, values: dict, order, goal: Fraction, body_type,
            cache: dict, trim: bool = True):
    """The moves of `order` taken in turn, each to its far end until the next one reaches the
    goal; then (`trim`) each earlier one brought back as far as the others allow. Returns the
    amount of each move and the inputs so changed, or None."""
    amounts: dict[_Move, Fraction] = {}
    changed = dict(values)
    for position, move in enumerate(order):
        least = _least(methodology, indicator, changed, move, goal, body_type, cache)
        amounts[move] = least if least is not None else _far_end(indicator, changed, move)
        changed = move.apply(changed, amounts[move])
        if least is not None:
            break
    else:
        return None
    for move in order[:position] if trim else ():
        undone = move.apply(changed, -amounts[move])
        least = _least(methodology, indicator, undone, move, goal, body_type, cache)
        if least is not None:
            amounts[move] = least
            changed = move.apply(undone, least)
    return amounts, changed


def changed_amounts(indicator: Indicator, values: Mapping[str, Fraction],
                    changes: Mapping[str, Fraction]) -> list[tuple[str, Fraction, Fraction]]:
    """What new values of some inputs ask, move by move: (unit, amount, amount against its
    whole). The parts of one whole count a person moved between them once: the larger of what
    the parts gain and what they lose."""
    out = []
    grouped = {name for group, _whole in indicator.sums_at_most for name in group}
    for name, new in changes.items():
        if name not in grouped and new != values[name]:
            amount = abs(new - values[name])
            out.append((indicator.input(name).unit, amount, amount / _scale(indicator, values, _Move(name))))
    for group, _whole in indicator.sums_at_most:
        up = sum((max(changes.get(n, values[n]) - values[n], 0) for n in group), Fraction(0))
        down = sum((max(values[n] - changes.get(n, values[n]), 0) for n in group), Fraction(0))
        if up or down:
            amount = max(up, down)
            out.append((indicator.input(group[0]).unit, amount, amount / _scale(indicator, values, _Move(group[0]))))
    return out


def _candidate(methodology: Methodology, indicator: Indicator, values: dict, start: dict, order, goal: Fraction,
               body_type, cache: dict, made: dict | None = None, trim: bool = True):
    """The moves of `order` filled from `start` (`values` with the moves `made` already made),
    scored: (change against the wholes, distance from the goal, every move's amount, the inputs
    so changed, their score), or None where they do not reach the goal."""
    filled = _filled(methodology, indicator, start, order, goal, body_type, cache, trim)
    if filled is None:
        return None
    amounts, changed = filled
    score = _score(methodology, indicator, changed, body_type)
    if score is None or not reaches(indicator, score, goal):
        return None
    amounts = {**(made or {}), **amounts}
    effort = sum((amount / _scale(indicator, values, move) for move, amount in amounts.items()), Fraction(0))
    return effort, abs(score - goal), amounts, changed, score


# Whole amounts of one move tried between the corners of a pair, at most (see _between_corners).
SCAN_STEPS = 64


def _between_corners(methodology: Methodology, indicator: Indicator, values: dict, moves, goal: Fraction, body_type,
                     best: Fraction, cache: dict) -> list:
    """Where the score is a product (requests notified in time × citizens received), the least
    change may lie between the corners: for each move, whole amounts of it that could still
    beat `best`, each with the other moves filled as `_filled` fills them (one or two, in
    either order) — every amount up to SCAN_STEPS of them, else every n-th and then every one
    around the best of those."""
    found = []

    def tried(first: _Move, k: int) -> list:
        moved = first.apply(values, Fraction(k))
        rest = [m for m in moves if m != first]
        out = []
        for order in (o for size in (1, 2) for o in permutations(rest, size)):
            found = _candidate(methodology, indicator, values, moved, order, goal, body_type, cache, {first: Fraction(k)})
            if found:
                out.append(found)
        return out

    for first in moves:
        if first.source is None and indicator.input(first.name).type != "integer":
            continue
        # Past best × scale the first move alone costs more than the best found.
        last = min(int(_far_end(indicator, values, first)), int(best * _scale(indicator, values, first)))
        if last < 1:
            continue
        stride = max(1, last // SCAN_STEPS)
        coarse = [c for k in range(stride, last + 1, stride) for c in tried(first, k)]
        if not coarse:
            continue
        found += coarse
        if stride > 1:
            centre = int(min(coarse, key=lambda c: (c[0], c[1]))[2][first])
            found += [c for k in range(max(1, centre - stride + 1), min(last, centre + stride - 1) + 1)
                      for c in tried(first, k)]
    return found


def combined(methodology: Methodology, indicator: Indicator, values: Mapping[str, Fraction], goal: Fraction,
             body_type: str | None = None) -> Combined | None:
    """Several levers together where none reaches `goal` alone: citizens received on the set
    date and requests answered in time, shares of budget materials, both answers of the
    knowledge base; None where not even all of them do. The moves are the levers, each in the
    direction that helps, and for the parts of one whole (received on the set date or within a
    month) people moved from one part to another. Every order of two and of three moves is
    tried (of more only where fewer do not reach): each move as far as it goes until the next
    reaches the goal, then each earlier one brought back as far as the others allow; then whole
    amounts of each move between those corners, the others filled around it
    (`_between_corners`). Every candidate is scored exactly; the least change wins, each move
    measured against its whole (so that requests and citizens compare), then the score nearest
    the goal. Checked against every combination on small cases (tests/test_targets.py): a
    proposal wherever one exists, and the least change of all. Where a move spans more than
    SCAN_STEPS whole amounts the scan between corners is coarse, then refined around its
    best: the proposal is exact and reaches the goal, its least change is then not proven."""
    values = {k: Fraction(v) for k, v in values.items()}
    if reaches(indicator, compute(methodology, indicator, values, body_type), goal):
        return None
    moves = [_Move(name, helps(indicator, name)) for name in levers(indicator)]
    for group, _whole in indicator.sums_at_most:
        # From any part a body acts on (never a given) to a lever of the same whole.
        moves += [_Move(to, 1, source) for source in group for to in group
                  if source != to and to in levers(indicator) and indicator.input(source).better is not None]
    if len(moves) < 2:
        return None
    scored, cache = [], {}
    if indicator.kind.additive:
        # One order: the moves that give most score per unit of change (against their whole) first.
        now = compute(methodology, indicator, values, body_type)

        def rate(move: _Move) -> Fraction:
            far = _far_end(indicator, values, move)
            if not far:
                return Fraction(0)
            end = _score(methodology, indicator, move.apply(values, far), body_type)
            return abs((end if end is not None else now) - now) / (far / _scale(indicator, values, move))

        orders = [tuple(sorted(moves, key=lambda move: (-rate(move), move.name)))]
    else:
        orders = (order for size in range(2, len(moves) + 1) for order in permutations(moves, size))
    for order in orders:
        if scored and len(order) > 3:
            break  # orders of up to three moves compared; more only where fewer do not reach
        found = _candidate(methodology, indicator, values, values, order, goal, body_type, cache,
                           trim=not indicator.kind.additive)
        if found:
            scored.append(found)
    if not scored:
        return None
    if not indicator.kind.additive:
        scored += _between_corners(methodology, indicator, values, moves, goal, body_type, min(c[0] for c in scored),
                                   cache)
    _effort, _distance, amounts, changed, score = min(scored, key=lambda c: (c[0], c[1]))
    units: dict[str, Fraction] = {}
    for move, amount in amounts.items():
        if amount:
            unit = indicator.input(move.name).unit
            units[unit] = units.get(unit, Fraction(0)) + amount
    changes = tuple((s.name, values[s.name], changed[s.name]) for s in indicator.inputs if changed[s.name] != values[s.name])
    return Combined(indicator.id, goal, changes, score, tuple(units.items()))


def tier_entry(methodology: Methodology, indicator: Indicator, tier: str) -> Fraction:
    """The score that enters `tier` from below: its lower edge, or for a penalty's point band
    («below 2») the highest score inside it."""
    from . import grading

    _, edge, operator = next(e for e in grading.tier_edges(methodology, indicator) if e[0] == tier)
    return edge - Fraction(1, 10 ** methodology.decimals) if operator == "<" else edge


def next_tier_goal(methodology: Methodology, indicator: Indicator, score: Fraction) -> tuple[str, Fraction] | None:
    """The next better tier than the score's and the score that enters it; None at the top."""
    from . import grading

    names = [t for t, _, _ in grading.tier_edges(methodology, indicator)]  # best first
    current = grading.tier(methodology, indicator, score)
    position = names.index(current) if current in names else len(names)
    if position == 0:
        return None
    return names[position - 1], tier_entry(methodology, indicator, names[position - 1])


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
