"""Mentions in one sentence: spans of a kind with a base-form name.

Order matters and is fixed here: money and dates first, then organisation and company names
(which often contain a place: «Ақтөбе» АЭА, Suzhou Hunan ...), then gazetteer places, then
roles and people, then trigger words. A span taken by an earlier finder is not reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from ingest import dates, gazetteer, lang, money, word_index
from ingest.facts import Evidence
from ingest.lang.script import (CYR_NAME, EN_NAME_TOKEN, INITIALS, LATIN_TOKEN, PERSON_WORD, QUOTED,
                                balance_quotes, script)
from ingest.lexicon import (Pattern, cue_regex, for_lang, known_organizations, lang_rows, legal_suffix,
                            nationalities_matching, overrides, rows, rows_matching, stop_names, word_regex,
                            word_set)
from ingest.lexicon import gazetteer as gazetteer_entries
from ingest.sentences import Sentence


@dataclass
class Mention:
    kind: str
    start: int
    end: int
    text: str
    name: str
    sentence: int
    data: dict = field(default_factory=dict)


class Finder:
    """Collects non-overlapping mentions of one sentence."""

    def __init__(self, sentence: Sentence, code: str, article: "Cues | None" = None) -> None:
        self.s = sentence
        self.lang = code
        self.language = lang.get(code)
        self.cues = article or Cues()
        self.mentions: list[Mention] = []
        self.words = word_index.words(sentence.text)  # which vocabulary rows can match here

    def free(self, start: int, end: int, ignore: tuple[str, ...] = ()) -> bool:
        """A role may share words with a place ("облысының әкімі" after "Жамбыл облысының")."""
        return all(end <= m.start or m.end <= start for m in self.mentions
                   if m.kind in SPAN_KINDS and m.kind not in ignore)

    def add(self, kind: str, start: int, end: int, name: str, **data: object) -> Mention | None:
        if kind in SPAN_KINDS and not self.free(start, end, ignore=PLACE_SPANS if kind == "role" else ()):
            return None
        if kind in ("company", "organization") and gazetteer.is_place(name):
            return None  # a country, region, district or city is never a company: find_places takes it
        text = self.s.text[start - self.s.start:end - self.s.start]
        mention = Mention(kind, start, end, text, name, self.s.index, dict(data))
        self.mentions.append(mention)
        return mention

    def masked(self) -> str:
        """The sentence with already-taken spans blanked, so later finders start after them."""
        chars = list(self.s.text)
        for m in self.mentions:
            if m.kind in SPAN_KINDS:
                for i in range(m.start - self.s.start, m.end - self.s.start):
                    chars[i] = " "
        return "".join(chars)


PLACE_SPANS = ("region", "city", "country", "place")
SPAN_KINDS = {"place", "money", "date", "organization", "company", "region", "city", "country", "person", "role",
              "outlet"}
STOP_NAMES = stop_names()


NATIONALITIES = {w for r in lang_rows("nationalities.tsv", "en") for w in r[1].split("|")}
LEGAL_SUFFIX = legal_suffix()
LEGAL_TAIL = re.compile(rf"(?:[ ,]+(?:{LEGAL_SUFFIX}))+$")
OUTLETS = sorted({r[0] for r in rows("outlets.tsv")}, key=len, reverse=True)
OUTLET_NAME = re.compile(rf"(?<![\w.-])(?:{'|'.join(re.escape(o) for o in OUTLETS)})(?![\w-])", re.IGNORECASE)
# A web domain is an outlet's name ("Vecher.kz", "Kazpravda.kz", "24.kz").
WEB_DOMAIN = re.compile(r"(?<![\w.@-])[\w-]+\.(?:kz|ru|com|org|net|uz|kg|cn|info|news|tv)(?![\w.])", re.IGNORECASE)


def find_outlets(f: Finder) -> None:
    """News agencies and outlets are never entities (FORMAT.md): their names, with their tails
    ("Kazinform News Agency", "«Казинформ» агенттігі"), web domains and the names in a photo
    credit are taken as `outlet` spans first, so no later finder can make them a company."""
    text, code = f.s.text, f.lang
    tail = cue_regex("outlet_cues.tsv", code, "tail").pattern
    for m in OUTLET_NAME.finditer(text):
        if not _outlet_here(f, m.start(), m.end(), m.group()):
            continue
        end = m.end()
        quote = re.match(r"[»\"”]", text[end:])
        end += quote.end() if quote else 0
        start = m.start() - (1 if quote and m.start() > 0 and text[m.start() - 1] in "«\"“" else 0)
        more = re.match(rf"(?:\s+|-)?(?:{tail})", text[end:], re.IGNORECASE)
        f.add("outlet", f.s.start + start, f.s.start + end + (more.end() if more else 0), m.group())
    for m in WEB_DOMAIN.finditer(text):
        f.add("outlet", f.s.start + m.start(), f.s.start + m.end(), m.group())
    credit = cue_regex("outlet_cues.tsv", code, "credit")
    for m in re.finditer(rf"(?:^|(?<=[\s(]))(?:{credit.pattern})\s*(?P<who>[^.;()\n]{{2,80}})", text, re.IGNORECASE):
        if m.group().split()[0][:1].isupper():
            f.add("outlet", f.s.start + m.start("who"), f.s.start + m.end("who"), m.group("who").strip())


def _outlet_here(f: Finder, start: int, end: int, name: str) -> bool:
    """A listed outlet whose name is also a word ("Trend", "Sputnik", "Kursiv") counts only in an
    outlet's place: a dateline, capitals, quotes, next to a reporting verb or an agency tail."""
    text = f.s.text
    if not name[:1].isupper():
        return False
    if any(ch in name for ch in ".-") or name.isupper() or len(name) > 8 and name not in ("Sputnik",):
        return True
    report = cue_regex("outlet_cues.tsv", f.lang, "report").pattern
    tail = cue_regex("outlet_cues.tsv", f.lang, "tail").pattern
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    return bool(re.search(rf"(?:{report})\W{{0,3}}[«\"“]?$", before, re.IGNORECASE)
                or re.match(rf"[»\"”]?\s*(?:[,—–-]\s*)?(?:{report}|{tail})", after, re.IGNORECASE)
                or re.match(r"\s*[–—-]", after) and re.search(r"[A-ZА-ЯЁ]{3,}\.\s*$", before))


