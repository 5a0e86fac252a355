"""The 49 assessed bodies: codes, types, names, and every spelling that should find them.

Body names arrive typed by hand: Kazakh or Russian forms, «г. Алматы», «Акмолинская
область», or a code typed with Latin look-alike letters (МО with a Latin M and O).
`BodyRegistry.find` accepts all of them and otherwise names the nearest codes.
"""
from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..texts import text as T
from ..methodology.model import DEFAULT_YEAR

DATA = Path(__file__).parents[1] / "data"

# Latin letters that look like Cyrillic ones, as typed on the wrong keyboard layout.
LOOKALIKES = str.maketrans({
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х",
    "y": "у", "k": "к", "m": "м", "t": "т", "h": "н", "b": "в",
})
# Kazakh letters folded to their nearest Russian ones, so «Қарағандынская» meets «Карагандинская».
KAZAKH_FOLD = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ё": "е"})
# Words around a name that do not tell bodies apart (compared after KAZAKH_FOLD).
# The legal entity's form and an akimat's office, as registries and exports name a body
# («ГУ «Министерство финансов Республики Казахстан»», «Аппарат акима Павлодарской области»),
# tell no two bodies apart either.
NOISE = re.compile(r"\b(г|город|города|акимат|акимдиги|область|области|обл|облысы|облысынын|каласы|каласынын"
                   r"|республики казахстан|казакстан республикасынын|рк|казахстана"
                   r"|(республиканское |коммунальное )?государственное учреждение|ргу|кгу|гу"
                   r"|аппарат акима|акиминин аппараты)\b\.?", re.IGNORECASE)
# Words that say whether a name means a region or a city: «Алматы облысы» is Алматинская,
# «Алматы қаласы» and «г. Алматы» are the city.
REGION_WORDS = re.compile(r"\b(область|области|обл|облысы|облысынын)\b", re.IGNORECASE)
CITY_WORDS = re.compile(r"\b(г|город|города|каласы|каласынын)\b", re.IGNORECASE)
# A region's adjective in any case: «Акимат Восточно-Казахстанской области» (the report's
# name) and «Восточно-Казахстанская область» (the one people type) are one key.
ADJECTIVE_CASES = re.compile(r"ск(ой|ую|ая)\b")
# What the report adds in brackets after a city's name: «(столица)».
BRACKETED = re.compile(r"\s*\(.*\)\s*$")


class UnknownBody(KeyError):
    """A body name that matches no body; the message names the nearest codes."""

    def __str__(self) -> str:
        return str(self.args[0])


def place_of(name: str) -> str | None:
    """"region" or "city" when the words of a name say so, else None."""
    text = str(name).translate(LOOKALIKES).lower().translate(KAZAKH_FOLD)
    if REGION_WORDS.search(text):
        return "region"
    if CITY_WORDS.search(text):
        return "city"
    return None


def normalise(name: str) -> str:
    """The comparison key of a body name: look-alikes, case, Kazakh letters, «г.», quotes and a
    region adjective's case folded."""
    text = str(name).translate(LOOKALIKES).lower().translate(KAZAKH_FOLD)
    text = re.sub(r"[«»\"'“”()]", " ", text)
    text = NOISE.sub(" ", text)
    text = ADJECTIVE_CASES.sub("ская", text)
    text = re.sub(r"[^\w-]+", " ", text)
    return " ".join(text.split())


REPUBLIC_KK = "Қазақстан Республикасының "


@dataclass(frozen=True)
class KazakhName:
    """A body's official Kazakh names, where they were read and how certain they are
    (`confidence` starts with «verified» — seen in the source — or «inferred»)."""

    name: str  # the full form: «Қазақстан Республикасының … министрлігі», «… облысы»
    akimat: str = ""  # a local body's akimat: «… облысының әкімдігі»
    abbreviation: str = ""
    source_url: str = ""
    evidence: str = ""
    confidence: str = ""

    @property
    def verified(self) -> bool:
        return self.confidence.startswith("verified")


