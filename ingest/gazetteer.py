"""Countries, regions, districts and cities found by name in any of their spellings and inflections.

The gazetteer (``ingest/data/places.tsv``, ~14.5k places, ~84k spellings) is too large for one
regular expression per name, so names are matched token by token through a dictionary: a text
token matches a name's word when it equals it, or when it is the word's stem plus an ending
that the word can take - any Kazakh case/possessive/plural ending (checked by the suffix table:
"Шанхайда", "облысының"), a Russian noun or adjective ending that fits the word
(``ru_name_endings.tsv``: "Пекине", "Актюбинской области"), or an English possessive ("China's"). Derivations are not endings, so
"Қытайлық", "китайская" and "Казахстанский" are not places. The first word keeps its capital,
so "қытай компаниялары" (Chinese companies) is not the country. Every spelling of a place
(Cyrillic or Latin, short or long) belongs to one entry, so it becomes one node.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from ingest import kazakh
from ingest.lexicon import GazetteerEntry, gazetteer, rows, suffixes

TOKEN = re.compile(r"\w+(?:['’]\w+)*")
CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN_TAILS = frozenset(("'s",))
MIN_STEM = 3


@cache
def _ru_endings() -> dict[str, tuple[str, ...]]:
    """Russian endings by class (``ru_name_endings.tsv``); an empty string stands for none."""
    return {r[0]: tuple(r[1].split("|")) for r in rows("ru_name_endings.tsv")}


@cache
def _ru_tails(cls: str) -> frozenset[str]:
    return frozenset(_ru_endings()[cls])


@cache
def _ru_all_tails() -> frozenset[str]:
    return frozenset(e for cls, endings in _ru_endings().items() if cls not in ("adjective_base", "indeclinable")
                     for e in endings)


@cache
def _ru_base_endings() -> tuple[str, ...]:
    """Endings a base form may have: none (consonant), a noun class's letter, an adjective's."""
    nouns = tuple(cls.removeprefix("noun_") for cls in _ru_endings() if cls.startswith("noun_") and cls != "noun_consonant")
    return ("", *nouns, *_ru_endings()["adjective_base"])


@cache
def _kk_possessives() -> tuple[str, ...]:
    return suffixes("possessive3")


@dataclass(frozen=True)
class PlaceMatch:
    entry: GazetteerEntry
    start: int
    end: int
    surface: str
    name: str  # the gazetteer spelling that matched ("Ыстанбұл" rather than the usual "Стамбұл")


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Comparison form of a word: NFC, casefolded, ё as е, one apostrophe (cached: the same
    words recur in every article)."""
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е").replace("’", "'")


@dataclass(frozen=True)
class _Word:
    key: str
    ru_stem: str | None  # stem that takes Russian endings (Cyrillic words only)
    ru_tails: frozenset[str]  # the endings it takes
    kk_stem: str | None  # stem that takes Kazakh endings (Cyrillic words only)
    upper: bool  # an abbreviation ("КНР", "UAE") matches only in capitals
    capital: bool  # a capitalised word must stay capitalised in the text

    def tail(self, token: str, lang: str | None = None) -> str | None:
        """The ending by which `token` (key form) differs from this word, or None if it is not this
        word. In a Russian text only Russian endings count, in a Kazakh one only Kazakh ones
        ("Сапары" is Kazakh for "his visit", not a case of "Сапара")."""
        if token == self.key:
            return ""
        if self.ru_stem and lang != "kk" and token.startswith(self.ru_stem):
            tail = token[len(self.ru_stem):]
            if tail in self.ru_tails:
                return tail
        if self.kk_stem and lang != "ru" and token.startswith(self.kk_stem) and _kazakh_ending(token[len(self.kk_stem):]):
            return token[len(self.kk_stem):]
        if self.ru_stem is None and self.kk_stem is None and token.startswith(self.key) and token[len(self.key):] in LATIN_TAILS:
            return token[len(self.key):]
        return None


@lru_cache(maxsize=4096)
def _kazakh_ending(tail: str) -> bool:
    return bool(tail) and kazakh.is_inflection(tail)


@lru_cache(maxsize=65536)
def _word(text: str) -> _Word:
    k = key(text)
    upper = text.isupper() and len(text) > 1
    if not CYRILLIC.search(text) or upper:
        return _Word(k, None, frozenset(), None, upper, text[:1].isupper())
    last = k[-1]
    if k.endswith(_ru_endings()["adjective_base"]) and len(k) > 4:
        ru_stem, ru_tails = k[:-2], _ru_tails("adjective")
    elif f"noun_{last}" in _ru_endings():
        ru_stem, ru_tails = k[:-1], _ru_tails(f"noun_{last}")
    elif last in _ru_endings()["indeclinable"]:
        ru_stem, ru_tails = None, frozenset()
    else:
        ru_stem, ru_tails = k, _ru_tails("noun_consonant")
    kk_stem = k
    if text[:1].islower():  # "облысы" -> "облыс" + "ының"
        kk_stem = next((k[: -len(p)] for p in _kk_possessives() if k.endswith(p) and len(k) - len(p) >= MIN_STEM), k)
    if ru_stem is not None and len(ru_stem) < MIN_STEM:
        ru_stem = None
    return _Word(k, ru_stem, ru_tails, kk_stem if len(kk_stem) >= MIN_STEM else None, False, text[:1].isupper())


@dataclass(frozen=True)
class _Name:
    words: tuple[_Word, ...]
    gaps: tuple[str, ...]  # what stands between the words: " ", "-", ". "
    entry: GazetteerEntry
    spelling: str
    rank: int  # position in places.tsv: an earlier row wins a tie


def _gap(text: str) -> str:
    return text if text == " " else re.sub(r"\s+", " ", text)


