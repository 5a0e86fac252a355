"""Reading one input value, or one directly given score, against its declaration.

Every reader (CSV, xlsx, Excel functions) goes through here, so a value means the same
thing and fails with the same sentence wherever it comes from. A blank is never zero.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any, Mapping

from .exact import NotANumber, NumberOutOfRange, plain, to_fraction
from .kinds import InputProblem, zero_whole
from ..methodology import Indicator, InputSpec
from ..texts import decimal, text

# Ordered so that generated spreadsheet formulas list them the same way every time.
TRUE_WORDS = ("1", "true", "yes", "да", "иә", "y", "истина")
FALSE_WORDS = ("0", "false", "no", "нет", "жоқ", "n", "ложь")
# A date as people and exports write it: ISO, and Kazakhstan's day first.
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y")
# A time an export writes after a date («03.03.2025 10:15:00», as registration systems and
# Excel's text of a date and time do): each date format is also read with one, the day kept.
TIMES = (" %H:%M:%S", " %H:%M", " %H:%M:%S.%f")


def with_times(formats: tuple[str, ...]) -> tuple[str, ...]:
    """`formats`, then each of them without a time of its own followed by each of TIMES."""
    return (*formats, *(f + time for f in formats if "%H" not in f for time in TIMES))


# A date cell that reached a text as Excel's serial number (days from 1899-12-30; a fraction is
# the time): 46044 is 2026-01-22. Outside 2000–2099 a number is no date of this tool's years.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL = r"(\d+)(\.\d+)?"
EXCEL_SERIALS = range((dt.date(2000, 1, 1) - EXCEL_EPOCH).days, (dt.date(2100, 1, 1) - EXCEL_EPOCH).days)


# Typed into a cell, this means "not submitted", which is not the same as 0.
NOT_SUBMITTED = "н/д"
# The error values a spreadsheet cell can hold, as xlwings hands them over (err_to_str) and
# as ERROR.TYPE numbers them (1…7).
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def is_not_submitted(raw: Any) -> bool:
    """Blank, or the «н/д» marker: the value was not submitted."""
    return is_blank(raw) or (isinstance(raw, str) and raw.strip().lower() == NOT_SUBMITTED)


def shown(raw: Any) -> str:
    """A cell value quoted in a message, the way a spreadsheet formula can quote it too:
    text in single quotes as typed, TRUE/FALSE, numbers to 15 significant digits."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, str):
        return f"'{raw}'"
    if isinstance(raw, float):
        if raw.is_integer() and abs(raw) < 1e15:
            return str(int(raw))
        return f"{raw:.15g}"
    if isinstance(raw, (Fraction, Decimal)):
        try:
            return plain(to_fraction(raw))
        except (NotANumber, ValueError):
            return str(raw)
    return str(raw)


# The sentences below exist once: the Excel formula compiler (openness_xl.excel.native) fills the
# same functions with formula pieces, so a native formula says exactly what the core says.

def missing_message(name: str, allowed: str) -> str:
    return text("value.missing", name=name, allowed=allowed)


def blank_message(name: str, allowed: str) -> str:
    return text("value.blank", name=name, allowed=allowed)


def invalid_message(name: str, allowed: str, shown_value: str) -> str:
    return text("value.invalid", name=name, allowed=allowed, shown=shown_value)


def exceeds_message(part: str, part_value: str, whole: str, whole_value: str) -> str:
    return text("value.exceeds", part=part, part_value=part_value, whole=whole, whole_value=whole_value)


def percent_format_message(name: str, unit: str, shown_percent: str, shown_value: str) -> str:
    """A number shown as a percentage where the input is not a share: Excel stores 85 % as 0.85."""
    key = "value.percent_of_percent" if unit == "percent" else "value.percent_of_number"
    return text(key, name=name, percent=shown_percent, value=shown_value)


WARNING = "⚠"  # a check's sentence that starts so is a warning: the value is scored as typed


def fraction_warning(spec, value: Any, name: str | None = None) -> str | None:
    """A percentage strictly between 0 and 1: kept as typed (0,5 % can be true), but most
    likely a share typed where a percentage belongs (0,533 for 53,3 %)."""
    if spec.unit != "percent" or isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        return None
    if not 0 < value < 1:
        return None
    return text("value.share_as_fraction", name=name or spec.name, shown=shown(value), percent=shown(value * 100))


