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

from . import formula_text as ft
from .exact import round_half_away, to_fraction
from ..texts import text


Values = Mapping[str, Fraction]
# Excel expressions of the (validated) input values, by input name.
Expressions = Mapping[str, str]


class InputProblem(ValueError):
    """An input that does not fit its declaration, or inputs that are each valid but contradict
    one another (a part larger than its whole); `field` names the input, the message says
    what was expected."""

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
class ExcelContext:
    """What a kind's Excel form may know: the maximum, a test of the body type, and how
    many decimals each input can have (None when it is not a choice of a few values)."""

    maximum: Fraction
    decimals: int
    body_type_is: Callable[[str], str]
    input_decimals: Mapping[str, int | None]


@dataclass(frozen=True)
class Kind:
    name: str  # its summary in words is the catalogue's `doc.kind.<name>`
    # Parameter names whose value must be one of the indicator's inputs.
    input_params: tuple[str, ...]
    required: tuple[str, ...]
    score: Callable[[Mapping, Values, Context], Fraction]
    check: Callable[[Mapping, Fraction], list[str]]
    # +1: the score never falls when this input grows; -1: never rises.
    monotone: Callable[[Mapping], dict[str, int]]
    # The Excel expression of the unrounded score over valid inputs (see formula_text for
    # why coefficients are integer ratios and the division comes last).
    excel: Callable[[Mapping, Expressions, ExcelContext], str]
    # Inputs the kind cannot score at 0 (a whole): refused with the inputs' problems, on
    # every surface, before the score is computed (`values.check_relations`, native._relations).
    nonzero: Callable[[Mapping], tuple[str, ...]] = lambda params: ()
    # The score is a sum of one term per input, each linear in it (before the cap and the
    # rounding): the least change of several inputs fills those that give most per unit first
    # (`targets.combined`), with no other order to try.
    additive: bool = False
    rounds_itself: bool = False
    # The inverse in Excel form (what-if): the value of one input that reaches a goal score,
    # the others unchanged, for inputs whose score does not reach it yet (see TargetContext);
    # None where the kind has no closed form (OPENNESS_TARGET searches instead).
    excel_target: Callable[[Mapping, Expressions, "TargetContext", str], str] | None = None
    # Every score the kind can give, for a kind that gives only a few (bands, whole steps,
    # yes/no components): (params, maximum, body type, whether an input is a whole number)
    # → the scores, ascending; None where the scores fill the range (what-if then asks for
    # any score on the methodology's decimal grid).
    scores: Callable[[Mapping, Fraction, str | None, Callable[[str], bool]], list[Fraction] | None] = \
        lambda params, maximum, body_type, whole: None

    def summary(self, lang: str | None = None) -> str:
        """What the kind computes, in words, in the language."""
        return text(f"doc.kind.{self.name}", lang)


@dataclass(frozen=True)
class TargetContext:
    """What a kind's Excel inverse may know: the score's context, the goal as a whole number of
    hundredths (10^decimals) — an expression —, whether the goal is a ceiling (a penalty) and the
    input's grid (1 for counts, 100 for values given to the hundredth)."""

    excel: ExcelContext
    goal_units: str
    penalty: bool
    grid: int

    def reach_bound(self, upward: bool) -> tuple[int, str]:
        """The exact unrounded score that still rounds to the goal, as (denominator, numerator
        expression): ROUND(x) ≥ g ⟺ x ≥ (2G − 1)/(2·10^d); ROUND(x) ≤ g ⟺ x < (2G + 1)/(2·10^d)."""
        return 2 * 10 ** self.excel.decimals, f"(2*{self.goal_units}{'-' if upward else '+'}1)"


