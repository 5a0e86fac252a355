"""The raw quantities the report's narrative states for a body (`narrative/raw_quantities.csv`):
where they give every input of an indicator, the methodology turns them into a score that
must equal the printed one."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from ..core.scoring import ScoreError, score_inputs
from ..io import published
from ..io.report_data import has, read_rows
from ..methodology import Methodology

QUANTITIES = "narrative/raw_quantities.csv"


@dataclass(frozen=True)
class Quantity:
    """One raw quantity the narrative states, with its line."""

    line: str
    body: str
    indicator: str
    input: str  # the methodology's input it is, or "" when it feeds none directly
    value: str
    unit: str

    @property
    def exact(self) -> bool:
        """«более 30», «~1 000» bound a number without stating it."""
        return not self.value.startswith((">", "<", "~"))


def quantities(source) -> tuple[Quantity, ...]:
    """Every quantity of the report's data directory (none where it has no such file)."""
    if not has(source, QUANTITIES):
        return ()
    return tuple(Quantity(f"L{r['line']}", r["body"], r["indicator"], r["input"], r["value"], r["unit"])
                 for _, r in read_rows(source, QUANTITIES, ("line", "body", "indicator", "input",
                                                                      "value", "unit")))


@dataclass(frozen=True)
class QuantityCheck:
    """A body's stated inputs of one indicator, scored, beside the printed score."""

    body: str
    indicator: str
    inputs: dict[str, str]
    lines: str
    printed: Fraction
    computed: Fraction | None
    error: str = ""


def check_quantities(methodology: Methodology, source) -> list[QuantityCheck]:
    """Raw inputs stated for a body that cover every input of an indicator, scored and set
    against the printed score."""
    printed = {(p.key, p.body): p.score for p in published.published_indicators(source)}
    types = {p.body: p.body_type for p in published.published_indicators(source)}
    grouped: dict[tuple[str, str], dict[str, Quantity]] = defaultdict(dict)
    for q in quantities(source):
        if q.input and q.exact and (q.indicator, q.body) in printed:
            grouped[(q.indicator, q.body)].setdefault(q.input, q)
    checks = []
    for (indicator_id, body), given in grouped.items():
        indicator = methodology.indicator(indicator_id)
        if not set(indicator.input_names) <= set(given):
            continue
        inputs = {name: given[name].value for name in indicator.input_names}
        lines = ", ".join(sorted({given[name].line for name in indicator.input_names}, key=lambda s: int(s[1:])))
        try:
            computed, error = score_inputs(methodology, indicator_id, inputs, types[body]), ""
        except ScoreError as problem:
            computed, error = None, str(problem)
        checks.append(QuantityCheck(body, indicator_id, inputs, lines, printed[(indicator_id, body)], computed, error))
    return checks
