"""The rank intervals of `openness robustness` as a PNG (matplotlib): one panel per body type,
bodies in their declared order, the 5–95 % interval as a bar, the median as a dot and the
declared rank as a tick. The same result gives the same bytes (no metadata)."""
from __future__ import annotations

import io

from .extras import require

require("robustness", "plot")

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # headless: no display on servers
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from .methodology import Methodology  # noqa: E402
from .rank_robustness import Robustness  # noqa: E402

GROUP_TITLES = {"CGO": "ЦГО", "MIO": "МИО"}


def rank_intervals(methodology: Methodology, result: Robustness) -> bytes:
    """The PNG of every ranked body's sampled rank interval, per body type."""
    groups = [[b for b in result.bodies if b.body_type == t and b.rank is not None] for t in methodology.body_types]
    groups = [(t, sorted(g, key=lambda b: (b.rank, b.body))) for t, g in zip(methodology.body_types, groups) if g]
    height = max(len(g) for _, g in groups) * 0.28 + 1.6
    figure, axes = plt.subplots(1, len(groups), figsize=(5.2 * len(groups), height), dpi=110, squeeze=False)
    for axis, (body_type, group) in zip(axes[0], groups):
        positions = list(range(len(group)))
        low = [b.rank_low for b in group]
        high = [b.rank_high for b in group]
        axis.hlines(positions, low, high, color="#2F5597", linewidth=4, alpha=0.55, label="5–95 %")
        axis.plot([b.median_rank for b in group], positions, "o", color="#2F5597", markersize=4, label="медиана")
        axis.plot([b.rank for b in group], positions, "|", color="#C00000", markersize=10, label="место по методике")
        axis.set_yticks(positions, [b.body for b in group], fontsize=7)
        axis.invert_yaxis()
        axis.set_xlim(0.5, len(group) + 0.5)
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.set_xlabel("место в группе")
        axis.grid(axis="x", linewidth=0.3)
        axis.set_title(f"{GROUP_TITLES.get(body_type, body_type)}: {len(group)} органов", fontsize=10)
    handles, labels = axes[0][0].get_legend_handles_labels()
    figure.suptitle(f"Устойчивость мест: {result.samples} выборок прочтений методики, зерно {result.seed}", fontsize=10)
    figure.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 1 - 0.45 / height), ncol=3, fontsize=8,
                  frameon=False)
    figure.tight_layout(rect=(0, 0, 1, 1 - 0.7 / height))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
