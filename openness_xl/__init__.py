"""openness-xl: the Openness Index (Индекс открытости) of Kazakhstan's government bodies.

The scoring core. It knows nothing of Excel: the Excel functions live in `udfs/`,
workbook generation in `openness_xl.workbooks`.
"""
from .version import __version__

# The pandas API (openness_xl.frames) loads on first use, so the core imports without pandas.
_FRAMES = ("score", "check", "diff", "whatif", "robustness", "compare", "merge")
__all__ = ["__version__", *_FRAMES]


def __getattr__(name: str):
    if name in _FRAMES:
        from . import frames

        return getattr(frames, name)
    raise AttributeError(f"module 'openness_xl' has no attribute {name!r}")
