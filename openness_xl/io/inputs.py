"""Input files: the long table `body, indicator, field, value` as CSV or as an .xlsx sheet.

`field` is an input name from the methodology, or `score` for a score given directly.
Reading collects every problem before reporting — file, row or cell, body, indicator,
field and what was expected — and never modifies the file it reads.
"""
from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..bounded import read_at_most
from ..core.bodies import BodyRegistry, UnknownBody
from ..methodology import Methodology
from ..core.scoring import DIRECT, RAW, Entry, ScoreError, compute
from ..texts import count, language, text
from ..core.values import (InputProblem, cell_name, check_relations, fraction_warning, input_heading, is_blank,
                           is_not_submitted, missing_message, parse_input, parse_score, score_heading)
from .writing import INPUT_COLUMNS

COLUMNS = INPUT_COLUMNS  # the long table, as `openness scores` writes and reads it
SCORE_FIELD = "score"
MAX_CSV_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the file allows."""

    source: str
    location: str  # "row 7" or "inputs!D7"
    message: str
    body: str = ""
    indicator: str = ""
    field: str = ""
    body_name: str = ""  # a known body's name in the diagnostics' language: messages name it by code and name
    # The message names the cell and its heading itself (a template's cell): not said twice.
    named: bool = False

    def __str__(self) -> str:
        body = (text("where.body_named", body=self.body, name=self.body_name) if self.body_name
                else self.body and text("where.body", body=self.body))
        # The message names the cell itself, or is about the file as a whole.
        place = self.source if self.named or self.location == "file" else f"{self.source}, {shown_location(self.location)}"
        where = ", ".join(x for x in (place, body,
                                      self.indicator and text("where.indicator", indicator=self.indicator),
                                      not self.named and self.field and text("where.field", field=self.field)) if x)
        return f"{where}: {self.message}"


class InputErrors(ValueError):
    """Every problem found in an input file."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(text("where.problems", problems=count(len(problems), "problem")) + "\n"
                         + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class Row:
    location: str
    body: Any
    indicator: Any
    field: Any
    value: Any
    # From a typed template cell: there a number must be a number ('25 stored as text is
    # refused), as the template's own «Расчёт» formulas and the Excel functions refuse it.
    typed: bool = False
    lang: str | None = None  # the language its sheet is written in, where the sheet's name tells
    source: str = ""  # the file it comes from, where rows of several files are read together (merge)


@dataclass
class LoadedInputs:
    submissions: list[tuple[str, str, dict[str, Entry]]]
    warnings: list[str]


def shown_location(location: str) -> str:
    """«file» and «row 7» as the language writes them; a cell such as АППК!D7 as it is."""
    if location == "file":
        return text("where.file")
    if location.startswith("row ") and location[4:].isdigit():
        return text("where.row", number=location[4:])
    row, sep, column = location.partition(", column ")  # a wide pandas frame's cell
    if sep and row.startswith("row "):
        return text("where.row_column", row=row[4:], column=column)
    return location


def _file_problem(source: str, key: str, **fields) -> InputErrors:
    """A problem with the file as a whole."""
    return InputErrors([Problem(source, "file", text(f"input.{key}", encodings=text("input.encodings"), **fields))])


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 or cp1251 text; other encodings and binary files are named, never misread."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _file_problem(source, "utf16")
    if b"\x00" in data[:65536]:
        raise _file_problem(source, "nul")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    decoded = data.decode("cp1251", errors="replace")
    if _looks_like_koi8(decoded):
        raise _file_problem(source, "koi8")
    if "\ufffd" in decoded:
        raise _file_problem(source, "undecodable")
    return decoded


def _looks_like_koi8(decoded: str) -> bool:
    """KOI8-R puts lowercase Russian letters where cp1251 has capitals: text read with the
    wrong one is nearly all capitals, which real names and words are not."""
    letters = [c for c in decoded if "\u0410" <= c <= "\u044f"]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def read_csv_rows(path: Path, name: str | None = None) -> list[Row]:
    """The rows of a long CSV (`,` or `;` separated, UTF-8 or cp1251), with their line numbers
    (`name`: what messages call the file, its path by default)."""
    return csv_rows(_held(path, name or str(path)), name or str(path))


