"""Points: so many per counted unit (up to the maximum), or for yes/no components."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Mapping

from .. import formula_text as ft
from ..exact import to_fraction
from ...texts import text
from .base import Context, ExcelContext, Expressions, Kind, TargetContext, Values, past


def _count_points(params: Mapping, v: Values, ctx: Context) -> Fraction:
    steps = math.floor(v[params["count"]] / to_fraction(params["per"]))
    return min(ctx.maximum, steps * to_fraction(params["points"]))


def _count_points_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    count, per, points = v[params["count"]], to_fraction(params["per"]), to_fraction(params["points"])
    # full steps k = floor(count·pd/pn); the cap is reached from k = ceil(max/points) on.
    steps = f"INT({ft.ratio(ft.scaled(Fraction(per.denominator), count), per.numerator)})"
    cap_steps = math.ceil(ctx.maximum / points)
    reached = f"{ft.scaled(Fraction(per.denominator), count)}>={ft.number(Fraction(cap_steps * per.numerator))}"
    score = ft.ratio(ft.scaled(Fraction(points.numerator), steps), points.denominator)
    return ft.if_(reached, ft.number(ctx.maximum), score)


def _count_points_target(params: Mapping, v: Expressions, t: TargetContext, name: str) -> str:
    # k = floor(count/per) full steps give k·points (exact). A score reaches (2G−1)/(2D) from
    # k = ceil((2G−1)·ptd/(2D·ptn)) steps on, so count ≥ k·per; a penalty stays below
    # (2G+1)/(2D) up to k = ceil((2G+1)·ptd/(2D·ptn)) − 1 steps, so count < (k+1)·per.
    per, points = to_fraction(params["per"]), to_fraction(params["points"])
    two_d, bound = t.reach_bound(not t.penalty)
    steps = f"(-INT(-{bound}*{points.denominator}/{two_d * points.numerator}))"
    if not t.penalty:
        return past(f"{steps}*{per.numerator}/{per.denominator}", v[name], t, up=True)
    return past(f"{steps}*{per.numerator}/{per.denominator}", v[name], t, up=False, strict=True)


COUNT_POINTS = Kind(
    name="count_points",
    input_params=("count",),
    required=("count", "per", "points"),
    score=_count_points,
    check=lambda p, m: [] if to_fraction(p.get("per", 0)) > 0 and to_fraction(p.get("points", 0)) > 0 else [text("kind.per_and_points")],
    monotone=lambda p: {p["count"]: 1},
    excel=_count_points_excel,
    excel_target=_count_points_target,
    # k·points crosses the bound at k = ceil(bound/points) full steps of `per`
    inverse=lambda p, v, ctx, name, bound: math.ceil(bound / to_fraction(p["points"])) * to_fraction(p["per"]),
    # k = floor(count / per) is whole whatever the count: k·points up to the cap.
    scores=lambda p, m, body_type, whole: sorted({min(m, k * to_fraction(p["points"]))
                                                  for k in range(math.ceil(m / to_fraction(p["points"])) + 1)}),
)


# ------------------------------------------------------------------ booleans

def _boolean_points(params: Mapping, v: Values, ctx: Context) -> Fraction:
    total = Fraction(0)
    for component in params["components"]:
        if all(v[name] == 1 for name in component["when"]):
            total += to_fraction(component["points"])
    return min(ctx.maximum, total)


def _check_components(params: Mapping, maximum: Fraction) -> list[str]:
    total = sum((to_fraction(c.get("points", 0)) for c in params.get("components", [])), Fraction(0))
    return [] if total == maximum else [text("kind.components", total=total, maximum=maximum)]


def _boolean_points_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    # No cap is written: the load check makes the components add up to the maximum exactly.
    terms = [f"{ft.number(to_fraction(c['points']))}*({ft.all_of([f'{v[name]}=1' for name in c['when']])})"
             for c in params["components"]]
    return "(" + "+".join(terms) + ")"


BOOLEAN_POINTS = Kind(
    name="boolean_points",
    input_params=(),
    required=("components",),
    score=_boolean_points,
    check=_check_components,
    monotone=lambda p: {name: 1 for c in p["components"] for name in c["when"]},
    excel=_boolean_points_excel,
    scores=lambda p, m, body_type, whole: _boolean_scores(p, m),
)


def _boolean_scores(params: Mapping, maximum: Fraction) -> list[Fraction]:
    """The score of every yes/no answer to the components' inputs (a component may need two)."""
    import itertools

    names = sorted({name for c in params["components"] for name in c["when"]})
    found = set()
    for answers in itertools.product((0, 1), repeat=len(names)):
        found.add(_boolean_points(params, dict(zip(names, map(Fraction, answers))), Context(maximum, None, 2)))
    return sorted(found)
