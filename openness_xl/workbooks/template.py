"""The input template: one sheet per criterion, a row per body, a column per input.

Everything comes from the methodology: the columns, their validation (type and range),
the header comments (unit, meaning, what is allowed). Row 4 holds machine keys
`indicator_id.field`, which is how `openness scores inputs.xlsx` reads the file back.
A blank cell or «н/д» means "not submitted", which is different from 0.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from ..core.bodies import BodyRegistry
from ..core.exact import plain
from ..methodology import Indicator, InputSpec, Methodology
from ..core.values import (NOT_SUBMITTED, cell_name, input_heading, is_not_submitted, percent_format_message,
                           score_heading, shown)
from ..texts import LANGUAGES, decimal, language, term, text as T, using
from .common import cell, finish, new_workbook

TITLE_ROW, GROUP_ROW, HEAD_ROW, KEY_ROW, FIRST_BODY_ROW = 0, 1, 2, 3, 4
FIRST_INPUT_COL = 3
KEY = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")


def direct_sheet() -> str:
    """The name of the direct-score sheet in the current language."""
    return T("sheet.direct", kind="files")


def sheet_names(key: str) -> set[str]:
    """A sheet's name in every language (a reader accepts a template in any of them)."""
    return {T(key, lang) for lang in LANGUAGES}


def validation_for(spec: InputSpec | None, maximum=None, top_left: str = "D5") -> dict:
    """Excel data validation for one input column (or a direct score when spec is None),
    its messages in the current language."""
    marker = f'{top_left}="{NOT_SUBMITTED}"'
    if spec is None:
        rule = f"AND(ISNUMBER({top_left}),{top_left}>=0,{top_left}<={plain(maximum)})"
        allowed = T("value.number_range", low="0", high=decimal(plain(maximum)))
    elif spec.type == "boolean":
        yes, no = T("word.yes", kind="files"), T("word.no", kind="files")
        return {"validate": "list", "source": [yes, no, NOT_SUBMITTED],
                "error_title": T("template.invalid_title"),
                "error_message": T("template.yes_no_or", yes=yes, no=no, marker=NOT_SUBMITTED)}
    elif spec.type == "choice":
        rule = "OR(" + ",".join(f"{top_left}={plain(c)}" for c in spec.choices) + ")"
        allowed = spec.allowed
    else:
        parts = [f"ISNUMBER({top_left})"]
        if spec.min is not None:
            parts.append(f"{top_left}>={plain(spec.min)}")
        if spec.max is not None:
            parts.append(f"{top_left}<={plain(spec.max)}")
        if spec.type == "integer":
            parts.append(f"{top_left}=INT({top_left})")
        rule = "AND(" + ",".join(parts) + ")"
        allowed = spec.allowed
    return {"validate": "custom", "value": f"=OR({marker},{rule})", "ignore_blank": True,
            "error_title": T("template.invalid_title"), "error_message": T("template.invalid_or", allowed=allowed,
                                                                           marker=NOT_SUBMITTED)[:255]}


def unit_in(spec: InputSpec) -> str:
    """The input's unit in the current language."""
    return T(f"unit.{spec.unit}", kind="files")


def _comment(indicator: Indicator, spec: InputSpec) -> str:
    lines = [indicator.text(), f"{spec.text()} ({unit_in(spec)})",
             T("note.allowed", allowed=spec.allowed),
             T("note.supplier", supplier=indicator.supplier_shown)]
    if spec.part_of:
        lines.append(T("note.part_of", whole=indicator.input(spec.part_of).text()))
    if indicator.provisional:
        lines.append(T("note.provisional"))
    lines.append(T("note.not_submitted", marker=NOT_SUBMITTED))
    return "\n".join(lines)


def write_template(methodology: Methodology, bodies: BodyRegistry, submissions=(), lang: str = "ru") -> bytes:
    """The input template for all bodies in `lang` (ru, kk or en), as bytes (deterministic):
    prefilled with `submissions` (raw inputs on the criterion sheets, direct scores on «Баллы
    напрямую»), computing the index itself on «Расчёт», with the named LAMBDA functions."""
    with using(lang):
        workbook, buffer = new_workbook(T("template.workbook_title", year=methodology.year))
        values = input_values(methodology, submissions)
        return finish_template(workbook, buffer, methodology, bodies, values)


def finish_template(workbook, buffer, methodology: Methodology, bodies: BodyRegistry, values: dict) -> bytes:
    """The template's sheets over `values` {(body, indicator_id, field): cell value}, as bytes."""
    from .calculation import define_lambdas, write_calculation
    from .targets_sheet import write_targets

    columns = write_input_sheets(workbook, methodology, bodies, values)
    col_of, rows = write_calculation(workbook, methodology, bodies, columns, values)
    write_targets(workbook, methodology, bodies, values, col_of, rows)
    define_lambdas(workbook, methodology)
    return finish(workbook, buffer, natural_size=tuple(T(f"sheet.{key}") for key in ("calc", "checks", "targets")))


