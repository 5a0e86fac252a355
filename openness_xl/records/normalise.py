"""The normalising view of a source: columns renamed by the mapping, dates parsed, and each
record-level check a bit of `flags`; the problems in the catalogue's words."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.bodies import BodyRegistry, UnknownBody
from ..io.inputs import header_key
from ..core.values import FALSE_WORDS, TRUE_WORDS
from ..texts import text as T
from .calendar import CALENDAR_FIRST, CALENDAR_LAST
from . import duplicates
from .schema import APPEAL_KINDS, RECEIVERS, TableMapping, uses
from .sql import DATE_WITH_TIME, date_sql, identifier, in_sql, literal, present_sql
from .sources import RecordError, read_once, reading, source_sql, unreadable, written_headers

# Records whose id's hash repeats that the counts may confirm (`normalised_view`): they keep
# these records' ids, a list of at most this many (about 10 MB), to save a scan of every id
# (1.3 s at 59 M appeals).
SPECULATED = 1 << 17


@dataclass(frozen=True)
class Said:
    """A problem in the catalogue's words: `records.problem.<name>` with its fields."""

    name: str
    fields: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str | None = None) -> str:
        """The problem in the language (the current one by default)."""
        return T(f"records.problem.{self.name}", lang, **dict(self.fields))


def said(name: str, **fields) -> Said:
    """The problem `records.problem.<name>` with its fields (a column, a year)."""
    return Said(name, tuple(fields.items()))


@dataclass(frozen=True)
class Check:
    """One problem a record can have: found by a bit of `flags` (SQL), or by a coded column's value (Python)."""

    said: Said
    bit: int | None = None
    column: str | None = None
    blank: bool = False  # for a column: blank (else: a value that is not known)

    @property
    def problem(self) -> str:
        """The problem's key, its English words («duplicated id»), whatever the language."""
        return self.said.text("en")


@dataclass
class View:
    """`{table}_records` — the source renamed and typed, with `flags` — and how to judge its records.

    Coded columns (body, kind, received_by) keep their raw values: the aggregation groups by
    them and they are translated per group in Python, so no record pays for a translation.
    """

    table: str
    checks: list[Check]
    translators: dict[str, "Translator"]
    parsed: str = ""  # the SELECT of the records renamed and typed, over the source
    sql_checks: list[str] = field(default_factory=list)  # the condition of each bit of `flags`
    # The duplicate bit marks the records whose id's hash repeats, not yet the ids that repeat:
    # the counts confirm them (`confirm` where two ids share a hash).
    speculative: bool = False

    def create(self, connection) -> None:
        """(Re)create `{table}_records` with its `flags`."""
        # Grouping by one integer is cheaper than building a text per record.
        flags = " | ".join(f"(CASE WHEN {condition} THEN {1 << bit} ELSE 0 END)"
                           for bit, condition in enumerate(self.sql_checks)) or "0"
        connection.execute(f"""
            CREATE OR REPLACE TEMP VIEW {self.table}_records AS
            WITH parsed AS ({self.parsed})
            SELECT parsed.*, ({flags})::UBIGINT AS flags FROM parsed
        """)

    @property
    def repeated_bit(self) -> int | None:
        """The bit of `flags` that marks a duplicated id, if any id repeats."""
        return next((check.bit for check in self.checks if check.said.name == "duplicated"), None)

    def confirm(self, connection, repeated) -> None:
        """Flag as duplicated the ids `repeated` (those the counts saw more than once), no
        longer every id with a candidate hash."""
        connection.execute(f"CREATE OR REPLACE TEMP TABLE {self.table}_duplicates AS SELECT unnest(?::VARCHAR[]) AS id",
                           [sorted(repeated)])
        self.sql_checks[self.repeated_bit] = f"id IN (SELECT id FROM {self.table}_duplicates)"
        self.speculative = False
        self.create(connection)

    def problem(self, flags: int, values: dict[str, str | None]) -> str | None:
        """The first problem of a group of records (same flags, same raw coded values), or None."""
        for check in self.checks:
            if check.bit is not None:
                if flags >> check.bit & 1:
                    return check.problem
            elif self.translators[check.column].fails(values[check.column], check.blank):
                return check.problem
        return None

    @property
    def repeated_ids(self) -> bool:
        """Whether some ids repeat (or, `speculative`, some hashes): `flags` then reads every
        record's id."""
        return self.repeated_bit is not None

    def coded_failing(self, seen: dict[str, set]) -> list[str]:
        """SQL for the records a coded column's value fails (blank or unknown), one condition
        per check that can fail given the raw values `seen`; `flags` holds the others."""
        conditions = (self.condition(c, seen) for c in self.checks if c.bit is None)
        return [c for c in conditions if c != "false"]

    def condition(self, check: Check, seen: dict[str, set]) -> str:
        """SQL for the records that fail `check`, given the raw values seen in each coded column."""
        if check.bit is not None:
            return f"(flags & {1 << check.bit}) <> 0"
        translator = self.translators[check.column]
        return in_sql(check.column, {v for v in seen[check.column] if translator.fails(v, check.blank)})


