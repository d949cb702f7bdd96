"""Mentions in one sentence: spans of a kind with a base-form name.

Order matters and is fixed here: money and dates first, then organisation and company names
(which often contain a place: «Ақтөбе» АЭА, Suzhou Hunan ...), then gazetteer places, then
roles and people, then trigger words. A span taken by an earlier finder is not reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import dates, gazetteer, kazakh, money
from ingest.base_forms import base_form, person_base_form
from ingest.lexicon import Pattern, for_lang, rows
from ingest.lexicon import gazetteer as gazetteer_entries
from ingest.sentences import Sentence

CAP = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]"
LOW = r"a-zа-яёәғқңөұүһі"
CYR_NAME = rf"{CAP}[{LOW}]+(?:-{CAP}?[{LOW}]+)?"
LAT = "A-Za-zÀ-ÖØ-öø-ÿĀ-ž"
LAT_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
LATIN_TOKEN = rf"[{LAT}][{LAT}0-9&.'’-]*[{LAT}0-9&]|[{LAT_UPPER}]"
EN_NAME_TOKEN = rf"(?:[{LAT_UPPER}][{LAT}0-9&-]*[{LAT}0-9&]|[{LAT_UPPER}]|[a-z]+[A-Z][{LAT}0-9]*)(?:[’']s)?\.?"
LEGAL_TAIL = re.compile(r"(?:[ ,]+(?:Co\.?,? ?Ltd\.?|Co\.|Ltd\.?|LLP|LLC|JSC|PLC|Inc\.?|GmbH|AG|A\.Ş\.|A\.S\.|S\.A\.|Group|Corporation|Corp\.?|Limited))+$")
QUOTED = r"[«\"“„](?P<q>[^«»\"“”„]{2,80})[»\"”]"


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

    def __init__(self, sentence: Sentence, lang: str, article: "Cues | None" = None) -> None:
        self.s = sentence
        self.lang = lang
        self.cues = article or Cues()
        self.mentions: list[Mention] = []

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


ORG_WORDS = (r"(?:Construction|Group|Corporation|Corp|Company|Holding|Holdings|Energy|Bank|Industries|Industry|"
             r"Engineering|Technologies|Technology|Materials|Chemical|Chemicals|Motors|Steel|Metals|Mining|Oil|Gas|Power|"
             r"Railway|Automotive|Agro|Textile|Textiles|Cement|Equipment|Solutions|Systems|Logistics|Foods|Food|"
             r"Wind|Solar|Nonferrous|Machinery|Glass|Tekstil|Holzbau|Anlagenbau)\b")
ORG_BODY_WORDS = (r"\b(?:Ministry|Agency|Akimat|Bank|Fund|Committee|Zone|Administration|Government|Chamber|Chambers|"
                  r"Council|Institute|University|Embassy|Union|Association|Federation|Exchange|Exchanges)\b")
GEO_TERMS = re.compile(r"\b(?:Asia|Europe|Eurasia|Middle East|Caucasus|Caspian|River|Lake|Sea|Mountains?|Basin|Steppe)\b")
NATIONALITIES = {line[0] for line in rows("nationalities.tsv")}
PLACE_SPANS = ("region", "city", "country", "place")
PLACE_WORDS = {"облысы": "region", "қаласы": "city", "ауданы": "place", "провинциясы": "region",
               "автономиялық ауданы": "region"}
SPAN_KINDS = {"place", "money", "date", "organization", "company", "region", "city", "country", "person", "role"}
STOP_NAMES = {line[0] for line in rows("stop_names.tsv")}


def find_orgs(f: Finder) -> None:
    """«Name» marker / marker «Name» / Latin-script name + marker, per the marker table; the
    longest marker at a position wins ("компаниялар тобы" over "компания")."""
    text = f.s.text
    hits = [(m, marker) for marker in for_lang("org_markers.tsv", f.lang) for m in marker.regex.finditer(text)]
    hits.sort(key=lambda h: (-(h[0].end() - h[0].start()), h[0].start()))
    used: list[tuple[int, int]] = []
    for m, marker in hits:
        if any(m.start() < e and s < m.end() for s, e in used):
            continue
        found = _name_at_marker(f, m, marker)
        if found:
            used.append((m.start(), m.end()))
            start, end, name = found
            if name.startswith("@"):
                entry = next(e for e in gazetteer_entries() if e.id == name[1:])
                f.add("region", f.s.start + start, f.s.start + end, entry.names[f.lang], entry=entry)
            else:
                f.add(marker.value, f.s.start + start, f.s.start + end, name, org_kind=marker.extra[0])


def _name_at_marker(f: Finder, m: re.Match[str], marker: Pattern) -> tuple[int, int, str] | None:
    text = f.s.text
    position, keeps = marker.extra[1], marker.extra[2]
    if position == "after":
        before = text[: m.start()].rstrip()
        if len(text[: m.start()]) - len(before) > 2:
            return None
        q = re.search(QUOTED + r"$", before)
        token = EN_NAME_TOKEN if f.lang == "en" else LATIN_TOKEN
        latin = re.search(rf"((?:{token})(?:[ ](?:{token}))*)$", before)
        hit = q or latin
        if not hit:
            return None
        core = hit.group("q") if q else hit.group(1)
        start = hit.start()
        if f.lang == "en":
            core, start = _trim_english_lead(core, start)
        end = m.end()
    else:
        after = text[m.end():]
        q = re.match(r"\s*" + QUOTED, after)
        token = EN_NAME_TOKEN if f.lang == "en" else LATIN_TOKEN
        latin = re.match(rf"\s*((?:{token})(?:[ ](?:{token}))*)", after)
        cyr = None if re.match(r"\s*[«\"]", after) else re.match(rf"\s*({CYR_NAME})(?![ ]{CAP})", after)
        hit = q or latin or cyr
        if not hit:
            return None
        core = hit.group("q") if q else hit.group(1)
        start = m.start()
        end = m.end() + hit.end()
    core = LEGAL_TAIL.sub("", core.strip(" «»\"“”"))
    core = re.sub(r"[’']s$", "", core)
    if not core or core.lower() in STOP_NAMES:
        return None
    if marker.extra[0] == "akimat":
        places = [p for p in gazetteer.find(core) if p.entry.kind == "region"]
        return (start, end, "@" + places[0].entry.id) if places else None
    places = gazetteer.find(core)
    is_place = bool(places) and len(places[0].surface) == len(core)
    if keeps == "full" and (is_place or f.lang == "en" or marker.extra[0] in ("special economic zone", "industrial zone")):
        marker_text = m.group().strip()
        if f.lang == "kk":
            name = base_form(f"{core} {marker_text}", "kk")
        elif f.lang == "ru":
            name = base_form(f"{marker_text} {core}", "ru")
        else:
            name = re.sub(r"\s+", " ", f"{core} {marker_text}" if position == "after" else f"{marker_text} {core}")
    elif position == "before" and cyr_only(core) and not q:
        name = base_form(core, f.lang)
    else:
        name = core
    return start, end, name


def _trim_english_lead(core: str, start: int) -> tuple[str, int]:
    """'The Chinese company Foo' -> 'Foo': drop leading words that are not part of the name."""
    words = core.split(" ")
    while words and (words[0].lower() in STOP_NAMES or words[0].lower() in {"the", "a", "an", "with", "and", "of"}):
        start += len(words[0]) + 1
        words = words[1:]
    return " ".join(words), start


def cyr_only(text: str) -> bool:
    return not re.search(r"[A-Za-z]", text)


def find_known_orgs(f: Finder) -> None:
    """National bodies and development banks named in organizations.tsv, in any spelling."""
    for kind, names in rows("organizations.tsv"):
        variants = names.split("|")
        for name in variants:
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", f.s.text):
                if f.lang == "kk" and re.search(r"[А-Яа-я]", name) and not f.free(f.s.start + m.start(), f.s.start + m.end()):
                    continue
                name = m.group() if m.group() in variants else base_form(m.group(), f.lang)
                f.add("organization", f.s.start + m.start(), f.s.start + m.end(), name, org_kind=kind,
                      canonical=variants[0])


def find_english_names(f: Finder) -> None:
    """In English every name is capitalised: a capitalised run that is not a place, person or
    sentence-initial word is an organisation name; organisation words decide which kind."""
    for m in re.finditer(rf"(?<![\w-])(?:{EN_NAME_TOKEN})(?:[ ](?:{EN_NAME_TOKEN}|of|and|for|&))*(?<![ ])", f.masked()):
        words = m.group().split(" ")
        while words and words[-1] in ("of", "and", "for", "&"):
            words.pop()
        start = f.s.start + m.start()
        while words and (words[0].lower() in STOP_NAMES or words[0].rstrip(".").lower() in STOP_NAMES):
            start += len(words[0]) + 1
            words = words[1:]
        if not words or (start == f.s.start and len(words) == 1 and not re.search(r"[A-Z].*[A-Z]", words[0])):
            continue
        if words and words[-1].lower().rstrip(".") in NATIONALITIES:
            continue
        text = " ".join(words)
        end = start + len(text)
        if text.isupper() and gazetteer.find(text.title()):
            continue
        text = re.sub(r"[’']s$", "", LEGAL_TAIL.sub("", text)).rstrip(".") or text
        places = gazetteer.find(text)
        if places and places[0].end - places[0].start == len(text) or text.isupper() and len(text) <= 4:
            continue
        if GEO_TERMS.search(text) or len(words) == 1 and _common_word(f, words[0]):
            continue
        organization = re.search(ORG_BODY_WORDS, text)
        if organization:
            tail = re.match(r" of (?:the )?(?:[A-ZÀ-Þ][\w-]*)(?: [A-ZÀ-Þ][\w-]*)*", f.s.text[end - f.s.start:])
            if tail:
                end += tail.end()
                text = f.s.text[start - f.s.start:end - f.s.start]
            f.mentions = [m for m in f.mentions if not (m.kind in PLACE_SPANS and start <= m.start and m.end <= end)]
        kind = "organization" if organization else "company"
        f.add(kind, start, end, text, org_kind="government body" if organization else "company")


def _common_word(f: Finder, word: str) -> bool:
    """A lone capitalised word that the article also writes in lower case is a word, not a name."""
    plain = word.rstrip(".")
    return plain.lower() in f.cues.lower_words or plain.lower() in STOP_NAMES


def find_latin_runs(f: Finder) -> None:
    """In Kazakh or Russian text a run of Latin-script words is a foreign organisation's name."""
    if f.lang == "en":
        return
    for m in re.finditer(rf"(?<![\w-])(?:{LATIN_TOKEN})(?:[ ](?:{LATIN_TOKEN}))*", f.s.text):
        if re.fullmatch(r"[A-Z]{1,3}|[IVX]+|\d+", m.group()) or m.group().lower() in STOP_NAMES:
            continue
        f.add("company", f.s.start + m.start(), f.s.start + m.end(), LEGAL_TAIL.sub("", m.group()) or m.group(),
              org_kind="company")


