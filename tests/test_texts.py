"""The text catalogue (ru, kk, en) and the command line that reads from it."""
import argparse
import csv
import io

import pytest

from openness_xl import texts
from openness_xl.cli.app import build_parser, main


def test_every_text_has_all_three_languages_with_the_same_holes():
    leaves = list(texts.entries())
    assert len(leaves) > 80
    for key, node in leaves:
        assert set(node) == set(texts.LANGUAGES), f"{key}: languages {sorted(node)}"
        for code in texts.LANGUAGES:
            assert isinstance(node[code], str) and node[code].strip(), f"{key}.{code} is empty"
        expected = texts.holes(node["en"])
        # text(key, lang, kind, **fields) takes these three itself: a hole of that name cannot be filled
        assert not expected & {"key", "lang", "kind"}, f"{key}: a hole named {expected & {'key', 'lang', 'kind'}}"
        for code in ("ru", "kk"):
            assert texts.holes(node[code]) == expected, f"{key}.{code}: holes {texts.holes(node[code])} ≠ {expected}"
        # a Russian or Kazakh text is not the English one left untranslated
        if texts.LATIN_WORD.search(node["en"]) and len(node["en"]) > 30:
            assert node["ru"] != node["en"] and node["kk"] != node["en"], key


@pytest.mark.parametrize("n, ru, en", [(1, "1 орган", "1 body"), (2, "2 органа", "2 bodies"), (5, "5 органов", "5 bodies"),
                                       (11, "11 органов", "11 bodies"), (21, "21 орган", "21 bodies"),
                                       (24, "24 органа", "24 bodies"), (112, "112 органов", "112 bodies")])
def test_plural_forms(n, ru, en):
    assert texts.count(n, "body", lang="ru") == ru
    assert texts.count(n, "body", lang="en") == en
    assert texts.count(n, "body", lang="kk") == f"{n} орган"


