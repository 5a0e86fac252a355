"""The ranks and ratings of `openness robustness` as a PNG (matplotlib): per body type, bodies
in their declared order, on the left the 5–95 % rank interval as a bar, the median as a dot and
the declared rank as a tick; on the right the share of samples with each rating, stacked from
the best rating to the worst (МЧС: ВВ 51 %, В 49 %). Words in the language of the files; the
same result gives the same bytes (no metadata)."""
from __future__ import annotations

import io

from ..extras import require

require("robustness", "plot")

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # headless: no display on servers
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ..methodology import Methodology  # noqa: E402
from ..analyses.robustness import Robustness  # noqa: E402
from ..texts import count, text  # noqa: E402

INTERVAL = "#2F5597"
DECLARED = "#C00000"
# Ratings from the best to the worst: greens, then yellows, then reds (by position, so that a
# methodology with other ratings is coloured the same way).
RATING_COLOURS = ("#1A7837", "#5AAE61", "#A6DBA0", "#D9F0D3", "#FEE08B", "#FDAE61", "#F46D43", "#D73027", "#A50026")


def rating_colours(labels) -> dict[str, str]:
    """A colour per rating, spread over the palette from the best to the worst."""
    last = len(labels) - 1
    return {label: RATING_COLOURS[round(n * (len(RATING_COLOURS) - 1) / last) if last else 0]
            for n, label in enumerate(labels)}


def rank_intervals(methodology: Methodology, result: Robustness) -> bytes:
    """The PNG of every ranked body's sampled rank interval and rating shares, per body type."""
    def words(key: str, **fields) -> str:
        return text(f"robustness_plot.{key}", kind="files", **fields)

    groups = [[b for b in result.bodies if b.body_type == t and b.rank is not None] for t in methodology.body_types]
    groups = [(t, sorted(g, key=lambda b: (b.rank, b.body))) for t, g in zip(methodology.body_types, groups) if g]
    height = max(len(g) for _, g in groups) * 0.28 + 2.0
    figure, axes = plt.subplots(1, 2 * len(groups), figsize=(7.6 * len(groups), height), dpi=110, squeeze=False,
                                gridspec_kw={"width_ratios": [3, 2] * len(groups)})
    colours = rating_colours(result.rating_labels)
    for number, (body_type, group) in enumerate(groups):
        ranks, shares = axes[0][2 * number], axes[0][2 * number + 1]
        positions = list(range(len(group)))
        ranks.hlines(positions, [b.rank_low for b in group], [b.rank_high for b in group], color=INTERVAL, linewidth=4,
                     alpha=0.55, label=words("interval"))
        ranks.plot([b.median_rank for b in group], positions, "o", color=INTERVAL, markersize=4, label=words("median"))
        ranks.plot([b.rank for b in group], positions, "|", color=DECLARED, markersize=10, label=words("declared"))
        ranks.set_yticks(positions, [b.body for b in group], fontsize=7)
        ranks.invert_yaxis()
        ranks.set_xlim(0.5, len(group) + 0.5)
        ranks.xaxis.set_major_locator(MaxNLocator(integer=True))
        ranks.set_xlabel(words("rank_axis"), fontsize=8)
        ranks.grid(axis="x", linewidth=0.3)
        ranks.set_title(words("group", group=methodology.body_type_label(body_type),
                              bodies=count(len(group), "body", kind="files")), fontsize=10)
        left = [0.0] * len(group)
        for label in result.rating_labels:
            widths = [100 * b.rating_shares.get(label, 0.0) for b in group]
            if any(widths):
                shares.barh(positions, widths, left=left, color=colours[label], height=0.7, label=label)
            left = [a + w for a, w in zip(left, widths)]
        shares.set_yticks(positions, [""] * len(group))
        shares.set_ylim(ranks.get_ylim())
        shares.set_xlim(0, 100)
        shares.set_xlabel(words("share_axis"), fontsize=8)
        shares.grid(axis="x", linewidth=0.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    seen = {}
    for axis in axes[0][1::2]:
        for handle, label in zip(*axis.get_legend_handles_labels()):
            seen.setdefault(label, handle)
    ordered = [label for label in result.rating_labels if label in seen]
    figure.suptitle(words("title", samples=f"{result.samples:,}".replace(",", "\u00a0"), seed=result.seed), fontsize=10)
    figure.legend(handles + [seen[label] for label in ordered], labels + ordered, loc="upper center",
                  bbox_to_anchor=(0.5, 1 - 0.45 / height), ncol=3 + len(ordered), fontsize=8, frameon=False)
    figure.tight_layout(rect=(0, 0, 1, 1 - 0.75 / height))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
