"""The catalogue of user-facing texts in Russian, Kazakh and English.

Every `*.toml` file beside this module is a tree of keyed entries; a leaf is a table with one
text per language (`{ en = …, ru = …, kk = … }`). `plurals.toml` holds the noun forms after a
number. The command line speaks English unless OPENNESS_LANG says otherwise; files and Excel
default to Russian. Code that writes a file or serves Excel sets the language for everything
it calls with `using(lang)`, so the core's sentences (compiled into native formulas too) come
out in the file's language without a language argument on every function.
"""
from __future__ import annotations

import os
import re
import string
import tomllib
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).parent
LANGUAGES = ("ru", "kk", "en")
DEFAULTS = {"cli": "en", "files": "ru"}
_CHOSEN: ContextVar[str | None] = ContextVar("openness_language", default=None)


class MissingText(KeyError):
    """A key the catalogue does not hold (a programming error, named in full)."""


@lru_cache(maxsize=1)
def _tree() -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in sorted(HERE.glob("*.toml")):
        if path.stem != "plurals":
            _merge(tree, tomllib.loads(path.read_text("utf-8")), path.name)
    return tree


def _merge(tree: dict, more: dict, source: str, prefix: str = "") -> None:
    """Sections of the same name in several files join; a key given twice is an error."""
    for name, node in more.items():
        key = f"{prefix}{name}"
        if name not in tree:
            tree[name] = node
        elif isinstance(tree[name], dict) and isinstance(node, dict) and not set(LANGUAGES) & set(node):
            _merge(tree[name], node, source, key + ".")
        else:
            raise MissingText(f"{source}: text {key!r} is given twice in the catalogue")


@lru_cache(maxsize=1)
def _plurals() -> dict[str, dict[str, list[str]]]:
    return tomllib.loads((HERE / "plurals.toml").read_text("utf-8"))


def checked_language(chosen: str) -> str:
    """`chosen` if it is one of the catalogue's languages, else ValueError naming them."""
    if chosen not in LANGUAGES:
        raise ValueError(f"language {chosen!r}: one of {', '.join(LANGUAGES)}")
    return chosen


# How people and systems spell the languages: RU, ru_RU.UTF-8, kk-KZ, kz.
SPELLINGS = {"kz": "kk", "kaz": "kk", "rus": "ru", "eng": "en"}
_WARNED: set[tuple[str, str]] = set()


def environment_language(variable: str, default: str) -> str:
    """The language an environment variable sets: `RU`, `ru_RU.UTF-8`, `kk-KZ` and `kz` are
    understood; anything else falls back to English with one warning on standard error naming
    the variable and the languages (never an error: it would stop even --help)."""
    written = os.environ.get(variable, "").strip()
    if not written:
        return default
    code = re.split(r"[_.@-]", written.lower(), maxsplit=1)[0]
    code = SPELLINGS.get(code, code)
    if code in LANGUAGES:
        return code
    if (variable, written) not in _WARNED:
        _WARNED.add((variable, written))
        import sys

        print(f"warning: {variable}={written!r} is not one of {', '.join(LANGUAGES)}: English is used",
              file=sys.stderr)
    return "en"


def language(kind: str = "cli", lang: str | None = None) -> str:
    """The language to use: `lang` when given, else the one `using` set, else (command line
    only) OPENNESS_LANG, else the default for `kind`."""
    chosen = lang or _CHOSEN.get() or (environment_language("OPENNESS_LANG", "") if kind == "cli" else None) \
        or DEFAULTS[kind]
    return checked_language(chosen)


def diagnostics_language() -> str:
    """The language the command line's diagnostics speak (OPENNESS_LANG, else English),
    whatever language `using` set for the file being written."""
    return checked_language(environment_language("OPENNESS_LANG", DEFAULTS["cli"]))


@contextmanager
def using(lang: str | None):
    """Every text made inside the block is in `lang` (None: leave the language as it is)."""
    token = _CHOSEN.set(checked_language(lang) if lang else _CHOSEN.get())
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def has_text(key: str) -> bool:
    """Whether the catalogue holds `key`."""
    try:
        _leaf(key)
    except MissingText:
        return False
    return True


@lru_cache(maxsize=None)  # a report asks some 20,000 texts of a few hundred keys
def _leaf(key: str) -> dict:
    node: Any = _tree()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise MissingText(f"no text {key!r} in the catalogue")
        node = node[part]
    if not isinstance(node, dict) or not all(isinstance(node.get(code), str) for code in LANGUAGES):
        raise MissingText(f"{key!r} is not a text in {', '.join(LANGUAGES)}")
    return node


def text(key: str, lang: str | None = None, kind: str = "cli", **fields: Any) -> str:
    """The text of `key` (dotted) in the language, its {holes} filled from `fields`."""
    return _leaf(key)[language(kind, lang)].format(**fields)


def term(section: str, value: str, lang: str | None = None, kind: str = "cli") -> str:
    """A word of the methodology's vocabulary (a tier, a unit, a role) in the language: the
    catalogue's `section.value`, or the value itself where the catalogue has none."""
    key = f"{section}.{value}"
    return text(key, lang, kind) if has_text(key) else value


def decimal(number: str, lang: str | None = None, kind: str = "cli") -> str:
    """A number as written in the language: a decimal comma in ru and kk."""
    return number if language(kind, lang) == "en" else number.replace(".", ",")


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


def grouped(n: int, lang: str | None = None, kind: str = "cli") -> str:
    """A whole number with its thousands grouped as the language groups them: 4,112; 4 112."""
    return f"{n:,}".replace(",", "\u00a0" if language(kind, lang) != "en" else ",")


def count(n: int, noun: str, lang: str | None = None, kind: str = "cli") -> str:
    """«49 bodies», «21 орган», «3 органа»: a number and its noun."""
    return grouped(n, lang, kind) + " " + plural(n, noun, lang, kind)


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
