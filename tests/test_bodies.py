"""Body names as people type them: Russian and Kazakh, region and city kept apart."""
import pytest

from openness_xl.core.bodies import UnknownBody, registry
from openness_xl.core.bodies import DATA
from tests.bundled import BODIES

DATA_KK = DATA / "2025" / "bodies_kk.csv"



@pytest.mark.parametrize("name, code", [
    ("Алматы облысы", "Алматинская"),           # Kazakh for Almaty Region: not the city
    ("Алматы облысының әкімдігі", "Алматинская"),
    ("Акимат Алматинской области", "Алматинская"),
    ("Алматы", "Алматы"), ("г. Алматы", "Алматы"), ("Алматы қаласы", "Алматы"), ("алматы", "Алматы"),
    ("Шымкент қаласының әкімдігі", "Шымкент"),
    ("Шығыс Қазақстан облысы", "ВКО"), ("ШҚО", "ВКО"), ("БҚО", "ЗКО"), ("Ақмола облысы", "Акмолинская"),
    ("Қазақстан Республикасының Энергетика министрлігі", "МЭ"),
    ("MO", "МО"),  # Latin look-alikes
    # «РК» after a name, as exports and letters write it: «МЗ РК» was an unknown body.
    ("МЗ РК", "МЗ"), ("Министерство здравоохранения РК", "МЗ"), ("Генеральная прокуратура РК", "ГП"),
    ("АЗРК", "АЗРК"), ("Агентство по защите и развитию конкуренции РК", "АЗРК"),
    # A region's adjective in the case people write it: the official Russian names of ВКО, СКО
    # and ЗКО, and every form of the three new regions, were unknown bodies.
    ("Восточно-Казахстанская область", "ВКО"), ("Северо-Казахстанская область", "СКО"),
    ("Западно-Казахстанская область", "ЗКО"), ("Акмолинскую область", "Акмолинская"),
    ("Абайская область", "Абай"), ("Акимат Абайской области", "Абай"), ("область Абай", "Абай"),
    ("Жетысуская область", "Жетісу"), ("Акимат Жетысуской области", "Жетісу"), ("область Жетысу", "Жетісу"),
    ("Акимат Улытауской области", "Ұлытау"), ("Ұлытауской области", "Ұлытау"),
    # A city's name in the genitive, as the report's own names have it without their brackets.
    ("Акимат города Астаны", "Астана"), ("г. Астаны", "Астана"), ("Акимат Шымкента", "Шымкент"),
    # As registries and exports name the legal entity: its form, an akimat's office.
    ("ГУ «Министерство финансов Республики Казахстан»", "МФ"), ("РГУ «Министерство юстиции РК»", "МЮ"),
    ("Республиканское государственное учреждение «Министерство обороны Республики Казахстан»", "МО"),
    ("ГУ «Аппарат акима Павлодарской области»", "Павлодарская"), ("Аппарат акима города Астаны", "Астана"),
    ("Павлодар облысы әкімінің аппараты", "Павлодарская"),
    ("Национальный Банк Казахстана", "НБ"), ("НБРК", "НБ"),
])
def test_names_find_their_body(name, code):
    assert BODIES.find(name).code == code


@pytest.mark.parametrize("name, nearest", [
    ("Министерство цифрового развития и искусственного интеллекта", "МИИЦР"),
    ("Министерство труда и социальной защиты", "МТСЗН"),
    ("Жетсу", "Жетісу"),
])
def test_near_misses_are_refused_with_the_nearest_code_first(name, nearest):
    with pytest.raises(UnknownBody, match=f"nearest: {nearest}"):
        BODIES.find(name)


def test_every_official_spelling_finds_its_own_body():
    for body in BODIES:
        for spelling in (body.code, body.name_ru, *body.spellings, *body.kazakh_spellings):
            if spelling:
                assert BODIES.find(spelling) is body, spelling


def test_each_other_spelling_is_where_it_says():
    """Spellings the tables do not print come with the report line that writes them."""
    import csv
    import re

    from openness_xl.core.bodies import normalise

    lines = (DATA / "2025" / "report.txt").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(open(DATA / "2025" / "spellings.csv", encoding="utf-8")))
    assert rows
    for row in rows:
        assert BODIES.find(row["spelling"]).code == row["code"]
        for line in re.findall(r"L(\d+)", row["seen"]):
            words = {normalise(w) for w in re.findall(r"[\w-]+", lines[int(line) - 1])}
            assert normalise(row["spelling"]) in words, (row, line)


def test_no_two_bodies_share_a_key_but_almaty():
    """Each folding (a region adjective's case, legal forms, «РК») could make two bodies' names
    one key, and every name with that key ambiguous: only «Алматы», the city and (in Kazakh)
    the region, is shared, and told apart by «облысы» / «г.»."""
    shared = {key: sorted(b.code for b in found) for key, found in BODIES._keys.items() if len(found) > 1}
    assert shared == {"алматы": ["Алматинская", "Алматы"]}


def test_a_name_two_bodies_share_is_refused():
    from openness_xl.core.bodies import Body, BodyRegistry

    two = BodyRegistry([Body("А1", "MIO", "Акимат области Тест", ("Тест",)), Body("А2", "MIO", "Акимат города Тест", ("Тест",))])
    with pytest.raises(UnknownBody, match="ambiguous"):
        two.find("тест")
    assert two.find("Тест облысы").code == "А1" and two.find("г. Тест").code == "А2"


def test_the_49_kazakh_names_are_bundled_with_their_sources():
    import csv

    shared = {r["code"]: r for r in csv.DictReader(open(DATA_KK, encoding="utf-8"))}
    bodies = list(registry(2025))
    assert len(bodies) == 49 and all(b.kazakh is not None for b in bodies)
    for body in bodies:
        row = shared[body.code]
        assert (body.kazakh.name, body.kazakh.akimat, body.kazakh.source_url, body.kazakh.confidence) == (
            row["name_kk"], row["akimat_kk"], row["source_url"], row["confidence"])
        assert body.kazakh.source_url.startswith("http")
        assert registry(2025).find(body.kazakh.name).code == body.code
        if body.kazakh.akimat:
            assert registry(2025).find(body.kazakh.akimat).code == body.code
    # 48 names seen in their source, one inferred (МПС, from the minister's title)
    assert [b.code for b in bodies if not b.kazakh.verified] == ["МПС"]
    assert registry(2025).find("Алматы облысының әкімдігі").code == "Алматинская"
    assert registry(2025).find("Алматы қаласының әкімдігі").code == "Алматы"