def find_places(f: Finder) -> None:
    for p in gazetteer.find(f.s.text, f.s.start, f.lang):
        kind = p.entry.mention_kind
        following = f.s.text[p.end - f.s.start:]
        if kind == "city" and gazetteer.after_name_word(f.s.text, p.start - f.s.start, p.end - f.s.start) \
                or kind == "city" and p.surface == p.name and re.match(rf" (?:{EN_NAME_TOKEN}|{CYR_NAME})", following) \
                and not re.match(r" (?:Region|Oblast|City)\b", following) \
                or f.lang == "en" and kind in ("country", "region") and re.match(rf"(?: {EN_NAME_TOKEN}){{0,2}} {ORG_WORDS}", following):
            continue  # "Suzhou Hunan New Materials", "China Xinxing Construction", "Ван Ицзюнь": part of a longer name
        usual = p.entry.names.get(f.lang) or p.entry.names["en"]
        same_script = _script(p.name) == _script(usual)
        written = kind in ("city", "country", "place") or kind == "region" and " " in p.name and not p.name.isupper()
        name = p.name if written and same_script and p.name not in p.entry.names.values() else usual
        f.add(kind, p.start, p.end, name, entry=p.entry)
    if f.lang == "kk":
        for m in re.finditer(rf"({CYR_NAME}(?: {CYR_NAME})*) (облысы|қаласы|ауданы|провинциясы|автономиялық ауданы)(\w*)", f.s.text):
            if m.group(1).split()[0].lower() in STOP_NAMES or not kazakh.is_inflection("ы" + m.group(3)):
                continue
            kind = PLACE_WORDS[m.group(2)]
            name = m.group(1) if kind == "city" else f"{m.group(1)} {m.group(2)}"
            f.add(kind, f.s.start + m.start(), f.s.start + m.end(), name, entry=None, place_kind=m.group(2))
    if f.lang == "ru":
        for m in re.finditer(rf"({CYR_NAME}) (област\w*|район\w*|провинци\w*)|(город\w*|г\.|провинци\w*) ({CYR_NAME})", f.s.text):
            if m.group(1):
                kind = "region" if m.group(2).startswith(("област", "провинц")) else "place"
                f.add(kind, f.s.start + m.start(), f.s.start + m.end(), base_form(m.group(), "ru"), entry=None)
            elif m.group(3).startswith("провинц"):
                f.add("region", f.s.start + m.start(), f.s.start + m.end(), f"провинция {base_form(m.group(4), 'ru')}", entry=None)
            else:
                f.add("city", f.s.start + m.start(4), f.s.start + m.end(), base_form(m.group(4), "ru"), entry=None)
    if f.lang == "en":
        for m in re.finditer(rf"((?:{EN_NAME_TOKEN} )+)(Province|District|Autonomous Region|County|Region|Oblast)\b", f.s.text):
            kind = "place" if m.group(2) in ("District", "County") else "region"
            f.add(kind, f.s.start + m.start(), f.s.start + m.end(), m.group().strip(), entry=None)


