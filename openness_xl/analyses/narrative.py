"""The report's narrative statements checked against its tables.

`data/<year>/narrative/facts_checkable.csv` holds one statement a row: its line, a small
claim spec (`scope=MIO pred=tier:низкий mode=exact :: gloss`), the bodies it names, the
indicator, criterion or index, and the number it states. Each statement is evaluated on the
printed tables with the methodology's tiers, letters and ratings: it holds, it fails (a
finding with its line), or it cannot be checked from the tables (a sub-indicator the report
never prints), and then says why.

The raw quantities the narrative states are checked in `quantities.py`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..core import grading
from ..io import published
from ..io.report_data import PublishedError, directory, has, read_rows
from ..core.exact import plain
from ..methodology import DEFAULT_YEAR, Methodology, load
from ..texts import language, text as T

FACTS = "narrative/facts_checkable.csv"
PREVIOUS_YEAR = "narrative/facts_previous_year.csv"
# A statement's scope is a body type's code (CGO, MIO) or ALL.
ALL = "ALL"


def group_type(word: str) -> str | None:
    """The body type a narrative row's group word names («ЦГО», «МИО», «МИО (all)», «ЦГО (or
    all?)»), by the bundled year's methodology; None for a body."""
    return load(DEFAULT_YEAR).body_type_code(word.split(" (")[0])
# Statements about numbers the report never tabulates: checked by nobody, said so (the
# catalogue's `narrative.<fn>`).
NOT_IN_TABLES = ("subindicator", "od_coefficient", "pavlodar_sets_low")


@dataclass(frozen=True)
class Fact:
    """One checkable statement of the narrative, with its line and claim spec."""

    line: str
    kind: str
    spec: dict[str, str]
    gloss: str
    bodies: tuple[str, ...]
    item: str
    stated: str
    quote: str

    origin: str = "2025"  # "2024" for the 2025 side of a comparison with an earlier period

    @property
    def named(self) -> str:
        return "|".join(self.bodies)

    def said(self) -> str:
        """The statement for a reader: our English gloss, or in ru and kk the report's own words."""
        return self.gloss if language() == "en" or not self.quote else f"«{self.quote}»"


@dataclass(frozen=True)
class Verdict:
    """What the tables say of a statement: it holds, fails or cannot be checked, and why."""

    fact: Fact
    status: str  # holds, fails, unverifiable
    computed: str  # what the tables give, in the statement's own terms
    detail: str = ""


def facts(source) -> tuple[Fact, ...]:
    """Every checkable statement of the report's data directory."""
    if not has(source, FACTS):
        return ()
    out = []
    for n, r in read_rows(source, FACTS, ("line", "kind", "claim", "bodies", "indicator_or_criterion",
                                                     "stated_value", "quote")):
        spec_text, _, gloss = r["claim"].partition(" :: ")
        spec = {}
        for token in spec_text.split():
            key, sep, value = token.partition("=")
            if not sep:
                raise PublishedError(T("published.claim_token", path=directory(source) / FACTS, row=n,
                                                 token=repr(token)))
            spec[key] = value
        bodies = tuple(b.strip() for b in r["bodies"].split("|") if b.strip())
        out.append(Fact(f"L{r['line']}", r["kind"], spec, gloss.strip(), bodies, r["indicator_or_criterion"],
                        r["stated_value"].strip(), r["quote"]))
    return tuple(out)


def _report_tiers() -> tuple[str, ...]:
    """The tiers, best first, in the words of the bundled report's narrative: its methodology's."""
    return load(DEFAULT_YEAR).tier_order


def previous_year_facts(source) -> tuple[Fact, ...]:
    """The 2025 half of the comparisons with 2024 (or with the first half of 2025): «МЗ kept
    its неэффективный level» says МЗ is неэффективный now, which the tables can check. The
    2024 half waits for the 2024 tables."""
    if not has(source, PREVIOUS_YEAR):
        return ()
    out, tiers = [], _report_tiers()
    for _, r in read_rows(source, PREVIOUS_YEAR, ("line", "group_or_body", "indicator_or_criterion",
                                                            "quantity", "value_2025", "unit", "quote")):
        body, item, now, unit = r["group_or_body"], r["indicator_or_criterion"], r["value_2025"].strip(), r["unit"]
        if group_type(body) or body == "all":
            scope = group_type(body) or ALL
            if unit == "tier" and now in tiers:
                spec = {"scope": scope, "pred": f"tier:{now}", "mode": "all"}
            else:
                continue
        elif unit == "tier" and now in tiers:
            spec = {"pred": f"tier:{now}", "mode": "subset"}
        elif unit == "direction" and now.startswith("эффективный"):
            spec = {"pred": f"notier:{tiers[-1]}", "mode": "subset"}
        elif unit == "баллы" and now.replace(".", "", 1).isdigit():
            out.append(Fact(f"L{r['line']}", "value", {"cmp": "eq"}, r["quantity"], (body,), item, now, r["quote"],
                            "2024"))
            continue
        else:
            continue
        out.append(Fact(f"L{r['line']}", "list", spec, r["quantity"], (body,) if not group_type(body) else (),
                        item, "", r["quote"], "2024"))
    return tuple(out)


