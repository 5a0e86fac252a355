"""`openness whatif BODY`: what it takes a body to climb — per indicator and to a target.

Per indicator: the score, the points lost, the next tier and the change of each input that
reaches it on its own (`targets.py`), or where none does, of several together. To a target
(`--to`):

* `tier T` — every indicator below tier T raised to it;
* `letter L` — every criterion below letter L raised to L's lower edge;
* `rating R` — the index raised to R's lower edge;
* `rank N` — the index raised to that of the body now N-th in its group (ЦГО or МИО), every
  other body held fixed (ties share a rank, so equal is enough).

A gain of G points is made by the least change of the body's levers: the indicators whose
levers move least per point gained are raised first (each change measured against its whole:
late appeals against appeals reviewed, citizens against those registered, so that units
compare), then the scores given directly, the most points lost first; each just as far as still
needed, to the nearest score its formula can give (a whole count, a band). Where no lever
reaches a score alone, several move together (`combined.py`). A plan says what it asks in
all, unit by unit, and the body is scored again with every change applied.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from ..core import grading
from ..core.exact import plain
from ..methodology import Methodology
from ..io.writing import order_ranges
from ..core.scoring import DIRECT, RAW, Entry, evaluate, ranked, score_body
from ..core.combined import Combined, changed_amounts, combined
from ..core.targets import attainable_score, levers, next_tier_goal, target, tier_entry
from ..texts import decimal, language, term, text



@dataclass(frozen=True)
class Step:
    """One indicator raised: from a score to another, and how."""

    indicator: str
    score: Fraction
    goal: Fraction
    reached: Fraction | None  # the score the change gives; None when no input can
    how: str  # "late ≤ 14 (now 25)", or "score 2.8 (given directly)"
    # (input, new value) or ("score", new score); several where levers must move together
    changes: tuple[tuple[str, Fraction], ...] = ()


@dataclass(frozen=True)
class Plan:
    goal: str  # what was asked, e.g. "rating АА" (the CSV's key, in English)
    need: Fraction  # points the body must gain
    steps: list[Step]
    before: object  # BodyResult
    after: object  # BodyResult with every step applied
    label: str = ""  # the goal in the language of the text, e.g. «рейтинг АА»
    every_indicator: bool = False  # a tier for every indicator: no points to reach, nothing to fall short of
    # What the plan asks in the levers' own units, (unit, amount), and how many scores given directly.
    totals: tuple[tuple[str, Fraction], ...] = ()
    direct_scores: int = 0

    @property
    def reached(self) -> bool:
        return self.need <= self.gained

    @property
    def gained(self) -> Fraction:
        return (self.after.index or 0) - (self.before.index or 0)


def _entries(submissions, body):
    return next(e for b, _, e in submissions if b == body)


def _body_type(submissions, body):
    return next(t for b, t, _ in submissions if b == body)


def raise_indicator(methodology: Methodology, entry: Entry | None, indicator_id: str, goal: Fraction,
                    body_type: str) -> Step:
    """The cheapest single change of one indicator's inputs that reaches `goal` (or the score
    itself where it was given directly)."""
    indicator = methodology.indicator(indicator_id)
    if entry is None:
        return Step(indicator_id, Fraction(0), goal, None, text("whatif.no_data"))
    score = entry.score if entry.source == DIRECT else None
    if entry.source == DIRECT:
        # Only a score the indicator can give: knowledge base 0, 5 or 7, never 4,9; a whole penalty point.
        goal = min(goal, indicator.maximum) if indicator.role != "penalty" else max(goal, Fraction(0))
        reachable = attainable_score(methodology, indicator, goal, body_type)
        if reachable is None:
            return Step(indicator_id, score, goal, None, text("whatif.no_score"))
        return Step(indicator_id, score, goal, reachable, text("whatif.direct", goal=decimal(plain(reachable))),
                    (("score", reachable),))
    from ..core.scoring import compute

    score = compute(methodology, indicator, entry.values, body_type)
    options = []
    for name in levers(indicator):
        found = target(methodology, indicator, entry.values, name, goal, body_type, score)
        if found.value is not None:
            options.append(found)
    if not options:
        together = combined(methodology, indicator, entry.values, goal, body_type)
        if together is None:
            return Step(indicator_id, score, goal, None, text("whatif.no_input"))
        return combined_step(together, score)
    # the nearest score to the goal, then the smallest relative change of the input
    best = min(options, key=lambda t: (abs(t.score - goal), abs(t.change) / max(abs(t.current), 1)))
    return Step(indicator_id, score, goal, best.score, _change(best.input, best.current, best.value), ((best.input, best.value),))


def combined_step(found: Combined, score: Fraction) -> Step:
    """The step of several levers moved together (`combined.combined`)."""
    moves = "; ".join(_change(name, now, new) for name, now, new in found.changes)
    effort = ", ".join(f"{term('unit', unit)} — {decimal(plain(amount))}" for unit, amount in found.effort)
    how = text("whatif.together", changes=moves, effort=effort)
    return Step(found.indicator, score, found.goal, found.score, how, tuple((name, new) for name, _, new in found.changes))


def _change(name: str, now: Fraction, new: Fraction) -> str:
    """«late ≤ 14 (now 25)»: the change asked of one input."""
    return text("whatif.change", input=name, relation="≤" if new < now else "≥", value=decimal(plain(new)),
                current=decimal(plain(now)))


def apply_steps(submissions, body: str, steps: Sequence[Step]):
    """The submissions with the body's entries changed as the steps say."""
    out = []
    for b, body_type, entries in submissions:
        if b == body:
            entries = dict(entries)
            for step in steps:
                for name, value in step.changes:
                    if name == "score":
                        entries[step.indicator] = Entry(DIRECT, score=value)
                    else:
                        old = entries[step.indicator]
                        entries[step.indicator] = Entry(RAW, values={**old.values, name: value})
        out.append((b, body_type, entries))
    return out


