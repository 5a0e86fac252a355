"""The catalogue of user-facing texts in Russian, Kazakh and English.

Every `*.toml` file beside this module is a tree of keyed entries; a leaf is a table with one
text per language (`{ en = …, ru = …, kk = … }`). `plurals.toml` holds the noun forms after a
number. The command line speaks English unless OPENNESS_LANG says otherwise; files and Excel
default to Russian (the caller passes `lang`).
"""
from __future__ import annotations

import os
import re
import string
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).parent
LANGUAGES = ("ru", "kk", "en")
DEFAULTS = {"cli": "en", "files": "ru"}


class MissingText(KeyError):
    """A key the catalogue does not hold (a programming error, named in full)."""


@lru_cache(maxsize=1)
def _tree() -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in sorted(HERE.glob("*.toml")):
        if path.stem != "plurals":
            tree.update(tomllib.loads(path.read_text("utf-8")))
    return tree


@lru_cache(maxsize=1)
def _plurals() -> dict[str, dict[str, list[str]]]:
    return tomllib.loads((HERE / "plurals.toml").read_text("utf-8"))


def language(kind: str = "cli", lang: str | None = None) -> str:
    """The language to use: `lang` when given, else OPENNESS_LANG, else the default for `kind`."""
    chosen = lang or os.environ.get("OPENNESS_LANG") or DEFAULTS[kind]
    if chosen not in LANGUAGES:
        raise ValueError(f"language {chosen!r}: one of {', '.join(LANGUAGES)}")
    return chosen


def text(key: str, lang: str | None = None, kind: str = "cli", **fields: Any) -> str:
    """The text of `key` (dotted) in the language, its {holes} filled from `fields`."""
    node: Any = _tree()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise MissingText(f"no text {key!r} in the catalogue")
        node = node[part]
    if not isinstance(node, dict) or not all(isinstance(node.get(code), str) for code in LANGUAGES):
        raise MissingText(f"{key!r} is not a text in {', '.join(LANGUAGES)}")
    return node[language(kind, lang)].format(**fields)


def plural(n: int, noun: str, lang: str | None = None, kind: str = "cli") -> str:
    """The noun's form after the number n."""
    forms = _plurals()[noun][language(kind, lang)]
    code = language(kind, lang)
    if code == "en":
        return forms[0] if n == 1 else forms[1]
    if code == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return forms[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return forms[1]
        return forms[2]
    return forms[0]


def count(n: int, noun: str, lang: str | None = None, kind: str = "cli") -> str:
    """«49 bodies», «21 орган», «3 органа»: a number and its noun."""
    return f"{n:,}".replace(",", "\u00a0" if language(kind, lang) != "en" else ",") + " " + plural(n, noun, lang, kind)


def entries() -> Iterator[tuple[str, dict]]:
    """Every (key, {language: text}) leaf of the catalogue, for the tests."""
    def walk(prefix: str, node: dict):
        if any(code in node for code in LANGUAGES) or all(not isinstance(v, dict) for v in node.values()):
            yield prefix, node
            return
        for name, child in node.items():
            yield from walk(f"{prefix}.{name}" if prefix else name, child)
    yield from walk("", _tree())


def holes(sentence: str) -> set[str]:
    """The {names} a text expects."""
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
