"""The optional parts of openness-xl and what each needs installed.

The scoring core, `openness scores`, `check` (CSV) and `reconcile` need nothing beyond Python.
Workbooks (.xlsx in and out) and the raw-records pipeline are extras; a feature used without
its extra stops with the one command that installs it.
"""
from __future__ import annotations

import importlib

EXTRAS = {
    "workbooks": ("xlsxwriter", "openpyxl", "defusedxml"),
    "records": ("duckdb", "pyarrow", "numpy", "holidays"),
    "excel": ("xlwings",),
    "pandas": ("pandas",),
    "documents": ("docx", "matplotlib"),
}


class MissingExtra(ImportError):
    """A feature whose optional dependencies are not installed."""


def require(extra: str, feature: str) -> None:
    """Stop with the install command when `extra`'s packages are missing."""
    missing = []
    for module in EXTRAS[extra]:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise MissingExtra(f"{feature} needs the '{extra}' extra ({', '.join(missing)} not installed): "
                           f'pip install "openness-xl[{extra}]"')