def _past(bound: str, current: str, t: TargetContext, up: bool, strict: bool = False) -> str:
    """The input value nearest its current one, on its grid (current + k/grid), at or past
    `bound` — above it when `up`, below it otherwise; strictly past it when `strict`. The
    core's search (targets.py) steps the same way. A count's grid is 1 and its bound an
    integer ratio, exact in a double; a value given to the hundredth is rounded at 9 places
    first, so that binary noise cannot tip a whole step."""
    gap = f"(({bound})-{current})" if up else f"({current}-({bound}))"
    if t.grid != 1:
        gap = f"ROUND({gap}*{t.grid},9)"
    steps = f"(INT({gap})+1)" if strict else f"(-INT(-{gap}))"
    step = steps if t.grid == 1 else f"{steps}/{t.grid}"
    return f"({current}{'+' if up else '-'}{step})"


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
        return _past(f"{whole}*{kept}*{f.denominator}/{two_d * m.numerator * f.numerator}", part, t, up=False)
    return _past(f"{part}*{two_d * m.numerator * f.numerator}/({kept}*{f.denominator})", whole, t, up=True)


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
)


# ------------------------------------------------------------------ per-fact deduction

def _per_fact(params: Mapping, v: Values, ctx: Context) -> Fraction:
    return _clamp(ctx.maximum - to_fraction(params["per_fact"]) * v[params["count"]], ctx.maximum)


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
    return _past(f"({two_d * m.numerator}-{bound}*{m.denominator})*{per.denominator}/"
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
    scores=lambda p, m, body_type, whole: _steps_down(m, to_fraction(p["per_fact"])) if whole(p["count"]) else None,
)


def _steps_down(maximum: Fraction, per: Fraction) -> list[Fraction]:
    """max, max − per, max − 2·per, … down to 0: a whole count of facts, each costing `per`."""
    return sorted({max(Fraction(0), maximum - k * per) for k in range(math.ceil(maximum / per) + 1)})


# ------------------------------------------------------------------ band tables

def bands_for(params: Mapping, body_type: str | None) -> list[tuple[Fraction, Fraction]]:
    """The (from, points) steps that apply, ascending by their lower edge."""
    if "bands_by_body_type" in params:
        if body_type not in params["bands_by_body_type"]:
            raise InputProblem("body_type", text("value.extra.body_type", known=", ".join(params["bands_by_body_type"]),
                                              value=repr(body_type)))
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


def _band_chain(steps: list[tuple[Fraction, Fraction]], reaches: Callable[[Fraction], str]) -> str:
    """Nested IFs, highest edge outermost: the points of the highest edge the value reaches."""
    expression = ft.number(steps[0][1])
    for edge, points in steps[1:]:
        expression = ft.if_(reaches(edge), ft.number(points), expression)
    return expression


def _band_table_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    if "value" in params:
        value = v[params["value"]]
        reaches = lambda edge: f"{value}>={ft.number(edge)}"  # noqa: E731
    else:
        part, whole = v[params["part"]], v[params["whole"]]
        reaches = lambda edge: ft.at_least_ratio(part, whole, edge)  # noqa: E731
    if "bands_by_body_type" in params:
        codes = list(params["bands_by_body_type"])
        expression = _band_chain(bands_for(params, codes[-1]), reaches)
        for code in reversed(codes[:-1]):
            expression = ft.if_(ctx.body_type_is(code), _band_chain(bands_for(params, code), reaches), expression)
    else:
        expression = _band_chain(bands_for(params, None), reaches)
    if "value" in params:
        return expression
    return ft.if_(f"{v[params['whole']]}=0", ft.number(ctx.maximum), expression)


def _band_edge_for(steps: list[tuple[Fraction, Fraction]], goal_units: str, decimals: int, rising: bool,
                   then: Callable[[Fraction], str], never: str) -> str:
    """An IF chain over the goal: `then(edge)` for the edge the goal needs — the lowest edge
    whose band gives the goal when the points rise, else the upper edge of the last band that
    does — and `never` when no band gives it. Band points are exact, so no rounding enters."""
    units = 10 ** decimals
    if rising:
        choices = [(points, edge) for edge, points in steps]  # the first band with points ≥ goal
    else:
        upper = [edge for edge, _ in steps[1:]] + [None]
        choices = [(points, edge) for (_, points), edge in zip(steps, upper)][::-1]
    expression = never
    for points, edge in reversed(choices):
        answer = ft.text("") if edge is None else then(edge)
        expression = ft.if_(f"{goal_units}<={int(points * units)}", answer, expression)
    return expression


