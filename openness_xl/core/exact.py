"""Exact numbers and Excel-compatible rounding — the one place where rounding is defined.

Scores are computed as `fractions.Fraction` from the inputs and rounded once, where the
methodology rounds, half away from zero like Excel's ROUND. Binary floats never decide a
score or a tier: a float coming from Excel is first read to 15 significant digits, which
is all Excel itself keeps.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from ..texts import text as T

Number = int | float | str | Decimal | Fraction


class NotANumber(ValueError):
    """A value that cannot be read as a finite number."""


class NumberOutOfRange(NotANumber):
    """Written correctly, but far beyond any value an input can have."""


PLAIN_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
MAX_NUMBER_TEXT = 40
MAX_EXPONENT = 30


def _clip(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


_SMALL_WHOLE = tuple(Fraction(n) for n in range(1024))  # Fractions are immutable: shared safely


def to_fraction(value: Number) -> Fraction:
    """Read `value` exactly: ints, Decimals, Fractions and decimal strings as written,
    floats to Excel's 15 significant digits. A decimal comma is accepted in strings."""
    if isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        # The methodology's whole parameters (weights, points, limits) are read on every score:
        # 22 K reads in a report's roadmaps, each a new Fraction.
        return _SMALL_WHOLE[value] if 0 <= value < len(_SMALL_WHOLE) else Fraction(value)
    if isinstance(value, float):
        return _float_fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NotANumber(T("value.number.not_finite", value=value))
        return Fraction(value)
    if isinstance(value, str):
        # a long text (spaces around a number) is read but not remembered
        return _text_fraction(value) if len(value) <= MAX_NUMBER_TEXT else _text_fraction.__wrapped__(value)
    raise NotANumber(T("value.number.not_number", value=repr(value)))


# The methodology's parameters are read on every score (a what-if search scores thousands of
# times) and a column of inputs repeats its values: the conversions are remembered, boundedly.
@lru_cache(maxsize=4096)
def _float_fraction(value: float) -> Fraction:
    if not math.isfinite(value):
        raise NotANumber(T("value.number.not_finite", value=repr(value)))
    return Fraction(Decimal(f"{value:.15g}"))


@lru_cache(maxsize=4096)
def _text_fraction(value: str) -> Fraction:
    text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        raise NotANumber(T("value.number.empty"))
    # Decimal() alone would take Arabic-Indic digits and 1_0, and 1e100000000 would
    # then take minutes to become a Fraction: only plain ASCII decimals, bounded.
    if len(text) > MAX_NUMBER_TEXT or not PLAIN_DECIMAL.match(text):
        raise NotANumber(T("value.number.not_digits", value=_clip(value)))
    parsed = Decimal(text)
    if not parsed.is_finite():
        raise NotANumber(T("value.number.not_finite", value=_clip(value)))
    if parsed and abs(parsed.adjusted()) > MAX_EXPONENT:
        raise NumberOutOfRange(T("value.number.out_of_range", value=_clip(value), exponent=MAX_EXPONENT))
    return Fraction(parsed)


def weighted_sum(pairs) -> Fraction:
    """Σ w·x of (w, x) Fraction pairs, exactly: summed over a common denominator in whole
    numbers and reduced once (a Fraction sum reduces at every term: 18 µs for the six shares
    of the open budget, the score a what-if search asks most often)."""
    numerator, denominator = 0, 1
    for weight, value in pairs:
        top, bottom = weight.numerator * value.numerator, weight.denominator * value.denominator
        if bottom == denominator:
            numerator += top
        else:
            numerator, denominator = numerator * bottom + top * denominator, denominator * bottom
    return Fraction(numerator, denominator)


def round_half_away(value: Fraction, decimals: int) -> Fraction:
    """Excel's ROUND(value; decimals): halves go away from zero."""
    # floor(|n/d|·scale + ½) in integers: the hottest line of a what-if search
    scale, numerator, denominator = 10**decimals, value.numerator, value.denominator
    rounded = (2 * abs(numerator) * scale + denominator) // (2 * denominator)
    return Fraction(rounded if numerator >= 0 else -rounded, scale)


def truncate(value: Fraction, decimals: int) -> Fraction:
    """Cut to `decimals` places toward zero (Excel's TRUNC), as the report prints some values."""
    scale = 10**decimals
    return Fraction(math.trunc(value * scale), scale)


MAX_PLACES = 40


def to_decimal(value: Fraction) -> Decimal:
    """The exact decimal of a Fraction whose denominator has only the factors 2 and 5 (at
    most MAX_PLACES places)."""
    # 2^a·5^b needs max(a, b) places: counted in whole numbers, where multiplying by ten until
    # the denominator went cost a Fraction per place (3.9 → 0.8 µs; a report writes thousands).
    denominator = value.denominator
    twos = (denominator & -denominator).bit_length() - 1
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    places = max(twos, fives)
    if rest != 1 or places > MAX_PLACES:
        raise ValueError(f"{value} has no finite decimal form")
    # From text, which Decimal takes whole: scaleb would round to the context's 28 digits.
    return Decimal(f"{value.numerator * 10**places // denominator}E-{places}")


def plain(value: Fraction | Decimal | None) -> str:
    """A score as plain text with a dot and no trailing zeros: 4, 3.78, 4.515."""
    if value is None:
        return ""
    number = value if isinstance(value, Decimal) else to_decimal(value)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
