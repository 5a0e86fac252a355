"""Aggregating raw records to indicator inputs with DuckDB, in one streaming pass per table.

Each table is read (Parquet in place, a CSV once into a Parquet copy of its used columns, .xlsx
through Arrow: `sources.py`) into a normalising SQL view (`normalise.py`): columns renamed by
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

import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..core.bodies import BodyRegistry
from ..core.exact import plain, round_half_away
from ..io.writing import INPUT_COLUMNS, csv_text
from ..methodology import Methodology
from ..texts import count, grouped, text as T
from .calendar import CALENDAR_FIRST, CALENDAR_LAST, CalendarAhead, Overrides, WorkingDays, calendar_between
from .schema import (APPEAL_COLUMNS, APPEAL_DATES, APPEAL_KINDS, APPEAL_REQUIRED, RECEIVERS, RECEPTION_COLUMNS,
                     RECEPTION_DATES, RECEPTION_REQUIRED, SHOWN_ONLY, Mapping)
from .normalise import Said, View, normalised_view, said
from .sources import RecordError, reading
from .sql import literal, quote

EXAMPLES = 5
KEPT = 2 * EXAMPLES  # ids a group keeps: enough for EXAMPLES distinct when each id comes at most twice
MEMORY_LIMIT = "500MB"


@dataclass
class Problems:
    """Records left out, by kind: how many, and a few ids to look them up."""

    counts: dict[str, int] = field(default_factory=dict)  # by the problem's key («duplicated id»)
    examples: dict[str, list[str]] = field(default_factory=dict)
    said: dict[str, "Said"] = field(default_factory=dict)  # the problem in the catalogue's words
    # An unknown code's values as written, with their records: what a mapping must name.
    values: dict[str, Counter] = field(default_factory=dict)

    def lines(self, table: str) -> list[str]:
        """One line per problem, in the current language."""
        return [T("records.left_out", table=T(f"records.table.{table}"), records=count(n, "record"),
                  problem=self._problem(kind, table),
                  examples=", ".join(T("records.no_id") if e is None else e for e in self.examples.get(kind, [])))
                for kind, n in sorted(self.counts.items())]

    def _problem(self, kind: str, table: str) -> str:
        """The problem in words; an unknown code's with its most frequent values (a few thousand
        records of «Минздрав» are one line of the mapping, not a search by their ids), a date
        that does not parse with where its format is declared."""
        said = self.said[kind].text() if kind in self.said else kind
        if kind in self.said and self.said[kind].name == "unparsed":
            return T("records.unparsed_hint", problem=said, section=table)
        written = self.values.get(kind)
        if not written:
            return said
        column = dict(self.said[kind].fields)["column"]
        shown = sorted(written.items(), key=lambda item: (-item[1], item[0]))
        values = ", ".join(f"«{_cut(value)}» ({grouped(n)})" for value, n in shown[:EXAMPLES])
        if len(shown) > EXAMPLES:
            values += " " + T("records.more_values", n=len(shown) - EXAMPLES)
        known = APPEAL_KINDS if column == "kind" else RECEIVERS if column == "received_by" else ()
        return T("records.unknown_values", problem=said, values=values, section=table, column=column,
                 known="; " + T("records.read.known", known=", ".join(known)) if known else "")


# An unknown value is quoted up to this many characters (a pasted letter is no code).
QUOTED = 60


def _cut(value: str) -> str:
    """A value as a message quotes it: on one line, cut at QUOTED characters."""
    value = " ".join(str(value).split())
    return value if len(value) <= QUOTED else value[:QUOTED - 1] + "…"


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
    # Rows with no value in any column read, by table: no records, skipped (a spreadsheet's blank rows).
    empty: dict[str, int] = field(default_factory=dict)

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


def _percent(part: int, whole: int, decimals: int) -> Fraction:
    return round_half_away(Fraction(100 * part, whole), decimals)


def _problems(connection, groups: "_Groups") -> Problems:
    """The problems `groups` counted, each with its EXAMPLES smallest ids, a record with no id
    first (as ORDER BY id NULLS FIRST; ids compare as DuckDB's do, by code point). Where the
    counts did not bring some group's examples, every problem's are taken again, in one scan of
    the records with a problem."""
    view, found = groups.view, Problems()
    checks = {check.problem: check for check in view.checks}
    if groups.unsure:
        # DISTINCT hashes every record it sees: only where ids repeat.
        smallest = f"min(DISTINCT id, {EXAMPLES})" if view.repeated_ids else f"min(id, {EXAMPLES})"
        for *values, flags, ids in connection.execute(
                f"SELECT {', '.join(groups.coded)}, flags, {smallest} FROM {view.table}_records "
                f"WHERE {' OR '.join(['flags <> 0', *view.coded_failing(groups.seen)])} GROUP BY ALL").fetchall():
            groups.ids[view.problem(flags, dict(zip(groups.coded, values)))].update(ids or ())
    for kind, records in groups.problems.items():
        found.counts[kind], found.said[kind] = records, checks[kind].said
        if groups.values.get(kind):
            found.values[kind] = groups.values[kind]
        found.examples[kind] = sorted(groups.ids[kind], key=lambda i: (i is not None, i or ""))[:EXAMPLES]
    return found


def register_calendar(connection, methodology: Methodology, overrides: Overrides | None = None,
                      calendar: WorkingDays | None = None) -> None:
    """Register `calendar` (day, cum, and the first late day after each day for both limits),
    the one given or the one of the calendar file `overrides`."""
    limits = {"redirect_late_from": int(methodology.records["redirect_limit_working_days"]),
              "notice_late_from": int(methodology.indicator("appk_waiting_time").params["limit_working_days"])}
    if calendar is None:
        calendar = calendar_between(CALENDAR_FIRST, CALENDAR_LAST, overrides)
    calendar.register(connection, "calendar", limits)


class _Groups:
    """Per-group rows of one table: judged, counted per problem, summed per body; a problem's
    example ids gathered from its groups.

    Each group row brings, after its coded values and flags, whether a record has no id and,
    where the view reads every id anyway (some ids repeat: `View.repeated_ids`), its KEPT
    smallest ids, repeats included; elsewhere reading the ids would cost the counts a tenth
    more. A group's EXAMPLES smallest distinct ids are its examples, and the smallest of a
    problem's groups together are the problem's. A problem's group whose ids were not kept, or
    repeat so often that KEPT holds fewer than EXAMPLES distinct, makes the table `unsure`:
    `_problems` looks at its records with a problem again.

    Where the duplicate bit is `View.speculative`, a group with it brings every id instead:
    those seen once had a hash in common with another id, not the id (`collided`)."""

    def __init__(self, view: View, coded: tuple[str, ...]):
        self.view, self.coded = view, coded
        self.problems: dict[str, int] = {}
        self.ids: dict[str, set] = defaultdict(set)
        self.unsure = False
        self.seen: dict[str, set] = {c: set() for c in coded}
        self.candidates: Counter = Counter()  # the ids of the records with the speculative bit
        self.records = 0
        self.empty = 0  # rows with no value in any column read: no records
        self.empty_key = said("empty").text("en")
        # The coded column each «unknown …» problem is about, and its values with their records.
        self.unknown = {c.problem: c.column for c in view.checks if c.column is not None and not c.blank}
        self.values: dict[str, Counter] = defaultdict(Counter)

    def kept(self, alias: str) -> str:
        """The SQL of a group's kept ids (NULL: none kept), then of its ids with the
        speculative duplicate bit (NULL: none)."""
        bit = self.view.repeated_bit
        kept = f"min({alias}.id, {KEPT})" if bit is not None else "NULL"
        every = f"list({alias}.id) FILTER (WHERE ({alias}.flags & {1 << bit}) <> 0)" if self.view.speculative else "NULL"
        return f"{kept}, {every}"

    @property
    def collided(self) -> bool:
        """Whether a record had the speculative bit for an id seen only once."""
        return any(n == 1 for n in self.candidates.values())

    def usable(self, rows):
        """(body, {coded column: our code}, counts) of the groups without a problem."""
        width = len(self.coded)
        for row in rows:
            values = dict(zip(self.coded, row[:width]))
            flags, no_id, smallest, every = row[width:width + 4]
            counts = row[width + 4:]
            problem = self.view.problem(flags, values)
            if problem == self.empty_key:
                self.empty += counts[0]
                continue
            self.records += counts[0]
            for column, value in values.items():
                self.seen[column].add(value)
            if every:
                self.candidates.update(every)
            if problem is not None:
                self.problems[problem] = self.problems.get(problem, 0) + counts[0]
                if problem in self.unknown:
                    self.values[problem][values[self.unknown[problem]]] += counts[0]
                self.ids[problem].update(every or smallest or ())
                if no_id:
                    self.ids[problem].add(None)
                crowded = not every and smallest is not None and len(smallest) == KEPT and len(set(smallest)) < EXAMPLES
                self.unsure |= not self.view.repeated_ids or crowded
                continue
            codes = {c: self.view.translators[c](v) for c, v in values.items()}
            yield codes.pop("body"), codes, counts


def _counted(connection, view: View, coded: tuple[str, ...], rows, tally):
    """(`tally` of the usable groups of `rows(groups)`, the groups). Where the duplicate bit was
    speculative the ids the counts saw more than once are confirmed; where two ids had shared
    a hash (`_Groups.collided`: one in 10,000 extracts of 59 M appeals) the table is counted
    again with the repeated ids confirmed."""
    groups = _Groups(view, coded)
    counted = tally(groups.usable(rows(groups)))
    if view.speculative:
        view.speculative = False
        if groups.collided:
            view.confirm(connection, [i for i, n in groups.candidates.items() if n > 1])
            return _counted(connection, view, coded, rows, tally)
    return counted, groups


def aggregate(appeals: Path | str, receptions: Path | str, methodology: Methodology, bodies: BodyRegistry,
              mapping: Mapping, plans: dict[str, int] | None = None, progress: bool = False,
              overrides: Overrides | None = None, calendar: CalendarAhead | None = None) -> Aggregate:
    """Indicator inputs for every body (zero cases where a body has no records), and the
    records left out; working days by the calendar file `overrides` (the bundled one by
    default), or by `calendar`, made meanwhile."""
    settings = methodology.records
    notes: list[str] = []
    connection = connect(methodology)
    connection.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
    with tempfile.TemporaryDirectory() as workdir:
        # DuckDB's own work (the grouping, the confirmation of repeated ids) spills to disk
        # past this limit, so memory stays flat however large the extract.
        connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        connection.execute(f"SET temp_directory = '{quote(Path(workdir))}'")
        appeal_view = normalised_view(connection, Path(appeals), "appeals", mapping.appeals, APPEAL_COLUMNS,
                                       APPEAL_DATES, APPEAL_REQUIRED, bodies, Path(workdir), methodology.year, notes,
                                       speculate=True, unread=SHOWN_ONLY)
        reception_view = normalised_view(connection, Path(receptions), "receptions", mapping.receptions,
                                          RECEPTION_COLUMNS, RECEPTION_DATES, RECEPTION_REQUIRED, bodies, Path(workdir),
                                          methodology.year, notes, speculate=True)
        # Only the counts need the calendar: it is made while the records are read and checked.
        register_calendar(connection, methodology, overrides, calendar.working_days() if calendar else None)
        # The counts read every page of the files: damage past a sound footer is found here.
        with reading(Path(appeals), Path(workdir)):
            appeal_counts, appeal_groups = _counted(
                connection, appeal_view, ("body", "kind"),
                lambda groups: _appeal_rows(connection, methodology, groups.kept("a")),
                lambda usable: _appeal_counts(usable, settings))
            appeal_problems = _problems(connection, appeal_groups)
        with reading(Path(receptions), Path(workdir)):
            (reception_counts, held), reception_groups = _counted(
                connection, reception_view, ("body", "received_by"),
                lambda groups: _reception_rows(connection, settings, groups.kept("r")), _reception_counts)
            reception_problems = _problems(connection, reception_groups)

    # Every body of the methodology: one with no records has zero cases, which the methodology
    # scores as "nothing to assess"; it is named, never dropped.
    used = {"appeals": sum(n["records"] for n in appeal_counts.values()),
            "receptions": sum(n["requests"] for n in reception_counts.values())}
    without = {"appeals": [b.code for b in bodies if b.code not in appeal_counts],
               "receptions": [b.code for b in bodies if b.code not in reception_counts]}
    for body in bodies:
        appeal_counts.setdefault(body.code, Counter())
        reception_counts.setdefault(body.code, Counter())
    inputs = _inputs(appeal_counts, reception_counts, held, plans, int(settings["percent_decimals"]))
    totals = {"appeals": appeal_groups.records, "receptions": reception_groups.records}
    overdue = sum(n["overdue"] for n in appeal_counts.values())
    return Aggregate(inputs, appeal_problems, reception_problems, totals, used, without, overdue,
                     settings["unanswered_overdue"] == "late", notes,
                     {"appeals": appeal_groups.empty, "receptions": reception_groups.empty})


def connect(methodology: Methodology):
    """A DuckDB connection in the methodology's `records.time_zone`: a time-zoned timestamp, or
    a text date with a time and an offset, is counted on its day there, not in the zone of the
    machine (DuckDB's default), so that a server in UTC and a desk in Astana count alike."""
    import duckdb

    zone = methodology.records["time_zone"]
    connection = duckdb.connect()
    try:
        connection.execute(f"SET TimeZone = {literal(str(zone))}")
    except duckdb.Error as error:
        raise RecordError(T("records.time_zone", zone=zone, first=str(error).strip().splitlines()[0])) from None
    return connection


def _appeal_rows(connection, methodology: Methodology, kept: str) -> list[tuple]:
    """The appeals' counts by raw body, raw kind and flags: the kind-dependent sums are made in
    Python. One join: "more than N working days after registration" is "on or after the day
    the calendar gives for the registration day" (calendar.WorkingDays.late_from)."""
    return connection.execute(f"""
        SELECT a.body, a.kind, a.flags, count(*) > count(a.id), {kept}, count(*) AS records,
               count(a.answered_on) AS reviewed,
               count(*) FILTER (WHERE a.answered_on > a.deadline_on) AS answered_late,
               count(*) FILTER (WHERE a.redirected_on >= c.redirect_late_from) AS late_redirect,
               count(a.rating) AS rated,
               count(*) FILTER (WHERE a.rating >= ?) AS satisfied,
               count(*) FILTER (WHERE a.answered_on IS NULL AND a.deadline_on <= ?) AS overdue
        FROM appeals_records AS a
        LEFT JOIN calendar AS c ON c.day = a.registered_on
        GROUP BY ALL
    """, [methodology.records["satisfied_from"], period_end(methodology)]).fetchall()


def _reception_rows(connection, settings, kept: str) -> list[tuple]:
    """The reception requests' counts by raw body, raw receiver and flags, with the days received."""
    return connection.execute(f"""
        SELECT r.body, r.received_by, r.flags, count(*) > count(r.id), {kept}, count(*) AS requests,
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


def _appeal_counts(usable, settings) -> dict[str, Counter]:
    """Each body's appeal counts from its usable groups."""
    late_kinds = set(settings["late_review_kinds"])
    overdue_late = settings["unanswered_overdue"] == "late"
    counts: dict[str, Counter] = defaultdict(Counter)
    for body, codes, (records, reviewed, answered_late, late_redirect, rated, satisfied, overdue) in usable:
        kind = codes["kind"]
        # Unanswered past its deadline: reviewed late, in our reading of the methodology (a
        # body that never answers must not score better than one that answers late).
        counted = overdue if overdue_late else 0
        counts[body].update(
            records=records, reviewed=reviewed + counted,
            late_review=answered_late + counted if kind in late_kinds else 0,
            late_redirect=late_redirect, requests=records if kind == settings["request_kind"] else 0,
            rated=rated, satisfied=satisfied, overdue=overdue)
    return counts


def _reception_counts(usable) -> tuple[dict[str, Counter], dict[str, set]]:
    """Each body's reception counts from its usable groups, and its distinct (day, receiver)
    pairs: the receptions held, whatever the spelling of the receiver."""
    counts: dict[str, Counter] = defaultdict(Counter)
    held: dict[str, set] = defaultdict(set)
    for body, codes, (requests, notified, registrants, declined, on_date, within_month, received, days) in usable:
        receiver = codes["received_by"]
        counts[body].update(
            requests=requests, notified=notified, registrants=registrants, declined=declined, on_date=on_date,
            within_month=within_month, received=received,
            by_first_leader=received if receiver == "first_leader" else 0)
        if receiver is not None:
            held[body].update((day, receiver) for day in days or ())
    return counts, held


def _inputs(appeal_counts, reception_counts, held, plans, decimals: int) -> dict[str, dict[str, dict[str, Fraction]]]:
    """body → indicator → input → value, from the counts."""
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
    return inputs


def period_end(methodology: Methodology):
    """The last day of the assessed year: an appeal due by then and never answered is overdue."""
    import datetime as dt

    return dt.date(methodology.year, 12, 31)