@dataclass(frozen=True)
class IndicatorRow:
    indicator: str
    score: Fraction | None
    tier: str | None
    lost: Fraction | None
    next_tier: str
    next_goal: Fraction | None
    steps: list[Step]  # one per lever (reaching the next tier alone or saying why not), then any combined


def indicator_rows(methodology: Methodology, submissions, body: str, results=None) -> list[IndicatorRow]:
    """Per indicator: where the body stands and what reaches the next tier (`results`: the
    submissions already evaluated, as a report shares them between its sheets)."""
    result = next(r for r in results or evaluate(methodology, submissions) if r.body == body)
    entries, body_type = _entries(submissions, body), _body_type(submissions, body)
    rows = []
    for indicator in methodology.indicators:
        item = result.indicators[indicator.id]
        if item.score is None:
            rows.append(IndicatorRow(indicator.id, None, None, None, "", None, []))
            continue
        lost = item.score if indicator.role == "penalty" else indicator.maximum - item.score
        upward = next_tier_goal(methodology, indicator, item.score)
        steps = []
        if upward:
            entry = entries[indicator.id]
            if entry.source == DIRECT:
                steps = [raise_indicator(methodology, entry, indicator.id, upward[1], body_type)]
            else:
                for name in levers(indicator):
                    found = target(methodology, indicator, entry.values, name, upward[1], body_type, item.score)
                    how = str(found) if found.value is None else _change(name, found.current, found.value)
                    steps.append(Step(indicator.id, item.score, upward[1], found.score if found.value is not None
                                      else None, how, ((name, found.value),) if found.value is not None else ()))
                if all(step.reached is None for step in steps):  # no lever alone: several together
                    together = combined(methodology, indicator, entry.values, upward[1], body_type)
                    if together is not None:
                        steps.append(combined_step(together, item.score))
        rows.append(IndicatorRow(indicator.id, item.score, item.tier, lost, upward[0] if upward else "",
                                 upward[1] if upward else None, steps))
    return rows