def find_orgs(f: Finder) -> None:
    """«Name» marker / marker «Name» / Latin-script name + marker, per the marker table; the
    longest marker at a position wins ("компаниялар тобы" over "компания")."""
    text = f.s.text
    hits = [(m, marker) for marker in rows_matching("org_markers.tsv", f.lang, f.words)
            for m in marker.regex.finditer(text)]
    hits.sort(key=lambda h: (-(h[0].end() - h[0].start()), h[0].start()))
    used: list[tuple[int, int]] = []
    quoted = [q.span("q") for q in re.finditer(QUOTED, text)]
    for m, marker in hits:
        if any(m.start() < e and s < m.end() for s, e in used):
            continue
        if any(s <= m.start() and m.end() <= e for s, e in quoted):
            continue  # «Корпорация Балхаш»: a marker inside a quoted name is part of the name
        found = _name_at_marker(f, m, marker)
        if found:
            used.append((m.start(), m.end()))
            start, end, name = found
            if name.startswith("@"):
                entry = next(e for e in gazetteer_entries() if e.id == name[1:])
                f.add(entry.mention_kind, f.s.start + start, f.s.start + end, entry.names[f.lang], entry=entry)
            else:
                kind, org_kind = _quoted_kind(f, name, marker)
                f.add(kind, f.s.start + start, f.s.start + end, name, org_kind=org_kind)


def _quoted_kind(f: Finder, name: str, marker: Pattern) -> tuple[str, str]:
    """АО «НК «СПК «Павлодар»»: a legal form before a name that itself opens with an organisation
    marker names that organisation, not a company."""
    if marker.value == "company":
        for inner in for_lang("org_markers.tsv", f.lang):
            if inner.value == "organization" and inner.extra[1] == "before" and inner.regex.match(name):
                return "organization", inner.extra[0]
    return marker.value, marker.extra[0]