class Tables:
    """The printed scores by item and body, with what the methodology makes of them."""

    def __init__(self, methodology: Methodology, source):
        self.methodology = methodology
        self.facts = facts(source)  # a statement may point at another («the others»)
        self.previous_year = previous_year_facts(source)
        self.scores: dict[str, dict[str, Fraction]] = defaultdict(dict)
        self.types: dict[str, str] = {}
        for rows in (published.published_indicators(source), published.published_criteria(source),
                     published.published_index(source)):
            for p in rows:
                self.scores[p.key][p.body] = p.score
                self.types[p.body] = p.body_type

    def known(self, item: str) -> bool:
        return item in self.scores

    def maximum(self, item: str) -> Fraction:
        m = self.methodology
        if item == "index":
            return sum((c.maximum for c in m.criteria), Fraction(0))
        if item in {c.id for c in m.criteria}:
            return m.criterion(item).maximum
        return m.indicator(item).maximum

    def lower_is_better(self, item: str) -> bool:
        return item in {i.id for i in self.methodology.indicators if i.role == "penalty"}

    def in_scope(self, item: str, scope: str | None) -> dict[str, Fraction]:
        return {b: s for b, s in self.scores[item].items() if scope is None or self.types[b] == scope}

    def tier(self, item: str, score: Fraction) -> str:
        """Indicator tiers by the methodology's bands; a criterion's «high/medium/low» are its
        letters А/В/С (L2276: 9 of 20 «высокий» are the 9 А)."""
        m = self.methodology
        if item in {c.id for c in m.criteria}:
            letter = grading.grade(m.criterion(item), score)
            best, middle, worst = m.criterion(item).grade_labels
            return dict(zip((best, middle, worst), m.tier_order))[letter]
        return grading.tier(m, m.indicator(item), score)

    def satisfies(self, item: str, body: str, predicate: str) -> bool:
        score = self.scores[item][body]
        name, _, argument = predicate.partition(":")
        if name == "all":
            return True
        if name == "tier":
            return self.tier(item, score) == argument
        if name == "tierin":
            return self.tier(item, score) in argument.split(",")
        if name == "notier":
            return self.tier(item, score) != argument
        if name == "rating":
            return grading.rating(self.methodology, score)[0] == argument
        if name == "score":
            if argument == "max":
                return score == self.maximum(item)
            if argument == "gt0":
                return score > 0
            if argument.startswith("eq:"):
                return score == Fraction(argument[3:])
        raise ValueError(f"unknown predicate {predicate!r}")

    def describe(self, item: str, bodies) -> str:
        return ", ".join(f"{b}={plain(self.scores[item][b])}" for b in bodies)


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _stated_fraction(stated: str) -> tuple[Fraction, int]:
    digits = stated.lstrip("~<>=").strip()
    return Fraction(digits), _decimals(digits)


def _as_printed(value: Fraction, decimals: int, rounding) -> Fraction:
    quantum = Decimal(1).scaleb(-decimals)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return Fraction((exact).quantize(quantum, rounding=rounding))


def _number_holds(value: Fraction, stated: str, approx: bool = False) -> tuple[bool, str]:
    """A stated share or average holds when the exact value, rounded half up or cut at the
    stated decimals, gives it (the report cuts in places: L1340, L1537, L1643)."""
    target, decimals = _stated_fraction(stated)
    rounded = _as_printed(value, decimals, ROUND_HALF_UP)
    cut = _as_printed(value, decimals, ROUND_DOWN)
    shown = plain(_as_printed(value, max(decimals, 2), ROUND_HALF_UP))
    if rounded == target:
        return True, shown
    if cut == target:
        return True, f"{shown} (cut, not rounded)"
    if approx and abs(value - target) < 1:
        return True, f"{shown} (about)"
    return False, shown


