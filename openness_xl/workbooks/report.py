"""The report workbook: the published report's tables, as live Excel formulas over the scores.

Sheets:
* «Данные» — one row per body: every indicator score (the inputs of the workbook), and as
  native formulas its tier, the criteria with letters, the index, rating and rank;
* «Методика» — maxima, tier edges in points, letter edges and rating bands, which every
  formula reads (nothing is typed into a formula twice);
* one sheet per indicator and per criterion with the «Распределение баллов в разрезе ЦГО /
  МИО» tables (Наименование, Балл, Категория) sorted by score, tier colours, and a chart
  on each criterion sheet;
* «Итог» — the final index tables with ratings and ranks;
* «Сводка» — tiers per indicator, averages for ЦГО and МИО, leaders and laggards;
* «Профиль» — one body at a time, chosen from a list: scores, tiers, points lost, rank;
* «Происхождение» — package version, methodology file and hash, inputs and their SHA-256.

Every formula cell is stored with the value the core computed.
"""
from __future__ import annotations

from typing import Sequence

from ..core import grading
from ..core.bodies import registry
from ..core.exact import plain
from ..core.scoring import BodyResult
from ..core import formula_text as ft
from ..excel import grades
from ..methodology import DEFAULT_YEAR, Methodology
from ..texts import decimal, text as T, using
from .calculation import define_lambdas
from .common import (GRADE_COLOURS, SCORE_FORMAT, at, colour_formats, finish, new_workbook, number, sheet_name,
                     tier_colour_rules, tier_colours)
from .departures import departure_notes, departures_table
from .report_layout import (FIRST, RATING_FLOOR, Layout, criterion_formula, data_sheet, grade_formula, method_sheet,
                            rank_formula, rating_formula, tier_formula, tier_word)
from .report_sheets import sorted_by, write_distribution, write_final, write_profile, write_provenance, write_summary
from .table import add_table_sheet


# The rules are the template's (`excel/grades.py`); here a blank cell stays blank, and every
# edge is the cell of «Методика» that shows it, so a reader sees where each comes from.


def write_report(methodology: Methodology, results: Sequence[BodyResult], provenance: Sequence[tuple[str, str]],
                 year: int = DEFAULT_YEAR, tables: Sequence = (), lang: str = "ru", departures: Sequence = ()) -> bytes:
    """The report workbook in `lang` (ru, kk or en) as bytes (deterministic for the same
    results and provenance). `tables` adds sheets of plain rows (`table.Table`), made in the
    same language: «Изменения» (the accepted appeals and their effect), «Динамика»
    (year-over-year change), «Что нужно», «Устойчивость»; a table may come as a function that
    returns it, called when its sheet is reached (`analyses.analysis_sheets`). `departures`
    (`reconcile.departures`, for the published scores) are the cells where the recomputed
    tables differ from the print: each such cell gets a note with the printed value and the
    report's error, and the sheet «Отличия от отчёта» lists them."""
    with using(lang):
        return _write_report(methodology, results, provenance, year, tables, departures)


def _write_report(methodology: Methodology, results, provenance, year: int, tables, departures=()) -> bytes:
    workbook, buffer = new_workbook(T("report.title", year=methodology.year))
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "head": workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}),
        "key": workbook.add_format({"font_color": "#808080", "font_size": 8}),
        "bold": workbook.add_format({"bold": True}),
        "note": workbook.add_format({"italic": True, "font_color": "#7F6000"}),
        "mean": workbook.add_format({"num_format": "0.00"}),
        "score": workbook.add_format({"num_format": SCORE_FORMAT}),
    }
    tiers = colour_formats(workbook, tier_colours(methodology))
    letters = colour_formats(workbook, dict(zip(methodology.criteria[0].grade_labels, GRADE_COLOURS)))
    layout = Layout(methodology, tuple(r.body for r in results))
    names = {b.code: b.name() for b in registry(year)}

    final_sheet = workbook.add_worksheet(sheet_name("final"))
    data = workbook.add_worksheet(data_sheet())
    _write_method(workbook, layout, formats)
    # The assessed bodies of each type: a place is given only where every one has an index.
    assessed = {b.code: b.type for b in registry(year)} | {r.body: r.body_type for r in results}
    group_sizes = {t: list(assessed.values()).count(t) for t in set(assessed.values())}
    _write_data(data, layout, results, names, formats, tiers, letters, group_sizes)
    write_final(final_sheet, layout, results, names, formats, letters)
    notes = departure_notes(methodology, departures)
    _note_departures(data, final_sheet, layout, results, notes)
    for indicator in methodology.indicators:
        sheet = workbook.add_worksheet(T("sheet.indicator", order=indicator.order, short=indicator.text("short")))
        title = indicator.text() + (T("word.provisional_formula") if indicator.provisional else "")
        write_distribution(sheet, layout, results, names, formats, tiers, title, layout.score_col(indicator.id),
                            lambda r: r.indicators[indicator.id].score, lambda r: tier_word(methodology, r.indicators[indicator.id].tier))
    for criterion in methodology.criteria:
        sheet = workbook.add_worksheet(T("sheet.criterion", order=criterion.order, short=criterion.text("short")))
        write_distribution(sheet, layout, results, names, formats, letters, T("report.criterion_title", name=criterion.text()),
                            layout.criterion_col(criterion.id), lambda r: r.criteria[criterion.id].score,
                            lambda r: r.criteria[criterion.id].grade, chart=(workbook, criterion.text("short")))
    write_summary(workbook.add_worksheet(sheet_name("summary")), layout, results, names, formats)
    write_profile(workbook.add_worksheet(sheet_name("profile")), layout, results[0], names, formats, tiers)
    write_provenance(workbook.add_worksheet(sheet_name("provenance")), methodology, provenance, formats)
    for table in tables:  # a table made meanwhile comes as the function that hands it over
        add_table_sheet(workbook, table() if callable(table) else table)
    if departures:
        add_table_sheet(workbook, departures_table(methodology, departures, names))
    define_lambdas(workbook, methodology)
    final_sheet.activate()
    return finish(workbook, buffer)


