"""The Excel functions, called the way Excel calls them: floats, None for blanks, 2-D lists for ranges."""
import ast
import inspect
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openness_udfs as udfs
from openness_xl.core import grading
from openness_xl.io.published import published_submissions, worked_examples
from openness_xl.core.bodies import registry
from openness_xl.methodology import EXCEL_NAME
from openness_xl.core.scoring import evaluate, score_inputs
from tests.strategies import inputs_for
from tests.bundled import METHODOLOGY

INDICATORS = METHODOLOGY.indicators
IDS = [i.id for i in INDICATORS]


def excel(value: Fraction) -> float:
    return float(value)


def arguments(indicator, values, body_type="CGO"):
    args = [excel(values[n]) for n in indicator.input_names]
    return args + ([body_type] if indicator.needs_body_type else [])


@pytest.mark.parametrize("indicator", INDICATORS, ids=IDS)
def test_every_indicator_has_a_function(indicator):
    function = getattr(udfs, indicator.udf)
    assert EXCEL_NAME.match(indicator.udf) and indicator.udf.startswith("OPENNESS_")
    names = list(inspect.signature(function).parameters)
    assert names == list(indicator.input_names) + (["body_type"] if indicator.needs_body_type else [])
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in inspect.signature(function).parameters.values())
    help_line = function.__doc__.splitlines()[0]
    assert indicator.name_ru in help_line and f"0–{indicator.maximum}" in help_line
    assert ("ПРЕДВАРИТЕЛЬНАЯ" in help_line) == indicator.provisional


def test_the_functions_named_in_the_issue_exist():
    for name in ["OPENNESS_TIMELINESS", "OPENNESS_REDIRECT_TIMELINESS", "OPENNESS_UNJUSTIFIED_REDIRECT",
                 "OPENNESS_COURT_SHARE", "OPENNESS_SATISFACTION", "OPENNESS_KNOWLEDGE_BASE", "OPENNESS_SCORE",
                 "OPENNESS_TIER", "OPENNESS_CRITERION", "OPENNESS_GRADE", "OPENNESS_INDEX", "OPENNESS_RATING",
                 "OPENNESS_RANK", "OPENNESS_MAX", "OPENNESS_INFO"]:
        assert callable(getattr(udfs, name)) and name in udfs.__all__
    assert len(udfs.INDICATOR_FUNCTIONS) == 20


def test_no_threshold_or_formula_is_copied_into_the_adapter():
    tree = ast.parse(Path(udfs.__file__).read_text(encoding="utf-8"))
    numbers = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
               and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)}
    assert numbers <= {0, 1, 2025}, f"numbers in udfs/openness_udfs.py: {sorted(numbers)}"
    assert "xlwings" not in Path(grading.__file__).read_text(encoding="utf-8")


@pytest.mark.parametrize("example", worked_examples(2025), ids=lambda e: e.name)
def test_functions_equal_the_core_on_the_worked_examples(example):
    indicator = METHODOLOGY.indicator(example.indicator_id)
    body_type = registry().find(example.body).type
    core = score_inputs(METHODOLOGY, indicator.id, example.inputs, body_type)
    cells = [float(Fraction(v)) if v.replace(".", "").isdigit() else v for v in (example.inputs[n] for n in indicator.input_names)]
    cells += [body_type] if indicator.needs_body_type else []
    assert getattr(udfs, indicator.udf)(*cells) == excel(core)
    assert udfs.OPENNESS_SCORE(indicator.id, *cells) == excel(core)


@pytest.mark.parametrize("indicator", INDICATORS, ids=IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), body_type=st.sampled_from(["CGO", "MIO"]))
def test_properties_through_the_excel_layer(indicator, data, body_type):
    values = data.draw(inputs_for(indicator))
    result = getattr(udfs, indicator.udf)(*arguments(indicator, values, body_type))
    assert isinstance(result, float), result
    assert 0 <= result <= excel(indicator.maximum)
    assert result == excel(score_inputs(METHODOLOGY, indicator.id, values, body_type))
    assert udfs.OPENNESS_TIER(indicator.id, result) == grading.tier(METHODOLOGY, indicator, result)


@pytest.mark.parametrize("indicator", INDICATORS, ids=IDS)
def test_tier_edges_through_the_excel_layer(indicator):
    for tier, edge, comparison in grading.tier_edges(METHODOLOGY, indicator):
        if comparison == ">=":
            assert udfs.OPENNESS_TIER(indicator.id, float(edge)) == tier
            assert udfs.OPENNESS_TIER(indicator.id, float(edge) - 0.01) != tier


