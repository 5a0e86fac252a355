"""The formula kinds: a handful of pure functions that every indicator is built from.

An indicator in the methodology file names its kind and gives the kind's parameters; the
kind turns exact input values into an exact, unrounded score between 0 and the maximum.
Each kind also checks its own parameters when the methodology is loaded and says in which
direction each input moves the score, which the property tests rely on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

from .exact import round_half_away, to_fraction

Values = Mapping[str, Fraction]


class InputProblem(ValueError):
    """Inputs that are each valid but contradict one another (e.g. a part larger than its whole)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Context:
    """What a kind may know besides the inputs: the maximum, the body type, rounding."""

    maximum: Fraction
    body_type: str | None
    decimals: int


@dataclass(frozen=True)
class Kind:
    name: str
    summary: str
    # Parameter names whose value must be one of the indicator's inputs.
    input_params: tuple[str, ...]
    required: tuple[str, ...]
    score: Callable[[Mapping, Values, Context], Fraction]
    check: Callable[[Mapping, Fraction], list[str]]
    # +1: the score never falls when this input grows; -1: never rises.
    monotone: Callable[[Mapping], dict[str, int]]
    rounds_itself: bool = False


def _clamp(value: Fraction, maximum: Fraction) -> Fraction:
    return max(Fraction(0), min(maximum, value))


def _no_check(params: Mapping, maximum: Fraction) -> list[str]:
    return []


# ------------------------------------------------------------------ ratio deduction

def _ratio_deduction(params: Mapping, v: Values, ctx: Context) -> Fraction:
    part, whole = v[params["part"]], v[params["whole"]]
    if whole == 0:
        return ctx.maximum
    if params.get("literal_zero_held") and part == whole:
        return ctx.maximum
    factor = to_fraction(params["factor"])
    return _clamp(ctx.maximum * (1 - factor * part / whole), ctx.maximum)


def _check_factor(params: Mapping, maximum: Fraction) -> list[str]:
    problems = []
    if to_fraction(params.get("factor", 0)) <= 0:
        problems.append("factor must be a positive number")
    if params.get("when_whole_zero", "maximum") != "maximum":
        problems.append("when_whole_zero can only be \"maximum\" (a zero base means nothing to assess)")
    return problems


RATIO_DEDUCTION = Kind(
    name="ratio_deduction",
    summary="max · (1 − factor · part / whole), floored at 0; whole = 0 gives the maximum",
    input_params=("part", "whole"),
    required=("part", "whole", "factor"),
    score=_ratio_deduction,
    check=_check_factor,
    monotone=lambda p: {p["part"]: -1},
)


# ------------------------------------------------------------------ per-fact deduction

def _per_fact(params: Mapping, v: Values, ctx: Context) -> Fraction:
    return _clamp(ctx.maximum - to_fraction(params["per_fact"]) * v[params["count"]], ctx.maximum)


PER_FACT_DEDUCTION = Kind(
    name="per_fact_deduction",
    summary="max − per_fact · count, floored at 0",
    input_params=("count",),
    required=("count", "per_fact"),
    score=_per_fact,
    check=lambda p, m: [] if to_fraction(p.get("per_fact", 0)) > 0 else ["per_fact must be positive"],
    monotone=lambda p: {p["count"]: -1},
)


# ------------------------------------------------------------------ band tables

def bands_for(params: Mapping, body_type: str | None) -> list[tuple[Fraction, Fraction]]:
    """The (from, points) steps that apply, ascending by their lower edge."""
    if "bands_by_body_type" in params:
        if body_type not in params["bands_by_body_type"]:
            raise InputProblem("body_type", f"body type must be one of {', '.join(params['bands_by_body_type'])}, got {body_type!r}")
        raw = params["bands_by_body_type"][body_type]
    else:
        raw = params["bands"]
    return sorted((to_fraction(b["from"]), to_fraction(b["points"])) for b in raw)


def band_value(params: Mapping, v: Values) -> Fraction | None:
    """The percent the bands are read at, or None when the base is zero."""
    if "value" in params:
        return v[params["value"]]
    whole = v[params["whole"]]
    if whole == 0:
        return None
    return 100 * v[params["part"]] / whole