def _name_at_marker(f: Finder, m: re.Match[str], marker: Pattern) -> tuple[int, int, str] | None:
    text, language = f.s.text, f.language
    position, keeps = marker.extra[1], marker.extra[2]
    token = language.name_token
    legal = None
    if position == "after":
        before = text[: m.start()].rstrip()
        if len(text[: m.start()]) - len(before) > 2:
            return None
        q = re.search(QUOTED + r"$", before)
        latin = re.search(rf"((?:{token})(?:[ ](?:{token}))*(?:\.?,?[ ](?:{LEGAL_SUFFIX}))*)$", before)
        hit = q or latin
        if not hit:
            return None
        core = balance_quotes(hit.group("q")) if q else hit.group(1)
        core, start = language.trim_name_lead(core, hit.start())
        end = m.end()
        legal = re.match(rf"(?:,?[ ](?:{LEGAL_SUFFIX})(?![\w-]))+", text[end:]) if script(core) == "latin" and not q else None
        if legal:  # "Installation Group Co. LLP": marker and legal form stay in the registered name
            end += legal.end()
            core = text[start:end]
    else:
        after = text[m.end():]
        q = re.match(r"\s*" + QUOTED, after)
        latin = re.match(rf"\s*((?:{token})(?:[ ](?:{token}))*)", after)
        cyr = None if re.match(r"\s*[«\"]", after) else re.match(rf"\s*({CYR_NAME})(?![ ][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])", after)
        hit = q or latin or cyr
        if not hit:
            return None
        core = balance_quotes(hit.group("q")) if q else hit.group(1)
        start = m.start()
        end = m.end() + hit.end()
    core = balance_quotes(core.strip(" «»\"“”"))
    if not core:
        return None
    if legal:
        pass  # the marker and the legal form are already in the name
    elif marker.value == "company" and marker.extra[0] == "company" and position == "after" and script(core) == "latin" \
            and script(m.group()) == "latin" and not q:
        core = f"{core} {m.group().strip()}"  # a Latin legal form is part of the registered name: "Foo Co., Ltd."
    elif script(core) != "latin":
        core = LEGAL_TAIL.sub("", core)
    core = re.sub(r"[’']s$", "", core)
    if not core or core.lower() in STOP_NAMES:
        return None
    if marker.extra[0] == "akimat":
        if position == "before":
            return None  # "Akimat of Kyzylorda region", "акимате Атырауской области": the place finders take the
            # place with its own place word, and mark_akimats marks it
        places = [p for p in gazetteer.find(core) if p.entry.kind in ("region", "city")]
        return (start, end, "@" + places[0].entry.id) if places else None
    places = gazetteer.find(core)
    is_place = bool(places) and len(places[0].surface) == len(core)
    if keeps == "full" and (language.keeps_marker(is_place) or marker.extra[0] in ("special economic zone", "industrial zone")):
        name = language.marker_name(core, m.group().strip(), position)
    elif position == "before" and script(core) == "cyrillic" and not q:
        name = language.base_form(core)
    else:
        name = core
    return start, end, name


def find_org_phrases(f: Finder) -> None:
    """Public bodies named by a phrase (org_phrases.tsv): "Баварияның экономика министрлігінде" ->
    "Баварияның экономика министрлігі", "Посольства Казахстана в Австрии" -> "Посольство Казахстана в Австрии"."""
    table, index = _org_phrase_rows(f.lang)
    for row in index.rows(f.words):
        regex, kind = table[row]
        for m in regex.finditer(f.s.text):
            core, start = f.language.trim_name_lead(m.group(), m.start())
            name = f.language.base_form(core)
            if len(core.split()) > 1 and f.language.org_phrase_ok(name):
                f.add("organization", f.s.start + start, f.s.start + m.end(), name, org_kind=kind)


@cache
def _org_phrase_rows(code: str) -> tuple[tuple[tuple[re.Pattern[str], str], ...], word_index.PatternIndex]:
    """org_phrases.tsv compiled once, with the index that skips rows no word of a sentence starts."""
    table = tuple((re.compile(rf"(?<![\w-]){pattern}(?![\w-])"), kind)
                  for pattern, kind in lang_rows("org_phrases.tsv", code))
    return table, word_index.PatternIndex([regex for regex, _ in table])


def find_known_orgs(f: Finder) -> None:
    """National bodies and development banks named in organizations.tsv, in any spelling."""
    text = f.s.text
    for org in known_organizations():
        for name, pattern in org.patterns:
            if name not in text:  # the pattern is the spelling itself between word bounds
                continue
            for m in pattern.finditer(text):
                if f.language.known_org_needs_free(name) and not f.free(f.s.start + m.start(), f.s.start + m.end()):
                    continue
                found = m.group() if m.group() in org.variants else f.language.base_form(m.group())
                f.add("organization", f.s.start + m.start(), f.s.start + m.end(), found, org_kind=org.kind,
                      canonical=org.variants[0])


def capitalised_names(f: Finder) -> None:
    """Where every name is capitalised (English), a capitalised run that is not a place, person,
    outlet, document title, event, facility, amount or sentence-initial word is an organisation
    name; head words decide which kind. Runs are split at "and" and at posts ("Coordinator of")."""
    name_run = rf"(?<![\w-])(?:{EN_NAME_TOKEN})(?:[ ](?:{EN_NAME_TOKEN}|of|and|for|&))*(?<![ ])"
    for m in re.finditer(name_run, f.masked()):
        start = f.s.start + m.start()
        run = m.group()
        if _after_minister(f, start):
            continue  # "Minister of Industry and Construction": the post's portfolio, not a name
        if word_regex("name_words.tsv", f.lang, "document").search(run):
            continue  # "Memorandum of Understanding and Cooperation" is a title, "and" included
        if not word_regex("name_words.tsv", f.lang, "body_head").search(run):  # "Union of Chambers and Exchanges" stays one
            run = re.sub(r"\band\b", "   ", run)
        before = len(f.mentions)
        parts = list(re.finditer(r"\S+(?: \S+)*", run))
        for part in parts:
            _capitalised_name(f, start + part.start(), part.group())
        added = f.mentions[before:]
        if len(parts) > 1 and any(m.kind == "person" for m in added):  # "Danial Akhmetov and Suma Chakrabarti"
            for m in added:
                if m.kind == "company" and len(m.name.split()) in (2, 3) and \
                        not word_regex("name_words.tsv", f.lang, "company_head").search(m.name):
                    m.kind, m.name = "person", f.language.person_base_form(m.name)
                    m.data.pop("org_kind", None)


