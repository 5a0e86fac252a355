"""Progress bars for long work (tqdm): on a terminal only, silent when standard error is a
file or a pipe, so logs and CI output stay clean."""
from __future__ import annotations

import sys
from typing import Iterable, TypeVar

T = TypeVar("T")


def bar(items: Iterable[T], total: int | None = None, description: str = "", enabled: bool | None = None,
        unit: str = "it") -> Iterable[T]:
    """`items`, with a progress bar on standard error when it is a terminal (or `enabled`)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return items
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a courtesy; the work does not depend on it
        return items
    return tqdm(items, total=total, desc=description, unit=unit, leave=False, file=sys.stderr, dynamic_ncols=True)
