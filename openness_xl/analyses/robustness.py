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

Where no reading moves any body's index and no drawn rating edge falls between the values a
body's index could have — every score given directly, as in the published tables — every
sample has the same ranks and ratings: they are found once, exactly, without drawing
(`_fixed_standing`), and NumPy, imported only where samples are drawn, is not loaded. A report
of the published scores took 0.46 s with the samples and NumPy's import, 0.36 s without.

Samples are drawn and tallied in blocks of BLOCK: what a block leaves is a count per body and
rank (or rating) and, per option of each uncertainty, a count and a sum — whole numbers, so the
median, the 5–95 % interval and the shares are exact functions of the tallies, and memory stays
flat whatever the count (a block of 8,192 samples over 49 bodies holds some 10 MB). Each block
has its own generator, seeded by (seed, block number): a sample is the same whatever the count.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Mapping, Sequence

from ..extras import require

require("robustness", "robustness", modules=("numpy",))

if TYPE_CHECKING:
    import numpy as np

from ..methodology.model import MAX_SAMPLES  # noqa: E402
from ..methodology import Methodology, Uncertainty  # noqa: E402
from ..core.scoring import DIRECT, RAW, compute, evaluate  # noqa: E402
from ..texts import text  # noqa: E402


@dataclass(frozen=True)
class BodyRobustness:
    """One body's standing as declared and as sampled: its ranks, ratings and what moves them."""

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

    @classmethod
    def unranked(cls, body: str, body_type: str) -> "BodyRobustness":
        """A body without an index (some indicator missing): nothing to rank or rate."""
        return cls(body, body_type, None, None, None, None, None, {}, None, None)


@dataclass
class Robustness:
    """Every body's robustness, with the samples, the seed and the uncertainties drawn."""

    samples: int
    seed: int
    uncertainties: tuple[Uncertainty, ...]
    # Uncertainties that act on nothing here: every body gives their indicator as a direct score.
    inactive: tuple[str, ...]
    bodies: list[BodyRobustness]
    rating_labels: tuple[str, ...]


BLOCK = 8_192  # samples drawn and tallied at once


def draw_block(methodology: Methodology, seed: int, block: int, size: int) -> np.ndarray:
    """The options of the samples of one block (its first `size`): size × uncertainties."""
    import numpy as np

    rng = np.random.default_rng([seed, block])
    columns = [rng.integers(0, len(u.options), BLOCK)[:size] for u in methodology.uncertainties]
    return np.column_stack(columns) if columns else np.zeros((size, 0), dtype=np.int64)


