"""The version of openness-xl, written into every workbook it makes; the one place it is set."""
__version__ = "0.1.0"
