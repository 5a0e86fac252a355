"""What users read of `openness robustness`: its CSV, its table for a terminal and the report's
«Устойчивость» sheet, from a `robustness.Robustness` (which they never compute)."""
from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Mapping

from ..methodology import Methodology
from ..texts import count, text

if TYPE_CHECKING:  # the tables read a result and need none of numpy, which computing it does
    from .robustness import BodyRobustness, Robustness

CSV_COLUMNS_HEAD = ("body", "body_type", "rank", "median_rank", "rank_p5", "rank_p95", "rating")
CSV_COLUMNS_TAIL = ("rank_moved_by", "rank_share", "rating_moved_by", "rating_share")


def _share(value: float) -> str:
    return f"{min(value, 1.0):.4f}"


def csv_columns(result: Robustness) -> tuple[str, ...]:
    """The CSV's columns: the head, one share per rating, the tail."""
    return CSV_COLUMNS_HEAD + tuple(f"share_{label}" for label in result.rating_labels) + CSV_COLUMNS_TAIL


def csv_rows(result: Robustness) -> list[tuple]:
    """One row per body: its declared standing, the sampled spread and what moves it most."""
    rows = []
    for b in result.bodies:
        moved = [(m[0], _share(m[1])) if m else ("", "") for m in (b.rank_moved_by, b.rating_moved_by)]
        rows.append((b.body, b.body_type, b.rank or "", "" if b.median_rank is None else f"{b.median_rank:g}",
                     b.rank_low or "", b.rank_high or "", b.rating or "",
                     *(_share(b.rating_shares[label]) if b.rating_shares else "" for label in result.rating_labels),
                     *moved[0], *moved[1]))
    return rows


def render_csv(result: Robustness) -> str:
    """The result as CSV text."""
    from ..io.writing import csv_text

    return csv_text(csv_columns(result), csv_rows(result))


def _percent(value: float) -> str:
    return f"{round(min(value, 1.0) * 100):d}%"


def _ratings_text(b: BodyRobustness) -> str:
    likely = sorted(((share, label) for label, share in b.rating_shares.items() if share > 0), reverse=True)
    return " ".join(f"{label} {_percent(share)}" for share, label in likely[:2])


def render_text(methodology: Methodology, result: Robustness, type_labels: Mapping[str, str], width: int = 80) -> str:
    """The robustness table for a terminal, in the command line's language: the uncertainties
    numbered U1…, then one line per body, each column as wide as its heading or its values;
    the sentences wrapped at `width`."""
    def words(key: str, **fields) -> str:
        return text(f"robustness_text.{key}", **fields)

    def prose(sentence: str) -> list[str]:
        return textwrap.wrap(sentence, width)

    out = [*prose(words("intro", samples=count(result.samples, "sample"), seed=result.seed)), ""]
    for k, u in enumerate(result.uncertainties, start=1):
        note = words("inactive_mark") if u.id in result.inactive else ""
        out.append(f"U{k:<2} {u.id}: {count(len(u.options), 'option')}{note}")
    if result.inactive:
        out += prose(words("inactive_note"))
    number = {u.id: k for k, u in enumerate(result.uncertainties, start=1)}

    def moved(m) -> str:
        return "—" if m is None else f"U{number[m[0]]} {_percent(m[1])}"

    ordered = sorted(result.bodies, key=lambda b: (methodology.body_types.index(b.body_type), b.rank or 10**6))
    lines = [(b.body, type_labels.get(b.body_type, b.body_type), b.rank, b.median_rank, f"{b.rank_low}–{b.rank_high}",
              b.rating, _ratings_text(b), moved(b.rank_moved_by), moved(b.rating_moved_by))
             for b in ordered if b.rank is not None]
    heads = [words(key) for key in ("body", "type", "rank", "median")] + ["5–95%"] + [
        words(key) for key in ("rating", "sampled", "moves", "moves_rating")]
    widths = [max([len(h)] + [len(f"{line[n]:g}" if n == 3 else str(line[n])) for line in lines]) for n, h in enumerate(heads)]
    # a body that is not scored still has its name and type in the first two columns
    widths[0] = max([widths[0]] + [len(b.body) for b in ordered])
    widths[1] = max([widths[1]] + [len(type_labels.get(b.body_type, b.body_type)) for b in ordered])
    # numbers right-aligned, names and labels left
    right = {2, 3, 4}

    def row(cells) -> str:
        return " ".join(f"{c:>{w}}" if n in right else f"{c:<{w}}" for n, (c, w) in enumerate(zip(cells, widths)))

    out += ["", row(heads)]
    for b in ordered:
        if b.rank is None:
            out.append(f"{b.body:<{widths[0]}} {type_labels.get(b.body_type, b.body_type):<{widths[1]}} {words('not_scored')}")
            continue
        out.append(row([b.body, type_labels.get(b.body_type, b.body_type), b.rank, f"{b.median_rank:g}",
                        f"{b.rank_low}–{b.rank_high}", b.rating, _ratings_text(b), moved(b.rank_moved_by),
                        moved(b.rating_moved_by)]))
    ranked = [b for b in result.bodies if b.rank is not None]
    steady = sum(1 for b in ranked if b.rank_low == b.rank_high and max(b.rating_shares.values()) >= 1.0)
    out += [""]
    if ranked:
        out += prose(words("steady", steady=steady, ranked=count(len(ranked), "body")))
    unranked = len(result.bodies) - len(ranked)
    if unranked:
        out += prose(words("unscored", bodies=count(unranked, "body")))
    if result.inactive and len(result.inactive) == sum(1 for u in result.uncertainties if u.target != "index"):
        out += prose(words("edges_only"))
    return "\n".join(line.rstrip() for line in out) + "\n"


SHEET_COLUMNS_HEAD = ("body", "type", "rank", "median", "low", "high", "rating")
SHEET_COLUMNS_TAIL = ("rank_by", "rank_share", "rating_by", "rating_share")


def sheet_table(methodology: Methodology, result: Robustness, type_labels: Mapping[str, str]):
    """(title, notes, columns, rows) of the «Устойчивость» sheet in the current language of files;
    shares as numbers 0–1."""
    def words(key: str, **fields) -> str:
        return text(f"robustness_sheet.{key}", kind="files", **fields)

    labels = {u.id: u.text() for u in result.uncertainties}
    columns = (tuple(words(key) for key in SHEET_COLUMNS_HEAD) + tuple(words("share", rating=label) for label in result.rating_labels)
               + tuple(words(key) for key in SHEET_COLUMNS_TAIL))
    rows = []
    for b in result.bodies:
        moved = [(labels[m[0]], _share(m[1])) if m else ("—", "") for m in (b.rank_moved_by, b.rating_moved_by)]
        rows.append((b.body, type_labels.get(b.body_type, b.body_type), b.rank or "",
                     "" if b.median_rank is None else f"{b.median_rank:g}", b.rank_low or "", b.rank_high or "",
                     b.rating or "", *(_share(b.rating_shares[label]) if b.rating_shares else ""
                                       for label in result.rating_labels), *moved[0], *moved[1]))
    notes = [words("sampling", samples=count(result.samples, "sample", kind="files"), seed=result.seed)]
    if result.inactive:
        notes.append(words("inactive", inactive=len(result.inactive), total=len(result.uncertainties),
                           labels="; ".join(labels[i] for i in result.inactive)))
    return words("title"), notes, columns, rows