def _actions(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((name, a) for a in sub._actions if not isinstance(a, argparse._SubParsersAction))
        else:
            yield "openness", action


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_every_command_and_option_has_help_from_the_catalogue(lang, monkeypatch):
    monkeypatch.setenv("OPENNESS_LANG", lang)
    catalogue = {node[lang] for _, node in texts.entries()}
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for choice in commands._choices_actions:
        assert choice.help in catalogue, choice.dest
    for command, action in _actions(parser):
        assert action.help in catalogue, f"{command} {action.option_strings or action.dest}: {action.help!r}"


def test_the_bare_command_prints_the_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: openness") and "scores" in out and "robustness" in out


def test_help_shows_defaults_and_speaks_the_chosen_language(capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["scores", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: csv)" in out and "(default: 2025)" in out
    monkeypatch.setenv("OPENNESS_LANG", "ru")
    with pytest.raises(SystemExit):
        main(["scores", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "баллы всех органов" in out and "(по умолчанию: csv)" in out
    monkeypatch.setenv("OPENNESS_LANG", "de")  # unknown: English, with a warning (issue 24)
    with pytest.raises(SystemExit):
        main(["scores", "--help"])
    captured = capsys.readouterr()
    assert "(default: csv)" in " ".join(captured.out.split()) and "OPENNESS_LANG='de'" in captured.err


@pytest.mark.parametrize("lang, head, row, partial", [
    ("en", "body type appk open_gov feedback int_ctrl index rating rank",
     "МТ             ЦГО  22.41 В  29.20 А  19.70 В  22.00 А  93.31 АА        1",
     ["МФ (Министерство финансов): 2 of 20 indicators computed", "   1. appk_review_timeliness", "3.78 high",
      "6.00 medium", "missing: 2–12, 14–20"]),
    ("ru", "орган тип АППК Откр.пр Обр.св Вн.контр индекс рейтинг место",
     "МТ             ЦГО 22,41 В  29,20 А 19,70 В  22,00 А  93,31 АА          1",
     ["МФ (Министерство финансов): рассчитано 2 из 20 индикаторов", "3,78 высокий", "6,00 средний", "нет: 2–12, 14–20"]),
    ("kk", "орган түрі ӘРПК Ашық үк Кері бай Ішкі бақ индекс рейтинг орын",
     "МТ             ОМО  22,41 В  29,20 А  19,70 В  22,00 А  93,31 АА         1",
     ["МФ (ҚР Қаржы министрлігі): 20 индикатор ішінен 2 есептелді", "3,78 жоғары", "6,00 орташа", "жоқ: 2–12, 14–20"]),
])
def test_the_table_fits_80_columns_with_full_and_partial_data(cli, tmp_path, monkeypatch, lang, head, row, partial):
    # In ru and kk: their words, ОМО/ЖАО and Kazakh names, and the decimal comma their Excel writes.
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("OPENNESS_LANG", lang)
    code, out, _ = cli("scores", "--format", "table")
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 80
    assert out.splitlines()[0].split() == head.split() and row in out
    source = tmp_path / "p.csv"
    source.write_text("body,indicator,field,value\nМФ,appk_review_timeliness,late,22\n"
                      "МФ,appk_review_timeliness,reviewed,391954\nМФ,fb_satisfaction,satisfied_percent,83\n",
                      encoding="utf-8")
    code, out, err = cli("scores", source, "--format", "table")
    assert code == 0 and max(len(line) for line in out.splitlines() + err.splitlines()) <= 80
    for piece in partial:
        assert piece in out, (piece, out)
    code, wide, _ = cli("scores", "--format", "table", "--wide")
    assert wide.splitlines()[0].split()[2:4] == ["1", "2"] and len(wide.splitlines()[0]) > 80


def test_excel_csv_has_a_bom_semicolons_and_decimal_commas(cli, tmp_path):
    plain_csv, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert cli("scores", "-o", plain_csv)[0] == 0
    assert cli("scores", "--excel-csv", "-o", excel)[0] == 0
    data = excel.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    plain = list(csv.reader(io.StringIO(plain_csv.read_text(encoding="utf-8"))))
    assert rows[0] == plain[0] and len(rows) == len(plain) == 50
    mt = next(r for r in rows if r[0] == "МТ")
    assert mt[plain[0].index("index")] == "93,31" and mt[plain[0].index("rank")] == "1"
    for excel_row, plain_row in zip(rows[1:], plain[1:]):
        assert [c.replace(",", ".") for c in excel_row] == plain_row


# «UDF Modules» is the name of xlwings' own setting, shown as xlwings shows it.
PROPER_NAMES = {"e-Otinish", "Excel", "LibreOffice", "LAMBDA", "Python", "SHA-256", "openness", "openness-xl", "xlwings",
                "Lite", "Windows", "Microsoft", "UDF", "Modules", "PDF", "CSV", "TOML", "toml", "csv", "xlsx", "docx",
                "ROUND"}  # the report writes its formulas with Excel's ROUND (L1369): quoted in the report workbook's notes
LATIN_TOKEN = __import__("re").compile(r"[A-Za-z][A-Za-z0-9_.\-]*")


def _allowed_words():
    from openness_xl.methodology import load
    from openness_xl.io.writing import score_columns

    methodology = load(2025)
    words = set(score_columns(methodology)) | {"body", "name", "body_type", "score", "index", "rating", "rank"}
    for indicator in methodology.indicators:
        words |= {indicator.id, indicator.udf, *indicator.input_names}
    words |= {c.id for c in methodology.criteria}
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return words | set(commands.choices) | PROPER_NAMES


def _latin_words(path):
    import openpyxl

    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        yield sheet.title, "sheet name", sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                texts = [cell.value] if isinstance(cell.value, str) and not cell.value.startswith("=") else []
                if cell.comment:
                    texts.append(cell.comment.text)
                for text in texts:
                    yield sheet.title, cell.coordinate, text
        for validation in sheet.data_validations.dataValidation:
            yield sheet.title, "validation", " ".join(t or "" for t in (validation.error, validation.errorTitle))


@pytest.mark.parametrize("name", [f"{stem}-2025{lang}.xlsx" for stem in ("inputs-template", "report", "live")
                                  for lang in ("", "-kk")])
def test_russian_and_kazakh_workbooks_hold_no_latin_words_but_ids_codes_and_names(name):
    from pathlib import Path

    allowed = _allowed_words()
    found = []
    for sheet, where, text in _latin_words(Path(__file__).parent.parent / "workbooks" / name):
        for word in LATIN_TOKEN.findall(text):
            word = word.rstrip(".-")
            # ids, file names, cell and line references have a _, a dot or a digit; a lone capital
            # is a formula's symbol ((A), (B)) and a lone small letter a command-line option (-o)
            if (any(ch in word for ch in "_.") or any(ch.isdigit() for ch in word) or len(word) == 1
                    or word in allowed or word.upper() == word and word.startswith("OPENNESS")):
                continue
            found.append((sheet, where, word, text[:60]))
    assert not found, found[:15]


def test_kazakh_names_of_criteria_and_indicators_are_marked_unofficial():
    from pathlib import Path

    from openness_xl.methodology import load

    methodology = load(2025)
    assert methodology.name_kk_status == "неофициальный перевод"
    names = [c.name_kk for c in methodology.criteria] + [i.name_kk for i in methodology.indicators]
    assert len(names) == 24 and all(names) and len(set(names)) == 24
    assert all(not LATIN_TOKEN.search(n.replace("e-Otinish", "")) for n in names)
    page = (Path(__file__).parent.parent / "docs" / "indicators.md").read_text(encoding="utf-8")
    for indicator in methodology.indicators:
        assert f"Қазақша: {indicator.name_kk} (неофициальный перевод)." in page


@pytest.mark.parametrize("lang, expected", [
    ("en", ["error: 3 problems:", "row 2, body МЗ (Министерство здравоохранения), indicator appk_review_timeliness, "
            "field late: late must be a whole number ≥ 0, got 'много'", "unknown body 'Минздрав РК'", "field reviewed: reviewed is missing"]),
    ("ru", ["ошибка: 3 проблемы:", "строка 2, орган МЗ (Министерство здравоохранения), индикатор appk_review_timeliness, "
            "поле late: late: ожидается целое число не меньше 0, а введено 'много'", "неизвестный орган 'Минздрав РК'", "поле reviewed: reviewed: нет значения"]),
    ("kk", ["қате: 3 мәселе:", "2-жол, орган МЗ (ҚР Денсаулық сақтау министрлігі), индикатор appk_review_timeliness, "
            "өріс late: late: рұқсат етілгені 0-ден кем емес бүтін сан, ал енгізілгені 'много'", "белгісіз орган 'Минздрав РК'", "өріс reviewed: reviewed: мәні жоқ"]),
])
def test_input_diagnostics_speak_the_language_of_openness_lang(cli, tmp_path, monkeypatch, lang, expected):
    source = tmp_path / "bad.csv"
    source.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,много\n"
                      "Минздрав РК,appk_review_timeliness,reviewed,10\n", encoding="utf-8")
    monkeypatch.setenv("OPENNESS_LANG", lang)
    code, _, err = cli("check", source)
    assert code == 2
    for piece in expected:
        assert piece in err, (piece, err)


@pytest.mark.parametrize("argv, en, ru", [
    (["template"], "the following arguments are required: -o/--output", "не хватает аргументов: -o/--output"),
    (["scores", "--format", "x"], "argument --format: invalid choice: 'x' (choose from 'csv', 'json', 'table')",
     "аргумент --format: недопустимое значение 'x' (допустимы: 'csv', 'json', 'table')"),
    (["scores", "--bogus"], "unrecognized arguments: --bogus", "неизвестные аргументы: --bogus"),
    (["scores", "--year", "abc"], "argument --year: invalid int value: 'abc'",
     "аргумент --year: значение 'abc' не подходит (нужно целое число)"),
    (["whatif", "МЗ", "--to", "rank"], "argument --to: expected 2 arguments", "аргументу --to нужно значений: 2"),
    (["workbooks", "--langs"], "argument --langs: expected at least one argument",
     "аргументу --langs нужно хотя бы одно значение"),
    (["--version=3"], "argument --version: ignored explicit argument '3'", "аргумент --version не принимает значения, а дано '3'"),
])
def test_argparse_errors_speak_the_language_too(capsys, monkeypatch, argv, en, ru):
    for lang, expected, word in (("en", en, "error"), ("ru", ru, "ошибка")):
        monkeypatch.setenv("OPENNESS_LANG", lang)
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        err = capsys.readouterr().err
        assert stopped.value.code == 2 and f": {word}: {expected}\n" in err, err


@pytest.mark.parametrize("message, ru", [
    ("ambiguous option: --wi could match --wide, --width", "неоднозначный параметр: --wi может означать --wide, --width"),
    ("argument --a: not allowed with argument --b", "аргумент --a нельзя указывать вместе с --b"),
    ("argument --a: expected at most one argument", "аргументу --a можно не больше одного значения"),
    ("argument --to: expected 1 argument", "аргументу --to нужно значений: 1"),
])
def test_the_rarer_argparse_errors_are_translated_as_argparse_words_them(capsys, monkeypatch, message, ru):
    # Worded as Python 3.11's argparse writes them; the command line cannot provoke each one.
    monkeypatch.setenv("OPENNESS_LANG", "ru")
    with pytest.raises(SystemExit):
        build_parser().error(message)
    assert f"openness: ошибка: {ru}\n" in capsys.readouterr().err
