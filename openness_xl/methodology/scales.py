"""The grading scales of a methodology file: the tiers and their words, the index's ratings
and the ranges of their provisional edges, the criteria with their grade edges."""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from ..texts import text as T
from .model import COLUMN_WIDTH, Criterion, Indicator, Option, RatingBand, TierBand, Uncertainty
from .settings import read_grid, read_labels, read_number
from ..core.exact import plain


def parse_tiers(raw: Mapping, problems: list[str]):
    """[tiers]: (their order, best first; the schemes {name: (bands, fallback)}; their words)."""
    order = tuple(raw.get("order", ()))
    if len(order) < 2:
        problems.append(T("loader.tiers_order"))
    schemes: dict[str, tuple[tuple[TierBand, ...], str]] = {}
    percent = []
    previous = None
    for band in raw.get("percent", []):
        share = read_number(band.get("at_least_share"), f"tiers.percent {band.get('tier')}", problems)
        if share is not None and not (0 < share <= 1):
            problems.append(T("loader.share_range", tier=band.get("tier"), share=share))
        if share is not None and previous is not None and share >= previous:
            problems.append(T("loader.share_descend", tier=band.get("tier"), share=share, previous=previous))
        previous = share
        percent.append(TierBand(tier=band.get("tier"), at_least_share=share))
    schemes["percent"] = (tuple(percent), raw.get("fallback", ""))
    for name, scheme in raw.items():
        if isinstance(scheme, Mapping) and "bands" in scheme:
            bands = []
            for band in scheme["bands"]:
                keys = [k for k in ("below", "at_most") if k in band]
                if len(keys) != 1:
                    problems.append(T("loader.one_edge", scheme=name, tier=band.get("tier")))
                    continue
                value = read_number(band[keys[0]], f"tiers.{name} {band.get('tier')}", problems)
                bands.append(TierBand(tier=band.get("tier"), **{keys[0]: value}))
            edges = [b.below if b.below is not None else b.at_most for b in bands]
            if None not in edges and edges != sorted(edges):
                problems.append(T("loader.edges_rise", scheme=name, edges=[str(e) for e in edges]))
            schemes[name] = (tuple(bands), scheme.get("fallback", ""))
    for name, (bands, fallback) in schemes.items():
        for tier in [b.tier for b in bands] + [fallback]:
            if tier not in order:
                problems.append(T("loader.tier_unknown", scheme=name, tier=repr(tier), order=list(order)))
    return order, schemes, _tier_words(raw.get("words", {}), order, problems)


def _tier_words(raw: Mapping, order: tuple[str, ...], problems: list[str]) -> dict[str, dict[str, str]]:
    """{tier: {language: word}}: every tier of `order` in Kazakh and English, and in Russian
    its own name; a tier not in `order` or a word missing is an error."""
    words = {}
    for tier in raw:
        if tier not in order:
            problems.append(T("loader.tier_unknown", scheme="words", tier=repr(tier), order=list(order)))
    for tier in order:
        given = raw.get(tier, {})
        missing = [lang for lang in ("kk", "en") if not (isinstance(given, Mapping) and isinstance(given.get(lang), str)
                                                         and given[lang].strip())]
        if missing:
            problems.append(T("loader.tier_words", tier=repr(tier), languages=", ".join(missing)))
            continue
        words[tier] = {"ru": tier, "kk": given["kk"].strip(), "en": given["en"].strip()}
    return words


def parse_ratings(raw: Mapping, problems: list[str]) -> tuple[RatingBand, ...]:
    """[index] ratings, best first, their lower edges descending, then the fallback."""
    bands = []
    previous = None
    for band in raw.get("ratings", []):
        lower = read_number(band.get("from"), T("loader.where.rating", rating=band.get("rating")), problems)
        if lower is not None and previous is not None and lower >= previous:
            problems.append(T("loader.ratings_descend", rating=band.get("rating"), lower=lower, previous=previous))
        previous = lower
        bands.append(RatingBand(band.get("rating", ""), lower, bool(band.get("provisional", False))))
    if not bands:
        problems.append(T("loader.ratings_empty"))
    bands.append(RatingBand(raw.get("fallback", ""), None, bool(raw.get("fallback_provisional", False))))
    return tuple(bands)