def _held(path: Path, source: str) -> bytes:
    """The file's bytes, read once within MAX_CSV_BYTES."""
    data = read_at_most(path, MAX_CSV_BYTES)
    if data is None:
        raise _file_problem(source, "too_large", limit=f"{MAX_CSV_BYTES:,}")
    return data


def delimiter_of(text: str) -> str:
    """A CSV's separator, told by its first line: `;` where it has more of them than commas (as
    Excel saves a CSV in a Russian locale), else `,`."""
    first = text.splitlines()[0] if text.strip() else ""
    return ";" if first.count(";") > first.count(",") else ","


def csv_rows(data: bytes, source: str) -> list[Row]:
    """The rows of a long CSV given as its bytes (`source`: what messages call it)."""
    content = decode_text(data, source)
    delimiter = delimiter_of(content)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    header = [header_key(h) for h in next(reader, [])]
    _check_header(header, source, "row 1")
    positions = [header.index(c) for c in COLUMNS]
    rows = []
    rows, problems = [], []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                problems.append(Problem(source, f"row {number}", text("input.decimal_comma", fields=len(cells),
                                                                        header=len(header), line=delimiter.join(cells))))
                continue
            cells = cells + [""] * (len(header) - len(cells))
            rows.append(Row(f"row {number}", *(cells[p] for p in positions)))
    except csv.Error as error:
        raise InputErrors([Problem(source, f"row {reader.line_num}", text("input.bad_csv", error=error))]) from None
    if problems:
        raise InputErrors(problems)
    return rows


def read_xlsx_rows(path: Path, warnings: list[str], methodology: Methodology, bodies: BodyRegistry,
                   name: str | None = None) -> list[Row]:
    """The rows of an .xlsx: a filled input template, or the long table on a sheet named
    `inputs` (else on the first sheet headed with its columns, else the first sheet).
    InputErrors for a template that lost data."""
    from .safe_xlsx import DAMAGED, UnsafeWorkbook, open_workbook, unreadable

    source = name or str(path)
    try:
        workbook, notes = open_workbook(path)
        formulas, _ = open_workbook(path, formulas=True)
    except UnsafeWorkbook as error:
        raise InputErrors([Problem(source, "file", error.reason)]) from None
    warnings.extend(notes)
    try:
        return _xlsx_rows(source, workbook, formulas, methodology, bodies)
    except InputErrors:
        raise
    except (*DAMAGED, ValueError) as error:
        # openpyxl reads sheets lazily, so a damaged part (or a value such as NaN that no
        # spreadsheet writes) only shows while its rows are read.
        raise InputErrors([Problem(source, *unreadable(path, error))]) from None
    finally:
        workbook.close()
        formulas.close()


def _xlsx_rows(source, workbook, formulas, methodology, bodies) -> list[Row]:
    """The rows of an opened workbook (see read_xlsx_rows)."""
    from openpyxl.utils import get_column_letter

    from .safe_xlsx import present_rows
    from .template_reader import read_template_rows

    template = read_template_rows(workbook, lambda *cells, lang=None: Row(*cells, typed=True, lang=lang), methodology,
                                  bodies, formulas)
    if template is not None:
        rows, problems = template
        if "inputs" in workbook.sheetnames:
            problems.append(("inputs", text("input.two_tables")))
        if problems:
            # A message that opens with its cell (a value shown as a percentage) names it itself.
            raise InputErrors([Problem(source, location, message, named=message.startswith(location + " "))
                               for location, message in problems])
        return rows
    sheet = workbook["inputs"] if "inputs" in workbook.sheetnames else sheet_headed(workbook, COLUMNS)
    lines = present_rows(sheet)
    first = next(lines, (1, ()))
    header = [header_key(h) for h in first[1]]
    if any(c not in header for c in COLUMNS) and (made := _made_here(workbook)) is not None:
        raise InputErrors([Problem(source, "file", made)])
    _check_header(header, source, f"{sheet.title}!{first[0]}")
    positions = [header.index(c) for c in COLUMNS]
    stored = dict(present_rows(formulas[sheet.title]))
    rows, problems = [], []
    for number, cells in lines:
        cells = tuple(cells) + (None,) * (len(header) - len(cells))
        if all(is_blank(cells[p]) for p in positions):
            continue  # nothing in the table's columns (a stray cell beside it is not data)
        value_cell = f"{sheet.title}!{get_column_letter(positions[3] + 1)}{number}"
        formula = (tuple(stored.get(number, ())) + (None,) * len(header))[positions[3]]
        if cells[positions[3]] is None and isinstance(formula, str) and formula.startswith("="):
            problems.append(Problem(source, value_cell, text("input.formula_no_value")))
            continue
        rows.append(Row(value_cell, *(cells[p] for p in positions)))
    if problems:
        raise InputErrors(problems)
    return rows


