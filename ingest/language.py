"""kk / ru / en for an article or a sentence, from its letters.

Kazakh is written in Cyrillic with nine extra letters; their share among Cyrillic letters (and a
few high-frequency function words) separates it from Russian far more reliably than a general
language identifier does on short sentences full of names.
"""

from __future__ import annotations

import re

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
KAZAKH_WORDS = re.compile(r"\b(және|мен|бен|пен|үшін|бойынша|туралы|арасында|жылы|жылғы|облысы|сондай-ақ)\b", re.I)
RUSSIAN_WORDS = re.compile(r"\b(и|в|на|что|по|для|с|не|года|области|который|также)\b", re.I)


NOT_CYRILLIC = re.compile("[^\u0400-\u04ff]+")
NOT_LATIN = re.compile("[^A-Za-z]+")


def detect(text: str) -> str:
    # letters counted by the regex engine and str.count, not a Python loop over every character
    cyrillic = len(NOT_CYRILLIC.sub("", text))
    latin = len(NOT_LATIN.sub("", text))
    kazakh = sum(map(text.count, KAZAKH_LETTERS))
    if cyrillic == 0 and latin == 0:
        return "und"
    if latin > cyrillic:
        return "en"
    kk_words = len(KAZAKH_WORDS.findall(text))
    ru_words = len(RUSSIAN_WORDS.findall(text))
    if kazakh / cyrillic > 0.02 or kk_words > ru_words:
        return "kk"
    return "ru"