def draw(methodology: Methodology, samples: int, seed: int) -> np.ndarray:
    """The option of every uncertainty in every sample: samples × uncertainties, seeded, block
    by block as `analyse` draws them (for a check of a few samples; `analyse` never holds all)."""
    import numpy as np

    return np.concatenate([draw_block(methodology, seed, b, min(BLOCK, samples - b * BLOCK))
                           for b in range(-(-samples // BLOCK))])


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


class _Indices:
    """The exact index of every body under any options, times a common denominator `scale`;
    the scores under every joint option of an indicator computed once."""

    def __init__(self, methodology: Methodology, submissions, made=None):
        """`made`: `_indicator_tables` of these submissions, where the caller has it."""
        import numpy as np

        tables, self.scale, self.scored = made or _indicator_tables(methodology, submissions, methodology.uncertainties)
        self.parts = [(own, radices, np.array(rows, dtype=np.int64))
                      for own, radices, rows in _scaled(methodology, tables, self.scale)]
        self.bodies = len(submissions)

    def of(self, choices: np.ndarray) -> np.ndarray:
        """samples × bodies: every body's scaled index in each sample of `choices`."""
        import numpy as np

        total = np.zeros((choices.shape[0], self.bodies), dtype=np.int64)
        for own, radices, table in self.parts:
            joint = np.zeros(choices.shape[0], dtype=np.int64)
            for k, radix in zip(own, radices):
                joint = joint * radix + choices[:, k]
            total += table[joint]
        return total


def _scaled(methodology: Methodology, tables: dict, scale: int) -> list[tuple[list[int], list[int], list[list[int]]]]:
    """Per indicator of `_indicator_tables`: its uncertainties' positions, their radices and,
    by joint option, every body's score times `scale`, signed as the index counts it."""
    parts = []
    for indicator in methodology.indicators:
        own, radices, rows = tables[indicator.id]
        sign = -1 if indicator.role == "penalty" else 1
        parts.append((own, radices, [[sign * int(score * scale) for score in row] for row in rows]))
    return parts


def _rating_edges(methodology: Methodology, scale: int) -> list[tuple[int | None, list[int]]]:
    """Per rating band with a lower edge: the position of the uncertainty that draws it (None
    where the edge is fixed) and the edge under each of its options, times `scale`; of two
    readings of one edge the later is taken."""
    edges = []
    for band in methodology.ratings:
        if band.lower is None:
            continue
        drawn, values = None, [int(band.lower * scale)]
        for k, u in enumerate(methodology.uncertainties):
            if u.target == "index" and band.rating in u.options[0].changes:
                drawn, values = k, [int(Fraction(o.changes[band.rating]) * scale) for o in u.options]
        edges.append((drawn, values))
    return edges


def _members(methodology: Methodology, submissions, scored: Sequence[bool]) -> list[list[int]]:
    """Per body type, the positions of its bodies that have an index: those ranked together."""
    return [[n for n, (_, bt, _) in enumerate(submissions) if bt == body_type and scored[n]]
            for body_type in methodology.body_types]


def indices(methodology: Methodology, submissions, choices: np.ndarray) -> tuple[np.ndarray, int, list[bool]]:
    """The exact index of every body in every sample, times a common denominator: (values,
    denominator, whether each body has every indicator)."""
    computed = _Indices(methodology, submissions)
    return computed.of(choices), computed.scale, computed.scored


def rating_positions(methodology: Methodology, choices: np.ndarray, total: np.ndarray, scale: int) -> np.ndarray:
    """The position of each body's rating (0 = the best) in each sample: the number of rating
    edges above its index, with the edges each sample drew."""
    import numpy as np

    positions = np.zeros(total.shape, dtype=np.int64)
    for drawn, values in _rating_edges(methodology, scale):
        if drawn is None:
            column = np.full(choices.shape[0], values[0], dtype=np.int64)
        else:
            column = np.array(values, dtype=np.int64)[choices[:, drawn]]
        positions += column[:, None] > total
    return positions


def group_ranks(methodology: Methodology, submissions, total: np.ndarray, scored: Sequence[bool]) -> np.ndarray:
    """Competition ranks within each body type in each sample (1 + the bodies strictly above);
    0 for a body that is not ranked."""
    import numpy as np

    ranks = np.zeros(total.shape, dtype=np.int64)
    for members in _members(methodology, submissions, scored):
        if members:
            part = total[:, members]
            ranks[:, members] = 1 + (part[:, None, :] > part[:, :, None]).sum(axis=2)
    return ranks


class Tally:
    """What samples leave of one whole value per body (a rank, a rating's position): how many
    samples gave each value, and per option of each uncertainty how many samples drew it and
    the sum of the values — enough for the quantiles and the first-order shares, exactly."""

    def __init__(self, bodies: int, top: int, options: Sequence[int]):
        import numpy as np

        self.top = top
        self.counts = np.zeros((bodies, top + 1), dtype=np.int64)
        self.drawn = [np.zeros(r, dtype=np.int64) for r in options]
        self.sums = [np.zeros((r, bodies), dtype=np.int64) for r in options]

    def add(self, choices: np.ndarray, values: np.ndarray) -> None:
        import numpy as np

        bodies = values.shape[1]
        offsets = values + np.arange(bodies, dtype=np.int64) * (self.top + 1)
        self.counts += np.bincount(offsets.ravel(), minlength=bodies * (self.top + 1)).reshape(bodies, self.top + 1)
        # Every option of every uncertainty as a row of 0s and 1s over the samples, times the
        # values in one matrix product: in floating point, whose sums of whole numbers are exact
        # below 2^53 (here at most top × BLOCK), it runs in BLAS; in int64 it took half the
        # analysis.
        options = [len(drawn) for drawn in self.drawn]
        starts = np.concatenate(([0], np.cumsum(options)[:-1])).astype(np.int64)
        picked = np.zeros((sum(options), len(values)))
        picked[(choices + starts).T, np.arange(len(values))] = 1.0
        sums = np.rint(picked @ values.astype(np.float64)).astype(np.int64)
        for k, (drawn, start) in enumerate(zip(self.drawn, starts)):
            drawn += np.bincount(choices[:, k], minlength=len(drawn))
            self.sums[k] += sums[start:start + len(drawn)]

    def value_at(self, body: int, position: int) -> int:
        """The value in sorted place `position` (from 0) of the body's samples."""
        import numpy as np

        return int(np.searchsorted(np.cumsum(self.counts[body]), position, side="right"))

    def median(self, body: int) -> float:
        n = int(self.counts[body].sum())
        return (self.value_at(body, (n - 1) // 2) + self.value_at(body, n // 2)) / 2

    def quantile(self, body: int, q: float) -> int:
        """As numpy's quantile with method="inverted_cdf": the value in place ceil(n·q) − 1."""
        n = int(self.counts[body].sum())
        return self.value_at(body, max(0, math.ceil(n * q) - 1))

    def shares(self) -> np.ndarray:
        """uncertainties × bodies: Var(E[value | the uncertainty's option]) / Var(value), 0
        where the value never moves; from whole-number sums, so a value that never moves
        has a variance of exactly 0."""
        import numpy as np

        values = np.arange(self.top + 1, dtype=np.int64)
        n = int(self.counts[0].sum()) if len(self.counts) else 0
        total = self.counts @ values
        spread = (n * (self.counts @ (values * values)) - total * total).astype(float)
        shares = np.zeros((len(self.drawn), self.counts.shape[0]))
        for k, (drawn, sums) in enumerate(zip(self.drawn, self.sums)):
            between = np.zeros(self.counts.shape[0])
            for option, m in enumerate(drawn):
                if m:
                    between += (n * sums[option] - int(m) * total).astype(float) ** 2 / (int(m) * n)
            with np.errstate(divide="ignore", invalid="ignore"):
                shares[k] = np.where(spread > 0, between / spread, 0.0)
        return shares


def analyse(methodology: Methodology, submissions, samples: int | None = None, seed: int | None = None,
            progress: bool | None = False, results=None) -> Robustness:
    """Sample the methodology's uncertainties and recompute every body's rank and rating
    (`results`: the submissions evaluated, where a caller has them already); where no sample
    can differ from another, the one standing is found without drawing."""
    samples = int(samples if samples is not None else methodology.robustness.get("samples", 10000))
    seed = int(seed if seed is not None else methodology.robustness.get("seed", 0))
    if not 1 <= samples <= MAX_SAMPLES:
        raise ValueError(text("refused.samples", samples=samples, most=f"{MAX_SAMPLES:,}"))
    if seed < 0:
        raise ValueError(text("refused.seed", seed=seed))
    uncertainties = methodology.uncertainties
    made = _indicator_tables(methodology, submissions, uncertainties)
    scored = made[2]
    labels = tuple(b.rating for b in methodology.ratings)
    declared = {r.body: r for r in results or evaluate(methodology, submissions)}
    fixed = _fixed_standing(methodology, submissions, *made)
    if fixed is None:
        bodies = _sampled(methodology, submissions, samples, seed, progress, made, declared, labels)
    else:  # every sample the same: each body's one rank and rating, which nothing moves
        bodies = []
        for n, (code, body_type, _) in enumerate(submissions):
            result, (rank, position) = declared[code], fixed[n]
            if not scored[n]:
                bodies.append(BodyRobustness.unranked(code, body_type))
                continue
            bodies.append(BodyRobustness(code, body_type, result.rank, result.rating, float(rank), rank, rank,
                                         {label: float(p == position) for p, label in enumerate(labels)}, None, None))
    raw_indicators = {i for _, _, entries in submissions for i, e in entries.items() if e.source == RAW}
    inactive = tuple(u.id for u in uncertainties if u.target != "index" and u.target not in raw_indicators)
    return Robustness(samples, seed, uncertainties, inactive, bodies, labels)


def _fixed_standing(methodology: Methodology, submissions, tables: dict, scale: int,
                    scored: Sequence[bool]) -> list[tuple[int, int]] | None:
    """Each body's (rank, rating position) where they are the same in every sample: no reading
    changes any body's score, and every rating edge a sample may draw lies on the same side of
    each body's index. None where some sample may differ. As `group_ranks` and
    `rating_positions` find them, from the same whole numbers, without drawing."""
    # Asked of the exact scores before any is scaled: where a reading moves one, the samples'
    # own `_Indices` scales them all.
    if any(row != rows[0] for _own, _radices, rows in tables.values() for row in rows[1:]):
        return None
    totals = [0] * len(submissions)
    for _own, _radices, rows in _scaled(methodology, tables, scale):
        totals = [total + score for total, score in zip(totals, rows[0])]
    positions = [0] * len(submissions)
    for _drawn, values in _rating_edges(methodology, scale):
        for n, total in enumerate(totals):
            above = {edge > total for edge in values}
            if len(above) > 1:
                return None
            positions[n] += above.pop()
    ranks = [0] * len(submissions)
    for members in _members(methodology, submissions, scored):
        for n in members:
            ranks[n] = 1 + sum(totals[m] > totals[n] for m in members)
    return list(zip(ranks, positions))


def _sampled(methodology: Methodology, submissions, samples: int, seed: int, progress, made, declared,
             labels) -> list[BodyRobustness]:
    """Every body's robustness from the samples drawn and tallied block by block."""
    from ..progress import bar

    uncertainties = methodology.uncertainties
    computed = _Indices(methodology, submissions, made)
    counts = [len(u.options) for u in uncertainties]
    ranks = Tally(len(submissions), len(submissions), counts)
    ratings = Tally(len(submissions), len(labels) - 1, counts)
    blocks = -(-samples // BLOCK)
    for block in bar(range(blocks), blocks, text("progress.ranking", chunk=f"{BLOCK:,}".replace(",", "\u00a0")), progress,
                     unit="step"):
        choices = draw_block(methodology, seed, block, min(BLOCK, samples - block * BLOCK))
        total = computed.of(choices)
        ranks.add(choices, group_ranks(methodology, submissions, total, computed.scored))
        ratings.add(choices, rating_positions(methodology, choices, total, computed.scale))
    rank_shares, rating_shares = ranks.shares(), ratings.shares()

    def strongest(shares, n: int) -> tuple[str, float] | None:
        if not len(uncertainties) or shares[:, n].max() <= 0:
            return None
        k = int(shares[:, n].argmax())
        return uncertainties[k].id, float(shares[k, n])

    bodies = []
    for n, (code, body_type, _) in enumerate(submissions):
        result = declared[code]
        if not computed.scored[n]:
            bodies.append(BodyRobustness.unranked(code, body_type))
            continue
        bodies.append(BodyRobustness(
            code, body_type, result.rank, result.rating, ranks.median(n), ranks.quantile(n, 0.05), ranks.quantile(n, 0.95),
            {label: float(ratings.counts[n, p]) / samples for p, label in enumerate(labels)},
            strongest(rank_shares, n), strongest(rating_shares, n),
        ))
    return bodies


def evaluate_sample(methodology: Methodology, submissions, choice: Sequence[int]):
    """One full evaluation of one sample: the plain way, for checks and the benchmark."""
    variant = methodology.variant({u.id: int(c) for u, c in zip(methodology.uncertainties, choice)})
    return evaluate(variant, submissions)