def _capitalised_name(f: Finder, start: int, text: str) -> None:
    code = f.lang
    non_name = word_set("name_words.tsv", code, "non_name")
    words = text.split(" ")
    for i, w in enumerate(words):  # a post inside the run ends the name before it: "Coordinator of X"
        if w.rstrip(".") in non_name:
            rest = words[i + 1:]
            while rest and rest[0] in ("of", "the", "for"):
                rest = rest[1:]
            if rest:
                _capitalised_name(f, start + len(" ".join(words[:len(words) - len(rest)])) + 1, " ".join(rest))
            words = words[:i]
            break
    for i, w in enumerate(words):  # a full stop inside the run ends it ("Kokshetau CHP LLP. The ...")
        if w.endswith(".") and not re.fullmatch(rf"(?:{LEGAL_SUFFIX})|[A-Z]\.", w) and i < len(words) - 1:
            words = words[:i + 1]
            break
    while words and words[-1] in ("of", "and", "for", "&"):
        words.pop()
    at_start = start == f.s.start or not f.s.text[:start - f.s.start].strip(" «\"“(")
    body = word_regex("name_words.tsv", code, "body_head")
    while words and (words[0].lower() in STOP_NAMES and not (len(words) > 1 and body.fullmatch(words[1]))
                     or words[0].rstrip(".").lower() in STOP_NAMES and not (len(words) > 1 and body.fullmatch(words[1]))
                     or words[0].lower().rstrip(".") in NATIONALITIES and not (len(words) > 1 and body.fullmatch(words[1]))
                     or words[0] in non_name
                     or at_start and words[0].lower() in f.cues.lower_words and len(words) > 1):
        start += len(words[0]) + 1
        words = words[1:]
        at_start = False
    if not words or words[0] in ("of", "for", "&"):
        return
    if start == f.s.start and len(words) == 1 and not re.search(r"[A-Z].*[A-Z]", words[0]):
        return
    if words[-1].lower().rstrip(".") in NATIONALITIES:
        return
    text = " ".join(words)
    end = start + len(text)
    if text.isupper() and gazetteer.find(text.title()):
        return
    text = re.sub(r"[’']s$", "", text)
    if text.endswith(".") and not re.search(rf"(?:{LEGAL_SUFFIX})$", text):
        text = text.rstrip(".")
    short = LEGAL_TAIL.sub("", text) or text
    places = gazetteer.find(short)
    if places and places[0].end - places[0].start == len(short) or short.isupper() and len(short) <= 4:
        return
    if len(words) == 1 and (re.search(r"\d", text) or _common_word(f, words[0])):
        return  # "AED84", "KGIR-2025", "Water"
    if len(words) == 1 and _place_context(f, start, end):
        return  # "to Saryagash, Maktaaral and Kazygurt", "Makanchi district": a place the gazetteer lacks
    for cls in ("geo", "document", "event", "facility"):
        if word_regex("name_words.tsv", code, cls).search(short):
            return
    if len(words) in (2, 3) and cue_regex("person_cues.tsv", code, "surname", 0).fullmatch(words[-1]) \
            and not word_regex("name_words.tsv", code, "company_head").search(short):
        f.add("person", start, end, f.language.person_base_form(text))
        return
    organization = word_regex("name_words.tsv", code, "body_head").search(short)
    if organization:
        tail = re.match(r" (?:of|in) (?:the )?(?:[A-ZÀ-Þ][\w-]*)(?: [A-ZÀ-Þ][\w-]*)*", f.s.text[end - f.s.start:])
        if tail:
            end += tail.end()
            text = f.s.text[start - f.s.start:end - f.s.start]
        f.mentions = [m for m in f.mentions if not (m.kind in PLACE_SPANS and start <= m.start and m.end <= end)]
    kind = "organization" if organization else "company"
    f.add(kind, start, end, text, org_kind="government body" if organization else "company")


