"""Russian base forms (nominative) for names, places and organisation phrases.

News text names people and places in whatever case the sentence needs ("встреча с Абзалом
Абдикаримовым", "в Актюбинской области"); the graph needs one canonical label per entity, so
mentions are brought to the nominative here. pymorphy3 does the morphology; it knows many Kazakh
first names but guesses surnames only by analogy and takes unknown feminine ones ("Сапаровой")
for adjectives, so surname endings and a list of Kazakh first names (``ingest/data/ru_*.tsv``)
back it up. The analyzer is loaded once per process, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pymorphy3

CASES: tuple[str, ...] = ("nomn", "gent", "datv", "accs", "ablt", "loct")
GENDERS: tuple[str, ...] = ("m", "f")
GENDER_TAGS: dict[str, str] = {"m": "masc", "f": "femn"}
MODIFIER_POS = frozenset({"ADJF", "PRTF"})

# How much one reading of a name token counts when the case and gender of the whole name are
# chosen: a first name from our list or the dictionary is the surest evidence, a surname ending
# rule weaker, an adjective reading ("Долгорукому") weakest.
WEIGHT_LISTED_FIRST_NAME = 3.0
WEIGHT_DICTIONARY_NAME = 2.0
WEIGHT_LATER_FIRST_NAME = 0.5
WEIGHT_SURNAME = 1.0
WEIGHT_SURNAME_ENDING = 0.8
WEIGHT_FOREIGN_ENDING = 0.6
WEIGHT_GUESS = 0.5
WEIGHT_ADJECTIVE = 0.3
WEIGHT_SCORE = 0.1

CONFIDENT_GUESS = 0.5
VOWELS = frozenset("аеёиоуыэюяьй")


@lru_cache(maxsize=1)
def analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=100_000)
def word_parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    """pymorphy3's readings of one word, cached: names and region words recur in every article,
    and a dictionary look-up with its guessers costs far more than the cache."""
    return tuple(analyzer().parse(word))


def _data_lines(name: str) -> list[str]:
    text = resources.files("ingest").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def _data_rows(name: str) -> list[list[str]]:
    return [line.split("\t") for line in _data_lines(name)]


@lru_cache(maxsize=1)
def _first_names() -> dict[str, tuple[str, str]]:
    """lower-case nominative -> (nominative, gender)."""
    return {row[0].lower(): (row[0], row[1]) for row in _data_rows("ru_kazakh_first_names.tsv")}


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """lower-case nominative -> nominative of the listed Kazakh places."""
    return {line.lower(): line for line in _data_lines("ru_kazakh_places.txt")}


@lru_cache(maxsize=1)
def _place_endings() -> list[tuple[str, str]]:
    return [(row[0], row[1] if len(row) > 1 else "") for row in _data_rows("ru_place_endings.tsv")]


def listed_place(token: str) -> str | None:
    """Nominative of a case form of a listed Kazakh place ("Шымкенте" -> "Шымкент")."""
    places, lower = _places(), token.lower()
    for ending, nominative_ending in _place_endings():
        if lower.endswith(ending):
            found = places.get(lower[: len(lower) - len(ending)] + nominative_ending)
            if found:
                return found
    return None


@lru_cache(maxsize=None)
def _endings(name: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(row[0], row[1], row[2], tuple(row[3].split(","))) for row in _data_rows(name)]


def match_case(original: str, new: str) -> str:
    """Give ``new`` the capitalisation pattern of ``original`` (per hyphen-separated part)."""
    if len(original) > 1 and original.isupper():
        return new.upper()
    old_parts, new_parts = original.split("-"), new.split("-")
    if len(old_parts) != len(new_parts):
        old_parts, new_parts = [original], [new]
    return "-".join(
        n[:1].upper() + n[1:] if o[:1].isupper() else n for o, n in zip(old_parts, new_parts)
    )


@dataclass(frozen=True)
class Reading:
    """One way to read a name token: its gender, case and nominative for that gender."""
    gender: str
    case: str
    nominative: str
    weight: float


def _parse_genders(tag) -> tuple[str, ...]:
    if "ms-f" in tag.grammemes:
        return GENDERS
    return tuple(g for g, t in GENDER_TAGS.items() if t == tag.gender)


def _dictionary_readings(token: str, later_token: bool) -> list[Reading]:
    """Readings from pymorphy3. A first-name reading of a token after the first one is
    discounted: in "Ерлана Карина" the second token is the surname, not the name "Карина"."""
    parses = word_parses(token)
    # "Ахмат-Хаджи" is read as a nominative name and, separately, as an indeclinable noun:
    # the name reading must then hold in every case.
    indeclinable = any({"Fixd", "anim"} <= p.tag.grammemes for p in parses)
    readings: list[Reading] = []
    for parse in parses:
        tag = parse.tag
        if tag.number == "plur" or tag.case not in CASES:
            continue
        if {"Name", "Patr"} & tag.grammemes:
            weight = WEIGHT_LATER_FIRST_NAME if later_token and "Name" in tag.grammemes \
                else WEIGHT_DICTIONARY_NAME
        elif "Surn" in tag.grammemes:
            weight = WEIGHT_SURNAME
        elif tag.POS == "ADJF":
            weight = WEIGHT_ADJECTIVE
        else:
            continue
        if not parse.is_known:  # a guess by analogy ("Касым-Жомарта" as a nominative name) is weak evidence
            weight = min(weight, WEIGHT_GUESS)
        weight += WEIGHT_SCORE * parse.score
        fixed = indeclinable or "Fixd" in tag.grammemes
        for gender in _parse_genders(tag):
            if fixed:
                readings.extend(Reading(gender, case, token, weight) for case in CASES)
                continue
            form = parse.inflect({"sing", "nomn", GENDER_TAGS[gender]})
            if form is not None:
                readings.append(Reading(gender, tag.case, match_case(token, form.word), weight))
    return readings


def _listed_first_name_readings(token: str) -> list[Reading]:
    names = _first_names()
    readings: list[Reading] = []
    lower = token.lower()
    if lower in names:
        if names[lower][1] == "f" and not lower.endswith(("а", "я")):
            return [Reading("f", case, token, WEIGHT_LISTED_FIRST_NAME) for case in CASES]
    for ending, nominative_ending, gender, cases in _endings("ru_first_name_endings.tsv"):
        if not lower.endswith(ending):
            continue
        stem = lower[: len(lower) - len(ending)] if ending else lower
        entry = names.get(stem + nominative_ending)
        if entry is None or entry[1] != gender:
            continue
        readings.extend(Reading(gender, case, match_case(token, entry[0]), WEIGHT_LISTED_FIRST_NAME)
                        for case in cases)
    return readings


def _surname_ending_readings(token: str) -> list[Reading]:
    readings: list[Reading] = []
    lower = token.lower()
    for ending, nominative_ending, gender, cases in _endings("ru_surname_endings.tsv"):
        stem = lower[: len(lower) - len(ending)]
        if lower.endswith(ending) and len(stem) >= 2:
            nominative = match_case(token, stem + nominative_ending)
            readings.extend(
                Reading(gender, case, nominative, WEIGHT_SURNAME_ENDING) for case in cases)
    return readings


def _foreign_ending_readings(token: str) -> list[Reading]:
    """Readings of a name pymorphy3 does not know, by the endings of ru_foreign_name_endings.tsv:
    "Эрдоганом" -> "Эрдоган" (m, ablt), "Хуэя" -> "Хуэй", "Гульшары" -> "Гульшара"."""
    if token[:1].islower() or word_parses(token)[0].is_known:
        return []
    readings: list[Reading] = []
    lower = token.lower()
    for ending, nominative_ending, gender, cases in _endings("ru_foreign_name_endings.tsv"):
        stem = lower[: len(lower) - len(ending)]
        if not lower.endswith(ending) or len(stem) < 3:  # "Чжи", "Хун": syllables, not case forms
            continue
        if nominative_ending == "й":
            fits = stem[-1] in VOWELS and stem[-1] not in "ьй"  # Хуэ-я -> Хуэй
        elif nominative_ending:
            fits = stem[-1] not in VOWELS  # Гульшар-ы -> Гульшара
        else:
            fits = stem[-1] not in VOWELS or stem[-1] == "й"  # Эрдоган-ом, Синьвэй-ем
        if fits:
            # the bare form read as a nominative is the weakest reading: a case ending, if any, wins
            weight = WEIGHT_GUESS * 0.8 if not ending else WEIGHT_FOREIGN_ENDING
            nominative = match_case(token, stem + nominative_ending)
            readings.extend(Reading(gender, case, nominative, weight) for case in cases)
    return readings


@lru_cache(maxsize=100_000)
def name_token_readings(token: str, later_token: bool = False) -> tuple[Reading, ...]:
    """Every reading of one token of a person's name; none for initials or non-words. Cached:
    the same names recur across articles, and inflecting each reading is pymorphy3's slow step."""
    if "." in token or not any(ch.isalpha() for ch in token):
        return ()
    return (*_listed_first_name_readings(token), *_dictionary_readings(token, later_token),
            *_surname_ending_readings(token), *_foreign_ending_readings(token))


