"""The report workbook's departures from the printed report: a note on each cell that differs
and the sheet that lists them all."""
from __future__ import annotations

import re
from typing import Sequence

from ..io.writing import score_columns
from ..methodology import Methodology
from ..texts import decimal, text as T
from .common import sheet_name
from .table import Table


def departure_notes(methodology: Methodology, departures: Sequence) -> dict[tuple[str, str], str]:
    """{(body, column id): the note of a cell that differs from the printed report}."""
    notes: dict[tuple[str, str], list[str]] = {}
    for column, finding in departures:
        ours = methodology.tier_label(finding.computed) if column.endswith("__tier") else shown_number(finding.computed)
        notes.setdefault((finding.body, column), []).append(
            T("report.departure_note", printed=shown_number(finding.published), ours=ours, ref=finding.known or "—",
              line=finding.line, note=finding.note))
    return {key: "\n".join(texts) for key, texts in notes.items()}


NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def shown_number(value: str) -> str:
    """A printed or recomputed value as the report writes it (4,51 in ru and kk): kept as text,
    so that it neither changes nor runs into the next column."""
    return decimal(value, kind="files") if NUMBER.fullmatch(value) else value


def departures_table(methodology: Methodology, departures: Sequence, names) -> Table:
    """The sheet that lists every cell where the workbook departs from the printed report."""
    labels = dict(zip(score_columns(methodology)[2:], column_labels(methodology)))
    rows = [(f.body, names.get(f.body, f.body), labels[column], shown_number(f.published),
             methodology.tier_label(f.computed) if column.endswith("__tier") else shown_number(f.computed), f.known or "—", f.line,
             f.note) for column, f in departures]
    columns = [T(f"head.{key}") for key in ("code", "name", "column", "printed", "here", "error", "line", "explanation")]
    return Table(sheet_name("departures"), T("report.departures_title"), columns, rows,
                 notes=[T("report.departures_intro", count=len(rows))], widths=(14, 34, 26, 11, 11, 9, 9, 70), wrap=(1, 2, 7), text=(3, 4))


def column_labels(methodology: Methodology) -> list[str]:
    """What each `openness scores` column after body and type is called in the workbook's language."""
    labels = []
    for indicator in methodology.indicators:
        name = f"{indicator.order}. {indicator.text('short')}"
        labels += [name, f"{name}: {T('head.tier')}"]
    for criterion in methodology.criteria:
        labels += [criterion.text("short"), f"{criterion.text('short')}: {T('head.grade')}"]
    return labels + [T("head.index"), T("head.rating"), T("head.rank")]
