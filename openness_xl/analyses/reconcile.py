"""Reconciliation: a report's published tables against the recomputation, finding by finding.

Checks every criterion against the sum of its printed indicators, every index against the
sum of its criteria and against the recomputation, letters, ratings and ranks against the
stated bands, printed tier labels against the percent rule, the report's worked examples and
the raw quantities of its narrative against the formulas, and every checkable statement of
the narrative against the tables. Each finding names the report line of the row it comes
from. A finding is *documented* when `report_errors.csv` holds it with the same values;
anything else is new.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from fractions import Fraction

from ..core import grading
from . import narrative
from . import quantities as quantities_
from ..io.published import check_tables, corrections, published_criteria, published_index, published_indicators, published_submissions, worked_examples
from ..core.bodies import registry
from ..core.exact import plain
from ..io.known_errors import RECORDED, Register, documented
from ..methodology import DEFAULT_YEAR, Methodology
from ..core.scoring import ScoreError, evaluate, score_inputs
from ..texts import count, language, text as T

# The report prints criterion letters in Latin in most rows (A, B, C); they mean А, В, С.
LATIN_TO_CYRILLIC = str.maketrans("ABC", "АВС")





@dataclass(frozen=True)
class Finding:
    check: str
    body: str
    item: str  # indicator or criterion id, "index", or a statement's subject
    published: str
    computed: str
    line: str
    note: str = ""
    known: str = ""  # the documented report error (R1 …) this finding is; "" when new
    was: str = ""  # for a new finding where an error was documented: what was documented
    # A stated rule's two sides as the reader's language words them (the key fields stay as written).
    shown_published: str = ""
    shown_computed: str = ""

    @property
    def new(self) -> bool:
        return not self.known

    def lines(self, width: int = 80, note: bool = True) -> list[str]:
        """The finding as a terminal reads it: line, check, where, both values, then the note."""
        tag = self.known or T("reconcile.new_tag")
        published, computed = self.shown_published or self.published, self.shown_computed or self.computed
        head = f"{self.line:<6} {self.check} · {self.body} · {self.item}: {published} → {computed} [{tag}]"
        text = [*textwrap.wrap(head, width, subsequent_indent=" " * 7, break_on_hyphens=False)]
        for extra in (self.note if note else "", T("reconcile.documented_there", was=self.was) if self.was else ""):
            if extra:
                text += textwrap.wrap(extra, width, initial_indent=" " * 7, subsequent_indent=" " * 7,
                                      break_on_hyphens=False)
        return text

    def __str__(self) -> str:
        return "\n".join(self.lines(10_000))


@dataclass(frozen=True)
class Reconciliation:
    findings: list[Finding]
    statements: list[narrative.Verdict]
    quantities: list[quantities_.QuantityCheck]
    no_longer_found: list  # documented errors that no finding matched

    @property
    def new(self) -> list[Finding]:
        return [f for f in self.findings if f.new]


# The checks whose finding is a cell of the published tables that the recomputation shows
# otherwise, and the `openness scores` column of that cell.
TABLE_CELLS = {"print-correction": "{item}", "criterion-sum": "{item}", "index-recomputed": "index",
               "rank-recomputed": "rank", "rating": "rating", "tier-label": "{item}__tier",
               "letter-script": "{item}__grade", "grade": "{item}__grade"}


def departures(methodology: Methodology, source=DEFAULT_YEAR, results=None) -> list[tuple[str, Finding]]:
    """Where a workbook recomputed from the published scores shows a table cell otherwise than
    the printed report: (the cell's column id, the finding that explains it), in report order
    (`results`: the published scores evaluated, where a caller has them). Only the tables are
    checked: the narrative and the worked examples have no cell."""
    check_tables(methodology, source)
    found = _Findings(source)
    _table_findings(methodology, source, found, results)
    return [(TABLE_CELLS[f.check].format(item=f.item), f) for f in found.findings if f.check in TABLE_CELLS]


class _Findings:
    """The findings so far, each matched against the documented report errors as it is added."""

    def __init__(self, source):
        self.register = Register(documented(source))
        self.findings: list[Finding] = []

    def add(self, check, body, item, published, computed, line, note=""):
        entry, elsewhere = self.register.find(check, body, item, published, computed)
        was = "; ".join(f"{e.ref} {e.published} → {e.expected}" for e in elsewhere)
        # A documented error carries its curated explanation; a new one what the check saw.
        explanation = (entry.note_in() or note) if entry else note
        self.findings.append(Finding(check, body, item, published, computed, line or "—", explanation,
                                     entry.ref if entry else "", was))


def reconcile(methodology: Methodology, source=DEFAULT_YEAR) -> Reconciliation:
    """Every disagreement between the published tables and the methodology, in report order."""
    check_tables(methodology, source)
    found = _Findings(source)
    _table_findings(methodology, source, found)
    _example_findings(methodology, source, found)
    quantities, statements = _narrative_findings(methodology, source, found)
    for entry in documented(source):
        if entry.check in RECORDED:
            found.register.find(*entry.key)
            found.findings.append(Finding(entry.check, entry.body, entry.item, entry.published, entry.expected,
                                          entry.line, entry.note_in(), entry.ref, "", entry.shown("published"),
                                          entry.shown("expected")))
    return Reconciliation(found.findings, statements, quantities, found.register.unused())


def _table_findings(methodology: Methodology, source, found: _Findings, results=None) -> None:
    """The printed corrections, then the criteria, the index, the ranks and the indicators'
    printed scores and tiers against the methodology."""
    add = found.add
    for fix in corrections(source):
        add("print-correction", fix.body, fix.indicator_id, plain(fix.printed), plain(fix.used), fix.line, fix.reason)

    results = {r.body: r for r in results or evaluate(methodology, published_submissions(source))}
    printed_criteria = {(p.key, p.body): p for p in published_criteria(source)}
    for (criterion_id, body), printed in printed_criteria.items():
        computed = results[body].criteria[criterion_id].score
        if computed != printed.score:
            add("criterion-sum", body, criterion_id, printed.text, plain(computed), printed.line,
                T("reconcile.note.criterion_sum", difference=plain(computed - printed.score)))
        letter = grading.grade(methodology.criterion(criterion_id), printed.score)
        label = printed.label.translate(LATIN_TO_CYRILLIC)
        if label and label != letter:
            add("grade", body, criterion_id, printed.label, letter, printed.line,
                T("reconcile.note.grade", total=printed.text))
        elif label != printed.label:
            add("letter-script", body, criterion_id, printed.label, letter, printed.line,
                T("reconcile.note.latin"))

    printed_index = list(published_index(source))
    for printed in printed_index:
        criteria_sum = sum((printed_criteria[(c.id, printed.body)].score for c in methodology.criteria), Fraction(0))
        if criteria_sum != printed.score:
            add("index-sum", printed.body, "index", printed.text, plain(criteria_sum), printed.line,
                T("reconcile.note.index_sum"))
        computed_index = results[printed.body].index
        if computed_index != printed.score:
            add("index-recomputed", printed.body, "index", printed.text, plain(computed_index), printed.line,
                T("reconcile.note.index_recomputed"))
        label, _ = grading.rating(methodology, printed.score)
        if printed.label and label != printed.label:
            add("rating", printed.body, "index", printed.label, label, printed.line,
                T("reconcile.note.rating", index=printed.text))
    for body_type in sorted({p.body_type for p in printed_index}):
        group = [p for p in printed_index if p.body_type == body_type]
        printed_ranks = grading.competition_ranks([p.score for p in group])
        computed_ranks = grading.competition_ranks([results[p.body].index for p in group])
        for p, shown, computed in zip(group, printed_ranks, computed_ranks):
            if shown != computed:
                add("rank-recomputed", p.body, "index", str(shown), str(computed), p.line,
                    T("reconcile.note.rank", type=methodology.body_type_label(body_type, language())))

    reachable = {i.id: attainable_scores(methodology, i) for i in methodology.indicators}
    for printed in published_indicators(source):
        indicator = methodology.indicator(printed.key)
        if reachable[indicator.id] is not None and printed.score not in reachable[indicator.id]:
            nearest = min(reachable[indicator.id], key=lambda s: (abs(s - printed.score), s))
            add("unreachable-score", printed.body, printed.key, printed.text, f"~{plain(nearest)}", printed.line,
                T("reconcile.note.unreachable", input=indicator.inputs[0].name, nearest=plain(nearest)))
        computed_tier = grading.tier(methodology, indicator, printed.score)
        if printed.label and computed_tier != printed.label:
            add("tier-label", printed.body, printed.key, printed.label, computed_tier, printed.line,
                T("reconcile.note.tier_label", score=printed.text))


def _example_findings(methodology: Methodology, source, found: _Findings) -> None:
    """The report's worked examples against its tables and against the formulas."""
    add = found.add
    bodies = registry(DEFAULT_YEAR)
    used = {(c.indicator_id, c.body): c.used for c in corrections(source)}
    tabled = {(p.key, p.body): p for p in published_indicators(source)}
    for example in worked_examples(source):
        table_row = tabled.get((example.indicator_id, example.body))
        if table_row and used.get((table_row.key, table_row.body), table_row.score) != example.printed:
            add("example-vs-table", example.body, example.indicator_id, table_row.text, plain(example.printed),
                table_row.line, T("reconcile.note.example_vs_table", line=example.line))
        try:
            computed = plain(score_inputs(methodology, example.indicator_id, example.inputs,
                                          bodies.find(example.body).type))
        except ScoreError as error:
            computed = T("reconcile.error", error=error)
        if computed != plain(example.printed):
            inputs = ", ".join(f"{k}={v}" for k, v in example.inputs.items())
            add("worked-example", example.body, example.indicator_id, plain(example.printed), computed, example.line,
                f"{inputs}; {example.note_in()}".rstrip("; "))


def _narrative_findings(methodology: Methodology, source, found: _Findings):
    """The narrative's quantities and statements evaluated on the tables: (quantities, statements)."""
    add = found.add
    quantities = quantities_.check_quantities(methodology, source)
    for q in quantities:
        computed = plain(q.computed) if q.computed is not None else T("reconcile.error", error=q.error)
        if q.computed != q.printed:
            inputs = ", ".join(f"{k}={v}" for k, v in q.inputs.items())
            add("narrative-quantity", q.body, q.indicator, plain(q.printed), computed, q.lines,
                T("reconcile.note.narrative_quantity", inputs=inputs))

    statements = narrative.check(methodology, source)
    for verdict in statements:
        fact = verdict.fact
        if verdict.status == "fails":
            one = len(fact.bodies) == 1 or fact.kind == "value"
            scope = fact.spec.get("scope", narrative.ALL)
            subject = fact.named if one else "all" if scope == narrative.ALL else methodology.body_type_label(scope, "ru")
            published = fact.stated or ", ".join(fact.bodies)
            gloss = fact.said() if fact.origin == "2025" else T("reconcile.note.earlier_side", gloss=fact.said())
            add("narrative", subject, fact.item, published, verdict.computed.replace("|", ", ") or "—", fact.line,
                f"{gloss}; {verdict.detail}".rstrip("; "))
    return quantities, statements


def attainable_scores(methodology: Methodology, indicator, steps: int = 100_000) -> set[Fraction] | None:
    """Every score a one-count indicator can give (a deduction per fact, points per count):
    counted up from 0 until the score reaches its far end. None for other indicators."""
    if len(indicator.inputs) != 1 or indicator.inputs[0].type != "integer":
        return None
    name = indicator.inputs[0].name
    first = score_inputs(methodology, indicator.id, {name: 0})
    end = Fraction(0) if first == indicator.maximum else indicator.maximum
    scores = {first}
    for facts in range(1, steps):
        score = score_inputs(methodology, indicator.id, {name: facts})
        scores.add(score)
        if score == end:
            return scores
    return None


def summary(result: Reconciliation) -> list[str]:
    """Counts by check, new and documented."""
    counts: dict[str, list[int]] = {}
    for f in result.findings:
        entry = counts.setdefault(f.check, [0, 0])
        entry[0] += 1
        entry[1] += f.new
    lines = [T("reconcile.per_check", check=check, findings=count(total, "finding"), new=new)
             for check, (total, new) in counts.items()]
    statuses = [v.status for v in result.statements]
    if statuses:
        earlier = sum(v.fact.origin != "2025" for v in result.statements)
        lines.append(T("reconcile.statements", checkable=len(statuses), about=len(statuses) - earlier, earlier=earlier,
                       hold=statuses.count("holds"), fail=statuses.count("fails"),
                       unverifiable=statuses.count("unverifiable")))
    if result.quantities:
        matching = sum(q.computed == q.printed for q in result.quantities)
        lines.append(T("reconcile.quantities", sets=len(result.quantities), matching=matching))
    return lines


CSV_COLUMNS = ("status", "ref", "line", "check", "body", "item", "published", "computed", "note", "documented_there")


def finding_rows(result: Reconciliation) -> list[tuple[str, ...]]:
    """The findings as table rows (CSV), new first."""
    ordered = sorted(result.findings, key=lambda f: not f.new)
    return [("new" if f.new else "documented", f.known, f.line, f.check, f.body, f.item, f.published, f.computed,
             f.note, f.was) for f in ordered]


def render_text(result: Reconciliation, tables: str, methodology_name: str, new_only: bool = False,
                width: int = 80) -> str:
    """The reconciliation as a reader wants it: new findings first, then every documented
    error with its line, then what the narrative could not check, then the counts. `tables`
    says whose tables (`tables_named`)."""
    out = [T("reconcile.title", tables=tables, methodology=methodology_name), ""]
    new = result.new
    out += textwrap.wrap(T("reconcile.new", count=len(new)) + ("" if new else T("reconcile.all_documented")), width,
                         subsequent_indent="  ", break_on_hyphens=False)
    for finding in new:
        out += finding.lines(width)
    documented_findings = [f for f in result.findings if not f.new]
    if not new_only:
        out += ["", T("reconcile.documented", count=len(documented_findings))]
        for check in dict.fromkeys(f.check for f in documented_findings):
            group = [f for f in documented_findings if f.check == check]
            out += ["", f"{check} ({len(group)})"]
            shared = {f.note for f in group}
            if len(group) > 1 and len(shared) == 1:  # one explanation for all: say it once
                out += textwrap.wrap(shared.pop(), width, break_on_hyphens=False)
                for finding in group:
                    out += finding.lines(width, note=False)
            else:
                for finding in group:
                    out += finding.lines(width)
    unchecked = [v for v in result.statements if v.status == "unverifiable"]
    if unchecked:
        out += ["", T("reconcile.unchecked", count=len(unchecked))]
        for verdict in unchecked:
            out += textwrap.wrap(f"{verdict.fact.line:<6} {verdict.fact.item}: {verdict.fact.said()} — {verdict.detail}",
                                 width, subsequent_indent=" " * 7)
    if result.no_longer_found:
        out += ["", T("reconcile.no_longer_found", count=len(result.no_longer_found))]
        for entry in result.no_longer_found:
            out += textwrap.wrap(f"{entry.line or '—':<6} {entry.check} · {entry.body} · {entry.item}: "
                                 f"{entry.published} → {entry.expected} [{entry.ref}]", width, subsequent_indent=" " * 7)
    out += ["", T("reconcile.summary")]
    for line in summary(result):
        out += textwrap.wrap(line, width, subsequent_indent="  ")
    return "\n".join(out) + "\n"


def tables_named(published: str | None, year: int) -> str:
    """Whose tables a reconciliation read: a directory's, or the bundled ones of a year."""
    return T("reconcile.tables_in", directory=published) if published else T("reconcile.tables_of", year=year)
