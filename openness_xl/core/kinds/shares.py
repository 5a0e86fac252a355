"""Shares: weighted shares, a proportion of the maximum, the open-data mix."""
from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Mapping, Sequence

from .. import formula_text as ft
from ..exact import round_half_away, to_fraction, weighted_sum
from ...texts import text
from .base import (Context, ExcelContext, Expressions, InputProblem, Kind, MoveSpec, TargetContext, Values, clamp,
                   no_check, past, zero_whole)


def _weighted_shares(params: Mapping, v: Values, ctx: Context) -> Fraction:
    return min(ctx.maximum, weighted_sum((to_fraction(w), v[name]) for name, w in params["weights"].items()))


def _check_weights(params: Mapping, maximum: Fraction) -> list[str]:
    total = sum((to_fraction(w) for w in params.get("weights", {}).values()), Fraction(0))
    return [] if total == maximum else [text("kind.weights", total=total, maximum=maximum)]


def _weighted_shares_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    # No cap is written: shares are at most 1 and the weights add up to the maximum.
    return "(" + "+".join(f"{ft.number(to_fraction(w))}*{v[name]}" for name, w in params["weights"].items()) + ")"


WEIGHTED_SHARES = Kind(
    name="weighted_shares",
    input_params=(),
    required=("weights",),
    score=_weighted_shares,
    check=_check_weights,
    monotone=lambda p: {name: 1 for name in p["weights"]},
    excel=_weighted_shares_excel,
    additive=True,
    # Σ w·share = bound, solved for one share
    inverse=lambda p, v, ctx, name, bound: (bound - weighted_sum((to_fraction(w), v[n]) for n, w in p["weights"].items()
                                                                 if n != name)) / to_fraction(p["weights"][name]),
)




def _proportional(params: Mapping, v: Values, ctx: Context) -> Fraction:
    whole = v[params["whole"]]
    if whole == 0:
        raise InputProblem(params["whole"], zero_whole(params["whole"]))
    return clamp(ctx.maximum * v[params["part"]] / whole, ctx.maximum)


def _proportional_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    # The part is never above its whole (part_of is checked first), so no clamp is written.
    m = ctx.maximum
    return ft.ratio(ft.scaled(Fraction(m.numerator), v[params["part"]]), ft.scaled(Fraction(m.denominator), v[params["whole"]]))


def _proportional_target(params: Mapping, v: Expressions, t: TargetContext, name: str) -> str:
    # max·part/whole ≥ (2G−1)/(2D) ⟺ part ≥ whole·(2G−1)·Md / (2D·Mn)
    m = t.excel.maximum
    two_d, bound = t.reach_bound(True)
    return past(f"{v[params['whole']]}*{bound}*{m.denominator}/{two_d * m.numerator}", v[name], t, up=True)


PROPORTIONAL = Kind(
    name="proportional",
    input_params=("part", "whole"),
    required=("part", "whole"),
    score=_proportional,
    check=no_check,
    monotone=lambda p: {p["part"]: 1},
    excel=_proportional_excel,
    excel_target=_proportional_target,
    # max·part/whole = bound
    inverse=lambda p, v, ctx, name, bound: bound * v[p["whole"]] / ctx.maximum,
    nonzero=lambda p: (p["whole"],),
)


# ------------------------------------------------------------------ open data

def _open_data(params: Mapping, v: Values, ctx: Context) -> Fraction:
    parts = sum((v[name] for name in params["parts"]), Fraction(0))
    coefficient = sum((v[name] for name in params["coefficients"]), Fraction(0))
    # Rounded before the coefficient and not after: МП 9,03 · 0,5 = 4,515 (methodology §1).
    return min(ctx.maximum, round_half_away(parts, ctx.decimals) * coefficient)


def _open_data_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    decimals = ctx.decimals
    parts = "+".join(v[name] for name in params["parts"])
    coefficient = "+".join(v[name] for name in params["coefficients"])
    product = ft.capped(f"ROUND({parts},{decimals})*({coefficient})", ctx.maximum)
    # The exact product has at most decimals + the coefficients' decimals places: rounding
    # there only removes binary noise (9,03 · 0,75 lands on 6,7725 exactly).
    places = [ctx.input_decimals.get(name) for name in params["coefficients"]]
    if all(p is not None for p in places):
        return f"ROUND({product},{decimals + max(places)})"
    return product


