"""Generated bodies for the engine checks of the native formulas: valid inputs, ROUND ties,
values exactly on tier, letter and rating edges, zero bases, missing and invalid inputs.

A body is a row of cell values as a person would have typed them into the template:
{(indicator_id, field): value}, `field` "score" for a directly given score. Ties and edges
are found with the exact core (kinds' own score functions) and then drawn by hypothesis.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from openness_xl.core import grading
from openness_xl.core.bodies import Body, BodyRegistry
from openness_xl.core.exact import round_half_away, to_fraction
from openness_xl.core.kinds import Context, InputProblem
from openness_xl.methodology import Indicator, InputSpec, Methodology
from openness_xl.workbooks.input_sheets import CellError
from tests.strategies import inputs_for


@dataclass
class Case:
    code: str
    body_type: str
    cells: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)  # indicator id → what was drawn (for failure reports)


def exact_score(methodology: Methodology, indicator: Indicator, values, body_type: str) -> Fraction | None:
    """The unrounded score, or None when the kind refuses the inputs."""
    try:
        return indicator.kind.score(indicator.params, values, Context(indicator.maximum, body_type, methodology.decimals))
    except InputProblem:
        return None


def is_tie(value: Fraction, decimals: int) -> bool:
    """Exactly half-way between two values of `decimals` places (x.xx5)."""
    scaled = value * 10**decimals * 2
    return scaled.denominator == 1 and scaled.numerator % 2 == 1


# ------------------------------------------------------------------ ties and edges, by search

def random_inputs(indicator: Indicator, rng: random.Random, scale: int) -> dict[str, Fraction]:
    """Valid inputs of one indicator, each drawn in its declared range (`scale` for no maximum)."""
    values: dict[str, Fraction] = {}
    specs = sorted(indicator.inputs, key=lambda s: s.part_of is not None)
    for spec in specs:
        ceiling = values.get(spec.part_of) if spec.part_of else None
        values[spec.name] = _random_value(spec, rng, scale, ceiling)
    for parts, whole in indicator.sums_at_most:
        while sum(values[p] for p in parts) > values[whole]:
            values[parts[-1]] = Fraction(rng.randint(0, int(values[parts[-1]])))
    return values


def _random_value(spec: InputSpec, rng: random.Random, scale: int, ceiling: Fraction | None) -> Fraction:
    if spec.type == "boolean":
        return Fraction(rng.randint(0, 1))
    if spec.type == "choice":
        return rng.choice(spec.choices)
    low = spec.min if spec.min is not None else Fraction(0)
    high = spec.max if spec.max is not None else Fraction(scale)
    if ceiling is not None:
        high = min(high, ceiling)
    if spec.type == "integer":
        return Fraction(rng.randint(int(low), int(high)))
    # Decimals with up to 4 places, so that sums of weighted shares can end on a half cent.
    places = rng.choice([2, 3, 4])
    unit = 10**places
    return Fraction(rng.randint(math.ceil(low * unit), math.floor(high * unit)), unit)


def _ratio_ties_and_edges(methodology: Methodology, indicator: Indicator) -> list[dict[str, Fraction]]:
    """For max·(1 − f·part/whole): wholes that make the score a tie or an exact tier edge."""
    params = indicator.params
    m, f = indicator.maximum, to_fraction(params["factor"])
    found = []
    edges = [edge for _tier, edge, _op in grading.tier_edges(methodology, indicator)]
    for part in range(1, 7):
        # Tie: 200·M·f·part / whole is an odd integer offset; enumerate the divisors.
        target = 200 * m * f * part
        if target.denominator != 1:
            continue
        for whole in _divisors(target.numerator):
            if whole < f * part:
                continue
            found.append({params["part"]: Fraction(part), params["whole"]: Fraction(whole)})
        for edge in edges:
            if edge < m:
                whole = m * f * part / (m - edge)
                if whole.denominator == 1 and whole >= f * part:
                    found.append({params["part"]: Fraction(part), params["whole"]: whole})
    return found


def _divisors(n: int) -> list[int]:
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return sorted(set(small + [n // d for d in small]))


def _band_edges(indicator: Indicator, rng: random.Random) -> list[dict[str, Fraction]]:
    params = indicator.params
    tables = list(params["bands_by_body_type"].values()) if "bands_by_body_type" in params else [params["bands"]]
    found = []
    for table in tables:
        for band in table:
            edge = to_fraction(band["from"])
            if "value" in params:
                spec = indicator.input(params["value"])
                for value in (edge, edge - Fraction(1, 100)):
                    if (spec.min is None or value >= spec.min) and (spec.max is None or value <= spec.max):
                        found.append({params["value"]: value})
                continue
            for _ in range(3):
                whole = Fraction(100 * edge.denominator * rng.randint(1, 40))
                part = edge * whole / 100
                for p in (part, part - 1):
                    if p.denominator == 1 and 0 <= p <= whole:
                        found.append({params["part"]: p, params["whole"]: whole})
    return found


def _count_edges(indicator: Indicator) -> list[dict[str, Fraction]]:
    params = indicator.params
    per, points = to_fraction(params["per"]), to_fraction(params["points"])
    cap = math.ceil(indicator.maximum / points)
    counts = {per * k + d for k in range(0, cap + 2) for d in (-1, 0, 1)}
    return [{params["count"]: Fraction(c)} for c in counts if c >= 0 and Fraction(c).denominator == 1]


_SPECIAL: dict[tuple[str, str], tuple] = {}


def special_inputs(methodology: Methodology, indicator_id: str) -> tuple[tuple[str, dict], ...]:
    """(label, exact inputs) giving a ROUND tie, a score exactly on a tier edge, a band or cap
    edge, or a zero base — searched with the exact core, valid by construction."""
    key = (methodology.path, indicator_id)
    if key not in _SPECIAL:
        _SPECIAL[key] = _search_special(methodology, methodology.indicator(indicator_id))
    return _SPECIAL[key]


def _search_special(methodology: Methodology, indicator: Indicator) -> tuple[tuple[str, dict], ...]:
    rng = random.Random(indicator.order)
    candidates = []
    kind = indicator.kind.name
    if kind == "ratio_deduction":
        candidates += _ratio_ties_and_edges(methodology, indicator)
    if kind == "band_table":
        candidates += _band_edges(indicator, rng)
    if kind == "count_points":
        candidates += _count_edges(indicator)
    for scale in (6, 20, 60, 400):
        candidates += [random_inputs(indicator, rng, scale) for _ in range(500)]
    edges = {edge for _t, edge, _o in grading.tier_edges(methodology, indicator)}
    found: dict[str, list] = {"tie": [], "edge": [], "zero": [], "band": []}
    for values in candidates:
        if any(v.name not in values for v in indicator.inputs):
            base = random_inputs(indicator, rng, 1000)
            values = {**base, **values}
            if any(values[s.name] > values[s.part_of] for s in indicator.inputs if s.part_of):
                continue
        for body_type in (methodology.body_types if indicator.needs_body_type else methodology.body_types[:1]):
            exact = exact_score(methodology, indicator, values, body_type)
            if exact is None:
                continue
            rounded = exact if indicator.kind.rounds_itself else round_half_away(exact, methodology.decimals)
            if indicator.kind.rounds_itself:
                # A kind that rounds itself (open data) rounds the sum of its parts: tie there.
                inner = sum((values[p] for p in indicator.params.get("parts", ())), Fraction(0))
                if is_tie(inner, methodology.decimals):
                    found["tie"].append(values)
                    continue
            if is_tie(exact, methodology.decimals) and not indicator.kind.rounds_itself:
                found["tie"].append(values)
            elif rounded in edges:
                found["edge"].append(values)
            elif any(v == 0 for k, v in values.items() if _is_whole(indicator, k)):
                found["zero"].append(values)
            elif kind in ("band_table", "count_points") and len(found["band"]) < 40:
                found["band"].append(values)
    pairs = []
    for label, items in found.items():
        unique = list({tuple(sorted(v.items())): v for v in items}.values())
        rng.shuffle(unique)
        pairs += [(label, v) for v in unique[:25]]
    return tuple(pairs)


def _is_whole(indicator: Indicator, name: str) -> bool:
    return any(s.part_of == name for s in indicator.inputs) or name in ("registered", "registrants", "requests", "plan")


# ------------------------------------------------------------------ cell values

BOOLEAN_SPELLINGS = {1: ["да", "Да", "yes", True, 1.0, "иә"], 0: ["нет", "no", False, 0.0, "ЖОҚ"]}


def cell_of(spec: InputSpec, value: Fraction, rng: random.Random):
    """A valid exact input as a cell value a person could have typed."""
    if spec.type == "boolean":
        return rng.choice(BOOLEAN_SPELLINGS[int(value)])
    return float(value)


def bad_cells(spec: InputSpec) -> list:
    """Cell values that the input must refuse, or read as not submitted."""
    if spec.type == "boolean":
        return [None, "н/д", "maybe", 2.0, CellError("#N/A"), "  "]
    bad = [None, "н/д", "Н/Д", "abc", "25", -1.0, True, CellError("#N/A"), CellError("#DIV/0!"), " "]
    if spec.type == "integer":
        bad.append(3.5)
    if spec.max is not None:
        bad.append(float(spec.max) + 1)
    if spec.ceiling is not None:
        bad.append(float(spec.ceiling) * 10)  # implausibly large
    if spec.type == "choice":
        bad.append(0.3)
    return bad


def entry_cells(indicator: Indicator, values: dict, rng: random.Random) -> dict:
    return {(indicator.id, s.name): cell_of(s, values[s.name], rng) for s in indicator.inputs}


_VALID: dict[str, st.SearchStrategy] = {}


def _valid(indicator: Indicator) -> st.SearchStrategy:
    # Built once per indicator: hypothesis reads the source of every new strategy's lambdas.
    if indicator.id not in _VALID:
        _VALID[indicator.id] = inputs_for(indicator)
    return _VALID[indicator.id]


@st.composite
def indicator_entry(draw, methodology: Methodology, indicator: Indicator):
    """(what, {(indicator, field): cell}) for one indicator of one body."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    choice = draw(st.sampled_from(["valid", "valid", "special", "special", "special", "invalid", "relation",
                                   "blank", "direct", "direct_edge", "direct_bad"]))
    specials = special_inputs(methodology, indicator.id)
    if choice == "special" and specials:
        label, values = draw(st.sampled_from(specials))
        return label, entry_cells(indicator, values, rng)
    if choice in ("valid", "special"):
        return "valid", entry_cells(indicator, draw(_valid(indicator)), rng)
    if choice == "invalid":
        cells = entry_cells(indicator, draw(_valid(indicator)), rng)
        spec = draw(st.sampled_from(indicator.inputs))
        cells[(indicator.id, spec.name)] = draw(st.sampled_from(bad_cells(spec)))
        if draw(st.booleans()):
            other = draw(st.sampled_from(indicator.inputs))
            cells[(indicator.id, other.name)] = draw(st.sampled_from(bad_cells(other)))
        return "invalid", cells
    if choice == "relation":
        parts = [s for s in indicator.inputs if s.part_of]
        cells = entry_cells(indicator, draw(_valid(indicator)), rng)
        if parts:
            spec = draw(st.sampled_from(parts))
            whole = cells[(indicator.id, spec.part_of)]
            # The decimal a person would type (2.47), not the float sum 1.47 + 1.0 = 2.4699999999999998.
            excess = draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(250)]))
            cells[(indicator.id, spec.name)] = float(to_fraction(whole) + excess)
        return "relation", cells
    if choice == "blank":
        return "blank", draw(st.sampled_from([{}, {(indicator.id, s.name): "н/д" for s in indicator.inputs}]))
    maximum = indicator.maximum
    if choice == "direct_edge":
        edges = [edge for _t, edge, _o in grading.tier_edges(methodology, indicator)]
        value = draw(st.sampled_from(edges + [e - Fraction(1, 100) for e in edges] + [maximum, Fraction(0)]))
        return "direct", {(indicator.id, "score"): float(value)}
    if choice == "direct_bad":
        return "direct_bad", {(indicator.id, "score"): draw(st.sampled_from(
            [-1.0, float(maximum) + 0.5, "abc", "3", True, CellError("#N/A")]))}
    cents = draw(st.integers(0, int(maximum * 100)))
    cells = {(indicator.id, "score"): cents / 100}
    if draw(st.booleans()):  # a direct score and inputs too: refused, naming both places
        cells.update(entry_cells(indicator, draw(_valid(indicator)), rng))
        return "both", cells
    return "direct", cells


