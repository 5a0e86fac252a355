"""Where the report workbook's cells sit («Данные», «Методика») and the formulas over them:
tiers, criteria, letters, ratings and ranks, compiled by `excel.grades` like the template's."""
from __future__ import annotations

from dataclasses import dataclass

from ..core import formula_text as ft
from ..excel import grades
from ..io.writing import score_columns
from ..methodology import Methodology
from .common import at, cell, column_range, ref, sheet_name

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


def _blank_or(value: str, then: str) -> str:
    return "=" + ft.if_(f'{value}=""', '""', then)


def tier_formula(layout: Layout, indicator, score_ref: str) -> str:
    """The tier over the edges held on «Методика» (exact decimals, compared as stated)."""
    row = layout.method_indicator_row(indicator.id)
    return _blank_or(score_ref, grades.tier_chain(layout.methodology, indicator, score_ref,
                                                  lambda position, _value: ref(method_sheet(), row, 5 + position)))


def criterion_formula(layout: Layout, criterion) -> str:
    """The criterion total, blank until every one of its indicators has a score (the row left
    open, see ROW)."""
    scores = {i: at(layout.score_col(i)) for i in criterion.indicators}
    return "=" + ft.if_(f"COUNT({','.join(scores.values())})<{len(scores)}", '""',
                        grades.criterion_sum(layout.methodology, criterion, scores))


def grade_formula(layout: Layout, criterion, total_ref: str) -> str:
    """The criterion's letter over the edges held on «Методика»."""
    row = layout.method_criterion_row(criterion.id)
    return _blank_or(total_ref, grades.grade_chain(criterion, total_ref, lambda position, _value: ref(method_sheet(), row, 3 + position)))


def rating_formula(layout: Layout, index_ref: str) -> str:
    """The rating over the bands' lower edges held on «Методика» (lowest band first there)."""
    last = layout.method_ratings_start + len(layout.methodology.ratings) - 1
    return _blank_or(index_ref, grades.rating_chain(layout.methodology, index_ref,
                                                    lambda position, _value: ref(method_sheet(), last - position, 0)))


def rank_formula(layout: Layout, row: int, group_size: int) -> str:
    """The rank, given only where all `group_size` assessed bodies of the row's type have an
    index — counting those the input leaves out, which have no row here."""
    types = column_range(data_sheet(), FIRST, layout.last, 2)
    indices = column_range(data_sheet(), FIRST, layout.last, layout.index_col)
    own, body_type = cell(row, layout.index_col), cell(row, 2)
    _without, rank = grades.rank_parts(own, indices, body_type, types)
    return _blank_or(own, ft.if_(f"SUMPRODUCT(({types}={body_type})*ISNUMBER({indices}))<{group_size}", '""', rank))


def data_sheet() -> str:
    """The name of «Данные» in the workbook's language."""
    return sheet_name("data")


def method_sheet() -> str:
    """The name of «Методика» in the workbook's language."""
    return sheet_name("method")


def tier_word(methodology: Methodology, tier: str | None) -> str:
    """The tier as the workbook's language names it; "" for none."""
    return methodology.tier_label(tier) if tier else ""
