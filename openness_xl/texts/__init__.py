"""User-facing texts in ru, kk and en (`catalogue.py` reads them)."""
from .catalogue import (LANGUAGES, LATIN_WORD, MissingText, checked_language, count, decimal, diagnostics_language,
                        entries, environment_language, grouped, has_text, holes, language, plural, term, text,
                        using)

__all__ = ["LANGUAGES", "LATIN_WORD", "MissingText", "checked_language", "count", "decimal", "diagnostics_language",
           "entries", "environment_language", "grouped", "has_text", "holes", "language", "plural", "term", "text",
           "using"]
