"""Regions, countries and cities found by name in any of their spellings and inflections.

Patterns are generated from the gazetteer names: the last Kazakh word may take any case
ending (checked by the suffix table), Russian words any ending on their stem, English names
match as written; the first word keeps its capital so "қытай компаниялары" (Chinese
companies) is not the country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest import kazakh
from ingest.lexicon import GazetteerEntry, gazetteer

RU_ENDING = re.compile(r"(?:ая|яя|ое|ее|ий|ый|ой|ие|ые|ь|а|я|о|е|й|ы|и)$")


@dataclass(frozen=True)
class PlaceMatch:
    entry: GazetteerEntry
    start: int
    end: int
    surface: str
    name: str  # the gazetteer spelling that matched ("Ыстанбұл" rather than the usual "Стамбұл")


def _word_pattern(word: str, last: bool, script_lang: str) -> str:
    if script_lang == "ru" and len(word) > 3 and not word.isupper():
        stem = RU_ENDING.sub("", word) or word
        return re.escape(stem) + r"\w*"
    if script_lang == "kk" and last and not word.isupper():
        stem = word
        for poss in ("сы", "сі", "ы", "і"):
            if word.endswith(poss) and len(word) - len(poss) >= 3 and word[0].islower():
                stem = word[: -len(poss)]
                break
        return re.escape(stem) + r"(?P<tail>\w*)"
    return re.escape(word)


def _script_lang(name: str) -> str:
    if re.search("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", name):
        return "kk"
    if re.search("[а-яА-Я]", name):
        return "ru"
    return "en"


@cache
def _compiled() -> list[tuple[re.Pattern[str], GazetteerEntry, str, str]]:
    """(pattern, entry, script) longest names first, so 'Қытай Халық Республикасы' beats 'Қытай'."""
    items: list[tuple[re.Pattern[str], GazetteerEntry, str, str]] = []
    for entry in gazetteer():
        for name in entry.all_names():
            script = _script_lang(name)
            for variant_lang in ({"kk", "ru"} if script == "kk" else {script}):
                words = name.split()
                parts = [_word_pattern(w, i == len(words) - 1, variant_lang) for i, w in enumerate(words)]
                head, rest = parts[0], parts[1:]
                body = head + "".join(r"\s+(?i:" + p + ")" for p in rest)
                items.append((re.compile(rf"(?<![\w-]){body}(?![\w])"), entry, variant_lang, name))
    items.sort(key=lambda item: len(item[0].pattern), reverse=True)
    return items


def find(text: str, offset: int = 0) -> list[PlaceMatch]:
    taken: list[tuple[int, int]] = []
    found: list[PlaceMatch] = []
    for pattern, entry, script, name in _compiled():
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if any(start < e and s < end for s, e in taken):
                continue
            surface = match.group()
            tail = match.groupdict().get("tail")
            if script == "kk" and tail is not None and not kazakh.is_inflection(tail):
                continue
            if script == "kk" and tail is None:
                word_end = re.match(r"\w*", text[end:]).group()
                if word_end:
                    continue
            if script == "ru" and re.search(r"ск\w*$", surface.split()[0]) and entry.kind == "country" and " " not in surface:
                continue  # "Казахстанский" is an adjective, not the country
            taken.append((start, end))
            found.append(PlaceMatch(entry, offset + start, offset + end, surface, name))
    return sorted(found, key=lambda m: m.start)
