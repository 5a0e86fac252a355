"""User-facing texts in ru, kk and en (`catalogue.py` reads them)."""
from .catalogue import LANGUAGES, LATIN_WORD, MissingText, count, entries, holes, language, plural, text

__all__ = ["LANGUAGES", "LATIN_WORD", "MissingText", "count", "entries", "holes", "language", "plural", "text"]
