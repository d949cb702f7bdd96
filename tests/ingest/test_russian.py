"""Russian base forms on names and phrases written for these tests (not corpus text)."""

from __future__ import annotations

import pytest

from ingest.russian import listed_place, match_case, person_base_form, phrase_base_form, word_lemma


@pytest.mark.parametrize(("mention", "base"), [
    ("Абзалом Абдикаримовым", "Абзал Абдикаримов"),
    ("Ерболу Тлеумуратову", "Ербол Тлеумуратов"),
    ("Ербола Тлеумуратова", "Ербол Тлеумуратов"),
    ("Бауыржаном Ералиевым", "Бауыржан Ералиев"),
    ("Ерлана Карина", "Ерлан Карин"),
    ("Олжасу Бектенову", "Олжас Бектенов"),
    ("Нурсултаном Назарбаевым", "Нурсултан Назарбаев"),
    ("Борису Николаевичу Ельцину", "Борис Николаевич Ельцин"),
    ("Ахмат-Хаджи Кадырова", "Ахмат-Хаджи Кадыров"),
])
def test_male_names_to_nominative(mention: str, base: str) -> None:
    assert person_base_form(mention) == base


@pytest.mark.parametrize(("mention", "base"), [
    ("Айгерим Сапаровой", "Айгерим Сапарова"),   # indeclinable first name, surname decides
    ("Айгерим Сапарову", "Айгерим Сапарова"),    # -ову is a woman's accusative here
    ("Гульнаре Мухтаровой", "Гульнара Мухтарова"),
    ("Мадии Жумабаевой", "Мадия Жумабаева"),
    ("Динарой Закиевой", "Динара Закиева"),
    ("Наине Иосифовне", "Наина Иосифовна"),
])
def test_female_names_keep_gender(mention: str, base: str) -> None:
    assert person_base_form(mention) == base


@pytest.mark.parametrize("name", [
    "Ербол Тлеумуратов", "Айгерим Сапарова", "Гульнара Сапарова", "Канат Шарлапаев",
])
def test_nominative_names_are_unchanged(name: str) -> None:
    assert person_base_form(name) == name


def test_unknown_surname_by_ending_and_kept_initials() -> None:
    assert person_base_form("Н. Жаксылыкову") == "Н. Жаксылыков"
    assert person_base_form("Саркози") == "Саркози"


@pytest.mark.parametrize(("phrase", "base"), [
    ("Актюбинской области", "Актюбинская область"),
    ("Карагандинскую область", "Карагандинская область"),
    ("Северо-Казахстанской области", "Северо-Казахстанская область"),
    ("Мангистауской области", "Мангистауская область"),
    ("Министерства промышленности", "Министерство промышленности"),
    ("Министерству индустрии и инфраструктурного развития",
     "Министерство индустрии и инфраструктурного развития"),
    ("Национальном банке Казахстана", "Национальный банк Казахстана"),
    ("акиматом Актюбинской области", "акимат Актюбинской области"),
    ("южных Курильских островов", "южные Курильские острова"),
    ("Белом доме", "Белый дом"),
])
def test_phrase_head_and_agreeing_adjectives_change(phrase: str, base: str) -> None:
    assert phrase_base_form(phrase) == base


@pytest.mark.parametrize("phrase", [
    "Актюбинская область", "Курильские острова", "АО «Казахтелеком»",
])
def test_nominative_or_unanalysable_phrases_are_unchanged(phrase: str) -> None:
    assert phrase_base_form(phrase) == phrase


@pytest.mark.parametrize(("form", "place"), [
    ("Шымкенте", "Шымкент"), ("Семее", "Семей"), ("Кызылорды", "Кызылорда"), ("Актобе", "Актобе"),
])
def test_kazakh_places_pymorphy_misses(form: str, place: str) -> None:
    assert listed_place(form) == place
    assert phrase_base_form(form) == place
    assert word_lemma(form) == place


def test_word_lemma_keeps_capitalisation() -> None:
    assert word_lemma("областях") == "область"
    assert word_lemma("Кремля") == "Кремль"
    assert word_lemma("ЕС") == "ЕС"
    assert word_lemma("2024") == "2024"


def test_match_case_per_hyphen_part() -> None:
    assert match_case("Северо-Казахстанской", "северо-казахстанская") == "Северо-Казахстанская"
    assert match_case("РК", "рк") == "РК"
    assert match_case("области", "область") == "область"
