"""A report's published tables, as data: the 2025 set bundled with the package, or any
directory in the same layout (`openness reconcile --published DIR`).

`data/<year>/` holds the report's tables as printed (indicator, criterion and index scores,
the printed categories, the report line of every row), the worked examples the report quotes
with their raw inputs, the documented corrections applied when the printed tables are used as
input, the documented report errors, and the narrative's checkable statements. Every file is
read strictly: a row with more or fewer fields than the header, a missing column or a number
that does not read is an error naming the file and the row, never a silent guess.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..core.bodies import registry
from ..core.scoring import DIRECT, Entry
from ..texts import language, text as T
from .known_errors import documented
from .report_data import PublishedError, bundled_cache, check_layout, directory, has, number, read_rows
from ..methodology.model import DEFAULT_YEAR

@dataclass(frozen=True)
class Published:
    """One printed score: what the table says, what it labelled it, and where."""

    key: str  # indicator or criterion id, or "index"
    body: str
    body_type: str
    score: Fraction
    label: str  # as printed, Latin letters included
    text: str  # the printed digits, e.g. "2.90"
    line: str = ""  # the report line of the row, e.g. "L290"
    row: int = 0  # the row of the CSV file it was read from


@dataclass(frozen=True)
class Correction:
    indicator_id: str
    body: str
    printed: Fraction
    used: Fraction
    line: str
    reason: str


@dataclass(frozen=True)
class WorkedExample:
    indicator_id: str
    body: str
    line: str
    inputs: dict[str, str]
    printed: Fraction
    status: str  # "match", or the documented report error (R1 …) that explains the difference
    note: str
    notes: tuple[tuple[str, str], ...] = ()  # (language, note) for ru and kk, where the file gives them

    def note_in(self, lang: str | None = None) -> str:
        """The note in the language (`texts.language`), or in English when it has none there."""
        return dict(self.notes).get(language(lang=lang)) or self.note

    @property
    def name(self) -> str:
        return f"{self.indicator_id}-{self.body}"


def _published(source, name: str, key_column: str | None, label_column: str) -> tuple[Published, ...]:
    columns = tuple(c for c in (key_column, "body", "body_type", "score", label_column) if c)
    codes = {body.code: body.type for body in registry(DEFAULT_YEAR)}
    out = []
    for row, r in read_rows(source, name, columns):
        if r["body"] not in codes:
            raise PublishedError(T("published.unknown_body", path=directory(source) / name, row=row, body=repr(r["body"])))
        if codes[r["body"]] != r["body_type"]:
            raise PublishedError(T("published.body_type", path=directory(source) / name, row=row, body=r["body"],
                                   type=codes[r["body"]], written=r["body_type"]))
        out.append(Published(r[key_column] if key_column else "index", r["body"], r["body_type"],
                             number(source, name, row, "score", r["score"]), r[label_column], r["score"],
                             r.get("line", ""), row))
    return tuple(out)


@bundled_cache
def published_indicators(source: int | str | Path = DEFAULT_YEAR) -> tuple[Published, ...]:
    return _published(source, "indicator_scores.csv", "indicator_id", "category_as_printed")


@bundled_cache
def published_criteria(source: int | str | Path = DEFAULT_YEAR) -> tuple[Published, ...]:
    return _published(source, "criterion_scores.csv", "criterion_id", "category_as_printed")


@bundled_cache
def published_index(source: int | str | Path = DEFAULT_YEAR) -> tuple[Published, ...]:
    return _published(source, "index_scores.csv", None, "rating_as_printed")


@bundled_cache
def corrections(source: int | str | Path = DEFAULT_YEAR) -> tuple[Correction, ...]:
    name = "corrections.csv"
    if not has(source, name):
        return ()
    return tuple(Correction(r["indicator_id"], r["body"], number(source, name, n, "printed", r["printed"]),
                            number(source, name, n, "used", r["used"]), r["line"], r["reason"])
                 for n, r in read_rows(source, name, ("indicator_id", "body", "printed", "used", "line", "reason")))


@bundled_cache
def worked_examples(source: int | str | Path = DEFAULT_YEAR) -> tuple[WorkedExample, ...]:
    """The report's quoted raw inputs with the score it printed; `status` names the
    documented report error (from `report_errors.csv`) where they disagree."""
    name = "worked_examples.csv"
    if not has(source, name):
        return ()
    explained = {(e.body, e.item): e.ref for e in documented(source) if e.check == "worked-example"}
    examples = []
    for n, r in read_rows(source, name, ("indicator_id", "body", "line", "inputs", "printed", "note")):
        pairs = [pair.split("=", 1) for pair in r["inputs"].split(";")]
        if any(len(pair) != 2 for pair in pairs):
            raise PublishedError(T("published.inputs", path=directory(source) / name, row=n, inputs=repr(r["inputs"])))
        examples.append(WorkedExample(r["indicator_id"], r["body"], r["line"], dict(pairs),
                                      number(source, name, n, "printed", r["printed"]),
                                      explained.get((r["body"], r["indicator_id"]), "match"), r["note"],
                                      tuple((code, r[f"note_{code}"].strip()) for code in ("ru", "kk")
                                            if r.get(f"note_{code}", "").strip())))
    return tuple(examples)


def published_submissions(source: int | str | Path = DEFAULT_YEAR) -> list[tuple[str, str, dict[str, Entry]]]:
    """The printed indicator scores as direct-score submissions, with the documented corrections."""
    fixes = {(c.indicator_id, c.body): c.used for c in corrections(source)}
    by_body: dict[str, tuple[str, dict[str, Entry]]] = {}
    for row in published_indicators(source):
        score = fixes.get((row.key, row.body), row.score)
        by_body.setdefault(row.body, (row.body_type, {}))[1][row.key] = Entry(DIRECT, score=score)
    return [(body.code, body.type, by_body[body.code][1]) for body in registry(DEFAULT_YEAR) if body.code in by_body]


def check_tables(methodology, source: int | str | Path) -> None:
    """The checks of every reader of a directory of published tables (reconcile, compare,
    report --previous): the three tables are there, each has rows, every row names an item of
    the methodology, and every body has every item once — a body's row given twice is refused
    (never the last one silently winning), and half a table would report its other half as
    errors, or a header-only set as consistent."""
    check_layout(source)
    where = directory(source)
    expected = {"indicator_scores.csv": [i.id for i in methodology.indicators],
                "criterion_scores.csv": [c.id for c in methodology.criteria], "index_scores.csv": ["index"]}
    tables = {"indicator_scores.csv": published_indicators(source),
              "criterion_scores.csv": published_criteria(source),
              "index_scores.csv": published_index(source)}
    bodies = sorted({p.body for p in tables["index_scores.csv"]})
    for name, rows in tables.items():
        if not rows:
            raise PublishedError(T("published.no_rows", path=where / name))
        seen: dict[tuple[str, str], int] = {}
        for p in rows:
            if p.key not in expected[name]:
                raise PublishedError(T("reconcile.table.not_an_item", file=where / name, row=p.row,
                                       item=p.key, methodology=Path(methodology.path).name))
            if (p.key, p.body) in seen:
                raise PublishedError(T("reconcile.table.again", file=where / name, row=p.row, body=p.body,
                                       item=p.key, first=seen[(p.key, p.body)]))
            seen[(p.key, p.body)] = p.row
        missing = [f"{body} {key}" for body in bodies for key in expected[name] if (key, body) not in seen]
        if missing:
            shown = ", ".join(missing[:5])
            if len(missing) > 5:
                shown = T("reconcile.table.and_more", shown=shown, more=len(missing) - 5)
            raise PublishedError(T("reconcile.table.missing", file=where / name, missing=shown))