def _cell_value(spec: InputSpec | None, value):
    """An input as a user would have typed it into the template."""
    if spec is not None and spec.type == "boolean":
        return T("word.yes" if value == 1 else "word.no", kind="files")
    return float(value)


def input_values(methodology: Methodology, submissions) -> dict:
    """{(body, indicator_id, field): cell value} for the template's cells."""
    from ..core.scoring import DIRECT

    values = {}
    for body, _body_type, entries in submissions:
        for indicator_id, entry in entries.items():
            indicator = methodology.indicator(indicator_id)
            if entry.source == DIRECT:
                values[(body, indicator_id, "score")] = float(entry.score)
            else:
                for spec in indicator.inputs:
                    values[(body, indicator_id, spec.name)] = _cell_value(spec, entry.values[spec.name])
    return values


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


def write_input_sheets(workbook, methodology: Methodology, bodies: BodyRegistry, values: dict) -> dict[str, tuple[str, int]]:
    """The README, one input sheet per criterion and the direct-score sheet, filled with
    `values` {(body, indicator_id, field): value}; returns where each key's column is."""
    head = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    group = workbook.add_format({"bold": True, "bg_color": "#B4C6E7", "border": 1, "align": "center", "text_wrap": True})
    key = workbook.add_format({"font_color": "#808080", "font_size": 8})
    title = workbook.add_format({"bold": True, "font_size": 13})
    entry = workbook.add_format({"bg_color": "#FFFFF0", "border": 1, "border_color": "#D0D0D0"})
    counts = workbook.add_format({"bg_color": "#FFFFF0", "border": 1, "border_color": "#D0D0D0", "num_format": "#,##0"})
    _write_readme(workbook.add_worksheet(T("sheet.readme", kind="files")), methodology, title)
    last_row = FIRST_BODY_ROW + len(bodies) - 1
    columns: dict[str, tuple[str, int]] = {}

    def fill(sheet, col, indicator_id, field):
        columns[f"{indicator_id}.{field}"] = (sheet.get_name(), col)
        for position, body in enumerate(bodies):
            value = values.get((body.code, indicator_id, field))
            if value is None:
                continue
            write_value(sheet, FIRST_BODY_ROW + position, col, value)

    for criterion in methodology.criteria:
        sheet = workbook.add_worksheet(criterion.text("short"))
        sheet.write_string(TITLE_ROW, 0, T("template.criterion_title", name=criterion.text(), year=methodology.year), title)
        write_body_columns(sheet, bodies, head, key, methodology.body_type_label)
        col = FIRST_INPUT_COL
        for indicator_id in criterion.indicators:
            indicator = methodology.indicator(indicator_id)
            specs = list(indicator.inputs)
            label = T("head.group_label", order=indicator.order, name=indicator.text(),
                      provisional=T("word.provisional") if indicator.provisional else "", supplier=indicator.supplier_shown)
            if len(specs) > 1:
                sheet.merge_range(GROUP_ROW, col, GROUP_ROW, col + len(specs) - 1, label, group)
            else:
                sheet.write_string(GROUP_ROW, col, label, group)
            for spec in specs:
                sheet.write_string(HEAD_ROW, col, input_heading(spec), head)
                sheet.write_comment(HEAD_ROW, col, _comment(indicator, spec), {"x_scale": 2.5, "y_scale": 2})
                sheet.write_string(KEY_ROW, col, f"{indicator.id}.{spec.name}", key)
                sheet.data_validation(FIRST_BODY_ROW, col, last_row, col,
                                      validation_for(spec, top_left=cell(FIRST_BODY_ROW, col)))
                sheet.set_column(col, col, 16, counts if spec.type == "integer" else entry)
                fill(sheet, col, indicator.id, spec.name)
                col += 1
        sheet.set_row(GROUP_ROW, 80)  # a one-column group holds a long name and its supplier
        sheet.set_row(HEAD_ROW, 75)
        sheet.freeze_panes(FIRST_BODY_ROW, FIRST_INPUT_COL)
    sheet = workbook.add_worksheet(direct_sheet())
    sheet.write_string(TITLE_ROW, 0, T("template.direct_title"), title)
    write_body_columns(sheet, bodies, head, key, methodology.body_type_label)
    for offset, indicator in enumerate(methodology.indicators):
        col = FIRST_INPUT_COL + offset
        sheet.write_string(GROUP_ROW, col, indicator.text("short"), group)
        sheet.write_string(HEAD_ROW, col, T("head.direct_label", heading=score_heading(indicator),
                                             supplier=indicator.supplier_shown), head)
        sheet.write_string(KEY_ROW, col, f"{indicator.id}.score", key)
        sheet.data_validation(FIRST_BODY_ROW, col, last_row, col,
                              validation_for(None, indicator.maximum, top_left=cell(FIRST_BODY_ROW, col)))
        sheet.set_column(col, col, 16, entry)
        fill(sheet, col, indicator.id, "score")
    sheet.set_row(GROUP_ROW, 45)
    sheet.set_row(HEAD_ROW, 90)
    sheet.freeze_panes(FIRST_BODY_ROW, FIRST_INPUT_COL)
    assert columns == input_columns(methodology), "input_columns must describe the sheets written here"
    return columns


