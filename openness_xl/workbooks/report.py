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

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from ..version import __version__
from ..core import grading
from ..core.bodies import registry
from ..core.exact import plain
from ..methodology import DEFAULT_YEAR, Methodology
from ..core.scoring import BodyResult
from ..core import formula_text as ft
from ..excel import grades
from ..io.writing import score_columns
from .calculation import define_lambdas
from .table import Table, add_table_sheet
from ..texts import decimal, language, term, text as T, using
from .common import (GRADE_COLOURS, SCORE_FORMAT, cell, colour_formats, column_range, finish, new_workbook, number, ref,
                     sheet_name, tier_colour_rules, tier_colours)

FIRST = 2  # first data row (0-based) on «Данные»
RATING_FLOOR = -1000  # the lowest band's edge as «Методика» shows it; the rating formulas never read it


@dataclass(frozen=True)
class Layout:
    """Where everything sits on «Данные» and «Методика»: one place, used by every sheet."""

    methodology: Methodology
    bodies: tuple[str, ...]

    @property
    def last(self) -> int:
        return FIRST + len(self.bodies) - 1

    def row(self, body: str) -> int:
        return FIRST + self.bodies.index(body)

    def score_col(self, indicator_id: str) -> int:
        return 3 + 2 * [i.id for i in self.methodology.indicators].index(indicator_id)

    def tier_col(self, indicator_id: str) -> int:
        return self.score_col(indicator_id) + 1

    def criterion_col(self, criterion_id: str) -> int:
        return 3 + 2 * len(self.methodology.indicators) + 2 * [c.id for c in self.methodology.criteria].index(criterion_id)

    def column(self, column_id: str) -> int:
        """The «Данные» column of an `openness scores` column id (`appk`, `appk__grade`, `rank` …)."""
        return 3 + score_columns(self.methodology)[2:].index(column_id)

    @property
    def index_col(self) -> int:
        return 3 + 2 * len(self.methodology.indicators) + 2 * len(self.methodology.criteria)

    # «Методика»: indicators from row 2, then criteria, then ratings.
    def method_indicator_row(self, indicator_id: str) -> int:
        return 2 + [i.id for i in self.methodology.indicators].index(indicator_id)

    @property
    def method_criteria_start(self) -> int:
        return 2 + len(self.methodology.indicators) + 3

    def method_criterion_row(self, criterion_id: str) -> int:
        return self.method_criteria_start + [c.id for c in self.methodology.criteria].index(criterion_id)

    @property
    def method_ratings_start(self) -> int:
        return self.method_criteria_start + len(self.methodology.criteria) + 3


# The rules are the template's (`excel/grades.py`); here a blank cell stays blank, and every
# edge is the cell of «Методика» that shows it, so a reader sees where each comes from.

def _blank_or(value: str, then: str) -> str:
    return "=" + ft.if_(f'{value}=""', '""', then)


def tier_formula(layout: Layout, indicator, score_ref: str) -> str:
    """The tier over the edges held on «Методика» (exact decimals, compared as stated)."""
    row = layout.method_indicator_row(indicator.id)
    return _blank_or(score_ref, grades.tier_chain(layout.methodology, indicator, score_ref,
                                                  lambda position, _value: ref(_method(), row, 5 + position)))


def criterion_formula(layout: Layout, criterion, row: int) -> str:
    """The criterion total, blank until every one of its indicators has a score."""
    scores = {i: cell(row, layout.score_col(i)) for i in criterion.indicators}
    return "=" + ft.if_(f"COUNT({','.join(scores.values())})<{len(scores)}", '""',
                        grades.criterion_sum(layout.methodology, criterion, scores))


def grade_formula(layout: Layout, criterion, total_ref: str) -> str:
    row = layout.method_criterion_row(criterion.id)
    return _blank_or(total_ref, grades.grade_chain(criterion, total_ref, lambda position, _value: ref(_method(), row, 3 + position)))


