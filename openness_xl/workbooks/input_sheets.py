"""The template's input sheets: one per criterion, a row per body, a column per input, and
the direct-score sheet — shared by the template and the live workbook.

Everything comes from the methodology: the columns, their validation (type and range),
the header comments (unit, meaning, what is allowed), laid out by the geometry the reader
uses (`io/template_reader.py`).
"""
from __future__ import annotations

from typing import Callable

from ..core.bodies import BodyRegistry
from ..core.exact import plain
from ..core.values import NOT_SUBMITTED, input_heading, score_heading
from ..io.template_reader import (FIRST_BODY_ROW, FIRST_INPUT_COL, GROUP_ROW, HEAD_ROW, KEY_ROW, TITLE_ROW,
                                  direct_sheet, input_columns)
from ..methodology import Indicator, InputSpec, Methodology
from ..texts import decimal, language, term, text as T
from ..excel.native import valid_number
from .common import cell


def validation_for(spec: InputSpec | None, maximum=None, top_left: str = "D5") -> dict:
    """Excel data validation for one input column (or a direct score when spec is None),
    its messages in the current language."""
    marker = f'{top_left}="{NOT_SUBMITTED}"'
    if spec is None:
        rule = valid_number(None, top_left, maximum)
        allowed = T("value.number_range", low="0", high=decimal(plain(maximum)))
    elif spec.type == "boolean":
        yes, no = T("word.yes", kind="files"), T("word.no", kind="files")
        return {"validate": "list", "source": [yes, no, NOT_SUBMITTED],
                "error_title": T("template.invalid_title"),
                "error_message": T("template.yes_no_or", yes=yes, no=no, marker=NOT_SUBMITTED)}
    else:
        rule = valid_number(spec, top_left)
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


def write_input_sheets(workbook, methodology: Methodology, bodies: BodyRegistry, values: dict) -> dict[str, tuple[str, int]]:
    """The README, one input sheet per criterion and the direct-score sheet, filled with
    `values` {(body, indicator_id, field): value}; returns where each key's column is."""
    formats = {
        "head": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}),
        "group": workbook.add_format({"bold": True, "bg_color": "#B4C6E7", "border": 1, "align": "center", "text_wrap": True}),
        "key": workbook.add_format({"font_color": "#808080", "font_size": 8}),
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "entry": workbook.add_format({"bg_color": "#FFFFF0", "border": 1, "border_color": "#D0D0D0"}),
        "counts": workbook.add_format({"bg_color": "#FFFFF0", "border": 1, "border_color": "#D0D0D0", "num_format": "#,##0"}),
    }
    _write_readme(workbook.add_worksheet(T("sheet.readme", kind="files")), methodology, formats["title"])
    columns: dict[str, tuple[str, int]] = {}

    def fill(sheet, col, indicator_id, field):
        columns[f"{indicator_id}.{field}"] = (sheet.get_name(), col)
        for position, body in enumerate(bodies):
            value = values.get((body.code, indicator_id, field))
            if value is None:
                continue
            write_value(sheet, FIRST_BODY_ROW + position, col, value)

    for criterion in methodology.criteria:
        _write_criterion_sheet(workbook.add_worksheet(criterion.text("short")), methodology, criterion, bodies, formats, fill)
    _write_direct_sheet(workbook.add_worksheet(direct_sheet()), methodology, bodies, formats, fill)
    assert columns == input_columns(methodology), "input_columns must describe the sheets written here"
    return columns


def _write_criterion_sheet(sheet, methodology: Methodology, criterion, bodies: BodyRegistry, formats, fill) -> None:
    """One criterion's input sheet: a group of columns per indicator, one column per input."""
    last_row = FIRST_BODY_ROW + len(bodies) - 1
    sheet.write_string(TITLE_ROW, 0, T("template.criterion_title", name=criterion.text(), year=methodology.year),
                       formats["title"])
    write_body_columns(sheet, bodies, formats["head"], formats["key"], methodology.body_type_label)
    col = FIRST_INPUT_COL
    for indicator_id in criterion.indicators:
        indicator = methodology.indicator(indicator_id)
        specs = list(indicator.inputs)
        label = T("head.group_label", order=indicator.order, name=indicator.text(),
                  provisional=T("word.provisional") if indicator.provisional else "", supplier=indicator.supplier_shown)
        if len(specs) > 1:
            sheet.merge_range(GROUP_ROW, col, GROUP_ROW, col + len(specs) - 1, label, formats["group"])
        else:
            sheet.write_string(GROUP_ROW, col, label, formats["group"])
        for spec in specs:
            sheet.write_string(HEAD_ROW, col, input_heading(spec), formats["head"])
            sheet.write_comment(HEAD_ROW, col, _comment(indicator, spec), {"x_scale": 2.5, "y_scale": 2})
            sheet.write_string(KEY_ROW, col, f"{indicator.id}.{spec.name}", formats["key"])
            sheet.data_validation(FIRST_BODY_ROW, col, last_row, col,
                                  validation_for(spec, top_left=cell(FIRST_BODY_ROW, col)))
            sheet.set_column(col, col, 16, formats["counts"] if spec.type == "integer" else formats["entry"])
            fill(sheet, col, indicator.id, spec.name)
            col += 1
    sheet.set_row(GROUP_ROW, 80)  # a one-column group holds a long name and its supplier
    sheet.set_row(HEAD_ROW, 75)
    sheet.freeze_panes(FIRST_BODY_ROW, FIRST_INPUT_COL)


def _write_direct_sheet(sheet, methodology: Methodology, bodies: BodyRegistry, formats, fill) -> None:
    """«Баллы напрямую»: one column per indicator for a score given directly."""
    last_row = FIRST_BODY_ROW + len(bodies) - 1
    sheet.write_string(TITLE_ROW, 0, T("template.direct_title"), formats["title"])
    write_body_columns(sheet, bodies, formats["head"], formats["key"], methodology.body_type_label)
    for offset, indicator in enumerate(methodology.indicators):
        col = FIRST_INPUT_COL + offset
        sheet.write_string(GROUP_ROW, col, indicator.text("short"), formats["group"])
        sheet.write_string(HEAD_ROW, col, T("head.direct_label", heading=score_heading(indicator),
                                             supplier=indicator.supplier_shown), formats["head"])
        sheet.write_string(KEY_ROW, col, f"{indicator.id}.score", formats["key"])
        sheet.data_validation(FIRST_BODY_ROW, col, last_row, col,
                              validation_for(None, indicator.maximum, top_left=cell(FIRST_BODY_ROW, col)))
        sheet.set_column(col, col, 16, formats["entry"])
        fill(sheet, col, indicator.id, "score")
    sheet.set_row(GROUP_ROW, 45)
    sheet.set_row(HEAD_ROW, 90)
    sheet.freeze_panes(FIRST_BODY_ROW, FIRST_INPUT_COL)


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
