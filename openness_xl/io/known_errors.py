"""The report's documented errors (`report_errors.csv`), each matched exactly.

A documented error is keyed by its check, body, item *and* the published and expected
values: a finding documents nothing unless all five agree. A finding on a documented row
with other values is new (the table changed, or the methodology did), and says what was
documented there before.
"""
from __future__ import annotations

from dataclasses import dataclass

from .report_data import PublishedError, bundled_cache, directory, has, read_rows
from ..texts import language, text as T
from ..methodology.model import DEFAULT_YEAR

FILE = "report_errors.csv"
RECORDED = ("stated-rule", "recorded")  # documented, not computed: listed as they stand
COLUMNS = ("ref", "check", "body", "item", "published", "expected", "line", "note")
# A note (and, for a stated rule, the wording of both sides) in Russian and Kazakh beside the
# English: columns note_ru, note_kk, published_ru, … Optional, so a file kept before them still
# reads (its texts then stay as written). The key columns never change with the language.
TRANSLATED = ("note", "published", "expected")


@dataclass(frozen=True)
class Documented:
    ref: str  # R1 …, M1 …, N1 … (shared/methodology.md §8)
    check: str
    body: str
    item: str
    published: str
    expected: str
    line: str
    note: str
    translated: tuple[tuple[str, str], ...] = ()  # (column, text): ("note_ru", …)

    def shown(self, field: str, lang: str | None = None) -> str:
        """`field` (note, published, expected) in the language (`texts.language`), or as the
        key column writes it when the file gives no translation."""
        return dict(self.translated).get(f"{field}_{language(lang=lang)}") or getattr(self, field)

    def note_in(self, lang: str | None = None) -> str:
        """The note in the language, or in English when it has none there."""
        return self.shown("note", lang)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.check, self.body, self.item, self.published, self.expected)


@bundled_cache
def documented(source=DEFAULT_YEAR) -> tuple[Documented, ...]:
    if not has(source, FILE):
        return ()
    rows = read_rows(source, FILE, COLUMNS)
    out, seen = [], {}
    for number, r in rows:
        translated = tuple((column, r[column].strip()) for column in (f"{f}_{code}" for f in TRANSLATED for code in ("ru", "kk"))
                           if r.get(column, "").strip())
        entry = Documented(*(r[c].strip() for c in COLUMNS), translated)
        if "*" in (entry.body, entry.item):
            raise PublishedError(T("published.wildcard", path=directory(source) / FILE, row=number))
        if entry.key in seen:
            raise PublishedError(T("published.same_error", path=directory(source) / FILE, row=number,
                                             first=seen[entry.key]))
        seen[entry.key] = number
        out.append(entry)
    return tuple(out)


class Register:
    """Looks findings up among the documented errors."""

    def __init__(self, entries: tuple[Documented, ...]):
        self.exact = {e.key: e for e in entries}
        self.by_place: dict[tuple[str, str, str], list[Documented]] = {}
        for e in entries:
            self.by_place.setdefault(e.key[:3], []).append(e)
        self.used: set[tuple] = set()

    def find(self, check: str, body: str, item: str, published: str, expected: str
             ) -> tuple[Documented | None, list[Documented]]:
        """The documented error this finding is, or None and the ones documented at its place."""
        entry = self.exact.get((check, body, item, published, expected))
        if entry:
            self.used.add(entry.key)
            return entry, []
        return None, self.by_place.get((check, body, item), [])

    def unused(self) -> list[Documented]:
        """Documented errors no finding matched: fixed in the tables, or mistyped in the file."""
        return [e for key, e in self.exact.items() if key not in self.used and e.check not in RECORDED]
