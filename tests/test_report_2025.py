"""The 2025 report: its worked examples against the formulas, its tables against the sums.

Report errors (methodology §8) are strict xfails carrying the report line: if a future
correction makes one pass, the test fails and the known-error list must be updated.
"""
from fractions import Fraction

import pytest

from openness_xl.core import grading
from openness_xl.io.published import corrections, published_criteria, published_index, published_submissions, worked_examples
from openness_xl.core.exact import plain
from openness_xl.io.known_errors import documented
from openness_xl.analyses.reconcile import LATIN_TO_CYRILLIC
from openness_xl.core.scoring import evaluate, score_inputs
from tests.bundled import METHODOLOGY, BODIES

KNOWN = {(e.check, e.body, e.item): e for e in documented(2025)}
RESULTS = {r.body: r for r in evaluate(METHODOLOGY, published_submissions(2025))}


def known(check, body, item):
    entry = KNOWN.get((check, body, item))
    return [pytest.mark.xfail(strict=True, reason=f"report error {entry.ref} at {entry.line}: {entry.note}")] if entry else []


def example_params():
    for example in worked_examples(2025):
        marks = []
        if example.status != "match":
            marks = [pytest.mark.xfail(strict=True, reason=f"report error {example.status} at {example.line}: {example.note}")]
        yield pytest.param(example, id=f"{example.name}-{example.line}", marks=marks)


@pytest.mark.parametrize("example", list(example_params()))
def test_worked_example(example):
    body_type = BODIES.find(example.body).type
    computed = score_inputs(METHODOLOGY, example.indicator_id, example.inputs, body_type)
    assert computed == example.printed, f"{example.body} {example.indicator_id} ({example.line}): {plain(computed)} ≠ printed {plain(example.printed)}"


def test_worked_examples_cover_every_exact_and_strong_fit_indicator():
    covered = {e.indicator_id for e in worked_examples(2025) if e.status == "match"}
    certain = {i.id for i in METHODOLOGY.indicators if not i.provisional}
    assert certain <= covered, f"no passing worked example for {sorted(certain - covered)}"


def criterion_params():
    for printed in published_criteria(2025):
        yield pytest.param(printed, id=f"{printed.key}-{printed.body}", marks=known("criterion-sum", printed.body, printed.key))


@pytest.mark.parametrize("printed", list(criterion_params()))
def test_criterion_is_the_sum_of_its_printed_indicators(printed):
    assert RESULTS[printed.body].criteria[printed.key].score == printed.score


@pytest.mark.parametrize("printed", published_criteria(2025), ids=lambda p: f"{p.key}-{p.body}")
def test_criterion_letter(printed):
    # Every printed letter is reproduced from the printed total (methodology §6.2), once the
    # Latin letters of most rows (N17) are read as the Cyrillic ones they stand for.
    assert grading.grade(METHODOLOGY.criterion(printed.key), printed.score) == printed.label.translate(LATIN_TO_CYRILLIC)


def index_params(check):
    for printed in published_index(2025):
        yield pytest.param(printed, id=printed.body, marks=known(check, printed.body, "index"))


@pytest.mark.parametrize("printed", list(index_params("index-recomputed")))
def test_index_from_the_printed_indicators(printed):
    assert RESULTS[printed.body].index == printed.score


@pytest.mark.parametrize("printed", list(index_params("index-sum")))
def test_index_is_the_sum_of_the_printed_criteria(printed):
    total = sum((p.score for p in published_criteria(2025) if p.body == printed.body), Fraction(0))
    assert total == printed.score


@pytest.mark.parametrize("printed", list(index_params("rating")))
def test_rating(printed):
    assert grading.rating(METHODOLOGY, printed.score)[0] == printed.label


def test_ranks_follow_the_published_index_within_each_body_type():
    for body_type in ("CGO", "MIO"):
        printed = [p for p in published_index(2025) if p.body_type == body_type]
        expected = grading.competition_ranks([p.score for p in printed])
        ranks = {p.body: r for p, r in zip(printed, expected)}
        for body, result in RESULTS.items():
            if result.body_type == body_type and ("rank-recomputed", body, "index") not in KNOWN:
                assert result.rank == ranks[body], body
    assert (RESULTS["Ұлытау"].rank, RESULTS["Карагандинская"].rank) == (18, 19)
    assert RESULTS["МТ"].rank == 1 and RESULTS["Жамбылская"].rank == 1


def test_the_corrections_are_the_truncated_open_data_prints():
    for fix in corrections(2025):
        assert fix.printed == Fraction(int(fix.used * 100), 100)  # truncation of the value used
        criterion = next(p for p in published_criteria(2025) if p.body == fix.body and p.key == "open_government")
        assert RESULTS[fix.body].criteria["open_government"].score == criterion.score


def test_all_49_bodies_are_scored_and_split_29_20():
    assert len(RESULTS) == 49
    assert sum(r.body_type == "CGO" for r in RESULTS.values()) == 29
    assert all(r.index is not None and r.rating for r in RESULTS.values())
    assert all(r.direct and not r.missing for r in RESULTS.values())


@pytest.mark.parametrize("indicator_id, inputs, expected, line", [
    ("appk_reception_intensity", dict(registered=0, declined=0, received=0, held=0, plan=12), 4, "L998: ААЭ, nobody registered"),
    ("appk_first_leaders", dict(by_first_leader=0, received=0), 4, "L1089: ААЭ, nobody registered"),
    ("appk_waiting_time", dict(requests=0, notified_in_time=0, registrants=0, received_on_date=0, received_within_month=0), 3, "L151"),
    ("appk_court_share", dict(court=0, reviewed=5000), 3, "L137: no court reversals"),
    ("appk_hearing", dict(not_held=0, required=0), 3, "L133: no hearing required"),
    ("appk_redirect_timeliness", dict(late=0, received=100), 4, "L428: no late redirects"),
    ("og_open_data", dict(completeness=5, timeliness=5, coef_publication=0.5, coef_update=0.5), 10, "L1239: no requests → 0,5 each"),
    ("fb_knowledge_base", dict(updated="нет", bilingual="да"), 0, "L1631: no update, nothing for languages"),
    ("ic_hidden_services_bonus", dict(qualifying=28), 7, "L2547: МТ found 28, capped at 7"),
])
def test_special_cases_stated_in_the_report(indicator_id, inputs, expected, line):
    body_type = "CGO"
    assert score_inputs(METHODOLOGY, indicator_id, inputs, body_type) == expected, line


def test_hearing_literal_reading_is_a_flag():
    # M4: «если количество проведенных заслушиваний … равно 0» taken literally rewards holding none.
    import copy

    from openness_xl.methodology import parse
    import tomllib
    from decimal import Decimal
    from openness_xl.methodology import HERE

    data = tomllib.loads((HERE / "2025.toml").read_text(encoding="utf-8"), parse_float=Decimal)
    literal = copy.deepcopy(data)
    next(i for i in literal["indicators"] if i["id"] == "appk_hearing")["params"]["literal_zero_held"] = True
    none_held = {"not_held": 40, "required": 40}
    assert score_inputs(parse(data), "appk_hearing", none_held) == 0
    assert score_inputs(parse(literal), "appk_hearing", none_held) == 3