@dataclass(frozen=True)
class Body:
    code: str
    type: str
    name_ru: str
    spellings: tuple[str, ...]
    kazakh: KazakhName | None = None

    @property
    def name_kk(self) -> str:
        """The Kazakh name as the workbooks show it: a local body's akimat, a central body's
        full name; "" where none is bundled."""
        if self.kazakh is None:
            return ""
        return self.kazakh.akimat or self.kazakh.name

    def name(self, lang: str | None = None) -> str:
        """The name a file in the language shows (the current one by default): Kazakh in kk
        where bundled, else the report's Russian name (there are no English names)."""
        from ..texts import language

        if language("files", lang) != "kk" or not self.name_kk:
            return self.name_ru
        # Tables abbreviate «Қазақстан Республикасының» as official Kazakh texts do (ҚР); cutting
        # it off would leave the possessive ending (министрлігі) without its noun.
        return "ҚР " + self.name_kk.removeprefix(REPUBLIC_KK) if self.name_kk.startswith(REPUBLIC_KK) else self.name_kk

    @property
    def kazakh_spellings(self) -> tuple[str, ...]:
        if self.kazakh is None:
            return ()
        names = (self.kazakh.name, self.kazakh.akimat, self.kazakh.abbreviation, self.name("kk"))
        return tuple(dict.fromkeys(n for n in names if n))

    @property
    def place(self) -> str | None:
        """"region" or "city" for a local body, None for a central one."""
        return place_of(self.name_ru)


class BodyRegistry:
    def __init__(self, bodies: list[Body]):
        self.bodies = bodies
        self._keys: dict[str, list[Body]] = {}
        for body in bodies:
            for spelling in (body.code, body.name_ru, BRACKETED.sub("", body.name_ru), *body.spellings,
                             *body.kazakh_spellings):
                if spelling:
                    found = self._keys.setdefault(normalise(spelling), [])
                    if body not in found:
                        found.append(body)
        self._codes = {body.code.casefold(): body for body in bodies}

    def find(self, name: str) -> Body:
        """The body a name refers to: a code, a Russian or Kazakh name or a spelling of the
        report. A name two bodies share is refused (UnknownBody), never guessed; so is an
        unknown one, with the nearest codes."""
        text = str(name).strip()
        if text.casefold() in self._codes:
            return self._codes[text.casefold()]
        key = normalise(text)
        candidates = self._keys.get(key, [])
        place = place_of(text)
        if place and len(candidates) > 1:
            candidates = [b for b in candidates if b.place == place] or candidates
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            named = ", ".join(f"{b.code} ({b.name_ru})" for b in candidates)
            raise UnknownBody(T("input.ambiguous_body", name=repr(name), named=named))
        nearest = difflib.get_close_matches(key, list(self._keys), n=5, cutoff=0.5)
        codes = list(dict.fromkeys(b.code for k in nearest for b in self._keys[k]))
        hint = T("input.nearest", codes=", ".join(codes)) if codes else ""
        raise UnknownBody(T("input.unknown_body", name=repr(name), hint=hint))

    def __iter__(self):
        return iter(self.bodies)

    def __len__(self) -> int:
        return len(self.bodies)


@lru_cache(maxsize=4)
def registry(year: int = DEFAULT_YEAR) -> BodyRegistry:
    """The bodies assessed in `year`, in the order of the bundled list."""
    with open(DATA / str(year) / "bodies.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kazakh: dict[str, KazakhName] = {}
    kk_path = DATA / str(year) / "bodies_kk.csv"
    if kk_path.exists():
        with open(kk_path, encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle):
                kazakh[r["code"]] = KazakhName(r["name_kk"], r["akimat_kk"], r["abbrev_kk"], r["source_url"],
                                               r["evidence"], r["confidence"])
    # Spellings the tables do not print but the narrative or common use does («Абайской»).
    other: dict[str, list[str]] = {}
    other_path = DATA / str(year) / "spellings.csv"
    if other_path.exists():
        with open(other_path, encoding="utf-8", newline="") as handle:
            for r in csv.DictReader(handle):
                other.setdefault(r["code"], []).append(r["spelling"])
    return BodyRegistry([
        Body(r["code"], r["type"], r["name_ru"],
             tuple(s for s in r["spellings_in_report"].split("|") if s) + tuple(other.get(r["code"], ())),
             kazakh.get(r["code"]))
        for r in rows
    ])