def _open_data_inverse(params: Mapping, v: Values, ctx: Context, name: str, bound: Fraction) -> Fraction | None:
    # round(parts)·coefficient = bound, solved for one part or one coefficient. The parts reach
    # where their sum rounds to the least value of the rounding's grid that, times the
    # coefficient, reaches: half a grid step below it (ROUND goes half away from zero).
    parts = sum((v[n] for n in params["parts"]), Fraction(0))
    coefficient = sum((v[n] for n in params["coefficients"]), Fraction(0))
    if name in params["parts"]:
        if not coefficient:
            return None
        return _least_sum(bound, coefficient, ctx.decimals) - (parts - v[name])
    rounded = round_half_away(parts, ctx.decimals)
    return bound / rounded - (coefficient - v[name]) if rounded else None


def _least_sum(bound: Fraction, coefficient: Fraction, decimals: int) -> Fraction:
    """The least sum of the parts whose rounding, times `coefficient`, reaches `bound`: half a
    grid step below the least value of the rounding's grid that does (ROUND goes half away
    from zero)."""
    scale = 10 ** decimals
    return Fraction(math.ceil(bound / coefficient * scale), scale) - Fraction(1, 2 * scale)


def _open_data_together(params: Mapping, v: Values, ctx: Context, crossing: Fraction,
                        moves: Sequence[MoveSpec]) -> list[tuple[Fraction, ...]] | None:
    # round(Σ parts)·Σ coefficients ≥ crossing with the least change: for each choice of the
    # coefficients at or above their values, and each set of parts taken to their far end (an
    # end may lie off the grid a part steps on from its value), the other parts' sum raised on
    # their grid to the least that rounds to enough — by one part where one has room for it
    # all, else the parts with most room per unit of change first, then as declared. Of equal
    # changes, those that change fewer inputs come first, then earlier ones, earlier ones more.
    by_name = {m.name: m for m in moves}
    names = [*params["parts"], *params["coefficients"]]
    if len(moves) != len(names) or set(by_name) != set(names) or any(m.way != 1 or m.source for m in moves):
        return None
    parts, coefficients = [by_name[n] for n in params["parts"]], [by_name[n] for n in params["coefficients"]]
    steps = {m.step for m in parts}
    if len(steps) != 1 or None in steps or any(not m.choices for m in coefficients) or not 0 < crossing <= ctx.maximum:
        return None
    (step,) = steps
    total = sum((v[m.name] for m in parts), Fraction(0))
    room = {m.name: max(Fraction(0), m.end - v[m.name]) for m in parts}
    filling = sorted(parts, key=lambda m: -m.scale)  # stable: as declared where the measures agree
    # A part moves on its grid from its value, or to its far end, which may lie off that grid.
    spreads = [ends for size in range(len(parts) + 1) for ends in itertools.combinations(parts, size)]
    options = [[c for c in m.choices if c >= v[m.name]] for m in coefficients]
    best, found = None, []
    for chosen in itertools.product(*options):
        coefficient = sum(chosen, Fraction(0))
        if coefficient <= 0:
            continue
        short = _least_sum(crossing, coefficient, ctx.decimals) - total
        raised = {m.name: c - v[m.name] for m, c in zip(coefficients, chosen)}
        for ends in spreads:
            moved = {m.name: room[m.name] for m in ends}
            rest = [m for m in filling if m not in ends]
            steps_left = {m.name: math.floor(room[m.name] / step) for m in rest}
            needed = max(0, math.ceil((short - sum(moved.values(), Fraction(0))) / step))
            if needed > sum(steps_left.values()):
                continue
            alone = [[m] for m in rest if steps_left[m.name] >= needed] if needed else []
            for way in alone or [rest]:
                amounts, left = {**raised, **moved}, needed
                for m in way:
                    taken = min(left, steps_left[m.name])
                    amounts[m.name], left = taken * step, left - taken
                candidate = tuple(amounts.get(m.name, Fraction(0)) for m in moves)
                change = sum((amount / m.scale for amount, m in zip(candidate, moves)), Fraction(0))
                if best is None or change < best:
                    best, found = change, []
                if change == best and candidate not in found:
                    found.append(candidate)

    def preference(amounts):
        changed = [i for i, amount in enumerate(amounts) if amount]
        return len(changed), changed, [-amount for amount in amounts]

    return sorted(found, key=preference)


OPEN_DATA = Kind(
    name="open_data",
    input_params=(),
    required=("parts", "coefficients"),
    score=_open_data,
    check=no_check,
    monotone=lambda p: {name: 1 for name in [*p["parts"], *p["coefficients"]]},
    excel=_open_data_excel,
    rounds_itself=True,
    inverse=_open_data_inverse,
    together=_open_data_together,
)
