"""Kazakhstan working days: weekends, public holidays and transferred days.

A cumulative table — `cum[d]` = working days from the calendar's start up to and
including `d` — makes "working days after a, up to and including b" a subtraction,
exact with transferred working Sundays (which `numpy.busday_count` cannot express), and
the same in numpy and in SQL (a join). Corrections the `holidays` package does not know
yet live in `openness_xl/methodology/calendar.toml`.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

OVERRIDES = Path(__file__).resolve().parent.parent / "methodology" / "calendar.toml"


@dataclass(frozen=True)
class Overrides:
    days_off: frozenset[dt.date]
    working_days: frozenset[dt.date]


def load_overrides(path: Path = OVERRIDES) -> Overrides:
    """The calendar corrections of the methodology data, all years together."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    off, working = set(), set()
    for year, section in data.items():
        for day in section.get("days_off", []):
            off.add(dt.date.fromisoformat(str(day)))
        for day in section.get("working_days", []):
            working.add(dt.date.fromisoformat(str(day)))
    return Overrides(frozenset(off), frozenset(working))


class WorkingDays:
    """The working-day calendar of Kazakhstan from `first` to `last` (inclusive)."""

    def __init__(self, first: dt.date, last: dt.date, overrides: Overrides | None = None):
        import holidays

        overrides = overrides or load_overrides()
        self.first, self.last = first, last
        years = range(first.year, last.year + 1)
        public = holidays.country_holidays("KZ", years=years)
        transferred_working = {d for d in getattr(public, "weekend_workdays", set()) if first <= d <= last}
        days = np.arange(np.datetime64(first), np.datetime64(last) + 1, dtype="datetime64[D]")
        weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (3, Monday = 0)

        def as_days(dates):
            return np.array(sorted(dates), dtype="datetime64[D]")

        off = np.isin(days, as_days(set(public.keys()) | set(overrides.days_off)))
        extra = np.isin(days, as_days(transferred_working | set(overrides.working_days)))
        self.days = days
        self.is_working = ((weekday < 5) & ~off) | extra
        self.cumulative = np.cumsum(self.is_working).astype(np.int32)

    def _positions(self, dates) -> np.ndarray:
        values = np.asarray(dates, dtype="datetime64[D]")
        positions = (values - np.datetime64(self.first)).astype(np.int64)
        if positions.size and (positions.min() < 0 or positions.max() >= len(self.days)):
            raise ValueError(f"dates outside the calendar {self.first} … {self.last}")
        return positions

    def between(self, start, end) -> np.ndarray:
        """Working days after `start` up to and including `end`, element-wise (vectorised)."""
        return self.cumulative[self._positions(end)] - self.cumulative[self._positions(start)]

    def late_from(self, limit: int) -> np.ndarray:
        """For each calendar day d, the first day e with more than `limit` working days after d.

        `between(d, x) > limit` is then simply `x >= late_from[d]` (the cumulative count never
        decreases), so SQL needs one join on d instead of two. Where the calendar ends first,
        the answer is the day after its last day: no date inside the calendar is late.
        """
        wanted = self.cumulative.astype(np.int64) + limit + 1
        position = np.searchsorted(self.cumulative, wanted, side="left")
        beyond = np.append(self.days, self.days[-1] + 1)
        return beyond[position]

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.is_working[self._positions([day])[0]])

    def table(self, limits: dict[str, int] | None = None):
        """(day DATE, cum INT, and a `late_from` DATE column per named limit) as an Arrow table, for a join in SQL."""
        import pyarrow as pa

        def column(values, kind):
            # From the raw buffer: pa.array() on numpy imports pandas, a quarter of a second.
            values = np.ascontiguousarray(values.astype(np.int32))
            return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])

        def dates(values):
            return column(values, pa.date32())

        columns = {"day": dates(self.days), "cum": column(self.cumulative, pa.int32())}
        for name, limit in (limits or {}).items():
            columns[name] = dates(self.late_from(limit))
        return pa.table(columns)


@lru_cache(maxsize=4)
def calendar_between(first: dt.date, last: dt.date) -> WorkingDays:
    """A shared calendar for a date range (built once per process)."""
    return WorkingDays(first, last)


def working_days_between(start, end, calendar: WorkingDays | None = None) -> np.ndarray:
    """Working days after `start` up to and including `end` in Kazakhstan (arrays or dates)."""
    starts = np.atleast_1d(np.asarray(start, dtype="datetime64[D]"))
    ends = np.atleast_1d(np.asarray(end, dtype="datetime64[D]"))
    if calendar is None:
        low = min(starts.min(), ends.min()).astype(object)
        high = max(starts.max(), ends.max()).astype(object)
        calendar = WorkingDays(low, high)
    return calendar.between(starts, ends)
