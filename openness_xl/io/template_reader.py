"""The input template as a file: where everything stands on its sheets, and reading a filled
one back. The writers (`workbooks/`) lay the sheets out by the same geometry.

Row 4 holds machine keys `indicator_id.field`, which is how `openness scores inputs.xlsx`
reads the file back; a blank cell or «н/д» means "not submitted", which is different from 0.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..core.bodies import BodyRegistry
from ..core.values import cell_name, input_heading, is_not_submitted, percent_format_message, score_heading, shown
from ..methodology import Methodology
from ..texts import LANGUAGES, text as T

TITLE_ROW, GROUP_ROW, HEAD_ROW, KEY_ROW, FIRST_BODY_ROW = 0, 1, 2, 3, 4
FIRST_INPUT_COL = 3
KEY = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")


def direct_sheet() -> str:
    """The name of the direct-score sheet in the current language."""
    return T("sheet.direct", kind="files")


def sheet_names(key: str) -> set[str]:
    """A sheet's name in every language (a reader accepts a template in any of them)."""
    return {T(key, lang) for lang in LANGUAGES}


def input_columns(methodology: Methodology) -> dict[str, tuple[str, int]]:
    """Where each key `indicator_id.field` stands on the input sheets: (sheet name in the
    current language, column). Raw inputs on their criterion's sheet, scores on the direct one."""
    columns: dict[str, tuple[str, int]] = {}
    for criterion in methodology.criteria:
        keys = [f"{i}.{spec.name}" for i in criterion.indicators for spec in methodology.indicator(i).inputs]
        columns.update((key, (criterion.text("short"), FIRST_INPUT_COL + n)) for n, key in enumerate(keys))
    columns.update((f"{indicator.id}.score", (direct_sheet(), FIRST_INPUT_COL + n))
                   for n, indicator in enumerate(methodology.indicators))
    return columns


def input_sheets(methodology: Methodology) -> list[str]:
    """The input sheets' names in the current language: the criteria's, then the direct scores'."""
    return [c.text("short") for c in methodology.criteria] + [direct_sheet()]


def read_template_rows(workbook, make_row, methodology: Methodology, bodies: BodyRegistry, formulas=None):
    """(rows, problems) from a filled template, or None if the workbook is not one.

    Rows are (location, body, indicator, field, value). An indicator whose cells are all blank
    or «н/д» is not submitted and yields nothing; one with any value yields all its cells, so
    a blank among them is reported at its own cell. Problems are (location, message): a
    template sheet whose key row is gone, a row with values but no body code, a row whose
    code, name and type do not name the same body, a formula cell with no stored value
    (`formulas` is the same workbook opened with formulas, to tell those from blanks).
    The key row is found where it is, so rows inserted above it lose nothing.
    """
    from .safe_xlsx import present_rows

    rows, problems, keyed = [], [], []
    # The language each input sheet's name is written in: its cells' headings are in it.
    lang_of = {c.text("short", lang): lang for c in methodology.criteria for lang in LANGUAGES}
    lang_of.update({T("sheet.direct", lang, kind="files"): lang for lang in LANGUAGES})
    expected = set(lang_of)
    # The template's own formula sheets hold no inputs, whatever their cells show.
    generated = set().union(*(sheet_names(f"sheet.{key}") for key in ("calc", "checks", "targets")))
    for sheet in workbook.worksheets:
        if sheet.title in generated:
            continue
        formatted = list(present_rows(sheet, formats=True))
        lines = [(number, tuple(v for v, _ in row)) for number, row in formatted]
        number_formats = {number: tuple(f for _, f in row) for number, row in formatted}
        key_at, keys = _key_row(lines)
        if key_at is None:
            if sheet.title in expected and len(lines) > 3:
                problems.append((f"{sheet.title}!{KEY_ROW + 1}", T("input.lost_key_row")))
            continue
        keyed.append(sheet.title)
        formula_lines = dict(present_rows(formulas[sheet.title])) if formulas is not None else {}
        for number, line in lines:
            if number > key_at:
                found, wrong = _read_row(sheet.title, number, line, keys, number_formats.get(number, ()),
                                         formula_lines.get(number, ()), lang_of.get(sheet.title), methodology, bodies,
                                         make_row)
                rows += found
                problems += wrong
    if not keyed:
        return None
    return rows, problems


