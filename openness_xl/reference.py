"""The published 2025 figures bundled with the package, and the report's worked examples.

`data/<year>/` holds the report's tables as printed (indicator, criterion and index scores,
the printed categories), the worked examples the report quotes with their raw inputs, and
the documented corrections applied when the printed tables are used as input.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from .bodies import registry
from .exact import to_fraction
from .scoring import DIRECT, Entry

DATA = Path(__file__).parent / "data"


def _rows(year: int, name: str) -> list[dict[str, str]]:
    with open(DATA / str(year) / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Published:
    """One printed score: what the table says, and what it labelled it."""

    key: str  # indicator or criterion id, or "index"
    body: str
    body_type: str
    score: Fraction
    label: str
    text: str  # the printed digits, e.g. "2.90"


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
    status: str  # "match", or the report-error id (R1 …) that explains the difference
    note: str

    @property
    def name(self) -> str:
        return f"{self.indicator_id}-{self.body}"


@lru_cache(maxsize=4)
def published_indicators(year: int = 2025) -> tuple[Published, ...]:
    return tuple(Published(r["indicator_id"], r["body"], r["body_type"], to_fraction(r["score"]),
                           r["category_as_printed"], r["score"]) for r in _rows(year, "indicator_scores.csv"))


@lru_cache(maxsize=4)
def published_criteria(year: int = 2025) -> tuple[Published, ...]:
    return tuple(Published(r["criterion_id"], r["body"], r["body_type"], to_fraction(r["score"]),
                           r["category_as_printed"], r["score"]) for r in _rows(year, "criterion_scores.csv"))


@lru_cache(maxsize=4)
def published_index(year: int = 2025) -> tuple[Published, ...]:
    return tuple(Published("index", r["body"], r["body_type"], to_fraction(r["score"]),
                           r["rating_as_printed"], r["score"]) for r in _rows(year, "index_scores.csv"))


@lru_cache(maxsize=4)
def corrections(year: int = 2025) -> tuple[Correction, ...]:
    return tuple(Correction(r["indicator_id"], r["body"], to_fraction(r["printed"]), to_fraction(r["used"]),
                            r["line"], r["reason"]) for r in _rows(year, "corrections.csv"))


@lru_cache(maxsize=4)
def worked_examples(year: int = 2025) -> tuple[WorkedExample, ...]:
    examples = []
    for r in _rows(year, "worked_examples.csv"):
        inputs = dict(pair.split("=", 1) for pair in r["inputs"].split(";"))
        examples.append(WorkedExample(r["indicator_id"], r["body"], r["line"], inputs,
                                      to_fraction(r["printed"]), r["status"], r["note"]))
    return tuple(examples)


def published_submissions(year: int = 2025) -> list[tuple[str, str, dict[str, Entry]]]:
    """The printed indicator scores as direct-score submissions, with the documented corrections."""
    fixes = {(c.indicator_id, c.body): c.used for c in corrections(year)}
    by_body: dict[str, tuple[str, dict[str, Entry]]] = {}
    for row in published_indicators(year):
        score = fixes.get((row.key, row.body), row.score)
        by_body.setdefault(row.body, (row.body_type, {}))[1][row.key] = Entry(DIRECT, score=score)
    return [(body.code, body.type, by_body[body.code][1]) for body in registry(year) if body.code in by_body]
