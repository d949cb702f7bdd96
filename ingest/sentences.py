"""Sentence spans with character offsets into the article text.

Offsets are what provenance stores, so spans are never re-joined or trimmed beyond white space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = {
    "млн", "млрд", "трлн", "тыс", "руб", "г", "гг", "т.б", "т.с.с", "ж", "жж", "обл", "им", "ул", "пр",
    "mr", "mrs", "ms", "dr", "co", "ltd", "inc", "corp", "no", "st", "jsc", "llp", "u.s", "e.g", "i.e",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mln", "bln", "bn",
}
BOUNDARY = re.compile(r"[.!?…]+[\"»”)]*\s+|\n+")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def _is_false_boundary(text: str, dot_at: int, next_at: int) -> bool:
    word = re.search(r"(\S+)$", text[:dot_at])
    token = word.group(1).lower().rstrip(".") if word else ""
    if token in ABBREVIATIONS:
        return True
    if re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", token):
        return True  # initials: "Д. Айдар", "A. Smith", "А.А. Абдыкаримов", "Қ.Көшербаев"
    following = text[next_at:next_at + 1]
    return bool(following) and (following.islower() or following.isdigit() and token.isdigit())


def split(text: str) -> list[Sentence]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in BOUNDARY.finditer(text):
        if "\n" not in match.group() and _is_false_boundary(text, match.start(), match.end()):
            continue
        end = match.end()
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    sentences: list[Sentence] = []
    for begin, finish in spans:
        raw = text[begin:finish]
        stripped_start = begin + (len(raw) - len(raw.lstrip()))
        stripped_end = begin + len(raw.rstrip())
        if stripped_end > stripped_start:
            sentences.append(Sentence(len(sentences), stripped_start, stripped_end, text[stripped_start:stripped_end]))
    return sentences
