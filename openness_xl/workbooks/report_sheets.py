"""The report workbook's reading sheets: the distributions per indicator and criterion, «Итог»,
«Сводка», «Профиль» and «Происхождение» — every value a formula over «Данные»."""
from __future__ import annotations

from fractions import Fraction

from ..core.scoring import BodyResult
from ..methodology import Methodology
from ..texts import language, term, text as T
from ..version import __version__
from .common import cell, column_range, number, ref, sheet_name, tier_colour_rules
from .report_layout import FIRST, Layout, data_sheet, method_sheet, tier_word


def sorted_by(results, body_type, value):
    """The results of one body type, the highest `value` first, those without one last."""
    group = [r for r in results if r.body_type == body_type]
    return sorted(group, key=lambda r: (value(r) is None, -(value(r) or 0), r.body))


def write_distribution(sheet, layout: Layout, results, names, formats, colours, title, score_col, value, label,
                        chart=None) -> None:
    """A «Распределение баллов» table per body type: name, score and its label (tier or letter),
    both read from «Данные»; `value` and `label` give the cached values."""
    sheet.write_string(0, 0, title, formats["title"])
    data = data_sheet()
    for block, body_type in enumerate(layout.methodology.body_types):
        left = block * 4
        sheet.write_string(2, left, T("report.distribution", type=layout.methodology.body_type_label(body_type)), formats["bold"])
        for offset, head in enumerate((T("head.name"), T("head.score"), T("head.tier"))):
            sheet.write_string(3, left + offset, head, formats["head"])
        group = sorted_by(results, body_type, value)
        for position, result in enumerate(group):
            row = 4 + position
            source = layout.row(result.body)
            sheet.write_string(row, left, names.get(result.body, result.body))
            score = value(result)
            score_ref = ref(data, source, score_col)
            sheet.write_formula(row, left + 1, f'=IF({score_ref}="","",{score_ref})', formats["score"], number(score))
            sheet.write_formula(row, left + 2, f"={ref(data, source, score_col + 1)}", None, label(result) or "")
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


def write_final(sheet, layout: Layout, results, names, formats, letters) -> None:
    """«Итог»: the final index tables of each body type, with ratings and ranks."""
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
        for result in sorted_by(results, body_type, lambda r: r.index):
            source = layout.row(result.body)
            sheet.write_formula(row, 0, f"={ref(data_sheet(), source, layout.index_col + 2)}", None,
                                "" if result.rank is None else result.rank)
            sheet.write_string(row, 1, names.get(result.body, result.body))
            for offset, criterion in enumerate(m.criteria):
                sheet.write_formula(row, 2 + offset, f"={ref(data_sheet(), source, layout.criterion_col(criterion.id))}", formats["score"],
                                    number(result.criteria[criterion.id].score))
            col = 2 + len(m.criteria)
            sheet.write_formula(row, col, f"={ref(data_sheet(), source, layout.index_col)}", formats["score"], number(result.index))
            sheet.write_formula(row, col + 1, f"={ref(data_sheet(), source, layout.index_col + 1)}", None, result.rating or "")
            row += 1
        row += 2
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 2 + len(m.criteria) + 1, 14)


def write_summary(sheet, layout: Layout, results, names, formats) -> None:
    """«Сводка»: tiers per indicator, averages by body type, leaders and laggards."""
    m = layout.methodology
    types = column_range(data_sheet(), FIRST, layout.last, 2)
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
        tiers = column_range(data_sheet(), FIRST, layout.last, layout.tier_col(indicator.id))
        scores = column_range(data_sheet(), FIRST, layout.last, layout.score_col(indicator.id))
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
        ranked = [r for r in sorted_by(results, body_type, lambda r: r.index) if r.index is not None]
        for label, chosen in ((T("word.leaders"), ranked[:3]), (T("word.laggards"), ranked[-3:][::-1])):
            sheet.write_string(row, 0, f"{layout.methodology.body_type_label(body_type)}, {label}", formats["head"])
            for offset, result in enumerate(chosen):
                source = layout.row(result.body)
                sheet.write_string(row + 1 + offset, 0, names.get(result.body, result.body))
                sheet.write_formula(row + 1 + offset, 1, f"={ref(data_sheet(), source, layout.index_col)}", formats["score"], number(result.index))
                sheet.write_formula(row + 1 + offset, 2, f"={ref(data_sheet(), source, layout.index_col + 1)}", None, result.rating or "")
            row += 2 + len(chosen)
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, len(heads), 12)


def write_profile(sheet, layout: Layout, first: BodyResult, names, formats, tiers) -> None:
    """«Профиль»: one body chosen from a list, its scores, tiers, points lost and rank."""
    m = layout.methodology
    codes = column_range(data_sheet(), FIRST, layout.last, 0)
    sheet.write_string(0, 0, T("report.profile_title"), formats["title"])
    sheet.write_string(1, 0, T("head.body_code"), formats["bold"])
    sheet.write_string(1, 1, first.body)
    sheet.data_validation(1, 1, 1, 1, {"validate": "list", "source": f"={codes}"})
    match = f"MATCH($B$2,{codes},0)"

    def lookup(col):
        return f"INDEX({column_range(data_sheet(), FIRST, layout.last, col)},{match})"

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
        sheet.write_formula(row, 2, f"={ref(method_sheet(), layout.method_indicator_row(indicator.id), 2)}", None, float(indicator.maximum))
        sheet.write_formula(row, 3, f"={lookup(layout.tier_col(indicator.id))}", None, tier_word(layout.methodology, item.tier))
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
        sheet.write_formula(row + offset, 2, f"={ref(method_sheet(), layout.method_criterion_row(criterion.id), 2)}", None, float(criterion.maximum))
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


def write_provenance(sheet, methodology: Methodology, provenance, formats) -> None:
    """«Происхождение»: the package version, the methodology file and hash, the inputs."""
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