@lru_cache(maxsize=100_000)
def person_base_form(name: str) -> str:
    """Nominative of a person's name, all tokens in one case and gender:
    "Абзалом Абдикаримовым" -> "Абзал Абдикаримов", "Айгерим Сапаровой" -> "Айгерим Сапарова".

    The case and gender are chosen for the whole name, because single tokens are ambiguous
    ("Сапарову" is a man's dative or a woman's accusative) while the first name usually is not.
    Tokens with no reading in the chosen case and gender (initials, foreign names) are kept.
    Cached, like `phrase_base_form`: officials and places are named again and again.
    """
    tokens = name.split()
    readings = [name_token_readings(token, index > 0) for index, token in enumerate(tokens)]

    def best(token_readings: tuple[Reading, ...], gender: str, case: str) -> Reading | None:
        matching = [r for r in token_readings if r.gender == gender and r.case == case]
        return max(matching, key=lambda r: r.weight, default=None)

    def support(choice: tuple[str, str]) -> float:
        return sum(r.weight for rs in readings if (r := best(rs, *choice)))

    choices = [(gender, case) for case in CASES for gender in GENDERS]
    gender, case = max(choices, key=lambda choice: (support(choice), -choices.index(choice)))
    out = []
    for token, token_readings in zip(tokens, readings):
        reading = best(token_readings, gender, case)
        out.append(reading.nominative if reading else token)
    return " ".join(out)


