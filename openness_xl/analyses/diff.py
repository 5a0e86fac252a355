"""`openness diff OLD NEW`: what changed between two versions of the inputs, and what it moved.

Two input files give the changed inputs and direct scores (body, indicator, field, old → new)
and then their effect: each body's indicator scores and tiers, criteria and letters, index,
rating and rank. Ranks are within ЦГО or МИО, so one body's appeal can move others: every
body whose rank moved is listed, with nothing of its own changed. Two score files (the CSV
of `openness scores`) give the effect only.
"""
from __future__ import annotations

import csv
import io
import re
import textwrap
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Sequence

from ..bounded import read_at_most
from ..core.exact import plain
from ..methodology import Methodology
from ..io.inputs import MAX_CSV_BYTES, InputErrors, decode_text, delimiter_of
from ..io.writing import csv_text, score_columns, score_rows
from ..core.scoring import DIRECT, Entry, evaluate
from ..texts import count, text

NOT_SUBMITTED = "—"


@dataclass(frozen=True)
class InputChange:
    body: str
    indicator: str
    field: str  # an input's name, or "score" for a direct score
    old: str
    new: str


@dataclass(frozen=True)
class Moved:
    body: str
    item: str  # an indicator or criterion id, "index", "rating" or "rank"
    old: str
    new: str
    label_old: str = ""  # tier, letter: what the score means
    label_new: str = ""


@dataclass(frozen=True)
class Diff:
    inputs: list[InputChange]
    effects: list[Moved]
    of_inputs: bool  # False when both sides were score files
    warnings: tuple[str, ...] = ()  # what the readers of the files said, for the caller to show

    @property
    def changed(self) -> bool:
        return bool(self.inputs or self.effects)


def entry_fields(entry: Entry | None) -> dict[str, str]:
    """What one indicator's entry says, field by field, as text."""
    if entry is None:
        return {}
    if entry.source == DIRECT:
        return {"score": plain(entry.score)}
    return {name: plain(value) for name, value in entry.values.items()}


def input_changes(methodology: Methodology, old: Sequence, new: Sequence) -> list[InputChange]:
    """Every input or direct score that differs, in body and methodology order."""
    old_by_body = {body: entries for body, _, entries in old}
    new_by_body = {body: entries for body, _, entries in new}
    bodies = list(dict.fromkeys([b for b, _, _ in old] + [b for b, _, _ in new]))
    changes = []
    for body in bodies:
        for indicator in methodology.indicators:
            before = entry_fields(old_by_body.get(body, {}).get(indicator.id))
            after = entry_fields(new_by_body.get(body, {}).get(indicator.id))
            for field in ["score", *indicator.input_names]:
                a, b = before.get(field, NOT_SUBMITTED), after.get(field, NOT_SUBMITTED)
                if a != b:
                    changes.append(InputChange(body, indicator.id, field, a, b))
    return changes


def score_table(methodology: Methodology, results) -> dict[str, dict[str, str]]:
    """Results as text by body and column, as `openness scores` writes them."""
    columns = score_columns(methodology)
    return {row[0]: dict(zip(columns, ("" if v is None else plain(v) if isinstance(v, Fraction) else str(v)
                                       for v in row)))
            for row in score_rows(methodology, results)}


def read_score_file(path: Path | str, methodology: Methodology) -> dict[str, dict[str, str]] | None:
    """A CSV or workbook written by `openness scores` for this methodology, or None if the file is
    not one: a CSV as written (UTF-8, commas), or as `--excel-csv` writes it (a BOM, semicolons,
    decimal commas, read back to the decimal points the plain file has, so that the forms compare
    equal), or the .xlsx (`_score_workbook`)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx" and path.is_file():
        return _score_workbook(path, methodology)
    if path.suffix.lower() not in (".csv", ".txt") or not path.is_file():  # a pipe is read once, as input
        return None
    data = read_at_most(path, MAX_CSV_BYTES)  # larger than an input file may be: not a score file
    if data is None:
        return None
    try:
        text = decode_text(data, str(path))
    except InputErrors:  # not text: the input reader says why
        return None
    delimiter = delimiter_of(text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(rows, [])
    if header != score_columns(methodology):
        return None
    if delimiter == ";":
        rows = ([DECIMAL_COMMA.sub(r"\1.\2", cell) for cell in cells] for cells in rows)
    return {row["body"]: row for row in (dict(zip(header, cells)) for cells in rows if any(cells))}


def _score_workbook(path: Path, methodology: Methodology) -> dict[str, dict[str, str]] | None:
    """`read_score_file` of the workbook `openness scores -o FILE.xlsx` writes (its first sheet
    headed as the CSV, numbers as numbers), each value as the CSV writes it; None if the file is
    not one (a template or an input workbook: the input reader takes it, or says why not)."""
    from ..io.safe_xlsx import DAMAGED, UnsafeWorkbook, open_workbook, present_rows

    try:
        workbook, _warnings = open_workbook(path)
    except (UnsafeWorkbook, *DAMAGED):
        return None
    try:
        rows = (values for _number, values in present_rows(workbook.worksheets[0]))
        header = [str(v) if v is not None else "" for v in next(rows, ())]
        if header != score_columns(methodology):
            return None
        return {row["body"]: row for row in (dict(zip(header, map(_as_written, cells))) for cells in rows)}
    except (*DAMAGED, ValueError):
        return None
    finally:
        workbook.close()


def _as_written(value) -> str:
    """A score workbook's cell as the scores CSV writes it: 76.5, 4, 3.78, text as it is."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


