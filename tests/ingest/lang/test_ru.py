"""Russian rule families, on sentences written for these tests: base forms of names and places,
outlets, legal names with nested quotes, nationality, public bodies."""

import pytest

from ingest import lang
from lang_mentions import found, names  # noqa: F401  (fixtures)

RU = "ru"


@pytest.mark.parametrize("name, base", [
    ("Абзалом Абдикаримовым", "Абзал Абдикаримов"),
    ("Айгерим Сапаровой", "Айгерим Сапарова"),
    ("Реджепом Тайипом Эрдоганом", "Реджеп Тайип Эрдоган"),
    ("Реджепа Тайипа Эрдогана", "Реджеп Тайип Эрдоган"),
    ("Си Цзиньпином", "Си Цзиньпин"),
    ("Лю Хуэя", "Лю Хуэй"),
    ("Ван Синьвэйем", "Ван Синьвэй"),
    ("Гульнары Жумабековой", "Гульнара Жумабекова"),
    ("Ли Цзюнь", "Ли Цзюнь"),
])
def test_person_base_forms(name: str, base: str) -> None:
    assert lang.get(RU).person_base_form(name) == base


@pytest.mark.parametrize("text, person", [
    ("Аким области А.А. Абдыкаримов встретился с инвесторами.", "А.А. Абдыкаримов"),
    ("Документ подписал заместитель акима Е. Сатов.", "Е. Сатов"),
])
def test_people_named_by_initials(names, text: str, person: str) -> None:
    assert person in names(text, RU, "person")


@pytest.mark.parametrize("text, kind, name", [
    ("Делегация посетила район Магжана Жумабаева.", "place", "район Магжана Жумабаева"),
    ("Завод построят в Омской области.", "region", "Омская область"),
    ("Соглашение подписали в городе Таразе.", "city", "Тараз"),
    ("Инвесторы из провинции Шэньси приехали в Кокшетау.", "region", "провинция Шэньси"),
])
def test_places_named_with_a_place_word(names, text: str, kind: str, name: str) -> None:
    assert name in names(text, RU, kind)


def test_shared_noun_region_lists(names) -> None:
    found = names("Акиматы Карагандинской, Павлодарской и Жамбылской областей подписали меморандум.", RU, "region")
    assert found == ["Карагандинская область", "Павлодарская область", "Жамбылская область"]


@pytest.mark.parametrize("text", [
    "ПАВЛОДАР. КАЗИНФОРМ – ТОО «Ертис Полимер» подписало контракт, сообщает Zakon.kz.",
    "ТОО «Ертис Полимер» подписало контракт, передает Интерфакс-Казахстан. Фото: ТАСС",
    "Как сообщает «Курсив», ТОО «Ертис Полимер» подписало контракт.",
])
def test_outlets_are_never_entities(found, text: str) -> None:
    entities = {m.name for m in found(text, RU) if m.kind in ("company", "organization", "person")}
    assert entities == {"Ертис Полимер"}


@pytest.mark.parametrize("text, kind, name", [
    ("АО «НК «СПК «Павлодар»» и ТОО «Ертис Полимер» подписали соглашение.", "organization", "НК «СПК «Павлодар»»"),
    ("АО «НК «СПК «Павлодар»» и ТОО «Ертис Полимер» подписали соглашение.", "company", "Ертис Полимер"),
    ("С ТОО «Корпорация Балхаш» подписан контракт.", "company", "Корпорация Балхаш"),
    ("Министерство промышленности и строительства Республики Казахстан одобрило проект.", "organization",
     "Министерство промышленности и строительства Республики Казахстан"),
    ("Контракт подписан при поддержке Посольства Казахстана в Венгрии.", "organization", "Посольство Казахстана в Венгрии"),
])
def test_legal_names_and_bodies_kept_whole(names, text: str, kind: str, name: str) -> None:
    assert name in names(text, RU, kind)


