"""Traceability: the records behind one body's count of one indicator (`aggregate --explain`)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..core.bodies import BodyRegistry
from ..io.writing import csv_text
from ..methodology import Methodology
from ..texts import count, text as T
from .calendar import Overrides
from .schema import (APPEAL_COLUMNS, APPEAL_DATES, APPEAL_REQUIRED, RECEPTION_COLUMNS, RECEPTION_DATES,
                     RECEPTION_REQUIRED, Mapping)
from .sql import translation_sql
from .sources import RecordError, reading
from .normalise import View, normalised_view
from .pipeline import connect, period_end, register_calendar


def _usable_view(connection, view: View) -> None:
    """`{table}_usable`: the records without a problem, coded columns translated (for --explain)."""
    columns = list(view.translators)
    seen = {c: set() for c in columns}
    for row in connection.execute(f"SELECT DISTINCT {', '.join(columns)} FROM {view.table}_records").fetchall():
        for column, value in zip(columns, row):
            seen[column].add(value)
    failing = view.coded_failing(seen)
    translated = ", ".join(f"{translation_sql(c, {v: view.translators[c](v) for v in seen[c] if v is not None})} AS {c}"
                           for c in columns)
    connection.execute(f"""
        CREATE OR REPLACE TEMP VIEW {view.table}_usable AS
        SELECT * REPLACE ({translated}) FROM {view.table}_records
        WHERE flags = 0{''.join(f' AND NOT {f}' for f in failing)}
    """)





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
    connection = connect(methodology)
    register_calendar(connection, methodology, overrides)
    with tempfile.TemporaryDirectory() as workdir:
        source = (appeals, mapping.appeals, APPEAL_COLUMNS, APPEAL_DATES, APPEAL_REQUIRED) if table == "appeals" else \
            (receptions, mapping.receptions, RECEPTION_COLUMNS, RECEPTION_DATES, RECEPTION_REQUIRED)
        _usable_view(connection, normalised_view(connection, Path(source[0]), table, source[1], source[2], source[3],
                                                  source[4], bodies, Path(workdir), methodology.year, []))
        query = sql.format(**values)
        with reading(Path(source[0]), Path(workdir)):
            total = connection.execute(f"SELECT count(*) FROM ({query})", [code]).fetchone()[0]
            result = connection.execute(f"{query} LIMIT {int(limit)}", [code])
            header = [d[0] for d in result.description]
            rows = result.fetchall()
    title = T(f"records.explain.{indicator_id}", **values)
    preface = (f"# {code} / {indicator_id}: {title} — {count(total, 'record')}"
               + (T("records.explain.first_shown", limit=limit) if total > limit else "") + "\n")
    return csv_text(header, rows, preface)
