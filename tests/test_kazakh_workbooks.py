"""The Kazakh workbooks: the Russian ones in another language, never in other numbers.

Every committed kk file is held to its ru twin cell by cell: the same sheets in the same
order, the same numbers, the same formulas once sheet names and text literals (messages,
tiers, body types) are set aside, the same named LAMBDAs, validations and colour rules.
A Kazakh template reads back to the same scores as the Russian one.
"""
import csv
import random
import re
from pathlib import Path

import openpyxl
import pytest

from openness_xl.io.inputs import load_inputs
from openness_xl.core.scoring import evaluate
from openness_xl.workbooks.template import write_template
from tests import native_cases as nc
from tests.bundled import METHODOLOGY, BODIES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parent.parent
TEXT_LITERAL = re.compile(r'"(?:[^"]|"")*"')


def _normalised(formula: str, sheets: dict[str, str]) -> str:
    """A formula with its Russian sheet names put into Kazakh and every text literal emptied;
    a text joined to a value is set aside too (a Kazakh sentence may put words after a number
    where the Russian one ends with it, «0-ден {maximum}-ге дейінгі балл»)."""
    for ru, kk in sorted(sheets.items(), key=lambda pair: -len(pair[0])):
        formula = formula.replace(f"'{ru}'!", f"'{kk}'!")
    formula = TEXT_LITERAL.sub('""', formula)
    return formula.replace('""&', "").replace('&""', "")


def _formula(value):
    if isinstance(value, openpyxl.worksheet.formula.ArrayFormula):
        return value.text
    return value if isinstance(value, str) and value.startswith("=") else None


@pytest.mark.parametrize("stem", ["inputs-template-2025", "report-2025", "live-2025"])
def test_kazakh_and_russian_workbooks_are_identical_in_numbers_and_formulas(stem):
    ru_path, kk_path = ROOT / "workbooks" / f"{stem}.xlsx", ROOT / "workbooks" / f"{stem}-kk.xlsx"
    ru, kk = openpyxl.load_workbook(ru_path), openpyxl.load_workbook(kk_path)
    ru_values, kk_values = (openpyxl.load_workbook(p, data_only=True) for p in (ru_path, kk_path))
    assert len(ru.sheetnames) == len(kk.sheetnames)
    sheets = dict(zip(ru.sheetnames, kk.sheetnames))
    # The words the two languages share (Статистика, Интернет-ресурс) and xlwings' own sheet
    untranslated = {a for a, b in sheets.items() if a == b}
    assert untranslated <= {"xlwings.conf", "5. Статистика", "18. Интернет-ресурс"}, untranslated
    counts = {"number": 0, "formula": 0, "text": 0, "cached": 0}
    assert len(ru.worksheets) == len(kk.worksheets)
    for ru_sheet, kk_sheet in zip(ru.worksheets, kk.worksheets):
        assert ru_sheet.max_column == kk_sheet.max_column, ru_sheet.title
        # A Kazakh instruction sheet has one more line: the mark on the translated names.
        extra = [c.value for row in kk_sheet.iter_rows(min_row=ru_sheet.max_row + 1) for c in row if c.value is not None]
        assert kk_sheet.max_row >= ru_sheet.max_row and all(isinstance(v, str) and _formula(v) is None for v in extra)
        for ru_row, kk_row in zip(ru_sheet.iter_rows(), kk_sheet.iter_rows()):
            for a, b in zip(ru_row, kk_row):
                where = f"{kk_sheet.title}!{b.coordinate}"
                if _formula(a.value) is not None:
                    assert _formula(b.value) is not None, where
                    assert _normalised(_formula(a.value), sheets) == _normalised(_formula(b.value), sheets), where
                    counts["formula"] += 1
                elif isinstance(a.value, (int, float)):
                    assert type(b.value) is type(a.value) and b.value == a.value, where
                    counts["number"] += 1
                elif isinstance(a.value, str):
                    assert isinstance(b.value, str) and _formula(b.value) is None, where
                    counts["text"] += 1
                else:
                    assert b.value is None, where
                assert a.number_format == b.number_format, where
        for a, b in zip(ru_values[ru_sheet.title].iter_rows(), kk_values[kk_sheet.title].iter_rows()):
            for x, y in zip(a, b):
                if isinstance(x.value, (int, float)) and not isinstance(x.value, bool):
                    assert y.value == x.value, f"cached {kk_sheet.title}!{y.coordinate}"
                    counts["cached"] += 1
        ru_rules = [(str(v.sqref), v.type, _normalised(v.formula1 or "", sheets)) for v in ru_sheet.data_validations.dataValidation]
        kk_rules = [(str(v.sqref), v.type, _normalised(v.formula1 or "", sheets)) for v in kk_sheet.data_validations.dataValidation]
        if ru_rules and ru_rules[0][1] != "list":
            assert ru_rules == kk_rules, ru_sheet.title
        assert [str(r.sqref) for r in ru_sheet.conditional_formatting] == [str(r.sqref) for r in kk_sheet.conditional_formatting]
    ru_names = {n: _normalised(d.value, sheets) for n, d in ru.defined_names.items()}
    kk_names = {n: _normalised(d.value, sheets) for n, d in kk.defined_names.items()}
    assert ru_names == kk_names
    print(f"\n{stem}: {counts['formula']} formulas, {counts['number']} numbers, {counts['cached']} cached numbers "
          f"identical; {counts['text']} texts in Kazakh; {len(ru_names)} named functions")
    assert counts["formula"] > 0 and counts["text"] > 0


