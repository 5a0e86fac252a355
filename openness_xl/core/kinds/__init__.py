"""The formula kinds: a handful of pure functions that every indicator is built from.

An indicator in the methodology file names its kind and gives the kind's parameters; the
kind turns exact input values into an exact, unrounded score between 0 and the maximum.
Each kind also checks its own parameters when the methodology is loaded, says in which
direction each input moves the score (which the property tests rely on), writes itself as
an Excel expression and, where it can, its inverse — in Excel form for the «Цели» sheet and
in Python for what-if (`Kind.inverse`, where the core's target search starts) — and the least
change of several levers together (`Kind.together`, before the core's search for them). One
module per family; `base.py` holds what they share.
"""
from .bands import BAND_TABLE, bands_for
from .base import Context, ExcelContext, InputProblem, Kind, TargetContext, zero_whole
from .deductions import PER_FACT_DEDUCTION, RATIO_DEDUCTION
from .points import BOOLEAN_POINTS, COUNT_POINTS
from .receptions import FIXED_INPUTS, RECEPTION_INTENSITY, WAITING_TIME
from .shares import OPEN_DATA, PROPORTIONAL, WEIGHTED_SHARES

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (RATIO_DEDUCTION, PER_FACT_DEDUCTION, BAND_TABLE, COUNT_POINTS, BOOLEAN_POINTS, WEIGHTED_SHARES,
                 PROPORTIONAL, OPEN_DATA, RECEPTION_INTENSITY, WAITING_TIME)
}

__all__ = ["FIXED_INPUTS", "KINDS", "Context", "ExcelContext", "InputProblem", "Kind", "TargetContext",
           "bands_for", "zero_whole"]
