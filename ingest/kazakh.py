"""Kazakh morphology for base forms: case and possessive endings stripped by table.

Kazakh inflects only the last word of a phrase, and a compound's head keeps its 3rd-person
possessive in the base form ("Ақтөбе облыс-ы-ның" -> "Ақтөбе облысы"), so two operations
suffice: strip a case ending after a possessive (heads of compounds), and strip a case ending
from a name when what remains still looks like a name (surnames, gazetteer stems).
"""

from __future__ import annotations

import re
from functools import cache

from ingest.lexicon import suffixes

LETTER = "а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ"
WORD = re.compile(rf"[{LETTER}\w]+(?:[-'’][{LETTER}\w]+)*")


@cache
def _inflection() -> re.Pattern[str]:
    case = "|".join(suffixes("case"))
    after_poss = "|".join(suffixes("case_after_possessive"))
    poss = "|".join(suffixes("possessive3"))
    plural = "|".join(suffixes("plural"))
    return re.compile(rf"(?:(?:{plural})?(?:{case})?|(?:{plural})?(?:{poss})(?:{after_poss})?)", re.IGNORECASE)


def is_inflection(ending: str) -> bool:
    """True when `ending` is made only of plural, possessive and case suffixes (or empty)."""
    if ending.lower().startswith(tuple(suffixes("derivation"))) and not _inflection().fullmatch(ending):
        return False
    return bool(_inflection().fullmatch(ending))


def strip_case_after_possessive(word: str) -> str:
    """'облысының' -> 'облысы', 'компаниясымен' -> 'компаниясы', 'зауытын' -> 'зауыты'."""
    for ending in suffixes("case_after_possessive"):
        stem = word[: -len(ending)]
        if word.lower().endswith(ending) and len(stem) > 2 and stem.lower().endswith(tuple(suffixes("possessive3"))):
            return stem
    return word


def strip_name_case(word: str) -> str:
    """A surname or other proper name without its case ending: 'Әбдікәрімовтің' -> 'Әбдікәрімов'.

    Only strips when the remainder ends like a surname, so 'Сапарова' (a nominative) stays."""
    hyphenated = re.match(rf"^(.+?)[-'’]([{LETTER}]+)$", word)
    if hyphenated and is_inflection(hyphenated.group(2)) and re.search(r"[A-Za-z0-9]", hyphenated.group(1)):
        return hyphenated.group(1)
    for ending in suffixes("case"):
        stem = word[: -len(ending)]
        if word.lower().endswith(ending) and len(stem) >= 3 and stem.lower().endswith(tuple(suffixes("surname"))):
            return stem
    return word


def strip_case(word: str) -> str:
    """Any case ending off a noun whose stem we cannot check (used for Latin names joined
    with a hyphen and for heads after a possessive); prefer the narrower functions above."""
    return strip_case_after_possessive(strip_name_case(word))
