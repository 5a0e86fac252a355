"""A methodology that renames a tier or drops one works through every command and sheet with
no code change: the tiers' words, order and colours come from the methodology alone."""
import csv
import io

import openpyxl
import pytest

from openness_xl.cli.app import main
from openness_xl.io.published import published_submissions
from openness_xl.io.writing import inputs_csv
from openness_xl.methodology import HERE, load

SOURCE = (HERE / "2025.toml").read_text(encoding="utf-8")


def renamed() -> str:
    return SOURCE.replace('"средний"', '"умеренный"')


def dropped() -> str:
    changed = SOURCE.replace('order = ["высокий", "средний", "низкий", "неэффективный"]',
                             'order = ["высокий", "средний", "неэффективный"]')
    changed = changed.replace('  { tier = "низкий", at_least_share = 0.5 },\n', "")
    changed = changed.replace(' "низкий" = { kk = "төмен", en = "low" },', "")
    return changed.replace('  { tier = "низкий", at_most = 4.5 },\n', "")


@pytest.mark.slow
@pytest.mark.parametrize("make, present, absent", [(renamed, "умеренный", "средний"), (dropped, "средний", "низкий")],
                         ids=["renamed", "dropped"])
def test_every_command_works_on_other_tiers(tmp_path, capsys, make, present, absent):
    path = tmp_path / "m.toml"
    path.write_text(make(), encoding="utf-8")
    assert load(path).tier_order != load(2025).tier_order
    assert main(["scores", "--methodology", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    tiers = {v for r in rows for k, v in r.items() if k.endswith("__tier")}
    assert present in tiers and absent not in tiers and len(rows) == 49
    scores = tmp_path / "scores.csv"  # the published scores as an input file, to prefill the template
    scores.write_text(inputs_csv(load(path), published_submissions()), encoding="utf-8")
    for command in (["template", str(scores), "-o", str(tmp_path / "t.xlsx")], ["report", "-o", str(tmp_path / "r.xlsx")],
                    ["whatif", "МЗ"], ["robustness", "--samples", "200"]):
        assert main([*command, "--methodology", str(path)]) == 0, command
    capsys.readouterr()
    for name, sheet in (("t.xlsx", "Расчёт"), ("r.xlsx", "Данные")):
        shown = {c for row in openpyxl.load_workbook(tmp_path / name, read_only=True, data_only=True)[sheet].iter_rows(values_only=True)
                 for c in row if isinstance(c, str)}
        assert present in shown and absent not in shown, name


def test_a_renamed_tier_is_written_in_each_language_in_the_methodology_s_words(tmp_path):
    """The methodology declares each tier's Kazakh and English words beside its name: a Kazakh
    template and an English report write a renamed tier as the file says, never its Russian name."""
    from openness_xl.workbooks.common import sheet_name
    from openness_xl.texts import using

    path = tmp_path / "m.toml"
    path.write_text(renamed().replace('kk = "орташа", en = "medium"', 'kk = "қалыпты", en = "moderate"'), encoding="utf-8")
    methodology = load(path)
    assert [methodology.tier_label("умеренный", lang) for lang in ("ru", "kk", "en")] == ["умеренный", "қалыпты", "moderate"]
    scores = tmp_path / "scores.csv"
    scores.write_text(inputs_csv(methodology, published_submissions()), encoding="utf-8")
    for lang, word in (("kk", "қалыпты"), ("en", "moderate")):
        out = tmp_path / f"t-{lang}.xlsx"
        assert main(["template", str(scores), "-o", str(out), "--lang", lang, "--methodology", str(path)]) == 0
        with using(lang):
            calc = sheet_name("calc")
        shown = {c for row in openpyxl.load_workbook(out, read_only=True, data_only=True)[calc].iter_rows(values_only=True)
                 for c in row if isinstance(c, str)}
        assert word in shown and "умеренный" not in shown and "орташа" not in shown, lang


def test_a_tier_without_its_words_is_an_error_that_names_it(tmp_path):
    from openness_xl.methodology import MethodologyError

    path = tmp_path / "m.toml"
    path.write_text(SOURCE.replace('"низкий" = { kk = "төмен", en = "low" }', '"низкий" = { kk = "төмен" }'), encoding="utf-8")
    with pytest.raises(MethodologyError, match="низкий.*en|en.*низкий"):
        load(path)