def _split(text: str) -> tuple[list[re.Match[str]], list[str]]:
    tokens = list(TOKEN.finditer(text))
    gaps = [_gap(text[a.end():b.start()]) for a, b in zip(tokens, tokens[1:])]
    return tokens, gaps


@cache
def _index() -> dict[str, list[tuple[int, str]]]:
    """Every name as (row, spelling), filed under its first word as written (key form). Endings
    are undone on the text side (`_openings`), and the rest of a name is parsed only when a
    text token reaches it, so loading is one pass over the spellings."""
    index: dict[str, list[tuple[int, str]]] = {}
    for rank, entry in enumerate(gazetteer()):
        for spelling in entry.all_names():
            first = TOKEN.match(spelling)
            if first:
                index.setdefault(first.group().casefold().replace("ё", "е").replace("’", "'"), []).append((rank, spelling))
    return index


def _openings(k: str) -> set[str]:
    """Base forms a text token (key form `k`) may be of: itself, without an English possessive,
    a Russian stem with each base ending, a Kazakh stem with and without its possessive."""
    forms = {k}
    forms.update(k[: -len(t)] for t in LATIN_TAILS if k.endswith(t))
    if CYRILLIC.search(k):
        for n in (1, 2, 3):
            if len(k) - n >= MIN_STEM and k[-n:] in _ru_all_tails():
                forms.update(k[:-n] + e for e in _ru_base_endings())
        for cut in range(MIN_STEM, len(k)):
            if _kazakh_ending(k[cut:]):
                forms.update(k[:cut] + p for p in ("", *_kk_possessives()))
    return forms


@lru_cache(maxsize=65536)
def _names_opening(token: str) -> tuple[_Name, ...]:
    """Every name whose first word the text token may be a form of, each spelling once, less
    those whose first word must be capitalised or in capitals where the token is not ("the" opens
    no "The Hague"). Cached per token: the same words recur in every article."""
    index = _index()
    upper, capital = token.isupper(), token[:1].isupper()
    names = (_name(*ref) for ref in dict.fromkeys(ref for form in _openings(key(token)) for ref in index.get(form, ())))
    return tuple(n for n in names if not (n.words[0].upper and not upper or n.words[0].capital and not capital))


@lru_cache(maxsize=65536)
def _name(rank: int, spelling: str) -> _Name:
    tokens, gaps = _split(spelling)
    return _Name(tuple(_word(t.group()) for t in tokens), tuple(gaps), gazetteer()[rank], spelling, rank)


def _matches_at(tokens: list[re.Match[str]], gaps: list[str], i: int, name: _Name, lang: str | None) -> int | None:
    """Where `name` ends in the text when it starts at token i, else None. An English
    possessive stays outside the span ("China's" -> "China"); case endings stay inside."""
    if i + len(name.words) > len(tokens):
        return None
    tail = None
    for n, word in enumerate(name.words):
        token = tokens[i + n].group()
        if n and gaps[i + n - 1] != name.gaps[n - 1]:
            return None
        if word.upper and not token.isupper() or n == 0 and word.capital and not token[:1].isupper():
            return None
        tail = word.tail(key(token), lang)
        if tail is None:
            return None
    end = tokens[i + len(name.words) - 1].end()
    return end - len(tail) if tail in LATIN_TAILS else end


def find(text: str, offset: int = 0, lang: str | None = None) -> list[PlaceMatch]:
    """Places named in `text`, longest first where they overlap; positions shifted by `offset`.
    `lang` ("kk", "ru", "en"), when given, limits case endings to that language's."""
    tokens, gaps = _split(text)
    candidates: list[tuple[int, int, int, _Name]] = []
    for i, token in enumerate(tokens):
        for name in _names_opening(token.group()):
            end = _matches_at(tokens, gaps, i, name, lang)
            if end is not None:
                candidates.append((token.start(), end, name.rank, name))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    found: list[PlaceMatch] = []
    for start, end, _rank, name in candidates:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        found.append(PlaceMatch(name.entry, offset + start, offset + end, text[start:end], name.spelling))
    return sorted(found, key=lambda m: m.start)


@cache
def _place_nouns() -> re.Pattern[str]:
    stems = sorted((r[1] for r in rows("gazetteer/place_nouns.tsv")), key=len, reverse=True)
    return re.compile(r"\s+(?:" + "|".join(map(re.escape, stems)) + ")", re.IGNORECASE)


def after_name_word(text: str, start: int, end: int) -> bool:
    """True when the place at text[start:end] ends a longer name: the word before it is a
    capitalised word of the same script, one space away and not the first of its sentence
    ("Игорь Бабушкин", "Fabe Agro"), and no place noun follows ("Нұрлан Сейітов Қарағанды
    қаласында" names the city)."""
    before = re.search(r"(?:^|(?P<lead>\S)\s+)?(?P<word>\w+) $", text[:start])
    if not before or not before.group("lead") or not before.group("word")[:1].isupper():
        return False
    if _place_nouns().match(text, end):
        return False
    return bool(CYRILLIC.search(before.group("word"))) == bool(CYRILLIC.search(text[start:start + 1]))


def place_named(name: str) -> GazetteerEntry | None:
    """The place that `name` is, as a whole ("Шанхай", "Shanghai", "Ақтөбе облысы", "«Astana»"),
    or None when the name is not (only) a place ("Astana Motors", "Shanghai Electric")."""
    core = name.strip(" \t\n«»\"“”„'")
    places = find(core)
    if len(places) == 1 and places[0].start == 0 and places[0].end == len(core):
        return places[0].entry
    return None


def is_place(name: str) -> bool:
    """True when `name` is a country, region, district or city and nothing more: such a name is
    never a company or an organisation."""
    return place_named(name) is not None