def _band_table_target(params: Mapping, v: Expressions, t: TargetContext, name: str) -> str:
    rising = _band_monotone(params)[params.get("value") or params["part"]] > 0
    never = ft.text(text("value.unreachable"))
    current = v[name]

    def reach(edge: Fraction) -> str:
        # rising points: the share (or value) at least the band's lower edge; falling: below
        # the upper edge of the band that gives the goal
        if "value" in params:
            return _past(ft.number(edge), current, t, up=rising, strict=not rising)
        part, whole = v[params["part"]], v[params["whole"]]
        if name == params["part"]:  # 100·part/whole vs e ⟺ part vs e·whole/100
            return _past(f"{whole}*{edge.numerator}/{100 * edge.denominator}", current, t, up=rising, strict=not rising)
        if edge == 0:
            return never  # no whole makes a share reach 0 % from below
        # the whole moves the share the other way: 100·part/whole ≥ e ⟺ whole ≤ 100·part/e
        return _past(f"{part}*{100 * edge.denominator}/{edge.numerator}", current, t, up=not rising, strict=not rising)

    def for_steps(steps):
        return _band_edge_for(steps, t.goal_units, t.excel.decimals, rising, reach, never)

    if "bands_by_body_type" in params:
        codes = list(params["bands_by_body_type"])
        expression = for_steps(bands_for(params, codes[-1]))
        for code in reversed(codes[:-1]):
            expression = ft.if_(t.excel.body_type_is(code), for_steps(bands_for(params, code)), expression)
        return expression
    return for_steps(bands_for(params, None))


def _band_tables(params: Mapping) -> list[list]:
    if "bands_by_body_type" in params:
        return list(params["bands_by_body_type"].values())
    return [params.get("bands", [])]


def _check_bands(params: Mapping, maximum: Fraction) -> list[str]:
    problems = []
    has_value = "value" in params
    has_ratio = "part" in params and "whole" in params
    if has_value == has_ratio:
        problems.append(text("kind.value_or_ratio"))
    if "bands" in params and "bands_by_body_type" in params:
        problems.append(text("kind.bands_twice"))
    if "bands" not in params and "bands_by_body_type" not in params:
        problems.append(text("kind.no_bands"))
    for table in _band_tables(params):
        if not table:
            problems.append(text("kind.empty_bands"))
            continue
        edges = [to_fraction(b.get("from", -1)) for b in table]
        points = [to_fraction(b.get("points", -1)) for b in table]
        if edges != sorted(edges) or len(set(edges)) != len(edges):
            problems.append(text("kind.edges_rise", edges=[str(e) for e in edges]))
        if edges[0] != 0:
            problems.append(text("kind.first_band", edge=edges[0]))
        if any(p < 0 or p > maximum for p in points):
            problems.append(text("kind.points_range", maximum=maximum, points=[str(p) for p in points]))
        if points != sorted(points) and points != sorted(points, reverse=True):
            problems.append(text("kind.points_monotone", points=[str(p) for p in points]))
        if max(points) != maximum:
            problems.append(text("kind.best_band", maximum=maximum, best=max(points)))
    return problems


def _band_monotone(params: Mapping) -> dict[str, int]:
    points = [to_fraction(b["points"]) for b in sorted(_band_tables(params)[0], key=lambda b: to_fraction(b["from"]))]
    direction = 1 if points[-1] >= points[0] else -1
    if "value" in params:
        return {params["value"]: direction}
    return {params["part"]: direction, params["whole"]: -direction}  # a larger whole is a smaller share


BAND_TABLE = Kind(
    name="band_table",
    input_params=("value", "part", "whole"),
    required=(),
    score=_band_table,
    check=_check_bands,
    monotone=_band_monotone,
    excel=_band_table_excel,
    excel_target=_band_table_target,
    scores=lambda p, m, body_type, whole: _band_scores(p, m, body_type),
)