def _agrees(modifier, noun) -> bool:
    mt, nt = modifier.tag, noun.tag
    if mt.POS not in MODIFIER_POS or mt.case != nt.case or mt.number != nt.number:
        return False
    return nt.number == "plur" or nt.gender is None or mt.gender == nt.gender


def _best_agreement(parses: list[list], head: int) -> tuple[float, object, list] | None:
    """The highest-scoring reading of ``parses[head]`` as a noun with every earlier token read
    as an adjective agreeing with it, or None."""
    best = None
    for noun in parses[head]:
        if noun.tag.POS != "NOUN" or noun.tag.case not in CASES:
            continue
        modifiers, total = [], noun.score
        for token_parses in parses[:head]:
            agreeing = [p for p in token_parses if _agrees(p, noun)]
            if not agreeing:
                break
            modifiers.append(max(agreeing, key=lambda p: p.score))
            total += modifiers[-1].score
        else:
            if best is None or total > best[0]:
                best = (total, noun, modifiers)
    return best


def _keeps_form(token: str, parse) -> bool:
    """A capitalised word pymorphy3 only guesses at, and not confidently ("Таразе" -> "тараз",
    a name, or a noun, or indeclinable), is a foreign name: a wrong nominative is worse than
    keeping the form."""
    return token[:1].isupper() and not parse.is_known and parse.score < CONFIDENT_GUESS


@lru_cache(maxsize=100_000)
def phrase_base_form(phrase: str) -> str:
    """Nominative of a noun phrase: the head noun and the adjectives agreeing with it before it
    change, everything after the head (genitive dependents, names) stays:
    "Актюбинской области" -> "Актюбинская область",
    "Министерства промышленности" -> "Министерство промышленности".

    The head is the last noun reachable through a run of agreeing adjectives ("Белом доме",
    not the rare noun "бел"); among readings the agreeing combination with the highest pymorphy
    score wins, so "Министерства" is a genitive singular, not a plural.
    """
    tokens = phrase.split()
    if tokens and (place := listed_place(tokens[0])):
        return " ".join([place, *tokens[1:]])
    parses = [word_parses(token) for token in tokens]
    found = None
    for head, token_parses in enumerate(parses):
        agreement = _best_agreement(parses, head)
        if agreement is not None:
            found = (head, agreement)
        if not any(p.tag.POS in MODIFIER_POS for p in token_parses):
            break
    if found is None:
        return phrase
    head, (_, noun, modifiers) = found
    if noun.tag.case == "nomn" or _keeps_form(tokens[head], noun):
        return phrase
    number = noun.tag.number or "sing"
    noun_form = noun.inflect({"nomn", number})
    if noun_form is None:
        return phrase
    gender = noun_form.tag.gender if number == "sing" else None
    out = []
    for token, modifier in zip(tokens, modifiers):
        form = modifier.inflect({"nomn", number} | ({gender} if gender else set()))
        if form is None:
            return phrase
        out.append(match_case(token, form.word))
    out.append(match_case(tokens[head], noun_form.word))
    return " ".join([*out, *tokens[head + 1:]])


@lru_cache(maxsize=100_000)
def word_lemma(word: str) -> str:
    """Dictionary form of one word (pymorphy3's most probable reading), capitalised like the
    input: "областях" -> "область", "Кремля" -> "Кремль"."""
    if not any(ch.isalpha() for ch in word):
        return word
    if place := listed_place(word):
        return place
    parse = word_parses(word)[0]
    return word if _keeps_form(word, parse) else match_case(word, parse.normal_form)
