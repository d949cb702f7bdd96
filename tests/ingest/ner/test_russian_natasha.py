"""Russian NER: natasha plus post-rules, on sentences written for these tests (not corpus text).

The rules are also tested alone on hand-made natasha-like spans, so their behaviour does not
depend on what a natasha release happens to tag."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ingest.ner.russian_natasha import apply_rules, spans

Tagger = Callable[[str], list[tuple[int, int, str]]]


@pytest.fixture(scope="module")
def tag() -> Tagger:
    """The pipeline loads once for the module (~1 s)."""
    spans("Прогрев.")
    return spans


def found(text: str, tag: Tagger) -> set[tuple[str, str]]:
    return {(text[start:end], label) for start, end, label in tag(text)}


def ruled(text: str, raw: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Apply the rules to natasha-like spans given as (first occurrence of a substring, label)."""
    spans_in = [(text.index(s), text.index(s) + len(s), label) for s, label in raw]
    return {(text[s:e], label) for s, e, label in apply_rules(text, spans_in)}


def test_akim_is_a_post_not_a_location(tag: Tagger) -> None:
    text = "Аким Актюбинской области Ербол Тлеумуратов провёл встречу с инвесторами из Китая."
    result = found(text, tag)
    assert not any(surface.startswith("Аким") for surface, _ in result)
    assert ("Актюбинской области", "LOC") in result
    assert ("Ербол Тлеумуратов", "PER") in result
    assert ("Китая", "LOC") in result


def test_akim_of_unnamed_region_yields_no_location(tag: Tagger) -> None:
    result = found("Аким области Абзал Абдикаримов посетил завод в Актобе.", tag)
    assert result == {("Абзал Абдикаримов", "PER"), ("Актобе", "LOC")}


def test_kazakh_names_in_oblique_cases_are_persons(tag: Tagger) -> None:
    text = "Премьер-министр Казахстана Олжас Бектенов встретился с Айгерим Сапаровой."
    result = found(text, tag)
    assert {("Олжас Бектенов", "PER"), ("Айгерим Сапаровой", "PER"),
            ("Казахстана", "LOC")} <= result


def test_quoted_org_names_lose_legal_form_and_quotes(tag: Tagger) -> None:
    text = "ТОО «Казахстанская сталь» и АО «НК «КазМунайГаз» подписали соглашение в Павлодаре."
    result = found(text, tag)
    assert ("Казахстанская сталь", "ORG") in result
    assert ("КазМунайГаз", "ORG") in result


def test_org_keeps_its_country_but_a_generic_head_names_the_place(tag: Tagger) -> None:
    result = found("Министерство финансов Казахстана сообщило о росте инвестиций.", tag)
    assert ("Министерство финансов Казахстана", "ORG") in result
    result = found("Правительство Казахстана одобрило проект.", tag)
    assert ("Казахстана", "LOC") in result
    assert not any(label == "ORG" for _, label in result)


def test_supranational_unions_are_organisations(tag: Tagger) -> None:
    result = found("Представители ЕС и Евросоюза посетили Алматы.", tag)
    assert {("ЕС", "ORG"), ("Евросоюза", "ORG"), ("Алматы", "LOC")} <= result


def test_bracketed_original_is_its_own_span(tag: Tagger) -> None:
    result = found("Директор компании Джон Смит (John Smith) прилетел в Астану.", tag)
    assert {("Джон Смит", "PER"), ("John Smith", "PER")} <= result


def test_spans_are_trimmed_and_inside_the_text(tag: Tagger) -> None:
    text = "«Казахмыс», «Самрук-Казына» (Фонд) и аким Алматы — на форуме в г.Алматы."
    for start, end, label in tag(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip(" «»()—,.")
        assert label in {"PER", "ORG", "LOC"}


def test_rule_splits_brackets_bullets_and_commas() -> None:
    text = "Итоги: Монако • Намибия, Бенин (Котону)."
    assert ruled(text, [("Монако • Намибия, Бенин (Котону)", "LOC")]) == {
        ("Монако", "LOC"), ("Намибия", "LOC"), ("Бенин", "LOC"), ("Котону", "LOC")}


def test_rule_drops_domain_zone_and_lone_descriptor() -> None:
    text = "Сайт в зоне .РФ открыт на мысе."
    assert ruled(text, [("РФ", "LOC"), ("мысе", "LOC")]) == set()


def test_rule_cuts_preposed_place_noun_and_person_noun() -> None:
    text = "Рейс на Острове Уайт. Исследователи Брукхейвенской лаборатории сообщили."
    raw = [("Острове Уайт", "LOC"), ("Исследователи Брукхейвенской лаборатории", "ORG")]
    assert ruled(text, raw) == {("Уайт", "LOC"), ("Брукхейвенской лаборатории", "ORG")}


def test_rule_merges_place_after_common_noun_location() -> None:
    text = "Суд Южного округа Нью-Йорка и Крыма Россией."
    assert ruled(text, [("Южного округа", "LOC"), ("Нью-Йорка", "LOC"), ("Крыма", "LOC"),
                        ("Россией", "LOC")]) == {
        ("Южного округа Нью-Йорка", "LOC"), ("Крыма", "LOC"), ("Россией", "LOC")}


def test_rule_strips_akim_from_a_person_span() -> None:
    text = "Аким Ербол Тлеумуратов приехал."
    assert ruled(text, [("Аким Ербол Тлеумуратов", "PER")]) == {("Ербол Тлеумуратов", "PER")}