def _after_minister(f: Finder, start: int) -> bool:
    """Whether a capitalised run follows "Minister of": it names the portfolio."""
    return any(m.kind == "role" and m.data.get("role") in ("minister", "deputy minister")
               and re.fullmatch(r"\s+of\s+(?:the\s+)?", f.s.text[m.end - f.s.start:start - f.s.start]) for m in f.mentions)


def _place_context(f: Finder, start: int, end: int) -> bool:
    """A lone name after a locative preposition (or in a list after one), or before a lower-case
    place noun, is a place: "in Satpayev", "to Saryagash, Maktaaral and Kazygurt", "Makanchi district"."""
    preposition = word_regex("name_words.tsv", f.lang, "place_preposition").pattern
    noun = word_regex("name_words.tsv", f.lang, "place_noun").pattern
    before = f.s.text[:start - f.s.start]
    after = f.s.text[end - f.s.start:]
    return bool(re.search(rf"{preposition}\s+(?:the\s+)?(?:[A-Z][\w-]*,?\s+(?:and\s+)?)*$", before)
                or re.match(rf"\s+{noun}", after))


def _common_word(f: Finder, word: str) -> bool:
    """A lone capitalised word that the article also writes in lower case is a word, not a name."""
    plain = word.rstrip(".")
    return plain.lower() in f.cues.lower_words or plain.lower() in STOP_NAMES


def latin_runs(f: Finder) -> None:
    """In Cyrillic text a run of Latin-script words is a foreign organisation's name, its Latin
    legal form included ("China Nonferrous Metal Mining Co. Ltd.")."""
    for m in re.finditer(rf"(?<![\w-])(?:{LATIN_TOKEN})(?:[ ](?:{LATIN_TOKEN}))*(?:\.?,?[ ](?:{LEGAL_SUFFIX})(?![\w-]))*\.?", f.s.text):
        text = m.group()
        if text.endswith(".") and not re.search(rf"(?:{LEGAL_SUFFIX})$", text):
            text = text[:-1]
        text = re.sub(r",$", "", text)
        if re.fullmatch(r"[A-Z]{1,3}|[IVX]+|\d+", text) or text.lower() in STOP_NAMES:
            continue
        f.add("company", f.s.start + m.start(), f.s.start + m.start() + len(text), text, org_kind="company")


def find_places(f: Finder) -> None:
    for p in gazetteer.find(f.s.text, f.s.start, f.lang):
        kind = p.entry.mention_kind
        start, end = p.start - f.s.start, p.end - f.s.start
        following = f.s.text[end:]
        if kind == "city" and (gazetteer.after_name_word(f.s.text, start, end) and not _inflected_after_surname(f, p, start)
                               or p.surface == p.name and re.match(rf" {CYR_NAME}", following)
                               and not _before_person(following)) \
                or not f.language.gazetteer_place_ok(kind, following):
            continue  # "Ван Ицзюнь", "Suzhou Hunan New Materials": part of a longer name
        usual = p.entry.names.get(f.lang) or p.entry.names["en"]
        same_script = script(p.name) == script(usual)
        written = kind in ("city", "country", "place") or kind == "region" and " " in p.name and not p.name.isupper()
        name = p.name if written and same_script and p.name not in p.entry.names.values() else usual
        f.add(kind, p.start, p.end, name, entry=p.entry)
    dateline = re.match(r"([A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-ZА-ЯЁӘҒҚҢӨҰҮҺІ-]{2,})(?=[.,]|\s+[–—-])", f.s.text)
    if dateline and f.s.index <= 2:  # "TARAZ. KAZINFORM –": the dateline names a city in capitals
        for p in gazetteer.find(dateline.group(1).title()):
            if p.end - p.start == dateline.end() and p.entry.mention_kind in ("city", "country"):
                name = p.entry.names.get(f.lang) or p.entry.names["en"]
                f.add(p.entry.mention_kind, f.s.start, f.s.start + dateline.end(), name, entry=p.entry)
    table, index = _place_word_rows(f.lang)
    for row in index.rows(f.words):
        regex, kind, position = table[row]
        for m in regex.finditer(f.s.text):
            if m.group("name").split()[0].lower() in STOP_NAMES:
                continue
            name = f.language.place_name(m.group("name"), m.group("word"), m.group("tail"), kind, position)
            if name:
                span = (m.start(), m.end()) if position == "after" or kind != "city" else (m.start("name"), m.end())
                if kind in ("district", "county"):  # a place below a region in the sentence, its kind kept
                    f.add("place", f.s.start + span[0], f.s.start + span[1], name, entry=None, subkind=kind)
                else:
                    f.add(kind, f.s.start + span[0], f.s.start + span[1], name, entry=None)