def header_key(header) -> str:
    """A header as every reader compares it with the one it looks for: case, and spaces around
    and within, folded; an empty cell is "". «Appeal_ID », «appeal_id» and «Дата  регистрации»
    are «appeal_id» and «дата регистрации» (DuckDB itself drops a CSV header's spaces around it,
    and its names ignore case)."""
    return "" if header is None else " ".join(str(header).split()).casefold()


def sheet_headed(workbook, headers):
    """The first sheet whose first row holds every one of `headers` (`header_key`), else the first
    sheet: a workbook may open with a cover or a note, or hold two tables on two sheets."""
    from .safe_xlsx import present_rows

    wanted = {header_key(h) for h in headers}
    for sheet in workbook.worksheets:
        first = next(present_rows(sheet), (0, ()))[1]
        if wanted <= {header_key(v) for v in first}:
            return sheet
    return workbook.worksheets[0]


# The workbooks this tool writes for people to fill (the template, the live workbook, the appeal
# log), by their titles' keys: not outputs, whatever a damaged one lacks.
INPUT_WORKBOOKS = ("template.workbook_title", "template.live_title", "appeal_log.title")


def _made_here(workbook) -> str | None:
    """Why a workbook this tool wrote as an output (a report, a diff, the scores) is no input,
    and the input its «Происхождение» names, if any; None for any other workbook. The report
    given to `scores` or `diff` stopped at «header must have the columns body, indicator, …»
    of its first sheet, which told the user nothing of what to give instead."""
    from ..texts import LANGUAGES

    properties = workbook.properties
    title = str(properties.title or "")
    if not str(properties.creator or "").startswith("openness-xl") or any(
            re.fullmatch(re.escape(text(key, lang, kind="files", year="\0")).replace("\0", r"\d{4}"), title)
            for key in INPUT_WORKBOOKS for lang in LANGUAGES):
        return None
    made_from = ""
    names = {text("sheet.provenance", lang, kind="files") for lang in LANGUAGES}
    labels = {text("report.inputs", lang, kind="files") for lang in LANGUAGES}
    for sheet in (workbook[n] for n in workbook.sheetnames if n in names):
        for row in sheet.iter_rows(max_row=40, max_col=2, values_only=True):
            if row and row[0] in labels and row[1]:
                made_from = text("input.made_from", inputs=row[1], sheet=sheet.title)
    return text("input.made_here", title=title, made_from=made_from)


# The columns that tell the CSV `openness scores` writes, whatever the methodology's indicators.
SCORES_OUTPUT = ("body", "body_type", "index", "rating", "rank")


def _check_header(header: list[str], source: str, where: str) -> None:
    missing = [c for c in COLUMNS if c not in header]
    if missing and all(c in header for c in SCORES_OUTPUT):  # `openness scores scores.csv`
        raise InputErrors([Problem(source, "file", text("input.scores_output"))])
    if missing:
        found = ", ".join(h for h in header if h) or text("input.nothing")
        raise InputErrors([Problem(source, where, text("input.header", columns=", ".join(COLUMNS), missing=", ".join(missing),
                                                       found=found))])