def _write_method(workbook, layout: Layout, formats) -> None:
    m = layout.methodology
    sheet = workbook.add_worksheet(method_sheet())
    sheet.write_string(0, 0, T("report.method_title", year=m.year, file=m.path.rsplit('/', 1)[-1]), formats["title"])
    heads = [T("head.indicator"), T("head.name"), T("head.maximum"), T("head.role"), T("head.provisional"),
             *(T("head.edge", n=n) for n in (1, 2, 3)), T("head.rule"), T("head.supplier"), T("head.source")]
    for col, head in enumerate(heads):
        sheet.write_string(1, col, head, formats["head"])
    for indicator in m.indicators:
        row = layout.method_indicator_row(indicator.id)
        sheet.write_string(row, 0, indicator.id)
        sheet.write_string(row, 1, indicator.text())
        sheet.write_number(row, 2, float(indicator.maximum))
        sheet.write_string(row, 3, T(f"role.{indicator.role}"))
        sheet.write_string(row, 4, _yes_no(indicator.provisional))
        edges = grading.tier_edges(m, indicator)
        for position, (_tier, edge, _op) in enumerate(edges):
            sheet.write_number(row, 5 + position, float(edge))
        sheet.write_string(row, 8, "; ".join(f"{m.tier_label(tier)} {op} {decimal(plain(edge))}" for tier, edge, op in edges))
        sheet.write_string(row, 9, indicator.supplier_shown)
        sheet.write_string(row, 10, indicator.supplier_source)
    start = layout.method_criteria_start
    for col, head in enumerate([T("head.criterion"), T("head.name"), T("head.maximum"), T("head.a_from"), T("head.c_below")]):
        sheet.write_string(start - 1, col, head, formats["head"])
    for criterion in m.criteria:
        row = layout.method_criterion_row(criterion.id)
        sheet.write_string(row, 0, criterion.id)
        sheet.write_string(row, 1, criterion.text())
        sheet.write_number(row, 2, float(criterion.maximum))
        sheet.write_number(row, 3, float(criterion.grade_a_from))
        if criterion.grade_c_below is not None:
            sheet.write_number(row, 4, float(criterion.grade_c_below))
        else:
            sheet.write_string(row, 4, T("word.none"))
    start = layout.method_ratings_start
    sheet.write_string(start - 1, 0, T("head.index_from"), formats["head"])
    sheet.write_string(start - 1, 1, T("head.rating"), formats["head"])
    sheet.write_string(start - 1, 2, T("head.provisional"), formats["head"])
    for offset, band in enumerate(reversed(m.ratings)):
        sheet.write_number(start + offset, 0, RATING_FLOOR if band.lower is None else float(band.lower))
        sheet.write_string(start + offset, 1, band.rating)
        sheet.write_string(start + offset, 2, _yes_no(band.provisional))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 60)
    sheet.set_column(8, 8, 60)
    sheet.set_column(9, 9, 30)
    sheet.set_column(10, 10, 60)


def _yes_no(flag: bool) -> str:
    return T("word.yes" if flag else "word.no")