def _before_person(following: str) -> bool:
    """"the akim of Shymkent Gabit Syzdykbekov": a city before a two-word name that ends in a
    surname (ru_surname_endings.tsv, English surname cue) is a place, not the first word of a name."""
    run = re.match(rf" {PERSON_WORD} ({PERSON_WORD})(?![\w-])", following)
    if not run:
        return False
    endings = tuple({r[1] for r in rows("ru_surname_endings.tsv") if r[1]})
    surname = cue_regex("person_cues.tsv", "en", "surname", 0)
    return run.group(1).endswith(endings) or bool(surname.fullmatch(run.group(1)))


def _inflected_after_surname(f: Finder, p: gazetteer.PlaceMatch, start: int) -> bool:
    """"Асқар Бекболатов Ташкентте кездесті": a city in a case form after a surname in the
    nominative (-ов, -ева, ...; ru_surname_endings.tsv) is where he was, not his name's last word."""
    if p.surface == p.name:
        return False
    before = re.search(r"(\w+) $", f.s.text[:start])
    endings = tuple({r[1] for r in rows("ru_surname_endings.tsv") if r[1]})
    return bool(before) and before.group(1)[:1].isupper() and before.group(1).endswith(endings)


@cache
def _place_word_rows(code: str) -> tuple[tuple[tuple[re.Pattern[str], str, str], ...], word_index.PatternIndex]:
    """place_words.tsv as compiled patterns (a name before or after its place word), with the
    index that skips rows no word of a sentence starts."""
    run = lang.get(code).place_name_run
    table = []
    for word, kind, position in lang_rows("place_words.tsv", code):
        if position == "after":
            pattern = rf"(?<![\w-])(?P<name>{run}) (?P<word>{word})(?P<tail>\w*)"
        else:
            second = f"(?: {CYR_NAME})?" if kind == "district" else ""  # "района Магжана Жумабаева"
            pattern = rf"(?<![\w-])(?P<word>{word})(?P<tail>\w*) (?P<name>{CYR_NAME}{second})"
        table.append((re.compile(pattern), kind, position))
    return tuple(table), word_index.PatternIndex([regex for regex, _, _ in table])


def find_region_lists(f: Finder) -> None:
    """Regions sharing one noun: "Карагандинской, Павлодарской и Жамбылской областей",
    "Қарағанды, Павлодар және Жамбыл облыстары", "the Aktobe, Kostanay and Akmola regions"."""
    for item, conjunction, noun, singular in lang_rows("region_lists.tsv", f.lang):
        joint = rf"(?:,\s*|\s+(?:{conjunction})\s+)"
        for m in re.finditer(rf"((?:{item}{joint})+{item})\s+(?:{noun})(?![\w-])", f.s.text):
            for part in re.finditer(item, m.group(1)):
                places = [p for p in gazetteer.find(f.language.region_list_name(part.group(), singular)) if p.entry.kind == "region"]
                if places:
                    entry = places[0].entry
                    f.add("region", f.s.start + m.start(1) + part.start(), f.s.start + m.start(1) + part.end(),
                          entry.names[f.lang], entry=entry, list_start=f.s.start + m.start(1), list_noun=singular)


def find_roles_and_people(f: Finder) -> None:
    hits = [(m, p) for p in rows_matching("roles.tsv", f.lang, f.words) for m in p.regex.finditer(f.s.text)]
    hits.sort(key=lambda h: (-(h[0].end() - h[0].start()), h[0].start()))
    for m, pattern in hits:  # the longest post wins: "басқарма төрағасының орынбасары" over "төрағасы"
        f.add("role", f.s.start + m.start(), f.s.start + m.end(), m.group().lower(),
              role=pattern.value, scope=pattern.extra[0])
    masked = f.masked()
    person = rf"(?<![\w.-])(?:(?:{INITIALS})\s?{PERSON_WORD}|{PERSON_WORD}(?:[ \u00a0]{PERSON_WORD}){{1,2}})(?![\w-])"
    for m in re.finditer(person, masked):
        begin, finish, text = m.start(), m.end(), m.group()
        words = text.split()
        if words[0].lower() in STOP_NAMES:
            continue
        if begin == 0 and len(words) > 2 and f.language.common_word(words[0]):
            begin += len(words[0]) + 1  # "Встреча Си Цзиньпина": an ordinary word opens the sentence
            text = text[len(words[0]) + 1:]
        if len(text.split()) == 3 and not f.language.person_context(f, begin, finish):
            dropped = len(text.split()[0]) + 1  # "Construction Olzhas Saparbekov": the name is the last two words
            begin, text = begin + dropped, text[dropped:]
        start = f.s.start + begin
        if not f.free(start, f.s.start + finish):
            continue
        if not f.language.person_context(f, begin, finish):
            continue
        f.add("person", start, f.s.start + finish, f.language.person_base_form(text))