class Translator:
    """A coded column's raw values → our codes, memoised (a column has few distinct values)."""

    def __init__(self, lookup, required: bool):
        self.lookup, self.required, self.memo = lookup, required, {}

    def __call__(self, raw: str | None) -> str | None:
        """Our code, None when blank, or "?" + raw when the value is not known."""
        if raw not in self.memo:
            self.memo[raw] = None if raw is None or not raw.strip() else self.lookup(raw)
        return self.memo[raw]

    def fails(self, raw: str | None, blank: bool) -> bool:
        code = self(raw)
        return (code is None and self.required) if blank else (code is not None and code.startswith("?"))


def translators(mapping: TableMapping, coded: list[str], required: tuple[str, ...], bodies: BodyRegistry) -> dict[str, Translator]:
    """Each coded column's translator: the mapping's codes first (an export's «Минздрав РК» =
    «МЗ»), then the column's own values. A code the mapping gives must be one of ours (a body
    of the registry, a known kind or receiver): a typo there would leave every record with
    that value out as unknown, so it is an error naming the mapping's entry."""
    def codes_of(column: str, ours) -> dict[str, str]:
        codes = {}
        for raw, value in mapping.codes.get(column, {}).items():
            try:
                codes[raw.lower().strip()] = ours(value)
            except (UnknownBody, ValueError) as error:
                raise RecordError(T("records.read.mapping_code", where=mapping.source, column=column, raw=raw,
                                    value=value, problem=error)) from None
        return codes

    def known(allowed: tuple[str, ...]):
        def ours(value: str) -> str:
            if value.lower().strip() not in allowed:
                raise ValueError(T("records.read.known", known=", ".join(allowed)))
            return value.lower().strip()
        return ours

    def lookup_of(column: str, ours):
        codes = codes_of(column, ours)

        def lookup(raw: str) -> str:
            try:
                return codes.get(raw.lower().strip()) or ours(raw)
            except (UnknownBody, ValueError):
                return f"?{raw}"
        return lookup

    allowed = {"kind": APPEAL_KINDS, "received_by": RECEIVERS}
    ours = {"body": lambda value: bodies.find(value).code, **{c: known(a) for c, a in allowed.items()}}
    return {c: Translator(lookup_of(c, ours[c]), c in required) for c in coded}


_INTEGER = r"(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UHUGEINT)"
# The column types each kind of column may have in a typed file (Parquet): anything else
# (a boolean rating, a date stored as a number) would be read as something it is not. Its
# words are the catalogue's `records.expected.<kind>`.
_EXPECTED = {
    "date": re.compile(r"^(DATE|TIMESTAMP.*|VARCHAR)$"),
    "rating": re.compile(rf"^({_INTEGER}|FLOAT|DOUBLE|REAL|DECIMAL.*|VARCHAR)$"),
    "declined": re.compile(rf"^(BOOLEAN|{_INTEGER}|VARCHAR)$"),
    "code": re.compile(rf"^({_INTEGER}|VARCHAR)$"),
}


def column_kind(column: str, dates: tuple[str, ...]) -> str:
    if column in dates:
        return "date"
    return column if column in ("rating", "declined") else "code"


class _Columns:
    """Our columns in a source's terms: the header the mapping names, as SQL, and its type."""

    def __init__(self, mapping: TableMapping, types: dict[str, str]):
        self.mapping, self.types = mapping, types

    def raw(self, column: str) -> str:
        header = self.mapping.columns[column]
        return f"src.{identifier(header)}" if header in self.types else "NULL"

    def typed(self, column: str) -> str:
        return self.types.get(self.mapping.columns[column], "VARCHAR")

    def text(self, column: str) -> str:
        return self.raw(column) if self.typed(column) == "VARCHAR" else f"CAST({self.raw(column)} AS VARCHAR)"

    def present(self, column: str) -> str:
        if self.raw(column) == "NULL":
            return "false"
        return f"({self.raw(column)} IS NOT NULL)" if self.typed(column) != "VARCHAR" else present_sql(self.raw(column))


