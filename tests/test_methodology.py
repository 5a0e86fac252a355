"""The methodology file loads, and every class of mistake in it is reported precisely."""
import copy
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from openness_xl.core.kinds import KINDS
from openness_xl.methodology import HERE, MethodologyError, available_years, parse

RAW = tomllib.loads((HERE / "2025.toml").read_text(encoding="utf-8"), parse_float=Decimal)


def indicator(data, ident):
    return next(i for i in data["indicators"] if i["id"] == ident)


def problems_of(mutate) -> list[str]:
    data = copy.deepcopy(RAW)
    mutate(data)
    with pytest.raises(MethodologyError) as caught:
        parse(data)
    return caught.value.problems


def test_2025_declares_20_indicators_in_4_criteria(methodology):
    assert available_years() == [2025]
    assert len(methodology.indicators) == 20
    assert [c.id for c in methodology.criteria] == ["appk", "open_government", "feedback", "internal_control"]
    assert [len(c.indicators) for c in methodology.criteria] == [9, 3, 5, 3]
    assert sum(c.maximum for c in methodology.criteria) == 100
    assert {i.role for i in methodology.indicators} == {"score", "penalty", "bonus"}


def test_ids_match_the_published_data(methodology):
    from openness_xl.io.published import published_indicators

    assert {p.key for p in published_indicators()} == {i.id for i in methodology.indicators}


def test_field_names_other_tools_rely_on(methodology):
    expected = {
        "appk_review_timeliness": ("late", "reviewed"),
        "appk_redirect_timeliness": ("late", "received"),
        "appk_unjustified_redirect": ("facts",),
        "appk_court_share": ("court", "reviewed"),
        "appk_first_leaders": ("by_first_leader", "received"),
        "fb_satisfaction": ("satisfied_percent",),
        "fb_request_share": ("request_percent",),
        "fb_knowledge_base": ("updated", "bilingual"),
        "fb_unaccredited_channels_penalty": ("unaccredited",),
        "ic_hidden_services_bonus": ("qualifying",),
        "og_open_data": ("completeness", "timeliness", "coef_publication", "coef_update"),
    }
    for ident, names in expected.items():
        assert methodology.indicator(ident).input_names == names


def test_every_kind_is_used_and_known(methodology):
    used = {i.kind.name for i in methodology.indicators}
    assert used <= set(KINDS)
    assert len(used) >= 8


def test_unknown_input_in_parameters():
    problems = problems_of(lambda d: indicator(d, "appk_review_timeliness")["params"].update(part="lately"))
    assert any("appk_review_timeliness" in p and "unknown input 'lately'" in p for p in problems)


def test_criterion_maxima_must_add_up():
    problems = problems_of(lambda d: indicator(d, "appk_hearing").update(maximum=4))
    assert any("criterion appk: maximum is 30, but its scored indicators add up to 31" in p for p in problems)


def test_tier_bands_must_descend():
    def swap(d):
        d["tiers"]["percent"][1]["at_least_share"] = Decimal("0.95")
    assert any("must descend" in p and "средний" in p for p in problems_of(swap))


def test_rating_bands_must_descend():
    def swap(d):
        d["index"]["ratings"][2]["from"] = 91
    assert any("index ratings must descend" in p for p in problems_of(swap))


@pytest.mark.parametrize("name", ["openness timeliness", "1OPENNESS", "AB12", "openness_x"])
def test_invalid_excel_function_names(name):
    problems = problems_of(lambda d: indicator(d, "fb_satisfaction").update(udf=name))
    assert any("not a valid Excel function name" in p and "fb_satisfaction" in p for p in problems)


def test_duplicate_udf_names():
    problems = problems_of(lambda d: indicator(d, "fb_satisfaction").update(udf="OPENNESS_TIMELINESS"))
    assert any("udf 'OPENNESS_TIMELINESS' is used twice" in p for p in problems)


def test_unknown_kind_names_the_known_ones():
    problems = problems_of(lambda d: indicator(d, "fb_meetings").update(kind="magic"))
    assert any("unknown formula kind 'magic'" in p and "ratio_deduction" in p for p in problems)


def test_unknown_criterion():
    problems = problems_of(lambda d: indicator(d, "fb_meetings").update(criterion="fb"))
    assert any("criterion 'fb' is not declared" in p for p in problems)


def test_band_edges_must_rise():
    def bad(d):
        indicator(d, "fb_satisfaction")["params"]["bands"][3]["from"] = 35
    assert any("band edges must rise" in p for p in problems_of(bad))


def test_part_of_must_name_an_input():
    def bad(d):
        indicator(d, "appk_court_share")["inputs"][0]["part_of"] = "total"
    assert any("part_of names unknown input 'total'" in p for p in problems_of(bad))


