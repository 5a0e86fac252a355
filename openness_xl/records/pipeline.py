"""Aggregating raw records to indicator inputs with DuckDB, in one streaming pass per table.

Each table is read (CSV, Parquet or .xlsx) into a normalising SQL view: columns renamed by
the mapping, dates parsed (typed dates as they are, text by the mapping's formats), codes
translated, bodies matched through the body registry, and every record classified: either
usable, or with the first problem found (unknown body, a date that does not parse, an
answer before registration, a duplicated id, a rating outside 1–5, …). One GROUP BY over
that view gives both the per-body counts and the problem counts; problem records are
counted, reported with example ids and left out of every count — never dropped silently.
Working days come from a join with the cumulative calendar (`calendar.WorkingDays`).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..bodies import BodyRegistry, UnknownBody
from ..exact import plain, round_half_away
from ..methodology import Methodology
from .calendar import calendar_between
from .duplicates import find_duplicates
from .schema import (APPEAL_COLUMNS, APPEAL_DATES, APPEAL_KINDS, APPEAL_REQUIRED, RECEIVERS, RECEPTION_COLUMNS,
                     RECEPTION_DATES, RECEPTION_REQUIRED, Mapping, TableMapping)

CALENDAR_FIRST, CALENDAR_LAST = dt.date(2000, 1, 1), dt.date(2035, 12, 31)
EXAMPLES = 5
MEMORY_LIMIT = "500MB"


class RecordError(ValueError):
    """A source that cannot be read at all (missing file or column); the message says which."""


@dataclass
class Problems:
    """Records left out, by kind: how many, and a few ids to look them up."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def lines(self, table: str) -> list[str]:
        return [f"{table}: {count} record(s) left out — {kind} (e.g. {', '.join(self.examples.get(kind, []))})"
                for kind, count in sorted(self.counts.items())]


@dataclass
class Aggregate:
    """Indicator inputs per body, and what was left out."""

    inputs: dict[str, dict[str, dict[str, Fraction]]]  # body → indicator → field → value
    appeal_problems: Problems
    reception_problems: Problems
    records: dict[str, int]

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
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["body", "indicator", "field", "value"])
        writer.writerows(self.rows(methodology, bodies))
        return buffer.getvalue()


# ------------------------------------------------------------------ reading

def _is_utf8(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # a multi-byte character cut at the end of the sample


def _source_sql(connection, path: Path, name: str, workdir: Path) -> str:
    """A FROM clause for the file: Parquet and CSV are streamed by DuckDB, .xlsx goes through Arrow."""
    if not path.exists():
        raise RecordError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet('{_quote(path)}')"
    if suffix in (".xlsx", ".xlsm"):
        return _register_xlsx(connection, path, name)
    if not _is_utf8(path):
        # DuckDB reads UTF-8 only without its encodings extension: transcode cp1251 once.
        target = workdir / f"{name}.utf8.csv"
        with open(path, encoding="cp1251", newline="") as source, open(target, "w", encoding="utf-8", newline="") as out:
            while chunk := source.read(1 << 22):
                out.write(chunk)
        path = target
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        first = handle.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return (f"read_csv('{_quote(path)}', all_varchar=true, header=true, delim='{delimiter}', quote='\"', "
            f"sample_size=-1)")


def _register_xlsx(connection, path: Path, name: str) -> str:
    import pyarrow as pa

    from ..safe_xlsx import open_workbook

    workbook, _warnings = open_workbook(path)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else f"column{n}" for n, h in enumerate(next(rows, ()))]
        columns = [[] for _ in header]
        for row in rows:
            for position in range(len(header)):
                value = row[position] if position < len(row) else None
                columns[position].append(None if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value)))
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


def _codes_sql(column: str, codes: dict[str, str]) -> str:
    text = f"LOWER(TRIM(CAST({column} AS VARCHAR)))"
    if not codes:
        return text
    cases = " ".join(f"WHEN '{k.lower().strip()}' THEN '{v}'" for k, v in codes.items())
    return f"CASE {text} {cases} ELSE {text} END"


def _translation_sql(expression: str, translation: dict[str, str | None]) -> str:
    """Rewrite only the values that need it (few distinct values), leaving the rest untouched."""
    changes = {raw: new for raw, new in translation.items() if raw != new}
    if not changes:
        return expression
    cases = " ".join(f"WHEN {_literal(raw)} THEN {_literal(new)}" for raw, new in sorted(changes.items()))
    return f"CASE {expression} {cases} ELSE {expression} END"


