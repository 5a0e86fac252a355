import re

import pytest

from openness_xl.documents.indicator_pages import DOCS, PAGES, render

pytestmark = pytest.mark.checkout  # the committed pages in docs/


@pytest.mark.parametrize("lang", PAGES)
def test_indicator_docs_are_generated_from_the_methodology(methodology, lang):
    committed = (DOCS / PAGES[lang]).read_text(encoding="utf-8")
    assert committed == render(methodology, lang), f"docs/{PAGES[lang]} is stale: run python -m openness_xl.documents.indicator_pages"


def _words_of(value):
    """Every parameter name and text value of a methodology's parameters (they are the file's own words)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _words_of(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _words_of(inner)
    elif isinstance(value, str):
        yield from re.findall(r"[A-Za-z_]+", value)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_russian_and_kazakh_pages_hold_no_english_prose(methodology, lang):
    from test_texts import LATIN_TOKEN, _allowed_words

    # formula functions, the id column, the command that regenerates the page
    allowed = _allowed_words() | {"ROUND", "floor", "false", "true", "id", "python"}
    for indicator in methodology.indicators:
        allowed |= set(_words_of(indicator.params)) | {indicator.kind.name, indicator.criterion}
        for uncertainty in indicator.uncertainties:
            allowed |= {word for option in uncertainty.options for word in _words_of(dict(option.changes))}
    page = (DOCS / PAGES[lang]).read_text(encoding="utf-8")
    strays = set()
    for word in LATIN_TOKEN.findall(page):
        word = word.rstrip(".-")
        if not (any(c in word for c in "_.") or any(c.isdigit() for c in word) or len(word) == 1 or word in allowed):
            strays.add(word)
    assert not strays, sorted(strays)
    assert "неофициальный перевод" in page
