"""The inverse in native Excel form: the score that enters the next tier, and the value of one
input that reaches it (the «Цели» sheet), from the kinds' Excel inverses."""
from __future__ import annotations

from fractions import Fraction

from ..core import formula_text as ft
from ..core import grading
from ..core.kinds import TargetContext
from ..core.targets import NO_CEILING, levers, tier_entry
from ..methodology import Indicator, Methodology
from ..texts import text
from .native import Cells, excel_context, input_value


def unreachable() -> str:
    """What a target cell says when no value of the input reaches the goal."""
    return text("value.unreachable")


def goal_formula(methodology: Methodology, indicator: Indicator, score: str) -> str:
    """The score that enters the next better tier, for a valid score; "" at the top tier."""
    edges = grading.tier_edges(methodology, indicator)  # best first
    expression = ft.number(tier_entry(methodology, indicator, edges[-1][0]))
    for (tier, edge, operator), better in reversed(list(zip(edges, [None, *edges[:-1]]))):
        goal = '""' if better is None else ft.number(tier_entry(methodology, indicator, better[0]))
        expression = ft.if_(f"{score}{operator}{ft.number(edge)}", goal, expression)
    return expression


def target_inputs(indicator: Indicator) -> list[str]:
    """The inputs whose target the compiler writes: levers (`targets.levers`, never a given)
    that are counts or values, of a kind with an Excel inverse."""
    if indicator.kind.excel_target is None:
        return []
    moving = levers(indicator)
    return [s.name for s in indicator.inputs if s.name in moving and s.type in ("integer", "decimal")]


def _bounds(indicator: Indicator, cells: Cells, name: str, ceiling) -> tuple[list[str], list[str]]:
    """Excel expressions of the lowest and highest values the input may take, the others fixed."""
    spec, x = indicator.input(name), cells.inputs
    lows = [ft.number(spec.min if spec.min is not None else Fraction(0))]
    lows += [x[s.name] for s in indicator.inputs if s.part_of == name]
    top = spec.max if spec.max is not None else (spec.ceiling if spec.ceiling is not None else ceiling)
    highs = [ft.number(top)] + ([x[spec.part_of]] if spec.part_of else [])
    for group, whole in indicator.sums_at_most:
        if name in group:
            highs.append("(" + "-".join([x[whole], *(x[p] for p in group if p != name)]) + ")")
        if name == whole:
            lows.append("(" + "+".join(x[p] for p in group) + ")")
    return lows, highs


def target_formula(methodology: Methodology, indicator: Indicator, cells: Cells, name: str, goal: str) -> str:
    """The value of input `name` nearest its current one that reaches the score `goal` (an
    expression), the others unchanged, for valid inputs whose score is below the goal: the
    kind's Excel inverse, or «недостижимо» when the value it needs lies outside the input's
    range. It agrees with `targets.target` (OPENNESS_TARGET) for inputs given to the hundredth."""
    spec = indicator.input(name)
    values = {s.name: input_value(s, cells.inputs[s.name]) for s in indicator.inputs}
    context = TargetContext(excel_context(methodology, indicator, cells), f"ROUND({goal}*{10 ** methodology.decimals},0)",
                            indicator.role == "penalty", 1 if spec.type == "integer" else 10 ** methodology.decimals)
    value = indicator.kind.excel_target(indicator.params, values, context, name)
    lows, highs = _bounds(indicator, cells, name, NO_CEILING)
    outside = ft.any_of([f"{value}<{low}" for low in lows] + [f"{value}>{high}" for high in highs])
    return ft.if_(f"ISNUMBER({value})", ft.if_(outside, ft.text(unreachable()), value), value)
