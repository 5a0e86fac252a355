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

DATA = Path(__file__).parent / "data"

# Latin letters that look like Cyrillic ones, as typed on the wrong keyboard layout.
LOOKALIKES = str.maketrans({
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "Y": "У", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х",
    "y": "у", "k": "к", "m": "м", "t": "т", "h": "н", "b": "в",
})
# Kazakh letters folded to their nearest Russian ones, so «Қарағандынская» meets «Карагандинская».
KAZAKH_FOLD = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ё": "е"})
NOISE = re.compile(r"\b(г|город|города|акимат|область|области|обл|облысы|қаласы|республики казахстан)\b\.?", re.IGNORECASE)


class UnknownBody(KeyError):
    """A body name that matches no body; the message names the nearest codes."""

    def __str__(self) -> str:
        return str(self.args[0])


def normalise(name: str) -> str:
    """The comparison key of a body name: look-alikes, case, Kazakh letters, «г.», quotes folded."""
    text = str(name).translate(LOOKALIKES).lower().translate(KAZAKH_FOLD)
    text = re.sub(r"[«»\"'“”()]", " ", text)
    text = NOISE.sub(" ", text)
    text = re.sub(r"[^\w-]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Body:
    code: str
    type: str
    name_ru: str
    spellings: tuple[str, ...]


class BodyRegistry:
    def __init__(self, bodies: list[Body]):
        self.bodies = bodies
        self._keys: dict[str, Body] = {}
        for body in bodies:
            for spelling in (body.code, body.name_ru, *body.spellings):
                self._keys.setdefault(normalise(spelling), body)
            # «Акмолинская» also as «Акмолинская область» and the adjective stem.
            stem = normalise(body.name_ru)
            self._keys.setdefault(stem, body)

    def find(self, name: str) -> Body:
        """The body a name refers to; UnknownBody names the nearest codes otherwise."""
        key = normalise(name)
        if key in self._keys:
            return self._keys[key]
        nearest = difflib.get_close_matches(key, list(self._keys), n=5, cutoff=0.5)
        codes = list(dict.fromkeys(self._keys[k].code for k in nearest))
        hint = f"; nearest: {', '.join(codes)}" if codes else ""
        raise UnknownBody(f"unknown body {name!r}{hint}")

    def __iter__(self):
        return iter(self.bodies)

    def __len__(self) -> int:
        return len(self.bodies)

    def of_type(self, body_type: str) -> list[Body]:
        return [b for b in self.bodies if b.type == body_type]


@lru_cache(maxsize=4)
def registry(year: int = 2025) -> BodyRegistry:
    """The bodies assessed in `year`, in the order of the bundled list."""
    with open(DATA / str(year) / "bodies.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return BodyRegistry([
        Body(r["code"], r["type"], r["name_ru"], tuple(s for s in r["spellings_in_report"].split("|") if s))
        for r in rows
    ])