def write_report(methodology: Methodology, results: Sequence[BodyResult], provenance: Sequence[tuple[str, str]],
                 year: int = DEFAULT_YEAR, tables: Sequence = (), lang: str = "ru", departures: Sequence = ()) -> bytes:
    """The report workbook in `lang` (ru, kk or en) as bytes (deterministic for the same
    results and provenance). `tables` adds sheets of plain rows (`table.Table`), made in the
    same language: «Изменения» (the accepted appeals and their effect), «Динамика»
    (year-over-year change), «Что нужно», «Устойчивость». `departures` (`reconcile.departures`,
    for the published scores) are the cells where the recomputed tables differ from the print:
    each such cell gets a note with the printed value and the report's error, and the sheet
    «Отличия от отчёта» lists them."""
    with using(lang):
        return _write_report(methodology, results, provenance, year, tables, departures)


def departure_notes(methodology: Methodology, departures: Sequence) -> dict[tuple[str, str], str]:
    """{(body, column id): the note of a cell that differs from the printed report}."""
    notes: dict[tuple[str, str], list[str]] = {}
    for column, finding in departures:
        ours = methodology.tier_label(finding.computed) if column.endswith("__tier") else shown_number(finding.computed)
        notes.setdefault((finding.body, column), []).append(
            T("report.departure_note", printed=shown_number(finding.published), ours=ours, ref=finding.known or "—",
              line=finding.line, note=finding.note))
    return {key: "\n".join(texts) for key, texts in notes.items()}


NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def shown_number(value: str) -> str:
    """A printed or recomputed value as the report writes it (4,51 in ru and kk): kept as text,
    so that it neither changes nor runs into the next column."""
    return decimal(value, kind="files") if NUMBER.fullmatch(value) else value


def departures_table(methodology: Methodology, departures: Sequence, names) -> Table:
    """The sheet that lists every cell where the workbook departs from the printed report."""
    labels = dict(zip(score_columns(methodology)[2:], column_labels(methodology)))
    rows = [(f.body, names.get(f.body, f.body), labels[column], shown_number(f.published),
             methodology.tier_label(f.computed) if column.endswith("__tier") else shown_number(f.computed), f.known or "—", f.line,
             f.note) for column, f in departures]
    columns = [T(f"head.{key}") for key in ("code", "name", "column", "printed", "here", "error", "line", "explanation")]
    return Table(sheet_name("departures"), T("report.departures_title"), columns, rows,
                 notes=[T("report.departures_intro", count=len(rows))], widths=(14, 34, 26, 11, 11, 9, 9, 70), wrap=(1, 2, 7), text=(3, 4))


