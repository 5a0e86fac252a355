"""Load a year's methodology TOML file and validate it.

Validation collects every problem and reports them together, one precise sentence each,
so a methodologist editing the file sees all mistakes at once.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from ..bounded import read_at_most, size_over
from ..texts import text as T
from .indicators import parse_indicator
from .model import DEFAULT_YEAR, HERE, MAX_SAMPLES, Cycle, Methodology, MethodologyError
from .scales import parse_criteria, parse_rating_ranges, parse_ratings, parse_tiers
from .settings import read_number, read_whole


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
    raw_bytes = read_at_most(path, MAX_BYTES)
    if raw_bytes is None:
        raise MethodologyError(path, [T("loader.too_large", size=size_over(path, MAX_BYTES), limit=f"{MAX_BYTES:,}")])
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
                "within_months", "unanswered_overdue", "time_zone"},
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
    decimals = read_whole(data.get("rounding", {}).get("decimals", 2), "rounding.decimals", 0, 6, problems, 2)
    year = read_whole(head.get("year", 0), "methodology.year", 2000, 2100, problems, 0)

    tier_order, tier_schemes, tier_words = parse_tiers(data.get("tiers", {}), problems)
    ratings = parse_ratings(data.get("index", {}), problems)
    rating_uncertainties = parse_rating_ranges(data.get("index", {}), ratings, problems)
    robustness = _parse_robustness(data.get("robustness", {}), problems)
    ceiling = read_number(data["inputs"]["at_most"], "inputs.at_most", problems) if "at_most" in data.get("inputs", {}) else None
    indicators = [parse_indicator(raw, tier_schemes, body_types, problems, ceiling) for raw in data.get("indicators", [])]
    indicators = [i for i in indicators if i is not None]
    labels = tuple(data.get("grades", {}).get("labels", ()))
    if len(labels) != 3 or len(set(labels)) != 3:
        problems.append(T("loader.grade_labels", labels=list(labels)))
        labels = ("А", "В", "С")
    criteria = parse_criteria(data.get("criteria", []), indicators, problems, labels)
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
        robustness["samples"] = read_whole(robustness["samples"], "robustness.samples", 1, MAX_SAMPLES, problems, 1)
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


