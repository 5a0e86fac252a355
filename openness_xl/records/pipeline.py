"""Aggregating raw records to indicator inputs with DuckDB, in one streaming pass per table.

Each table is read (CSV, Parquet or .xlsx) into a normalising SQL view: columns renamed by
the mapping, dates parsed (typed dates as they are, text by the mapping's formats), and the
record-level checks (a date that does not parse, an answer before registration, a rating
outside 1–5, a duplicated id, …) set as bits of one integer, `flags`. One GROUP BY over the
raw body, the raw kind (or receiver) and `flags` gives every count; the few distinct codes
are then translated in Python (bodies through the body registry), so blank and unknown codes
are judged per group, not per record. A record's problem is the first one found; problem
records are counted, reported with example ids and left out of every count — never dropped
silently. Working days come from one join with the calendar (`calendar.WorkingDays`).
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..core.bodies import BodyRegistry, UnknownBody
from ..core.exact import plain, round_half_away
from ..methodology import Methodology
from ..io.writing import INPUT_COLUMNS, csv_text
from ..texts import count, text as T
from .calendar import Overrides, calendar_between
from .duplicates import find_duplicates
from .schema import (APPEAL_COLUMNS, APPEAL_DATES, APPEAL_KINDS, APPEAL_REQUIRED, RECEIVERS, RECEPTION_COLUMNS,
                     RECEPTION_DATES, RECEPTION_REQUIRED, Mapping, TableMapping, uses)

CALENDAR_FIRST, CALENDAR_LAST = dt.date(2000, 1, 1), dt.date(2035, 12, 31)
EXAMPLES = 5
MEMORY_LIMIT = "500MB"


class RecordError(ValueError):
    """A source that cannot be read at all (missing file or column); the message says which."""


@dataclass
class Problems:
    """Records left out, by kind: how many, and a few ids to look them up."""

    counts: dict[str, int] = field(default_factory=dict)  # by the problem's key («duplicated id»)
    examples: dict[str, list[str]] = field(default_factory=dict)
    said: dict[str, "Said"] = field(default_factory=dict)  # the problem in the catalogue's words

    def lines(self, table: str) -> list[str]:
        """One line per problem, in the current language."""
        return [T("records.left_out", table=T(f"records.table.{table}"), records=count(n, "record"),
                  problem=self.said[kind].text() if kind in self.said else kind,
                  examples=", ".join(T("records.no_id") if e is None else e for e in self.examples.get(kind, [])))
                for kind, n in sorted(self.counts.items())]


@dataclass
class Aggregate:
    """Indicator inputs per body, and what was left out."""

    inputs: dict[str, dict[str, dict[str, Fraction]]]  # body → indicator → field → value
    appeal_problems: Problems
    reception_problems: Problems
    records: dict[str, int]  # read, by table
    used: dict[str, int] = field(default_factory=dict)  # counted, by table (the rest were left out)
    without: dict[str, list[str]] = field(default_factory=dict)  # bodies with no record, by table
    # Appeals with no answer whose deadline passed within the assessed year, and whether they
    # counted as reviewed late (the methodology's `records.unanswered_overdue`).
    overdue_unanswered: int = 0
    overdue_counted: bool = False
    # What the readers noticed and the user should hear (macros or external links in a workbook).
    notes: list[str] = field(default_factory=list)

    def rows(self, methodology: Methodology, bodies: BodyRegistry) -> list[tuple[str, str, str, str]]:
        """The long input table (body, indicator, field, value) in registry and methodology order."""
        out = []
        for body in bodies:
            for indicator in methodology.indicators:
                fields = self.inputs.get(body.code, {}).get(indicator.id)
                if fields:
                    for spec in indicator.inputs:
                        out.append((body.code, indicator.id, spec.name, plain(fields[spec.name])))
        return out

    def csv(self, methodology: Methodology, bodies: BodyRegistry) -> str:
        return csv_text(INPUT_COLUMNS, self.rows(methodology, bodies))


# ------------------------------------------------------------------ reading

def _is_utf8(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # a multi-byte character cut at the end of the sample


def _first_bad_csv_row(path: Path) -> str | None:
    """Where a CSV that DuckDB could not read goes wrong: the first row with a broken quote
    or another number of fields than the header (only looked for once reading has failed)."""
    import csv

    encoding = "utf-8-sig" if _is_utf8(path) else "cp1251"
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        try:
            header = next(reader, [])
            for row in reader:
                if row and len(row) != len(header):
                    return T("records.read.short_row", row=reader.line_num, fields=len(row), header=len(header))
        except csv.Error as error:
            return T("records.read.bad_csv", row=reader.line_num, error=error)
    return None


def _source_sql(connection, path: Path, name: str, workdir: Path, notes: list[str]) -> str:
    """A FROM clause for the file: Parquet and CSV are streamed by DuckDB, .xlsx goes through
    Arrow (what its reader notices is added to `notes`)."""
    if not path.exists():
        raise RecordError(T("records.read.no_file", path=path))
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet('{_quote(path)}')"
    if suffix in (".xlsx", ".xlsm"):
        return _register_xlsx(connection, path, name, notes)
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        raise RecordError(T("records.read.utf16", path=path, export=T("records.read.export")))
    if not _is_utf8(path):
        # DuckDB reads UTF-8 only without its encodings extension: transcode cp1251 once.
        target = workdir / f"{name}.utf8.csv"
        try:
            with open(path, encoding="cp1251", newline="") as source, open(target, "w", encoding="utf-8", newline="") as out:
                while chunk := source.read(1 << 22):
                    out.write(chunk)
        except UnicodeDecodeError as error:
            raise RecordError(T("records.read.undecodable", path=path, byte=f"{error.object[error.start]:#04x}",
                                export=T("records.read.export"))) from None
        path = target
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return (f"read_csv('{_quote(path)}', all_varchar=true, header=true, delim='{delimiter}', quote='\"', "
            f"sample_size=-1)")


def _register_xlsx(connection, path: Path, name: str, notes: list[str]) -> str:
    import pyarrow as pa

    from ..io.safe_xlsx import DAMAGED, UnsafeWorkbook, open_workbook, present_rows, unreadable

    try:
        workbook, warnings = open_workbook(path)
    except UnsafeWorkbook as error:
        raise RecordError(str(error)) from None
    notes.extend(warnings)
    try:
        rows = (values for _number, values in present_rows(workbook.worksheets[0]))
        header = [str(h).strip() if h is not None else f"column{n}" for n, h in enumerate(next(rows, ()))]
        columns = [[] for _ in header]
        for row in rows:
            for position in range(len(header)):
                value = row[position] if position < len(row) else None
                columns[position].append(None if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value)))
    except (*DAMAGED, ValueError) as error:
        location, message = unreadable(path, error)
        raise RecordError(f"{path}: {message}" if location == "file" else f"{path}, {location}: {message}") from None
    finally:
        workbook.close()
    table = pa.table({h: pa.array(c, type=pa.string()) for h, c in zip(header, columns)})
    connection.register(f"{name}_xlsx", table)
    return f"{name}_xlsx"


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _date_sql(column: str, formats: tuple[str, ...]) -> str:
    text = f"NULLIF(TRIM(CAST({column} AS VARCHAR)), '')"
    fmts = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in formats) + "]"
    return f"COALESCE(TRY_CAST({column} AS DATE), CAST(TRY_STRPTIME({text}, {fmts}) AS DATE))"


def _present_sql(column: str) -> str:
    return f"(NULLIF(TRIM(CAST({column} AS VARCHAR)), '') IS NOT NULL)"


def _translation_sql(expression: str, translation: dict[str, str | None]) -> str:
    """Rewrite only the values that need it (few distinct values), leaving the rest untouched."""
    changes = {raw: new for raw, new in translation.items() if raw != new}
    if not changes:
        return expression
    cases = " ".join(f"WHEN {_literal(raw)} THEN {_literal(new)}" for raw, new in sorted(changes.items()))
    return f"CASE {expression} {cases} ELSE {expression} END"


def _literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _in_sql(column: str, values) -> str:
    """`column` is one of `values` (None meaning NULL), never NULL itself."""
    listed = sorted(v for v in values if v is not None)
    parts = ([f"{column} IS NULL"] if None in values else []) + ([f"{column} IN ({', '.join(map(_literal, listed))})"] if listed else [])
    return "(" + " OR ".join(parts) + ")" if parts else "false"


# ------------------------------------------------------------------ classification

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

    def problem(self, flags: int, values: dict[str, str | None]) -> str | None:
        """The first problem of a group of records (same flags, same raw coded values), or None."""
        for check in self.checks:
            if check.bit is not None:
                if flags >> check.bit & 1:
                    return check.problem
            elif self.translators[check.column].fails(values[check.column], check.blank):
                return check.problem
        return None

    def condition(self, check: Check, seen: dict[str, set]) -> str:
        """SQL for the records that fail `check`, given the raw values seen in each coded column."""
        if check.bit is not None:
            return f"(flags & {1 << check.bit}) <> 0"
        translator = self.translators[check.column]
        return _in_sql(check.column, {v for v in seen[check.column] if translator.fails(v, check.blank)})

    def first_problem_sql(self, check: Check, seen: dict[str, set]) -> str:
        """SQL for the records whose first problem is `check`."""
        earlier = [self.condition(c, seen) for c in self.checks[:self.checks.index(check)]]
        return self.condition(check, seen) + "".join(f" AND NOT {c}" for c in earlier if c != "false")


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


def _translators(mapping: TableMapping, coded: list[str], required: tuple[str, ...], bodies: BodyRegistry) -> dict[str, Translator]:
    def body(raw: str) -> str:
        try:
            return bodies.find(raw).code
        except UnknownBody:
            return f"?{raw}"

    def coded_value(column: str, allowed: tuple[str, ...]):
        codes = {k.lower().strip(): v for k, v in mapping.codes.get(column, {}).items()}

        def lookup(raw: str) -> str:
            canonical = codes.get(raw.lower().strip(), raw.lower().strip())
            return canonical if canonical in allowed else f"?{raw}"
        return lookup

    lookups = {"body": body, "kind": coded_value("kind", APPEAL_KINDS), "received_by": coded_value("received_by", RECEIVERS)}
    return {c: Translator(lookups[c], c in required) for c in coded}


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


def _column_kind(column: str, dates: tuple[str, ...]) -> str:
    if column in dates:
        return "date"
    return column if column in ("rating", "declined") else "code"


def _normalised_view(connection, path: Path, table: str, mapping: TableMapping, ours: tuple[str, ...],
                     dates: tuple[str, ...], required: tuple[str, ...], bodies: BodyRegistry, workdir: Path,
                     year: int, notes: list[str]) -> View:
    """Create `{table}_records`: the source renamed, typed, and classified in `flags`.

    `flags` = 0 when no SQL check fails; otherwise bit i is set when the check with bit i
    failed. Checks that cannot fail (blank columns, where the file's statistics show none;
    dates outside the calendar, where typed dates' statistics show none) are not run.
    """
    import duckdb

    source = _source_sql(connection, path, table, workdir, notes)
    try:
        types = {row[0]: row[1].upper() for row in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0]
        where = _first_bad_csv_row(path) if path.suffix.lower() not in (".parquet", ".xlsx", ".xlsm") else None
        if where:
            raise RecordError(f"{path}, {where}") from None
        raise RecordError(T("records.read.unreadable", path=path, extension=path.suffix.lstrip('.') or 'CSV',
                            first=first)) from None
    wrong = [T("records.read.wrong_type_column", column=c, header=mapping.columns[c], type=types[mapping.columns[c]],
               expected=T(f"records.expected.{_column_kind(c, dates)}"))
             for c in ours if mapping.columns[c] in types
             and not _EXPECTED[_column_kind(c, dates)].match(types[mapping.columns[c]])]
    if wrong:
        raise RecordError(T("records.read.wrong_type", path=path, columns="; ".join(wrong)))
    missing = [T("records.read.missing_column", column=c, header=mapping.columns[c], uses=uses(c))
               for c in ours if mapping.columns[c] not in types]
    if missing:
        raise RecordError(T("records.read.missing", path=path, columns="; ".join(missing), found=", ".join(sorted(types))))

    def raw(column):
        header = mapping.columns[column]
        return f"src.{_identifier(header)}" if header in types else "NULL"

    def typed(column):
        return types.get(mapping.columns[column], "VARCHAR")

    def text(column):
        return raw(column) if typed(column) == "VARCHAR" else f"CAST({raw(column)} AS VARCHAR)"

    def present(column):
        if raw(column) == "NULL":
            return "false"
        return f"({raw(column)} IS NOT NULL)" if typed(column) != "VARCHAR" else _present_sql(raw(column))

    coded = [c for c in ("body", "kind", "received_by") if c in ours]
    typed_dates = [c for c in dates if raw(c) != "NULL" and (typed(c) == "DATE" or typed(c).startswith("TIMESTAMP"))]
    ranges = {}
    if typed_dates:
        # Alone in their query, min/max of typed columns come from the file's statistics.
        bounds = connection.execute("SELECT " + ", ".join(f"min({raw(c)})::DATE, max({raw(c)})::DATE" for c in typed_dates)
                                    + f" FROM {source} AS src").fetchone()
        ranges = {c: bounds[2 * i: 2 * i + 2] for i, c in enumerate(typed_dates)}
    # Required columns that can have no blank at all (no NULLs; for text, the smallest value is
    # not empty) need no per-record check: for Parquet both answers come from its statistics.
    sql_required = [c for c in required if c not in coded]
    counts = connection.execute("SELECT " + ", ".join(
        f"count(*) - count({raw(c)}), " + (f"min({raw(c)}) = ''" if typed(c) == "VARCHAR" else "false")
        for c in sql_required) + f" FROM {source} AS src").fetchone()
    may_be_blank = {c for i, c in enumerate(sql_required) if counts[2 * i] or counts[2 * i + 1]}

    inner = [f"{text(ours[0])} AS id"]
    for column in ours[1:]:
        if column in dates:
            if column in typed_dates:
                inner.append(f"CAST({raw(column)} AS DATE) AS {column}")
            else:
                parsed = _date_sql(raw(column), mapping.date_formats)
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
            inner.append(f"COALESCE(LOWER(TRIM({text(column)})) IN ('1', 'true', 'да', 'yes', 'иә'), false) AS declined")
        else:
            inner.append(f"{text(column)} AS {column}")

    sql_checks: list[tuple[Said, str]] = []  # (problem, condition)
    checks: list[Check] = []  # all, in the order they are looked for

    def add_sql(problem: Said, condition):
        checks.append(Check(problem, bit=len(sql_checks)))
        sql_checks.append((problem, condition))

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
    if find_duplicates(connection, source, text(ours[0]), f"{table}_duplicates"):
        add_sql(said("duplicated"), f"id IN (SELECT id FROM {table}_duplicates)")
    # Grouping by one integer is cheaper than building a text per record.
    flags = " | ".join(f"(CASE WHEN {condition} THEN {1 << bit} ELSE 0 END)"
                       for bit, (_problem, condition) in enumerate(sql_checks)) or "0"
    connection.execute(f"""
        CREATE OR REPLACE TEMP VIEW {table}_records AS
        WITH parsed AS (SELECT {', '.join(inner)} FROM {source} AS src)
        SELECT parsed.*, ({flags})::UBIGINT AS flags FROM parsed
    """)
    return View(table, checks, _translators(mapping, coded, required, bodies))


# ------------------------------------------------------------------ aggregation

def _percent(part: int, whole: int, decimals: int) -> Fraction:
    return round_half_away(Fraction(100 * part, whole), decimals)


def _problems(connection, view: View, counted: dict[str, int], seen: dict[str, set]) -> Problems:
    found = Problems()
    checks = {check.problem: check for check in view.checks}
    for kind, records in counted.items():
        found.counts[kind] = records
        found.said[kind] = checks[kind].said
        examples = connection.execute(
            f"SELECT DISTINCT id FROM {view.table}_records "
            f"WHERE {view.first_problem_sql(checks[kind], seen)} ORDER BY id NULLS FIRST LIMIT {EXAMPLES}").fetchall()
        found.examples[kind] = [row[0] for row in examples]  # None: a record with no id
    return found


def _calendar(connection, methodology: Methodology, overrides: Overrides | None = None) -> None:
    """Register `calendar` (day, cum, and the first late day after each day for both limits)."""
    limits = {"redirect_late_from": int(methodology.records["redirect_limit_working_days"]),
              "notice_late_from": int(methodology.indicator("appk_waiting_time").params["limit_working_days"])}
    connection.register("calendar", calendar_between(CALENDAR_FIRST, CALENDAR_LAST, overrides).table(limits))


class _Groups:
    """Per-group rows of one table: judged, counted per problem, summed per body."""

    def __init__(self, view: View, coded: tuple[str, ...]):
        self.view, self.coded = view, coded
        self.problems: dict[str, int] = {}
        self.seen: dict[str, set] = {c: set() for c in coded}
        self.records = 0

    def usable(self, rows):
        """(body, {coded column: our code}, counts) of the groups without a problem."""
        width = len(self.coded)
        for row in rows:
            values = dict(zip(self.coded, row[:width]))
            flags, counts = row[width], row[width + 1:]
            self.records += counts[0]
            for column, value in values.items():
                self.seen[column].add(value)
            problem = self.view.problem(flags, values)
            if problem is not None:
                self.problems[problem] = self.problems.get(problem, 0) + counts[0]
                continue
            codes = {c: self.view.translators[c](v) for c, v in values.items()}
            yield codes.pop("body"), codes, counts


def aggregate(appeals: Path | str, receptions: Path | str, methodology: Methodology, bodies: BodyRegistry,
              mapping: Mapping, plans: dict[str, int] | None = None, progress: bool = False,
              overrides: Overrides | None = None) -> Aggregate:
    """Indicator inputs for every body (zero cases where a body has no records), and the
    records left out; working days by the calendar file `overrides` (the bundled one by default)."""
    import duckdb

    settings = methodology.records
    decimals = int(settings["percent_decimals"])
    late_kinds = set(settings["late_review_kinds"])
    notes: list[str] = []
    connection = duckdb.connect()
    connection.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
    _calendar(connection, methodology, overrides)
    with tempfile.TemporaryDirectory() as workdir:
        # The duplicate check holds every id's hash: past this limit DuckDB spills to disk,
        # so memory stays flat however large the extract.
        connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        connection.execute(f"SET temp_directory = '{_quote(Path(workdir))}'")
        appeal_view = _normalised_view(connection, Path(appeals), "appeals", mapping.appeals, APPEAL_COLUMNS,
                                       APPEAL_DATES, APPEAL_REQUIRED, bodies, Path(workdir), methodology.year, notes)
        reception_view = _normalised_view(connection, Path(receptions), "receptions", mapping.receptions,
                                          RECEPTION_COLUMNS, RECEPTION_DATES, RECEPTION_REQUIRED, bodies, Path(workdir),
                                          methodology.year, notes)
        # Grouped by the raw body and kind: the kind-dependent counts are summed in Python.
        # One join: "more than N working days after registration" is "on or after the day the
        # calendar gives for the registration day" (calendar.WorkingDays.late_from).
        appeal_rows = connection.execute("""
            SELECT a.body, a.kind, a.flags, count(*) AS records,
                   count(a.answered_on) AS reviewed,
                   count(*) FILTER (WHERE a.answered_on > a.deadline_on) AS answered_late,
                   count(*) FILTER (WHERE a.redirected_on >= c.redirect_late_from) AS late_redirect,
                   count(a.rating) AS rated,
                   count(*) FILTER (WHERE a.rating >= ?) AS satisfied,
                   count(*) FILTER (WHERE a.answered_on IS NULL AND a.deadline_on <= ?) AS overdue
            FROM appeals_records AS a
            LEFT JOIN calendar AS c ON c.day = a.registered_on
            GROUP BY ALL
        """, [settings["satisfied_from"], period_end(methodology)]).fetchall()
        reception_rows = connection.execute(f"""
            SELECT r.body, r.received_by, r.flags, count(*) AS requests,
                   count(*) FILTER (WHERE r.notified_on < c.notice_late_from) AS notified_in_time,
                   count(*) FILTER (WHERE NOT r.declined) AS registrants,
                   count(*) FILTER (WHERE r.declined) AS declined,
                   count(*) FILTER (WHERE NOT r.declined AND r.received_on <= r.appointment_on) AS on_date,
                   count(*) FILTER (WHERE NOT r.declined AND r.received_on > r.appointment_on
                                    AND r.received_on <= r.appointment_on + INTERVAL {int(settings['within_months'])} MONTH) AS within_month,
                   count(r.received_on) AS received,
                   list(DISTINCT r.received_on) FILTER (WHERE r.received_on IS NOT NULL) AS days
            FROM receptions_records AS r
            LEFT JOIN calendar AS c ON c.day = r.registered_on
            GROUP BY ALL
        """).fetchall()

        appeal_groups, reception_groups = _Groups(appeal_view, ("body", "kind")), _Groups(reception_view, ("body", "received_by"))
        appeal_counts: dict[str, Counter] = defaultdict(Counter)
        overdue_late = settings["unanswered_overdue"] == "late"
        for body, codes, (records, reviewed, answered_late, late_redirect, rated, satisfied, overdue) in \
                appeal_groups.usable(appeal_rows):
            kind = codes["kind"]
            # Unanswered past its deadline: reviewed late, in our reading of the methodology (a
            # body that never answers must not score better than one that answers late).
            counted = overdue if overdue_late else 0
            appeal_counts[body].update(
                records=records, reviewed=reviewed + counted,
                late_review=answered_late + counted if kind in late_kinds else 0,
                late_redirect=late_redirect, requests=records if kind == settings["request_kind"] else 0,
                rated=rated, satisfied=satisfied, overdue=overdue)
        reception_counts: dict[str, Counter] = defaultdict(Counter)
        held: dict[str, set] = defaultdict(set)  # distinct (date, receiver) pairs, whatever the spelling
        for body, codes, (requests, notified, registrants, declined, on_date, within_month, received, days) in \
                reception_groups.usable(reception_rows):
            receiver = codes["received_by"]
            reception_counts[body].update(
                requests=requests, notified=notified, registrants=registrants, declined=declined, on_date=on_date,
                within_month=within_month, received=received,
                by_first_leader=received if receiver == "first_leader" else 0)
            if receiver is not None:
                held[body].update((day, receiver) for day in days or ())
        appeal_problems = _problems(connection, appeal_view, appeal_groups.problems, appeal_groups.seen)
        reception_problems = _problems(connection, reception_view, reception_groups.problems, reception_groups.seen)

    # Every body of the methodology: one with no records has zero cases, which the methodology
    # scores as "nothing to assess"; it is named, never dropped.
    used = {"appeals": sum(n["records"] for n in appeal_counts.values()),
            "receptions": sum(n["requests"] for n in reception_counts.values())}
    without = {"appeals": [b.code for b in bodies if b.code not in appeal_counts],
               "receptions": [b.code for b in bodies if b.code not in reception_counts]}
    for body in bodies:
        appeal_counts.setdefault(body.code, Counter())
        reception_counts.setdefault(body.code, Counter())
    inputs: dict[str, dict[str, dict[str, Fraction]]] = {}
    F = Fraction
    for body, n in appeal_counts.items():
        entry = inputs.setdefault(body, {})
        entry["appk_review_timeliness"] = {"late": F(n["late_review"]), "reviewed": F(n["reviewed"])}
        entry["appk_redirect_timeliness"] = {"late": F(n["late_redirect"]), "received": F(n["records"])}
        if n["records"]:  # a share of nothing is no percentage: left to the supplier
            entry["fb_request_share"] = {"request_percent": _percent(n["requests"], n["records"], decimals)}
        if n["rated"]:
            entry["fb_satisfaction"] = {"satisfied_percent": _percent(n["satisfied"], n["rated"], decimals)}
    for body, n in reception_counts.items():
        entry = inputs.setdefault(body, {})
        entry["appk_waiting_time"] = {"requests": F(n["requests"]), "notified_in_time": F(n["notified"]),
                                      "registrants": F(n["registrants"]), "received_on_date": F(n["on_date"]),
                                      "received_within_month": F(n["within_month"])}
        entry["appk_first_leaders"] = {"by_first_leader": F(n["by_first_leader"]), "received": F(n["received"])}
        if plans and body in plans:
            entry["appk_reception_intensity"] = {"registered": F(n["requests"]), "declined": F(n["declined"]),
                                                 "received": F(n["received"]), "held": F(len(held[body])),
                                                 "plan": F(plans[body])}
    totals = {"appeals": appeal_groups.records, "receptions": reception_groups.records}
    overdue = sum(n["overdue"] for n in appeal_counts.values())
    return Aggregate(inputs, appeal_problems, reception_problems, totals, used, without, overdue, overdue_late, notes)


def period_end(methodology: Methodology):
    """The last day of the assessed year: an appeal due by then and never answered is overdue."""
    import datetime as dt

    return dt.date(methodology.year, 12, 31)


def _usable_view(connection, view: View) -> None:
    """`{table}_usable`: the records without a problem, coded columns translated (for --explain)."""
    columns = list(view.translators)
    seen = {c: set() for c in columns}
    for row in connection.execute(f"SELECT DISTINCT {', '.join(columns)} FROM {view.table}_records").fetchall():
        for column, value in zip(columns, row):
            seen[column].add(value)
    failing = [view.condition(c, seen) for c in view.checks if c.bit is None]
    translated = ", ".join(f"{_translation_sql(c, {v: view.translators[c](v) for v in seen[c] if v is not None})} AS {c}"
                           for c in columns)
    connection.execute(f"""
        CREATE OR REPLACE TEMP VIEW {view.table}_usable AS
        SELECT * REPLACE ({translated}) FROM {view.table}_records
        WHERE flags = 0{''.join(f' AND NOT {f}' for f in failing if f != 'false')}
    """)


# ------------------------------------------------------------------ traceability

# The title of each is the catalogue's `records.explain.<indicator>`.
EXPLAIN = {
    "appk_review_timeliness": ("appeals",
                               "SELECT id, kind, registered_on, deadline_on, answered_on FROM appeals_usable "
                               "WHERE body = ? AND kind IN ({kinds}) AND (answered_on > deadline_on{overdue}) "
                               "ORDER BY id"),
    "appk_redirect_timeliness": ("appeals",
                                 "SELECT a.id, a.registered_on, a.redirected_on, a.redirected_to, c2.cum - c1.cum AS working_days "
                                 "FROM appeals_usable a JOIN calendar c1 ON c1.day = a.registered_on "
                                 "JOIN calendar c2 ON c2.day = a.redirected_on WHERE a.body = ? "
                                 "AND c2.cum - c1.cum > {redirect} ORDER BY a.id"),
    "fb_request_share": ("appeals",
                         "SELECT id, kind, registered_on FROM appeals_usable WHERE body = ? "
                         "AND kind = '{request}' ORDER BY id"),
    "fb_satisfaction": ("appeals",
                        "SELECT id, rating, answered_on FROM appeals_usable WHERE body = ? "
                        "AND rating < {satisfied} ORDER BY id"),
    "appk_waiting_time": ("receptions",
                          "SELECT r.id, r.registered_on, r.notified_on, c2.cum - c1.cum AS working_days FROM receptions_usable r "
                          "JOIN calendar c1 ON c1.day = r.registered_on LEFT JOIN calendar c2 ON c2.day = r.notified_on "
                          "WHERE r.body = ? AND (r.notified_on IS NULL OR c2.cum - c1.cum > {notice}) ORDER BY r.id"),
    "appk_first_leaders": ("receptions",
                           "SELECT id, received_on, received_by FROM receptions_usable WHERE body = ? "
                           "AND received_by = 'first_leader' AND received_on IS NOT NULL ORDER BY id"),
}


def explain(appeals: Path | str, receptions: Path | str, methodology: Methodology, bodies: BodyRegistry,
            mapping: Mapping, body: str, indicator_id: str, limit: int = 100, overrides: Overrides | None = None) -> str:
    """The records behind an indicator's count for one body, as CSV text with a heading."""
    import duckdb

    if indicator_id not in EXPLAIN:
        raise RecordError(T("records.explain.unknown", known=", ".join(EXPLAIN), indicator=indicator_id))
    code = bodies.find(body).code
    settings = methodology.records
    table, sql = EXPLAIN[indicator_id]
    values = {"kinds": ", ".join(repr(k) for k in settings["late_review_kinds"]),
              "redirect": int(settings["redirect_limit_working_days"]), "request": settings["request_kind"],
              "satisfied": settings["satisfied_from"],
              "overdue": (f" OR (answered_on IS NULL AND deadline_on <= DATE '{period_end(methodology)}')"
                          if settings["unanswered_overdue"] == "late" else ""),
              "notice": int(methodology.indicator("appk_waiting_time").params["limit_working_days"])}
    connection = duckdb.connect()
    _calendar(connection, methodology, overrides)
    with tempfile.TemporaryDirectory() as workdir:
        source = (appeals, mapping.appeals, APPEAL_COLUMNS, APPEAL_DATES, APPEAL_REQUIRED) if table == "appeals" else \
            (receptions, mapping.receptions, RECEPTION_COLUMNS, RECEPTION_DATES, RECEPTION_REQUIRED)
        _usable_view(connection, _normalised_view(connection, Path(source[0]), table, source[1], source[2], source[3],
                                                  source[4], bodies, Path(workdir), methodology.year, []))
        query = sql.format(**values)
        total = connection.execute(f"SELECT count(*) FROM ({query})", [code]).fetchone()[0]
        result = connection.execute(f"{query} LIMIT {int(limit)}", [code])
        header = [d[0] for d in result.description]
        rows = result.fetchall()
    title = T(f"records.explain.{indicator_id}", **values)
    preface = (f"# {code} / {indicator_id}: {title} — {count(total, 'record')}"
               + (T("records.explain.first_shown", limit=limit) if total > limit else "") + "\n")
    return csv_text(header, rows, preface)
