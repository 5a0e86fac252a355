"""`openness roadmap BODY -o roadmap.docx`: the draft of the «Дорожная карта» a body with a
low rating must approve and publish (L62).

The draft holds the body's standing (rank, rating, criteria and letters), a table of its
weak indicators — every indicator below «высокий» — with the current value, the target (the
next tier), the input change that reaches it (`whatif`) and blank columns for the
measure, the responsible unit and the deadline, which the body fills in; and a chart of its
profile against its group's average. `--all-low` writes one per body rated below the
methodology's `[roadmap] required_below_rating`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from . import whatif
from ..core.exact import plain
from ..texts import count, decimal, term, text
from ..methodology import Methodology
from ..core.scoring import BodyResult, evaluate

@dataclass(frozen=True)
class WeakIndicator:
    indicator: str
    name: str  # in the language the roadmap was built in
    score: Fraction
    tier: str
    maximum: Fraction
    target_tier: str
    target: Fraction
    changes: tuple[str, ...]  # e.g. "late ≤ 14 (now 25)"; the direct score where no inputs were given
    reached: Fraction | None = None  # the score the smallest proposed change gives (a score it can take)

    @property
    def effect(self) -> Fraction:
        """Index points the proposed change brings (a penalty's points come off)."""
        return abs((self.target if self.reached is None else self.reached) - self.score)


@dataclass(frozen=True)
class Goal:
    """The next rating up, what it takes the index, and what the body's own measures reach."""

    rating: str
    need: Fraction
    reached_index: Fraction
    reached_rating: str
    reached: bool


@dataclass(frozen=True)
class Roadmap:
    body: str
    name: str  # in the language the roadmap was built in
    body_type: str
    year: int
    result: BodyResult
    group_size: int
    weak: list[WeakIndicator]
    profile: list[tuple[str, Fraction, Fraction]]  # (short name, body's share, group's mean share)
    methodology: Methodology
    goal: Goal | None = None  # None at the top rating or without an index
    required: bool = True  # rated below the methodology's threshold: the body must publish one


def _shown(value: Fraction) -> str:
    return decimal(plain(value), kind="files")


def _change_text(indicator, entry, change) -> str:
    """«заявления … с нарушением срока: не более 14 (сейчас 25)», or the score to be given, in
    the current language of files."""
    name, value = change
    if name == "score":
        # The supplier's abbreviation in the document's language (БП ҚСжАЕК in Kazakh).
        supplier = term("supplier", indicator.supplier, kind="files")
        return text("change.score", kind="files", value=_shown(value), supplier=supplier)
    current = entry.values[name]
    relation = text("word.at_most" if value < current else "word.at_least", kind="files")
    return text("change.input", kind="files", description=indicator.input(name).text(), relation=relation,
                value=_shown(value), current=_shown(current))


def low_bodies(methodology: Methodology, results: Sequence[BodyResult]) -> list[str]:
    """The bodies rated below the methodology's roadmap threshold."""
    if methodology.roadmap_below_rating is None:
        raise ValueError(text("refused.no_roadmap_rule"))
    order = [b.rating for b in methodology.ratings]
    limit = order.index(methodology.roadmap_below_rating)
    return [r.body for r in results if r.rating is not None and order.index(r.rating) > limit]


def weak_indicators(methodology: Methodology, submissions, body: str, results) -> list[WeakIndicator]:
    """The body's indicators below the best tier, each with its next tier, the score that
    reaches it and the change of its inputs that would (`results`: the submissions evaluated)."""
    entries = next(e for b, _, e in submissions if b == body)
    weak = []
    for row in whatif.indicator_rows(methodology, submissions, body, results):
        if row.score is None or row.tier == methodology.tier_order[0]:
            continue
        indicator = methodology.indicator(row.indicator)
        # A step of several levers moved together is one measure: its changes joined.
        changes = tuple("; ".join(_change_text(indicator, entries[row.indicator], change) for change in s.changes)
                        for s in row.steps if s.changes) or ("—",)
        reached = [s.reached for s in row.steps if s.changes and s.reached is not None]
        nearest = min(reached, key=lambda value: abs(value - row.score)) if reached else None
        weak.append(WeakIndicator(row.indicator, indicator.text(), row.score, row.tier, indicator.maximum,
                                  row.next_tier, row.next_goal, changes, nearest))
    return weak


def build(methodology: Methodology, submissions, body: str, names: dict[str, str], results=None) -> Roadmap:
    """The roadmap's content for one body of the submissions (`results`: them evaluated, where
    a caller has them already)."""
    results = results or evaluate(methodology, submissions)
    result = next(r for r in results if r.body == body)
    group = [r for r in results if r.body_type == result.body_type]
    weak = weak_indicators(methodology, submissions, body, results)
    profile = []
    for indicator in methodology.indicators:
        def share(r):
            score = r.indicators[indicator.id].score
            if score is None:
                return None
            value = score / indicator.maximum
            return 1 - value if indicator.role == "penalty" else value
        mine = share(result)
        others = [s for s in (share(r) for r in group) if s is not None]
        if mine is not None and others:
            profile.append((f"{indicator.order}. {indicator.text('short')}", mine, sum(others) / len(others)))
    required = (methodology.roadmap_below_rating is None or result.index is None
                or body in low_bodies(methodology, results))
    return Roadmap(body, names.get(body, body), result.body_type, methodology.year, result, len(group), weak, profile,
                   methodology, _goal(methodology, submissions, body, result, results), required)


def _goal(methodology: Methodology, submissions, body: str, result: BodyResult, results) -> Goal | None:
    """The next rating up and what the levers, all together, reach toward it (`whatif.plan`)."""
    ratings = [b.rating for b in methodology.ratings]
    if result.index is None or result.rating not in ratings or ratings.index(result.rating) == 0:
        return None
    wanted = ratings[ratings.index(result.rating) - 1]
    (found,) = whatif.plan(methodology, submissions, body, "rating", wanted, results)
    return Goal(wanted, found.need, found.after.index, found.after.rating, found.reached)


SHEET_COLUMNS = ("body", "type", "rank", "rating", "required_column", "indicator", "score", "tier", "target_tier",
                 "target_score", "changes")


def sheet_table(methodology: Methodology, submissions, results=None):
    """(title, notes, columns, rows) of the report's roadmap sheet in the current language of
    files: every body's indicators below «высокий», with the target and the input change,
    bodies that must publish a roadmap first (`results`: the submissions evaluated)."""
    results = results or evaluate(methodology, submissions)
    required = set(low_bodies(methodology, results)) if methodology.roadmap_below_rating else set()
    order = sorted(results, key=lambda r: (r.body not in required, methodology.body_types.index(r.body_type),
                                           r.rank or 10**6, r.body))
    rows = []
    for result in order:
        if result.index is None:
            continue
        for weak in weak_indicators(methodology, submissions, result.body, results):
            rows.append((result.body, methodology.body_type_label(result.body_type), result.rank, result.rating,
                         text("word.yes" if result.body in required else "word.no", kind="files"),
                         f"{methodology.indicator(weak.indicator).order}. {weak.name}", plain(weak.score),
                         methodology.tier_label(weak.tier), methodology.tier_label(weak.target_tier), plain(weak.target),
                         "; ".join(weak.changes)))
    below = methodology.roadmap_below_rating
    title = text("roadmap_sheet.title", kind="files")
    notes = [text("roadmap_sheet.required", kind="files", below=below, bodies=count(len(required), "body", kind="files"))
             ] if below else []
    notes.append(text("roadmap_sheet.one_input", kind="files"))
    return title, notes, tuple(text(f"roadmap_sheet.{key}", kind="files") for key in SHEET_COLUMNS), rows
