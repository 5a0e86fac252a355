"""Reading one input value, or one directly given score, against its declaration.

Every reader (CSV, xlsx, Excel functions) goes through here, so a value means the same
thing and fails with the same sentence wherever it comes from. A blank is never zero.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Mapping

from .exact import NotANumber, plain, to_fraction
from .kinds import InputProblem
from .methodology import Indicator, InputSpec

TRUE_WORDS = {"1", "true", "yes", "да", "иә", "y", "истина"}
FALSE_WORDS = {"0", "false", "no", "нет", "жоқ", "n", "ложь"}


class ValueProblem(ValueError):
    """One value that does not fit its declaration; the message says what was expected."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _shown(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return repr(raw) if isinstance(raw, str) else str(raw)


def parse_input(spec: InputSpec, raw: Any) -> Fraction:
    """An input value as an exact number, or ValueProblem naming the input and what is allowed."""
    if is_blank(raw):
        raise ValueProblem(spec.name, f"{spec.name} is blank; it must be {spec.allowed}")
    if spec.type == "boolean":
        if isinstance(raw, bool):
            return Fraction(int(raw))
        word = str(raw).strip().lower()
        if isinstance(raw, (int, float, Decimal)):
            try:
                word = plain(to_fraction(raw))  # 1.0 from Excel reads as "1"
            except NotANumber:
                pass
        if word in TRUE_WORDS:
            return Fraction(1)
        if word in FALSE_WORDS:
            return Fraction(0)
        raise ValueProblem(spec.name, f"{spec.name} must be {spec.allowed}, got {_shown(raw)}")
    if isinstance(raw, bool):
        raise ValueProblem(spec.name, f"{spec.name} must be {spec.allowed}, got {raw}")
    try:
        value = to_fraction(raw)
    except NotANumber:
        raise ValueProblem(spec.name, f"{spec.name} must be {spec.allowed}, got {_shown(raw)}") from None
    if spec.type == "integer" and value.denominator != 1:
        raise ValueProblem(spec.name, f"{spec.name} must be {spec.allowed}, got {_shown(raw)}")
    if spec.type == "choice" and value not in spec.choices:
        raise ValueProblem(spec.name, f"{spec.name} must be {spec.allowed}, got {_shown(raw)}")
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        raise ValueProblem(spec.name, f"{spec.name} must be {spec.allowed}, got {_shown(raw)}")
    return value


def parse_score(indicator: Indicator, raw: Any) -> Fraction:
    """A directly given score, checked against [0, maximum]."""
    allowed = f"a score from 0 to {plain(indicator.maximum)}"
    if is_blank(raw):
        raise ValueProblem("score", f"score is blank; it must be {allowed}")
    if isinstance(raw, bool):
        raise ValueProblem("score", f"score must be {allowed}, got {raw}")
    try:
        value = to_fraction(raw)
    except NotANumber:
        raise ValueProblem("score", f"score must be {allowed}, got {_shown(raw)}") from None
    if not 0 <= value <= indicator.maximum:
        raise ValueProblem("score", f"score must be {allowed}, got {_shown(raw)}")
    return value


def check_relations(indicator: Indicator, values: Mapping[str, Fraction]) -> list[ValueProblem]:
    """Problems between inputs that are each valid: a part (or a sum of parts) larger than its whole."""
    problems = []
    for spec in indicator.inputs:
        if spec.part_of and spec.name in values and spec.part_of in values:
            if values[spec.name] > values[spec.part_of]:
                problems.append(ValueProblem(
                    spec.name,
                    f"{spec.name} ({plain(values[spec.name])}) must not exceed {spec.part_of} ({plain(values[spec.part_of])})",
                ))
    for parts, whole in indicator.sums_at_most:
        if all(name in values for name in (*parts, whole)):
            total = sum(values[name] for name in parts)
            if total > values[whole]:
                problems.append(ValueProblem(
                    parts[-1],
                    f"{' + '.join(parts)} ({plain(total)}) must not exceed {whole} ({plain(values[whole])})",
                ))
    return problems


def parse_inputs(indicator: Indicator, raw: Mapping[str, Any]) -> tuple[dict[str, Fraction], list[ValueProblem]]:
    """All inputs of an indicator parsed, and every problem found (missing, invalid, contradictory)."""
    values: dict[str, Fraction] = {}
    problems: list[ValueProblem] = []
    for spec in indicator.inputs:
        if spec.name not in raw or is_blank(raw[spec.name]):
            problems.append(ValueProblem(spec.name, f"{spec.name} is missing; it must be {spec.allowed}"))
            continue
        try:
            values[spec.name] = parse_input(spec, raw[spec.name])
        except ValueProblem as problem:
            problems.append(problem)
    if not problems:
        problems.extend(check_relations(indicator, values))
    return values, problems


__all__ = ["ValueProblem", "InputProblem", "parse_input", "parse_score", "parse_inputs", "check_relations", "is_blank"]