def column_labels(methodology: Methodology) -> list[str]:
    """What each `openness scores` column after body and type is called in the workbook's language."""
    labels = []
    for indicator in methodology.indicators:
        name = f"{indicator.order}. {indicator.text('short')}"
        labels += [name, f"{name}: {T('head.tier')}"]
    for criterion in methodology.criteria:
        labels += [criterion.text("short"), f"{criterion.text('short')}: {T('head.grade')}"]
    return labels + [T("head.index"), T("head.rating"), T("head.rank")]


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
    data = workbook.add_worksheet(_data())
    _write_method(workbook, layout, formats)
    # The assessed bodies of each type: a place is given only where every one has an index.
    assessed = {b.code: b.type for b in registry(year)} | {r.body: r.body_type for r in results}
    group_sizes = {t: list(assessed.values()).count(t) for t in set(assessed.values())}
    _write_data(data, layout, results, names, formats, tiers, letters, group_sizes)
    _write_final(final_sheet, layout, results, names, formats, letters)
    notes = departure_notes(methodology, departures)
    _note_departures(data, final_sheet, layout, results, notes)
    for indicator in methodology.indicators:
        sheet = workbook.add_worksheet(T("sheet.indicator", order=indicator.order, short=indicator.text("short")))
        title = indicator.text() + (T("word.provisional_formula") if indicator.provisional else "")
        _write_distribution(sheet, layout, results, names, formats, tiers, title, layout.score_col(indicator.id),
                            lambda r: r.indicators[indicator.id].score, lambda r: _tier(methodology, r.indicators[indicator.id].tier))
    for criterion in methodology.criteria:
        sheet = workbook.add_worksheet(T("sheet.criterion", order=criterion.order, short=criterion.text("short")))
        _write_distribution(sheet, layout, results, names, formats, letters, T("report.criterion_title", name=criterion.text()),
                            layout.criterion_col(criterion.id), lambda r: r.criteria[criterion.id].score,
                            lambda r: r.criteria[criterion.id].grade, chart=(workbook, criterion.text("short")))
    _write_summary(workbook.add_worksheet(sheet_name("summary")), layout, results, names, formats)
    _write_profile(workbook.add_worksheet(sheet_name("profile")), layout, results[0], names, formats, tiers)
    _write_provenance(workbook.add_worksheet(sheet_name("provenance")), methodology, provenance, formats)
    for table in tables:
        add_table_sheet(workbook, table)
    if departures:
        add_table_sheet(workbook, departures_table(methodology, departures, names))
    define_lambdas(workbook, methodology)
    final_sheet.activate()
    return finish(workbook, buffer)


def _write_method(workbook, layout: Layout, formats) -> None:
    m = layout.methodology
    sheet = workbook.add_worksheet(_method())
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


def _data() -> str:
    return sheet_name("data")


def _method() -> str:
    return sheet_name("method")


def _tier(methodology: Methodology, tier: str | None) -> str:
    return methodology.tier_label(tier) if tier else ""


def _yes_no(flag: bool) -> str:
    return T("word.yes" if flag else "word.no")


def rating_formula(layout: Layout, index_ref: str) -> str:
    """The rating over the bands' lower edges held on «Методика» (lowest band first there)."""
    last = layout.method_ratings_start + len(layout.methodology.ratings) - 1
    return _blank_or(index_ref, grades.rating_chain(layout.methodology, index_ref,
                                                    lambda position, _value: ref(_method(), last - position, 0)))


def rank_formula(layout: Layout, row: int, group_size: int) -> str:
    """The rank, given only where all `group_size` assessed bodies of the row's type have an
    index — counting those the input leaves out, which have no row here."""
    types = column_range(_data(), FIRST, layout.last, 2)
    indices = column_range(_data(), FIRST, layout.last, layout.index_col)
    own, body_type = cell(row, layout.index_col), cell(row, 2)
    _without, rank = grades.rank_parts(own, indices, body_type, types)
    return _blank_or(own, ft.if_(f"SUMPRODUCT(({types}={body_type})*ISNUMBER({indices}))<{group_size}", '""', rank))


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
            sheet.write_formula(row, col + 1, tier_formula(layout, indicator, cell(row, col)), None, _tier(layout.methodology, item.tier))
        for criterion in m.criteria:
            item = result.criteria[criterion.id]
            col = layout.criterion_col(criterion.id)
            sheet.write_formula(row, col, criterion_formula(layout, criterion, row), formats["score"], number(item.score))
            sheet.write_formula(row, col + 1, grade_formula(layout, criterion, cell(row, col)), None, item.grade or "")
        totals = [cell(row, layout.criterion_col(c.id)) for c in m.criteria]
        index_formula = "=" + ft.if_(f"COUNT({','.join(totals)})<{len(totals)}", '""', grades.index_sum(totals))
        sheet.write_formula(row, layout.index_col, index_formula, formats["score"], number(result.index))
        sheet.write_formula(row, layout.index_col + 1, rating_formula(layout, cell(row, layout.index_col)), None, result.rating or "")
        sheet.write_formula(row, layout.index_col + 2, rank_formula(layout, row, group_sizes[result.body_type]), None,
                            "" if result.rank is None else result.rank)
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
        for result in _sorted(results, body_type, lambda r: r.index):
            for column, col in final_columns.items():
                if (result.body, column) in notes:
                    final_sheet.write_comment(row, col, notes[(result.body, column)], comment)
            row += 1
        row += 2


