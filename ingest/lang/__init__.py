"""One module per language behind one interface.

``mentions.py`` finds spans the same way in every language and asks the language for what
differs: base forms, person names, how an organisation's name combines with its marker, place
and region-list names, the context that makes a capitalised run a person, and which statistical
tagger (if any) finds people. Vocabulary stays in ``ingest/data`` (rows keyed by language), so
adding a language is one module here, its rows in the data files and one line in `get`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from ingest.lang.script import CYR_NAME, LATIN_TOKEN
from ingest.lexicon import cue_regex, stop_names

if TYPE_CHECKING:
    from ingest.mentions import Finder


class Language:
    """Defaults shared by the Cyrillic-script languages; each module overrides what differs."""

    code = ""
    # One word of a foreign (Latin-script) name next to an organisation marker.
    name_token = LATIN_TOKEN
    # A run of capitalised words before a place word ("Жамбыл облысы", "Kostanay Region").
    place_name_run = rf"{CYR_NAME}(?: {CYR_NAME})*"

    def base_form(self, phrase: str) -> str:
        """Nominative (dictionary) form of a noun phrase as the graph stores it."""
        return clean(phrase)

    def person_base_form(self, name: str) -> str:
        """Nominative of a person's name."""
        return re.sub(r"\s+", " ", name.strip())

    def marker_name(self, core: str, marker: str, position: str) -> str:
        """The name of an organisation whose marker is part of it ("Ақтөбе АЭА", "СЭЗ «Актобе»")."""
        joined = f"{core} {marker}" if position == "after" else f"{marker} {core}"
        return self.base_form(joined)

    def keeps_marker(self, core_is_place: bool) -> bool:
        """Whether a 'full' marker stays in the name: when the name alone would be a place."""
        return core_is_place

    def trim_name_lead(self, core: str, start: int) -> tuple[str, int]:
        """Words before a marker that are not part of the name ("The Chinese company Foo")."""
        return core, start

    def place_name(self, name: str, word: str, tail: str, kind: str, position: str) -> str | None:
        """Base form of a place named with a place word ("Жамбыл облысының", "района Х"); None when
        the match is not a place after all."""
        return self.base_form(f"{name} {word}{tail}" if position == "after" else f"{word}{tail} {name}")

    def region_list_name(self, item: str, singular: str) -> str:
        """One item of a shared-noun region list with the singular noun, in base form, for the
        gazetteer: "Павлодарской" + "области" -> "Павлодарская область"."""
        return self.base_form(f"{item} {singular}")

    def akimat_name(self, phrase: str, position: str) -> str:
        """The name of an akimat as the text words it, in base form ("Павлодар облысының
        әкімдігінде" -> "Павлодар облысының әкімдігі"; "the akimat of Ulytau Region")."""
        return self.base_form(re.sub(r"^(?:the|The)\s+", "", phrase))

    def gazetteer_place_ok(self, kind: str, following: str) -> bool:
        """False when a gazetteer place is only the first word of a longer name."""
        return True

    def person_context(self, f: Finder, start: int, end: int) -> bool:
        """Whether a run of capitalised words at [start, end) of the sentence is a person."""
        return True

    def common_word(self, word: str) -> bool:
        """Whether a capitalised word at the start of a sentence is an ordinary word, not a name."""
        return word.lower() in stop_names()

    def tagged_people(self, text: str) -> list[tuple[int, int]]:
        """Person spans from this language's statistical tagger (none by default)."""
        return []

    def speakers(self, text: str) -> frozenset[str]:
        """Surnames the whole article marks as people."""
        return frozenset()

    def foreign_names(self, f: Finder) -> None:
        """Names the script itself marks: in Cyrillic text a Latin-script run is a foreign firm."""
        from ingest.mentions import latin_runs

        latin_runs(f)

    def org_phrase_ok(self, name: str) -> bool:
        """Whether a public body's phrase (org_phrases.tsv), in base form, is built like a name."""
        return True

    def late_names(self, f: Finder) -> None:
        """Names read after places and people (English capitalised runs); nothing by default."""

    def known_org_needs_free(self, name: str) -> bool:
        """Whether a listed organisation's spelling may only be taken where no other span is."""
        return False

    def project_name(self, before: str, head: str, value: str, after: str) -> str | None:
        """The noun phrase a facility word heads ("ферроқорытпа зауыты", "завод по производству
        стекла", "caustic soda plant"), in base form, from the sentence text before and after the
        head; None when the head stands alone (a bare "завод" names no project). A language
        without phrase rules names no project."""
        return None

    def phrase_word(self, kind: str, word: str) -> bool:
        """Whether one word is of a kind of project_words.tsv for this language (a stop word,
        an adjective ending, a nationality ...)."""
        return bool(cue_regex("project_words.tsv", self.code, kind).fullmatch(word))


# An abbreviation in brackets: "(CHP)", "(ПГУ)".
ABBREVIATION = re.compile(r"\([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9-]{2,}\)")


def clean(phrase: str) -> str:
    """Outer quotes, punctuation and a possessive 's off; white space collapsed."""
    phrase = re.sub(r"\s+", " ", phrase.strip(" «»\"“”,."))
    return re.sub(r"[’']s$", "", phrase)


@cache
def get(code: str) -> Language:
    """The language module for an ISO 639-1 code (kk, ru, en); English for anything else."""
    from ingest.lang import en, kk, ru

    return {"kk": kk.LANGUAGE, "ru": ru.LANGUAGE, "en": en.LANGUAGE}.get(code, en.LANGUAGE)
