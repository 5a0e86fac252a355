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

from ..bounded import read_at_most
from ..texts import text as T
from ..meanwhile import Meanwhile

# The days every calendar covers: a record dated outside them is left out as a problem.
CALENDAR_FIRST, CALENDAR_LAST = dt.date(2000, 1, 1), dt.date(2035, 12, 31)

OVERRIDES = Path(__file__).resolve().parent.parent / "methodology" / "calendar.toml"


@dataclass(frozen=True)
class Overrides:
    days_off: frozenset[dt.date]
    working_days: frozenset[dt.date]
    # Per year, the decree its transfers come from ("" where the file names none).
    decrees: tuple[tuple[int, str], ...] = ()
    # Movable holidays the `holidays` package only estimates, confirmed by the file.
    confirmed: frozenset[dt.date] = frozenset()
    source: str = ""  # the file, for messages


class CalendarError(ValueError):
    """A calendar file that cannot be read as it must be: the file, year and key named."""


SECTION_KEYS = ("decree", "days_off", "working_days", "confirmed")
# A calendar file lists a few dozen days a year: anything larger is not one.
MAX_CALENDAR_BYTES = 1024 * 1024


def load_overrides(path: Path | str = OVERRIDES) -> Overrides:
    """The calendar corrections of a calendar file (by default the methodology data's), all
    years together; CalendarError names the file, the year and the key of anything wrong."""
    path = Path(path)
    try:
        raw = read_at_most(path, MAX_CALENDAR_BYTES)
        if raw is None:
            raise CalendarError(T("calendar.unreadable", file=path, error=T("input.too_large", limit=f"{MAX_CALENDAR_BYTES:,}")))
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CalendarError(T("calendar.unreadable", file=path, error=error)) from None
    off, working, confirmed, decrees = set(), set(), set(), []
    for year, section in data.items():
        if not (year.isdigit() and len(year) == 4) or not isinstance(section, dict):
            raise CalendarError(T("calendar.year", file=path, year=year))
        unknown = sorted(set(section) - set(SECTION_KEYS))
        if unknown:
            raise CalendarError(T("calendar.unknown_key", file=path, year=year, keys=", ".join(unknown),
                                  known=", ".join(SECTION_KEYS)))
        decree = section.get("decree", "")
        if not isinstance(decree, str):
            raise CalendarError(T("calendar.decree", file=path, year=year))
        decrees.append((int(year), decree.strip()))
        for key, into in (("days_off", off), ("working_days", working), ("confirmed", confirmed)):
            for day in section.get(key, []):
                try:
                    parsed = dt.date.fromisoformat(str(day))
                except ValueError:
                    raise CalendarError(T("calendar.date", file=path, year=year, setting=key, value=repr(day))) from None
                if parsed.year != int(year):
                    raise CalendarError(T("calendar.other_year", file=path, year=year, setting=key, value=parsed))
                into.add(parsed)
    shown = "openness_xl/methodology/calendar.toml" if path.resolve() == OVERRIDES else str(path)
    return Overrides(frozenset(off), frozenset(working), tuple(sorted(decrees)), frozenset(confirmed), shown)


def calendar_notes(year: int, overrides: Overrides) -> list[str]:
    """What the calendar of `year` does not know for sure, in words: no transfer decree (the
    `holidays` package has none and the calendar file names none), and each holiday the
    package only estimates that the file does not confirm."""
    import holidays

    public = holidays.country_holidays("KZ", years=year)
    version = getattr(holidays, "__version__", "?")
    notes = []
    package_knows = any(d.year == year for d in getattr(public, "weekend_workdays", ())) or any(
        "substituted" in name.lower() for day, name in public.items() if day.year == year)
    if not package_knows and not dict(overrides.decrees).get(year):
        notes.append(T("calendar.no_decree", year=year, version=version, file=overrides.source or OVERRIDES.name))
    for day, name in sorted(public.items()):
        if day.year == year and "estimated" in name.lower() and day not in overrides.confirmed:
            notes.append(T("calendar.estimated", year=year, day=day.strftime("%d.%m.%Y"), name=name, version=version,
                           file=overrides.source or OVERRIDES.name))
    return notes


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

    def register(self, connection, name: str, limits: dict[str, int] | None = None) -> None:
        """A view `name` in DuckDB for a join in SQL: day DATE, cum INT, and a `late_from`
        DATE column per named limit. Registered as NumPy columns of whole numbers, the dates as
        days since 1970-01-01 (DuckDB reads no NumPy date type), which needs no pyarrow: its
        import was 0.03 s of a small extract's whole run."""
        def numbers(values):
            return np.ascontiguousarray(values.astype(np.int32))

        columns = {"day": numbers(self.days.astype(np.int64)), "cum": numbers(self.cumulative)}
        for column, limit in (limits or {}).items():
            columns[column] = numbers(self.late_from(limit).astype(np.int64))
        connection.register(f"{name}_numbers", columns)
        selected = ", ".join(column if column == "cum" else f"DATE '1970-01-01' + {column} AS {column}"
                             for column in columns)
        connection.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {selected} FROM {name}_numbers")


@lru_cache(maxsize=4)
def calendar_between(first: dt.date, last: dt.date, overrides: Overrides | None = None) -> WorkingDays:
    """A shared calendar for a date range (built once per process and calendar file)."""
    return WorkingDays(first, last, overrides)


class CalendarAhead:
    """The calendar of every record (`calendar_between` over CALENDAR_FIRST … CALENDAR_LAST)
    and what it does not know of `year` (`calendar_notes`), made meanwhile: importing
    `holidays` and computing Kazakhstan's days is a tenth of a second of Python, which runs
    while DuckDB, not holding the interpreter, reads and checks the extract. An error made
    there is raised where the calendar is asked for."""

    def __init__(self, year: int, overrides: Overrides):
        self._made = Meanwhile(lambda: (calendar_between(CALENDAR_FIRST, CALENDAR_LAST, overrides),
                                        calendar_notes(year, overrides)), name="calendar")

    def working_days(self) -> WorkingDays:
        """The calendar, once made."""
        return self._made.result()[0]

    def notes(self) -> list[str]:
        """What the calendar of the year does not know for sure, once made."""
        return self._made.result()[1]


def working_days_between(start, end, calendar: WorkingDays | None = None) -> np.ndarray:
    """Working days after `start` up to and including `end` in Kazakhstan (arrays or dates)."""
    starts = np.atleast_1d(np.asarray(start, dtype="datetime64[D]"))
    ends = np.atleast_1d(np.asarray(end, dtype="datetime64[D]"))
    if calendar is None:
        low = min(starts.min(), ends.min()).astype(object)
        high = max(starts.max(), ends.max()).astype(object)
        calendar = WorkingDays(low, high)
    return calendar.between(starts, ends)
