"""The methodology's objects: inputs, indicators, criteria, tier and rating bands.

Built by `loader.py` from a year's TOML file; everything the rest of openness-xl knows
about indicators, criteria, tiers and ratings it reads from these.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from ..core.exact import plain as _show
from ..core.kinds import Kind
from ..texts import count, decimal, diagnostics_language, language, term, text

HERE = Path(__file__).parent
# The year whose methodology, bodies and published tables the package bundles: what every
# command and function uses when no year is given.
DEFAULT_YEAR = 2025
# The most robustness samples a methodology or --samples may ask for, checked before anything
# is allocated: the sampled ranks and ratings take some 2.4 KB a sample for 49 bodies, so a
# run stays under about half a gigabyte.
MAX_SAMPLES = 200_000
INPUT_TYPES = ("integer", "decimal", "boolean", "choice")
ROLES = ("score", "penalty", "bonus")
# Excel function names: a letter, then letters, digits, dots or underscores; not a cell reference.
EXCEL_NAME = re.compile(r"^[A-Z][A-Z0-9_.]{0,254}$")
CELL_REFERENCE = re.compile(r"^[A-Z]{1,3}[0-9]+$")


class MethodologyError(ValueError):
    """The methodology file is inconsistent; `problems` lists every sentence."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(text("loader.heading", path=path, problems=count(len(problems), "problem")) + "\n" + lines)


class MissingTranslation(ValueError):
    """A name or description the methodology file does not give in the language asked for."""


COLUMN_WIDTH = 8  # a criterion's column in the 80-column table


def localized(item: Any, field: str, lang: str | None, what: str) -> str:
    """`item.<field>_<lang>` (lang: the current language of files), or MissingTranslation
    naming the item and the key to add to the methodology file."""
    code = language("files", lang)
    value = getattr(item, f"{field}_{code}", "")
    if not value:
        # The file is being written in `code`; the person reading the error reads the command line's language.
        raise MissingTranslation(text("loader.missing_translation", diagnostics_language(), what=what,
                                      setting=f"{field}_{code}"))
    return value


@dataclass(frozen=True)
class InputSpec:
    name: str
    type: str
    unit: str
    description_ru: str
    description_en: str
    min: Fraction | None = None
    max: Fraction | None = None
    choices: tuple[Fraction, ...] = ()
    part_of: str | None = None
    # For a number with no stated maximum: above this it is a typing error, not a count.
    ceiling: Fraction | None = None
    description_kk: str = ""
    # "more" or "less": a lever a body acts on, and the way that is a real improvement;
    # None: a given (the whole of a share, violations found), never proposed to change.
    better: str | None = None

    def text(self, field: str = "description", lang: str | None = None) -> str:
        """The input's description in the language (the current one by default)."""
        return localized(self, field, lang, f"input {self.name}")

    @property
    def allowed(self) -> str:
        """What a valid value looks like, in words, in the current language (texts.using)."""
        return allowed_words(self.type, self.min, self.max, self.choices)


def allowed_words(type_: str, low=None, high=None, choices=()) -> str:
    """What a valid value of a type and bounds looks like, in the current language; numbers
    with a decimal comma in ru and kk (and then «;» between listed values)."""
    def show(value) -> str:
        return decimal(_show(value))
    if type_ == "boolean":
        return text("allowed.yes_no")
    if type_ == "choice":
        separator = ", " if language() == "en" else "; "
        return text("allowed.one_of", values=separator.join(show(c) for c in choices))
    kind = text("allowed.whole" if type_ == "integer" else "allowed.number")
    if low is not None and high is not None:
        return text("allowed.from_to", low=show(low), high=show(high), what=kind)
    if low is not None:
        return text("allowed.at_least", low=show(low), what=kind)
    return kind


@dataclass(frozen=True)
class Option:
    """One reading of an uncertain part of the methodology: the values that replace the declared
    ones (an indicator's parameters, or {rating: lower edge} for the index)."""

    label_ru: str
    label_en: str
    changes: Mapping[str, Any]
    label_kk: str = ""

    def text(self, field: str = "label", lang: str | None = None) -> str:
        """The reading's label in the language (the current one by default)."""
        return localized(self, field, lang, "option")


