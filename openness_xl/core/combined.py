"""Several levers together, where none reaches a goal alone: the least change of two or more
inputs (citizens received on the set date and requests answered in time, shares of budget
materials, both answers of the knowledge base), each move measured against its whole.
One lever alone is `targets.target`."""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import permutations
from typing import Mapping

from ..methodology import Indicator, Methodology
from .kinds import Context, InputProblem
from .kinds.base import MoveSpec
from .scoring import compute
from .targets import goal_crossing, input_options, input_range, input_step, first_reaching, score_or_none, helps, levers, reaches, target


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
        low, high = input_range(indicator, values, move.name)
        end = high if move.way > 0 else low
    return max(Fraction(0), (end - values[move.name]) * move.way)


def _least(methodology: Methodology, indicator: Indicator, values: dict, move: _Move, goal: Fraction, body_type,
           cache: dict | None = None):
    """The least amount of a move that reaches the goal with the rest fixed; None where even
    its far end does not. `cache` keeps answers already found (orders of moves meet the same
    values again and again)."""
    if cache is not None:
        # By numerators and denominators: a Fraction's hash is a modular inverse each time.
        key = (move, tuple(sorted((name, v.numerator, v.denominator) for name, v in values.items())))
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
        value = score_or_none(methodology, indicator, move.apply(values, Fraction(k)), body_type)
        return value is not None and reaches(indicator, value, goal)

    # −1: not even moving none is known to reach.
    found = first_reaching(reached, -1, available, _crossing_along(methodology, indicator, values, move, goal, body_type,
                                                                   available))
    return None if found is None else Fraction(found)


def _crossing_along(methodology: Methodology, indicator: Indicator, values: dict, move: _Move, goal: Fraction, body_type,
                    available: int) -> int | None:
    """How many people moved the kind's unrounded score, taken as straight along the move,
    puts at the goal: where the search starts (`first_reaching`), which then settles it in two
    scores instead of a bisection of all the people. Exact for a kind linear in each part (the
    waiting time's coefficients); a cap or a clamp only makes it a guess the search corrects."""
    context = Context(indicator.maximum, body_type, methodology.decimals)
    try:
        start = indicator.kind.score(indicator.params, values, context)
        end = indicator.kind.score(indicator.params, move.apply(values, Fraction(available)), context)
    except (InputProblem, ZeroDivisionError):
        return None
    if end == start:
        return None
    steps = (goal_crossing(methodology, indicator, goal) - start) / (end - start) * available
    return max(0, math.ceil(steps)) if steps <= available else None


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
    score = score_or_none(methodology, indicator, changed, body_type)
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
        out, alone = [], set()
        for order in (o for size in (1, 2) for o in permutations(rest, size)):
            if order[0] in alone:
                continue  # it reaches before the next move: the same candidate as on its own
            found = _candidate(methodology, indicator, values, moved, order, goal, body_type, cache, {first: Fraction(k)})
            if found:
                out.append(found)
                if len(order) == 1:
                    alone.add(order[0])
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
    best: the proposal is exact and reaches the goal, its least change is then not proven.
    A kind with a closed form of its levers together (`Kind.together`: the waiting time,
    open data) answers first, its least change exact at any size; the search runs where it
    has none."""
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
    proposed = _together(methodology, indicator, values, moves, goal, body_type)
    if proposed is not None:
        return proposed
    scored, cache = [], {}
    if indicator.kind.additive:
        # One order: the moves that give most score per unit of change (against their whole) first.
        now = compute(methodology, indicator, values, body_type)

        def rate(move: _Move) -> Fraction:
            far = _far_end(indicator, values, move)
            if not far:
                return Fraction(0)
            end = score_or_none(methodology, indicator, move.apply(values, far), body_type)
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
    return _proposal(indicator, values, goal, amounts, changed, score)


def _together(methodology: Methodology, indicator: Indicator, values: dict, moves: list[_Move], goal: Fraction,
              body_type) -> Combined | None:
    """The kind's own least change of the moves together (`Kind.together`), its candidates
    scored exactly, the one nearest the goal proposed; None where the kind has no closed form,
    or one of its candidates does not reach the goal (the search then decides)."""
    if indicator.kind.together is None:
        return None
    specs = [_spec(indicator, values, m) for m in moves]
    context = Context(indicator.maximum, body_type, methodology.decimals)
    try:
        found = indicator.kind.together(indicator.params, values, context, goal_crossing(methodology, indicator, goal),
                                        specs)
    except (InputProblem, ZeroDivisionError):
        return None
    best = None
    for amounts in found or ():
        changed = dict(values)
        for move, amount in zip(moves, amounts):
            if amount < 0 or amount > _far_end(indicator, changed, move):
                return None
            changed = move.apply(changed, amount)
        score = score_or_none(methodology, indicator, changed, body_type)
        if score is None or not reaches(indicator, score, goal):
            return None
        if best is None or abs(score - goal) < best[0]:
            best = (abs(score - goal), dict(zip(moves, amounts)), changed, score)
    return None if best is None else _proposal(indicator, values, goal, *best[1:])


def _spec(indicator: Indicator, values: dict, move: _Move) -> MoveSpec:
    """What a kind's closed form knows of a move: its measure, its far end, its grid."""
    spec = indicator.input(move.name)
    end = values[move.name] + move.way * _far_end(indicator, values, move)
    options = input_options(spec)
    return MoveSpec(move.name, move.way, move.source, _scale(indicator, values, move), end,
                    None if options else input_step(spec), options)


def _proposal(indicator: Indicator, values: dict, goal: Fraction, amounts: dict, changed: dict,
              score: Fraction) -> Combined:
    """The proposal of moves made by `amounts`, which change `values` into `changed`; its
    effort by unit, in the order of the inputs (whichever way the amounts were found)."""
    units: dict[str, Fraction] = dict.fromkeys(spec.unit for spec in indicator.inputs)
    for move, amount in amounts.items():
        unit = indicator.input(move.name).unit
        units[unit] = (units[unit] or Fraction(0)) + amount
    units = {unit: amount for unit, amount in units.items() if amount}
    changes = tuple((s.name, values[s.name], changed[s.name]) for s in indicator.inputs if changed[s.name] != values[s.name])
    return Combined(indicator.id, goal, changes, score, tuple(units.items()))