@st.composite
def mixed_body(draw, methodology: Methodology):
    case = Case("", draw(st.sampled_from(methodology.body_types)))
    for indicator in methodology.indicators:
        what, cells = draw(indicator_entry(methodology, indicator))
        case.cells.update(cells)
        case.kinds[indicator.id] = what
    return case


def _split(draw, cents: int, tops: list[int]) -> list[int]:
    """`cents` spread over slots with the given maxima (the sum must fit)."""
    shares = [0] * len(tops)
    order = draw(st.permutations(range(len(tops))))
    remaining = cents
    for slot in order:
        take = min(tops[slot], remaining)
        shares[slot] = draw(st.integers(0, take)) if slot != order[-1] else take
        remaining -= shares[slot]
    for slot in order:  # whatever is left goes where there is room
        room = min(tops[slot] - shares[slot], remaining)
        shares[slot] += room
        remaining -= room
    assert remaining == 0
    return shares


@st.composite
def edge_body(draw, methodology: Methodology):
    """Direct scores whose criterion totals and index fall exactly on (or a cent below) the
    letter and rating edges."""
    case = Case("", draw(st.sampled_from(methodology.body_types)))
    ratings = [b.lower for b in methodology.ratings if b.lower is not None]
    index_target = draw(st.sampled_from(ratings + [r - Fraction(1, 100) for r in ratings] + [None]))
    criteria = list(methodology.criteria)
    highs = [int(grading.criterion_bounds(methodology, c)[1] * 100) for c in criteria]
    if index_target is not None:
        totals = _split(draw, int(index_target * 100), highs)
    else:
        totals = []
        for criterion, high in zip(criteria, highs):
            edges = [criterion.grade_a_from] + ([criterion.grade_c_below] if criterion.grade_c_below is not None else [])
            target = draw(st.sampled_from(edges + [e - Fraction(1, 100) for e in edges]))
            totals.append(min(int(target * 100), high))
    for criterion, total in zip(criteria, totals):
        members = [methodology.indicator(i) for i in criterion.indicators]
        tops = [0 if i.role == "penalty" else int(i.maximum * 100) for i in members]
        for indicator, cents in zip(members, _split(draw, total, tops)):
            case.cells[(indicator.id, "score")] = cents / 100
            case.kinds[indicator.id] = "direct_edge"
    return case


