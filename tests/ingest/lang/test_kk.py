"""Kazakh rule families, on sentences written for these tests: base forms, persons (initials,
foreign names with case endings), place words, outlets, nationality, public bodies."""

import pytest

from ingest import lang
from lang_mentions import found, names  # noqa: F401  (fixtures)

KK = "kk"


@pytest.mark.parametrize("name, base", [
    ("Абзал Әбдікәрімовтің", "Абзал Әбдікәрімов"),
    ("Айгерім Сапарованың", "Айгерім Сапарова"),
    ("Джун Ямадамен", "Джун Ямада"),
    ("Санг Гвон Джонгпен", "Санг Гвон Джонг"),
    ("Си Цзиньпинмен", "Си Цзиньпин"),
    ("Реджеп Тайып Ердоғанға", "Реджеп Тайып Ердоған"),
    ("Қ.Көшербаевтің", "Қ.Көшербаев"),
    ("Роман Скляр", "Роман Скляр"),
])
def test_person_base_forms(name: str, base: str) -> None:
    assert lang.get(KK).person_base_form(name) == base


@pytest.mark.parametrize("phrase, base", [
    ("Ақтөбе облысының", "Ақтөбе облысы"),
    ("компаниясымен", "компаниясы"),
    ("Баварияның экономика министрлігінде", "Баварияның экономика министрлігі"),
])
def test_phrase_base_forms(phrase: str, base: str) -> None:
    assert lang.get(KK).base_form(phrase) == base


@pytest.mark.parametrize("text, person", [
    ("Облыс әкімі Қ.Көшербаев инвесторлармен кездесті.", "Қ.Көшербаев"),
    ("Кездесуге облыс әкімінің орынбасары А.А. Нұрланов қатысты.", "А.А. Нұрланов"),
])
def test_people_named_by_initials(names, text: str, person: str) -> None:
    assert person in names(text, KK, "person")


@pytest.mark.parametrize("text, kind, name", [
    ("Зауыт Жамбыл облысының Шу ауданында салынады.", "place", "Шу ауданы"),
    ("Кездесу Тараз қаласында өтті.", "city", "Тараз"),
    ("Инвесторлар Қарағанды, Павлодар және Жамбыл облыстарына келді.", "region", "Павлодар облысы"),
])
def test_places_named_with_a_place_word(names, text: str, kind: str, name: str) -> None:
    assert name in names(text, KK, kind)


@pytest.mark.parametrize("text", [
    "АҚТӨБЕ. KAZINFORM – «Ақтөбе Мыс» ЖШС келісімге қол қойды.",
    "«Ақтөбе Мыс» ЖШС келісімге қол қойды, деп хабарлайды BAQ.KZ.",
    "«Ақтөбе Мыс» ЖШС келісімге қол қойды. Сурет: Kazinform",
])
def test_outlets_are_never_entities(found, text: str) -> None:
    entities = {m.name for m in found(text, KK) if m.kind in ("company", "organization", "person")}
    assert entities == {"Ақтөбе Мыс"}


@pytest.mark.parametrize("text, country", [
    ("Қытайлық «Синьцай» компаниясы зауыт салады.", "CN"),
    ("Германияның Holzwerk Bayern компаниясы келісімге қол қойды.", "DE"),
    ("Түркиялық инвестор Bosphorus Yapi келді.", "TR"),
    ("«Ақтөбе Мыс» ЖШС келісімге қол қойды.", None),
])
def test_company_country_when_the_text_states_it(found, text: str, country: str | None) -> None:
    company = next(m for m in found(text, KK) if m.kind == "company")
    assert company.data.get("country") == country
    assert not [m for m in found(text, KK) if m.kind == "country" and m.text.lower().startswith(("қытайлық", "түркиялық"))]