def _named_codes(fact: Fact, tables: Tables) -> list[str]:
    return [b for b in fact.bodies if not group_type(b) and b in tables.types]


def _scope(fact: Fact) -> str | None:
    scope = fact.spec.get("scope", ALL)
    return None if scope == ALL else scope


def evaluate(tables: Tables, fact: Fact) -> Verdict:
    """What the printed tables say of one narrative statement."""
    spec, item = fact.spec, fact.item
    fn = spec.get("fn")
    if fn in NOT_IN_TABLES:
        return Verdict(fact, "unverifiable", "", T(f"narrative.{fn}"))
    if fn == "worst_indicators":
        return _worst_indicators(tables, fact)
    if not tables.known(item):
        return Verdict(fact, "unverifiable", "", T("narrative.no_table", item=item))
    unknown = [b for b in fact.bodies if not group_type(b) and b not in tables.types and "|" not in b
               and not b.startswith("others")]
    if unknown:
        return Verdict(fact, "fails", "", T("narrative.unknown_bodies", bodies=", ".join(unknown)))
    if fn == "max_possible":
        maximum = tables.maximum(item)
        top = max(tables.scores[item].values())
        holds = Fraction(fact.stated) == maximum
        return Verdict(fact, "holds" if holds else "fails", plain(maximum),
                       T("narrative.max_possible", top=plain(top)))
    if fn == "penalty_mio_worse":
        means = {t: sum(tables.in_scope(item, t).values()) / len(tables.in_scope(item, t)) for t in ("CGO", "MIO")}
        holds = means["MIO"] > means["CGO"]
        return Verdict(fact, "holds" if holds else "fails", f"CGO {plain(round(means['CGO'], 2))}, MIO "
                       f"{plain(round(means['MIO'], 2))}", T("narrative.mean_penalty"))
    if fn == "waiting_none_ineff":
        spec = {**spec, "scope": "CGO", "pred": f"tier:{tables.methodology.tier_order[-1]}", "cmp": "eq"}
        fact = Fact(fact.line, "count", spec, fact.gloss, fact.bodies, item, fact.stated, fact.quote)
    if fn == "ic_none_low":
        spec = {**spec, "scope": "ALL", "pred": f"tier:{tables.methodology.tier_order[-2]}", "cmp": "eq"}
        fact = Fact(fact.line, "count", spec, fact.gloss, fact.bodies, item, fact.stated, fact.quote)
    if fn == "hidden_rest_zero":
        return _rest_zero(tables, fact)
    return {"count": _count, "share": _share, "list": _list, "value": _value, "rank": _rank,
            "average": _average}[fact.kind](tables, fact)


def _count(tables: Tables, fact: Fact) -> Verdict:
    item, scope = fact.item, _scope(fact)
    members = [b for b in tables.in_scope(item, scope) if tables.satisfies(item, b, fact.spec["pred"])]
    count = len(members)
    compare = fact.spec.get("cmp", "eq")
    holds = count > 0 if compare == "gt0" else count == int(_stated_fraction(fact.stated)[0])
    detail = tables.describe(item, members) if 0 < count <= 12 and fact.spec["pred"] != "all" else ""
    return Verdict(fact, "holds" if holds else "fails", str(count), detail)


def _share(tables: Tables, fact: Fact) -> Verdict:
    item, scope = fact.item, _scope(fact)
    bodies = tables.in_scope(item, scope)
    count = sum(tables.satisfies(item, b, fact.spec["pred"]) for b in bodies)
    share = Fraction(100 * count, len(bodies))
    if fact.spec.get("cmp") == "gt50":
        holds, shown = share > 50, plain(round(share, 2))
    else:
        holds, shown = _number_holds(share, fact.stated, approx=fact.spec.get("cmp") == "approx")
    return Verdict(fact, "holds" if holds else "fails", f"{shown} %", T("narrative.share_of", count=count,
                                                                         total=len(bodies)))


def _average(tables: Tables, fact: Fact) -> Verdict:
    bodies = tables.in_scope(fact.item, _scope(fact))
    mean = sum(bodies.values()) / len(bodies)
    holds, shown = _number_holds(mean, fact.stated)
    return Verdict(fact, "holds" if holds else "fails", shown, T("narrative.mean_of", count=len(bodies)))