def _write_data(sheet, layout: Layout, results, names, formats, tiers, letters, group_sizes) -> None:
    m = layout.methodology
    sheet.write_string(0, 0, T("head.code"), formats["head"])
    sheet.write_string(0, 1, T("head.name"), formats["head"])
    sheet.write_string(0, 2, T("head.type"), formats["head"])
    for col, key in ((0, "body"), (1, "name"), (2, "body_type")):
        sheet.write_string(1, col, key, formats["key"])
    for indicator in m.indicators:
        col = layout.score_col(indicator.id)
        sheet.write_string(0, col, indicator.text() + (T("word.provisional") if indicator.provisional else ""), formats["head"])
        sheet.write_string(0, col + 1, T("head.tier"), formats["head"])
        sheet.write_string(1, col, indicator.id, formats["key"])
        sheet.write_string(1, col + 1, f"{indicator.id}__tier", formats["key"])
    for criterion in m.criteria:
        col = layout.criterion_col(criterion.id)
        sheet.write_string(0, col, criterion.text(), formats["head"])
        sheet.write_string(0, col + 1, T("head.grade"), formats["head"])
        sheet.write_string(1, col, criterion.id, formats["key"])
        sheet.write_string(1, col + 1, f"{criterion.id}__grade", formats["key"])
    for offset, (head, key) in enumerate((("head.index", "index"), ("head.rating", "rating"), ("head.rank", "rank"))):
        sheet.write_string(0, layout.index_col + offset, T(head), formats["head"])
        sheet.write_string(1, layout.index_col + offset, key, formats["key"])
    # The grading formulas compiled once each, the row left open (see ROW), not once a cell.
    tier_of = {i.id: tier_formula(layout, i, at(layout.score_col(i.id))) for i in m.indicators}
    grade_of = {c.id: grade_formula(layout, c, at(layout.criterion_col(c.id))) for c in m.criteria}
    rating = rating_formula(layout, at(layout.index_col))
    for result in results:
        row = layout.row(result.body)
        sheet.write_string(row, 0, result.body)
        sheet.write_string(row, 1, names.get(result.body, result.body))
        sheet.write_string(row, 2, layout.methodology.body_type_label(result.body_type))
        for indicator in m.indicators:
            item = result.indicators[indicator.id]
            col = layout.score_col(indicator.id)
            if item.score is not None:
                sheet.write_number(row, col, float(item.score), formats["score"])
        sheet.write_formula(row, layout.index_col + 2, rank_formula(layout, row, group_sizes[result.body_type]), None,
                            "" if result.rank is None else result.rank)
    # Every other formula down its column, stored once (a shared formula).
    in_rows = sorted(results, key=lambda r: layout.row(r.body))
    assert [layout.row(r.body) for r in in_rows] == list(range(FIRST, FIRST + len(in_rows)))
    for indicator in m.indicators:
        sheet.write_formula_down(FIRST, layout.score_col(indicator.id) + 1, tier_of[indicator.id],
                                 [tier_word(layout.methodology, r.indicators[indicator.id].tier) for r in in_rows])
    for criterion in m.criteria:
        col = layout.criterion_col(criterion.id)
        sheet.write_formula_down(FIRST, col, criterion_formula(layout, criterion),
                                 [number(r.criteria[criterion.id].score) for r in in_rows], formats["score"])
        sheet.write_formula_down(FIRST, col + 1, grade_of[criterion.id], [r.criteria[criterion.id].grade or "" for r in in_rows])
    totals = [at(layout.criterion_col(c.id)) for c in m.criteria]
    index_formula = "=" + ft.if_(f"COUNT({','.join(totals)})<{len(totals)}", '""', grades.index_sum(totals))
    sheet.write_formula_down(FIRST, layout.index_col, index_formula, [number(r.index) for r in in_rows], formats["score"])
    sheet.write_formula_down(FIRST, layout.index_col + 1, rating, [r.rating or "" for r in in_rows])
    for indicator in m.indicators:
        tier_colour_rules(sheet, FIRST, layout.last, layout.tier_col(indicator.id), tiers)
    for criterion in m.criteria:
        tier_colour_rules(sheet, FIRST, layout.last, layout.criterion_col(criterion.id) + 1, letters)
    sheet.freeze_panes(FIRST, 3)
    sheet.set_column(1, 1, 40)
    sheet.set_row(0, 60)


def _note_departures(data, final_sheet, layout: Layout, results, notes) -> None:
    """A note on every cell of «Данные» and «Итог» whose value differs from the printed report."""
    comment = {"x_scale": 3, "y_scale": 2.5}
    for (body, column), text in sorted(notes.items()):
        if body in layout.bodies:
            data.write_comment(layout.row(body), layout.column(column), text, comment)
    m = layout.methodology
    final_columns = {c.id: 2 + n for n, c in enumerate(m.criteria)} | {"index": 2 + len(m.criteria),
                                                                      "rating": 3 + len(m.criteria), "rank": 0}
    row = 2
    for body_type in m.body_types:
        row += 2
        for result in sorted_by(results, body_type, lambda r: r.index):
            for column, col in final_columns.items():
                if (result.body, column) in notes:
                    final_sheet.write_comment(row, col, notes[(result.body, column)], comment)
            row += 1
        row += 2


