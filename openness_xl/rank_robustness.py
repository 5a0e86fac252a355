"""`openness robustness`: how ranks and ratings move under the plausible readings of the
provisional methodology.

The methodology file declares, next to each provisional formula, its other readings
(`alternatives`, `ranges`) and, under [index], the ranges of the provisional rating edges.
Each sample draws one option of every such uncertainty, uniformly and independently, from a
seeded generator, and recomputes all bodies.

It is fast because an indicator's score depends only on its own options: every body's score
under every option of an indicator is computed once, exactly, with the core's own `compute`,
and scaled to whole numbers by a common denominator. A sample is then a gather and a sum of
integers — still exact, so ties and edges behave as in a single evaluation.

Influence is the first-order share of variance: for each uncertainty, the variance of the
body's mean rank over that uncertainty's options, divided by the variance of its rank over
all samples. It is estimated from the same samples; shares near zero mean "does not move it".
"""
from __future__ import annotations

import itertools
import math
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from .extras import require

require("robustness", "robustness", modules=("numpy",))

import numpy as np  # noqa: E402

from .methodology.model import MAX_SAMPLES  # noqa: E402
from .methodology import Methodology, Uncertainty  # noqa: E402
from .scoring import DIRECT, RAW, compute, evaluate  # noqa: E402
from .texts import count, text  # noqa: E402


@dataclass(frozen=True)
class BodyRobustness:
    body: str
    body_type: str
    rank: int | None  # as declared (a single evaluation of the methodology file)
    rating: str | None
    median_rank: float | None
    rank_low: int | None  # 5 % quantile of the sampled ranks
    rank_high: int | None  # 95 % quantile
    rating_shares: Mapping[str, float]
    rank_moved_by: tuple[str, float] | None  # the uncertainty with the largest share, and the share
    rating_moved_by: tuple[str, float] | None


@dataclass
class Robustness:
    samples: int
    seed: int
    uncertainties: tuple[Uncertainty, ...]
    # Uncertainties that act on nothing here: every body gives their indicator as a direct score.
    inactive: tuple[str, ...]
    bodies: list[BodyRobustness]
    rating_labels: tuple[str, ...]
    choices: np.ndarray  # samples × uncertainties: the option drawn
    ranks: np.ndarray  # samples × bodies (0 where the body is not ranked)
    ratings: np.ndarray  # samples × bodies: the position of the rating in rating_labels


def draw(methodology: Methodology, samples: int, seed: int) -> np.ndarray:
    """The option of every uncertainty in every sample: samples × uncertainties, seeded."""
    rng = np.random.default_rng(seed)
    columns = [rng.integers(0, len(u.options), samples) for u in methodology.uncertainties]
    return np.column_stack(columns) if columns else np.zeros((samples, 0), dtype=np.int64)


def _indicator_tables(methodology: Methodology, submissions, uncertainties) -> tuple[dict, int, list[bool]]:
    """Per indicator: (its uncertainties' positions, radices, exact scores by joint option and body)."""
    tables = {}
    denominators = set()
    scored = [True] * len(submissions)
    for indicator in methodology.indicators:
        own = [k for k, u in enumerate(uncertainties) if u.target == indicator.id]
        radices = [len(uncertainties[k].options) for k in own]
        rows = []
        for joint in itertools.product(*(range(r) for r in radices)):
            changes: dict = {}
            for k, option in zip(own, joint):
                changes.update(uncertainties[k].options[option].changes)
            variant = indicator.with_changes(changes)
            row = []
            for number, (_, body_type, entries) in enumerate(submissions):
                entry = entries.get(indicator.id)
                if entry is None:
                    scored[number] = False
                    row.append(Fraction(0))
                    continue
                score = entry.score if entry.source == DIRECT else compute(methodology, variant, entry.values, body_type)
                denominators.add(score.denominator)
                row.append(score)
            rows.append(row)
        tables[indicator.id] = (own, radices, rows)
    for band in methodology.ratings:
        if band.lower is not None:
            denominators.add(band.lower.denominator)
    for u in uncertainties:
        if u.target == "index":
            denominators.update(Fraction(v).denominator for o in u.options for v in o.changes.values())
    return tables, math.lcm(*denominators) if denominators else 1, scored


