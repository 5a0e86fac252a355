"""`openness compare PREVIOUS CURRENT`: year-over-year change, in the report's own words.

Each side is one year's results under its own methodology, so nothing is compared in points:
an indicator is compared as a share of its maximum and by its tier, a criterion as a share
and by its letter, the index by its value, rating and rank. Each comparison says improved,
declined or kept («улучшили», «снизили», «сохранили»). An indicator that exists in one year
only is named, not compared.

The 2024 side can be the 2025 report's own statements about 2024 (the narrative reference,
`data/2025/narrative/facts_previous_year.csv`): a body's 2024 tier where the text gives it,
each marked with its line.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

from ..io import published
from ..io.report_data import has, read_rows
from ..core.exact import plain, round_half_away
from ..methodology import DEFAULT_YEAR, Methodology, load
from ..io.writing import csv_text
from ..core.scoring import BodyResult
from ..texts import text

WORDS = {"improved": "улучшили", "declined": "снизили", "kept": "сохранили"}
# How the narrative's count rows name a tier: "bodies with high tier", "ЦГО with high tier" …
# The tier each names, by its place in the methodology's order (0 the best, -1 the worst).
COUNTED = {"bodies with high tier": 0, "ЦГО with high tier": 0, "МИО with high tier": 0,
           "bodies with неэффективный tier": -1, "bodies with низкий tier": -2}


def tiers_worst_first(methodology: Methodology | None = None) -> tuple[str, ...]:
    """The tiers from the worst to the best: the methodology's, or where none is given (the
    report's narrative) those of the bundled year, whose words the narrative uses."""
    return tuple(reversed((methodology or load(DEFAULT_YEAR)).tier_order))


@dataclass(frozen=True)
class Standing:
    """Where a body stood on one item in one year."""

    share: Fraction | None  # of the maximum; None where only a tier is known
    label: str  # tier, letter or rating
    value: str = ""  # the score as printed or computed
    rank: int | None = None
    basis: str = ""  # "tables", or the report line it is taken from


@dataclass
class Year:
    name: str
    methodology: Methodology | None
    standings: dict[tuple[str, str], Standing] = field(default_factory=dict)  # (body, item) → standing
    body_types: dict[str, str] = field(default_factory=dict)
    # The narrative's 2024 group counts: (group ЦГО/МИО/all, item, tier) → (count, line).
    counts: dict[tuple[str, str, str], tuple[int, str]] = field(default_factory=dict)

    @property
    def items(self) -> list[str]:
        return list(dict.fromkeys(item for _, item in self.standings))


def from_results(name: str, methodology: Methodology, results: Sequence[BodyResult]) -> Year:
    """A year computed (or given as scores) under its methodology."""
    year = Year(name, methodology)
    for r in results:
        year.body_types[r.body] = r.body_type
        for indicator in methodology.indicators:
            item = r.indicators[indicator.id]
            if item.score is None:
                continue
            share = item.score / indicator.maximum
            if indicator.role == "penalty":
                share = 1 - share  # a penalty spared is the better share
            year.standings[(r.body, indicator.id)] = Standing(share, item.tier or "", plain(item.score), None, "tables")
        for criterion in methodology.criteria:
            item = r.criteria[criterion.id]
            if item.score is not None:
                year.standings[(r.body, criterion.id)] = Standing(item.score / criterion.maximum, item.grade or "",
                                                                  plain(item.score), None, "tables")
        if r.index is not None:
            year.standings[(r.body, "index")] = Standing(r.index / 100, r.rating or "", plain(r.index), r.rank,
                                                         "tables")
    return year


def from_table(name: str, methodology: Methodology, table: dict[str, dict[str, str]]) -> Year:
    """A year given as the CSV of `openness scores` (text by body and column)."""
    from ..core.exact import to_fraction

    year = Year(name, methodology)
    for body, row in table.items():
        year.body_types[body] = row.get("body_type", "")
        for indicator in methodology.indicators:
            if row.get(indicator.id):
                share = to_fraction(row[indicator.id]) / indicator.maximum
                share = 1 - share if indicator.role == "penalty" else share
                year.standings[(body, indicator.id)] = Standing(share, row.get(f"{indicator.id}__tier", ""),
                                                                row[indicator.id], None, "tables")
        for criterion in methodology.criteria:
            if row.get(criterion.id):
                year.standings[(body, criterion.id)] = Standing(to_fraction(row[criterion.id]) / criterion.maximum,
                                                                row.get(f"{criterion.id}__grade", ""),
                                                                row[criterion.id], None, "tables")
        if row.get("index"):
            year.standings[(body, "index")] = Standing(to_fraction(row["index"]) / 100, row.get("rating", ""),
                                                       row["index"], int(row["rank"]) if row.get("rank") else None,
                                                       "tables")
    return year