def test_kazakh_workbooks_speak_kazakh():
    book = openpyxl.load_workbook(ROOT / "workbooks" / "inputs-template-2025-kk.xlsx")
    assert book.sheetnames[:6] == ["Нұсқаулық", "ӘРПК", "Ашық үкімет", "Кері байланыс", "Ішкі бақылау", "Тікелей балдар"]
    calc = book["Есептеу"]
    assert calc["C5"].value in ("ОМО", "ЖАО") and calc["B5"].value.endswith(("министрлігі", "агенттігі", "прокуратурасы"))
    readme = [row[0] for row in book["Нұсқаулық"].iter_rows(values_only=True) if row[0]]
    assert readme[0] == "Ашықтық индексі 2025: бастапқы деректер үлгісі"
    assert readme[-1] == "Қазақша атаулар: ресми емес аударма"  # our translations are marked
    values = openpyxl.load_workbook(ROOT / "workbooks" / "report-2025-kk.xlsx", data_only=True)
    tiers = {c.value for row in values["Деректер"].iter_rows(min_row=3) for c in row if isinstance(c.value, str)}
    assert {"жоғары", "орташа", "төмен", "тиімсіз"} <= tiers and not tiers & {"высокий", "средний", "низкий"}


def test_a_kazakh_template_reads_back_to_the_scores_of_the_russian_one(tmp_path):
    """Raw inputs (yes/no as иә/жоқ), direct scores and missing indicators, written in each
    language and read back: the same submissions and the same scores."""
    rows = nc.long_table_rows(METHODOLOGY, BODIES, random.Random(15), absent=0.08, direct=0.25, always=("МФ", "Абай"))
    source = tmp_path / "inputs.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    submissions = load_inputs(source, METHODOLOGY, BODIES).submissions
    results = {}
    for lang in ("ru", "kk"):
        path = tmp_path / f"template-{lang}.xlsx"
        path.write_bytes(write_template(METHODOLOGY, BODIES, submissions, lang))
        results[lang] = evaluate(METHODOLOGY, load_inputs(path, METHODOLOGY, BODIES).submissions)
    booleans = {c.value for sheet in openpyxl.load_workbook(tmp_path / "template-kk.xlsx").worksheets[1:5]
                for row in sheet.iter_rows(min_row=5) for c in row if c.value in ("иә", "жоқ", "да", "нет")}
    assert booleans == {"иә", "жоқ"}
    assert results["ru"] == results["kk"] == evaluate(METHODOLOGY, submissions)
    assert sum(1 for r in results["kk"] if r.index is not None) >= 5


def test_the_tier_words_of_every_language_come_from_the_methodology():
    for tier in METHODOLOGY.tier_order:
        assert METHODOLOGY.tier_label(tier, "ru") == tier
    assert [METHODOLOGY.tier_label(t, "kk") for t in METHODOLOGY.tier_order] == ["жоғары", "орташа", "төмен", "тиімсіз"]
    assert [METHODOLOGY.tier_label(t, "en") for t in METHODOLOGY.tier_order] == ["high", "medium", "low", "ineffective"]


def test_the_appeal_log_in_kazakh_reads_back_and_takes_kazakh_decisions(cli, tmp_path):
    from openness_xl.analyses.appeal import read_log

    log = tmp_path / "log.xlsx"
    assert cli("appeal", "template", "-o", log, "--lang", "kk")[0] == 0
    book = openpyxl.load_workbook(log)
    assert book.sheetnames == ["appeals", "lists", "Нұсқаулық"]  # «appeals» is the reader's key in every language
    assert book["appeals"]["A1"].comment.text == "орган коды (МЗ, Алматы …)"
    sheet = book["appeals"]
    sheet.append(["МЗ", "appk_review_timeliness", "late", "25", "20", "шешім", "2026-01-20", "қабылданды", ""])
    sheet.append(["МФ", "appk_review_timeliness", "late", "22", "20", "шешім", "2026-01-21", "ішінара", "21"])
    book.save(log)
    assert [a.decision for a in read_log(log)] == ["accepted", "partly"]


def test_the_scores_workbook_names_its_sheet_in_the_language(cli, tmp_path):
    for lang, name in (("ru", "Баллы"), ("kk", "Балдар"), ("en", "Scores")):
        path = tmp_path / f"s-{lang}.xlsx"
        assert cli("scores", "-o", path, "--lang", lang)[0] == 0
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == [name] and book[name]["A1"].value == "body"


def test_a_methodology_without_kazakh_names_refuses_a_kazakh_file_by_name():
    import copy
    import tomllib
    from decimal import Decimal

    from openness_xl.methodology import MissingTranslation, parse

    data = tomllib.loads((ROOT / "openness_xl" / "methodology" / "2025.toml").read_text("utf-8"), parse_float=Decimal)
    data = copy.deepcopy(data)
    del data["indicators"][3]["inputs"][0]["description_kk"]
    methodology = parse(data)
    write_template(methodology, BODIES, lang="ru")  # Russian needs nothing more
    with pytest.raises(MissingTranslation, match="input not_held: the methodology file gives no description_kk"):
        write_template(methodology, BODIES, lang="kk")


@pytest.mark.parametrize("stem, title", [("inputs-template-2025", "Недопустимое значение"),
                                         ("inputs-template-2025-kk", "Жарамсыз мән")])
def test_no_leftovers_of_another_language_in_the_templates(stem, title):
    """No «%, %» in a heading, every validation box titled in the workbook's language, and in the
    Kazakh file no Russian supplier abbreviation or Russian status word."""
    book = openpyxl.load_workbook(ROOT / "workbooks" / f"{stem}.xlsx")
    texts = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    texts += [c.comment.text for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.comment]
    assert not [t for t in texts if "%, %" in t]
    titles = {v.errorTitle for sheet in book.worksheets for v in sheet.data_validations.dataValidation}
    assert titles == {title}
    if stem.endswith("-kk"):
        assert not [t for t in texts if "КПСиСУ" in t or "неофициальный" in t]