def _script(text: str) -> str:
    return "latin" if re.search(r"[A-Za-z]", text) else "cyrillic"


REGION_LISTS = {
    "ru": re.compile(r"((?:[А-ЯЁ][а-яё]*(?:-[А-ЯЁ][а-яё]*)*(?:ской|цкой|ская|цкая)(?:,\s*|\s+и\s+))+"
                     r"[А-ЯЁ][а-яё]*(?:-[А-ЯЁ][а-яё]*)*(?:ской|цкой|ская|цкая))\s+(областей|областях|областям|областями|области)"),
    "kk": re.compile(rf"((?:{CYR_NAME}(?:,\s*|\s+және\s+|\s+мен\s+))+{CYR_NAME})\s+(облыстар\w*)"),
    "en": re.compile(r"((?:[A-Z][a-z-]+(?:,\s*|\s+and\s+))+[A-Z][a-z-]+)\s+(regions|oblasts)"),
}


def find_region_lists(f: Finder) -> None:
    """Regions sharing one noun: "Карагандинской, Павлодарской и Жамбылской областей",
    "Қарағанды, Павлодар және Жамбыл облыстары", "the Aktobe, Kostanay and Akmola regions"."""
    pattern = REGION_LISTS.get(f.lang)
    if pattern is None:
        return
    for m in pattern.finditer(f.s.text):
        for part in re.finditer(r"[^,\s]+", m.group(1)):
            if part.group() in ("и", "және", "мен", "and"):
                continue
            stem = re.sub(r"(?:ой|ая)$", "", part.group())
            name = {"ru": f"{stem}ая область", "kk": f"{part.group()} облысы", "en": f"{part.group()} Region"}[f.lang]
            places = [p for p in gazetteer.find(name) if p.entry.kind == "region"]
            if places:
                entry = places[0].entry
                f.add("region", f.s.start + m.start(1) + part.start(), f.s.start + m.start(1) + part.end(),
                      entry.names[f.lang], entry=entry)


