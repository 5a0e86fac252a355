"""Load a year's methodology TOML file and validate it.

Validation collects every problem and reports them together, one precise sentence each,
so a methodologist editing the file sees all mistakes at once.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import tomllib
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from ..core.exact import plain, to_fraction
from ..core.kinds import FIXED_INPUTS, KINDS
from ..texts import text as T
from .model import (CELL_REFERENCE, COLUMN_WIDTH, DEFAULT_YEAR, EXCEL_NAME, HERE, INPUT_TYPES, MAX_SAMPLES, ROLES, Criterion, Cycle,
                    Indicator, InputSpec, Methodology, MethodologyError, Option, RatingBand, TierBand, Uncertainty)


def _fraction(value: Any, where: str, problems: list[str]) -> Fraction | None:
    try:
        return to_fraction(value)
    except (ValueError, TypeError):
        problems.append(T("loader.not_number", where=where, value=repr(value)))
        return None


def _whole(value: Any, key: str, low: int, high: int, problems: list[str], default: int) -> int:
    """A whole number from `low` to `high` (2.9 is not 2, "abc" is no year), else a problem naming the key."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(T("loader.whole_in_range", setting=key, value=repr(value), low=low, high=high))
        return default
    return value


def available_years() -> list[int]:
    """Years for which a methodology file ships with the package."""
    return sorted(int(p.stem) for p in HERE.glob("*.toml") if p.stem.isdigit())


# A methodology is some 50 KB; read no more than this, so that a huge file is refused unread.
MAX_BYTES = 2 * 1024 * 1024