def _key_row(lines) -> tuple[int | None, dict]:
    """(the number of the key row among a sheet's first 20, {column: (indicator, input)}), or
    (None, {}) on a sheet that is not an input sheet."""
    for number, line in lines[:20]:
        found = {col: KEY.match(value).groups() for col, value in enumerate(line)
                 if col >= FIRST_INPUT_COL and isinstance(value, str) and KEY.match(value)}
        if found:
            return number, found
    return None, {}


def _read_row(title: str, number: int, line, keys, shown_as, stored, lang, methodology: Methodology,
              bodies: BodyRegistry, make_row) -> tuple[list, list]:
    """(rows, problems) of one body row of an input sheet (see `read_template_rows`)."""
    from openpyxl.utils import get_column_letter

    rows, problems = [], []
    code = line[0] if line else None
    cells_of = {col: (line[col] if col < len(line) else None) for col in keys}
    if code is None or (isinstance(code, str) and not code.strip()):
        filled = [f"{get_column_letter(c + 1)}{number}" for c, v in cells_of.items() if not is_not_submitted(v)]
        if filled:
            cells = ", ".join(filled[:3]) + (", …" if len(filled) > 3 else "")
            problems.append((f"{title}!A{number}", T("input.values_without_code", number=number, cells=cells)))
        return rows, problems
    mismatch = _body_row_mismatch(methodology, bodies, line)
    if mismatch:
        return rows, [(f"{title}!A{number}", mismatch)]
    by_indicator: dict[str, list] = {}
    for col, (indicator_id, field) in keys.items():
        value = cells_of[col]
        location = f"{title}!{get_column_letter(col + 1)}{number}"
        percent = _percent_problem(methodology, indicator_id, field, location, lang, value,
                                   shown_as[col] if col < len(shown_as) else None)
        if percent:
            problems.append((location, percent))
            continue
        formula = stored[col] if col < len(stored) else None
        if value is None and isinstance(formula, str) and formula.startswith("="):
            problems.append((location, T("input.formula_no_value_shown", formula=formula[:40])))
            continue
        by_indicator.setdefault(indicator_id, []).append((location, field, value))
    for indicator_id, items in by_indicator.items():
        if not all(is_not_submitted(v) for _, _, v in items):
            rows += [make_row(location, code, indicator_id, field, value, lang=lang) for location, field, value in items]
    return rows, problems


def _percent_problem(methodology: Methodology, indicator_id: str, field: str, location: str, lang: str | None, value,
                     number_format) -> str | None:
    """A number shown as a percentage: Excel stores 85 % as 0.85. That is right for a share
    (0–1) and wrong for anything else, which would be scored a hundred times too small."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or "%" not in str(number_format or ""):
        return None
    indicator = methodology.indicator(indicator_id)
    spec = None if field == "score" else indicator.input(field)
    if spec is not None and spec.unit == "share":
        return None
    name = cell_name(score_heading(indicator, lang) if spec is None else input_heading(spec, lang), location)
    return percent_format_message(name, spec.unit if spec else "points", shown(value * 100), shown(value))


def _body_row_mismatch(methodology: Methodology, bodies: BodyRegistry, line) -> str | None:
    """Why a template row's code, name and type do not name one body (None when they do)."""
    from ..core.bodies import UnknownBody

    code, name, body_type = (tuple(line) + (None, None, None))[:3]
    try:
        body = bodies.find(str(code))
    except UnknownBody:
        return None  # reported as an unknown body, with suggestions, where the rows are read
    # The template's formulas find a body's row by its code as Excel compares text (TRIM,
    # any case); a name or a look-alike spelling there would be read here and missed there.
    if re.sub(" +", " ", str(code)).strip(" ").casefold() != body.code.casefold():
        return T("input.code_not_exact", code=body.code, written=repr(str(code)))
    if name is not None and str(name).strip():
        try:
            named = bodies.find(str(name))
        except UnknownBody:
            named = None
        if named is not body:
            return T("input.code_and_name", code=body.code, name=body.name_ru, written=repr(str(name).strip()))
    if body_type is not None and str(body_type).strip() and methodology.body_type_code(str(body_type)) != body.type:
        return T("input.code_and_type", code=body.code, type=body.type, written=repr(str(body_type).strip()))
    return None


def template_keys(methodology: Methodology) -> Iterable[str]:
    """Every key the template has, in column order: `indicator_id.field`, then direct scores."""
    for criterion in methodology.criteria:
        for indicator_id in criterion.indicators:
            for spec in methodology.indicator(indicator_id).inputs:
                yield f"{indicator_id}.{spec.name}"
    for indicator in methodology.indicators:
        yield f"{indicator.id}.score"