def find_roles_and_people(f: Finder) -> None:
    hits = [(m, p) for p in for_lang("roles.tsv", f.lang) for m in p.regex.finditer(f.s.text)]
    hits.sort(key=lambda h: (-(h[0].end() - h[0].start()), h[0].start()))
    for m, pattern in hits:  # the longest post wins: "басқарма төрағасының орынбасары" over "төрағасы"
        f.add("role", f.s.start + m.start(), f.s.start + m.end(), m.group().lower(),
              role=pattern.value, scope=pattern.extra[0])
    name = rf"(?:{CYR_NAME}|[{LAT_UPPER}][a-zß-öø-ÿā-ž]+(?:-[{LAT_UPPER}]?[a-zß-öø-ÿā-ž]+)?)"
    masked = f.masked()
    for m in re.finditer(rf"(?<![\w-]){name}(?:[ \u00a0]{name}){{1,2}}(?![\w-])", masked):
        words = m.group().split()
        if words[0].lower() in STOP_NAMES:
            continue
        start = f.s.start + m.start()
        if not f.free(start, f.s.start + m.end()):
            continue
        if f.lang == "en" and not _english_person_context(f, m.start(), m.end()):
            continue
        f.add("person", start, f.s.start + m.end(), person_base_form(m.group(), f.lang))


def _english_person_context(f: Finder, start: int, end: int) -> bool:
    """English capitalises every name, so a person is only taken next to a post or a verb of
    speech: "Deputy Governor Abzal Abdikarimov", "Zhang Wei, chairman of ...", "... said"."""
    between = [f.s.text[m.end - f.s.start:start] for m in f.mentions if m.kind == "role" and m.end - f.s.start <= start]
    after_role = any(re.fullmatch(r"\s*(?:of (?:the )?[A-Z][\w ]{0,40}?)?[\s,]*", gap) for gap in between[-1:])
    following = f.s.text[end:]
    roles_after = [m for m in f.mentions if m.kind == "role" and 0 < (m.start - f.s.start) - end <= 40]
    before_role = any(re.fullmatch(r",\s+(?:the\s+|a\s+|its\s+)?(?:[A-Za-z-]+\s+){0,3}", f.s.text[end:m.start - f.s.start])
                      for m in roles_after)
    preceding = f.s.text[:start]
    speech = re.match(r"\s+(?:said|says|noted|stressed|added|told|explained)\b", following) or \
        re.search(r"\b(?:said|says|noted|added|according to|Mr\.?|Ms\.?|Mrs\.?)\s+$", preceding)
    known = f.s.text[start:end].split()[-1] in f.cues.speakers
    return bool(after_role or before_role or speech or known)