@pytest.mark.parametrize("args, message", [
    ((-1.0, 100.0), "late: ожидается целое число не меньше 0, а введено -1"),
    ((3.5, 100.0), "late: ожидается целое число не меньше 0, а введено 3.5"),
    ((None, 100.0), "late: нет значения"),
    (("#N/A", 100.0), "late: ожидается целое число не меньше 0, а введено '#N/A'"),
    (("пять", 100.0), "введено 'пять'"),
    ((True, 100.0), "late: ожидается целое число не меньше 0, а введено TRUE"),
    ((5.0, 4.0), "late (5) не может быть больше reviewed (4)"),
    ((float("nan"), 4.0), "late: ожидается целое число не меньше 0, а введено nan"),
])
def test_bad_arguments_give_a_message_not_a_number(args, message):
    result = udfs.OPENNESS_TIMELINESS(*args)
    assert isinstance(result, str) and message in result


def test_whole_numbers_may_arrive_as_floats():
    assert udfs.OPENNESS_TIMELINESS(25.0, 48981.0) == udfs.OPENNESS_TIMELINESS(25, 48981) == 1.96


def test_body_type_is_required_where_the_steps_differ():
    assert udfs.OPENNESS_FIRST_LEADERS(262.0, 1078.0, "mio") == 1.0
    assert udfs.OPENNESS_FIRST_LEADERS(262.0, 1078.0, "CGO") == 2.0  # 24,3 %: the 20–25 % step for ЦГО
    assert udfs.OPENNESS_FIRST_LEADERS(262.0, 1078.0, " МИО ") == 1.0  # the report's spelling
    assert udfs.OPENNESS_FIRST_LEADERS(262.0, 1078.0, "цго") == 2.0
    assert udfs.OPENNESS_FIRST_LEADERS(262.0, 1078.0, None) == "body_type: нет значения; ожидается одно из значений CGO, MIO, ЦГО, ОМО, МИО, ЖАО"
    assert udfs.OPENNESS_FIRST_LEADERS(262.0, 1078.0, "ГО") == "body_type: ожидается одно из значений CGO, MIO, ЦГО, ОМО, МИО, ЖАО, а введено 'ГО'"


def test_a_range_of_49_rows_equals_49_single_calls():
    late = [[float(n % 7)] for n in range(49)]
    reviewed = [[float(1000 + 997 * n)] for n in range(49)]
    column = udfs.OPENNESS_TIMELINESS(late, reviewed)
    assert len(column) == 49
    assert column == [[udfs.OPENNESS_TIMELINESS(a[0], b[0])] for a, b in zip(late, reviewed)]


def test_single_cells_repeat_down_a_range_and_heights_must_agree():
    assert udfs.OPENNESS_FIRST_LEADERS([[10.0], [40.0]], [[100.0], [100.0]], "MIO") == [[0.0], [4.0]]
    assert "диапазоны должны быть одной высоты (late 2, reviewed 3)" in udfs.OPENNESS_TIMELINESS([[1.0], [2.0]], [[9.0], [9.0], [9.0]])
    assert "одним столбцом" in udfs.OPENNESS_TIMELINESS([[1.0, 2.0]], [[9.0, 9.0]])


def test_criterion_index_rating_rank_reproduce_2025():
    results = {r.body: r for r in evaluate(METHODOLOGY, published_submissions(2025))}
    for body, result in results.items():
        totals = []
        for criterion in METHODOLOGY.criteria:
            scores = [excel(result.indicators[i].score) for i in criterion.indicators]
            total = udfs.OPENNESS_CRITERION(criterion.id, *scores)
            assert total == pytest.approx(excel(result.criteria[criterion.id].score), abs=1e-9)
            assert udfs.OPENNESS_GRADE(criterion.id, total) == result.criteria[criterion.id].grade
            totals.append(total)
        index = udfs.OPENNESS_INDEX(*totals)
        assert index == pytest.approx(excel(result.index), abs=1e-9)
        assert udfs.OPENNESS_RATING(excel(result.index)) == result.rating
    for body_type in ("CGO", "MIO"):
        group = [r for r in results.values() if r.body_type == body_type]
        column = [[excel(r.index)] for r in group]
        assert udfs.OPENNESS_RANK(column, column) == [[r.rank] for r in group]