def _sorted(results, body_type, value):
    group = [r for r in results if r.body_type == body_type]
    return sorted(group, key=lambda r: (value(r) is None, -(value(r) or 0), r.body))


def _write_distribution(sheet, layout: Layout, results, names, formats, colours, title, score_col, value, label,
                        chart=None) -> None:
    """A «Распределение баллов» table per body type: name, score and its label (tier or letter),
    both read from «Данные»; `value` and `label` give the cached values."""
    sheet.write_string(0, 0, title, formats["title"])
    for block, body_type in enumerate(layout.methodology.body_types):
        left = block * 4
        sheet.write_string(2, left, T("report.distribution", type=layout.methodology.body_type_label(body_type)), formats["bold"])
        for offset, head in enumerate((T("head.name"), T("head.score"), T("head.tier"))):
            sheet.write_string(3, left + offset, head, formats["head"])
        group = _sorted(results, body_type, value)
        for position, result in enumerate(group):
            row = 4 + position
            source = layout.row(result.body)
            sheet.write_string(row, left, names.get(result.body, result.body))
            score = value(result)
            sheet.write_formula(row, left + 1, f'=IF({ref(_data(), source, score_col)}="","",{ref(_data(), source, score_col)})',
                                formats["score"], number(score))
            sheet.write_formula(row, left + 2, f"={ref(_data(), source, score_col + 1)}", None, label(result) or "")
        if group:
            tier_colour_rules(sheet, 4, 3 + len(group), left + 2, colours)
        sheet.set_column(left, left, 52)
        sheet.set_column(left + 1, left + 2, 14)
        if chart and group:
            workbook, short = chart
            bars = workbook.add_chart({"type": "bar"})
            sheet_name = sheet.get_name()
            bars.add_series({
                "name": f"{short}: {layout.methodology.body_type_label(body_type)}",
                "categories": [sheet_name, 4, left, 3 + len(group), left],
                "values": [sheet_name, 4, left + 1, 3 + len(group), left + 1],
            })
            bars.set_title({"name": f"{short} — {layout.methodology.body_type_label(body_type)}"})
            bars.set_legend({"none": True})
            bars.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 7}})
            bars.set_size({"width": 620, "height": 22 * len(group) + 80})
            below = 6 + max(len([r for r in results if r.body_type == t]) for t in layout.methodology.body_types)
            sheet.insert_chart(below, left, bars)
            sheet.set_h_pagebreaks([below])  # tables on the first printed page, charts on the next


def _write_final(sheet, layout: Layout, results, names, formats, letters) -> None:
    m = layout.methodology
    sheet.write_string(0, 0, T("report.final_title", year=m.year), formats["title"])
    heads = [T("head.rank"), T("head.name")] + [c.text("short") for c in m.criteria] + [T("head.index"), T("head.rating")]
    row = 2
    for body_type in m.body_types:
        sheet.write_string(row, 0, T("report.final_group", type=layout.methodology.body_type_label(body_type)), formats["bold"])
        row += 1
        for col, head in enumerate(heads):
            sheet.write_string(row, col, head, formats["head"])
        sheet.set_row(row, 30)
        row += 1
        for result in _sorted(results, body_type, lambda r: r.index):
            source = layout.row(result.body)
            sheet.write_formula(row, 0, f"={ref(_data(), source, layout.index_col + 2)}", None,
                                "" if result.rank is None else result.rank)
            sheet.write_string(row, 1, names.get(result.body, result.body))
            for offset, criterion in enumerate(m.criteria):
                sheet.write_formula(row, 2 + offset, f"={ref(_data(), source, layout.criterion_col(criterion.id))}", formats["score"],
                                    number(result.criteria[criterion.id].score))
            col = 2 + len(m.criteria)
            sheet.write_formula(row, col, f"={ref(_data(), source, layout.index_col)}", formats["score"], number(result.index))
            sheet.write_formula(row, col + 1, f"={ref(_data(), source, layout.index_col + 1)}", None, result.rating or "")
            row += 1
        row += 2
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 2 + len(m.criteria) + 1, 14)