# ------------------------------------------------------------------ a sheet's own words
# On a sheet (the input template) a value is named as the sheet shows it: the cell and the
# column's heading, «АППК!D7 «Рассмотрено с нарушением сроков, обращения»», and text that
# looks like a number is told what makes it text. Elsewhere (a long table, a pandas frame, an
# Excel function's arguments) the input's id is the file's own word.

# The spaces a number copied from a report or a web page carries between its digit groups.
SPACES = (" ", "\u00a0", "\u202f")
DIGITS = "0123456789"


def input_heading(spec: InputSpec, lang: str | None = None) -> str:
    """An input's column heading on the template written in `lang` (the current language of
    files by default): its description and unit («…, %» once)."""
    description, unit = spec.text(lang=lang), text(f"unit.{spec.unit}", lang, kind="files")
    return description if description.rstrip().endswith(unit) else f"{description}, {unit}"


def score_heading(indicator: Indicator, lang: str | None = None) -> str:
    """The heading of an indicator's column of directly given scores, without its supplier."""
    return text("value.score_heading", lang, kind="files", name=indicator.text(lang=lang),
                maximum=decimal(plain(indicator.maximum), lang, kind="files"))


def cell_name(heading: str, cell: str) -> str:
    """A value named by its cell and heading: АППК!D7 «…»."""
    return text("value.cell_name", cell=cell, heading=heading)


def text_number_kind(raw: Any) -> str | None:
    """What makes a text that looks like a number text: "spaces" (48 981 with spaces between
    the groups) or "text" (25 or 3,5 stored as text); None for any other value.

    Looks like a number: once the spaces are gone, digits with at most one comma or point.
    A rule on characters, not on a locale's number reading, so that a formula states it exactly."""
    if not isinstance(raw, str):
        return None
    packed = raw
    for space in SPACES:
        packed = packed.replace(space, "")
    digits = packed.replace(",", "").replace(".", "")
    if not digits or len(packed) - len(digits) > 1 or any(ch not in DIGITS for ch in digits):
        return None
    return "spaces" if len(packed) < len(raw) else "text"


def text_number_hint(raw: Any) -> str:
    """" — текст, а не число: …" for text that looks like a number, else ""."""
    kind = text_number_kind(raw)
    return text(f"value.text_number.{kind}") if kind else ""


def ceiling_message(name: str, shown_value: str, ceiling: str) -> str:
    return text("value.ceiling", name=name, shown=shown_value, ceiling=ceiling)


def parse_input(spec: InputSpec, raw: Any, text_is_number: bool = True, name: str | None = None) -> Fraction:
    """An input value as an exact number, or InputProblem naming the input and what is allowed.

    `text_is_number=False` is the spreadsheet rule: in a cell, a number must be a number, and
    text such as '25 is refused (Excel's own SUM skips it), except the yes/no words. `name`,
    a sheet's name for the cell (`cell_name`), is used in the message instead of the input's
    id, and refused text that looks like a number is then explained."""
    called = name or spec.name
    if is_blank(raw):
        raise InputProblem(spec.name, blank_message(called, spec.allowed))
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
        raise InputProblem(spec.name, invalid_message(called, spec.allowed, shown(raw)))
    if isinstance(raw, bool):
        raise InputProblem(spec.name, invalid_message(called, spec.allowed, shown(raw)))
    if isinstance(raw, str) and not text_is_number:
        raise InputProblem(spec.name, invalid_message(called, spec.allowed, shown(raw) + (text_number_hint(raw) if name else "")))
    try:
        value = to_fraction(raw)
    except NumberOutOfRange:
        limit = plain(spec.ceiling if spec.ceiling is not None else spec.max or 0)
        raise InputProblem(spec.name, ceiling_message(called, shown(raw), limit)) from None
    except NotANumber:
        raise InputProblem(spec.name, invalid_message(called, spec.allowed, shown(raw))) from None
    if spec.type == "integer" and value.denominator != 1:
        raise InputProblem(spec.name, invalid_message(called, spec.allowed, shown(raw)))
    if spec.type == "choice" and value not in spec.choices:
        raise InputProblem(spec.name, invalid_message(called, spec.allowed, shown(raw)))
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        raise InputProblem(spec.name, invalid_message(called, spec.allowed, shown(raw)))
    if spec.ceiling is not None and value > spec.ceiling:
        raise InputProblem(spec.name, ceiling_message(called, shown(raw), plain(spec.ceiling)))
    return value


