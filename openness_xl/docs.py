"""docs/indicators.md, rendered from the methodology so the documentation cannot drift.

Regenerate with `python -m openness_xl.docs`; a test fails when the committed copy is stale.
"""
from __future__ import annotations

import sys
from pathlib import Path

from . import grading
from .exact import plain
from .known_errors import RECORDED, documented
from .methodology import Methodology, load

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _bands(indicator) -> str:
    params = indicator.params
    if "bands_by_body_type" in params:
        return "; ".join(f"{bt}: " + ", ".join(f"≥{plain_any(b['from'])} → {plain_any(b['points'])}" for b in bands)
                         for bt, bands in params["bands_by_body_type"].items())
    if "bands" in params:
        return ", ".join(f"≥{plain_any(b['from'])} → {plain_any(b['points'])}" for b in params["bands"])
    return ""


def plain_any(value) -> str:
    from .exact import to_fraction

    return plain(to_fraction(value))


def render(methodology: Methodology) -> str:
    lines = [
        f"# Indicators of the {methodology.year} methodology",
        "",
        f"Generated from `{Path(methodology.path).name}` by `python -m openness_xl.docs`; do not edit by hand.",
        "",
        "Tiers: " + ", ".join(f"{b.tier} ≥ {plain(b.at_least_share * 100)} %" for b in methodology.tier_schemes["percent"][0])
        + f", else {methodology.tier_schemes['percent'][1]} (of the maximum, compared exactly).",
        "",
        "Index ratings: " + ", ".join(
            f"{b.rating} ≥ {plain(b.lower)}" + (" (provisional)" if b.provisional else "") for b in methodology.ratings if b.lower is not None
        ) + f", else {methodology.ratings[-1].rating}.",
        *_conflicts(methodology, "index"),
        "",
        "| criterion | maximum | А from | С below | indicators |",
        "|---|---|---|---|---|",
    ]
    for c in methodology.criteria:
        lines.append(f"| {c.name_ru} (`{c.id}`) | {plain(c.maximum)} | {plain(c.grade_a_from)} | "
                     f"{plain(c.grade_c_below) if c.grade_c_below is not None else '—'} | {len(c.indicators)} |")
    lines += ["", "| # | id | Excel function | max | role | confidence | provisional |", "|---|---|---|---|---|---|---|"]
    for i in methodology.indicators:
        lines.append(f"| {i.order} | `{i.id}` | `{i.udf}` | {plain(i.maximum)} | {i.role} | {i.confidence} | "
                     f"{'**yes**' if i.provisional else 'no'} |")
    for i in methodology.indicators:
        lines += ["", f"## {i.order}. {i.name_ru}", "", f"*{i.name_en}* — `{i.id}`, criterion `{i.criterion}`, "
                  f"maximum {plain(i.maximum)}" + (" (subtracted)" if i.role == "penalty" else " (bonus)" if i.role == "bonus" else "")
                  + f"; report {i.source}."]
        if i.name_kk:
            lines += ["", f"Қазақша: {i.name_kk} ({methodology.name_kk_status or 'перевод'})."]
        if i.uncertainties:
            lines += ["", "Readings sampled by `openness robustness`: " + "; ".join(
                f"{u.label_en or u.id}: {', '.join(o.label_en or o.label_ru for o in u.options)}" for u in i.uncertainties)
                + "."]
        elif i.robustness_note:
            lines += ["", f"Robustness: {i.robustness_note}."]
        named = "" if i.supplier_named else " — not named by the report; МКИ collects the final data, our reading"
        lines += ["", f"Data supplier: {i.supplier}{named} ({i.supplier_source})."]
        if i.provisional:
            lines += ["", "**Provisional**: part of this formula is inferred from the report, not stated; its "
                          "uncertain numbers are parameters in the methodology file. Give the score directly where "
                          "the authorised body computed it."]
        lines += ["", f"Formula (`{i.kind.name}`): {i.kind.summary}."]
        bands = _bands(i)
        if bands:
            lines.append(f"Bands: {bands}.")
        other = {k: v for k, v in i.params.items() if k not in ("bands", "bands_by_body_type")}
        if other:
            lines.append("Parameters: " + ", ".join(f"`{k}` = {_show_param(v)}" for k, v in other.items()) + ".")
        edges = grading.tier_edges(methodology, i)
        lines.append("Tiers: " + ", ".join(f"{t} {op} {plain(e)}" for t, e, op in edges) + ".")
        lines += ["", "| input | unit | allowed | meaning |", "|---|---|---|---|"]
        for spec in i.inputs:
            extra = f" (≤ {spec.part_of})" if spec.part_of else ""
            lines.append(f"| `{spec.name}` | {spec.unit} | {spec.allowed}{extra} | {spec.description_ru} — {spec.description_en} |")
        lines.append(f"| `score` | points | a score from 0 to {plain(i.maximum)} | the score given directly instead of the inputs |")
        lines += _conflicts(methodology, i.id)
    return "\n".join(lines) + "\n"


def _conflicts(methodology: Methodology, item: str) -> list[str]:
    """What the report states in words against what the methodology does, and the printed
    values it cannot explain: the documented errors that no computation finds."""
    entries = [e for e in documented(methodology.year) if e.item == item and e.check in (*RECORDED, "unreachable-score")]
    if not entries:
        return []
    lines = ["", "Report conflicts (`openness reconcile` lists them too):", ""]
    for e in entries:
        note = f"{e.note[:1].upper()}{e.note[1:]}."
        if e.check == "stated-rule":
            lines.append(f"- **{e.ref}** ({e.line}) the report states {e.published}; the methodology reads: "
                         f"{e.expected}. {note}")
        else:
            lines.append(f"- **{e.ref}** ({e.line}) {e.body} printed {e.published}: {note}")
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
    methodology = load(2025)
    target = DOCS / "indicators.md"
    target.write_text(render(methodology), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