def narrative_2024(source=DEFAULT_YEAR) -> Year:
    """The 2024 standings the 2025 report states: a body's 2024 tier on an indicator or a
    criterion, with the line that says so. Comparisons with the first half of 2025 are
    left out: they are not 2024."""
    from .narrative import PREVIOUS_YEAR

    year = Year(text("compare.narrative_year"), None)
    if not has(source, PREVIOUS_YEAR):
        return year
    for _, r in read_rows(source, PREVIOUS_YEAR, ("line", "group_or_body", "indicator_or_criterion",
                                                            "quantity", "value_2024", "unit")):
        if r["unit"] == "count" and r["value_2024"].isdigit() and load(DEFAULT_YEAR).body_type_code(r["group_or_body"]):
            place = next((place for key, place in COUNTED.items() if r["quantity"].startswith(key)), None)
            if place is not None:
                tier = tiers_worst_first()[::-1][place]
                year.counts[(r["group_or_body"], r["indicator_or_criterion"], tier)] = (int(r["value_2024"]),
                                                                                        f"L{r['line']}")
            continue
        if r["unit"] != "tier" or r["value_2024"] not in tiers_worst_first() or r["quantity"].startswith("[vs"):
            continue
        year.standings.setdefault((r["group_or_body"], r["indicator_or_criterion"]),
                                  Standing(None, r["value_2024"], "", None, f"L{r['line']}"))
    return year


def _tier_rank(methodology: Methodology | None, item: str, label: str) -> int | None:
    """Higher is better: tiers, criterion letters, ratings."""
    order = tiers_worst_first(methodology)
    if label in order:
        return order.index(label)
    if methodology is not None:
        for criterion in methodology.criteria:
            if item == criterion.id and label in criterion.grade_labels:
                # А, В, С are the criterion's высокий, средний, низкий (L2276)
                return order.index(methodology.tier_order[criterion.grade_labels.index(label)])
        ratings = [b.rating for b in methodology.ratings] + [methodology.ratings[-1].rating]
        if item == "index" and label in ratings:
            return len(ratings) - ratings.index(label)
    return None


def _verdict(before: Fraction | int | None, after: Fraction | int | None) -> str | None:
    if before is None or after is None:
        return None
    return "improved" if after > before else "declined" if after < before else "kept"


@dataclass(frozen=True)
class Change:
    body: str
    item: str
    previous: Standing | None
    current: Standing | None
    verdict: str  # improved, declined, kept, or "only in …"
    by: str  # what decided it: share, tier, letter, rating, rank

    @property
    def words(self) -> str:
        return WORDS.get(self.verdict, self.verdict)


def declared(methodology: Methodology) -> set[str]:
    """The items a methodology scores: its indicators, its criteria and the index."""
    return {i.id for i in methodology.indicators} | {c.id for c in methodology.criteria} | {"index"}


def compare(previous: Year, current: Year) -> list[Change]:
    """Every body and item of either year: improved, declined or kept, and on what basis."""
    labels = {"index": "rating"}
    changes = []
    items = list(dict.fromkeys(current.items + previous.items))
    only_before, only_now = set(), set()
    if previous.methodology is not None and current.methodology is not None:
        only_before = declared(previous.methodology) - declared(current.methodology)
        only_now = declared(current.methodology) - declared(previous.methodology)
    bodies = list(dict.fromkeys([b for b, _ in current.standings] + [b for b, _ in previous.standings]))
    for body in bodies:
        for item in items:
            a, b = previous.standings.get((body, item)), current.standings.get((body, item))
            if a is None and b is None:
                continue
            if item in only_before or item in only_now:
                where = previous.name if item in only_before else current.name
                changes.append(Change(body, item, a, b, f"only in {where}", "—"))
                continue
            if a is None or b is None:
                continue
            verdict = _verdict(a.share, b.share)
            by = "share"
            if verdict is None:  # only a tier on one side (the narrative's 2024)
                methodology = current.methodology or previous.methodology
                verdict = _verdict(_tier_rank(methodology, item, a.label), _tier_rank(methodology, item, b.label))
                by = labels.get(item, "tier")
            if verdict is None:
                continue
            changes.append(Change(body, item, a, b, verdict, by))
    return changes + group_counts(previous, current)