class CellError(str):
    """An error value (#N/A …) to put in a cell, as a formula that gives it."""

    FORMULAS = {"#N/A": "=NA()", "#DIV/0!": "=1/0", "#VALUE!": '=1+"x"', "#NUM!": "=SQRT(-1)", "#REF!": "=#REF!",
                "#NAME?": "=NAME_THAT_DOES_NOT_EXIST()", "#NULL!": "=A1 B1"}


def write_value(sheet, row: int, col: int, value) -> None:
    """A cell value as a person would have typed it: text, a number, TRUE/FALSE or an error."""
    if isinstance(value, CellError):
        sheet.write_formula(row, col, CellError.FORMULAS[str(value)], None, str(value))
    elif isinstance(value, str):
        sheet.write_string(row, col, value)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    else:
        sheet.write_number(row, col, float(value))


def write_body_columns(sheet, bodies: BodyRegistry, head, key, type_label: Callable[[str], str] = str) -> None:
    """Code, name and type of every body (the type as the report writes it, ЦГО / МИО, or in
    Kazakh ОМО / ЖАО), under their headings and machine keys."""
    for col, (label, name) in enumerate((("head.code", "body"), ("head.name", "name"), ("head.type", "body_type"))):
        sheet.write_string(HEAD_ROW, col, T(label, kind="files"), head)
        sheet.write_string(KEY_ROW, col, name, key)
    for position, body in enumerate(bodies):
        sheet.write_string(FIRST_BODY_ROW + position, 0, body.code)
        sheet.write_string(FIRST_BODY_ROW + position, 1, body.name())
        sheet.write_string(FIRST_BODY_ROW + position, 2, type_label(body.type))
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 2, 6)


def _write_readme(sheet, methodology: Methodology, title) -> None:
    types = " / ".join(methodology.body_type_label(code) for code in methodology.body_types)
    # A Kazakh file shows our translations of the names, so it says how certain they are.
    unofficial = (T("word.unofficial", status=term("name_status", methodology.name_kk_status, kind="files"))
                  if language("files") == "kk" and methodology.name_kk_status else "")
    readme = T("template.readme", kind="files", year=methodology.year, marker=NOT_SUBMITTED, direct=direct_sheet(),
               calc=T("sheet.calc", kind="files"), checks=T("sheet.checks", kind="files"), types=types, unofficial=unofficial)
    for row, line in enumerate(readme.rstrip("\n").split("\n")):
        sheet.write_string(row, 0, line, title if row == 0 else None)
    sheet.set_column(0, 0, 120)


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
    from openpyxl.utils import get_column_letter

    from ..io.safe_xlsx import present_rows

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
        key_at, keys = None, {}
        for number, line in lines[:20]:
            found = {col: KEY.match(value).groups() for col, value in enumerate(line)
                     if col >= FIRST_INPUT_COL and isinstance(value, str) and KEY.match(value)}
            if found:
                key_at, keys = number, found
                break
        if key_at is None:
            if sheet.title in expected and len(lines) > 3:
                problems.append((f"{sheet.title}!{KEY_ROW + 1}", T("input.lost_key_row")))
            continue
        keyed.append(sheet.title)
        formula_lines = dict(present_rows(formulas[sheet.title])) if formulas is not None else {}
        for number, line in lines:
            if number <= key_at:
                continue
            code = line[0] if line else None
            cells_of = {col: (line[col] if col < len(line) else None) for col in keys}
            if code is None or (isinstance(code, str) and not code.strip()):
                filled = [f"{get_column_letter(c + 1)}{number}" for c, v in cells_of.items() if not is_not_submitted(v)]
                if filled:
                    cells = ", ".join(filled[:3]) + (", …" if len(filled) > 3 else "")
                    problems.append((f"{sheet.title}!A{number}", T("input.values_without_code", number=number, cells=cells)))
                continue
            mismatch = _body_row_mismatch(methodology, bodies, line)
            if mismatch:
                problems.append((f"{sheet.title}!A{number}", mismatch))
                continue
            stored = formula_lines.get(number, ())
            by_indicator: dict[str, list] = {}
            shown_as = number_formats.get(number, ())
            for col, (indicator_id, field) in keys.items():
                value = cells_of[col]
                location = f"{sheet.title}!{get_column_letter(col + 1)}{number}"
                percent = _percent_problem(methodology, indicator_id, field, location, lang_of.get(sheet.title), value,
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
                if all(is_not_submitted(v) for _, _, v in items):
                    continue
                for location, field, value in items:
                    rows.append(make_row(location, code, indicator_id, field, value, lang=lang_of.get(sheet.title)))
    if not keyed:
        return None
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
