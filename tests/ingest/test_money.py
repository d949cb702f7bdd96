"""Amounts with currency and qualifier in the three languages."""

from decimal import Decimal

import pytest

from ingest.money import find


@pytest.mark.parametrize(
    ("text", "lang", "value", "currency", "qualifier"),
    [
        ("құны 150 млн АҚШ долларынан асатын жоба", "kk", 150_000_000, "USD", "over"),
        ("жалпы құны 2,5 млрд теңгеге жуық", "kk", 2_500_000_000, "KZT", "about"),
        ("шамамен 12 млн еуро", "kk", 12_000_000, "EUR", "about"),
        ("инвестиции свыше 150 млн долларов США", "ru", 150_000_000, "USD", "over"),
        ("около 3,5 млрд тенге", "ru", 3_500_000_000, "KZT", "about"),
        ("до 800 млн юаней", "ru", 800_000_000, "CNY", "up_to"),
        ("over $150 million", "en", 150_000_000, "USD", "over"),
        ("worth 1.2 bn yuan", "en", 1_200_000_000, "CNY", "exact"),
        ("up to 40 billion tenge", "en", 40_000_000_000, "KZT", "up_to"),
    ],
)
def test_amount_currency_and_qualifier(text: str, lang: str, value: int, currency: str, qualifier: str) -> None:
    found = find(text, lang)
    assert len(found) == 1
    assert found[0].value == Decimal(value)
    assert (found[0].currency, found[0].qualifier) == (currency, qualifier)


def test_numbers_without_currency_are_not_money() -> None:
    assert find("2026 жылы 150 жұмыс орны ашылады", "kk") == []
    assert find("в 2026 году 300 рабочих мест", "ru") == []


@pytest.mark.parametrize("text,lang,qualifier", [
    ("Жалпы сомасы 2 млрд доллардан асып түседі.", "kk", "over"),
    ("Общая сумма превышает 1,2 млрд долларов США.", "ru", "over"),
    ("The total exceeds $1.2 billion.", "en", "over"),
    ("The company signed contracts that add up to KZT 120 billion.", "en", "exact"),
    ("The deals amount to $40 million.", "en", "exact"),
])
def test_verbs_of_exceeding_and_summing(text: str, lang: str, qualifier: str) -> None:
    [found] = find(text, lang)
    assert found.qualifier == qualifier