def _write_summary(sheet, layout: Layout, results, names, formats) -> None:
    m = layout.methodology
    types = column_range(_data(), FIRST, layout.last, 2)
    sheet.write_string(0, 0, T("report.summary_title"), formats["title"])
    heads = [T("head.indicator"), T("head.maximum")]
    for body_type in m.body_types:
        label = m.body_type_label(body_type)
        heads += [f"{label}: {m.tier_label(t)}" for t in m.tier_order] + [T("head.type_mean", type=label)]
    for col, head in enumerate(heads):
        sheet.write_string(2, col, head, formats["head"])
    sheet.set_row(2, 45)
    for position, indicator in enumerate(m.indicators):
        row = 3 + position
        sheet.write_string(row, 0, indicator.text())
        sheet.write_number(row, 1, float(indicator.maximum))
        tiers = column_range(_data(), FIRST, layout.last, layout.tier_col(indicator.id))
        scores = column_range(_data(), FIRST, layout.last, layout.score_col(indicator.id))
        col = 2
        for body_type in m.body_types:
            group = [r.indicators[indicator.id] for r in results if r.body_type == body_type]
            for tier in m.tier_order:
                sheet.write_formula(row, col, f'=COUNTIFS({types},"{m.body_type_label(body_type)}",{tiers},"{m.tier_label(tier)}")', None,
                                    sum(1 for g in group if g.tier == tier))
                col += 1
            present = [g.score for g in group if g.score is not None]
            mean = sum(present, Fraction(0)) / len(present) if present else None
            label = m.body_type_label(body_type)
            sheet.write_formula(row, col, f'=IF(COUNTIFS({types},"{label}",{scores},"<>")=0,"",'
                                          f'AVERAGEIFS({scores},{types},"{label}"))', formats["mean"], number(mean))
            col += 1
    row = 5 + len(m.indicators)
    sheet.write_string(row, 0, T("report.leaders_title"), formats["bold"])
    row += 1
    for body_type in m.body_types:
        ranked = [r for r in _sorted(results, body_type, lambda r: r.index) if r.index is not None]
        for label, chosen in ((T("word.leaders"), ranked[:3]), (T("word.laggards"), ranked[-3:][::-1])):
            sheet.write_string(row, 0, f"{layout.methodology.body_type_label(body_type)}, {label}", formats["head"])
            for offset, result in enumerate(chosen):
                source = layout.row(result.body)
                sheet.write_string(row + 1 + offset, 0, names.get(result.body, result.body))
                sheet.write_formula(row + 1 + offset, 1, f"={ref(_data(), source, layout.index_col)}", formats["score"], number(result.index))
                sheet.write_formula(row + 1 + offset, 2, f"={ref(_data(), source, layout.index_col + 1)}", None, result.rating or "")
            row += 2 + len(chosen)
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, len(heads), 12)