def read_rows(path: Path | str, warnings: list[str], methodology: Methodology, bodies: BodyRegistry,
              name: str | None = None) -> list[Row]:
    """The rows of an input file of any kind the project reads (`name` as in read_csv_rows)."""
    from .safe_xlsx import kind_of, not_xlsx, sniff

    path = Path(path)
    source = name or str(path)
    if not path.exists():
        raise _file_problem(source, "missing_file")
    if path.is_dir():
        raise _file_problem(source, "folder")
    if not path.is_file():
        # A pipe (`<(…)` in a shell, /dev/stdin) can be read once: its first bytes, looked at
        # to tell a workbook, would be gone for the reader.
        data = _held(path, source)
        if kind_of(data[:80]) != "other":
            raise _file_problem(source, "workbook_pipe")
        return csv_rows(data, source)
    kind = sniff(path)
    if path.suffix.lower() in (".xlsx", ".xlsm") or kind == "zip":
        return read_xlsx_rows(path, warnings, methodology, bodies, name)
    if kind in ("ods", "ole"):
        raise InputErrors([Problem(source, "file", not_xlsx(kind))])
    return read_csv_rows(path, name)


def build_submissions(methodology: Methodology, bodies: BodyRegistry, rows: Iterable[Row], source: str,
                      warnings: list[Problem] | None = None) -> tuple[list, list[Problem]]:
    """Group rows by body and indicator, validate every value and relation, collect every problem
    (and into `warnings`, values scored as typed that look mistyped, such as a share given as a percentage)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], str] = {}
    grouped: dict[str, dict[str, dict[str, tuple[Any, str]]]] = {}
    known_indicators = [i.id for i in methodology.indicators]
    names = {b.code: b.name(language()) for b in bodies}  # the diagnostics' language
    for row in rows:
        def problem(message, body="", indicator="", field=""):
            problems.append(Problem(row.source or source, row.location, message, body, indicator, field, names.get(body, "")))

        body_text = "" if row.body is None else str(row.body).strip()
        indicator_id = "" if row.indicator is None else str(row.indicator).strip()
        field = "" if row.field is None else str(row.field).strip()
        try:
            body = bodies.find(body_text)
        except UnknownBody as error:
            problem(str(error) if body_text else text("input.body_blank"), body_text, indicator_id, field)
            continue
        if indicator_id not in known_indicators:
            near = difflib.get_close_matches(indicator_id, known_indicators, n=3)
            problem(text("input.unknown_indicator", indicator=repr(indicator_id))
                    + (text("input.did_you_mean", near=", ".join(near)) if near else ""),
                    body.code, indicator_id, field)
            continue
        indicator = methodology.indicator(indicator_id)
        if field != SCORE_FIELD and field not in indicator.input_names:
            problem(text("input.unknown_field", field=repr(field), indicator=indicator_id, names=", ".join(indicator.input_names)),
                    body.code, indicator_id, field)
            continue
        key = (body.code, indicator_id, field)
        if key in seen:
            problem(text("input.duplicate", entry=f"{body.code} / {indicator_id} / {field}", where=shown_location(seen[key])),
                    body.code, indicator_id, field)
            continue
        seen[key] = row.location
        grouped.setdefault(body.code, {}).setdefault(indicator_id, {})[field] = row

    submissions = []
    for body in bodies:
        if body.code not in grouped:
            continue
        entries: dict[str, Entry] = {}
        for indicator_id, fields in grouped[body.code].items():
            indicator = methodology.indicator(indicator_id)
            entry = _entry(methodology, indicator, body, fields, source, problems)
            if entry is not None and entry.source == RAW and warnings is not None:
                for spec in indicator.inputs:
                    row = fields[spec.name]
                    warning = fraction_warning(spec, entry.values[spec.name],
                                               cell_name(input_heading(spec, row.lang), row.location) if row.typed else None)
                    if warning:
                        warnings.append(Problem(row.source or source, row.location, warning, body.code, indicator_id,
                                                spec.name, names.get(body.code, ""), row.typed))
            if entry is not None:
                entries[indicator_id] = entry
        submissions.append((body.code, body.type, entries))
    return submissions, problems


def _entry(methodology, indicator, body, fields: dict[str, Row], source, problems) -> Entry | None:
    """The entry of one body's rows for one indicator (`fields` by field), or None with its
    problems added to `problems`."""
    def problem(row: Row, message, field="", named=False):
        problems.append(Problem(row.source or source, row.location, message, body.code, indicator.id, field,
                                body.name(language()), named))

    # A template's cell is named as its sheet shows it (cell and heading), in every message.
    names = {name: cell_name(score_heading(indicator, row.lang) if name == SCORE_FIELD
                             else input_heading(indicator.input(name), row.lang), row.location)
             for name, row in fields.items() if row.typed}
    first = min(fields.values(), key=lambda row: _sort_key(row.location))
    given = [row.location for name, row in fields.items() if name != SCORE_FIELD and not is_not_submitted(row.value)]
    if SCORE_FIELD in fields and not (given and is_not_submitted(fields[SCORE_FIELD].value)):
        row = fields[SCORE_FIELD]
        if given:
            # One sentence on every surface: the template's «Проверка» says the same.
            inputs = [r.location for name, r in fields.items() if name != SCORE_FIELD]
            problem(row, text("value.score_and_inputs", direct=shown_location(row.location), inputs=span(inputs)), SCORE_FIELD)
            return None
        try:
            return Entry(DIRECT, score=parse_score(indicator, row.value, text_is_number=not row.typed,
                                                   name=names.get(SCORE_FIELD)))
        except InputProblem as error:
            problem(row, str(error), SCORE_FIELD, row.typed)
            return None
    values = {}
    failed = False
    for spec in indicator.inputs:
        if spec.name not in fields:
            problem(first, missing_message(spec.name, spec.allowed), spec.name)
            failed = True
            continue
        row = fields[spec.name]
        try:
            values[spec.name] = parse_input(spec, row.value, text_is_number=not row.typed, name=names.get(spec.name))
        except InputProblem as error:
            problem(row, str(error), spec.name, row.typed)
            failed = True
    if failed:
        return None
    relation_problems, named = check_relations(indicator, values, names), bool(names)
    try:
        if not relation_problems:
            compute(methodology, indicator, values, body.type)
    except ScoreError as error:
        relation_problems, named = error.problems, False  # the kind's own refusal names the input by its id
    for issue in relation_problems:
        row = fields.get(issue.field, first)
        problem(row, str(issue), issue.field, row.typed and named)
    return None if relation_problems else Entry(RAW, values=values)


CELL = re.compile(r"^(.+)!([A-Z]+)([0-9]+)$")


def span(locations: Iterable[str]) -> str:
    """Places as one: the cells of one row of one sheet as a range («АППК!D7:E7», as the
    template's formulas name them), else each place in turn."""
    from openpyxl.utils import column_index_from_string

    places = sorted(set(locations), key=_sort_key)
    cells = [CELL.match(p) for p in places]
    if all(cells) and len({(c[1], c[3]) for c in cells}) == 1:
        columns = sorted((c[2] for c in cells), key=column_index_from_string)
        sheet, row = cells[0][1], cells[0][3]
        return f"{sheet}!{columns[0]}{row}" + ("" if len(columns) == 1 else f":{columns[-1]}{row}")
    return ", ".join(shown_location(p) for p in places)


def _sort_key(location: str):
    digits = "".join(ch for ch in location if ch.isdigit())
    return (int(digits) if digits else 0, location)


def load_inputs(path: Path | str, methodology: Methodology, bodies: BodyRegistry, name: str | None = None) -> LoadedInputs:
    """Read and validate an input file; InputErrors lists every problem found (`name`: what
    messages call the file, its path by default — «stdin» for standard input)."""
    warnings: list[str] = []
    rows = read_rows(path, warnings, methodology, bodies, name)
    noticed: list[Problem] = []
    submissions, problems = build_submissions(methodology, bodies, rows, name or str(path), noticed)
    if problems:
        raise InputErrors(problems)
    return LoadedInputs(submissions, warnings + [str(w) for w in noticed])
