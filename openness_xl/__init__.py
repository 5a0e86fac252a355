"""openness-xl: the Openness Index (Индекс открытости) of Kazakhstan's government bodies.

The scoring core. It knows nothing of Excel: the Excel functions live in `udfs/`,
workbook generation in `openness_xl.workbooks`.
"""
__version__ = "0.1.0"

# The pandas API (openness_xl.frames) loads on first use, so the core imports without pandas.
_FRAMES = ("score", "check", "diff", "whatif", "robustness", "compare", "merge")


def __getattr__(name: str):
    if name in _FRAMES:
        from . import frames

        return getattr(frames, name)
    raise AttributeError(f"module 'openness_xl' has no attribute {name!r}")