@pytest.mark.parametrize("text, country", [
    ("Китайская компания «Синьцай» построит завод.", "CN"),
    ("Соглашение подписано с турецкой строительной компанией Bosphorus Yapi.", "TR"),
    ("АО «Сибагромаш» из Омской области поставит технику.", "RU"),
    ("ТОО «Ертис Полимер» построит завод.", None),
])
def test_company_country_when_the_text_states_it(found, text: str, country: str | None) -> None:
    company = next(m for m in found(text, RU) if m.kind == "company")
    assert company.data.get("country") == country


@pytest.mark.parametrize("phrase, base", [
    ("Актюбинской области", "Актюбинская область"),
    ("Министерства энергетики", "Министерство энергетики"),
])
def test_phrase_base_forms(phrase: str, base: str) -> None:
    assert lang.get(RU).base_form(phrase) == base


def test_overrides_fix_named_people(names) -> None:
    assert names("Президент Казахстана Касым-Жомарт Токаев встретился с Си Цзиньпином. Встреча Си Цзиньпина и "
                 "Касым-Жомарта Токаева прошла в Астане.", RU, "person") == \
        ["Касым-Жомарт Токаев", "Си Цзиньпин", "Си Цзиньпин", "Касым-Жомарт Токаев"]


@pytest.mark.parametrize("text, role", [
    ("Глава государства Касым-Жомарт Токаев поручил ускорить проект.", "president"),
    ("Депутат Мажилиса Ерлан Саиров выступил на заседании.", "other"),
    ("Первый заместитель премьер-министра Роман Скляр открыл форум.", "deputy prime minister"),
])
def test_posts(found, text: str, role: str) -> None:
    assert role in [m.data["role"] for m in found(text, RU) if m.kind == "role"]


@pytest.mark.parametrize("before, head, after, project", [
    ("Компания построит текстильную ", "фабрику", " в Таразе.", "текстильная фабрика"),
    ("Документ касается строительства ", "завода", " по производству клейкой ленты (скотча).",
     "завод по производству клейкой ленты"),
    ("Проект предполагает строительство парогазовой ", "установки", " (ПГУ) мощностью до 500 МВт.",
     "парогазовая установка"),
    ("В области планируют наладить ", "выпуск", " грузоподъемного оборудования.", "выпуск грузоподъемного оборудования"),
    ("Там начнут ", "производство", " оборудования для охлаждения молока.",
     "производство оборудования для охлаждения молока"),
    ("Компания выполнит проектирование ", "завода", " за 7 млрд тенге.", None),  # a noun is no adjective
    ("Инвестор построит китайский ", "завод", " в Актобе.", None),
])
def test_project_noun_phrases(before: str, head: str, after: str, project: str | None) -> None:
    assert lang.get("ru").project_name(before, head, "", after) == project


@pytest.mark.parametrize("text, akimat", [
    ("Как сообщили в акимате Жамбылской области, проект одобрен.", "акимат Жамбылской области"),
    ("Акимат Караганды и компания «Steppe Glass» подписали меморандум.", "Акимат Караганды"),
])
def test_an_akimat_named_with_its_place_marks_the_place(found, text: str, akimat: str) -> None:
    assert [m.data["akimat"] for m in found(text, RU) if m.data.get("akimat")] == [akimat]


def test_akimats_of_a_shared_noun_region_list(found) -> None:
    text = "В делегацию вошли представители акиматов Костанайской и Павлодарской областей."
    assert sorted(m.data["akimat"] for m in found(text, RU) if m.data.get("akimat")) == [
        "акимат Костанайской области", "акимат Павлодарской области"]


@pytest.mark.parametrize("text, kind", [
    ("В мероприятии приняли участие представители компании «Steppe Glass».", "participants"),
    ("Аким области принял делегацию компании «Steppe Glass».", "meet_verb"),
    ("В Таразе состоялось совещание, которое провел аким области.", "meet_verb"),
])
def test_the_longer_event_word_wins(found, text: str, kind: str) -> None:
    kinds = [m.kind for m in found(text, RU) if m.kind in ("participants", "meet_verb", "meeting")]
    assert kinds[0] == kind


def test_a_city_before_the_akims_name_is_his_city(names) -> None:
    text = "Аким Тараза Нурлан Садыков открыл завод."
    assert names(text, RU, "person") == ["Нурлан Садыков"] and names(text, RU, "city") == ["Тараз"]