def parse_rating_ranges(raw: Mapping, ratings: tuple[RatingBand, ...], problems: list[str]) -> tuple[Uncertainty, ...]:
    """`index.rating_ranges`: the lower edge of a provisional rating over a grid. Every choice of
    every range must keep the bands descending, so a sample can never give an impossible scale."""
    found = []
    declared = {b.rating: b.lower for b in ratings if b.lower is not None}
    spans = dict((rating, (lower, lower)) for rating, lower in declared.items())
    for spec in raw.get("rating_ranges", []):
        rating = spec.get("rating", "")
        where = f"index.rating_ranges {rating!r}"
        if rating not in declared:
            problems.append(T("loader.not_rating_edge", where=where, known=", ".join(declared)))
            continue
        grid = read_grid(spec, where, problems)
        if grid and declared[rating] not in grid:
            problems.append(T("loader.edge_not_step", where=where, value=plain(declared[rating])))
            continue
        if grid:
            spans[rating] = (grid[0], grid[-1])
            options = tuple(Option(f"{rating} от {plain(v).replace('.', ',')}", f"{rating} from {plain(v)}", {rating: v},
                                   f"{rating} {plain(v).replace('.', ',')} бастап")
                            for v in grid)
            found.append(Uncertainty(f"index:{rating}", "index", *read_labels(spec, where, problems), options,
                                     grid.index(declared[rating]), str(spec.get("label_kk", ""))))
    names = [b.rating for b in ratings if b.lower is not None]
    for upper, lower in zip(names, names[1:]):
        if spans[lower][1] >= spans[upper][0]:
            problems.append(T("loader.ranges_overlap", lower=lower, reach=plain(spans[lower][1]), upper=upper,
                              start=plain(spans[upper][0])))
    return tuple(found)


def parse_criteria(raws, indicators: list[Indicator], problems: list[str], labels: tuple) -> list[Criterion]:
    """[[criteria]]: each one's maximum the sum of its scored indicators, its grade edges in order."""
    criteria = []
    known = {raw.get("id") for raw in raws}
    for indicator in indicators:
        if indicator.criterion not in known:
            problems.append(T("loader.criterion_unknown", indicator=indicator.id, criterion=repr(indicator.criterion),
                              known=", ".join(sorted(map(str, known)))))
    for raw in raws:
        ident = raw.get("id", "?")
        where = T("loader.where.criterion", criterion=ident)
        members = sorted((i for i in indicators if i.criterion == ident), key=lambda i: i.order)
        maximum = read_number(raw.get("maximum"), where, problems) or Fraction(0)
        scored = sum((i.maximum for i in members if i.role == "score"), Fraction(0))
        if scored != maximum:
            problems.append(T("loader.criterion_sum", where=where, maximum=maximum, scored=scored,
                              terms=" + ".join(f"{i.id} {i.maximum}" for i in members if i.role == "score")))
        a_edge = read_number(raw.get("grade_a_from"), where, problems) or Fraction(0)
        c_edge = read_number(raw["grade_c_below"], where, problems) if "grade_c_below" in raw else None
        if a_edge > maximum:
            problems.append(T("loader.grade_a", where=where, edge=a_edge, maximum=maximum))
        for code in ("ru", "kk", "en"):
            if len(str(raw.get(f"column_{code}", ""))) > COLUMN_WIDTH:
                problems.append(T("loader.column", where=where, setting=f"column_{code}",
                                  value=repr(raw[f"column_{code}"]), width=COLUMN_WIDTH))
        if c_edge is not None and c_edge >= a_edge:
            problems.append(T("loader.grade_c", where=where, low=c_edge, high=a_edge))
        criteria.append(
            Criterion(ident, int(raw.get("order", 0)), raw.get("short_ru", ""), raw.get("name_ru", ""), raw.get("name_en", ""),
                      maximum, a_edge, c_edge, tuple(i.id for i in members), labels, raw.get("name_kk", ""),
                      raw.get("short_kk", ""), raw.get("short_en", ""),
                      *(str(raw.get(f"column_{code}", "")) for code in ("ru", "kk", "en")))
        )
    return criteria
