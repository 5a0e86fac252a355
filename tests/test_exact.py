from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openness_xl.core.exact import NotANumber, plain, round_half_away, to_fraction, truncate, weighted_sum


@pytest.mark.parametrize("value, expected", [
    ("1.955839", "1.96"), ("2.675", "2.68"), ("-2.675", "-2.68"), ("0.005", "0.01"),
    ("3.8588", "3.86"), ("1.0173", "1.02"), ("0.125", "0.13"), ("2.5", "2.5"),
])
def test_rounds_half_away_from_zero_like_excel(value, expected):
    assert plain(round_half_away(to_fraction(value), 2)) == expected


def test_python_round_would_disagree_on_halves():
    # The reason this module exists: round() goes to even, Excel goes away from zero.
    assert round(0.125, 2) == 0.12
    assert round_half_away(Fraction(1, 8), 2) == Fraction(13, 100)


@given(st.integers(-10**9, 10**9), st.integers(0, 6))
def test_agrees_with_decimal_half_up(numerator, power):
    value = Fraction(numerator, 10**power)
    expected = Decimal(numerator).scaleb(-power).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert round_half_away(value, 2) == Fraction(expected)


@given(st.lists(st.tuples(st.fractions(max_denominator=10**6), st.fractions(max_denominator=10**4)), max_size=8))
def test_a_weighted_sum_in_whole_numbers_is_the_sum_of_its_products(pairs):
    """The one reduction at the end gives the very Fraction the products summed one by one do."""
    total = weighted_sum(pairs)
    assert type(total) is Fraction and total == sum((w * x for w, x in pairs), Fraction(0))


def test_whole_numbers_read_are_fractions_whatever_their_size():
    for value in (0, 1, 2, 1023, 1024, -1, 10**20):
        assert type(to_fraction(value)) is Fraction and to_fraction(value) == value
    assert to_fraction(True) == 1 and type(to_fraction(True)) is Fraction


def test_floats_are_read_as_excel_keeps_them():
    assert to_fraction(3 * (1 - 3 / 10)) == Fraction(21, 10)
    assert to_fraction(0.1 + 0.2) == Fraction(3, 10)


@pytest.mark.parametrize("bad", ["abc", "", "nan", "inf", float("nan"), float("inf"), None])
def test_non_numbers_are_refused(bad):
    with pytest.raises(NotANumber):
        to_fraction(bad)


def test_decimal_comma_and_spaces():
    assert to_fraction("48 981") == 48981
    assert to_fraction("3,78") == Fraction(378, 100)


def test_truncate_explains_the_open_data_prints():
    assert plain(truncate(Fraction(4515, 1000), 2)) == "4.51"
    assert plain(truncate(Fraction(4705, 1000), 2)) == "4.7"


def test_plain_has_no_exponent_or_trailing_zeros():
    assert plain(Fraction(4515, 1000)) == "4.515"
    assert plain(Fraction(30)) == "30"
    assert plain(Fraction(1, 10**9)) == "0.000000001"
    assert plain(None) == ""


@given(st.integers(-10**12, 10**12), st.integers(0, 45), st.integers(0, 45), st.sampled_from([1, 1, 3, 7]))
def test_a_fraction_as_a_decimal_is_its_exact_value(numerator, twos, fives, other):
    """The places a denominator 2^a·5^b needs, found in whole numbers: the same number as the
    Fraction, with no trailing zeros beyond those places; none past 40 places, or where the
    denominator has another factor."""
    from decimal import Decimal, localcontext

    from openness_xl.core.exact import to_decimal

    value = Fraction(numerator, 2**twos * 5**fives * other)
    rest, counts = value.denominator, {}
    for factor in (2, 5):
        counts[factor] = 0
        while rest % factor == 0:
            rest, counts[factor] = rest // factor, counts[factor] + 1
    places = max(counts.values())
    if rest != 1 or places > 40:
        with pytest.raises(ValueError, match="no finite decimal form"):
            to_decimal(value)
        return
    found = to_decimal(value)
    assert Fraction(found) == value
    with localcontext() as context:
        context.prec = 200
        assert found == Decimal(value.numerator) / Decimal(value.denominator)
    assert -found.as_tuple().exponent == places


FRACTIONS = st.fractions(min_value=-50, max_value=5000, max_denominator=1000)


@given(st.fixed_dictionaries({name: FRACTIONS for name in ("requests", "notified_in_time", "registrants",
                                                           "received_on_date", "received_within_month")}),
       st.fractions(0, 3, max_denominator=8), st.fractions(0, 3, max_denominator=8), st.fractions(1, 10, max_denominator=4))
def test_the_waiting_time_in_whole_numbers_is_its_formula_in_fractions(values, on_date, within, maximum):
    """The waiting-time kind computes in whole numbers with one Fraction at the end (a what-if
    search scores it thousands of times): the same value as the formula written with
    Fractions, whatever the inputs — fractional, zero or negative ones included."""
    from openness_xl.core.kinds import Context
    from openness_xl.core.kinds.receptions import WAITING_TIME

    params = {"on_date_coefficient": on_date, "within_month_coefficient": within, "limit_working_days": 15}
    if values["registrants"] == 0:
        expected = maximum
    else:
        timely = Fraction(1) if values["requests"] == 0 else min(Fraction(1), values["notified_in_time"] / values["requests"])
        coefficient = (on_date * values["received_on_date"] + within * values["received_within_month"]) / values["registrants"]
        expected = max(Fraction(0), min(maximum, maximum * timely * coefficient))
    got = WAITING_TIME.score(params, values, Context(maximum, "CGO", 2))
    assert got == expected and isinstance(got, Fraction)
