"""Writing results: the scores table as CSV or text, always atomically, never over an input."""
from __future__ import annotations

import csv
import io
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
import tempfile
import textwrap
from pathlib import Path
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Mapping, Sequence

from ..core.exact import plain
from ..methodology import Methodology
from ..core.scoring import DIRECT, BodyResult
from ..texts import count, decimal, language, text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Text for a terminal: control characters (an escape sequence from a data file) shown as
    \\x1b and the like instead of acting on the terminal; line breaks and tabs kept."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def csv_cell(value) -> str:
    """One CSV cell: numbers as plain numbers (a negative total stays a number), None as
    empty, and any text escaped so that a spreadsheet opening the file never runs it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (Fraction, Decimal)):
        return plain(value)
    if isinstance(value, (int, float)):
        return str(value)
    return safe_text(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence], preface: str = "") -> str:
    """The plain CSV writer of the project: every machine-readable CSV goes through here
    (`excel_csv` writes the one meant for a Russian-locale Excel)."""
    buffer = io.StringIO()
    buffer.write(preface)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


NUMBER_CELL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")


def json_text(csv_data: str) -> str:
    """A CSV of the project as JSON: an array with one object per row, keyed by the header,
    with the same values — a plain decimal as a number (exact: no cell has more than 15
    significant digits), an empty cell as null, anything else as its text."""
    import json

    def value(cell: str):
        if cell == "":
            return None
        if NUMBER_CELL.fullmatch(cell) and len(cell.replace("-", "").replace(".", "").lstrip("0")) <= 15:
            return int(cell) if "." not in cell else float(cell)
        return cell

    reader = csv.reader(io.StringIO(csv_data))
    header = next(reader, [])
    rows = [dict(zip(header, map(value, line))) for line in reader]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


class OutputRefused(ValueError):
    """An output that would destroy an input, or that cannot be written where asked."""


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether two spellings (relative, .., a symlink, a hard link) name one existing file."""
    a, b = Path(a), Path(b)
    if not a.exists() or not b.exists():
        return Path(os.path.abspath(a)).resolve() == Path(os.path.abspath(b)).resolve()
    return os.path.samefile(a, b)


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files a killed earlier write left beside `target` (their process is gone)."""
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        pid = stale.name[len(target.name) + 2:].split(".", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            stale.unlink(missing_ok=True)
        except PermissionError:
            pass  # another user's live process


def refuse_inputs(path: Path | str, protect: Iterable[Path | str]) -> None:
    """OutputRefused when `path` is any of the `protect` files, however it is spelled."""
    for other in protect:
        if other is not None and same_file(other, path):
            raise OutputRefused(text("messages.is_input", path=path, other=other))


# Whether an existing file may be replaced. The library may; the command line sets it from
# --force for the whole command, so that every command keeps the one rule and the one sentence.
REPLACE = ContextVar("replace_existing_files", default=True)


@contextmanager
def replacing(allowed: bool):
    """Within this block atomic_write replaces an existing file only when `allowed`."""
    token = REPLACE.set(allowed)
    try:
        yield
    finally:
        REPLACE.reset(token)


def atomic_write(path: Path | str, data: bytes, protect: Iterable[Path | str] = ()) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into
    place: a failed write leaves nothing half-written, and a killed one's leftover is removed
    by the next write. Refuses to write over any `protect` path, however it is spelled, over
    anything but a regular file, and over an existing file unless `replacing(True)`."""
    refuse_inputs(path, protect)
    target = Path(os.path.abspath(path))
    if target.is_dir():
        raise OutputRefused(text("messages.is_folder", path=path))
    if target.exists() and not target.is_file():
        raise OutputRefused(text("messages.not_regular", path=path))
    if target.exists() and not REPLACE.get():
        raise OutputRefused(text("messages.output_exists", file=path))
    blocking = next((folder for folder in target.parents if folder.exists() and not folder.is_dir()), None)
    if blocking is not None:  # mkdir would only say «File exists»
        raise OutputRefused(text("messages.parent_not_folder", path=path, parent=blocking))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(target)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputRefused(text("messages.cannot_write", path=path, reason=error.strerror or error)) from None
    umask = os.umask(0)
    os.umask(umask)
    # mkstemp makes the file private; give it the mode a plain open() would have.
    os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~umask)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


INPUT_COLUMNS = ("body", "indicator", "field", "value")


def input_rows(methodology: Methodology, submissions: Sequence) -> list[tuple[str, str, str, str]]:
    """Submissions as the long input table, in body and methodology order: one row per raw
    input, or one `score` row for a score given directly. The canonical form of an input
    version: the same submissions give the same rows, whatever file they were read from."""
    rows = []
    for body, _type, entries in submissions:
        for indicator in methodology.indicators:
            entry = entries.get(indicator.id)
            if entry is None:
                continue
            if entry.source == DIRECT:
                rows.append((body, indicator.id, "score", plain(entry.score)))
            else:
                rows += [(body, indicator.id, name, plain(entry.values[name])) for name in indicator.input_names]
    return rows


def inputs_csv(methodology: Methodology, submissions: Sequence) -> str:
    """The long input table (body,indicator,field,value) that `openness scores` reads back."""
    return csv_text(INPUT_COLUMNS, input_rows(methodology, submissions))


