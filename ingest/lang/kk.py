"""Kazakh: only the last word of a phrase inflects, so base forms strip one word's endings by
the suffix tables (``ingest.kazakh``); people missed by the name rules come from the
KazNERD-trained CRF tagger."""

from __future__ import annotations

import re

from ingest import kazakh
from ingest.lang import ABBREVIATION, Language, clean
from ingest.lexicon import stop_names, suffixes


class Kazakh(Language):
    code = "kk"

    def base_form(self, phrase: str) -> str:
        words = clean(phrase).split(" ")
        last = kazakh.strip_case_after_possessive(words[-1])
        if last == words[-1]:
            last = kazakh.strip_name_case(words[-1])
        return " ".join([*words[:-1], last])

    def person_base_form(self, name: str) -> str:
        """Only the last word inflects: a surname's case ending off by the surname table, else
        (a foreign name: "Ямадамен", "Хуэймен") an ending that never ends a nominative."""
        words = re.sub(r"\s+", " ", name.strip()).split(" ")
        last = kazakh.strip_name_case(words[-1])
        if last == words[-1]:
            last = strip_foreign_name_case(last)
        return " ".join([*words[:-1], last])

    def marker_name(self, core: str, marker: str, position: str) -> str:
        return self.base_form(f"{core} {marker}")

    def trim_name_lead(self, core: str, start: int) -> tuple[str, int]:
        """"Бүгінде Еуразиялық экономикалық одақ" -> "Еуразиялық экономикалық одақ": only the last word
        of a Kazakh phrase inflects, so a leading word in a case other than the genitive ("Келісімге",
        "Бүгінде"), a lower-case word or a stop word is not part of the name (places excepted)."""
        from ingest import gazetteer
        words = core.split(" ")
        while len(words) > 1 and (words[0].lower() in stop_names() and not gazetteer.find(words[0])
                                  or words[0].lower().endswith(suffixes("outside_case")) and not gazetteer.find(words[0])
                                  or words[0][:1].islower()):
            start += len(words[0]) + 1
            words = words[1:]
        return " ".join(words), start

    def org_phrase_ok(self, name: str) -> bool:
        """A Kazakh compound name's head carries the 3rd-person possessive ("Парламент Мәжілісі"),
        unless every word before it is an adjective ("Еуразиялық экономикалық одақ"): "Депутат
        Мәжіліс" is a post and a body, not one name."""
        words = name.split(" ")
        if words[-1].lower().endswith(suffixes("possessive3")):
            return True
        return all(w.lower().endswith(suffixes("derivation")) for w in words[:-1])

    def place_name(self, name: str, word: str, tail: str, kind: str, position: str) -> str | None:
        """"Жамбыл облысының" -> "Жамбыл облысы"; a city drops its noun ("Тараз қаласында" -> "Тараз");
        a derivation after the noun ("облысындағылар" is fine, "облыстық" is not) is no place."""
        if not kazakh.is_inflection(word[-1] + tail):
            return None
        return name if kind == "city" else f"{name} {word}"

    def tagged_people(self, text: str) -> list[tuple[int, int]]:
        from ingest.ner.kazakh_crf import KazakhTagger

        return [(a, b) for a, b, label in KazakhTagger().tag_text(text) if label == "PERSON"]

    def project_name(self, before: str, head: str, value: str, after: str) -> str | None:
        """"ферроқорытпа зауытын салу" -> "ферроқорытпа зауыты": only the head inflects, so the
        words before it belong to the phrase back to a word with a case ending or a participle, a
        stop word, a nationality ("қытайлық зауыт" says whose plant, not which) or a name inside
        the sentence; "өз зауытымыз" (our own plant) names no project."""
        if self.phrase_word("own_suffix", head.lower()):
            return None
        tokens = re.sub(rf"\s*{ABBREVIATION.pattern}\s*$", " ", before).split()
        words: list[str] = []
        for position in range(len(tokens) - 1, max(len(tokens) - 6, -1), -1):
            word = tokens[position]
            lowered = word.lower()
            if any(self.phrase_word(kind, lowered) for kind in ("boundary_suffix", "stop_word", "origin_adjective")) \
                    or word[0].isupper() and position != 0:
                break
            words.insert(0, lowered if position == 0 else word)
        return " ".join([*words, self.base_form(head)]) if words else None

    def known_org_needs_free(self, name: str) -> bool:
        """A Cyrillic spelling ("Қазақ Инвест") may be the end of a longer quoted name."""
        return bool(re.search(r"[А-Яа-я]", name))


def strip_foreign_name_case(word: str) -> str:
    """'Ямадамен' -> 'Ямада', 'Джонгпен' -> 'Джонг'; a stem under three letters is kept whole."""
    for ending in suffixes("name_case"):
        if word.lower().endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


LANGUAGE = Kazakh()