def _gain(methodology: Methodology, submissions, body: str, need: Fraction, indicators: Sequence[str], goal: str,
          label: str, results):
    """Raise the given indicators, the cheapest first, until `need` points are gained. Cheapest:
    the least change of the levers per point, each change measured against its whole (appeals
    against appeals reviewed, citizens against those registered); scores given directly, which
    no lever of the body changes, come after, the most points lost first."""
    before = next(r for r in results if r.body == body)
    entries, body_type = _entries(submissions, body), _body_type(submissions, body)

    proposed: dict[tuple[str, Fraction], Step] = {}

    def proposal(indicator_id: str, take: Fraction) -> Step:
        if (indicator_id, take) not in proposed:
            indicator = methodology.indicator(indicator_id)
            score = before.indicators[indicator_id].score
            wanted = score - take if indicator.role == "penalty" else score + take
            proposed[(indicator_id, take)] = raise_indicator(methodology, entries.get(indicator_id), indicator_id, wanted,
                                                             body_type)
        return proposed[(indicator_id, take)]

    def cost(indicator_id: str):
        step = proposal(indicator_id, min(need, points_lost(methodology, before, indicator_id)))
        if step.reached is None:
            return None
        gained = abs(step.reached - step.score)
        entry = entries.get(indicator_id)
        if entry is None or entry.source == DIRECT or not gained:
            return (1, -points_lost(methodology, before, indicator_id), indicator_id)
        moved = changed_amounts(methodology.indicator(indicator_id), entry.values, dict(step.changes))
        return (0, sum((relative for _, _, relative in moved), Fraction(0)) / gained, indicator_id)

    ranked = sorted((c for c in (cost(i) for i in indicators
                                 if before.indicators[i].score is not None and points_lost(methodology, before, i) > 0)
                     if c is not None))
    steps, remaining = [], need
    for _, _, indicator_id in ranked:
        if remaining <= 0:
            break
        step = proposal(indicator_id, min(remaining, points_lost(methodology, before, indicator_id)))
        if step.reached is None:  # no lever reaches that far: take what the best input gives
            continue
        steps.append(step)
        remaining -= abs(step.reached - step.score)
    after = _rescored(methodology, submissions, body, steps, results)
    return Plan(goal, need, steps, before, after, label, totals=_totals(methodology, entries, steps),
                direct_scores=sum(1 for step in steps if step.changes and step.changes[0][0] == "score"))


def _rescored(methodology: Methodology, submissions, body: str, steps: Sequence[Step], results):
    """The body's result with every step applied, placed within its group (ЦГО or МИО) as
    `results` (the submissions evaluated) stand: only the body is scored again, since no other
    body's scores change."""
    body_type = _body_type(submissions, body)
    changed = next(entries for code, _type, entries in apply_steps(submissions, body, steps) if code == body)
    mine = score_body(methodology, body, body_type, changed)
    group = [mine if r.body == body else r for r in results if r.body_type == body_type]
    return next(r for r in ranked(methodology, group) if r.body == body)


def _totals(methodology: Methodology, entries, steps: Sequence[Step]) -> tuple[tuple[str, Fraction], ...]:
    """What the steps ask in all, unit by unit (a person moved between two parts counted once)."""
    units: dict[str, Fraction] = {}
    for step in steps:
        entry = entries.get(step.indicator)
        if entry is None or entry.source == DIRECT or not step.changes:
            continue
        for unit, amount, _relative in changed_amounts(methodology.indicator(step.indicator), entry.values,
                                                       dict(step.changes)):
            units[unit] = units.get(unit, Fraction(0)) + amount
    return tuple(units.items())


def points_lost(methodology: Methodology, result, indicator_id: str) -> Fraction:
    """The points a body's indicator is short of its best (a penalty's points themselves)."""
    indicator = methodology.indicator(indicator_id)
    score = result.indicators[indicator_id].score
    if score is None:
        return Fraction(0)
    return score if indicator.role == "penalty" else indicator.maximum - score


def plan(methodology: Methodology, submissions, body: str, kind: str, value: str, results=None) -> list[Plan]:
    """The proposals that reach `kind value` (tier, letter, rating or rank); `results`: the
    submissions already evaluated."""
    results = results or evaluate(methodology, submissions)
    me = next(r for r in results if r.body == body)
    if kind in ("rating", "rank") and me.index is None:
        orders = order_ranges([methodology.indicator(i).order for i in me.missing])
        raise ValueError(text("whatif.no_index", body=body, goal=text(f"whatif.goal_{kind}", value=value), orders=orders))
    if kind == "rank" and me.rank is None:
        without = [r.body for r in results if r.body_type == me.body_type and r.index is None]
        raise ValueError(text("value.no_rank", type=methodology.body_type_label(me.body_type, language()), count=len(without))
                         + f" ({', '.join(without)})")
    planners = {"rating": _plan_rating, "rank": _plan_rank, "letter": _plan_letters, "tier": _plan_tiers}
    if kind not in planners:
        raise ValueError(text("whatif.bad_kind", goal=repr(kind)))
    return planners[kind](methodology, submissions, body, me, value, results)


