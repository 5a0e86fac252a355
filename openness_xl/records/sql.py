"""The few SQL fragments the records readers build: quoted names, literals, date parsing."""
from __future__ import annotations

from pathlib import Path

from ..core.values import EXCEL_EPOCH, EXCEL_SERIAL, EXCEL_SERIALS, with_times


def quote(path: Path) -> str:
    return str(path).replace("'", "''")


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Longer than this, a text date may carry a time and a zone (`2025-03-03 10:15Z` is 17).
DATE_WITH_TIME = 16


def date_sql(column: str, formats: tuple[str, ...], instants: bool = False) -> str:
    """The day of a text date: ISO, else by the mapping's `formats` (`with_times`), else an
    Excel serial number (`core.values.EXCEL_SERIAL`: an .xlsx date cell formatted as a number,
    or such a cell saved as CSV), as the appeal log reads a filing date. With `instants` (a column
    some value of which is long enough for a time and a zone: `normalise._timed`), a value that
    ends in a zone — Z, or an offset such as +05, +0500, -03:00 — is an instant, counted on its
    day in the connection's time zone (`pipeline.connect`); a date alone, or with a time and no
    zone, is the day written. The zone is told by the last characters, so that only zoned
    values pay the instant's cast (all long values paying it cost 18 % of a whole run, four
    dates with times of 5.9 M appeals)."""
    text = f"NULLIF(TRIM(CAST({column} AS VARCHAR)), '')"
    fmts = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in with_times(formats)) + "]"
    serial = (f"CASE WHEN regexp_full_match({text}, '{EXCEL_SERIAL}') AND floor(TRY_CAST({text} AS DOUBLE)) "
              f"BETWEEN {EXCEL_SERIALS.start} AND {EXCEL_SERIALS.stop - 1} "
              f"THEN DATE '{EXCEL_EPOCH.isoformat()}' + CAST(floor(TRY_CAST({text} AS DOUBLE)) AS INTEGER) END")
    day = f"COALESCE(TRY_CAST({column} AS DATE), CAST(TRY_STRPTIME({text}, {fmts}) AS DATE), {serial})"
    if not instants:
        return day
    zoned = (f"strlen({column}) > {DATE_WITH_TIME} AND ({column}[-1] = 'Z' OR {column}[-3] IN ('+', '-') "
             f"OR {column}[-5] IN ('+', '-') OR {column}[-6] IN ('+', '-'))")
    return f"CASE WHEN {zoned} THEN CAST(TRY_CAST({column} AS TIMESTAMPTZ) AS DATE) ELSE {day} END"


def present_sql(column: str) -> str:
    return f"(NULLIF(TRIM(CAST({column} AS VARCHAR)), '') IS NOT NULL)"


def translation_sql(expression: str, translation: dict[str, str | None]) -> str:
    """Rewrite only the values that need it (few distinct values), leaving the rest untouched."""
    changes = {raw: new for raw, new in translation.items() if raw != new}
    if not changes:
        return expression
    cases = " ".join(f"WHEN {literal(raw)} THEN {literal(new)}" for raw, new in sorted(changes.items()))
    return f"CASE {expression} {cases} ELSE {expression} END"


def literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def in_sql(column: str, values) -> str:
    """`column` is one of `values` (None meaning NULL), never NULL itself."""
    listed = sorted(v for v in values if v is not None)
    parts = ([f"{column} IS NULL"] if None in values else []) + ([f"{column} IN ({', '.join(map(literal, listed))})"] if listed else [])
    return "(" + " OR ".join(parts) + ")" if parts else "false"
