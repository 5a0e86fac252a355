"""What users read of `openness whatif`: the text at 80 columns and the CSV, from the rows and
plans `whatif.py` computes."""
from __future__ import annotations

import textwrap
from typing import Sequence

from ..core.exact import plain
from ..io.writing import csv_text
from ..methodology import Methodology
from ..texts import decimal, language, term, text
from .whatif import IndicatorRow, Plan

def render_text(methodology: Methodology, body: str, rows: Sequence[IndicatorRow], plans: Sequence[Plan],
                width: int = 80) -> str:
    """What it takes, for a terminal in the command line's language: tiers in its words, numbers
    with its decimal mark, wrapped at `width`."""
    lang = language()

    def n(value) -> str:
        return decimal(plain(value), lang)

    def wrapped(line: str, indent: str = "", more: str = "    ") -> list[str]:
        return textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=more, break_on_hyphens=False)

    out = []
    for row in rows:
        if row.score is None:
            out.append(text("whatif.indicator_no_data", indicator=row.indicator))
            continue
        head = text("whatif.head", indicator=row.indicator, score=n(row.score), tier=methodology.tier_label(row.tier, lang),
                    lost=n(row.lost))
        if not row.next_tier:
            out += wrapped(text("whatif.top", head=head))
            continue
        out += wrapped(text("whatif.next", head=head, tier=methodology.tier_label(row.next_tier, lang), goal=n(row.next_goal)))
        for step in row.steps:
            out += wrapped(step.how, "    ", "      ")
    for p in plans:
        out += ["", *wrapped(text("whatif.to", goal=p.label or p.goal, need=n(p.need)))]
        for step in p.steps:
            out += wrapped(f"{step.indicator} {n(step.score)} → {n(step.reached)}: {step.how}", "  ", "      ")
        if p.totals or p.direct_scores:
            out += wrapped(text("whatif.in_all", changes=_in_all(p, n)), "  ", "    ")
        after = p.after
        out += wrapped(text("whatif.then", index_before=n(p.before.index), index_after=n(after.index),
                            rating_before=p.before.rating, rating_after=after.rating, rank_before=p.before.rank,
                            rank_after=after.rank) + ("" if p.reached or p.every_indicator else text("whatif.not_reached")),
                       "", "    ")
    return "\n".join(out) + "\n"


def _in_all(p: Plan, n) -> str:
    """«citizens — 30, appeals — 11; scores given directly: 2»."""
    parts = [", ".join(f"{term('unit', unit)} — {n(amount)}" for unit, amount in p.totals)] if p.totals else []
    if p.direct_scores:
        parts.append(text("whatif.direct_scores", count=p.direct_scores))
    return "; ".join(parts)


CSV_COLUMNS = ("body", "goal", "indicator", "score", "tier", "lost", "target_tier", "target_score", "change", "reached")


def rows_for_csv(body: str, rows: Sequence[IndicatorRow], plans: Sequence[Plan]) -> list[tuple]:
    table = []
    for row in rows:
        for step in row.steps or [None]:
            table.append((body, "next tier", row.indicator, plain(row.score), row.tier or "", plain(row.lost),
                          row.next_tier, plain(row.next_goal), step.how if step else "",
                          plain(step.reached) if step and step.reached is not None else ""))
    for p in plans:
        for step in p.steps:
            table.append((body, p.goal, step.indicator, plain(step.score), "", "", "", plain(step.goal), step.how,
                          plain(step.reached) if step.reached is not None else ""))
        if p.totals or p.direct_scores:  # what the plan asks in all, in the levers' units
            table.append((body, p.goal, "", "", "", "", "", "", text("whatif.in_all", changes=_in_all(p, plain)).strip(), ""))
    return table


def render_csv(body: str, rows, plans) -> str:
    """The rows and plans as CSV text."""
    return csv_text(CSV_COLUMNS, rows_for_csv(body, rows, plans))
