"""Body names as people type them: Russian and Kazakh, region and city kept apart."""
import pytest

from openness_xl.bodies import UnknownBody, registry

BODIES = registry(2025)


@pytest.mark.parametrize("name, code", [
    ("Алматы облысы", "Алматинская"),           # Kazakh for Almaty Region: not the city
    ("Алматы облысының әкімдігі", "Алматинская"),
    ("Акимат Алматинской области", "Алматинская"),
    ("Алматы", "Алматы"), ("г. Алматы", "Алматы"), ("Алматы қаласы", "Алматы"), ("алматы", "Алматы"),
    ("Шымкент қаласының әкімдігі", "Шымкент"),
    ("Шығыс Қазақстан облысы", "ВКО"), ("ШҚО", "ВКО"), ("БҚО", "ЗКО"), ("Ақмола облысы", "Акмолинская"),
    ("Қазақстан Республикасының Энергетика министрлігі", "МЭ"),
    ("MO", "МО"),  # Latin look-alikes
])
def test_names_find_their_body(name, code):
    assert BODIES.find(name).code == code


@pytest.mark.parametrize("name, nearest", [
    ("Министерство цифрового развития и искусственного интеллекта", "МИИЦР"),
    ("Министерство труда и социальной защиты", "МТСЗН"),
    ("Жетысу", "Жетісу"),
])
def test_near_misses_are_refused_with_the_nearest_code_first(name, nearest):
    with pytest.raises(UnknownBody, match=f"nearest: {nearest}"):
        BODIES.find(name)


def test_every_official_spelling_finds_its_own_body():
    for body in BODIES:
        for spelling in (body.code, body.name_ru, *body.spellings, *body.name_kk.split("|")):
            if spelling:
                assert BODIES.find(spelling) is body, spelling


def test_a_name_two_bodies_share_is_refused():
    from openness_xl.bodies import Body, BodyRegistry

    two = BodyRegistry([Body("А1", "MIO", "Акимат области Тест", ("Тест",)), Body("А2", "MIO", "Акимат города Тест", ("Тест",))])
    with pytest.raises(UnknownBody, match="ambiguous"):
        two.find("тест")
    assert two.find("Тест облысы").code == "А1" and two.find("г. Тест").code == "А2"
