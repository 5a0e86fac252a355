"""Pieces of spreadsheet formula text, written so that engines land on the exact value.

The formula kinds and the compiler (`openness_xl.excel.native`) build Excel expressions from
these. Binary floating point cannot hold 0,1 or 0,9 exactly, so coefficients are written as
integer ratios and every expression divides once, last: a sum of integer products is exact
in a double up to 2^53, and one division then gives the double nearest to the exact
quotient, which ROUND (half away from zero) rounds the way the exact core does.
Comparisons are written as products of integers where the core compares ratios.
Plain text only: nothing here imports a spreadsheet library.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from .exact import plain


def number(value: Fraction) -> str:
    """An exact decimal literal: 2.1, 0.25, -5 (the methodology's numbers are decimals)."""
    text = plain(value)
    return f"({text})" if text.startswith("-") else text


def text(value: str) -> str:
    """A string literal, with inner quotes doubled as Excel writes them."""
    return '"' + value.replace('"', '""') + '"'


def scaled(coefficient: Fraction, expression: str) -> str:
    """coefficient · expression for an integer coefficient, without a needless 1*."""
    assert coefficient.denominator == 1, coefficient
    if coefficient == 1:
        return expression
    return f"{number(coefficient)}*{expression}"


def ratio(numerator: str, denominator: int | str) -> str:
    """numerator / denominator, dividing once and last; no division by 1."""
    if denominator == 1 or denominator == "1":
        return numerator
    return f"({numerator})/{denominator}" if not isinstance(denominator, str) else f"({numerator})/({denominator})"


def if_(condition: str, then: str, otherwise: str) -> str:
    return f"IF({condition},{then},{otherwise})"


def any_of(conditions: Sequence[str]) -> str:
    """True when any condition holds, element-wise (OR would aggregate over a range)."""
    return conditions[0] if len(conditions) == 1 else "(" + "+".join(f"({c})" for c in conditions) + ">0)"


def all_of(conditions: Sequence[str]) -> str:
    """True when every condition holds, element-wise (AND would aggregate over a range)."""
    return conditions[0] if len(conditions) == 1 else "(" + "*".join(f"({c})" for c in conditions) + "=1)"


def at_least_ratio(part: str, whole: str, edge_percent: Fraction) -> str:
    """100 · part / whole ≥ edge, written as integer products: 100·d·part ≥ n·whole."""
    n, d = edge_percent.numerator, edge_percent.denominator
    return f"{scaled(Fraction(100 * d), part)}>={scaled(Fraction(n), whole)}"


def share_parts(part: str, whole: str) -> tuple[str, str]:
    """min(1, part / whole), and 1 for a zero whole, as (numerator, denominator) expressions."""
    full = any_of([f"{whole}=0", f"{part}>={whole}"])
    return if_(full, "1", part), if_(full, "1", whole)


def capped(expression: str, maximum: Fraction) -> str:
    """expression, but never above the maximum (IF, not MIN: MIN aggregates a range)."""
    return if_(f"{expression}>{number(maximum)}", number(maximum), expression)
