"""A report's data directory, read strictly: where it is, whether it holds a file, and each
CSV file's rows. A row with more or fewer fields than the header, a missing column or a
number that does not read is an error naming the file and the row, never a silent guess.
"""
from __future__ import annotations

import csv
from fractions import Fraction
from functools import lru_cache, wraps
from pathlib import Path

from ..bounded import read_at_most, size_over
from ..core.exact import to_fraction
from ..texts import text as T
from ..methodology.model import DEFAULT_YEAR

DATA = Path(__file__).parents[1] / "data"

# The published tables a directory must hold; everything else is optional.
TABLES = ("indicator_scores.csv", "criterion_scores.csv", "index_scores.csv")
MAX_BYTES = 20_000_000  # a report's tables are a few hundred kilobytes


class PublishedError(ValueError):
    """A published table that cannot be read as printed."""


def directory(source: int | str | Path) -> Path:
    """The directory of a year's bundled tables, or the given directory."""
    return DATA / str(source) if isinstance(source, int) else Path(source)


def bundled_cache(read):
    """Remember what was read from the package's own data, which cannot change; a directory
    given by the user is read afresh each time, so an edited table is never served stale."""
    remembered = lru_cache(maxsize=4)(read)

    @wraps(read)
    def reader(source: int | str | Path = DEFAULT_YEAR):
        return remembered(source) if isinstance(source, int) else read(source)

    reader.cache_clear = remembered.cache_clear
    return reader


def check_layout(source: int | str | Path) -> None:
    """A directory of published tables must exist and hold the three score tables."""
    where = directory(source)
    if not where.is_dir():
        raise PublishedError(T("published.no_directory", where=where))
    missing = [name for name in TABLES if not (where / name).is_file()]
    if missing:
        raise PublishedError(T("published.missing_tables", where=where, missing=", ".join(missing), tables=", ".join(TABLES)))


def has(source: int | str | Path, name: str) -> bool:
    return (directory(source) / name).is_file()


def read_rows(source: int | str | Path, name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of one file as (file row number, fields), checked field by field."""
    path = directory(source) / name
    data = read_at_most(path, MAX_BYTES)
    if data is None:
        raise PublishedError(T("published.too_large", path=path, size=size_over(path, MAX_BYTES), limit=MAX_BYTES))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PublishedError(T("published.not_utf8", path=path, reason=error.reason, byte=error.start)) from None
    try:
        records = list(csv.reader(text.splitlines(), strict=True))
    except csv.Error as error:
        raise PublishedError(f"{path}: {error}") from None
    if not records:
        raise PublishedError(T("published.empty", path=path, header=",".join(columns)))
    header = [h.strip() for h in records[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise PublishedError(T("published.missing_columns", path=path, missing=", ".join(missing), header=",".join(header)))
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(field.strip() for field in record):
            continue
        if len(record) != len(header):
            raise PublishedError(T("published.field_count", path=path, row=number, fields=len(record), header=len(header)))
        rows.append((number, dict(zip(header, record))))
    return rows


def number(source, name: str, row: int, column: str, text: str) -> Fraction:
    try:
        return to_fraction(text)
    except (ValueError, ArithmeticError) as error:
        raise PublishedError(T("published.not_number", path=directory(source) / name, row=row, column=column,
                               value=repr(text), error=error)) from None
