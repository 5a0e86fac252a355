"""Reading one setting of a methodology file: a number, a whole number within bounds, a grid
of values, a pair of labels — each problem said in one sentence naming the setting."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from ..core.exact import plain, to_fraction
from ..texts import text as T


def read_number(value: Any, where: str, problems: list[str]) -> Fraction | None:
    """The exact number, or None and a problem naming `where`."""
    try:
        return to_fraction(value)
    except (ValueError, TypeError):
        problems.append(T("loader.not_number", where=where, value=repr(value)))
        return None


def read_whole(value: Any, key: str, low: int, high: int, problems: list[str], default: int) -> int:
    """A whole number from `low` to `high` (2.9 is not 2, "abc" is no year), else a problem naming the key."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(T("loader.whole_in_range", setting=key, value=repr(value), low=low, high=high))
        return default
    return value


def read_grid(raw: Mapping, where: str, problems: list[str]) -> list[Fraction]:
    """The values of a declared range: from, from + step, …, up to and including to."""
    low, high, step = (read_number(raw.get(key), f"{where} {key}", problems) for key in ("from", "to", "step"))
    if low is None or high is None or step is None:
        return []
    if step <= 0 or high < low or (high - low) / step > 1000 or ((high - low) / step).denominator != 1:
        problems.append(T("loader.grid", where=where, low=plain(low), high=plain(high), step=plain(step)))
        return []
    return [low + k * step for k in range(int((high - low) / step) + 1)]


def read_labels(raw: Mapping, where: str, problems: list[str]) -> tuple[str, str]:
    """(label_ru, label_en) of a table; the Russian label is required."""
    if not raw.get("label_ru"):
        problems.append(T("loader.label_ru", where=where))
    return str(raw.get("label_ru", "")), str(raw.get("label_en", ""))