def parse_score(indicator: Indicator, raw: Any, text_is_number: bool = True, name: str | None = None) -> Fraction:
    """A directly given score, checked against [0, maximum] (text refused if not `text_is_number`;
    `name` as in parse_input)."""
    allowed, called = score_allowed(indicator), name or "score"
    if is_blank(raw):
        raise InputProblem("score", blank_message(called, allowed))
    if isinstance(raw, bool):
        raise InputProblem("score", invalid_message(called, allowed, shown(raw)))
    if isinstance(raw, str) and not text_is_number:
        raise InputProblem("score", invalid_message(called, allowed, shown(raw) + (text_number_hint(raw) if name else "")))
    try:
        value = to_fraction(raw)
    except NotANumber:
        raise InputProblem("score", invalid_message(called, allowed, shown(raw))) from None
    if not 0 <= value <= indicator.maximum:
        raise InputProblem("score", invalid_message(called, allowed, shown(raw)))
    return value


def score_allowed(indicator: Indicator) -> str:
    """What a directly given score of the indicator may be, in words."""
    return score_range(plain(indicator.maximum))


def score_range(maximum: str) -> str:
    return text("value.score_range", maximum=decimal(maximum))


def check_relations(indicator: Indicator, values: Mapping[str, Fraction],
                    names: Mapping[str, str] | None = None) -> list[InputProblem]:
    """Problems between inputs that are each valid: a part (or a sum of parts) larger than its
    whole, a whole of 0 that the kind cannot score (`names`: what to call each input, its id
    by default)."""
    called = (lambda n: (names or {}).get(n, n))
    problems = []
    for spec in indicator.inputs:
        if spec.part_of and spec.name in values and spec.part_of in values:
            if values[spec.name] > values[spec.part_of]:
                problems.append(InputProblem(spec.name, exceeds_message(
                    called(spec.name), plain(values[spec.name]), called(spec.part_of), plain(values[spec.part_of]))))
    for name in indicator.kind.nonzero(indicator.params):
        if values.get(name) == 0:
            problems.append(InputProblem(name, zero_whole(called(name))))
    for parts, whole in indicator.sums_at_most:
        if all(name in values for name in (*parts, whole)):
            total = sum(values[name] for name in parts)
            if total > values[whole]:
                problems.append(InputProblem(parts[-1], exceeds_message(
                    " + ".join(called(p) for p in parts), plain(total), called(whole), plain(values[whole]))))
    return problems


def parse_inputs(indicator: Indicator, raw: Mapping[str, Any], text_is_number: bool = True,
                 names: Mapping[str, str] | None = None) -> tuple[dict[str, Fraction], list[InputProblem]]:
    """All inputs of an indicator parsed, and every problem found (missing, invalid, contradictory).
    Blank and «н/д» are missing; relations are checked only when every input is valid. `names`
    (a sheet's cell names, `cell_name`) are used in the messages instead of the ids."""
    names = names or {}
    values: dict[str, Fraction] = {}
    problems: list[InputProblem] = []
    for spec in indicator.inputs:
        if spec.name not in raw or is_not_submitted(raw[spec.name]):
            problems.append(InputProblem(spec.name, missing_message(names.get(spec.name, spec.name), spec.allowed)))
            continue
        try:
            values[spec.name] = parse_input(spec, raw[spec.name], text_is_number, names.get(spec.name))
        except InputProblem as problem:
            problems.append(problem)
    if not problems:
        problems.extend(check_relations(indicator, values, names))
    return values, problems


__all__ = ["InputProblem", "parse_input", "parse_score", "parse_inputs", "check_relations", "is_blank",
           "is_not_submitted", "shown", "NOT_SUBMITTED"]
