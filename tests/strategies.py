"""Hypothesis strategies derived from the methodology: valid inputs for any indicator."""
from fractions import Fraction

from hypothesis import strategies as st

from openness_xl.methodology import Indicator, InputSpec

UNBOUNDED_TOP = 2_000_000


def _top(spec: InputSpec) -> Fraction:
    return spec.max if spec.max is not None else Fraction(UNBOUNDED_TOP)


def value_for(spec: InputSpec, ceiling: Fraction | None = None):
    """Valid values of one input; `ceiling` is the whole it is a part of."""
    low = spec.min if spec.min is not None else Fraction(0)
    high = _top(spec) if ceiling is None else min(_top(spec), ceiling)
    if spec.type == "boolean":
        return st.sampled_from([Fraction(0), Fraction(1)])
    if spec.type == "choice":
        return st.sampled_from(list(spec.choices))
    if spec.type == "integer":
        # Small counts and edge values matter most: mix in 0, 1 and the top.
        return st.one_of(st.integers(int(low), int(high)), st.sampled_from([int(low), int(high)])).map(Fraction)
    cents = st.integers(int(low * 100), int(high * 100)).map(lambda c: Fraction(c, 100))
    return st.one_of(cents, st.sampled_from([low, high]))


def inputs_for(indicator: Indicator):
    """A dict of valid exact inputs: each whole drawn before its parts, parts never above it."""
    @st.composite
    def build(draw):
        values: dict[str, Fraction] = {}
        wholes = [s for s in indicator.inputs if s.part_of is None]
        parts = [s for s in indicator.inputs if s.part_of is not None]
        for spec in wholes:
            values[spec.name] = draw(value_for(spec))
        room = {whole: {p: None for p in group} for group, whole in indicator.sums_at_most}
        for spec in parts:
            ceiling = values[spec.part_of]
            for whole, group in room.items():
                if spec.name in group:
                    ceiling = min(ceiling, values[whole] - sum(values.get(p, 0) for p in group))
            values[spec.name] = draw(value_for(spec, ceiling=ceiling))
        return values
    return build()
