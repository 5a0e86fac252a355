"""The command line `openness`: `python -m openness_xl.cli` or the `openness` script."""
from .app import main

__all__ = ["main"]