def find_tagged_people(f: Finder) -> None:
    """People the statistical taggers find (KazNERD-trained CRF for Kazakh, natasha for
    Russian) where the name rules did not: three-part and foreign names, names without a
    capitalised neighbour pattern. Only sentences with a post and no person after it are
    tagged: that is where a missed name costs a fact, and tagging is the slow step."""
    roles = [m for m in f.mentions if m.kind == "role"]
    if not roles or any(m.kind == "person" and m.start > roles[0].start for m in f.mentions):
        return
    if f.lang == "kk":
        from ingest.ner.kazakh_crf import KazakhTagger

        spans = [(a, b) for a, b, label in KazakhTagger().tag_text(f.s.text) if label == "PERSON"]
    elif f.lang == "ru":
        from ingest.ner import russian_natasha

        spans = [(a, b) for a, b, label in russian_natasha.spans(f.s.text) if label == "PER"]
    else:
        return
    for a, b in spans:
        text = f.s.text[a:b]
        if len(text.split()) < 2 or not all(w[:1].isupper() for w in text.split()):
            continue
        f.add("person", f.s.start + a, f.s.start + b, person_base_form(text, f.lang))


def find_triggers(f: Finder) -> None:
    for table, kind in (("agreements.tsv", "agreement"), ("status.tsv", "status"), ("events.tsv", None),
                        ("projects.tsv", "project_head")):
        taken: list[tuple[int, int]] = []
        for pattern in sorted(_lang_patterns(table, f.lang), key=lambda p: len(p.regex.pattern), reverse=True):
            for m in pattern.regex.finditer(f.s.text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                trigger_kind = kind or pattern.lang_kind
                f.add(trigger_kind, f.s.start + m.start(), f.s.start + m.end(), m.group().lower(),
                      value=pattern.value, extra=pattern.extra)


@dataclass(frozen=True)
class _EventPattern:
    lang_kind: str
    regex: re.Pattern[str]
    value: str
    extra: tuple[str, ...] = ()


def _lang_patterns(table: str, lang: str) -> list:
    if table != "events.tsv":
        return [_EventPattern("", p.regex, p.value, p.extra) for p in for_lang(table, lang)]
    out = []
    for kind, lg, regex in rows("events.tsv"):
        if lg == lang:
            out.append(_EventPattern(kind, re.compile(rf"(?<![\w-])(?:{regex})(?![\w])", re.IGNORECASE), kind))
    return out


@dataclass(frozen=True)
class Cues:
    """What the whole article tells about single words: surnames it marks as people ("Liu
    said", "Mr Abdikarimov") and the words it also writes in lower case (so "Water" at the start
    of a heading is a word, not a company)."""

    speakers: frozenset[str] = frozenset()
    lower_words: frozenset[str] = frozenset()


def cues(text: str, lang: str) -> Cues:
    return Cues(speakers(text, lang), frozenset(re.findall(r"\b[a-z][a-z-]+\b", text)))


def speakers(text: str, lang: str) -> frozenset[str]:
    if lang != "en":
        return frozenset()
    found = re.findall(rf"\b(?:Mr|Ms|Mrs|Dr)\.?\s+([{LAT_UPPER}][\w-]+)", text)
    found += re.findall(rf"\b([{LAT_UPPER}][\w-]+)\s+(?:said|says|noted|stressed|added|told|explained)\b", text)
    found += re.findall(rf"\b(?:said|says|added|noted)\s+(?:[{LAT_UPPER}][\w-]+\s+)?([{LAT_UPPER}][\w-]+)\b", text)
    return frozenset(w for w in found if w.lower() not in STOP_NAMES)


def find(sentence: Sentence, lang: str, year: int | None, article: Cues | None = None) -> list[Mention]:
    f = Finder(sentence, lang, article)
    for m in money.find(sentence.text, lang, sentence.start):
        f.add("money", m.start, m.end, m.raw, money=m)
    for d in dates.find(sentence.text, lang, year, sentence.start):
        f.add("date", d.start, d.end, d.raw, date=d.value)
    find_known_orgs(f)
    find_orgs(f)
    find_latin_runs(f)
    find_region_lists(f)
    find_places(f)
    find_roles_and_people(f)
    find_tagged_people(f)
    if lang == "en":
        find_english_names(f)
    find_triggers(f)
    return sorted(f.mentions, key=lambda m: m.start)