def _band_scores(params: Mapping, maximum: Fraction, body_type: str | None) -> list[Fraction]:
    """The points of the body type's bands (of every table where the type is not known), and
    the maximum a zero base gives."""
    tables = ([bands_for(params, body_type)] if body_type in params.get("bands_by_body_type", {}) or "bands" in params
              else [bands_for(params, code) for code in params["bands_by_body_type"]])
    return sorted({points for table in tables for _, points in table} | {maximum})


# ------------------------------------------------------------------ counts

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
        return _past(f"{steps}*{per.numerator}/{per.denominator}", v[name], t, up=True)
    return _past(f"{steps}*{per.numerator}/{per.denominator}", v[name], t, up=False, strict=True)


COUNT_POINTS = Kind(
    name="count_points",
    input_params=("count",),
    required=("count", "per", "points"),
    score=_count_points,
    check=lambda p, m: [] if to_fraction(p.get("per", 0)) > 0 and to_fraction(p.get("points", 0)) > 0 else [text("kind.per_and_points")],
    monotone=lambda p: {p["count"]: 1},
    excel=_count_points_excel,
    excel_target=_count_points_target,
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


# ------------------------------------------------------------------ shares and proportions

def _weighted_shares(params: Mapping, v: Values, ctx: Context) -> Fraction:
    return min(ctx.maximum, sum((to_fraction(w) * v[name] for name, w in params["weights"].items()), Fraction(0)))


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
)


def zero_whole(name: str) -> str:
    """The refusal of a whole given as 0 (`name` as the surface calls the input)."""
    return text("value.zero_whole", whole=name)


def _proportional(params: Mapping, v: Values, ctx: Context) -> Fraction:
    whole = v[params["whole"]]
    if whole == 0:
        raise InputProblem(params["whole"], zero_whole(params["whole"]))
    return _clamp(ctx.maximum * v[params["part"]] / whole, ctx.maximum)


def _proportional_excel(params: Mapping, v: Expressions, ctx: ExcelContext) -> str:
    # The part is never above its whole (part_of is checked first), so no clamp is written.
    m = ctx.maximum
    return ft.ratio(ft.scaled(Fraction(m.numerator), v[params["part"]]), ft.scaled(Fraction(m.denominator), v[params["whole"]]))


def _proportional_target(params: Mapping, v: Expressions, t: TargetContext, name: str) -> str:
    # max·part/whole ≥ (2G−1)/(2D) ⟺ part ≥ whole·(2G−1)·Md / (2D·Mn)
    m = t.excel.maximum
    two_d, bound = t.reach_bound(True)
    return _past(f"{v[params['whole']]}*{bound}*{m.denominator}/{two_d * m.numerator}", v[name], t, up=True)


PROPORTIONAL = Kind(
    name="proportional",
    input_params=("part", "whole"),
    required=("part", "whole"),
    score=_proportional,
    check=_no_check,
    monotone=lambda p: {p["part"]: 1},
    excel=_proportional_excel,
    excel_target=_proportional_target,
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


OPEN_DATA = Kind(
    name="open_data",
    input_params=(),
    required=("parts", "coefficients"),
    score=_open_data,
    check=_no_check,
    monotone=lambda p: {name: 1 for name in [*p["parts"], *p["coefficients"]]},
    excel=_open_data_excel,
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


RECEPTION_INTENSITY = Kind(
    name="reception_intensity",
    input_params=(),
    required=("coverage_weight", "plan_weight", "coefficient"),
    score=_reception_intensity,
    check=_check_intensity,
    monotone=lambda p: {"received": 1, "held": 1},
    excel=_reception_intensity_excel,
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


WAITING_TIME = Kind(
    name="waiting_time",
    input_params=(),
    required=("on_date_coefficient", "within_month_coefficient"),
    score=_waiting_time,
    check=_no_check,
    monotone=lambda p: {"notified_in_time": 1, "received_on_date": 1},
    excel=_waiting_time_excel,
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
