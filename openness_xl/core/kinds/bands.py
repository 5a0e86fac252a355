"""Band tables: a value, or a share, read against a table of edges and points."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Callable, Mapping

from .. import formula_text as ft
from ..exact import to_fraction
from ...texts import text
from .base import Context, ExcelContext, Expressions, InputProblem, Kind, TargetContext, Values, past


def bands_for(params: Mapping, body_type: str | None) -> tuple[tuple[Fraction, Fraction], ...]:
    """The (from, points) steps that apply, ascending by their lower edge."""
    if "bands_by_body_type" in params:
        if body_type not in params["bands_by_body_type"]:
            raise InputProblem("body_type", text("value.extra.body_type", known=", ".join(params["bands_by_body_type"]),
                                              value=repr(body_type)))
        raw = params["bands_by_body_type"][body_type]
    else:
        raw = params["bands"]
    return _steps(tuple((b["from"], b["points"]) for b in raw))


@lru_cache(maxsize=256)
def _steps(raw: tuple) -> tuple[tuple[Fraction, Fraction], ...]:
    """The steps of one table, read and sorted once: a band table is scored a thousand times in
    a report (its roadmaps, its robustness), and the sort compares Fractions (a third of the
    robustness sheet's scoring)."""
    return tuple(sorted((to_fraction(edge), to_fraction(points)) for edge, points in raw))


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


def _band_chain(steps: tuple[tuple[Fraction, Fraction], ...], reaches: Callable[[Fraction], str]) -> str:
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


def _band_edge_for(steps: tuple[tuple[Fraction, Fraction], ...], goal_units: str, decimals: int, rising: bool,
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
            return past(ft.number(edge), current, t, up=rising, strict=not rising)
        part, whole = v[params["part"]], v[params["whole"]]
        if name == params["part"]:  # 100·part/whole vs e ⟺ part vs e·whole/100
            return past(f"{whole}*{edge.numerator}/{100 * edge.denominator}", current, t, up=rising, strict=not rising)
        if edge == 0:
            return never  # no whole makes a share reach 0 % from below
        # the whole moves the share the other way: 100·part/whole ≥ e ⟺ whole ≤ 100·part/e
        return past(f"{part}*{100 * edge.denominator}/{edge.numerator}", current, t, up=not rising, strict=not rising)

    def for_steps(steps):
        return _band_edge_for(steps, t.goal_units, t.excel.decimals, rising, reach, never)

    if "bands_by_body_type" in params:
        codes = list(params["bands_by_body_type"])
        expression = for_steps(bands_for(params, codes[-1]))
        for code in reversed(codes[:-1]):
            expression = ft.if_(t.excel.body_type_is(code), for_steps(bands_for(params, code)), expression)
        return expression
    return for_steps(bands_for(params, None))


def _band_table_inverse(params: Mapping, v: Values, ctx: Context, name: str, bound: Fraction) -> Fraction | None:
    # The first edge where the points cross the bound (rising or falling), then that value,
    # or that share of the whole, in terms of the input.
    steps = bands_for(params, ctx.body_type)
    first_reaches = steps[0][1] >= bound
    edge = next((e for e, points in steps[1:] if (points >= bound) != first_reaches), None)
    if edge is None:
        return None
    if "value" in params:
        return edge
    if name == params["part"]:
        return edge * v[params["whole"]] / 100
    return 100 * v[params["part"]] / edge if edge else None


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
    inverse=_band_table_inverse,
    scores=lambda p, m, body_type, whole: _band_scores(p, m, body_type),
)


def _band_scores(params: Mapping, maximum: Fraction, body_type: str | None) -> list[Fraction]:
    """The points of the body type's bands (of every table where the type is not known), and
    the maximum a zero base gives."""
    tables = ([bands_for(params, body_type)] if body_type in params.get("bands_by_body_type", {}) or "bands" in params
              else [bands_for(params, code) for code in params["bands_by_body_type"]])
    return sorted({points for table in tables for _, points in table} | {maximum})
