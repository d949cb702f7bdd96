"""Russian: every agreeing word inflects, so base forms come from pymorphy3 through
``ingest.russian``; people missed by the name rules come from natasha."""

from __future__ import annotations

import re

from ingest import gazetteer, russian
from ingest.lang import Language, clean
from ingest.lang.script import CYR_NAME


class Russian(Language):
    code = "ru"
    place_name_run = CYR_NAME

    def base_form(self, phrase: str) -> str:
        return russian.phrase_base_form(clean(phrase))

    def person_base_form(self, name: str) -> str:
        return russian.person_base_form(super().person_base_form(name))

    def marker_name(self, core: str, marker: str, position: str) -> str:
        return self.base_form(f"{marker} {core}")

    def place_name(self, name: str, word: str, tail: str, kind: str, position: str) -> str | None:
        """"Омской области" -> "Омская область"; "города Тараза" -> "Тараз"; "провинции Шэньси" ->
        "провинция Шэньси" (the noun in its dictionary form, the foreign name as written)."""
        if position == "after":
            return self.base_form(f"{name} {word}{tail}")
        if kind == "city":
            return self.base_form(name)
        noun = russian.word_lemma(word + tail).lower()
        if kind == "place" and gazetteer.find(name):
            return None  # "районы Монголии": districts of a country, not one named district
        if len(name.split()) > 1:
            return f"{noun} {name}"  # "района Магжана Жумабаева": named after a person, the genitive stays
        return f"{noun} {self.base_form(name)}"

    def region_list_name(self, item: str, singular: str) -> str:
        """"Павлодарской" or "Павлодарская" (a list in the nominative: "Павлодарская и Омская
        области") with "области" -> "Павлодарская область": the adjective's stem takes the
        feminine nominative, which pymorphy3 cannot guess from a plural noun."""
        return re.sub(r"(?:ой|ая)$", "ая", item) + " область"

    def akimat_name(self, phrase: str, position: str) -> str:
        """"акимате Атырауской области" -> "акимат Атырауской области": only the akimat noun takes
        the nominative; the place after it stays in the genitive, as a name says it."""
        first, _, rest = clean(phrase).partition(" ")
        noun = next((p.normal_form for p in russian.word_parses(first.lower()) if "NOUN" in p.tag), first.lower())
        noun = noun[:1].upper() + noun[1:] if first[:1].isupper() else noun
        return f"{noun} {rest}" if position == "before" else self.base_form(phrase)

    def common_word(self, word: str) -> bool:
        """"Встреча", "Документ": a dictionary word with no name reading."""
        parses = russian.word_parses(word)
        return super().common_word(word) or parses[0].is_known and not any(
            {"Name", "Surn", "Patr", "Geox", "Orgn"} & p.tag.grammemes for p in parses)

    def tagged_people(self, text: str) -> list[tuple[int, int]]:
        from ingest.ner import russian_natasha

        return [(a, b) for a, b, label in russian_natasha.spans(text) if label == "PER"]


LANGUAGE = Russian()
