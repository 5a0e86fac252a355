"""The optional parts of openness-xl and what each needs installed.

The scoring core, `openness scores`, `check` (CSV) and `reconcile` need nothing beyond Python.
Workbooks (.xlsx in and out) and the raw-records pipeline are extras; a feature used without
its extra stops with the one command that installs it.
"""
from __future__ import annotations

import importlib.util

EXTRAS = {
    "workbooks": ("xlsxwriter", "openpyxl", "defusedxml", "numpy"),
    "records": ("duckdb", "pyarrow", "numpy", "holidays"),
    "excel": ("xlwings",),
    "pandas": ("pandas",),
    "documents": ("docx", "matplotlib"),
    "robustness": ("numpy", "matplotlib"),
}


class MissingExtra(ImportError):
    """A feature whose optional dependencies are not installed."""


def require(extra: str, feature: str, modules: tuple[str, ...] | None = None) -> None:
    """Stop with the install command when `extra`'s packages (or the named few of them) are
    missing; `feature` names the catalogue's `extra.feature.<feature>`."""
    # Found, not imported: importing openpyxl alone took 0.3 s of every report written.
    missing = []
    for module in modules or EXTRAS[extra]:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(module)
    if missing:
        from .texts import text

        raise MissingExtra(text("extra.missing", feature=text(f"extra.feature.{feature}"), extra=extra,
                                modules=", ".join(missing), command=f'pip install "openness-xl[{extra}]"'))