def find_tagged_people(f: Finder) -> None:
    """People the statistical taggers find (KazNERD-trained CRF for Kazakh, natasha for
    Russian) where the name rules did not: three-part and foreign names, names without a
    capitalised neighbour pattern. Only sentences with a post and no person after it are
    tagged: that is where a missed name costs a fact, and tagging is the slow step."""
    roles = [m for m in f.mentions if m.kind == "role"]
    if not roles or any(m.kind == "person" and m.start > roles[0].start for m in f.mentions):
        return
    if not capitalised_pair(f.masked()):
        return  # no span the loop below keeps can be there: the tagger's answer cannot be used
    for a, b in f.language.tagged_people(f.s.text):
        text = f.s.text[a:b]
        if len(text.split()) < 2 or not all(w[:1].isupper() for w in text.split()):
            continue
        f.add("person", f.s.start + a, f.s.start + b, f.language.person_base_form(text))


def mark_akimats(f: Finder) -> None:
    """An akimat named with its region or city ("акимат Атырауской области", "Павлодар облысының
    әкімдігі", "the akimat of Ulytau Region", "Shymkent akimat") is also an organization
    (FORMAT.md: "the akimat is also an organization"); the place mention stays the party and
    carries the akimat's name. The akimat nouns are the "akimat" rows of org_markers.tsv."""
    text, base = f.s.text, f.s.start
    markers = [(p.regex, p.extra[1]) for p in for_lang("org_markers.tsv", f.lang) if p.extra[0] == "akimat"]
    # "Шымкент қаласының әкімдігі": the place word may stand between a bare name and the akimat
    link = "|".join(rf"(?:{word})\w*" for word, _, position in lang_rows("place_words.tsv", f.lang) if position == "after")
    for m in f.mentions:
        if m.kind not in ("region", "city") or not m.data.get("entry"):
            continue
        start, end = m.start - base, m.end - base
        for regex, position in markers:
            inside = regex.search(text[start:end])
            if inside:
                found = (start, end)
            elif position == "after":
                hit = re.match(rf"[\s-]*(?:(?:{link or '(?!)'})\s+)?(?:{regex.pattern})", text[end:], re.IGNORECASE)
                found = (start, end + hit.end()) if hit else None
            else:  # before the place, or before a list of regions that share one noun
                listed = m.data.get("list_start")
                hit = re.search(rf"(?:{regex.pattern})\s*$", text[:(listed - base) if listed else start], re.IGNORECASE)
                found = (hit.start(), end) if hit else None
            if found and m.data.get("list_noun"):
                if position == "before":  # "акиматов Карагандинской, Павлодарской ... областей"
                    marker = text[found[0]:found[0] + len(hit.group().rstrip())]
                    m.data["akimat"] = f.language.akimat_name(f"{marker} {m.text} {m.data['list_noun']}", position)
                break
            if found:
                m.data["akimat"] = f.language.akimat_name(text[found[0]:found[1]], position)
                break


def capitalised_pair(text: str) -> bool:
    """Whether `text` (a sentence with its taken spans blanked) has two neighbouring words that
    could hold a tagged name of two or more capitalised words: the first with a capital anywhere
    (the name may start inside it, after a quote), the second starting with one."""
    tokens = text.split()
    return any(b[:1].isupper() and any(c.isupper() for c in a) for a, b in zip(tokens, tokens[1:]))


def find_triggers(f: Finder) -> None:
    """Trigger words of each table; where two overlap, the longer row wins the span. Among event
    words the longer match wins ("приняли участие" is taking part, not "принял", receiving), and
    a person's name is no event word ("Сапаров" is a surname, not "сапар", a trip)."""
    for table, kind in (("agreements.tsv", "agreement"), ("status.tsv", "status"), ("events.tsv", None),
                        ("projects.tsv", "project_head")):
        taken: list[tuple[int, int]] = []
        ordered = rows_matching(table, f.lang, f.words, longest_first=True)
        hits = [(m, pattern) for pattern in ordered for m in pattern.regex.finditer(f.s.text)]
        if kind is None:
            hits.sort(key=lambda h: h[0].start() - h[0].end())
            people = [(p.start - f.s.start, p.end - f.s.start) for p in f.mentions if p.kind == "person"]
            hits = [(m, pattern) for m, pattern in hits if not any(m.start() < e and s < m.end() for s, e in people)]
        for m, pattern in hits:
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            f.add(kind or pattern.value, f.s.start + m.start(), f.s.start + m.end(), m.group().lower(),
                  value=pattern.value, extra=pattern.extra)


