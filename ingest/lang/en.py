"""English: names do not inflect (only a possessive 's), but every name is capitalised, so
capitalised runs are names unless they are places, people, document titles or ordinary words,
and a person is taken only next to a post or a verb of speech."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.lang import ABBREVIATION, Language, clean
from ingest.lang.script import EN_NAME_TOKEN, LAT_UPPER
from ingest.lexicon import cue_regex, legal_suffix, stop_names, word_regex

if TYPE_CHECKING:
    from ingest.mentions import Finder

def legal_form(word: str) -> bool:
    """Whether a word is a legal form of a company ("Co.", "Ltd.", "LLP")."""
    return bool(re.fullmatch(rf"(?:{legal_suffix()})\.?", word))


LEAD_WORDS = frozenset({"the", "a", "an", "with", "and", "of"})


class English(Language):
    code = "en"
    name_token = EN_NAME_TOKEN
    place_name_run = rf"(?:{EN_NAME_TOKEN} )*{EN_NAME_TOKEN}"

    def base_form(self, phrase: str) -> str:
        return clean(phrase)

    def person_base_form(self, name: str) -> str:
        return re.sub(r"[’']s$", "", super().person_base_form(name))

    def marker_name(self, core: str, marker: str, position: str) -> str:
        return re.sub(r"\s+", " ", f"{core} {marker}" if position == "after" else f"{marker} {core}")

    def keeps_marker(self, core_is_place: bool) -> bool:
        return True

    def trim_name_lead(self, core: str, start: int) -> tuple[str, int]:
        """'The Chinese company Foo' -> 'Foo': leading articles, stop words and adjectives go."""
        words = core.split(" ")
        for i in range(len(words) - 2, -1, -1):  # a full stop inside ends a sentence: "LLP. The company"
            ends_sentence = words[i + 1].lower() in stop_names() or not (legal_form(words[i]) or re.fullmatch(r"[A-Z]\.", words[i]))
            if words[i].endswith(".") and ends_sentence:
                start += len(" ".join(words[:i + 1])) + 1
                words = words[i + 1:]
                break
        while words and (words[0].lower() in stop_names() or words[0].lower() in LEAD_WORDS):
            start += len(words[0]) + 1
            words = words[1:]
        return " ".join(words), start

    def place_name(self, name: str, word: str, tail: str, kind: str, position: str) -> str | None:
        if word_regex("name_words.tsv", "en", "non_name").fullmatch(name.split(" ")[0]):
            return None
        return f"{name} {word}{tail}"

    def gazetteer_place_ok(self, kind: str, following: str) -> bool:
        """"Suzhou Hunan New Materials", "China Xinxing Construction": a city followed by another
        name, or a country or region followed by a company's head noun, starts a longer name."""
        head = word_regex("name_words.tsv", "en", "company_head").pattern
        if re.match(rf"(?: {EN_NAME_TOKEN}){{0,3}} (?:{head}|{legal_suffix()})", following):
            return False
        if kind != "city":
            return True
        run = re.match(rf"(?: {EN_NAME_TOKEN})+", following)
        surname = cue_regex("person_cues.tsv", "en", "surname", 0)
        return not run or bool(surname.fullmatch(run.group().split()[-1].rstrip(".,")))

    def person_context(self, f: Finder, start: int, end: int) -> bool:
        """"Deputy Governor Abzal Abdikarimov", "Zhang Wei, chairman of ...", "... said"."""
        text = f.s.text
        run = text[start:end]
        heads = "|".join(word_regex("name_words.tsv", "en", cls).pattern for cls in ("company_head", "body_head"))
        if re.search(heads, run) or re.search(rf"\b(?:{legal_suffix()})$", run):
            return False  # "Chairman of Fujian Hengwang Investment": a firm after a post, not a person
        roles_before = sorted((m for m in f.mentions if m.kind == "role" and m.end - f.s.start <= start), key=lambda m: m.end)
        between = [text[m.end - f.s.start:start] for m in roles_before]  # the nearest post last
        unit = cue_regex("person_cues.tsv", "en", "post_unit", 0).pattern
        after_role = any(re.fullmatch(rf"\s*(?:of (?:the )?(?:[A-Z][\w ]{{0,40}}?|{unit}))?[\s,]*", gap) for gap in between[-1:])
        roles_after = [m for m in f.mentions if m.kind == "role" and 0 < (m.start - f.s.start) - end <= 40]
        before_role = any(re.fullmatch(r",\s+(?:the\s+|a\s+|its\s+)?(?:[A-Za-z-]+\s+){0,3}", text[end:m.start - f.s.start])
                          for m in roles_after)
        speech = cue_regex("person_cues.tsv", "en", "speech", 0).pattern
        before = cue_regex("person_cues.tsv", "en", "speech_before", 0).pattern
        title = cue_regex("person_cues.tsv", "en", "title", 0).pattern
        spoken = re.match(rf"\s+{speech}\b", text[end:]) or re.search(rf"\b(?:{before}|{title})\s+$", text[:start])
        known = text[start:end].split()[-1] in f.cues.speakers
        return bool(after_role or before_role or spoken or known)

    def speakers(self, text: str) -> frozenset[str]:
        """Surnames after a title or next to a verb of speech anywhere in the article."""
        speech = cue_regex("person_cues.tsv", "en", "speech", 0).pattern
        before = cue_regex("person_cues.tsv", "en", "speech_before", 0).pattern
        title = cue_regex("person_cues.tsv", "en", "title", 0).pattern
        found = re.findall(rf"\b(?:{title})\s+([{LAT_UPPER}][\w-]+)", text)
        found += re.findall(rf"(?<![\w-])([{LAT_UPPER}][\w-]+)\s+{speech}\b", text)  # not "\b": linear on "A-A-A…"
        found += re.findall(rf"\b{before}\s+(?:[{LAT_UPPER}][\w-]+\s+)?([{LAT_UPPER}][\w-]+)\b", text)
        return frozenset(w for w in found if w.lower() not in stop_names())

    def project_name(self, before: str, head: str, value: str, after: str) -> str | None:
        """"caustic soda plant", "combined heat and power (CHP) plant": lower-case words before the
        head back to a stop word, a number, a name or punctuation, an abbreviation in brackets
        kept; the head as written ("plants", "power station"). A nationality ("Chinese plant")
        says whose plant it is, not which, and is left out."""
        words: list[str] = []
        for word in reversed(before.split()[-6:]):
            if ABBREVIATION.fullmatch(word) and not words:
                words.insert(0, word)
                continue
            clean = word.strip(",.;:()")
            if not clean or clean != word or not re.fullmatch(r"[a-z][a-z-]*", clean) or \
                    self.phrase_word("stop_word", clean) and clean != "and" or self.phrase_word("origin_adjective", clean):
                break
            words.insert(0, clean)
        while words and (words[0] == "and" or ABBREVIATION.fullmatch(words[0])):
            words.pop(0)
        return " ".join([*words, head.lower()]) if words else None

    def foreign_names(self, f: Finder) -> None:
        """Every name is capitalised here, so capitalised runs are read last (`late_names`)."""

    def late_names(self, f: Finder) -> None:
        from ingest.mentions import capitalised_names

        capitalised_names(f)


LANGUAGE = English()
