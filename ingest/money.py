"""Money amounts with currency and qualifier in Kazakh, Russian and English.

Kazakh puts the qualifier after the amount ("150 млн АҚШ долларынан асатын"), Russian and
English before it ("свыше 150 млн долларов", "over $150 million"); both orders are tried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from ingest.lexicon import money_words

NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class Money:
    value: Decimal
    currency: str
    qualifier: str
    start: int
    end: int
    raw: str


def _alternatives(kind: str, lang: str) -> list[tuple[str, str]]:
    return [(regex, value) for lg, regex, value in money_words().get(kind, []) if lg == lang]


def _group(items: list[tuple[str, str]], name: str) -> str:
    ordered = sorted(items, key=lambda item: len(item[0]), reverse=True)
    return f"(?P<{name}>" + "|".join(f"(?:{regex})" for regex, _ in ordered) + ")"


@cache
def _pattern(lang: str) -> re.Pattern[str]:
    currency = _group(_alternatives("currency", lang), "cur")
    prefix_currency = _group(_alternatives("currency_prefix", lang) or [("\\$", "USD")], "pcur")
    multiplier = _group(_alternatives("multiplier", lang), "mul")
    before = _alternatives("qualifier_before", lang)
    after = _alternatives("qualifier_after", lang)
    gap = "|".join(regex for regex, _ in _alternatives("preposition", lang))
    q_before = (_group(before, "qb") + r"\s+" + (rf"(?:(?:{gap})\s+)?" if gap else "")) if before else ""
    q_after = (r"\s+" + _group(after, "qa")) if after else ""
    amount = (
        rf"(?:{prefix_currency}\s?)?(?P<num>{NUMBER})(?:\s*{multiplier}(?![\w]))?"
        rf"(?:\s*{currency}(?![\w]))?"
    )
    return re.compile(rf"(?<![\w$€₸])(?:{q_before})?{amount}(?:{q_after})?(?![\w])", re.IGNORECASE)


def _lookup(kind: str, lang: str, word: str | None) -> str | None:
    if not word:
        return None
    for regex, value in _alternatives(kind, lang):
        if re.fullmatch(regex, word, re.IGNORECASE):
            return value
    return None


def find(text: str, lang: str, offset: int = 0) -> list[Money]:
    """Amounts that name a currency (bare numbers are years, counts or percentages)."""
    found: list[Money] = []
    for match in _pattern(lang).finditer(text):
        currency = _lookup("currency", lang, match.group("cur")) or _lookup("currency_prefix", lang, match.group("pcur"))
        if currency is None:
            continue
        number = re.sub(r"[ \u00a0\u202f]", "", match.group("num")).replace(",", ".")
        if number.count(".") > 1:
            number = number.replace(".", "")
        try:
            value = Decimal(number)
        except InvalidOperation:
            continue
        multiplier = _lookup("multiplier", lang, match.group("mul"))
        if multiplier:
            value *= Decimal(multiplier)
        qualifier = (
            _lookup("qualifier_before", lang, match.group("qb") and re.sub(r"\s+", " ", match.group("qb")))
            if "qb" in match.groupdict() else None
        ) or (
            _lookup("qualifier_after", lang, match.group("qa") and re.sub(r"\s+", " ", match.group("qa")))
            if "qa" in match.groupdict() else None
        ) or "exact"
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
        found.append(Money(value, currency, qualifier, offset + match.start(), offset + match.end(), match.group().strip()))
    return found