def mark_nationality(f: Finder) -> None:
    """A company's country when the sentence states it (company_nouns.tsv holds the joining words):
    - a nationality adjective before it, with at most a company noun and two words between
      ("китайская компания «X»", "турецкой строительной компанией X", "қытайлық X", "Polish
      agricultural company X");
    - an appositive after it ("X, a Chinese investor", "X — китайская компания");
    - its country in the genitive right before it ("China's X", "Германияның X компаниясы");
    - its country or region after it ("X from Turkey", "X (China)", "X из Омской области")."""
    text = f.s.text
    cue = lambda name: cue_regex("company_nouns.tsv", f.lang, name).pattern  # noqa: E731
    adjectives = [(m, iso) for iso, pattern in nationalities_matching(f.lang, f.words) for m in pattern.finditer(text)]
    adjective_spans = {(f.s.start + m.start(), f.s.start + m.end()) for m, _ in adjectives}
    f.mentions = [m for m in f.mentions if not (m.kind == "country" and (m.start, m.end) in adjective_spans)]
    places = [m for m in f.mentions if m.kind in ("country", "region") and m.data.get("entry")]
    before_gap = re.compile(rf"[\s,«\"“]*(?:[a-zа-яёәғқңөұүһі-]+\s+){{0,2}}(?:(?:{cue('noun')})[\s,:«\"“—–-]*)?")
    for company in (m for m in f.mentions if m.kind == "company"):
        begin, finish = company.start - f.s.start, company.end - f.s.start
        found: list[tuple[str, int, int]] = []
        for m, iso in adjectives:
            if m.end() <= begin and before_gap.fullmatch(text[m.end():begin]):
                found.append((iso, f.s.start + m.start(), company.end))
            elif m.start() >= finish and re.fullmatch(rf"\s*(?:{cue('apposition')})\s*", text[finish:m.start()], re.IGNORECASE):
                found.append((iso, company.start, f.s.start + m.end()))
        for c in places:
            iso = c.data["entry"].country
            tail = re.match(r"\S*", text[c.end - f.s.start:]).group()  # "'s" after "China"
            if c.end <= company.start and c.kind == "country" and re.search(rf"(?:{cue('genitive')})$", c.text + tail) \
                    and before_gap.fullmatch(text[c.end - f.s.start + len(tail):begin]):
                found.append((iso, c.start, company.end))
            elif c.start >= company.end and re.fullmatch(cue("from"), text[finish:c.start - f.s.start], re.IGNORECASE):
                found.append((iso, company.start, c.end))
        if found:
            iso, start, end = min(found, key=lambda h: h[2] - h[1])
            company.data.update(country=iso, country_evidence=_evidence(f, start, end))


def _evidence(f: Finder, start: int, end: int) -> Evidence:
    return Evidence(f.s.index, start, end, f.s.text[start - f.s.start:end - f.s.start])


@dataclass(frozen=True)
class Cues:
    """What the whole article tells about single words: surnames it marks as people ("Liu
    said", "Mr Abdikarimov") and the words it also writes in lower case (so "Water" at the start
    of a heading is a word, not a company)."""

    speakers: frozenset[str] = frozenset()
    lower_words: frozenset[str] = frozenset()


def cues(text: str, code: str) -> Cues:
    # Words start after no letter or hyphen: "\b" would restart inside "a-a-a-…" at every
    # hyphen and rescan the rest of the run each time (quadratic in the article's length).
    return Cues(lang.get(code).speakers(text), frozenset(re.findall(r"(?<![\w-])[a-z][a-z-]+\b", text)))


def find(sentence: Sentence, code: str, year: int | None, article: Cues | None = None,
         published: date | None = None) -> list[Mention]:
    """Mentions of one sentence; `published` (the report's date) resolves "today"."""
    f = Finder(sentence, code, article)
    for m in money.find(sentence.text, code, sentence.start):
        f.add("money", m.start, m.end, m.raw, money=m)
    for d in dates.find(sentence.text, code, year, sentence.start, published):
        f.add("date", d.start, d.end, d.raw, date=d.value)
    find_outlets(f)
    find_known_orgs(f)
    find_orgs(f)
    find_org_phrases(f)
    f.language.foreign_names(f)
    find_region_lists(f)
    find_places(f)
    mark_akimats(f)
    find_roles_and_people(f)
    find_tagged_people(f)
    f.language.late_names(f)
    find_triggers(f)
    mark_nationality(f)
    apply_overrides(f)
    return sorted(f.mentions, key=lambda m: m.start)


def apply_overrides(f: Finder) -> None:
    """The name-specific fixes of overrides.tsv, applied last so they win over every rule."""
    fixes = overrides(f.lang)
    if not fixes:
        return
    kept = []
    for m in f.mentions:
        fix = fixes.get(m.text.casefold())
        if fix is None:
            kept.append(m)
        elif fix[0] != "-":
            m.kind, m.name = fix
            kept.append(m)
    f.mentions = kept
