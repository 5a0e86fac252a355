"""`openness roadmap`: the draft «Дорожная карта» read back with python-docx."""
import io
import zipfile

import docx

from openness_xl import reference
from openness_xl.bodies import registry
from openness_xl.cli import main
from openness_xl.methodology import load
from openness_xl.roadmap import build, low_bodies
from openness_xl.roadmap_document import COLUMNS, write_roadmap
from openness_xl.texts import text as catalogue_text
from openness_xl.scoring import evaluate

METHODOLOGY = load(2025)
NAMES = {b.code: b.name_ru for b in registry(2025)}
PUBLISHED = reference.published_submissions(2025)


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def test_the_draft_holds_the_standing_the_weak_indicators_and_the_profile():
    roadmap = build(METHODOLOGY, PUBLISHED, "Алматы", NAMES)
    document = read(write_roadmap(roadmap))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Дорожная карта по улучшению показателей Индекса открытости" in text
    assert "Акимат города Алматы" in text and "рейтинг «В»" in text and "место 20 среди 20 местных" in text
    criteria, weak = document.tables
    assert [c.text for c in criteria.rows[1].cells] == ["Исполнение требований АППК", "17,86 из 30", "С"]
    assert [c.text for c in weak.rows[0].cells] == [catalogue_text(f"roadmap.{key}", "ru") for key in COLUMNS]
    result = next(r for r in evaluate(METHODOLOGY, PUBLISHED) if r.body == "Алматы")
    below = [i for i in METHODOLOGY.indicators if result.indicators[i.id].tier != "высокий"]
    assert len(weak.rows) - 1 == len(below) == len(roadmap.weak)
    first = [c.text for c in weak.rows[1].cells]
    assert first[:3] == ["Соблюдение сроков рассмотрения заявлений и жалоб", "1,02 из 4 (неэффективный)", "2 (низкий)"]
    assert first[3] == "балл 2 (балл выставляет КПСиСУ ГП)"
    assert first[4:] == ["", "", ""]  # the body fills in the measure, the unit and the deadline
    images = [n for n in zipfile.ZipFile(io.BytesIO(write_roadmap(roadmap))).namelist() if n.startswith("word/media/")]
    assert len(images) == 1


def test_raw_inputs_give_the_input_change_in_russian(tmp_path):
    path = tmp_path / "raw.csv"
    rows = [",".join(r) for r in (("body", "indicator", "field", "value"),
                                 ("МЗ", "appk_review_timeliness", "late", "25"),
                                 ("МЗ", "appk_review_timeliness", "reviewed", "48981"))]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "mz.docx"
    assert main(["roadmap", "МЗ", str(path), "-o", str(out)]) == 0
    weak = read(out.read_bytes()).tables[1]
    # The lever only: how many appeals were reviewed is a given, never a measure (issue 25).
    assert weak.rows[1].cells[3].text == "заявления и жалобы, рассмотренные с нарушением срока: не более 24 (сейчас 25)"


def test_all_low_writes_one_per_body_below_the_threshold(tmp_path, capsys):
    assert main(["roadmap", "--all-low", "-d", str(tmp_path)]) == 0
    low = low_bodies(METHODOLOGY, evaluate(METHODOLOGY, PUBLISHED))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"roadmap-{b}.docx" for b in low)
    ratings = {r.body: r.rating for r in evaluate(METHODOLOGY, PUBLISHED)}
    assert low and all(ratings[b] in ("ВВ", "В", "С") for b in low)
    assert all(r in ("ААА", "АА", "А", "ВВВ") for b, r in ratings.items() if b not in low)


def test_the_same_roadmap_gives_the_same_bytes():
    roadmap = build(METHODOLOGY, PUBLISHED, "МЧС", NAMES)
    assert write_roadmap(roadmap) == write_roadmap(roadmap)


def test_every_body_of_2025_gets_a_draft():
    # The done-when of issue 14: a roadmap for every body of the embedded data, not only the low ones.
    results = {r.body: r for r in evaluate(METHODOLOGY, PUBLISHED)}
    for body in registry(2025):
        roadmap = build(METHODOLOGY, PUBLISHED, body.code, NAMES)
        document = read(write_roadmap(roadmap))
        text = "\n".join(p.text for p in document.paragraphs)
        assert body.name_ru in text and f"рейтинг «{results[body.code].rating}»" in text, body.code
        weak = document.tables[1]
        below = [i for i in METHODOLOGY.indicators if results[body.code].indicators[i.id].tier != "высокий"]
        assert len(weak.rows) - 1 == len(below), body.code


def test_the_roadmap_in_kazakh(cli, tmp_path):
    from docx import Document

    path = tmp_path / "roadmap-kk.docx"
    assert cli("roadmap", "Алматы", "--lang", "kk", "-o", path)[0] == 0
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Ашықтық индексінің көрсеткіштерін жақсарту жөніндегі жол картасы"
    assert paragraphs[1].startswith("Алматы қаласының әкімдігі (Алматы)")
    weak = document.tables[1]
    assert [c.text for c in weak.rows[0].cells][:2] == ["Индикатор", "Қазіргі балл"]
    assert any("(тиімсіз)" in row.cells[1].text for row in weak.rows[1:])
    assert not any("высокий" in c.text or "низкий" in c.text for row in weak.rows for c in row.cells)