def normalised_view(connection, path: Path, table: str, mapping: TableMapping, ours: tuple[str, ...],
                    dates: tuple[str, ...], required: tuple[str, ...], bodies: BodyRegistry, workdir: Path,
                    year: int, notes: list[str], speculate: bool = False, unread: tuple[str, ...] = ()) -> View:
    """Create `{table}_records`: the source renamed, typed, and classified in `flags`.

    `flags` = 0 when no SQL check fails; otherwise bit i is set when the check with bit i
    failed. Checks that cannot fail (blank columns, where the file's statistics show none;
    dates outside the calendar, where typed dates' statistics show none) are not run.

    Duplicated ids are confirmed on the ids, a scan of every id, unless `speculate` and the
    records whose id's hash repeats are at most SPECULATED: their bit then marks those records,
    and the caller, who reads their ids, confirms them (`View.speculative`, `View.confirm`).

    Columns `unread` must be in the file, but the caller reads none of them: they are left out
    of the view and of a CSV's copy (each text column copied costs 0.2–0.3 s at 5.9 M appeals).
    """
    with reading(path, workdir):
        source = source_sql(connection, path, table, workdir, notes, [mapping.columns[c] for c in ours])
        _no_repeated_header(connection, source, path, mapping, ours)  # first: it may explain a missing one
        types = _described(connection, source, path)
        mapping = _resolved(mapping, types, ours)
        _check_types(types, path, mapping, ours, dates)
        read = tuple(c for c in ours if c not in unread)
        source = read_once(connection, source, path, dict.fromkeys(mapping.columns[c] for c in read
                                                                   if mapping.columns[c] in types), workdir, table)
        columns = _Columns(mapping, types)
        coded = [c for c in ("body", "kind", "received_by") if c in ours]
        typed_dates = [c for c in dates if columns.raw(c) != "NULL"
                       and (columns.typed(c) == "DATE" or columns.typed(c).startswith("TIMESTAMP"))]
        checks, sql_checks = _checks(connection, source, columns, ours, dates, typed_dates, required, coded, year)
        timed = _timed(connection, source, columns, [c for c in dates if c in read and c not in typed_dates
                                                      and columns.raw(c) != "NULL"])
        selected = _parsed(columns, read, dates, typed_dates, timed, mapping)
        if any(check.said.name == "empty" for check in checks):  # a row with no value in any column read
            selected.append("(" + " AND ".join(f"NOT {columns.present(c)}" for c in read) + ") AS row__empty")
        parsed = f"SELECT {', '.join(selected)} FROM {source} AS src"
        view = View(table, checks, translators(mapping, coded, required, bodies), parsed, sql_checks)
        found = duplicates.repeated_hashes(connection, source, columns.text(ours[0]))
        if found is not None:
            candidates, records = found
            if speculate and records <= SPECULATED:
                connection.register(f"{table}_candidates", {"h": candidates})
                repeated = f"id IS NOT NULL AND {duplicates.HASH.format(id='id')} IN (SELECT h FROM {table}_candidates)"
                view.speculative = True
            elif duplicates.confirm(connection, source, columns.text(ours[0]), f"{table}_duplicates", candidates):
                repeated = f"id IN (SELECT id FROM {table}_duplicates)"
            else:
                repeated = None
            if repeated:
                checks.append(Check(said("duplicated"), bit=len(sql_checks)))
                sql_checks.append(repeated)
        view.create(connection)
        return view