def test_general_functions_report_bad_ids_and_counts():
    assert "неизвестный индикатор 'fb_x'" in udfs.OPENNESS_TIER("fb_x", 3.0)
    assert "неизвестный критерий 'x'" in udfs.OPENNESS_GRADE("x", 3.0)
    assert "feedback: нужно 5 баллов" in udfs.OPENNESS_CRITERION("feedback", 1.0, 2.0)
    assert "takes 2 inputs (late, reviewed), got 1" in udfs.OPENNESS_SCORE("appk_review_timeliness", 1.0)
    assert "score: ожидается балл от 0 до 4, а введено 4.5" in udfs.OPENNESS_TIER("appk_hearing".replace("hearing", "review_timeliness"), 4.5)
    assert udfs.OPENNESS_MAX("og_open_budget") == 12.0 and udfs.OPENNESS_MAX("feedback") == 25.0
    # Excel speaks Russian by default (OPENNESS_EXCEL_LANG)
    assert "предварительная формула" in udfs.OPENNESS_INFO("ic_website")
    assert "формула из методики" in udfs.OPENNESS_INFO("fb_satisfaction")
    assert udfs.OPENNESS_INFO("appk_review_timeliness").startswith("Соблюдение сроков рассмотрения заявлений и жалоб | "
                                                                 "OPENNESS_TIMELINESS | макс. 4 | исходные данные: late (обращения)")
    # A message arriving from another cell is passed on as it is, never wrapped.
    assert udfs.OPENNESS_RATING("appk_hearing: not_held: нет значения") == "appk_hearing: not_held: нет значения"
    assert udfs.OPENNESS_TIER("fb_meetings", "late: нет значения") == "late: нет значения"


@pytest.mark.parametrize("call, message", [
    (lambda: udfs.OPENNESS_GRADE("appk", 31.0), "total: ожидается число от 0 до 30, а введено 31"),
    (lambda: udfs.OPENNESS_GRADE("feedback", -5.5), "total: ожидается число от -5 до 25, а введено -5.5"),
    (lambda: udfs.OPENNESS_RATING(120.0), "index: ожидается число от -5 до 107, а введено 120"),
    (lambda: udfs.OPENNESS_RATING(-5.01), "index: ожидается число от -5 до 107, а введено -5.01"),
    (lambda: udfs.OPENNESS_RATING(True), "index: ожидается число от -5 до 107, а введено TRUE"),
    (lambda: udfs.OPENNESS_RATING(None), "index: нет значения; ожидается число от -5 до 107"),
    (lambda: udfs.OPENNESS_TIER("appk_hearing", "#N/A"), "score: ожидается балл от 0 до 3, а введено '#N/A'"),
    (lambda: udfs.OPENNESS_TIMELINESS("н/д", 10.0), "late: нет значения; ожидается целое число не меньше 0"),
    (lambda: udfs.OPENNESS_TIMELINESS("25", 100.0), "late: ожидается целое число не меньше 0, а введено '25'"),
])
def test_values_a_criterion_or_the_index_cannot_have_are_refused(call, message):
    assert call() == message


def test_range_ends_are_accepted():
    assert udfs.OPENNESS_GRADE("internal_control", 22.0) == "А"  # 6 + 9 + the bonus 7
    assert udfs.OPENNESS_RATING(107.0) == "ААА" and udfs.OPENNESS_RATING(-5.0) == "С"
    assert udfs.OPENNESS_MAX("index") == 100.0


def test_rank_ignores_text_in_the_group():
    group = [[90.0], ["appk: late: нет значения"], [80.0], [None], [90.0]]
    assert udfs.OPENNESS_RANK(group, group) == [[1], ["appk: late: нет значения"], [3], ["score: нет значения; ожидается число"], [1]]


def test_the_functions_speak_the_language_of_openness_excel_lang(monkeypatch):
    """Russian by default; OPENNESS_EXCEL_LANG=kk or en switches messages and tiers (kk-KZ is
    kk); an unknown language is English, never an add-in that fails to load."""
    import importlib

    cases = (("kk", "late: мәні жоқ; рұқсат етілгені 0-ден кем емес бүтін сан", "жоғары"),
             ("en", "late is missing; it must be a whole number ≥ 0", "high"),
             ("ru", "late: нет значения; ожидается целое число не меньше 0", "высокий"))
    try:
        for lang, missing, tier in cases:
            monkeypatch.setenv("OPENNESS_EXCEL_LANG", lang)
            module = importlib.reload(udfs)
            assert module.OPENNESS_TIMELINESS(None, 100.0) == missing
            assert module.OPENNESS_TIER("appk_review_timeliness", 4.0) == tier
            assert module.OPENNESS_TIMELINESS(0.0, 100.0) == 4.0
        monkeypatch.setenv("OPENNESS_EXCEL_LANG", "kk-KZ")
        assert importlib.reload(udfs).LANGUAGE == "kk"
        monkeypatch.setenv("OPENNESS_EXCEL_LANG", "de")
        assert importlib.reload(udfs).LANGUAGE == "en"  # an unknown one: English, with one warning
    finally:
        monkeypatch.delenv("OPENNESS_EXCEL_LANG", raising=False)
        importlib.reload(udfs)
    assert udfs.LANGUAGE == "ru"