def indices(methodology: Methodology, submissions, choices: np.ndarray) -> tuple[np.ndarray, int, list[bool]]:
    """The exact index of every body in every sample, times a common denominator: (values,
    denominator, whether each body has every indicator)."""
    uncertainties = methodology.uncertainties
    tables, scale, scored = _indicator_tables(methodology, submissions, uncertainties)
    total = np.zeros((choices.shape[0], len(submissions)), dtype=np.int64)
    for indicator in methodology.indicators:
        own, radices, rows = tables[indicator.id]
        sign = -1 if indicator.role == "penalty" else 1
        table = np.array([[int(score * scale) for score in row] for row in rows], dtype=np.int64)
        joint = np.zeros(choices.shape[0], dtype=np.int64)
        for k, radix in zip(own, radices):
            joint = joint * radix + choices[:, k]
        total += sign * table[joint]
    return total, scale, scored


def rating_positions(methodology: Methodology, choices: np.ndarray, total: np.ndarray, scale: int) -> np.ndarray:
    """The position of each body's rating (0 = the best) in each sample: the number of rating
    edges above its index, with the edges each sample drew."""
    uncertainties = methodology.uncertainties
    edges = []
    for band in methodology.ratings:
        if band.lower is None:
            continue
        column = np.full(choices.shape[0], int(band.lower * scale), dtype=np.int64)
        for k, u in enumerate(uncertainties):
            if u.target == "index" and band.rating in u.options[0].changes:
                values = np.array([int(Fraction(o.changes[band.rating]) * scale) for o in u.options], dtype=np.int64)
                column = values[choices[:, k]]
        edges.append(column)
    positions = np.zeros(total.shape, dtype=np.int64)
    for column in edges:
        positions += column[:, None] > total
    return positions


def group_ranks(methodology: Methodology, submissions, total: np.ndarray, scored: Sequence[bool],
                chunk: int = 2000, progress: bool | None = False) -> np.ndarray:
    """Competition ranks within each body type in each sample (1 + the bodies strictly above);
    0 for a body that is not ranked."""
    from .progress import bar

    ranks = np.zeros(total.shape, dtype=np.int64)
    groups = [[n for n, (_, bt, _) in enumerate(submissions) if bt == body_type and scored[n]]
              for body_type in methodology.body_types]
    steps = [(members, start) for members in groups if members for start in range(0, total.shape[0], chunk)]
    for members, start in bar(steps, len(steps), text("progress.ranking", chunk=f"{chunk:,}".replace(",", "\u00a0")), progress, unit="step"):
        part = total[start:start + chunk, members]
        above = (part[:, None, :] > part[:, :, None]).sum(axis=2)
        ranks[start:start + chunk, members] = 1 + above
    return ranks