def _write_profile(sheet, layout: Layout, first: BodyResult, names, formats, tiers) -> None:
    m = layout.methodology
    codes = column_range(_data(), FIRST, layout.last, 0)
    sheet.write_string(0, 0, T("report.profile_title"), formats["title"])
    sheet.write_string(1, 0, T("head.body_code"), formats["bold"])
    sheet.write_string(1, 1, first.body)
    sheet.data_validation(1, 1, 1, 1, {"validate": "list", "source": f"={codes}"})
    match = f"MATCH($B$2,{codes},0)"

    def lookup(col):
        return f"INDEX({column_range(_data(), FIRST, layout.last, col)},{match})"

    sheet.write_string(2, 0, T("head.name"), formats["bold"])
    sheet.write_formula(2, 1, f"={lookup(1)}", None, names.get(first.body, first.body))
    for col, head in enumerate([T("head.indicator"), T("head.score"), T("head.maximum"), T("head.tier"), T("head.lost")]):
        sheet.write_string(4, col, head, formats["head"])
    for position, indicator in enumerate(m.indicators):
        row = 5 + position
        item = first.indicators[indicator.id]
        score_ref = cell(row, 1)
        sheet.write_string(row, 0, indicator.text() + (T("word.provisional") if indicator.provisional else ""))
        sheet.write_formula(row, 1, f'=IF({lookup(layout.score_col(indicator.id))}="","",{lookup(layout.score_col(indicator.id))})',
                            formats["score"], number(item.score))
        sheet.write_formula(row, 2, f"={ref(_method(), layout.method_indicator_row(indicator.id), 2)}", None, float(indicator.maximum))
        sheet.write_formula(row, 3, f"={lookup(layout.tier_col(indicator.id))}", None, _tier(layout.methodology, item.tier))
        # Points lost: the gap to the maximum; for a penalty, the penalty itself; a bonus is never "lost".
        if indicator.role == "penalty":
            lost_formula, lost = f'=IF({score_ref}="","",{score_ref})', item.score
        elif indicator.role == "bonus":
            lost_formula, lost = '=0', Fraction(0)
        else:
            lost_formula = f'=IF({score_ref}="","",{cell(row, 2)}-{score_ref})'
            lost = None if item.score is None else indicator.maximum - item.score
        sheet.write_formula(row, 4, lost_formula, formats["score"], number(lost))
    tier_colour_rules(sheet, 5, 4 + len(m.indicators), 3, tiers)
    row = 6 + len(m.indicators)
    for offset, criterion in enumerate(m.criteria):
        item = first.criteria[criterion.id]
        sheet.write_string(row + offset, 0, criterion.text(), formats["bold"])
        sheet.write_formula(row + offset, 1, f"={lookup(layout.criterion_col(criterion.id))}", formats["score"], number(item.score))
        sheet.write_formula(row + offset, 2, f"={ref(_method(), layout.method_criterion_row(criterion.id), 2)}", None, float(criterion.maximum))
        sheet.write_formula(row + offset, 3, f"={lookup(layout.criterion_col(criterion.id) + 1)}", None, item.grade or "")
    row += len(m.criteria) + 1
    for offset, (label, col, value) in enumerate(((T("head.index"), layout.index_col, number(first.index)),
                                                  (T("head.rating"), layout.index_col + 1, first.rating or ""),
                                                  (T("head.rank_in_group"), layout.index_col + 2,
                                                   "" if first.rank is None else first.rank))):
        sheet.write_string(row + offset, 0, label, formats["bold"])
        sheet.write_formula(row + offset, 1, f"={lookup(col)}", None, value)
    sheet.set_column(0, 0, 70)
    sheet.set_column(1, 4, 14)


def _write_provenance(sheet, methodology: Methodology, provenance, formats) -> None:
    sheet.write_string(0, 0, sheet_name("provenance"), formats["title"])
    rows = [("openness-xl", __version__), (T("report.methodology_file"), methodology.path.rsplit("/", 1)[-1]),
            (T("report.methodology_hash"), methodology.sha256), *provenance]
    if language("files") == "kk" and methodology.name_kk_status:
        rows.append((T("report.kazakh_names"), term("name_status", methodology.name_kk_status, kind="files")))
    for position, (key, value) in enumerate(rows):
        sheet.write_string(2 + position, 0, key, formats["bold"])
        sheet.write_string(2 + position, 1, value)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 90)
