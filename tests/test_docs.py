from openness_xl.docs import DOCS, render


def test_indicator_docs_are_generated_from_the_methodology(methodology):
    committed = (DOCS / "indicators.md").read_text(encoding="utf-8")
    assert committed == render(methodology), "docs/indicators.md is stale: run python -m openness_xl.docs"