def group_counts(previous: Year, current: Year) -> list[Change]:
    """How many ЦГО or МИО stood in a tier, 2024 as the narrative counts them against the
    current year's tables: more in высокий is better, more in низкий or неэффективный worse."""
    out = []
    for (group, item, tier), (count, line) in previous.counts.items():
        members = [b for (b, i), s in current.standings.items()
                   if i == item and current.body_types.get(b) == load(DEFAULT_YEAR).body_type_code(group) and s.label == tier]
        if not any(i == item for _, i in current.standings):
            continue
        now = len(members)
        better = now > count if tier == tiers_worst_first()[-1] else now < count
        verdict = "kept" if now == count else "improved" if better else "declined"
        out.append(Change(group, item, Standing(None, f"{tier}: {count}", "", None, line),
                          Standing(None, f"{tier}: {now}", "", None, "tables"), verdict, f"bodies {tier}"))
    return out


def _shown(s: Standing | None) -> str:
    if s is None:
        return "—"
    share = f"{plain(round_half_away(s.share * 100, 1))} %" if s.share is not None else ""
    parts = [p for p in (s.value, share and f"({share})", s.label, f"rank {s.rank}" if s.rank else "") if p]
    return " ".join(parts) + (f" [{s.basis}]" if s.basis not in ("", "tables") else "")


CSV_COLUMNS = ("body", "item", "previous", "current", "verdict", "verdict_ru", "by", "previous_basis")


def rows(changes: Sequence[Change]) -> list[tuple[str, ...]]:
    return [(c.body, c.item, _shown(c.previous), _shown(c.current), c.verdict, c.words, c.by,
             c.previous.basis if c.previous else "") for c in changes]


def render_csv(changes: Sequence[Change]) -> str:
    return csv_text(CSV_COLUMNS, rows(changes))


def render_text(changes: Sequence[Change], previous: Year, current: Year, width: int = 80) -> str:
    """Per body: the index, then the items that improved, declined and kept, in the command
    line's language."""
    def verdict_words(verdict: str) -> str:
        return text(f"compare.{verdict}")

    out = [f"{previous.name} → {current.name}", ""]
    singles = sorted({c.item for c in changes if c.verdict.startswith("only in")})
    if singles:
        out += textwrap.wrap(text("compare.one_year", items=", ".join(
            f"{item} ({text('compare.only_in', year=next(c.verdict for c in changes if c.item == item)[8:])})"
            for item in singles)), width)
        out.append("")
    counts = {v: sum(c.verdict == v for c in changes) for v in WORDS}
    out.append(", ".join(f"{verdict_words(v)} {n}" for v, n in counts.items()))
    for body in dict.fromkeys(c.body for c in changes):
        mine = [c for c in changes if c.body == body and c.verdict in WORDS]
        if not mine:
            continue
        index = next((c for c in mine if c.item == "index"), None)
        head = text("compare.index", body=body, previous=_shown(index.previous), current=_shown(index.current),
                    verdict=verdict_words(index.verdict)) if index else body
        out += ["", *textwrap.wrap(head, width)]
        # Each item once, from → to with its tier or letter, and the report line it comes from.
        for c in mine:
            if c.item != "index":
                line = f"{c.item}: {_shown(c.previous)} → {_shown(c.current)} — {verdict_words(c.verdict)}"
                out += textwrap.wrap(line, width, initial_indent="  ", subsequent_indent="    ")
    return "\n".join(out) + "\n"


def side(name: str, methodology_file: str | None = None, year: int = DEFAULT_YEAR) -> Year:
    """One side of a comparison: «2024» (the 2025 report's statements about 2024), a year whose
    published tables are bundled («2025»), a directory of published tables, a scores CSV or an
    input file; scored with `methodology_file`, else the year's methodology."""
    from pathlib import Path

    from ..core.bodies import registry
    from .diff import read_score_file
    from ..io.inputs import load_inputs
    from ..core.scoring import evaluate

    if name == "2024" and not methodology_file:
        return narrative_2024()
    called = side_name(name, methodology_file)
    if name.isdigit() and not Path(name).exists():
        methodology = load(Path(methodology_file) if methodology_file else int(name))
        return from_results(called, methodology, evaluate(methodology, published.published_submissions(int(name))))
    methodology = load(Path(methodology_file) if methodology_file else year)
    if Path(name).is_dir():
        published.check_tables(methodology, name)
        return from_results(called, methodology, evaluate(methodology, published.published_submissions(name)))
    table = read_score_file(name, methodology)
    if table is not None:
        return from_table(called, methodology, table)
    loaded = load_inputs(name, methodology, registry(year))
    return from_results(called, methodology, evaluate(methodology, loaded.submissions))


def side_name(name: str, methodology_file: str | None = None) -> str:
    """What a side given as `name` is called, in the current language: «2024 (as the 2025
    report states it)», «2025 (published)», or the file or folder's name."""
    from pathlib import Path

    if name == "2024" and not methodology_file:
        return text("compare.narrative_year")
    if name.isdigit() and not Path(name).exists():
        return text("compare.published_year", year=name)
    return Path(name).name