def _described(connection, source: str, path: Path) -> dict[str, str]:
    """The source's column types, by DuckDB's name of each column; a source that cannot be read
    is a RecordError that names it."""
    import duckdb

    try:
        return {row[0]: row[1].upper() for row in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    except duckdb.Error as error:
        raise unreadable(path, error) from None


def _resolved(mapping: TableMapping, types: dict[str, str], ours: tuple[str, ...]) -> TableMapping:
    """`mapping` with each of our columns' header as the source names it: the same header, else
    the one header of the source that differs only in case or spaces (`header_key`; two such
    were refused by `_no_repeated_header`). A header with none stays, to be told missing."""
    by_key: dict[str, list[str]] = {}
    for name in types:
        by_key.setdefault(header_key(name), []).append(name)
    columns = dict(mapping.columns)
    for column in ours:
        header = columns[column]
        found = by_key.get(header_key(header), [])
        if header not in types and len(found) == 1:
            columns[column] = found[0]
    return replace(mapping, columns=columns)


def _check_types(types: dict[str, str], path: Path, mapping: TableMapping, ours: tuple[str, ...],
                 dates: tuple[str, ...]) -> None:
    """A RecordError naming the columns that are missing or of the wrong type, if any."""
    wrong = [T("records.read.wrong_type_column", column=c, header=mapping.columns[c], type=types[mapping.columns[c]],
               expected=T(f"records.expected.{column_kind(c, dates)}"))
             for c in ours if mapping.columns[c] in types
             and not _EXPECTED[column_kind(c, dates)].match(types[mapping.columns[c]])]
    if wrong:
        raise RecordError(T("records.read.wrong_type", path=path, columns="; ".join(wrong)))
    missing = [T("records.read.missing_column", column=c, header=mapping.columns[c], uses=uses(c))
               for c in ours if mapping.columns[c] not in types]
    if missing:
        raise RecordError(T("records.read.missing", path=path, columns="; ".join(missing), found=", ".join(sorted(types))))


def _timed(connection, source: str, columns: _Columns, text_dates: list[str]) -> set[str]:
    """The text date columns some value of which is longer than DATE_WITH_TIME characters, long
    enough for a time and a zone (`2025-03-03 10:15Z`): only their values are looked at for a zone
    (`date_sql`). One look at the lengths: 0.04 s for four columns of 5.9 M appeals."""
    if not text_dates:
        return set()
    longest = connection.execute("SELECT " + ", ".join(f"max(strlen({columns.raw(c)}))" for c in text_dates)
                                 + f" FROM {source} AS src").fetchone()
    return {c for c, n in zip(text_dates, longest) if n is not None and n > DATE_WITH_TIME}


def _no_repeated_header(connection, source: str, path: Path, mapping: TableMapping, ours: tuple[str, ...]) -> None:
    """A header the mapping names that the file writes more than once, in any case and spacing
    (`header_key`: a Russian export with two columns «Дата», or «Дата» and «дата ») is an
    error: which of them is meant cannot be told, and DuckDB would read the first (the second
    as «Дата_1»), silently."""
    written = [header_key(w) for w in written_headers(connection, source, path)]
    repeated = [T("records.read.repeated_header_column", header=h, columns=", ".join(
                    str(n) for n, w in enumerate(written, start=1) if w == header_key(h)))
                for h in dict.fromkeys(mapping.columns[c] for c in ours) if written.count(header_key(h)) > 1]
    if repeated:
        raise RecordError(T("records.read.repeated_header", path=path, headers="; ".join(repeated)))


def _parsed(columns: _Columns, ours: tuple[str, ...], dates: tuple[str, ...], typed_dates: list[str], timed: set[str],
            mapping: TableMapping) -> list[str]:
    """The view's columns: the id as text, dates parsed (with a `__bad` flag where text does not
    parse), the rating as a number, `declined` as a boolean, the rest as text."""
    raw, typed, text, present = columns.raw, columns.typed, columns.text, columns.present
    inner = [f"{text(ours[0])} AS id"]
    for column in ours[1:]:
        if column in dates:
            if column in typed_dates:
                inner.append(f"CAST({raw(column)} AS DATE) AS {column}")
            else:
                parsed = date_sql(raw(column), mapping.date_formats, instants=column in timed)
                inner.append(f"{parsed} AS {column}")
                inner.append(f"({present(column)} AND {parsed} IS NULL) AS {column}__bad")
        elif column == "rating":
            if typed(column) == "VARCHAR":
                value = f"TRY_CAST(REPLACE(NULLIF(TRIM({raw(column)}), ''), ',', '.') AS DOUBLE)"
                inner.append(f"{value} AS rating")
                inner.append(f"({present(column)} AND ({value} IS NULL OR {value} NOT IN (1, 2, 3, 4, 5))) AS rating__bad")
            else:
                inner.append(f"TRY_CAST({raw(column)} AS DOUBLE) AS rating")
                inner.append(f"({raw(column)} < 1 OR {raw(column)} > 5 OR {raw(column)} <> floor({raw(column)})) AS rating__bad")
        elif column == "declined":
            # Yes and no in the words every input takes (a blank is no: nothing withdrawn); any
            # other value («отказ», 2) is neither, and its record left out, not counted as one who came.
            value, yes = f"LOWER(TRIM({text(column)}))", ", ".join(map(literal, TRUE_WORDS))
            inner.append(f"COALESCE({value} IN ({yes}), false) AS declined")
            inner.append(f"({present(column)} AND {value} NOT IN ({yes}, {', '.join(map(literal, FALSE_WORDS))})) "
                         "AS declined__bad")
        else:
            inner.append(f"{text(column)} AS {column}")
    return inner


def _statistics(connection, source: str, columns: _Columns, typed_dates: list[str], required: list[str]):
    """(the lowest and highest of each typed date column, the required columns that may be
    blank): a check these show cannot fail is not run. Alone in their queries, min, max and
    count come from a Parquet file's statistics, without a scan."""
    raw, typed = columns.raw, columns.typed
    ranges = {}
    if typed_dates:
        bounds = connection.execute("SELECT " + ", ".join(f"min({raw(c)})::DATE, max({raw(c)})::DATE" for c in typed_dates)
                                    + f" FROM {source} AS src").fetchone()
        ranges = {c: bounds[2 * i: 2 * i + 2] for i, c in enumerate(typed_dates)}
    # A required column with no NULL has no blank, nor has a text column whose smallest value
    # starts past the space: a value of spaces only (blank, as `present_sql` trims) sorts
    # before every other, so it would be the smallest or come after an empty or lower one.
    counts = connection.execute("SELECT " + ", ".join(
        f"count(*) - count({raw(c)}), " + (f"min({raw(c)}) < '!'" if typed(c) == "VARCHAR" else "false")
        for c in required) + f" FROM {source} AS src").fetchone()
    return ranges, {c for i, c in enumerate(required) if counts[2 * i] or counts[2 * i + 1]}


def _checks(connection, source: str, columns: _Columns, ours: tuple[str, ...], dates: tuple[str, ...],
            typed_dates: list[str], required: tuple[str, ...], coded: list[str], year: int) -> tuple[list[Check], list[str]]:
    """Every record check in the order a record's problem is looked for, and the SQL condition
    of each check that SQL runs (its bit is its place in that list); a check the file's
    statistics show cannot fail is left out."""
    raw, typed, present = columns.raw, columns.typed, columns.present
    ranges, may_be_blank = _statistics(connection, source, columns, typed_dates, [c for c in required if c not in coded])
    sql_checks: list[str] = []
    checks: list[Check] = []

    def add_sql(problem: Said, condition):
        checks.append(Check(problem, bit=len(sql_checks)))
        sql_checks.append(condition)

    if ours[0] in may_be_blank:
        # A row with no value in any column read is no record (the blank rows a spreadsheet
        # saves below its table): first, so that it is told apart. Only where an id may be blank.
        add_sql(said("empty"), "row__empty")
    for column in required:
        if column in coded:
            checks.append(Check(said("blank", column=column), column=column, blank=True))
        elif column in may_be_blank:
            if column == ours[0]:
                # An id of spaces only counts as an id (trimming 6 M ids would double the check's cost).
                blank = "id IS NULL" if typed(column) != "VARCHAR" else "id IS NULL OR strlen(id) = 0"
            elif column in dates:
                blank = f"{column} IS NULL AND NOT {column}__bad" if column not in typed_dates else f"{column} IS NULL"
            else:
                blank = f"NOT {present(column)}"
            add_sql(said("blank", column=column), blank)
    checks.extend(Check(said("unknown", column=column), column=column) for column in coded)
    for column in dates:
        if raw(column) == "NULL":
            continue
        if column not in typed_dates:
            add_sql(said("unparsed", column=column), f"{column}__bad")
        low, high = ranges.get(column, (None, None))
        if column not in typed_dates or (low is not None and (low < CALENDAR_FIRST or high > CALENDAR_LAST)):
            add_sql(said("outside_calendar", column=column, first=CALENDAR_FIRST.year, last=CALENDAR_LAST.year),
                    f"{column} NOT BETWEEN DATE '{CALENDAR_FIRST}' AND DATE '{CALENDAR_LAST}'")
    for column in dates[1:]:
        if raw(column) != "NULL":
            add_sql(said("before_registration", column=column), f"{column} < registered_on")
    # A record of another year is not this assessment's: counting it would move a score.
    add_sql(said("outside_year", year=year),
            f"registered_on NOT BETWEEN DATE '{year}-01-01' AND DATE '{year}-12-31'")
    for column in dates[1:]:
        if raw(column) != "NULL":
            add_sql(said("after_year", column=column, year=year + 1), f"{column} > DATE '{year + 1}-12-31'")
    if "rating" in ours and raw("rating") != "NULL":
        add_sql(said("rating"), "rating__bad")
    if "declined" in ours and raw("declined") != "NULL":
        add_sql(said("declined"), "declined__bad")
    return checks, sql_checks