def _band_table(params: Mapping, v: Values, ctx: Context) -> Fraction:
    value = band_value(params, v)
    if value is None:
        return ctx.maximum
    steps = bands_for(params, ctx.body_type)
    points = steps[0][1]
    for edge, step_points in steps:
        if value >= edge:
            points = step_points
    return points


def _band_tables(params: Mapping) -> list[list]:
    if "bands_by_body_type" in params:
        return list(params["bands_by_body_type"].values())
    return [params.get("bands", [])]


def _check_bands(params: Mapping, maximum: Fraction) -> list[str]:
    problems = []
    has_value = "value" in params
    has_ratio = "part" in params and "whole" in params
    if has_value == has_ratio:
        problems.append("give either value = <input> or part and whole")
    if "bands" in params and "bands_by_body_type" in params:
        problems.append("give bands or bands_by_body_type, not both")
    if "bands" not in params and "bands_by_body_type" not in params:
        problems.append("bands are missing")
    for table in _band_tables(params):
        if not table:
            problems.append("a band table is empty")
            continue
        edges = [to_fraction(b.get("from", -1)) for b in table]
        points = [to_fraction(b.get("points", -1)) for b in table]
        if edges != sorted(edges) or len(set(edges)) != len(edges):
            problems.append(f"band edges must rise strictly, got {[str(e) for e in edges]}")
        if edges[0] != 0:
            problems.append(f"the first band must start at 0, got {edges[0]}")
        if any(p < 0 or p > maximum for p in points):
            problems.append(f"band points must lie in [0, {maximum}], got {[str(p) for p in points]}")
        if points != sorted(points) and points != sorted(points, reverse=True):
            problems.append(f"band points must be monotone, got {[str(p) for p in points]}")
        if max(points) != maximum:
            problems.append(f"the best band must give the maximum {maximum}, got {max(points)}")
    return problems


def _band_monotone(params: Mapping) -> dict[str, int]:
    points = [to_fraction(b["points"]) for b in sorted(_band_tables(params)[0], key=lambda b: to_fraction(b["from"]))]
    direction = 1 if points[-1] >= points[0] else -1
    if "value" in params:
        return {params["value"]: direction}
    return {params["part"]: direction}


BAND_TABLE = Kind(
    name="band_table",
    summary="points of the band the value (an input, or 100 · part / whole) falls in; lower edges inclusive",
    input_params=("value", "part", "whole"),
    required=(),
    score=_band_table,
    check=_check_bands,
    monotone=_band_monotone,
)


# ------------------------------------------------------------------ counts

def _count_points(params: Mapping, v: Values, ctx: Context) -> Fraction:
    steps = math.floor(v[params["count"]] / to_fraction(params["per"]))
    return min(ctx.maximum, steps * to_fraction(params["points"]))


