"""The methodology as data: a year's TOML file, validated, described in objects.

`model.py` holds the objects; `loader.py` reads and checks the file, with `indicators.py` (each
indicator), `scales.py` (tiers, ratings, criteria) and `settings.py` (one setting's value).
"""
from .loader import available_years, load, parse
from .model import (CELL_REFERENCE, DEFAULT_YEAR, EXCEL_NAME, HERE, Criterion, Cycle, Indicator, InputSpec, Methodology,
                    MethodologyError, MissingTranslation, Option, RatingBand, TierBand, Uncertainty)

__all__ = ["CELL_REFERENCE", "DEFAULT_YEAR", "EXCEL_NAME", "HERE", "Criterion", "Cycle", "Indicator", "InputSpec", "Methodology",
           "MethodologyError", "MissingTranslation", "Option", "RatingBand", "TierBand", "Uncertainty", "available_years", "load", "parse"]
