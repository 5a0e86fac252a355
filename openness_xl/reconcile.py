"""Reconciliation: the published tables against the recomputation, finding by finding.

Checks, for any year whose tables are bundled: every criterion against the sum of its
printed indicators, every index against the sum of its criteria, letters and ratings
against the stated bands, printed tier labels against the percent rule, and the report's
worked examples (raw inputs quoted in its text) against the formulas. Known report errors
are annotated from `data/<year>/report_errors.csv`; anything else is news.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction

from . import grading, reference
from .bodies import registry
from .exact import plain
from .methodology import Methodology
from .scoring import ScoreError, evaluate, score_inputs

SUM_TOLERANCE = Fraction(0)  # sums are exact: any difference is a finding


@dataclass(frozen=True)
class Finding:
    check: str  # criterion-sum, index-sum, grade, rating, tier-label, worked-example, print-correction
    body: str
    item: str  # indicator or criterion id, or "index"
    published: str
    computed: str
    line: str
    note: str = ""
    known: str = ""  # report-error id (R1 …) when the finding is a documented report error

    def __str__(self) -> str:
        tag = f" [{self.known}]" if self.known else ""
        note = f" — {self.note}" if self.note else ""
        return (f"{self.check:15} {self.body:15} {self.item:33} published {self.published:>8}  "
                f"computed {self.computed:>8}  {self.line}{tag}{note}")


def known_errors(year: int) -> dict[tuple[str, str, str], tuple[str, str]]:
    path = reference.DATA / str(year) / "report_errors.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return {(r["check"], r["body"], r["item"]): (r["ref"], r["note"]) for r in csv.DictReader(handle)}


def reconcile(methodology: Methodology, year: int = 2025) -> list[Finding]:
    """Every disagreement between the published tables and the methodology, in report order."""
    findings: list[Finding] = []
    known = known_errors(year)
    bodies = registry(year)

    def add(check, body, item, published, computed, line, note=""):
        ref, known_note = known.get((check, body, item)) or known.get((check, "*", "*"), ("", ""))
        findings.append(Finding(check, body, item, published, computed, line, note or known_note, ref))

    for fix in reference.corrections(year):
        add("print-correction", fix.body, fix.indicator_id, plain(fix.printed), plain(fix.used), fix.line, fix.reason)

    results = {r.body: r for r in evaluate(methodology, reference.published_submissions(year))}
    printed_criteria = {(p.key, p.body): p for p in reference.published_criteria(year)}
    for (criterion_id, body), printed in printed_criteria.items():
        computed = results[body].criteria[criterion_id].score
        table = f"table {criterion_id} ({printed.body_type})"
        if abs(computed - printed.score) > SUM_TOLERANCE:
            add("criterion-sum", body, criterion_id, printed.text, plain(computed), table,
                f"sum of the printed indicators differs by {plain(computed - printed.score)}")
        letter = grading.grade(methodology.criterion(criterion_id), printed.score)
        if printed.label and letter != printed.label:
            add("grade", body, criterion_id, printed.label, letter, table, f"for the printed total {printed.text}")

    for printed in reference.published_index(year):
        criteria_sum = sum((printed_criteria[(c.id, printed.body)].score for c in methodology.criteria), Fraction(0))
        table = f"index table ({printed.body_type})"
        if criteria_sum != printed.score:
            add("index-sum", printed.body, "index", printed.text, plain(criteria_sum), table,
                "sum of the printed criteria differs")
        computed_index = results[printed.body].index
        if computed_index != printed.score:
            add("index-recomputed", printed.body, "index", printed.text, plain(computed_index), table,
                "index from the printed indicators differs")
        label, _ = grading.rating(methodology, printed.score)
        if printed.label and label != printed.label:
            add("rating", printed.body, "index", printed.label, label, table, f"for the printed index {printed.text}")

    for printed in reference.published_indicators(year):
        indicator = methodology.indicator(printed.key)
        computed_tier = grading.tier(methodology, indicator, printed.score)
        if printed.label and computed_tier != printed.label:
            add("tier-label", printed.body, printed.key, printed.label, computed_tier,
                f"table {printed.key} ({printed.body_type})", f"for the printed score {printed.text}")

    for example in reference.worked_examples(year):
        body_type = bodies.find(example.body).type
        try:
            computed = plain(score_inputs(methodology, example.indicator_id, example.inputs, body_type))
        except ScoreError as error:
            computed = f"error: {error}"
        if computed != plain(example.printed):
            inputs = ", ".join(f"{k}={v}" for k, v in example.inputs.items())
            findings.append(Finding("worked-example", example.body, example.indicator_id, plain(example.printed),
                                    computed, example.line, f"{inputs}; {example.note}".rstrip("; "),
                                    "" if example.status == "match" else example.status))
    return findings


def summary(findings: list[Finding]) -> str:
    counts: dict[str, list[int]] = {}
    for f in findings:
        entry = counts.setdefault(f.check, [0, 0])
        entry[0] += 1
        entry[1] += bool(f.known)
    return "\n".join(f"{check}: {total} finding(s), {known} of them documented report errors"
                     for check, (total, known) in counts.items())