COUNT_POINTS = Kind(
    name="count_points",
    summary="points for each full `per` counted, capped at the maximum",
    input_params=("count",),
    required=("count", "per", "points"),
    score=_count_points,
    check=lambda p, m: [] if to_fraction(p.get("per", 0)) > 0 and to_fraction(p.get("points", 0)) > 0 else ["per and points must be positive"],
    monotone=lambda p: {p["count"]: 1},
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
    return [] if total == maximum else [f"component points add up to {total}, not the maximum {maximum}"]


BOOLEAN_POINTS = Kind(
    name="boolean_points",
    summary="sum of the components whose conditions (yes/no inputs) all hold",
    input_params=(),
    required=("components",),
    score=_boolean_points,
    check=_check_components,
    monotone=lambda p: {name: 1 for c in p["components"] for name in c["when"]},
)


# ------------------------------------------------------------------ shares and proportions

def _weighted_shares(params: Mapping, v: Values, ctx: Context) -> Fraction:
    return min(ctx.maximum, sum((to_fraction(w) * v[name] for name, w in params["weights"].items()), Fraction(0)))


def _check_weights(params: Mapping, maximum: Fraction) -> list[str]:
    total = sum((to_fraction(w) for w in params.get("weights", {}).values()), Fraction(0))
    return [] if total == maximum else [f"weights add up to {total}, not the maximum {maximum}"]


WEIGHTED_SHARES = Kind(
    name="weighted_shares",
    summary="Σ weight · share over the sub-indicators (each share 0–1)",
    input_params=(),
    required=("weights",),
    score=_weighted_shares,
    check=_check_weights,
    monotone=lambda p: {name: 1 for name in p["weights"]},
)


def _proportional(params: Mapping, v: Values, ctx: Context) -> Fraction:
    whole = v[params["whole"]]
    if whole == 0:
        raise InputProblem(params["whole"], f"{params['whole']} must be greater than 0")
    return _clamp(ctx.maximum * v[params["part"]] / whole, ctx.maximum)


PROPORTIONAL = Kind(
    name="proportional",
    summary="max · part / whole",
    input_params=("part", "whole"),
    required=("part", "whole"),
    score=_proportional,
    check=_no_check,
    monotone=lambda p: {p["part"]: 1},
)


# ------------------------------------------------------------------ open data

def _open_data(params: Mapping, v: Values, ctx: Context) -> Fraction:
    parts = sum((v[name] for name in params["parts"]), Fraction(0))
    coefficient = sum((v[name] for name in params["coefficients"]), Fraction(0))
    # Rounded before the coefficient and not after: МП 9,03 · 0,5 = 4,515 (methodology §1).
    return min(ctx.maximum, round_half_away(parts, ctx.decimals) * coefficient)


OPEN_DATA = Kind(
    name="open_data",
    summary="ROUND(Σ parts; 2) · Σ coefficients, not rounded again",
    input_params=(),
    required=("parts", "coefficients"),
    score=_open_data,
    check=_no_check,
    monotone=lambda p: {name: 1 for name in [*p["parts"], *p["coefficients"]]},
    rounds_itself=True,
)


# ------------------------------------------------------------------ receptions

def _share(part: Fraction, whole: Fraction) -> Fraction:
    return Fraction(1) if whole == 0 else min(Fraction(1), part / whole)


def _reception_intensity(params: Mapping, v: Values, ctx: Context) -> Fraction:
    expected = v["registered"] - v["declined"]
    if v["registered"] == 0:
        return ctx.maximum
    coverage = _share(v["received"], expected)
    fulfilment = _share(v["held"], v["plan"])
    blend = to_fraction(params["coverage_weight"]) * coverage + to_fraction(params["plan_weight"]) * fulfilment
    return _clamp(ctx.maximum * blend * to_fraction(params["coefficient"]), ctx.maximum)


def _check_intensity(params: Mapping, maximum: Fraction) -> list[str]:
    total = to_fraction(params.get("coverage_weight", 0)) + to_fraction(params.get("plan_weight", 0))
    return [] if total == 1 else [f"coverage_weight + plan_weight must be 1, got {total}"]


RECEPTION_INTENSITY = Kind(
    name="reception_intensity",
    summary="max · (w·coverage of registrants + w·plan fulfilment) · coefficient, capped; no registrants → max",
    input_params=(),
    required=("coverage_weight", "plan_weight", "coefficient"),
    score=_reception_intensity,
    check=_check_intensity,
    monotone=lambda p: {"received": 1, "held": 1},
)


def _waiting_time(params: Mapping, v: Values, ctx: Context) -> Fraction:
    if v["registrants"] == 0:
        return ctx.maximum
    timely = _share(v["notified_in_time"], v["requests"])
    coefficient = (
        to_fraction(params["on_date_coefficient"]) * v["received_on_date"]
        + to_fraction(params["within_month_coefficient"]) * v["received_within_month"]
    ) / v["registrants"]
    return _clamp(ctx.maximum * timely * coefficient, ctx.maximum)


WAITING_TIME = Kind(
    name="waiting_time",
    summary="max · (share notified in time) · (mean attendance coefficient); no registrants → max",
    input_params=(),
    required=("on_date_coefficient", "within_month_coefficient"),
    score=_waiting_time,
    check=_no_check,
    monotone=lambda p: {"notified_in_time": 1, "received_on_date": 1},
)

# Inputs the custom kinds read by name: the methodology must declare them.
FIXED_INPUTS = {
    "reception_intensity": ("registered", "declined", "received", "held", "plan"),
    "waiting_time": ("requests", "notified_in_time", "registrants", "received_on_date", "received_within_month"),
}

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        RATIO_DEDUCTION,
        PER_FACT_DEDUCTION,
        BAND_TABLE,
        COUNT_POINTS,
        BOOLEAN_POINTS,
        WEIGHTED_SHARES,
        PROPORTIONAL,
        OPEN_DATA,
        RECEPTION_INTENSITY,
        WAITING_TIME,
    )
}