def first_order_shares(choices: np.ndarray, values: np.ndarray, options: Sequence[int]) -> np.ndarray:
    """uncertainties × bodies: Var(E[value | the uncertainty's option]) / Var(value), 0 where
    the value never moves."""
    values = values.astype(float)
    mean, variance = values.mean(axis=0), values.var(axis=0)
    shares = np.zeros((len(options), values.shape[1]))
    for k, option_count in enumerate(options):
        between = np.zeros(values.shape[1])
        for option in range(option_count):
            picked = choices[:, k] == option
            n = int(picked.sum())
            if n:
                between += n * (values[picked].mean(axis=0) - mean) ** 2
        between /= values.shape[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            shares[k] = np.where(variance > 0, between / variance, 0.0)
    return shares


def _quantile(values: np.ndarray, q: float) -> int:
    return int(np.quantile(values, q, method="inverted_cdf"))


def analyse(methodology: Methodology, submissions, samples: int | None = None, seed: int | None = None,
            progress: bool | None = False) -> Robustness:
    """Sample the methodology's uncertainties and recompute every body's rank and rating."""
    samples = int(samples if samples is not None else methodology.robustness.get("samples", 10000))
    seed = int(seed if seed is not None else methodology.robustness.get("seed", 0))
    if not 1 <= samples <= MAX_SAMPLES:
        raise ValueError(text("refused.samples", samples=samples, most=f"{MAX_SAMPLES:,}"))
    if seed < 0:
        raise ValueError(text("refused.seed", seed=seed))
    uncertainties = methodology.uncertainties
    choices = draw(methodology, samples, seed)
    total, scale, scored = indices(methodology, submissions, choices)
    ranks = group_ranks(methodology, submissions, total, scored, progress=progress)
    positions = rating_positions(methodology, choices, total, scale)
    labels = tuple(b.rating for b in methodology.ratings)
    declared = {r.body: r for r in evaluate(methodology, submissions)}
    counts = [len(u.options) for u in uncertainties]
    rank_shares = first_order_shares(choices, ranks, counts)
    rating_shares = first_order_shares(choices, positions, counts)

    def strongest(shares: np.ndarray, n: int) -> tuple[str, float] | None:
        if not len(uncertainties) or shares[:, n].max() <= 0:
            return None
        k = int(shares[:, n].argmax())
        return uncertainties[k].id, float(shares[k, n])

    bodies = []
    for n, (code, body_type, _) in enumerate(submissions):
        result = declared[code]
        if not scored[n]:
            bodies.append(BodyRobustness(code, body_type, None, None, None, None, None, {}, None, None))
            continue
        column = ranks[:, n]
        tally = np.bincount(positions[:, n], minlength=len(labels))
        bodies.append(BodyRobustness(
            code, body_type, result.rank, result.rating, float(np.median(column)),
            _quantile(column, 0.05), _quantile(column, 0.95),
            {label: float(tally[p]) / samples for p, label in enumerate(labels)},
            strongest(rank_shares, n), strongest(rating_shares, n),
        ))
    raw_indicators = {i for _, _, entries in submissions for i, e in entries.items() if e.source == RAW}
    inactive = tuple(u.id for u in uncertainties if u.target != "index" and u.target not in raw_indicators)
    return Robustness(samples, seed, uncertainties, inactive, bodies, labels, choices, ranks, positions)


def evaluate_sample(methodology: Methodology, submissions, choice: Sequence[int]):
    """One full evaluation of one sample: the plain way, for checks and the benchmark."""
    variant = methodology.variant({u.id: int(c) for u, c in zip(methodology.uncertainties, choice)})
    return evaluate(variant, submissions)


# ------------------------------------------------------------------ what users read

CSV_COLUMNS_HEAD = ("body", "body_type", "rank", "median_rank", "rank_p5", "rank_p95", "rating")
CSV_COLUMNS_TAIL = ("rank_moved_by", "rank_share", "rating_moved_by", "rating_share")


def _share(value: float) -> str:
    return f"{min(value, 1.0):.4f}"


def csv_columns(result: Robustness) -> tuple[str, ...]:
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
    from .output import csv_text

    return csv_text(csv_columns(result), csv_rows(result))


def _percent(value: float) -> str:
    return f"{round(min(value, 1.0) * 100):d}%"


def _ratings_text(b: BodyRobustness) -> str:
    likely = sorted(((share, label) for label, share in b.rating_shares.items() if share > 0), reverse=True)
    return " ".join(f"{label} {_percent(share)}" for share, label in likely[:2])


def render_text(methodology: Methodology, result: Robustness, type_labels: Mapping[str, str]) -> str:
    """The robustness table at 80 columns, in the command line's language: the uncertainties
    numbered U1…, then one line per body, each column as wide as its heading or its values."""
    def words(key: str, **fields) -> str:
        return text(f"robustness_text.{key}", **fields)

    def prose(sentence: str) -> list[str]:
        return textwrap.wrap(sentence, 80)

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