@dataclass(frozen=True)
class Uncertainty:
    """A provisional part of the methodology and its plausible readings, sampled by robustness.
    `target` is an indicator id or "index"; options[declared] is what the file declares."""

    id: str
    target: str
    label_ru: str
    label_en: str
    options: tuple[Option, ...]
    declared: int = 0
    label_kk: str = ""

    def text(self, field: str = "label", lang: str | None = None) -> str:
        """The uncertainty's label in the language (the current one by default)."""
        return localized(self, field, lang, f"uncertainty {self.id}")


@dataclass(frozen=True)
class Indicator:
    id: str
    criterion: str
    order: int
    role: str
    maximum: Fraction
    name_ru: str
    name_en: str
    name_kk: str
    short_ru: str
    udf: str
    confidence: str
    provisional: bool
    source: str
    kind: Kind
    params: Mapping[str, Any]
    inputs: tuple[InputSpec, ...]
    tier_scheme: str
    # Groups of inputs whose sum may not exceed another input: ((parts…), whole).
    sums_at_most: tuple[tuple[tuple[str, ...], str], ...] = ()
    # Who gives the body its data (L56–L58, L109–L117), the lines that say so, and whether
    # the report names the supplier at all or the name is our reading.
    supplier: str = ""
    supplier_source: str = ""
    supplier_named: bool = True
    # Plausible readings of a provisional formula, or why it has none (robustness).
    uncertainties: tuple[Uncertainty, ...] = ()
    robustness_note: str = ""
    short_kk: str = ""
    short_en: str = ""

    def text(self, field: str = "name", lang: str | None = None) -> str:
        """The indicator's name (or `short` name) in the language (the current one by default)."""
        return localized(self, field, lang, f"indicator {self.id}")

    def with_changes(self, changes: Mapping[str, Any]) -> "Indicator":
        """The same indicator with some parameters read another way."""
        return replace(self, params={**self.params, **changes}) if changes else self

    @property
    def supplier_shown(self) -> str:
        """The supplier as the workbooks show it, in the current language."""
        supplier = term("supplier", self.supplier, kind="files")
        return supplier if self.supplier_named else text("note.supplier_unnamed", kind="files", supplier=supplier)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)

    def input(self, name: str) -> InputSpec:
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def needs_body_type(self) -> bool:
        return "bands_by_body_type" in self.params


@dataclass(frozen=True)
class Criterion:
    id: str
    order: int
    short_ru: str
    name_ru: str
    name_en: str
    maximum: Fraction
    grade_a_from: Fraction
    grade_c_below: Fraction | None
    indicators: tuple[str, ...]
    grade_labels: tuple[str, str, str] = ("А", "В", "С")
    name_kk: str = ""
    short_kk: str = ""
    short_en: str = ""
    column_ru: str = ""  # the terminal table's column head, at most COLUMN_WIDTH characters
    column_kk: str = ""
    column_en: str = ""

    def text(self, field: str = "name", lang: str | None = None) -> str:
        """The criterion's name (or `short` name) in the language (the current one by default)."""
        return localized(self, field, lang, f"criterion {self.id}")

    def column(self, lang: str) -> str:
        """The terminal table's head for the criterion; a file that declares none shows the id."""
        return getattr(self, f"column_{lang}", "") or self.id[:COLUMN_WIDTH]


@dataclass(frozen=True)
class TierBand:
    tier: str
    at_least_share: Fraction | None = None
    below: Fraction | None = None
    at_most: Fraction | None = None


@dataclass(frozen=True)
class RatingBand:
    rating: str
    lower: Fraction | None  # None for the fallback
    provisional: bool


@dataclass(frozen=True)
class Cycle:
    """The year's dates (L107–L117): source data handed over, the last day to appeal them
    (an appeal filed that day is in time), the final data fixed."""

    source_data_by: dt.date
    appeals_until: dt.date
    final_by: dt.date


