"""What every formula kind is made of: the Kind record, the contexts a score, an Excel form
and an inverse may know, and the one exception for an input that does not fit."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping, Sequence

from ...texts import text

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
    # (`combined.combined`), with no other order to try.
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
    scores: Callable[[Mapping, Fraction, str | None, Callable[[str], bool]], Sequence[Fraction] | None] = \
        lambda params, maximum, body_type, whole: None
    # The inverse (what-if): the value of input `name` at which the unrounded score equals
    # `bound`, the other inputs as given; None where there is no closed form for these values.
    # It is where `targets.target` starts looking: the steps on either side of it are scored
    # and the search takes over if the guess is wrong, so a closed form need only be right
    # away from caps and clamps to save the search, never to give the answer.
    inverse: Callable[[Mapping, Values, Context, str, Fraction], Fraction | None] | None = None
    # The inverse of several levers together (what-if, `combined.combined`): given the moves
    # a proposal may make (`MoveSpec`) and the unrounded score to reach, the amounts of the
    # moves of least change, one tuple per candidate of equal change; None where the kind
    # has no closed form for these moves and values (the search then looks). Every candidate
    # is scored exactly before it is proposed; tests hold its change to every combination's.
    together: Callable[[Mapping, Values, Context, Fraction, Sequence["MoveSpec"]],
                       list[tuple[Fraction, ...]] | None] | None = None

    def summary(self, lang: str | None = None) -> str:
        """What the kind computes, in words, in the language."""
        return text(f"doc.kind.{self.name}", lang)


@dataclass(frozen=True)
class MoveSpec:
    """One way a proposal may change inputs (`Kind.together`): `name` raised (`way` +1) or
    lowered (−1), or people moved into `name` from `source`; its amount measured against
    `scale`. `end`: the farthest value of `name` the move alone reaches; `step`: the input's
    grid (1 for counts, a hundredth for values), None for a choice, whose `choices` are given."""

    name: str
    way: int
    source: str | None
    scale: Fraction
    end: Fraction
    step: Fraction | None = None
    choices: tuple[Fraction, ...] = ()


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


def past(bound: str, current: str, t: TargetContext, up: bool, strict: bool = False) -> str:
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


def clamp(value: Fraction, maximum: Fraction) -> Fraction:
    return max(Fraction(0), min(maximum, value))


def no_check(params: Mapping, maximum: Fraction) -> list[str]:
    return []

def zero_whole(name: str) -> str:
    """The refusal of a whole given as 0 (`name` as the surface calls the input)."""
    return text("value.zero_whole", whole=name)