@pytest.mark.parametrize("text, name", [
    ("Келісімге Қазақстан Республикасының Үкіметі қол қойды.", "Қазақстан Республикасының Үкіметі"),
    ("Бүгінде Еуразиялық экономикалық одақ елдері сауданы арттырды.", "Еуразиялық экономикалық одақ"),
    ("China Nonferrous Metal Mining Co. Ltd. компаниясы келісімге қол қойды.", None),
    ("Парламент Мәжілісі келісімді ратификациялады.", "Парламент Мәжілісі"),
    ("Орталық коммуникациялар қызметінде брифинг өтті.", "Орталық коммуникациялар қызметі"),
])
def test_bodies_and_latin_legal_names(found, text: str, name: str | None) -> None:
    hits = found(text, KK)
    if name:
        assert name in [m.name for m in hits if m.kind == "organization"]
    else:
        assert [m.name for m in hits if m.kind == "company"] == ["China Nonferrous Metal Mining Co. Ltd."]


@pytest.mark.parametrize("text, role", [
    ("Мемлекет басшысы Қасым-Жомарт Тоқаев жобаны қолдады.", "president"),
    ("Мәжіліс депутаты Еркін Сейілов сөз сөйледі.", "other"),
    ("ҚР Премьер-Министрінің бірінші орынбасары Роман Скляр зауытқа барды.", "deputy prime minister"),
])
def test_posts(found, text: str, role: str) -> None:
    assert role in [m.data["role"] for m in found(text, KK) if m.kind == "role"]


@pytest.mark.parametrize("text", [
    "Бұл туралы Үкіметтің баспасөз қызметі хабарлады.",
    "Депутат Мәжілістің отырысында сөйледі.",
])
def test_press_services_and_posts_are_no_bodies(found, text: str) -> None:
    assert [m.name for m in found(text, KK) if m.kind == "organization"] == []


@pytest.mark.parametrize("before, head, project", [
    ("Компания облыста ферроқорытпа ", "зауытын", "ферроқорытпа зауыты"),
    ("Тараптар қуаты 500 МВт-қа дейін жететін аралас циклды газ ", "зауытын", "аралас циклды газ зауыты"),
    ("Инвестор Шымкентте бу-газ ", "қондырғысын", "бу-газ қондырғысы"),
    ("Компания қытайлық ", "зауытты", None),  # a nationality says whose plant, not which
    ("Біз өз ", "зауытымызды", None),  # our own plant names no project
    ("«Kaz Steel» компаниясының ", "зауыты", None),
])
def test_project_noun_phrases(before: str, head: str, project: str | None) -> None:
    assert lang.get(KK).project_name(before, head, "", "") == project


@pytest.mark.parametrize("text, akimat", [
    ("Маңғыстау облысының әкімдігі мен «Caspian Salt» компаниясы меморандумға қол қойды.", "Маңғыстау облысының әкімдігі"),
    ("Жобаны Тараз қаласының әкімдігінде таныстырды.", "Тараз қаласының әкімдігі"),
])
def test_an_akimat_named_with_its_place_marks_the_place(found, text: str, akimat: str) -> None:
    assert [m.data["akimat"] for m in found(text, KK) if m.data.get("akimat")] == [akimat]


@pytest.mark.parametrize("text, role", [
    ("Хэнань провинциясының губернаторы Ли Вэймен кездесті.", "governor"),
    ("Алматы облысының вице-губернаторы Сун Лимен кездесті.", "deputy governor"),
    ("Ташкент қаласының мэрі Шавкат Умаров сөз сөйледі.", "mayor"),
    ("Аймақ басшысы Нұрлан Ержанов инвесторларды қабылдады.", "akim"),
])
def test_foreign_heads_of_regions_and_cities(found, text: str, role: str) -> None:
    assert role in [m.data["role"] for m in found(text, KK) if m.kind == "role"]


def test_a_surname_is_no_trip_word(found) -> None:
    kinds = {m.kind for m in found("Облыс әкімі Ерлан Сапаров инвесторлармен кездесті.", KK)}
    assert "visit" not in kinds and "meet_verb" in kinds


def test_a_city_in_a_case_form_after_a_surname_is_where_he_was(names) -> None:
    text = "Облыс әкімі Ерлан Жұмабаев Ташкентте инвесторлармен кездесті."
    assert names(text, KK, "person") == ["Ерлан Жұмабаев"] and names(text, KK, "city") == ["Ташкент"]
