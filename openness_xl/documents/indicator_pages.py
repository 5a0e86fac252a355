"""docs/indicators.md, rendered from the methodology so the documentation cannot drift.

Regenerate with `python -m openness_xl.documents.indicator_pages`; a test fails when the committed copy is stale.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..core import grading
from ..core.exact import plain
from ..io.known_errors import RECORDED, documented
from ..methodology import DEFAULT_YEAR, Methodology, load
from ..texts import decimal, term, text as T, using

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _bands(indicator) -> str:
    params = indicator.params
    if "bands_by_body_type" in params:
        return "; ".join(f"{bt}: " + ", ".join(f"≥{plain_any(b['from'])} → {plain_any(b['points'])}" for b in bands)
                         for bt, bands in params["bands_by_body_type"].items())
    if "bands" in params:
        return ", ".join(f"≥{plain_any(b['from'])} → {plain_any(b['points'])}" for b in params["bands"])
    return ""


def plain_any(value) -> str:
    from ..core.exact import to_fraction

    return plain(to_fraction(value))


PAGES = {"en": "indicators.md", "ru": "indicators.ru.md", "kk": "indicators.kk.md"}


def render(methodology: Methodology, lang: str = "en") -> str:
    """The indicators page in the language: every word from the catalogue, every number and
    name from the methodology."""
    with using(lang):
        return _render(methodology, lang)


def _render(methodology: Methodology, lang: str) -> str:
    lines = _overview(methodology, lang)
    for i in methodology.indicators:
        lines += _indicator_section(methodology, i, lang)
    return "\n".join(lines) + "\n"


def _overview(methodology: Methodology, lang: str) -> list[str]:
    """The page's head: tiers, ratings, the criteria and the table of indicators."""
    english = lang == "en"
    scheme, fallback = methodology.tier_schemes["percent"]
    lines = [
        f"# {T('doc.title', year=methodology.year)}",
        "",
        T("doc.generated", file=Path(methodology.path).name) + " " + T("doc.other_pages"),
        "",
        T("doc.tiers", bands=", ".join(f"{methodology.tier_label(b.tier)} ≥ {plain(b.at_least_share * 100)} %" for b in scheme),
          fallback=methodology.tier_label(fallback)),
        "",
        T("doc.ratings", bands=", ".join(f"{b.rating} ≥ {decimal(plain(b.lower))}" + (T("doc.provisional_mark") if b.provisional else "")
                                         for b in methodology.ratings if b.lower is not None),
          fallback=methodology.ratings[-1].rating),
        *_conflicts(methodology, "index"),
        "",
        T("doc.criteria_head"),
        "|---|---|---|---|---|",
    ]
    for c in methodology.criteria:
        name = c.name_ru if english else c.text("name")
        lines.append(f"| {name} (`{c.id}`) | {plain(c.maximum)} | {plain(c.grade_a_from)} | "
                     f"{plain(c.grade_c_below) if c.grade_c_below is not None else '—'} | {len(c.indicators)} |")
    lines += ["", T("doc.indicators_head"), "|---|---|---|---|---|---|---|"]
    for i in methodology.indicators:
        lines.append(f"| {i.order} | `{i.id}` | `{i.udf}` | {plain(i.maximum)} | {term('doc.role', i.role)} | "
                     f"{term('doc.confidence', i.confidence)} | {T('doc.yes') if i.provisional else T('doc.no')} |")
    return lines


def _indicator_section(methodology: Methodology, i, lang: str) -> list[str]:
    """One indicator's section: names, readings, supplier, formula, tiers, inputs."""
    english = lang == "en"
    kazakh = lang == "kk" and i.name_kk
    lines: list[str] = []
    role = T("doc.subtracted") if i.role == "penalty" else T("doc.bonus") if i.role == "bonus" else ""
    lines += ["", f"## {i.order}. {i.name_kk if kazakh else i.name_ru}", "",
              T("doc.heading_line", other=f"*{i.name_en}* — " if english else "", id=i.id, criterion=i.criterion, maximum=plain(i.maximum),
                role=role, source=i.source)]
    if i.name_kk:
        lines += ["", T("doc.in_kazakh", name=i.name_ru if kazakh else i.name_kk,
                        status=methodology.name_kk_status or "перевод")]
    if i.uncertainties:
        readings = "; ".join(
            f"{(u.label_en or u.id) if english else u.text('label')}: "
            f"{', '.join((o.label_en or o.label_ru) if english else o.text() for o in u.options)}"
            for u in i.uncertainties)
        lines += ["", T("doc.readings", readings=readings)]
    elif i.robustness_note:
        lines += ["", T("doc.robustness", note=i.robustness_note)]
    lines += ["", T("doc.supplier", supplier=i.supplier, named="" if i.supplier_named else T("doc.unnamed"),
                    source=i.supplier_source)]
    if i.provisional:
        lines += ["", T("doc.provisional")]
    lines += ["", T("doc.formula", kind_name=i.kind.name, summary=i.kind.summary())]
    bands = _bands(i)
    if bands:
        lines.append(T("doc.bands", bands=bands))
    other = {k: v for k, v in i.params.items() if k not in ("bands", "bands_by_body_type")}
    if other:
        lines.append(T("doc.parameters", parameters=", ".join(f"`{k}` = {_show_param(v)}" for k, v in other.items())))
    edges = grading.tier_edges(methodology, i)
    lines.append(T("doc.indicator_tiers", edges=", ".join(f"{methodology.tier_label(t)} {op} {decimal(plain(e))}"
                                                           for t, e, op in edges)))
    lines += ["", T("doc.inputs_head"), "|---|---|---|---|---|"]
    for spec in i.inputs:
        extra = f" (≤ {spec.part_of})" if spec.part_of else ""
        meaning = f"{spec.description_ru} — {spec.description_en}" if english else spec.text("description")
        lever = T(f"doc.better.{spec.better or 'given'}")
        lines.append(f"| `{spec.name}` | {term('unit', spec.unit)} | {spec.allowed}{extra} | {lever} | {meaning} |")
    lines.append(T("doc.score_row", allowed=T("value.score_range", maximum=decimal(plain(i.maximum)))))
    lines += _conflicts(methodology, i.id)
    return lines


def _conflicts(methodology: Methodology, item: str) -> list[str]:
    """What the report states in words against what the methodology does, and the printed
    values it cannot explain: the documented errors that no computation finds."""
    entries = [e for e in documented(methodology.year) if e.item == item and e.check in (*RECORDED, "unreachable-score")]
    if not entries:
        return []
    lines = ["", T("doc.conflicts"), ""]
    for e in entries:
        said = e.shown("note")
        note = f"{said[:1].upper()}{said[1:]}."
        if e.check == "stated-rule":
            lines.append(T("doc.states", ref=e.ref, line=e.line, published=e.shown("published"),
                           expected=e.shown("expected"), note=note))
        else:
            lines.append(T("doc.printed", ref=e.ref, line=e.line, body=e.body, published=e.published, note=note))
    return lines


def _show_param(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show_param(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show_param(v) for v in value) + "]"
    if isinstance(value, str):
        return value
    return plain_any(value) if not isinstance(value, bool) else str(value).lower()


def main() -> int:
    methodology = load(DEFAULT_YEAR)
    for lang, page in PAGES.items():
        target = DOCS / page
        target.write_text(render(methodology, lang), encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
