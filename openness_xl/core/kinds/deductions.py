"""The deductions: a share of faults (ratio) or each fault (per fact) taken from the maximum."""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Mapping

from .. import formula_text as ft
from ..exact import to_fraction
from ...texts import text
from .base import Context, ExcelContext, Expressions, Kind, TargetContext, Values, clamp, past


def _ratio_deduction(params: Mapping, v: Values, ctx: Context) -> Fraction:
    part, whole = v[params["part"]], v[params["whole"]]
    if whole == 0:
        return ctx.maximum
    if params.get("literal_zero_held") and part == whole:
        return ctx.maximum
    factor = to_fraction(params["factor"])
    return clamp(ctx.maximum * (1 - factor * part / whole), ctx.maximum)


def _ratio_deduction_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    part, whole = v[params["part"]], v[params["whole"]]
    f, m = to_fraction(params["factor"]), ctx.maximum
    # max · (1 − f·part/whole) = Mn·(fd·whole − fn·part) / (Md·fd·whole)
    kept = f"({ft.scaled(Fraction(f.denominator), whole)}-{ft.scaled(Fraction(f.numerator), part)})"
    score = ft.ratio(ft.scaled(Fraction(m.numerator), kept), ft.scaled(Fraction(m.denominator * f.denominator), whole))
    floored = ft.if_(f"{ft.scaled(Fraction(f.numerator), part)}>={ft.scaled(Fraction(f.denominator), whole)}", "0", score)
    if params.get("literal_zero_held"):
        floored = ft.if_(f"{part}={whole}", ft.number(m), floored)
    return ft.if_(f"{whole}=0", ft.number(m), floored)


def _ratio_deduction_target(params: Mapping, v: Expressions, t: TargetContext, name: str) -> str:
    # max·(1 − f·part/whole) ≥ (2G−1)/(2D) with max = Mn/Md, f = fn/fd:
    #   part ≤ whole·(2D·Mn − (2G−1)·Md)·fd / (2D·Mn·fn);  whole ≥ part·2D·Mn·fn / ((2D·Mn − (2G−1)·Md)·fd)
    m, f = t.excel.maximum, to_fraction(params["factor"])
    two_d, bound = t.reach_bound(True)
    kept = f"({two_d * m.numerator}-{bound}*{m.denominator})"
    part, whole = v[params["part"]], v[params["whole"]]
    if name == params["part"]:
        return past(f"{whole}*{kept}*{f.denominator}/{two_d * m.numerator * f.numerator}", part, t, up=False)
    return past(f"{part}*{two_d * m.numerator * f.numerator}/({kept}*{f.denominator})", whole, t, up=True)


def _ratio_deduction_inverse(params: Mapping, v: Values, ctx: Context, name: str, bound: Fraction) -> Fraction | None:
    # max·(1 − f·part/whole) = bound ⟺ part = whole·(1 − bound/max)/f ⟺ whole = f·part/(1 − bound/max)
    factor, kept = to_fraction(params["factor"]), 1 - bound / ctx.maximum
    if name == params["part"]:
        return v[params["whole"]] * kept / factor
    return factor * v[params["part"]] / kept if kept > 0 else None


def _check_factor(params: Mapping, maximum: Fraction) -> list[str]:
    problems = []
    if to_fraction(params.get("factor", 0)) <= 0:
        problems.append(text("kind.factor"))
    if params.get("when_whole_zero", "maximum") != "maximum":
        problems.append(text("kind.when_whole_zero"))
    return problems


RATIO_DEDUCTION = Kind(
    name="ratio_deduction",
    input_params=("part", "whole"),
    required=("part", "whole", "factor"),
    score=_ratio_deduction,
    check=_check_factor,
    # The literal reading jumps back to the maximum when the part is the whole (no hearing
    # held at all), so neither input moves the score one way there.
    monotone=lambda p: {} if p.get("literal_zero_held") else {p["part"]: -1, p["whole"]: 1},
    excel=_ratio_deduction_excel,
    excel_target=_ratio_deduction_target,
    inverse=_ratio_deduction_inverse,
)


# ------------------------------------------------------------------ per-fact deduction

def _per_fact(params: Mapping, v: Values, ctx: Context) -> Fraction:
    return clamp(ctx.maximum - to_fraction(params["per_fact"]) * v[params["count"]], ctx.maximum)


def _per_fact_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    count, per, m = v[params["count"]], to_fraction(params["per_fact"]), ctx.maximum
    # max − per·count = (Mn·pd − pn·Md·count) / (Md·pd)
    taken = ft.scaled(Fraction(per.numerator * m.denominator), count)
    full = ft.number(Fraction(m.numerator * per.denominator))
    score = ft.ratio(f"{full}-{taken}", m.denominator * per.denominator)
    return ft.if_(f"{taken}>={full}", "0", score)


def _per_fact_target(params: Mapping, v: Expressions, t: TargetContext, name: str) -> str:
    # max − per·count ≥ (2G−1)/(2D) ⟺ count ≤ (2D·Mn − (2G−1)·Md)·pd / (2D·Md·pn)
    m, per = t.excel.maximum, to_fraction(params["per_fact"])
    two_d, bound = t.reach_bound(True)
    return past(f"({two_d * m.numerator}-{bound}*{m.denominator})*{per.denominator}/"
                 f"{two_d * m.denominator * per.numerator}", v[name], t, up=False)


PER_FACT_DEDUCTION = Kind(
    name="per_fact_deduction",
    input_params=("count",),
    required=("count", "per_fact"),
    score=_per_fact,
    check=lambda p, m: [] if to_fraction(p.get("per_fact", 0)) > 0 else [text("kind.per_fact")],
    monotone=lambda p: {p["count"]: -1},
    excel=_per_fact_excel,
    excel_target=_per_fact_target,
    # max − per·count = bound
    inverse=lambda p, v, ctx, name, bound: (ctx.maximum - bound) / to_fraction(p["per_fact"]),
    scores=lambda p, m, body_type, whole: _steps_down(m, to_fraction(p["per_fact"])) if whole(p["count"]) else None,
)


@lru_cache(maxsize=64)  # asked once per body and indicator by a report's what-if sheet
def _steps_down(maximum: Fraction, per: Fraction) -> tuple[Fraction, ...]:
    """max, max − per, max − 2·per, … down to 0: a whole count of facts, each costing `per`."""
    return tuple(sorted({max(Fraction(0), maximum - k * per) for k in range(math.ceil(maximum / per) + 1)}))