@lru_cache(maxsize=8)
def load(year_or_path: int | str | Path = DEFAULT_YEAR) -> Methodology:
    """Load and validate a methodology: a year shipped with the package, or a TOML path."""
    path = Path(year_or_path) if not isinstance(year_or_path, int) else HERE / f"{year_or_path}.toml"
    if not path.exists():
        raise FileNotFoundError(T("loader.no_file", path=path, years=", ".join(map(str, available_years()))))
    with open(path, "rb") as handle:
        raw_bytes = handle.read(MAX_BYTES + 1)
    if len(raw_bytes) > MAX_BYTES:
        raise MethodologyError(path, [T("loader.too_large", size=f"{path.stat().st_size:,}", limit=f"{MAX_BYTES:,}")])
    if raw_bytes[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise MethodologyError(path, [T("loader.not_utf8", encoding="UTF-16")])
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MethodologyError(path, [T("loader.not_utf8", encoding=f"byte {raw_bytes[error.start]:#04x} at {error.start}")]) \
            from None
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise MethodologyError(path, [T("loader.not_toml", error=error)]) from None
    return parse(data, path=str(path), sha256=hashlib.sha256(raw_bytes).hexdigest())


# Every table and key a methodology file may have: a key not here is a typing error
# (grade_c_belw) that would otherwise be ignored and silently change a result.
SCHEMA = {
    "": {"methodology", "cycle", "rounding", "roadmap", "robustness", "grades", "inputs", "index", "tiers", "records",
         "criteria", "indicators"},
    "methodology": {"year", "title_ru", "title_en", "title_kk", "source", "name_kk_status", "body_types",
                    "body_type_labels", "body_type_labels_kk"},
    "cycle": {"source_data_by", "appeals_until", "final_by"},
    "rounding": {"decimals"},
    "roadmap": {"required_below_rating"},
    "robustness": {"samples", "seed"},
    "grades": {"labels"},
    "inputs": {"at_most"},
    "index": {"ratings", "fallback", "fallback_provisional", "rating_ranges"},
    "tiers": {"order", "words", "fallback", "percent", "inverse_points"},
    "records": {"late_review_kinds", "percent_decimals", "redirect_limit_working_days", "request_kind", "satisfied_from",
                "within_months", "unanswered_overdue"},
    "criteria": {"id", "order", "maximum", "grade_a_from", "grade_c_below", "name_ru", "name_kk", "name_en", "short_ru",
                 "short_kk", "short_en", "column_ru", "column_kk", "column_en"},
    "indicators": {"id", "order", "udf", "criterion", "kind", "role", "maximum", "params", "inputs", "tiers", "provisional",
                   "confidence", "source", "name_ru", "name_kk", "name_en", "short_ru", "short_kk", "short_en",
                   "supplier", "supplier_named", "supplier_source", "alternatives", "ranges", "robustness_note",
                   "sums_at_most"},
}


def _unknown_keys(data: Mapping[str, Any], problems: list[str]) -> None:
    """A problem for every key the schema does not know, with the nearest known one."""
    def check(table: Mapping, known: set[str], where: str) -> None:
        for key in table:
            if key not in known:
                near = difflib.get_close_matches(key, sorted(known), n=1)
                problems.append(T("loader.unknown_key", setting=f"{where}{key}",
                                  hint=T("loader.did_you_mean", near=near[0]) if near else ""))

    check(data, SCHEMA[""], "")
    for table in SCHEMA[""] - {"criteria", "indicators"}:
        if isinstance(data.get(table), Mapping):
            check(data[table], SCHEMA[table], f"[{table}] ")
    for table in ("criteria", "indicators"):
        for raw in data.get(table, []) if isinstance(data.get(table), list) else []:
            if isinstance(raw, Mapping):
                check(raw, SCHEMA[table], f"[[{table}]] {raw.get('id', '?')} → ")


def parse(data: Mapping[str, Any], path: str = "<memory>", sha256: str = "") -> Methodology:
    """Build a Methodology from already-parsed TOML data, raising MethodologyError with every problem."""
    problems: list[str] = []
    _unknown_keys(data, problems)
    head = data.get("methodology", {})
    body_types, body_type_labels, body_type_labels_kk = _parse_body_types(head, problems)
    decimals = _whole(data.get("rounding", {}).get("decimals", 2), "rounding.decimals", 0, 6, problems, 2)
    year = _whole(head.get("year", 0), "methodology.year", 2000, 2100, problems, 0)

    tier_order, tier_schemes, tier_words = _parse_tiers(data.get("tiers", {}), problems)
    ratings = _parse_ratings(data.get("index", {}), problems)
    rating_uncertainties = _parse_rating_ranges(data.get("index", {}), ratings, problems)
    robustness = _parse_robustness(data.get("robustness", {}), problems)
    ceiling = _fraction(data["inputs"]["at_most"], "inputs.at_most", problems) if "at_most" in data.get("inputs", {}) else None
    indicators = [_parse_indicator(raw, tier_schemes, body_types, problems, ceiling) for raw in data.get("indicators", [])]
    indicators = [i for i in indicators if i is not None]
    labels = tuple(data.get("grades", {}).get("labels", ()))
    if len(labels) != 3 or len(set(labels)) != 3:
        problems.append(T("loader.grade_labels", labels=list(labels)))
        labels = ("А", "В", "С")
    criteria = _parse_criteria(data.get("criteria", []), indicators, problems, labels)
    cycle = _parse_cycle(data.get("cycle"), problems)
    records = _parse_records(data.get("records", {}), problems)
    roadmap_below = data.get("roadmap", {}).get("required_below_rating")
    rating_names = [b.rating for b in ratings] + [data.get("index", {}).get("fallback", "")]
    if roadmap_below is not None and roadmap_below not in rating_names:
        problems.append(T("loader.roadmap_rating", rating=repr(roadmap_below), known=", ".join(rating_names)))

    _check_unique(indicators, problems)
    if problems:
        raise MethodologyError(path, problems)
    indicators.sort(key=lambda i: i.order)
    return Methodology(
        year=year,
        title_ru=head.get("title_ru", ""),
        title_en=head.get("title_en", ""),
        name_kk_status=head.get("name_kk_status", ""),
        source=head.get("source", ""),
        body_types=body_types,
        decimals=decimals,
        tier_order=tier_order,
        tier_words=tier_words,
        tier_schemes=tier_schemes,
        ratings=ratings,
        criteria=tuple(sorted(criteria, key=lambda c: c.order)),
        indicators=tuple(indicators),
        path=path,
        sha256=sha256,
        records=records,
        _by_id={i.id: i for i in indicators},
        body_type_labels=body_type_labels,
        body_type_labels_kk=body_type_labels_kk,
        cycle=cycle,
        roadmap_below_rating=roadmap_below,
        rating_uncertainties=rating_uncertainties,
        robustness=robustness,
    )


# How `aggregate` counts an appeal never answered whose deadline passed in the assessed year
# (the first is the default): reviewed late, or left out of both counts.
UNANSWERED_OVERDUE = ("late", "left_out")


def _parse_body_types(head: Mapping, problems: list[str]):
    """(the body types, their spellings, their Kazakh labels), each label of a declared type."""
    body_types = tuple(head.get("body_types", ("CGO", "MIO")))
    labels = {code: tuple(spellings) for code, spellings in head.get("body_type_labels", {}).items()}
    for code in labels:
        if code not in body_types:
            problems.append(T("loader.body_type_label", code=repr(code), known=", ".join(body_types)))
    labels_kk = dict(head.get("body_type_labels_kk", {}))
    for code, label in labels_kk.items():
        if label not in labels.get(code, ()):
            problems.append(T("loader.body_type_label_kk", code=code, label=repr(label)))
    return body_types, labels, labels_kk


def _parse_robustness(raw: Mapping, problems: list[str]) -> dict:
    """[robustness]: samples a whole number within bounds, the seed a whole number ≥ 0."""
    robustness = dict(raw)
    if "samples" in robustness:
        robustness["samples"] = _whole(robustness["samples"], "robustness.samples", 1, MAX_SAMPLES, problems, 1)
    if not isinstance(robustness.get("seed", 1), int) or robustness.get("seed", 1) < 0:
        problems.append(T("loader.robustness_whole", setting="seed", least=0))
    return robustness


def _parse_records(raw: Mapping, problems: list[str]) -> dict:
    """[records], with `unanswered_overdue` one of UNANSWERED_OVERDUE (the first by default)."""
    records = dict(raw)
    if records.get("unanswered_overdue", UNANSWERED_OVERDUE[0]) not in UNANSWERED_OVERDUE:
        problems.append(T("loader.unanswered_overdue", value=repr(records["unanswered_overdue"]),
                          allowed=", ".join(UNANSWERED_OVERDUE)))
    records.setdefault("unanswered_overdue", UNANSWERED_OVERDUE[0])
    return records


def _check_unique(indicators, problems: list[str]) -> None:
    """No two indicators share an id, an Excel function name or an order."""
    seen: dict[str, str] = {}
    for indicator in indicators:
        for key, label in ((indicator.id, "id"), (indicator.udf, "udf")):
            if key in seen:
                problems.append(T("loader.used_twice", indicator=indicator.id, label=label, value=repr(key)))
            seen[key] = indicator.id
    orders = [i.order for i in indicators]
    if len(set(orders)) != len(orders):
        problems.append(T("loader.orders", orders=sorted(orders)))


def _parse_cycle(raw: Mapping | None, problems: list[str]) -> Cycle | None:
    if raw is None:
        return None
    names = ("source_data_by", "appeals_until", "final_by")
    dates = []
    for name in names:
        value = raw.get(name)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            problems.append(T("loader.cycle_date", name=name, value=repr(value)))
            return None
        dates.append(value)
    if not dates[0] <= dates[1] <= dates[2]:
        problems.append(T("loader.cycle_backwards", dates=", ".join(f"{n} {d}" for n, d in zip(names, dates))))
        return None
    return Cycle(*dates)


def _parse_tiers(raw: Mapping, problems: list[str]):
    order = tuple(raw.get("order", ()))
    if len(order) < 2:
        problems.append(T("loader.tiers_order"))
    schemes: dict[str, tuple[tuple[TierBand, ...], str]] = {}
    percent = []
    previous = None
    for band in raw.get("percent", []):
        share = _fraction(band.get("at_least_share"), f"tiers.percent {band.get('tier')}", problems)
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
                value = _fraction(band[keys[0]], f"tiers.{name} {band.get('tier')}", problems)
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


def _parse_ratings(raw: Mapping, problems: list[str]) -> tuple[RatingBand, ...]:
    bands = []
    previous = None
    for band in raw.get("ratings", []):
        lower = _fraction(band.get("from"), T("loader.where.rating", rating=band.get("rating")), problems)
        if lower is not None and previous is not None and lower >= previous:
            problems.append(T("loader.ratings_descend", rating=band.get("rating"), lower=lower, previous=previous))
        previous = lower
        bands.append(RatingBand(band.get("rating", ""), lower, bool(band.get("provisional", False))))
    if not bands:
        problems.append(T("loader.ratings_empty"))
    bands.append(RatingBand(raw.get("fallback", ""), None, bool(raw.get("fallback_provisional", False))))
    return tuple(bands)


def _parse_input(raw: Mapping, where: str, problems: list[str], ceiling: Fraction | None = None) -> InputSpec | None:
    name = raw.get("name")
    if not name or not re.match(r"^[a-z][a-z0-9_]*$", str(name)):
        problems.append(T("loader.input_name", where=where, name=repr(name)))
        return None
    where = T("loader.where.input", where=where, name=name)
    kind = raw.get("type")
    if kind not in INPUT_TYPES:
        problems.append(T("loader.input_type", where=where, type=repr(kind), known=", ".join(INPUT_TYPES)))
    low = _fraction(raw["min"], where, problems) if "min" in raw else None
    high = _fraction(raw["max"], where, problems) if "max" in raw else None
    if low is not None and high is not None and low >= high:
        problems.append(T("loader.min_max", where=where, low=low, high=high))
    choices = tuple(c for c in (_fraction(c, where, problems) for c in raw.get("choices", [])) if c is not None)
    if kind == "choice" and not choices:
        problems.append(T("loader.choices", where=where))
    if not raw.get("unit"):
        problems.append(T("loader.unit", where=where))
    if not raw.get("description_ru"):
        problems.append(T("loader.description", where=where))
    if raw.get("better", "more") not in ("more", "less"):
        problems.append(T("loader.better", where=where, value=repr(raw["better"])))
    return InputSpec(
        name=name,
        type=kind,
        unit=raw.get("unit", ""),
        description_ru=raw.get("description_ru", ""),
        description_en=raw.get("description_en", ""),
        description_kk=raw.get("description_kk", ""),
        min=low,
        max=high,
        choices=choices,
        part_of=raw.get("part_of"),
        ceiling=ceiling if high is None and kind in ("integer", "decimal") else None,
        better=raw.get("better"),
    )


def _parse_indicator(raw: Mapping, tier_schemes, body_types, problems: list[str], ceiling: Fraction | None = None) -> Indicator | None:
    ident = raw.get("id", "?")
    where = T("where.indicator", indicator=ident)
    missing = [k for k in ("id", "criterion", "order", "role", "maximum", "name_ru", "short_ru", "udf", "kind", "inputs",
                                "supplier", "supplier_source") if k not in raw]
    if missing:
        problems.append(T("loader.missing", where=where, keys=", ".join(missing)))
        return None
    kind = KINDS.get(raw["kind"])
    if kind is None:
        problems.append(T("loader.unknown_kind", where=where, formula=repr(raw["kind"]), known=", ".join(KINDS)))
        return None
    maximum = _fraction(raw["maximum"], where, problems)
    if maximum is None or maximum <= 0:
        problems.append(T("loader.maximum", where=where))
        return None
    _check_names(raw, where, problems)
    udf = str(raw["udf"])
    inputs = tuple(i for i in (_parse_input(r, where, problems, ceiling) for r in raw["inputs"]) if i is not None)
    names = [i.name for i in inputs]
    sums_at_most = _check_inputs(raw, inputs, where, problems)
    params = raw.get("params", {})
    _check_params(kind, params, names, maximum, body_types, where, problems)
    uncertainties = _parse_uncertainties(raw, ident, kind, maximum, params, problems)
    tier_scheme = raw.get("tiers", "percent")
    if tier_scheme not in tier_schemes:
        problems.append(T("loader.tier_scheme", where=where, scheme=repr(tier_scheme), known=", ".join(tier_schemes)))
    return Indicator(
        id=ident,
        criterion=raw["criterion"],
        order=int(raw["order"]),
        role=raw["role"],
        maximum=maximum,
        name_ru=raw["name_ru"],
        name_en=raw.get("name_en", ""),
        name_kk=raw.get("name_kk", ""),
        short_ru=raw.get("short_ru", ""),
        short_kk=raw.get("short_kk", ""),
        short_en=raw.get("short_en", ""),
        udf=udf,
        confidence=raw.get("confidence", ""),
        provisional=bool(raw.get("provisional", False)),
        source=raw.get("source", ""),
        kind=kind,
        params=params,
        inputs=inputs,
        tier_scheme=tier_scheme,
        sums_at_most=sums_at_most,
        supplier=str(raw["supplier"]),
        supplier_source=str(raw["supplier_source"]),
        supplier_named=bool(raw.get("supplier_named", True)),
        uncertainties=uncertainties,
        robustness_note=str(raw.get("robustness_note", "")),
    )


def _check_names(raw: Mapping, where: str, problems: list[str]) -> None:
    """The role, the short names (sheet names of at most 31 characters, no [ ] : * ? / \\) and
    the Excel function's name."""
    if raw["role"] not in ROLES:
        problems.append(T("loader.role", where=where, role=repr(raw["role"]), known=", ".join(ROLES)))
    for key in ("short_ru", "short_kk", "short_en"):
        short = str(raw.get(key, ""))
        if len(f"{raw['order']}. {short}") > 31 or re.search(r"[\[\]:*?/\\]", short):
            problems.append(T("loader.sheet_name", where=where, setting=key, short=repr(short)))
    udf = str(raw["udf"])
    if not EXCEL_NAME.match(udf) or CELL_REFERENCE.match(udf):
        problems.append(T("loader.udf", where=where, udf=repr(udf)))


def _check_inputs(raw: Mapping, inputs, where: str, problems: list[str]) -> tuple:
    """The inputs' names (unique, none reserved, every part_of and sums_at_most naming one of
    them); the sums_at_most as (parts, whole) pairs."""
    names = [i.name for i in inputs]
    if len(set(names)) != len(names):
        problems.append(T("loader.names_repeat", where=where, names=names))
    if "score" in names or "body_type" in names:
        problems.append(T("loader.reserved", where=where))
    for spec in inputs:
        if spec.part_of is not None and spec.part_of not in names:
            problems.append(T("loader.part_of", where=T("loader.where.input", where=where, name=spec.name),
                              name=repr(spec.part_of)))
    sums_at_most = tuple((tuple(r.get("parts", ())), r.get("whole", "")) for r in raw.get("sums_at_most", []))
    for parts, whole in sums_at_most:
        for name in (*parts, whole):
            if name not in names:
                problems.append(T("loader.sums_at_most", where=where, name=repr(name)))
    return sums_at_most


def _check_params(kind, params: Mapping, names: list[str], maximum: Fraction, body_types, where: str,
                  problems: list[str]) -> None:
    """The kind's parameters: those it requires, every input they name declared and every
    input read, the kind's own check (once the rest is sound), the body types of band tables."""
    for key in kind.required:
        if key not in params:
            problems.append(T("loader.needs_param", where=where, formula=kind.name, setting=repr(key)))
    referenced = [params[p] for p in kind.input_params if p in params]
    referenced += list(FIXED_INPUTS.get(kind.name, ()))
    referenced += list(params.get("weights", {}) if kind.name == "weighted_shares" else [])
    referenced += [n for c in params.get("components", []) for n in c.get("when", [])]
    referenced += list(params.get("parts", [])) + list(params.get("coefficients", []))
    for name in referenced:
        if name not in names:
            problems.append(T("loader.unknown_input", where=where, name=repr(name), names=", ".join(names)))
    for name in names:
        if referenced and name not in referenced:
            problems.append(T("loader.unread_input", where=where, name=repr(name)))
    if not problems or all(not p.startswith(where) for p in problems):
        try:
            problems.extend(f"{where}: {p}" for p in kind.check(params, maximum))
        except (KeyError, TypeError, ValueError) as error:
            problems.append(T("loader.malformed", where=where, error=error))
    for body_type in params.get("bands_by_body_type", {}):
        if body_type not in body_types:
            problems.append(T("loader.bands_body_type", where=where, type=repr(body_type), known=", ".join(body_types)))


def _grid(raw: Mapping, where: str, problems: list[str]) -> list[Fraction]:
    """The values of a declared range: from, from + step, …, up to and including to."""
    low, high, step = (_fraction(raw.get(key), f"{where} {key}", problems) for key in ("from", "to", "step"))
    if low is None or high is None or step is None:
        return []
    if step <= 0 or high < low or (high - low) / step > 1000 or ((high - low) / step).denominator != 1:
        problems.append(T("loader.grid", where=where, low=plain(low), high=plain(high), step=plain(step)))
        return []
    return [low + k * step for k in range(int((high - low) / step) + 1)]


def _labels(raw: Mapping, where: str, problems: list[str]) -> tuple[str, str]:
    if not raw.get("label_ru"):
        problems.append(T("loader.label_ru", where=where))
    return str(raw.get("label_ru", "")), str(raw.get("label_en", ""))


def _parse_uncertainties(raw: Mapping, ident: str, kind, maximum: Fraction, params: Mapping,
                         problems: list[str]) -> tuple[Uncertainty, ...]:
    """An indicator's `alternatives` (other readings of its parameters) and `ranges` (one
    parameter over a grid), each checked by the kind like the declared parameters."""
    where = T("where.indicator", indicator=ident)
    found: list[Uncertainty] = []

    def checked(changes: Mapping, label: str) -> bool:
        unknown = [key for key in changes if key not in params]
        if unknown:
            problems.append(T("loader.not_param_alternative", where=f"{where} {label}", keys=", ".join(unknown)))
            return False
        moved = [p for p in kind.input_params if p in changes and changes[p] != params.get(p)]
        if moved:
            problems.append(T("loader.moves_inputs", where=f"{where} {label}", params=", ".join(moved)))
            return False
        try:
            problems.extend(f"{where} {label}: {p}" for p in kind.check({**params, **changes}, maximum))
        except (KeyError, TypeError, ValueError) as error:
            problems.append(T("loader.malformed", where=f"{where} {label}", error=error))
        return True

    if "alternatives" in raw:
        table = raw["alternatives"]
        label_ru, label_en = _labels(table, T("loader.where.alternatives", where=where), problems)
        options = [Option(T("loader.where.declared", "ru"), T("loader.where.declared", "en"), {}, T("loader.where.declared", "kk"))]
        for number, option in enumerate(table.get("options", []), start=1):
            label = T("loader.where.alternative", number=number)
            if checked(option.get("params", {}), label):
                options.append(Option(*_labels(option, f"{where} {label}", problems), dict(option.get("params", {})),
                                      str(option.get("label_kk", ""))))
        if len(options) < 2:
            problems.append(T("loader.no_option", where=where))
        found.append(Uncertainty(ident, ident, label_ru, label_en, tuple(options), label_kk=str(table.get("label_kk", ""))))
    for spec in raw.get("ranges", []):
        name = spec.get("param", "")
        label = T("loader.where.range", name=name)
        grid = _grid(spec, f"{where} {label}", problems)
        if name not in params:
            problems.append(T("loader.not_param", where=f"{where} {label}", name=repr(name)))
            continue
        declared = to_fraction(params[name])
        if grid and declared not in grid:
            problems.append(T("loader.declared_not_step", where=f"{where} {label}", value=plain(declared)))
            continue
        options = [Option(f"{name} = {plain(value).replace('.', ',')}", f"{name} = {plain(value)}", {name: value},
                          f"{name} = {plain(value).replace('.', ',')}")
                   for value in grid]
        if grid and all(checked(o.changes, T("loader.where.at", label=label, value=plain(o.changes[name]))) for o in options):
            found.append(Uncertainty(f"{ident}:{name}", ident, *_labels(spec, f"{where} {label}", problems),
                                     tuple(options), grid.index(declared), str(spec.get("label_kk", ""))))
    return tuple(found)


def _parse_rating_ranges(raw: Mapping, ratings: tuple[RatingBand, ...], problems: list[str]) -> tuple[Uncertainty, ...]:
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
        grid = _grid(spec, where, problems)
        if grid and declared[rating] not in grid:
            problems.append(T("loader.edge_not_step", where=where, value=plain(declared[rating])))
            continue
        if grid:
            spans[rating] = (grid[0], grid[-1])
            options = tuple(Option(f"{rating} от {plain(v).replace('.', ',')}", f"{rating} from {plain(v)}", {rating: v},
                                   f"{rating} {plain(v).replace('.', ',')} бастап")
                            for v in grid)
            found.append(Uncertainty(f"index:{rating}", "index", *_labels(spec, where, problems), options,
                                     grid.index(declared[rating]), str(spec.get("label_kk", ""))))
    names = [b.rating for b in ratings if b.lower is not None]
    for upper, lower in zip(names, names[1:]):
        if spans[lower][1] >= spans[upper][0]:
            problems.append(T("loader.ranges_overlap", lower=lower, reach=plain(spans[lower][1]), upper=upper,
                              start=plain(spans[upper][0])))
    return tuple(found)


def _parse_criteria(raws, indicators: list[Indicator], problems: list[str], labels: tuple) -> list[Criterion]:
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
        maximum = _fraction(raw.get("maximum"), where, problems) or Fraction(0)
        scored = sum((i.maximum for i in members if i.role == "score"), Fraction(0))
        if scored != maximum:
            problems.append(T("loader.criterion_sum", where=where, maximum=maximum, scored=scored,
                              terms=" + ".join(f"{i.id} {i.maximum}" for i in members if i.role == "score")))
        a_edge = _fraction(raw.get("grade_a_from"), where, problems) or Fraction(0)
        c_edge = _fraction(raw["grade_c_below"], where, problems) if "grade_c_below" in raw else None
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
