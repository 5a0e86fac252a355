"""Merging suppliers' input files into one long table (`openness merge`).

Each supplier sends what it computes (a long table, a filled template, the output of
`aggregate`); the ministry needs one file to check, score and print. A value is never given
twice: the same body, indicator and field in two files, or one file's direct score beside
another's inputs for the same indicator, is refused with both places named, even when the
values agree, unless `prefer` names the file that wins. Every value is then read and checked
as `check` reads it, in its own file's rules (a template's '25 stays refused), and the merged
table holds the exact values. (The module is `merging`: `openness_xl.merge` is the pandas
API's function, which merges frames through `merge_rows`.)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..core.bodies import BodyRegistry, UnknownBody
from ..io.inputs import SCORE_FIELD, InputErrors, Problem, Row, shown_location, build_submissions, read_rows
from ..methodology import Methodology
from ..io.writing import inputs_csv, same_file
from ..texts import text


@dataclass
class Merged:
    """The merged long table, what `prefer` settled, and the readers' warnings."""

    table: str
    submissions: list
    settled: list[str]
    warnings: list[str]


def merge(paths: Sequence[Path | str], methodology: Methodology, bodies: BodyRegistry,
          prefer: Sequence[Path | str] = ()) -> Merged:
    """The files' rows as one long table; InputErrors names every value given twice (both
    places) and every problem a file's own reading finds."""
    paths = [Path(p) for p in paths]
    for path in prefer:
        if not any(same_file(path, p) for p in paths):
            raise InputErrors([Problem(str(path), "file", text("merge.prefer_not_merged"))])
    warnings: list[str] = []
    sources = [(str(path), read_rows(path, warnings, methodology, bodies)) for path in paths]
    rank = {str(p): _preference(p, prefer) for p in paths}
    merged = merge_rows(sources, methodology, bodies, rank)
    merged.warnings[:0] = warnings
    return merged


def merge_rows(sources: Sequence[tuple[str, Sequence[Row]]], methodology: Methodology, bodies: BodyRegistry,
               rank: dict[str, int] | None = None) -> Merged:
    """Rows of several named sources (files, or a pandas API's frames) merged as `merge` does;
    `rank` {source: 0, 1, …} says which wins where two give one value (lower first)."""
    rank = {name: (rank or {}).get(name, len(sources)) for name, _ in sources}
    rows = [Row(row.location, row.body, row.indicator, row.field, row.value, row.typed, row.lang, name)
            for name, given in sources for row in given]
    kept, problems, settled = _one_of_each(rows, bodies, rank)
    if problems:
        raise InputErrors(problems)
    noticed: list[Problem] = []
    submissions, problems = build_submissions(methodology, bodies, kept, "", noticed)
    if problems:
        raise InputErrors(problems)
    return Merged(inputs_csv(methodology, submissions), submissions, settled, [str(w) for w in noticed])


def _preference(path: Path, prefer: Sequence[Path | str]) -> int:
    """0 for the first file named by --prefer, 1 for the next …; files not named come last."""
    for position, preferred in enumerate(prefer):
        if same_file(path, preferred):
            return position
    return len(prefer)


def _one_of_each(rows: list[Row], bodies: BodyRegistry, rank: dict[str, int]):
    """The rows with every value given once. Per body and indicator, the files that give it:
    where two give the same field, or one a direct score and another inputs, the preferred
    file's rows stay and the others' go (said in `settled`); without a preference, a problem."""
    by_entry: dict[tuple[str, str], dict[str, list[Row]]] = {}
    passed = []
    for row in rows:
        try:
            code = bodies.find(str(row.body).strip()).code if row.body is not None else ""
        except UnknownBody:
            code = ""
        indicator = "" if row.indicator is None else str(row.indicator).strip()
        if not code or not indicator:
            passed.append(row)  # build_submissions names what is wrong with it
            continue
        by_entry.setdefault((code, indicator), {}).setdefault(row.source, []).append(row)
    kept, problems, settled = list(passed), [], []
    for (code, indicator), by_file in by_entry.items():
        if len(by_file) == 1 or not _clash(by_file):
            kept += [row for file_rows in by_file.values() for row in file_rows]
            continue
        chosen = _preferred(by_file, rank)
        if chosen is None:
            problems += _clash_problems(code, indicator, by_file)
            continue
        kept += chosen
        winner = {_field(row): row for row in chosen}
        for row in (r for rows in by_file.values() for r in rows if r not in chosen):
            taken = winner.get(_field(row), chosen[0])
            settled.append(text("merge.settled", entry=f"{code} / {indicator} / {_field(row)}",
                                taken=f"{taken.source}, {shown_location(taken.location)}",
                                dropped=f"{row.source}, {shown_location(row.location)}"))
    return kept, problems, settled


def _preferred(by_file: dict[str, list[Row]], rank: dict[str, int]) -> list[Row] | None:
    """Each field from the most preferred file that gives it, and where one file gives a
    direct score and another the inputs, the kind the more preferred gives; None where
    --prefer does not decide (two files equally preferred give one value, or the two kinds)."""
    fields = {source: _fields(file_rows) for source, file_rows in by_file.items()}

    def first(sources: list[str]) -> str | None:
        ranked = sorted(sources, key=rank.get)
        return None if len(ranked) > 1 and rank[ranked[0]] == rank[ranked[1]] else ranked[0]

    scored = [s for s, f in fields.items() if SCORE_FIELD in f]
    raw = [s for s, f in fields.items() if f - {SCORE_FIELD}]
    keep_scores = keep_inputs = True
    if scored and raw and set(scored) != set(raw):
        best = first(scored + raw) if not set(scored) & set(raw) else None
        if best is None:
            return None
        keep_scores, keep_inputs = best in scored, best in raw
    chosen = []
    for field in sorted({name for given in fields.values() for name in given}):
        if not (keep_scores if field == SCORE_FIELD else keep_inputs):
            continue
        source = first([s for s, f in fields.items() if field in f])
        if source is None:
            return None
        chosen += [row for row in by_file[source] if _field(row) == field]
    return chosen


def _field(row: Row) -> str:
    return "" if row.field is None else str(row.field).strip()


def _fields(file_rows: list[Row]) -> set[str]:
    return {_field(r) for r in file_rows}


def _clash(by_file: dict[str, list[Row]]) -> bool:
    """Two files give one value, or one a direct score and another the inputs."""
    fields = [_fields(file_rows) for file_rows in by_file.values()]
    pairs = [(a, b) for i, a in enumerate(fields) for j, b in enumerate(fields) if i != j]
    return any(a & b or (SCORE_FIELD in a and b - {SCORE_FIELD}) for a, b in pairs)


def _clash_problems(code: str, indicator: str, by_file: dict[str, list[Row]]) -> list[Problem]:
    """One problem per value given twice, naming both places; else one for the indicator."""
    problems = []
    first: dict[str, Row] = {}
    for file_rows in by_file.values():
        for row in file_rows:
            field = _field(row)
            if field in first:
                earlier = first[field]
                problems.append(Problem(row.source, row.location, text(
                    "merge.twice", other=f"{earlier.source}, {shown_location(earlier.location)}"), code, indicator, field))
            else:
                first[field] = row
    if not problems:
        places = "; ".join(f"{source}, {shown_location(file_rows[0].location)}" for source, file_rows in by_file.items())
        source, file_rows = list(by_file.items())[-1]
        problems.append(Problem(source, file_rows[0].location, text("merge.score_and_inputs", places=places), code,
                                indicator))
    return problems