def score_columns(methodology: Methodology) -> list[str]:
    """The CSV header of `openness scores`, derived from the methodology."""
    columns = ["body", "body_type"]
    for indicator in methodology.indicators:
        columns += [indicator.id, f"{indicator.id}__tier"]
    for criterion in methodology.criteria:
        columns += [criterion.id, f"{criterion.id}__grade"]
    return columns + ["index", "rating", "rank"]


def score_rows(methodology: Methodology, results: Sequence[BodyResult]) -> list[list]:
    """One row per body in the order of score_columns: exact numbers, labels, None for empty."""
    rows = []
    for result in results:
        row = [result.body, result.body_type]
        for indicator in methodology.indicators:
            item = result.indicators[indicator.id]
            row += [item.score, item.tier]
        for criterion in methodology.criteria:
            item = result.criteria[criterion.id]
            row += [item.score, item.grade]
        row += [result.index, result.rating, result.rank]
        rows.append(row)
    return rows


def excel_csv(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A CSV a Russian-locale Excel opens as it is: UTF-8 with a BOM (so Cyrillic is read right),
    ';' between values and decimal commas. Text cells are guarded as in `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        cells = []
        for value in row:
            text = csv_cell(value)
            if isinstance(value, (Fraction, Decimal, float)) or (isinstance(value, int) and not isinstance(value, bool)):
                text = text.replace(".", ",")
            cells.append(text)
        writer.writerow(cells)
    return "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8")


def scores_csv(methodology: Methodology, results: Sequence[BodyResult]) -> str:
    return csv_text(score_columns(methodology), score_rows(methodology, results))


def number_text(value) -> str:
    """A score for the screen: two decimals (3.78, 4.00), more only where the score has them (4.515)."""
    if value is None:
        return ""
    exact = Fraction(value)
    return f"{float(exact):.2f}" if (exact * 100).denominator == 1 else plain(exact)


def _columns(lines: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(str(x)) for x in column) for column in zip(*lines)]
    return [" ".join(str(c).rjust(w) if n in right else str(c).ljust(w) for n, (c, w) in enumerate(zip(line, widths))).rstrip()
            for line in lines]


def order_ranges(numbers: Sequence[int]) -> str:
    """2, 3, 4, 7 → «2–4, 7»."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def scores_table(methodology: Methodology, results: Sequence[BodyResult], names: Mapping[str, str] | None = None,
                 wide: bool = False, width: int = 80) -> str:
    """The results for a terminal: per body the four criteria with letters, the index, rating
    and rank (`wide`: every indicator score first). Bodies with missing indicators follow with
    the scores that were computed and what is missing, wrapped at `width`."""
    names = names or {}
    lang = language()

    def shown(value) -> str:
        return decimal(number_text(value), lang)  # a decimal comma in ru and kk, as their Excel writes it

    head = [text("table.body"), text("table.type")]
    if wide:
        head += [str(i.order) for i in methodology.indicators]
    head += [c.column(lang) for c in methodology.criteria] + [text(f"table.{w}") for w in ("index", "rating", "rank")]
    lines, partial = [head], []
    for body_type in methodology.body_types:
        group = sorted((r for r in results if r.body_type == body_type),
                       key=lambda r: (r.rank is None, r.rank or 0, r.body))
        for r in group:
            cells = [r.body, methodology.body_type_label(r.body_type, lang)]
            if wide:
                cells += [shown(r.indicators[i.id].score) or "—" for i in methodology.indicators]
            cells += [f"{shown(r.criteria[c.id].score)} {r.criteria[c.id].grade or ''}".strip() or "—"
                      for c in methodology.criteria]
            cells += [shown(r.index) or "—", r.rating or "—", "—" if r.rank is None else str(r.rank)]
            lines.append(cells)
            if r.missing:
                partial.append(r)
    numeric = set(range(2, len(head)))
    numeric.discard(len(head) - 2)  # the rating is a word
    out = _columns(lines, numeric)
    if partial:
        out += [""] + textwrap.wrap(text("table.partial"), width)
        for r in partial:
            total = len(methodology.indicators)
            label = f"{r.body} ({names[r.body]})" if r.body in names else r.body
            out += textwrap.wrap(text("table.computed", body=label, computed=total - len(r.missing),
                                      total=count(total, "indicator")), width, subsequent_indent="    ")
            for i in methodology.indicators:
                item = r.indicators[i.id]
                if item.score is not None:
                    out.append(f"  {i.order:>2}. {i.id[:44]:<44} {shown(item.score):>7} {methodology.tier_label(item.tier, lang) if item.tier else ''}".rstrip())
            orders = [methodology.indicator(i).order for i in r.missing]
            out += textwrap.wrap(text("table.missing", orders=order_ranges(orders)), width,
                                 initial_indent="  ", subsequent_indent="    ")
    notes = []
    if any(r.direct for r in results):
        notes.append(text("table.all_direct" if all(r.direct for r in results) else "table.some_direct"))
    if any(r.provisional for r in results):
        notes.append(text("table.provisional"))
    if notes:
        out += [""] + textwrap.wrap(text("table.note", notes="; ".join(notes)), width)
    return "\n".join(out) + "\n"