def _plan_rating(methodology: Methodology, submissions, body: str, me, value: str, results) -> list[Plan]:
    """The points up to the rating's lower edge, the cheapest indicators first."""
    band = next((b for b in methodology.ratings if b.rating == value), None)
    if band is None or band.lower is None:
        raise ValueError(text("whatif.bad_rating", value=repr(value), known=", ".join(b.rating for b in methodology.ratings)))
    need = max(band.lower - me.index, Fraction(0))
    return [_gain(methodology, submissions, body, need, [i.id for i in methodology.indicators], f"rating {value}",
                  text("whatif.goal_rating", value=value), results)]


def _plan_rank(methodology: Methodology, submissions, body: str, me, value: str, results) -> list[Plan]:
    """The points up to the index of the body now at that place in the group."""
    if not str(value).strip().isdigit():
        raise ValueError(text("whatif.bad_rank_number", value=repr(value)))
    rank = int(value)
    others = sorted((r.index for r in results if r.body_type == me.body_type and r.body != body
                     and r.index is not None), reverse=True)
    if not 1 <= rank <= len(others) + 1:
        raise ValueError(text("whatif.bad_rank", value=value, last=len(others) + 1,
                              type=methodology.body_type_label(me.body_type, language())))
    need = max(others[rank - 1] - me.index, Fraction(0)) if rank <= len(others) else Fraction(0)
    return [_gain(methodology, submissions, body, need, [i.id for i in methodology.indicators], f"rank {rank}",
                  text("whatif.goal_rank", value=rank), results)]


def _plan_letters(methodology: Methodology, submissions, body: str, me, value: str, results) -> list[Plan]:
    """One plan per criterion below the letter: its points up to the letter's edge."""
    plans = []
    for criterion in methodology.criteria:
        best, middle, worst = criterion.grade_labels
        if value not in criterion.grade_labels:
            raise ValueError(text("whatif.bad_letter", value=repr(value), known=", ".join(criterion.grade_labels)))
        edge = criterion.grade_a_from if value == best else (criterion.grade_c_below or Fraction(0))
        score = me.criteria[criterion.id].score
        if value == worst or score is None or score >= edge:
            continue
        plans.append(_gain(methodology, submissions, body, edge - score, criterion.indicators,
                           f"{criterion.id} letter {value}", text("whatif.goal_letter", criterion=criterion.id,
                                                                  value=value), results))
    return plans


def _plan_tiers(methodology: Methodology, submissions, body: str, me, value: str, results) -> list[Plan]:
    """Every indicator below the tier raised to its entry (a penalty lowered to it)."""
    if value not in methodology.tier_order:
        raise ValueError(text("whatif.bad_tier", value=repr(value), known=", ".join(methodology.tier_order)))
    wanted = methodology.tier_order.index(value)  # 0 is the best tier
    entries, body_type = _entries(submissions, body), _body_type(submissions, body)
    steps = []
    for indicator in methodology.indicators:
        score = me.indicators[indicator.id].score
        if score is None or methodology.tier_order.index(grading.tier(methodology, indicator, score)) <= wanted:
            continue
        goal = tier_entry(methodology, indicator, value)
        steps.append(raise_indicator(methodology, entries.get(indicator.id), indicator.id, goal, body_type))
    after = _rescored(methodology, submissions, body, steps, results)
    # What the plan gains: each indicator raised to its goal (a penalty lowered to it).
    gain = sum((abs(step.goal - step.score) for step in steps), Fraction(0))
    return [Plan(f"every indicator {value}", gain, steps, me, after, text("whatif.goal_tier", value=value), True,
                 _totals(methodology, entries, steps),
                 sum(1 for step in steps if step.changes and step.changes[0][0] == "score"))]
