"""`openness methodology new`: next year's methodology drafted from the last one.

The methodology file is the one place every number and word of the index is declared, with
comments that cite the report line each reading comes from. A new year starts as a copy of
the last: the text is kept as it is (comments included), the year, the titles and the cycle's
dates move on by one, and every provisional reading is marked for review, since a new report
may settle it. The draft is then checked by the same loader as any methodology.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..texts import text
from .loader import load, parse
from .model import Methodology

REVIEW = "# REVIEW {year}:"


def draft(source: Path | str, year: int) -> str:
    """The text of the methodology of `year`, from the methodology file `source` (its year
    must be earlier). Raises ValueError naming the file when it cannot be drafted."""
    import tomllib

    path = Path(source)
    old = load(path)
    if year <= old.year:
        raise ValueError(text("draft.not_later", path=path, year=year, old=old.year))
    shift = year - old.year
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key = line.split("=", 1)[0].strip()
        if key == "year" and re.fullmatch(r"year\s*=\s*\d{4}\s*", line):
            line = f"year = {year}"
        elif key in ("title_ru", "title_en", "title_kk"):
            line = line.replace(str(old.year), str(year))
        elif key in ("source_data_by", "appeals_until", "final_by"):
            day = dt.date.fromisoformat(line.split("=", 1)[1].strip())
            line = f"{key} = {_moved(day, shift).isoformat()}"
        lines.append(line)
        if re.fullmatch(r"\s*provisional\s*=\s*true\s*(#.*)?", line):
            lines.append(REVIEW.format(year=year) + " " + text("draft.review", kind="files"))
    head = [f"# {text('draft.head', kind='files', year=year, source=path.name)}", ""]
    drafted = "\n".join(head + lines) + "\n"
    parse(tomllib.loads(drafted, parse_float=__import__("decimal").Decimal), path=f"<draft of {year}>")
    return drafted


def _moved(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def summary(methodology: Methodology) -> str:
    """What `openness methodology check` says of a methodology that loads."""
    provisional = sum(1 for i in methodology.indicators if i.provisional)
    return text("draft.ok", path=methodology.path, year=methodology.year, indicators=len(methodology.indicators),
                criteria=len(methodology.criteria), provisional=provisional)
