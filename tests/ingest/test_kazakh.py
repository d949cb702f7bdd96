"""Kazakh base forms and Kazakh extraction rules, on sentences written for these tests."""

from ingest import kazakh
from ingest.article import Article
from ingest.pipeline import extract


def test_case_endings_after_possessive_are_stripped_to_the_compound_base_form() -> None:
    assert kazakh.strip_case_after_possessive("облысының") == "облысы"
    assert kazakh.strip_case_after_possessive("облысында") == "облысы"
    assert kazakh.strip_case_after_possessive("аймағымен") == "аймағы"
    assert kazakh.strip_case_after_possessive("зауытын") == "зауыты"


def test_surname_case_endings_are_stripped_but_nominatives_kept() -> None:
    assert kazakh.strip_name_case("Сейітқазиевтің") == "Сейітқазиев"
    assert kazakh.strip_name_case("Нұрланұлына") == "Нұрланұлы"
    assert kazakh.strip_name_case("Жақсыбековпен") == "Жақсыбеков"
    assert kazakh.strip_name_case("Омарова") == "Омарова"
    assert kazakh.strip_name_case("Омарованың") == "Омарова"


def test_inflection_check_rejects_derivations() -> None:
    assert kazakh.is_inflection("ның")
    assert kazakh.is_inflection("сымен")
    assert not kazakh.is_inflection("дық")


def facts(text: str) -> dict:
    done = extract(Article(text=text, source="test.txt", published="2026-03-01"))
    x = done.extraction
    return {
        "entities": {e.kind + ":" + e.name for e in x.entities.values()},
        "posts": [(x.entities[p.official].name, p.role, x.entities[p.of].name if p.of else None) for p in x.posts],
        "agreements": x.agreements,
        "x": x,
    }


def test_region_official_and_role_from_inflected_kazakh() -> None:
    found = facts("Павлодар облысы әкімінің орынбасары Ерлан Сейітқазиевтің бастауымен делегация "
                  "Үрімші қаласына барды.")
    assert "region:Павлодар облысы" in found["entities"]
    assert ("Ерлан Сейітқазиев", "deputy akim", "Павлодар облысы") in found["posts"]
    assert found["x"].visits[0].location == "city:CN-Urumqi"


def test_quoted_company_with_marker_and_memorandum_with_amount_up_to() -> None:
    found = facts("Қарағанды облысының әкімдігі мен «Болат Тех» компаниясы арасында құны 40 млрд теңгеге "
                  "дейін болатын болат құю зауытын салу туралы меморандумға қол қойылды.")
    assert "company:Болат Тех" in found["entities"]
    agreement = found["agreements"][0]
    assert agreement.type == "mou"
    assert agreement.status == "signed"
    assert agreement.amount.value == 40_000_000_000 and agreement.amount.currency == "KZT"
    assert agreement.amount.qualifier == "up_to"


def test_latin_company_with_kazakh_case_marker_and_planned_status() -> None:
    found = facts("Түркістан облысында Hanwha Solar компаниясымен күн электр станциясын салу жөніндегі "
                  "инвестициялық келісімге алдағы айда қол қою жоспарлануда.")
    assert "company:Hanwha Solar" in found["entities"]
    agreement = found["agreements"][0]
    assert agreement.type == "investment_agreement"
    assert agreement.status == "planned"
    assert agreement.location_region == "region:KZ-61"