# A number as `--excel-csv` writes it for a Russian-locale Excel: 76,5.
DECIMAL_COMMA = re.compile(r"^(-?\d+),(\d+)$")


def effects(methodology: Methodology, old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[Moved]:
    """What moved, body by body: indicator scores (with tiers), criteria (with letters), the
    index, the rating and the rank."""
    moved = []
    for body in dict.fromkeys([*old, *new]):
        a, b = old.get(body, {}), new.get(body, {})
        for item, label in [*((i.id, f"{i.id}__tier") for i in methodology.indicators),
                            *((c.id, f"{c.id}__grade") for c in methodology.criteria), ("index", None),
                            ("rating", None), ("rank", None)]:
            before, after = a.get(item, ""), b.get(item, "")
            labels = (a.get(label, ""), b.get(label, "")) if label else ("", "")
            if before != after or labels[0] != labels[1]:
                moved.append(Moved(body, item, before or NOT_SUBMITTED, after or NOT_SUBMITTED, *labels))
    return moved


def diff(methodology: Methodology, old_submissions: Sequence, new_submissions: Sequence) -> Diff:
    """The changed inputs of two versions and everything they move."""
    before = score_table(methodology, evaluate(methodology, old_submissions))
    after = score_table(methodology, evaluate(methodology, new_submissions))
    return Diff(input_changes(methodology, old_submissions, new_submissions), effects(methodology, before, after), True)


def diff_scores(methodology: Methodology, old: dict, new: dict) -> Diff:
    return Diff([], effects(methodology, old, new), False)


def between_files(methodology: Methodology, bodies, old: Path | str, new: Path | str) -> Diff:
    """The diff of two files: input files give their changed inputs and the effect, a scores
    CSV on either side gives the effect only. The readers' warnings come with it (`warnings`)."""
    from ..io.inputs import load_inputs

    sides, warnings = [], []
    for path in (old, new):
        table = read_score_file(path, methodology)
        if table is None:
            loaded = load_inputs(path, methodology, bodies)
            warnings += loaded.warnings
            sides.append((loaded.submissions, None))
        else:
            sides.append((None, table))
    (old_inputs, old_table), (new_inputs, new_table) = sides
    if old_inputs is not None and new_inputs is not None:
        return replace(diff(methodology, old_inputs, new_inputs), warnings=tuple(warnings))
    tables = [t if t is not None else score_table(methodology, evaluate(methodology, s)) for s, t in sides]
    return replace(diff_scores(methodology, *tables), warnings=tuple(warnings))


def _label(old: str, new: str) -> str:
    if not old and not new:
        return ""
    return f" ({old})" if old == new else f" ({old or NOT_SUBMITTED} → {new or NOT_SUBMITTED})"


def render_text(result: Diff, old_name: str, new_name: str, width: int = 80, effects_only: bool = False) -> str:
    """The changes, then their effect body by body; the bodies moved only by others' changes
    last. `effects_only`: the effect alone (an appeal's, under its own heading)."""
    out = [] if effects_only else [f"{old_name} → {new_name}", ""]
    if result.of_inputs and not effects_only:
        out.append(text("diff.changed_inputs", count=len(result.inputs)))
        for c in result.inputs:
            out.append(f"  {c.body} · {c.indicator} · {c.field}: {c.old} → {c.new}")
        out.append("")
    changed_bodies = {c.body for c in result.inputs}
    bodies = list(dict.fromkeys(m.body for m in result.effects))
    own = [b for b in bodies if b in changed_bodies or not result.of_inputs]
    others = [b for b in bodies if b not in own]
    out.append(text("diff.effect", bodies=count(len(bodies), "body")) if bodies else text("diff.no_effect"))
    for title, group in (("", own), (text("diff.others"), others)):
        if title and group:
            out += ["", f"  {title}:"]
        for body in group:
            parts = [f"{m.item} {m.old} → {m.new}{_label(m.label_old, m.label_new)}" for m in result.effects
                     if m.body == body]
            out += textwrap.wrap(f"{body}: " + "; ".join(parts), width, initial_indent="  ",
                                 subsequent_indent="      ")
    return "\n".join(out) + "\n"


CSV_COLUMNS = ("kind", "body", "item", "field", "old", "new", "old_label", "new_label")


def rows(result: Diff) -> list[tuple[str, ...]]:
    """The diff as one table: the input changes, then the effects."""
    table = [("input", c.body, c.indicator, c.field, c.old, c.new, "", "") for c in result.inputs]
    table += [("effect", m.body, m.item, "", m.old, m.new, m.label_old, m.label_new) for m in result.effects]
    return table


def render_csv(result: Diff) -> str:
    return csv_text(CSV_COLUMNS, rows(result))
