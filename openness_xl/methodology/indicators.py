"""The indicators of a methodology file: each one's inputs, names, formula kind and its
parameters, and the other readings of them (`alternatives`, `ranges`)."""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Mapping

from ..core.exact import plain, to_fraction
from ..core.kinds import FIXED_INPUTS, KINDS
from ..texts import text as T
from .model import CELL_REFERENCE, EXCEL_NAME, INPUT_TYPES, ROLES, Indicator, InputSpec, Option, Uncertainty
from .settings import read_grid, read_labels, read_number


def _parse_input(raw: Mapping, where: str, problems: list[str], ceiling: Fraction | None = None) -> InputSpec | None:
    name = raw.get("name")
    if not name or not re.match(r"^[a-z][a-z0-9_]*$", str(name)):
        problems.append(T("loader.input_name", where=where, name=repr(name)))
        return None
    where = T("loader.where.input", where=where, name=name)
    kind = raw.get("type")
    if kind not in INPUT_TYPES:
        problems.append(T("loader.input_type", where=where, type=repr(kind), known=", ".join(INPUT_TYPES)))
    low = read_number(raw["min"], where, problems) if "min" in raw else None
    high = read_number(raw["max"], where, problems) if "max" in raw else None
    if low is not None and high is not None and low >= high:
        problems.append(T("loader.min_max", where=where, low=low, high=high))
    choices = tuple(c for c in (read_number(c, where, problems) for c in raw.get("choices", [])) if c is not None)
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


def parse_indicator(raw: Mapping, tier_schemes, body_types, problems: list[str], ceiling: Fraction | None = None) -> Indicator | None:
    """One [[indicators]] table, checked whole; None where it is too broken to describe."""
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
    maximum = read_number(raw["maximum"], where, problems)
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
        label_ru, label_en = read_labels(table, T("loader.where.alternatives", where=where), problems)
        options = [Option(T("loader.where.declared", "ru"), T("loader.where.declared", "en"), {}, T("loader.where.declared", "kk"))]
        for number, option in enumerate(table.get("options", []), start=1):
            label = T("loader.where.alternative", number=number)
            if checked(option.get("params", {}), label):
                options.append(Option(*read_labels(option, f"{where} {label}", problems), dict(option.get("params", {})),
                                      str(option.get("label_kk", ""))))
        if len(options) < 2:
            problems.append(T("loader.no_option", where=where))
        found.append(Uncertainty(ident, ident, label_ru, label_en, tuple(options), label_kk=str(table.get("label_kk", ""))))
    for spec in raw.get("ranges", []):
        name = spec.get("param", "")
        label = T("loader.where.range", name=name)
        grid = read_grid(spec, f"{where} {label}", problems)
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
            found.append(Uncertainty(f"{ident}:{name}", ident, *read_labels(spec, f"{where} {label}", problems),
                                     tuple(options), grid.index(declared), str(spec.get("label_kk", ""))))
    return tuple(found)