def test_weights_must_add_up_to_the_maximum():
    def bad(d):
        indicator(d, "og_open_npa")["params"]["weights"]["comments_kk"] = 3
    assert any("weights add up to 9, not the maximum 8" in p for p in problems_of(bad))


def test_all_problems_are_reported_together():
    def many(d):
        indicator(d, "fb_satisfaction").update(udf="bad name")
        indicator(d, "fb_meetings").update(kind="magic")
        d["index"]["ratings"][2]["from"] = 91
    assert len(problems_of(many)) >= 3


def test_a_new_year_is_a_new_file(tmp_path: Path):
    text = (HERE / "2025.toml").read_text(encoding="utf-8").replace("year = 2025", "year = 2026")
    text = text.replace("factor = 1000,", "factor = 500,")
    path = tmp_path / "2026.toml"
    path.write_text(text, encoding="utf-8")
    from openness_xl.methodology import load
    from openness_xl.core.scoring import score_inputs

    revised = load(path)
    assert revised.year == 2026
    assert score_inputs(revised, "appk_review_timeliness", {"late": 25, "reviewed": 48981}) == Decimal("2.98")


def test_unparseable_file_is_reported(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text("[[indicators]\n", encoding="utf-8")
    from openness_xl.methodology import load

    with pytest.raises(MethodologyError, match="not valid TOML"):
        load(path)


def test_grade_letters_are_data():
    def latin(d):
        d["grades"]["labels"] = ["A", "B", "C"]
    data = copy.deepcopy(RAW)
    latin(data)
    from openness_xl.core import grading

    criterion = parse(data).criterion("appk")
    assert grading.grade(criterion, 25) == "A" and grading.grade(criterion, 17) == "C"
    assert any("three different letters" in p for p in problems_of(lambda d: d["grades"].update(labels=["А", "А", "С"])))


# ------------------------------------------------------------------ data suppliers (L56–L58, L109–L117)

def test_every_indicator_names_its_data_supplier(methodology):
    for i in methodology.indicators:
        assert i.supplier in ("КПСиСУ ГП", "МКИ", "МИИЦР"), i.id
        assert all(part.strip().startswith("L") for part in i.supplier_source.split(",")), i.id
        if not i.supplier_named:
            assert i.supplier == "МКИ" and "L113" in i.supplier_source, i.id


def test_the_suppliers_agree_with_the_report(methodology):
    # L115: КПСиСУ gives the appeals data, i.e. every АППК indicator; L117: МИИЦР gives
    # satisfaction, hidden services, request share and the knowledge base; L58: МКИ openness.
    by_supplier = {}
    for i in methodology.indicators:
        if i.supplier_named:
            by_supplier.setdefault(i.supplier, set()).add(i.id)
    assert by_supplier["КПСиСУ ГП"] == set(methodology.criterion("appk").indicators)
    assert by_supplier["МИИЦР"] == {"fb_satisfaction", "ic_hidden_services_bonus", "fb_request_share", "fb_knowledge_base"}
    assert by_supplier["МКИ"] == set(methodology.criterion("open_government").indicators)


def test_the_miiicr_list_is_the_narratives():
    import csv

    from openness_xl.io.report_data import DATA

    rows = list(csv.DictReader((DATA / "2025" / "narrative" / "process.csv").open(encoding="utf-8")))
    stated = next(r for r in rows if r["line"] == "117" and r["fact"].startswith("data supplier: МИИЦР"))
    named = {word.strip(" ,") for word in stated["fact"].split("for ", 1)[1].split(",")}
    assert named == {"fb_satisfaction", "ic_hidden_services_bonus", "fb_request_share", "fb_knowledge_base"}


def test_a_missing_supplier_is_a_problem():
    problems = problems_of(lambda d: indicator(d, "fb_meetings").pop("supplier"))
    assert any("fb_meetings: missing supplier" in p for p in problems)


# ------------------------------------------------------------------ rules the report states in words

def literal(ident, **changes):
    """The methodology with one indicator read another way; its declared alternative readings
    belong to the formula it replaces, so they go."""
    data = copy.deepcopy(RAW)
    target = indicator(data, ident)
    for key in ("alternatives", "ranges"):
        target.pop(key, None)
    target.update(changes)
    return parse(data)


def test_statistics_quality_taken_literally_gives_nb_nothing():
    # R4 (L135): «за каждый факт … вычитается 0,1»: НБ's 1 320 facts leave 0, the table prints 1,5.
    from openness_xl.core.scoring import score_inputs

    from fractions import Fraction

    stated_inputs = [{k: v for k, v in i.items() if k != "part_of"}
                     for i in indicator(RAW, "appk_statistics_quality")["inputs"] if i["name"] == "distortions"]
    as_stated = literal("appk_statistics_quality", kind="per_fact_deduction", inputs=stated_inputs,
                        params={"count": "distortions", "per_fact": Decimal("0.1")})
    assert score_inputs(as_stated, "appk_statistics_quality", {"distortions": 1320}) == 0
    assert score_inputs(parse(copy.deepcopy(RAW)), "appk_statistics_quality",
                        {"distortions": 1320, "reviewed": 3909}) == Fraction(3, 2)


def test_internal_control_taken_proportionally_contradicts_the_print():
    # R8 (L2429): «пропорционально»: 9 × share gives МВД 5,47 and МТС 7,36; printed 4 and 0.
    from fractions import Fraction

    from openness_xl.core.scoring import score_inputs

    as_stated = literal("ic_internal_control", kind="proportional", params={"part": "punished", "whole": "violations"})
    assert score_inputs(as_stated, "ic_internal_control", {"punished": 684, "violations": 1126}) == Fraction("5.47")
    assert score_inputs(as_stated, "ic_internal_control", {"punished": 27, "violations": 33}) == Fraction("7.36")


@pytest.mark.parametrize("lang, expected", [
    ("en", ["criterion appk: maximum is 30, but its scored indicators add up to 31",
            "indicator fb_meetings: unknown formula kind 'magic'", "2 problems in the methodology"]),
    ("ru", ["критерий appk: maximum равен 30, но его оцениваемые индикаторы дают в сумме 31",
            "индикатор fb_meetings: неизвестный вид формулы 'magic'", "в методике 2 проблемы"]),
    ("kk", ["критерий appk: maximum 30 тең, бірақ оның бағаланатын индикаторларының қосындысы 31",
            "индикатор fb_meetings: белгісіз формула түрі 'magic'", "әдістемеде 2 мәселе"]),
])
def test_a_methodologist_reads_the_problems_in_the_language_of_the_command_line(lang, expected):
    from openness_xl.texts import using

    with using(lang):
        said = (problems_of(lambda d: indicator(d, "appk_hearing").update(maximum=4))
                + problems_of(lambda d: indicator(d, "fb_meetings").update(kind="magic")))
        data = copy.deepcopy(RAW)
        indicator(data, "fb_meetings")["kind"] = "magic"
        with pytest.raises(MethodologyError) as caught:
            parse(data, path="m.toml")
    shown = " | ".join(said) + " | " + str(caught.value)
    for piece in expected:
        assert piece in shown, (piece, shown)


def test_a_formula_kinds_parameter_check_speaks_the_language_too():
    from openness_xl.texts import using

    def zero_factor(d):
        indicator(d, "appk_review_timeliness")["params"]["factor"] = 0

    with using("ru"):
        assert any("factor должен быть положительным числом" in p for p in problems_of(zero_factor))
    assert any("factor must be a positive number" in p for p in problems_of(zero_factor))


def test_a_criterions_table_column_must_fit_the_terminal_table():
    problems = problems_of(lambda d: d["criteria"][1].update(column_ru="Открытое Правительство"))
    assert any("criterion open_government: column_ru 'Открытое Правительство' must be at most 8 characters" in p
               for p in problems)
    data = copy.deepcopy(RAW)
    for criterion in data["criteria"]:
        for code in ("ru", "kk", "en"):
            criterion.pop(f"column_{code}")
    assert [c.column("ru") for c in parse(data).criteria] == ["appk", "open_gov", "feedback", "internal"]


def test_every_reading_robustness_samples_has_its_label_in_three_languages(methodology):
    options = [o for u in methodology.uncertainties for o in u.options]
    assert len(options) > 30
    for option in options:
        assert all(option.text("label", lang) for lang in ("ru", "kk", "en")), option


def test_an_unknown_key_is_refused_with_the_nearest_known_one(tmp_path):
    """A typing error in a methodology file (grade_c_belw) would silently drop a letter edge:
    the loader refuses it, naming the file, the table and the key it probably meant."""
    from openness_xl.methodology import MethodologyError, load
    from openness_xl.methodology.model import HERE

    source = (HERE / "2025.toml").read_text(encoding="utf-8")  # the installed package's (Pyodide too)
    typo = tmp_path / "typo.toml"
    typo.write_text(source.replace("grade_c_below = 18", "grade_c_belw = 18", 1)
                    .replace("[robustness]", "[robustnes]", 1), encoding="utf-8")
    with pytest.raises(MethodologyError) as caught:
        load(typo)
    said = str(caught.value)
    assert "typo.toml" in said
    assert "[[criteria]] appk → grade_c_belw: unknown key; did you mean grade_c_below?" in said
    assert "robustnes: unknown key; did you mean robustness?" in said