def generate(methodology: Methodology, count: int, seed: int = 2025) -> list[Case]:
    """`count` bodies drawn by hypothesis: mixed bodies and bodies on letter and rating edges."""
    cases: list[Case] = []

    @settings(max_examples=count, phases=[Phase.generate], database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(mixed_body(methodology), mixed_body(methodology), edge_body(methodology)))
    def collect(case):
        cases.append(case)

    collect()
    for number, case in enumerate(cases):
        case.code = f"T{number + 1:04d}"
    return cases


def registry_of(cases: list[Case]) -> BodyRegistry:
    """A body registry for generated bodies: code T0001 …, the type drawn."""
    return BodyRegistry([Body(c.code, c.body_type, f"Тестовый орган {c.code}", ()) for c in cases])


def template_values(cases: list[Case]) -> dict:
    """The template's cell values {(body, indicator_id, field): value}."""
    return {(case.code, indicator_id, name): value for case in cases for (indicator_id, name), value in case.cells.items()}


def long_table_rows(methodology: Methodology, bodies, rng: random.Random, absent: float, direct: float,
                    always: tuple[str, ...] = (), fixed: dict | None = None) -> list[tuple]:
    """A long input table (body, indicator, field, value) as a person would type it: per body and
    indicator, not submitted with chance `absent` (never for the bodies in `always`), a direct
    score up to `direct`, else random valid inputs; `fixed` {body: {indicator: {field: value}}}
    gives some inputs outright (the fields it leaves out are 0)."""
    rows = [("body", "indicator", "field", "value")]
    for body in bodies:
        for indicator in methodology.indicators:
            given = (fixed or {}).get(body.code, {}).get(indicator.id)
            if given:
                rows += [(body.code, indicator.id, s.name, str(given.get(s.name, 0))) for s in indicator.inputs]
                continue
            choice = rng.random()
            if choice < absent and body.code not in always:
                continue
            if choice < direct:
                rows.append((body.code, indicator.id, "score", str(rng.randint(0, int(indicator.maximum * 100)) / 100)))
                continue
            values = random_inputs(indicator, rng, rng.choice([10, 100, 5000]))
            for spec in indicator.inputs:
                shown = ("да" if values[spec.name] else "нет") if spec.type == "boolean" else str(float(values[spec.name]))
                rows.append((body.code, indicator.id, spec.name, shown))
    return rows