@dataclass(frozen=True)
class Methodology:
    year: int
    title_ru: str
    title_en: str
    source: str
    body_types: tuple[str, ...]
    decimals: int
    tier_order: tuple[str, ...]
    # {tier: {language: word}}: how a file in each language writes the tier ([tiers] words).
    tier_words: Mapping[str, Mapping[str, str]]
    tier_schemes: Mapping[str, tuple[tuple[TierBand, ...], str]]
    ratings: tuple[RatingBand, ...]
    criteria: tuple[Criterion, ...]
    indicators: tuple[Indicator, ...]
    path: str
    sha256: str
    records: Mapping[str, Any] = field(default_factory=dict)
    _by_id: Mapping[str, Indicator] = field(repr=False, default_factory=dict)
    # Other spellings of each body type a person may type: {"CGO": ("ЦГО",), …}.
    body_type_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    body_type_labels_kk: Mapping[str, str] = field(default_factory=dict)
    cycle: Cycle | None = None
    # Bodies rated below this must publish a roadmap (L62); None where the file says nothing.
    roadmap_below_rating: str | None = None
    # How certain the Kazakh names are («неофициальный перевод» until an official text exists);
    # every output that shows a name_kk shows this beside it.
    name_kk_status: str = ""
    # Readings of the provisional rating bands, and [robustness] (samples, seed).
    rating_uncertainties: tuple[Uncertainty, ...] = ()
    robustness: Mapping[str, Any] = field(default_factory=dict)

    @property
    def uncertainties(self) -> tuple[Uncertainty, ...]:
        """Every uncertain part the file declares: indicators in order, then the rating bands."""
        return tuple(u for i in self.indicators for u in i.uncertainties) + self.rating_uncertainties

    def variant(self, choices: Mapping[str, int]) -> "Methodology":
        """The methodology with some uncertainties read another way: {uncertainty id: option}."""
        by_id = {u.id: u for u in self.uncertainties}
        changes: dict[str, dict[str, Any]] = {}
        for ident, option in choices.items():
            uncertainty = by_id[ident]
            changes.setdefault(uncertainty.target, {}).update(uncertainty.options[option].changes)
        indicators = tuple(i.with_changes(changes.get(i.id, {})) for i in self.indicators)
        edges = changes.get("index", {})
        ratings = tuple(replace(b, lower=Fraction(edges[b.rating])) if b.rating in edges else b for b in self.ratings)
        return replace(self, indicators=indicators, ratings=ratings, _by_id={i.id: i for i in indicators})

    def body_type_spellings(self) -> list[tuple[str, str]]:
        """(spelling, code) for every accepted spelling of every body type, codes first."""
        pairs = [(code, code) for code in self.body_types]
        pairs += [(label, code) for code in self.body_types for label in self.body_type_labels.get(code, ())]
        return pairs

    def body_type_label(self, code: str, lang: str | None = None) -> str:
        """How a file in the language writes a body type: ОМО in Kazakh, else ЦГО as the report
        does (English has no abbreviation of its own); the code where the file gives no label."""
        if language("files", lang) == "kk" and code in self.body_type_labels_kk:
            return self.body_type_labels_kk[code]
        return (self.body_type_labels.get(code) or (code,))[0]

    def tier_label(self, tier: str, lang: str | None = None) -> str:
        """A tier as a file in the language writes it (высокий, жоғары, high); by default the
        current language of files. A name the methodology does not declare is itself."""
        return self.tier_words.get(tier, {}).get(language("files", lang), tier)

    @property
    def body_type_allowed(self) -> str:
        """What a body type may be, in words, for messages and help."""
        return text("allowed.one_of", values=", ".join(spelling for spelling, _ in self.body_type_spellings()))

    def body_type_code(self, raw: Any) -> str | None:
        """The body type code a cell's text stands for (any case, spaces around), or None."""
        if not isinstance(raw, str):
            return None
        text = raw.strip().upper()
        for spelling, code in self.body_type_spellings():
            if text == spelling.upper():
                return code
        return None

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id; KeyError names the known ids."""
        try:
            return self._by_id[indicator_id]
        except KeyError:
            raise KeyError(f"unknown indicator {indicator_id!r}; known: {', '.join(self._by_id)}") from None

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(f"unknown criterion {criterion_id!r}; known: {', '.join(c.id for c in self.criteria)}")

    def by_udf(self, udf_name: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.udf == udf_name:
                return indicator
        raise KeyError(udf_name)