def _list(tables: Tables, fact: Fact) -> Verdict:
    item, scope, predicate = fact.item, _scope(fact), fact.spec["pred"]
    bodies = tables.in_scope(item, scope)
    satisfying = {b for b in bodies if tables.satisfies(item, b, predicate)}
    mode = fact.spec.get("mode", "subset")
    if mode == "all":
        named = set(bodies)
    else:
        named = set(_named_codes(fact, tables))
    expected = set(bodies) - named if mode == "complement" else named
    wrong = sorted((expected - satisfying) if mode in ("subset", "all") else (expected ^ satisfying))
    detail = []
    if expected - satisfying:
        detail.append(T("narrative.named_not", predicate=predicate,
                        bodies=tables.describe(item, sorted(expected - satisfying))))
    if mode in ("exact", "complement") and satisfying - expected:
        detail.append(T("narrative.not_named", predicate=predicate,
                        bodies=tables.describe(item, sorted(satisfying - expected))))
    computed = "|".join(sorted(satisfying)) if mode in ("exact", "complement") else (
        "all named" if not wrong else "|".join(sorted(expected & satisfying)))
    return Verdict(fact, "fails" if wrong else "holds", computed, "; ".join(detail))


def _value(tables: Tables, fact: Fact) -> Verdict:
    (body,) = _named_codes(fact, tables)
    score = tables.scores[fact.item][body]
    if fact.spec.get("cmp") == "max":
        holds = score == tables.maximum(fact.item)
    else:
        holds = score == Fraction(fact.stated)
    return Verdict(fact, "holds" if holds else "fails", plain(score), "")


def _rank(tables: Tables, fact: Fact) -> Verdict:
    """The named bodies are the top (or bottom) n of their group; a tie at the edge may go
    either way."""
    item, n = fact.item, int(fact.spec["n"])
    bodies = tables.in_scope(item, _scope(fact))
    sign = -1 if tables.lower_is_better(item) else 1
    best_first = sorted(bodies, key=lambda b: -sign * bodies[b])
    order = best_first if fact.spec["pos"] == "top" else best_first[::-1]
    edge = bodies[order[n - 1]]
    beyond = (lambda s: sign * s > sign * edge) if fact.spec["pos"] == "top" else (lambda s: sign * s < sign * edge)
    must = {b for b in bodies if beyond(bodies[b])}
    may = must | {b for b in bodies if bodies[b] == edge}
    named = set(_named_codes(fact, tables))
    holds = len(named) == n and must <= named <= may
    return Verdict(fact, "holds" if holds else "fails", "|".join(order[:n]), tables.describe(item, order[:n + 1]))


def _rest_zero(tables: Tables, fact: Fact) -> Verdict:
    """«The others found none»: every body outside the lists at the line the gloss names scores 0."""
    item = fact.item
    line = "L" + fact.named.split("L")[-1].rstrip(")") if "L" in fact.named else ""
    named = {b for other in tables.facts if other.line == line and other.item == item for b in other.bodies}
    others = [b for b in tables.scores[item] if b not in named]
    nonzero = [b for b in others if tables.scores[item][b] != 0]
    return Verdict(fact, "fails" if nonzero or not named else "holds", f"{len(others) - len(nonzero)} of "
                   f"{len(others)} at 0", tables.describe(item, nonzero))


def _worst_indicators(tables: Tables, fact: Fact) -> Verdict:
    """The named indicators are the ones with the lowest mean share of their maximum
    (a penalty's share is how much of it was spared)."""
    m = tables.methodology
    shares = {}
    for indicator in m.indicators:
        scores = tables.scores[indicator.id].values()
        share = sum(scores) / len(scores) / indicator.maximum
        shares[indicator.id] = 1 - share if indicator.role == "penalty" else share
    worst = sorted(shares, key=shares.get)[:len(fact.bodies)]
    holds = set(worst) == set(fact.bodies)
    return Verdict(fact, "holds" if holds else "fails", "|".join(worst),
                   ", ".join(f"{i}={plain(round(shares[i], 3))}" for i in worst))


def check(methodology: Methodology, source) -> list[Verdict]:
    """Every checkable statement of the narrative, evaluated on the printed tables."""
    tables = Tables(methodology, source)
    return [evaluate(tables, fact) for fact in tables.facts + tables.previous_year]
