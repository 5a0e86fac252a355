"""The two reception kinds, which read their inputs by name."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Mapping, Sequence

from .. import formula_text as ft
from ..exact import to_fraction
from ...texts import text
from .base import Context, ExcelContext, Expressions, Kind, MoveSpec, Values, clamp, no_check


def _share(part: Fraction, whole: Fraction) -> Fraction:
    return Fraction(1) if whole == 0 else min(Fraction(1), part / whole)


def _reception_intensity(params: Mapping, v: Values, ctx: Context) -> Fraction:
    expected = v["registered"] - v["declined"]
    if v["registered"] == 0:
        return ctx.maximum
    coverage = _share(v["received"], expected)
    fulfilment = _share(v["held"], v["plan"])
    blend = to_fraction(params["coverage_weight"]) * coverage + to_fraction(params["plan_weight"]) * fulfilment
    return clamp(ctx.maximum * blend * to_fraction(params["coefficient"]), ctx.maximum)


def _common_denominator(*values: Fraction) -> tuple[int, list[int]]:
    denominator = math.lcm(*(v.denominator for v in values))
    return denominator, [int(v * denominator) for v in values]


def _reception_intensity_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    m, coefficient = ctx.maximum, to_fraction(params["coefficient"])
    weights, (a, b) = _common_denominator(to_fraction(params["coverage_weight"]), to_fraction(params["plan_weight"]))
    cov_n, cov_d = ft.share_parts(v["received"], f"({v['registered']}-{v['declined']})")
    ful_n, ful_d = ft.share_parts(v["held"], v["plan"])
    # max · c · (a·cov + b·ful)/D with cov = cov_n/cov_d, ful = ful_n/ful_d, divided once.
    numerator = ft.scaled(Fraction(m.numerator * coefficient.numerator),
                          f"({ft.scaled(Fraction(a), f'{cov_n}*{ful_d}')}+{ft.scaled(Fraction(b), f'{ful_n}*{cov_d}')})")
    score = ft.ratio(numerator, f"{m.denominator * coefficient.denominator * weights}*{cov_d}*{ful_d}")
    if coefficient > 1:
        score = ft.capped(score, m)
    return ft.if_(f"{v['registered']}=0", ft.number(m), score)


def _check_intensity(params: Mapping, maximum: Fraction) -> list[str]:
    total = to_fraction(params.get("coverage_weight", 0)) + to_fraction(params.get("plan_weight", 0))
    return [] if total == 1 else [text("kind.intensity", total=total)]


def _reception_intensity_inverse(params: Mapping, v: Values, ctx: Context, name: str, bound: Fraction) -> Fraction | None:
    # max·c·(α·coverage + β·fulfilment) = bound, solved for one share, then for its part
    expected = v["registered"] - v["declined"]
    if v["registered"] == 0:
        return None
    blend = bound / (ctx.maximum * to_fraction(params["coefficient"]))
    alpha, beta = to_fraction(params["coverage_weight"]), to_fraction(params["plan_weight"])
    if name == "received":
        if expected == 0 or alpha == 0:
            return None
        return (blend - beta * _share(v["held"], v["plan"])) / alpha * expected
    if v["plan"] == 0 or beta == 0:
        return None
    return (blend - alpha * _share(v["received"], expected)) / beta * v["plan"]


RECEPTION_INTENSITY = Kind(
    name="reception_intensity",
    input_params=(),
    required=("coverage_weight", "plan_weight", "coefficient"),
    score=_reception_intensity,
    check=_check_intensity,
    monotone=lambda p: {"received": 1, "held": 1},
    excel=_reception_intensity_excel,
    inverse=_reception_intensity_inverse,
)


def _waiting_time(params: Mapping, v: Values, ctx: Context) -> Fraction:
    # max · min(1, notified/requests) · (a·on_date + b·within_month)/registrants, clamped to
    # [0, max]: in whole numbers with one Fraction at the end — a what-if search scores this
    # thousands of times, and each Fraction operation reduces by a gcd.
    registrants = v["registrants"]
    if registrants == 0:
        return ctx.maximum
    a, b = to_fraction(params["on_date_coefficient"]), to_fraction(params["within_month_coefficient"])
    on_date, within, notified, requests = (v["received_on_date"], v["received_within_month"], v["notified_in_time"],
                                           v["requests"])
    # (a·on_date + b·within_month) · registrants' denominator / registrants' numerator
    attended_n = (a.numerator * on_date.numerator * b.denominator * within.denominator
                  + b.numerator * within.numerator * a.denominator * on_date.denominator) * registrants.denominator
    attended_d = a.denominator * on_date.denominator * b.denominator * within.denominator * registrants.numerator
    # min(1, notified/requests), 1 where there are no requests
    timely_n = timely_d = 1
    if requests != 0:
        timely_n, timely_d = notified.numerator * requests.denominator, notified.denominator * requests.numerator
        if timely_d < 0:
            timely_n, timely_d = -timely_n, -timely_d
        if timely_n >= timely_d:
            timely_n = timely_d = 1
    maximum = ctx.maximum
    numerator = maximum.numerator * timely_n * attended_n
    denominator = maximum.denominator * timely_d * attended_d
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator <= 0:
        return Fraction(0)
    if numerator * maximum.denominator >= maximum.numerator * denominator:
        return maximum
    return Fraction(numerator, denominator)


def _waiting_time_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    m = ctx.maximum
    on_date, within_month = to_fraction(params["on_date_coefficient"]), to_fraction(params["within_month_coefficient"])
    weights, (a, b) = _common_denominator(on_date, within_month)
    timely_n, timely_d = ft.share_parts(v["notified_in_time"], v["requests"])
    attended = f"({ft.scaled(Fraction(a), v['received_on_date'])}+{ft.scaled(Fraction(b), v['received_within_month'])})"
    score = ft.ratio(ft.scaled(Fraction(m.numerator), f"{timely_n}*{attended}"),
                     f"{m.denominator * weights}*{timely_d}*{v['registrants']}")
    if on_date > 1 or within_month > 1:
        score = ft.capped(score, m)
    return ft.if_(f"{v['registrants']}=0", ft.number(m), score)


def _waiting_time_inverse(params: Mapping, v: Values, ctx: Context, name: str, bound: Fraction) -> Fraction | None:
    # max·timely·(a·on_date + b·within_month)/registrants = bound, solved for one input
    if v["registrants"] == 0:
        return None
    on_date, within_month = to_fraction(params["on_date_coefficient"]), to_fraction(params["within_month_coefficient"])
    attended = (on_date * v["received_on_date"] + within_month * v["received_within_month"]) / v["registrants"]
    if name == "notified_in_time":
        return bound * v["requests"] / (ctx.maximum * attended) if v["requests"] and attended else None
    timely = _share(v["notified_in_time"], v["requests"])
    if not timely or not on_date:
        return None
    return (bound * v["registrants"] / (ctx.maximum * timely) - within_month * v["received_within_month"]) / on_date


# The moves `_waiting_time_together` knows: requests notified in time raised, citizens received
# on the set date raised (newly received), and citizens moved there from «within a month».
_TOGETHER_MOVES = {("notified_in_time", 1, None), ("received_on_date", 1, None),
                   ("received_on_date", 1, "received_within_month")}


def _waiting_time_together(params: Mapping, v: Values, ctx: Context, crossing: Fraction,
                           moves: Sequence[MoveSpec]) -> list[tuple[Fraction, ...]] | None:
    # max·min(1, (n+x)/R)·(a·(o+c+d) + b·(w−d))/G ≥ crossing with the least x/Sx + (c+d)/Sc:
    # x requests notified, c citizens newly received on the date, d moved there from within a
    # month. For e = c + d citizens, newly received ones first (each gains a, a moved one
    # a − b ≤ a); then x is the least that reaches, in closed form. Every e is tried, in whole
    # numbers: a few thousand steps at most, where the search scored a Fraction per step.
    if len(moves) != len(_TOGETHER_MOVES) or {(m.name, m.way, m.source) for m in moves} != _TOGETHER_MOVES:
        return None
    a, b = to_fraction(params["on_date_coefficient"]), to_fraction(params["within_month_coefficient"])
    counts = [v[name] for name in ("requests", "notified_in_time", "registrants", "received_on_date",
                                   "received_within_month")]
    if a <= 0 or b < 0 or any(c.denominator != 1 or c < 0 for c in counts):
        return None
    requests, notified, registrants, on_date, within = map(int, counts)
    free = registrants - on_date - within  # registered, not yet received on the date or within a month
    scale = {(m.name, m.source): m.scale for m in moves}
    notify_scale, new_scale = scale[("notified_in_time", None)], scale[("received_on_date", None)]
    if (scale[("received_on_date", "received_within_month")] != new_scale or registrants == 0 or free < 0
            or notified > requests or not 0 < crossing <= ctx.maximum or notify_scale <= 0 or new_scale <= 0):
        return None
    weights = math.lcm(a.denominator, b.denominator)
    a_w, b_w = int(a * weights), int(b * weights)
    movable = within if a > b else 0
    # n + x ≥ crossing·R·G·weights / (max·attended·weights), attended·weights = a_w·(o+e) + b_w·(w−d)
    numerator = crossing.numerator * ctx.maximum.denominator * requests * registrants * weights
    denominator = crossing.denominator * ctx.maximum.numerator
    # x/Sx + e/Sc, times Sx·Sc's numerators and denominators: a whole number to compare
    per_request = notify_scale.denominator * new_scale.numerator
    per_citizen = new_scale.denominator * notify_scale.numerator
    best, found = None, []
    for e in range(free + movable + 1):
        moved = max(0, e - free)
        attended = a_w * (on_date + e) + b_w * (within - moved)
        if attended <= 0:
            continue
        if requests == 0:  # nothing to notify: the share counts as whole
            if ctx.maximum * Fraction(attended, weights * registrants) < crossing:
                continue
            x = 0
        else:
            need = -(-numerator // (denominator * attended))
            if need > requests:
                continue
            x = max(0, need - notified)
        key = x * per_request + e * per_citizen
        if best is None or key < best:
            best, found = key, []
        if key == best:
            amounts = {("notified_in_time", None): x, ("received_on_date", None): e - moved,
                       ("received_on_date", "received_within_month"): moved}
            found.append(tuple(Fraction(amounts[(m.name, m.source)]) for m in moves))
        if x == 0:
            break  # more citizens only add to the change
    return found


WAITING_TIME = Kind(
    name="waiting_time",
    input_params=(),
    required=("on_date_coefficient", "within_month_coefficient"),
    score=_waiting_time,
    check=no_check,
    monotone=lambda p: {"notified_in_time": 1, "received_on_date": 1},
    excel=_waiting_time_excel,
    inverse=_waiting_time_inverse,
    together=_waiting_time_together,
)

# Inputs the custom kinds read by name: the methodology must declare them.
FIXED_INPUTS = {
    "reception_intensity": ("registered", "declined", "received", "held", "plan"),
    "waiting_time": ("requests", "notified_in_time", "registrants", "received_on_date", "received_within_month"),
}