def _literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def _normalised_view(connection, path: Path, table: str, mapping: TableMapping, ours: tuple[str, ...],
                     dates: tuple[str, ...], required: tuple[str, ...], bodies: BodyRegistry, workdir: Path) -> list[str]:
    """`{table}_records`: the source renamed, typed and classified; returns the problems in the order of their bits.

    `flags` = 0 for a usable record; otherwise bit i is set when problem i was found.

    Columns with few distinct values (body, kind, received_by) are profiled first, so the
    per-record work is only what those values need: a clean, canonical extract is passed
    through untouched, and a check that cannot fire is not run.
    """
    source = _source_sql(connection, path, table, workdir)
    types = {row[0]: row[1].upper() for row in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    missing = [f"{c} (header «{mapping.columns[c]}»)" for c in required if mapping.columns[c] not in types]
    if missing:
        raise RecordError(f"{path}: missing column(s) {', '.join(missing)}; found: {', '.join(sorted(types))}")

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

    coded = ["body"] + [c for c in ("kind", "received_by") if c in ours and raw(c) != "NULL"]
    typed_dates = [c for c in dates if raw(c) != "NULL" and (typed(c) == "DATE" or typed(c).startswith("TIMESTAMP"))]
    # Two queries, not one: alone, min/max of typed columns come from the file's statistics.
    profile = connection.execute(f"SELECT {', '.join(f'list(DISTINCT {text(c)})' for c in coded)} FROM {source} AS src").fetchone()
    distinct = {c: [v for v in (profile[i] or []) if v is not None] for i, c in enumerate(coded)}
    ranges = {}
    if typed_dates:
        bounds = connection.execute("SELECT " + ", ".join(f"min({raw(c)})::DATE, max({raw(c)})::DATE" for c in typed_dates)
                                    + f" FROM {source} AS src").fetchone()
        ranges = {c: bounds[2 * i: 2 * i + 2] for i, c in enumerate(typed_dates)}
    # Required columns that can have no blank at all (no NULLs; for text, the smallest value is
    # not empty) need no per-record check: for Parquet both answers come from its statistics.
    counts = connection.execute("SELECT " + ", ".join(
        f"count(*) - count({raw(c)}), " + (f"min({raw(c)}) = ''" if typed(c) == "VARCHAR" else "false")
        for c in required) + f" FROM {source} AS src").fetchone()
    may_be_blank = {c for i, c in enumerate(required) if counts[2 * i] or counts[2 * i + 1]}

    # Few distinct values: translate them in Python; "?" marks a blank, "?value" an unknown value.
    body_codes = {}
    for spelling in distinct["body"]:
        if not spelling.strip():
            body_codes[spelling] = "?"
            continue
        try:
            body_codes[spelling] = bodies.find(spelling).code
        except UnknownBody:
            body_codes[spelling] = f"?{spelling}"
    allowed = {"kind": APPEAL_KINDS, "received_by": RECEIVERS}
    translations = {"body": body_codes}
    for column in coded[1:]:
        codes = {k.lower().strip(): v for k, v in mapping.codes.get(column, {}).items()}
        translation = {}
        for value in distinct[column]:
            canonical = codes.get(value.lower().strip(), value.lower().strip())
            translation[value] = "?" if not value.strip() else canonical if canonical in allowed[column] else f"?{value}"
        translations[column] = translation

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
            value = (f"TRY_CAST(REPLACE(NULLIF(TRIM({raw(column)}), ''), ',', '.') AS DOUBLE)" if typed(column) == "VARCHAR"
                     else f"TRY_CAST({raw(column)} AS DOUBLE)")
            inner.append(f"{value} AS rating")
            inner.append(f"({present(column)} AND ({value} IS NULL OR {value} NOT IN (1, 2, 3, 4, 5))) AS rating__bad")
        elif column == "declined":
            inner.append(f"COALESCE(LOWER(TRIM({text(column)})) IN ('1', 'true', 'да', 'yes', 'иә'), false) AS declined")
        elif column in translations:
            inner.append(f"{_translation_sql(text(column), translations[column])} AS {column}")
        else:
            inner.append(f"{text(column)} AS {column}")

    checks: list[tuple[str, str]] = []  # (problem, condition), in the order they are looked for
    for column in required:
        blank_code = column in translations and "?" in translations[column].values()
        if column not in may_be_blank and not blank_code:
            continue
        if column == ours[0]:
            # An id of spaces only counts as an id (trimming 6 M ids would double the check's cost).
            blank = "id IS NULL" if typed(column) != "VARCHAR" else "id IS NULL OR strlen(id) = 0"
        elif column in translations:
            blank = f"{column} IS NULL" + (f" OR {column} = '?'" if "?" in translations[column].values() else "")
        elif column in dates:
            blank = f"{column} IS NULL AND NOT {column}__bad" if column not in typed_dates else f"{column} IS NULL"
        else:
            blank = f"NOT {present(column)}"
        checks.append((f"{column} is blank", blank))
    for column, translation in translations.items():
        if any(v.startswith("?") and v != "?" for v in translation.values()):
            checks.append((f"unknown {column}", f"{column} LIKE '?%'"))
    for column in dates:
        if raw(column) == "NULL":
            continue
        if column not in typed_dates:
            checks.append((f"{column}: date does not parse", f"{column}__bad"))
        low, high = ranges.get(column, (None, None))
        if column not in typed_dates or (low is not None and (low < CALENDAR_FIRST or high > CALENDAR_LAST)):
            checks.append((f"{column}: date outside {CALENDAR_FIRST.year}–{CALENDAR_LAST.year}",
                           f"{column} NOT BETWEEN DATE '{CALENDAR_FIRST}' AND DATE '{CALENDAR_LAST}'"))
    for column in dates[1:]:
        if raw(column) != "NULL":
            checks.append((f"{column} before registered_on", f"{column} < registered_on"))
    if "rating" in ours and raw("rating") != "NULL":
        checks.append(("rating outside 1–5", "rating__bad"))
    if find_duplicates(connection, f"{source}", text(ours[0]), f"{table}_duplicates"):
        checks.append(("duplicated id", f"id IN (SELECT id FROM {table}_duplicates)"))
    # Every check is a bit: grouping by one integer is cheaper than building a text per record,
    # and the lowest bit set is the first problem found.
    flags = " | ".join(f"(CASE WHEN {condition} THEN {1 << bit} ELSE 0 END)"
                       for bit, (_problem, condition) in enumerate(checks)) or "0"
    connection.execute(f"""
        CREATE OR REPLACE TEMP VIEW {table}_records AS
        WITH parsed AS (SELECT {', '.join(inner)} FROM {source} AS src)
        SELECT parsed.*, ({flags})::UBIGINT AS flags FROM parsed
    """)
    return [problem for problem, _condition in checks]


# ------------------------------------------------------------------ aggregation

def _percent(part: int, whole: int, decimals: int) -> Fraction:
    return round_half_away(Fraction(100 * part, whole), decimals)


def _first_problem(flags: int, problems: list[str]) -> str | None:
    return None if flags == 0 else problems[(flags & -flags).bit_length() - 1]


def _problems(connection, table: str, problems: list[str], counted: dict[str, int]) -> Problems:
    found = Problems()
    for kind, count in counted.items():
        bit = 1 << problems.index(kind)
        found.counts[kind] = count
        examples = connection.execute(
            f"SELECT DISTINCT COALESCE(id, '(no id)') AS id FROM {table}_records WHERE flags & {2 * bit - 1} = {bit} "
            f"ORDER BY id LIMIT {EXAMPLES}").fetchall()
        found.examples[kind] = [row[0] for row in examples]
    return found


def _calendar(connection, methodology: Methodology) -> None:
    """Register `calendar` (day, cum, and the first late day after each day for both limits)."""
    limits = {"redirect_late_from": int(methodology.records["redirect_limit_working_days"]),
              "notice_late_from": int(methodology.indicator("appk_waiting_time").params["limit_working_days"])}
    connection.register("calendar", calendar_between(CALENDAR_FIRST, CALENDAR_LAST).table(limits))


def aggregate(appeals: Path | str, receptions: Path | str, methodology: Methodology, bodies: BodyRegistry,
              mapping: Mapping, plans: dict[str, int] | None = None, progress: bool = False) -> Aggregate:
    """Indicator inputs for every body with records, and the records left out."""
    import duckdb

    settings = methodology.records
    decimals = int(settings["percent_decimals"])
    late_kinds = ", ".join(repr(k) for k in settings["late_review_kinds"])
    connection = duckdb.connect()
    connection.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
    _calendar(connection, methodology)
    with tempfile.TemporaryDirectory() as workdir:
        # The duplicate check holds every id's hash: past this limit DuckDB spills to disk,
        # so memory stays flat however large the extract.
        connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        connection.execute(f"SET temp_directory = '{_quote(Path(workdir))}'")
        appeal_checks = _normalised_view(connection, Path(appeals), "appeals", mapping.appeals, APPEAL_COLUMNS,
                                         APPEAL_DATES, APPEAL_REQUIRED, bodies, Path(workdir))
        reception_checks = _normalised_view(connection, Path(receptions), "receptions", mapping.receptions,
                                            RECEPTION_COLUMNS, RECEPTION_DATES, RECEPTION_REQUIRED, bodies, Path(workdir))
        # One join: "more than N working days after registration" is "on or after the day the
        # calendar gives for the registration day" (calendar.WorkingDays.late_from).
        appeal_rows = connection.execute(f"""
            SELECT a.body, a.flags, count(*) AS records,
                   count(a.answered_on) AS reviewed,
                   count(*) FILTER (WHERE a.kind IN ({late_kinds}) AND a.answered_on > a.deadline_on) AS late_review,
                   count(*) FILTER (WHERE a.redirected_on >= c.redirect_late_from) AS late_redirect,
                   count(*) FILTER (WHERE a.kind = ?) AS requests,
                   count(a.rating) AS rated,
                   count(*) FILTER (WHERE a.rating >= ?) AS satisfied
            FROM appeals_records AS a
            LEFT JOIN calendar AS c ON c.day = a.registered_on
            GROUP BY ALL
        """, [settings["request_kind"], settings["satisfied_from"]]).fetchall()
        reception_rows = connection.execute(f"""
            SELECT r.body, r.flags, count(*) AS requests,
                   count(*) FILTER (WHERE r.notified_on < c.notice_late_from) AS notified_in_time,
                   count(*) FILTER (WHERE NOT r.declined) AS registrants,
                   count(*) FILTER (WHERE r.declined) AS declined,
                   count(*) FILTER (WHERE NOT r.declined AND r.received_on <= r.appointment_on) AS on_date,
                   count(*) FILTER (WHERE NOT r.declined AND r.received_on > r.appointment_on
                                    AND r.received_on <= r.appointment_on + INTERVAL {int(settings['within_months'])} MONTH) AS within_month,
                   count(r.received_on) AS received,
                   count(*) FILTER (WHERE r.received_by = 'first_leader' AND r.received_on IS NOT NULL) AS by_first_leader,
                   count(DISTINCT CASE WHEN r.received_on IS NOT NULL THEN r.received_on::VARCHAR || r.received_by END) AS held
            FROM receptions_records AS r
            LEFT JOIN calendar AS c ON c.day = r.registered_on
            GROUP BY ALL
        """).fetchall()
        appeal_problems = _problems(connection, "appeals", appeal_checks, _by_problem(appeal_rows, appeal_checks))
        reception_problems = _problems(connection, "receptions", reception_checks,
                                       _by_problem(reception_rows, reception_checks))
    inputs: dict[str, dict[str, dict[str, Fraction]]] = {}
    F = Fraction
    for body, flags, records, reviewed, late_review, late_redirect, requests, rated, satisfied in appeal_rows:
        if flags:
            continue
        entry = inputs.setdefault(body, {})
        entry["appk_review_timeliness"] = {"late": F(late_review), "reviewed": F(reviewed)}
        entry["appk_redirect_timeliness"] = {"late": F(late_redirect), "received": F(records)}
        entry["fb_request_share"] = {"request_percent": _percent(requests, records, decimals)}
        if rated:
            entry["fb_satisfaction"] = {"satisfied_percent": _percent(satisfied, rated, decimals)}
    for (body, flags, requests, notified, registrants, declined, on_date, within_month, received,
         by_first_leader, held) in reception_rows:
        if flags:
            continue
        entry = inputs.setdefault(body, {})
        entry["appk_waiting_time"] = {"requests": F(requests), "notified_in_time": F(notified), "registrants": F(registrants),
                                      "received_on_date": F(on_date), "received_within_month": F(within_month)}
        entry["appk_first_leaders"] = {"by_first_leader": F(by_first_leader), "received": F(received)}
        if plans and body in plans:
            entry["appk_reception_intensity"] = {"registered": F(requests), "declined": F(declined), "received": F(received),
                                                 "held": F(held), "plan": F(plans[body])}
    totals = {"appeals": sum(r[2] for r in appeal_rows), "receptions": sum(r[2] for r in reception_rows)}
    return Aggregate(inputs, appeal_problems, reception_problems, totals)


def _by_problem(rows, problems: list[str]) -> dict[str, int]:
    """Records left out per problem (the first one found in each)."""
    merged: dict[str, int] = {}
    for row in rows:
        problem = _first_problem(row[1], problems)
        if problem is not None:
            merged[problem] = merged.get(problem, 0) + row[2]
    return merged


# ------------------------------------------------------------------ traceability

EXPLAIN = {
    "appk_review_timeliness": ("appeals", "late: {kinds} answered after the deadline",
                               "SELECT id, kind, registered_on, deadline_on, answered_on FROM appeals_records "
                               "WHERE flags = 0 AND body = ? AND kind IN ({kinds}) AND answered_on > deadline_on ORDER BY id"),
    "appk_redirect_timeliness": ("appeals", "late: redirected after more than {redirect} working days",
                                 "SELECT a.id, a.registered_on, a.redirected_on, a.redirected_to, c2.cum - c1.cum AS working_days "
                                 "FROM appeals_records a JOIN calendar c1 ON c1.day = a.registered_on "
                                 "JOIN calendar c2 ON c2.day = a.redirected_on WHERE a.flags = 0 AND a.body = ? "
                                 "AND c2.cum - c1.cum > {redirect} ORDER BY a.id"),
    "fb_request_share": ("appeals", "information requests",
                         "SELECT id, kind, registered_on FROM appeals_records WHERE flags = 0 AND body = ? "
                         "AND kind = '{request}' ORDER BY id"),
    "fb_satisfaction": ("appeals", "ratings below {satisfied} (not satisfied)",
                        "SELECT id, rating, answered_on FROM appeals_records WHERE flags = 0 AND body = ? "
                        "AND rating < {satisfied} ORDER BY id"),
    "appk_waiting_time": ("receptions", "requests not notified within {notice} working days",
                          "SELECT r.id, r.registered_on, r.notified_on, c2.cum - c1.cum AS working_days FROM receptions_records r "
                          "JOIN calendar c1 ON c1.day = r.registered_on LEFT JOIN calendar c2 ON c2.day = r.notified_on "
                          "WHERE r.flags = 0 AND r.body = ? AND (r.notified_on IS NULL OR c2.cum - c1.cum > {notice}) ORDER BY r.id"),
    "appk_first_leaders": ("receptions", "citizens received by the first leader",
                           "SELECT id, received_on, received_by FROM receptions_records WHERE flags = 0 AND body = ? "
                           "AND received_by = 'first_leader' AND received_on IS NOT NULL ORDER BY id"),
}


def explain(appeals: Path | str, receptions: Path | str, methodology: Methodology, bodies: BodyRegistry,
            mapping: Mapping, body: str, indicator_id: str, limit: int = 100) -> str:
    """The records behind an indicator's count for one body, as CSV text with a heading."""
    import duckdb

    if indicator_id not in EXPLAIN:
        raise RecordError(f"--explain knows {', '.join(EXPLAIN)}; {indicator_id!r} is not computed from records")
    code = bodies.find(body).code
    settings = methodology.records
    table, title, sql = EXPLAIN[indicator_id]
    values = {"kinds": ", ".join(repr(k) for k in settings["late_review_kinds"]),
              "redirect": int(settings["redirect_limit_working_days"]), "request": settings["request_kind"],
              "satisfied": settings["satisfied_from"],
              "notice": int(methodology.indicator("appk_waiting_time").params["limit_working_days"])}
    connection = duckdb.connect()
    _calendar(connection, methodology)
    with tempfile.TemporaryDirectory() as workdir:
        source = (appeals, mapping.appeals, APPEAL_COLUMNS, APPEAL_DATES, APPEAL_REQUIRED) if table == "appeals" else \
            (receptions, mapping.receptions, RECEPTION_COLUMNS, RECEPTION_DATES, RECEPTION_REQUIRED)
        _normalised_view(connection, Path(source[0]), table, source[1], source[2], source[3], source[4], bodies, Path(workdir))
        query = sql.format(**values)
        total = connection.execute(f"SELECT count(*) FROM ({query})", [code]).fetchone()[0]
        result = connection.execute(f"{query} LIMIT {int(limit)}", [code])
        header = [d[0] for d in result.description]
        rows = result.fetchall()
    buffer = io.StringIO()
    buffer.write(f"# {code} / {indicator_id}: {title.format(**values)} — {total} record(s)"
                 + (f", first {limit} shown" if total > limit else "") + "\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return buffer.getvalue()
