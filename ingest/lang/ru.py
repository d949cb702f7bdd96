"""Russian: every agreeing word inflects, so base forms come from pymorphy3 through
``ingest.russian``; people missed by the name rules come from natasha."""

from __future__ import annotations

import re

from ingest import gazetteer, russian
from ingest.lang import ABBREVIATION, Language, clean
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
        if kind == "district" and gazetteer.find(name):
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

    def project_name(self, before: str, head: str, value: str, after: str) -> str | None:
        """"текстильную фабрику" -> "текстильная фабрика"; "завод по производству стекла",
        "выпуск грузоподъемного оборудования", "объекты социальной и коммунальной инфраструктуры":
        agreeing adjectives before the head, and after it a "по ..." phrase or (when no adjective
        precedes) a genitive group, which may go on with "для ...". A nationality ("китайский
        завод") says whose plant it is, not which, and is left out; a bracket ends the phrase."""
        adjectives: list[str] = []
        for word in reversed(re.sub(rf"\s*{ABBREVIATION.pattern}\s*$", " ", before).split()[-3:]):
            lowered = word.strip(",.;:()«»").lower()
            if not self._adjective(lowered) or any(
                    self.phrase_word(kind, lowered) for kind in ("stop_after", "stop_word", "origin_adjective")):
                break
            adjectives.insert(0, lowered)
        words = after.split()
        if words and self.phrase_word("tail_start", words[0].strip(",.;:()«»")):
            tail = self._words_after(words, 7, any_word=True)
        else:
            tail = [] if adjectives else self._words_after(words, 6, any_word=False)
        if not adjectives and not tail:
            return None
        core = self.base_form(" ".join([*adjectives, head]))
        return " ".join([core.lower(), *tail])

    def _adjective(self, word: str) -> bool:
        """An adjective or participle by its ending, unless pymorphy3 reads it as a noun first
        ("проектирование", "строительство" end like adjectives)."""
        return self.phrase_word("adjective_suffix", word) and russian.word_parses(word)[0].tag.POS in ("ADJF", "PRTF")

    def _words_after(self, words: list[str], limit: int, any_word: bool) -> list[str]:
        """Lower-case words after a head up to a stop word, a bracket or punctuation (the word
        before the punctuation kept), ending on a noun: after "по" any such word, else only
        genitive adjectives and nouns joined by "и" or "для" ("оборудования для охлаждения молока")."""
        tail: list[str] = []
        for word in words[:limit]:
            clean = word.strip(",.;:()«»")
            if not clean or word.startswith(("(", "«")) or not clean.islower() or (
                    self.phrase_word("stop_after", clean) and not self.phrase_word("tail_joiner", clean)):
                break
            if not any_word and not (self.phrase_word("tail_joiner", clean) or self._adjective(clean) or
                                     self.phrase_word("tail_noun", clean) and russian.word_parses(clean)[0].tag.POS == "NOUN"):
                break
            tail.append(clean)
            if clean != word:
                break
        while tail and (self.phrase_word("tail_joiner", tail[-1]) or self.phrase_word("tail_start", tail[-1])
                        or not any_word and self._adjective(tail[-1])):
            tail.pop()
        return tail

    def tagged_people(self, text: str) -> list[tuple[int, int]]:
        from ingest.ner import russian_natasha

        return [(a, b) for a, b, label in russian_natasha.spans(text) if label == "PER"]


LANGUAGE = Russian()
