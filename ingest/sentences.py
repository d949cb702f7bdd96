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
# Longer "sentences" are cut (at white space where there is some): real ones stay far below
# (the longest of the dev, held-out and sample articles has 301 characters), while every finder
# works per sentence, so bounding its length keeps extraction linear in the article's length
# whatever the input (a 200 KB line without a full stop took minutes).
MAX_SENTENCE_CHARS = 1000
WORD_WINDOW = 64


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def _is_false_boundary(text: str, dot_at: int, next_at: int) -> bool:
    word = re.search(r"(\S+)$", text[max(0, dot_at - WORD_WINDOW):dot_at])
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
    for begin, finish in (piece for span in spans for piece in _bounded(text, *span)):
        raw = text[begin:finish]
        stripped_start = begin + (len(raw) - len(raw.lstrip()))
        stripped_end = begin + len(raw.rstrip())
        if stripped_end > stripped_start:
            sentences.append(Sentence(len(sentences), stripped_start, stripped_end, text[stripped_start:stripped_end]))
    return sentences


def _bounded(text: str, begin: int, finish: int) -> list[tuple[int, int]]:
    """A span cut into pieces of at most MAX_SENTENCE_CHARS, at the last white space of each
    piece when it has one (so no word is split), else at the limit."""
    pieces: list[tuple[int, int]] = []
    while finish - begin > MAX_SENTENCE_CHARS:
        limit = begin + MAX_SENTENCE_CHARS
        space = max(text.rfind(" ", begin + 1, limit), text.rfind("\t", begin + 1, limit))
        cut = space + 1 if space > begin else limit
        pieces.append((begin, cut))
        begin = cut
    pieces.append((begin, finish))
    return pieces
