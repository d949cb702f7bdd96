"""Mentions of one article -> entities, posts, visits and agreements.

Language enters only through the mention kinds and a few case cues (Kazakh locative endings,
Russian and English prepositions); the rules are the same in all three languages.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest import gazetteer, keys, resolve
from ingest.base_forms import base_form
from ingest.facts import Agreement, Amount, Entity, Evidence, Extraction, Post, Visit
from ingest.lexicon import sectors
from ingest.mentions import Mention
from ingest.sentences import Sentence

PLACE_KINDS = {"region", "city", "country", "place"}
NAMED_KINDS = {"region", "city", "country", "place", "organization", "company", "person", "role"}
POST_GAP = (r"[\s,]*(?:(?:of|the|in|at|в|во|на|при|региона|области|района|города|облысы|өңірі|облысының|"
            r"өңірдің|компании|компаниясының|компаниясы|господин|г-н|Mr\.?|Ms\.?|[а-яё]+(?:ской|цкой|ского|цкого))\s*)*"
            r"[\s,—–-]*")
ORG_KINDS = {"organization", "company"}
KZ_LOCATIVE = re.compile(r"(?:да|де|та|те|нда|нде)$")
LOCATIVE_BEFORE = {"ru": re.compile(r"(?:\bв|\bво|\bна территории|\bв пределах)\s*$", re.I),
                   "en": re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.I)}


def evidence(m: Mention) -> Evidence:
    return Evidence(m.sentence, m.start, m.end, m.text)


def entity_of(m: Mention, lang: str) -> Entity:
    entry = m.data.get("entry")
    ev = [evidence(m)]
    if entry is not None:
        kind = entry.mention_kind
        return Entity(kind, m.name, entry.id, lang,
                      subkind=entry.kind if kind != "region" else None, country=entry.country,
                      labels={lg: [n] for lg, n in entry.names.items() if n}, evidence=ev)
    if m.kind in ORG_KINDS:
        key = keys.org_key(m.data.get("canonical") or m.name)
        zone = _zone_key(m)
        if zone:
            key = zone
        return Entity(m.kind, m.name, key, lang, subkind=m.data.get("org_kind"), evidence=ev)
    if m.kind == "place":
        return Entity("place", m.name, keys.name_key(m.name), lang, subkind="district", evidence=ev)
    return Entity(m.kind, m.name, keys.name_key(m.name), lang, evidence=ev)


def _zone_key(m: Mention) -> str | None:
    """A special economic zone named after a place is keyed by that place, so «Ақтөбе» АЭА,
    СЭЗ «Актобе» and Aktobe Special Economic Zone are one node."""
    kind = m.data.get("org_kind")
    if kind not in ("special economic zone", "industrial zone"):
        return None
    places = gazetteer.find(m.name)
    return f"{kind}:{places[0].entry.id}" if places else None


def _between(text: str, a: Mention, b: Mention, offset: int) -> str:
    return text[a.end - offset:b.start - offset]


def _adjacent(sentence: Sentence, a: Mention, b: Mention, allowed: str = r"[\s,]*(?:of|the)?\s*") -> bool:
    return bool(re.fullmatch(allowed, _between(sentence.text, a, b, sentence.start), re.I))


def _in_sentence(mentions: list[Mention], index: int, kinds: set[str]) -> list[Mention]:
    return [m for m in mentions if m.sentence == index and m.kind in kinds]


def home_region(mentions: list[Mention], refs: dict[int, str]) -> str | None:
    """The region an article is about: the most mentioned one."""
    counts = Counter(refs[id(m)] for m in mentions if m.kind == "region" and id(m) in refs)
    return counts.most_common(1)[0][0] if counts else None


def build(mentions: list[Mention], sentences: list[Sentence], lang: str, extractor: str) -> Extraction:
    x = Extraction(lang=lang, extractor=extractor)
    refs: dict[int, str] = {}
    for m in mentions:
        if m.kind in PLACE_KINDS | ORG_KINDS:
            refs[id(m)] = x.add(entity_of(m, lang))
    _short_names(x, refs)
    home = home_region(mentions, refs)
    _posts(x, mentions, sentences, refs, home, lang)
    _drop_bare_surnames(x, mentions, refs)
    _visit(x, mentions, sentences, refs, lang)
    _agreements(x, mentions, sentences, refs, home, lang)
    return x


def _posts(x: Extraction, mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
           home: str | None, lang: str) -> None:
    for role in mentions:
        if role.kind != "role":
            continue
        s = sentences[role.sentence]
        same = [m for m in mentions if m.sentence == role.sentence and m.kind in NAMED_KINDS]
        j = same.index(role)
        person = None
        of: str | None = None
        after = same[j + 1:j + 4]
        for k, m in enumerate(after):
            if m.kind == "person" and all(p.kind in PLACE_KINDS | ORG_KINDS for p in after[:k]) and all(
                    _adjacent(s, ([role, *after])[n], ([role, *after])[n + 1], POST_GAP) for n in range(k + 1)):
                person = m
                of_candidates = [p for p in after[:k] if p.kind in PLACE_KINDS | ORG_KINDS]
                if of_candidates:
                    of = refs[id(of_candidates[0])]
                break
        if person is None and j > 0 and same[j - 1].kind == "person" and _adjacent(
                s, same[j - 1], role, r"\s*[,—–-]\s*(?:the\s+)?"):
            person = same[j - 1]
            nxt = same[j + 1] if j + 1 < len(same) else None
            if nxt is not None and nxt.kind in PLACE_KINDS | ORG_KINDS and _adjacent(
                    s, role, nxt, r"\s*(?:(?:of|at|in)\s+(?:the\s+)?)?"):
                of = refs[id(nxt)]
        if person is None:
            continue
        if of is None and j > 0 and same[j - 1].kind in PLACE_KINDS | ORG_KINDS and _adjacent(s, same[j - 1], role, r"\s*"):
            of = refs[id(same[j - 1])]
        scope = role.data["scope"]
        if scope == "country":
            of = _sending_country(same, j, s, refs, lang) or of
        if of is None and scope == "body" and ANAPHORIC_BODY.search(s.text[max(0, role.start - s.start - 25):role.end - s.start]):
            earlier = [m for m in mentions[:mentions.index(role)] if m.kind in ORG_KINDS and refs.get(id(m)) in x.entities]
            of = refs[id(earlier[-1])] if earlier else None
        if of is None and scope == "region":
            earlier = [m for m in same[:j] if m.kind == "region"]
            of = refs[id(earlier[-1])] if earlier else home
        official = Entity("official", person.name, keys.name_key(person.name), lang, evidence=[evidence(person)])
        ref = x.add(official)
        kind = role.data["role"]
        if kind in ("governor", "deputy governor") and of and of.startswith("region:KZ"):
            kind = "akim" if kind == "governor" else "deputy akim"
        x.posts.append(Post(ref, kind, role.text, of, Evidence(role.sentence, role.start, person.end,
                                                              s.text[role.start - s.start:person.end - s.start])))



ANAPHORIC_BODY = re.compile(r"компания|компании|компанияның|компаниясының|company|банк|bank|corporation|корпорац|"
                            r"group|тобы|холдинг|holding", re.I)


def _sending_country(same: list[Mention], j: int, s: Sentence, refs: dict[int, str], lang: str) -> str | None:
    """An ambassador's country is the one that sends him: Kazakh names it in the genitive
    before the post ("Корея Республикасының Қазақстандағы елшісі"), Russian and English after it
    ("посол Германии в Казахстане", "Ambassador of Kazakhstan to Turkey")."""
    if lang == "kk":
        for m in reversed(same[:j]):
            if m.kind == "country" and re.search(r"(?:ның|нің|дың|дің|тың|тің)$", m.text):
                return refs[id(m)]
        return None
    for m in same[j + 1:j + 4]:
        if m.kind == "country" and not re.search(r"(?:\bв|\bво|\bto|\bin)\s*$", s.text[:m.start - s.start]):
            return refs[id(m)]
    return None


def _short_names(x: Extraction, refs: dict[int, str]) -> None:
    """"Bergmann" after "Bergmann Anlagenbau" is the same company: a name that starts a longer
    name of the same kind in the article is that entity."""
    mapping: dict[str, str] = {}
    for ref, entity in x.entities.items():
        if entity.kind not in ORG_KINDS:
            continue
        longer = [e for e in x.entities.values() if e.kind == entity.kind and e is not entity
                  and e.name.lower().startswith(entity.name.lower() + " ")]
        if len(longer) == 1:
            mapping[ref] = longer[0].ref
    if mapping:
        resolve.rekey(x, mapping)
        for key, ref in list(refs.items()):
            refs[key] = mapping.get(ref, ref)


def _drop_bare_surnames(x: Extraction, mentions: list[Mention], refs: dict[int, str]) -> None:
    """"Abdikarimov said ..." names a person already introduced, not a company."""
    surnames = {keys.name_key(m.name.split()[-1]) for m in mentions if m.kind == "person"}
    for m in mentions:
        ref = refs.get(id(m))
        if m.kind in ORG_KINDS and ref in x.entities and keys.name_key(m.name) in surnames:
            del x.entities[ref]
            m.kind = "person"


def _visit(x: Extraction, mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
           lang: str) -> None:
    """One event per article: a delegation visit if the text speaks of one, else a forum, else a
    meeting between an official and a guest."""
    for kind in ("visit", "forum", "meet_verb"):
        triggers = [m for m in mentions if m.kind == kind]
        if triggers:
            x.visits.append(_event("meeting" if kind == "meet_verb" else kind, triggers, x, mentions, sentences, refs, lang))
            return


def _person_ref(x: Extraction, person: Mention) -> str | None:
    ref = f"official:{keys.name_key(person.name)}"
    return ref if ref in x.entities else None


def _event(kind: str, triggers: list[Mention], x: Extraction, mentions: list[Mention], sentences: list[Sentence],
           refs: dict[int, str], lang: str) -> Visit:
    event_sentences = sorted({m.sentence for m in triggers})
    visit = Visit(evidence=[Evidence(i, sentences[i].start, sentences[i].end, sentences[i].text) for i in event_sentences],
                  type=kind)
    posts = {p.official: p for p in x.posts}
    led_triggers = [m for m in mentions if m.kind == "led_by"] if kind == "visit" else triggers
    for led in led_triggers:
        people = [m for m in mentions if m.sentence == led.sentence and m.kind == "person" and _person_ref(x, m)]
        if kind == "meeting":
            people = [m for m in people if m.start < led.start][:1]
        if people:
            visit.led_by = _person_ref(x, min(people, key=lambda p: abs(p.start - led.start)))
            break
    if kind == "visit":
        visit.from_place = _delegation_origin(mentions, sentences, refs, triggers, lang)
        if visit.from_place is None and visit.led_by in posts:
            visit.from_place = posts[visit.led_by].of
    visit.location = _event_location(x, mentions, refs, event_sentences, visit.from_place)
    participant_sentences = {m.sentence for m in mentions if m.kind == "participants"}
    meeting_sentences = {m.sentence for m in mentions if m.kind in ("meeting", "meet_verb", "forum")}
    own = {visit.led_by, visit.from_place, visit.location}
    own |= {p.official for p in x.posts if p.of and p.of == visit.from_place}
    outbound = bool(visit.from_place) and (visit.from_place.startswith("region:") and
                                            x.entities[visit.from_place].country == "KZ" or visit.from_place == "country:KZ")
    for m in mentions:
        ref = refs.get(id(m)) if m.kind in ORG_KINDS else _person_ref(x, m) if m.kind == "person" else None
        if ref is None or ref in own or ref not in x.entities:
            continue
        if m.sentence in participant_sentences or kind == "forum" and m.sentence in meeting_sentences and m.kind in ORG_KINDS:
            if ref not in visit.participants:
                visit.participants.append(ref)
        elif m.sentence in meeting_sentences and kind != "forum" and ref not in visit.met:
            if outbound and x.entities[ref].subkind in KZ_SIDE_KINDS:
                continue  # a Kazakh body travelling with the delegation is not whom it met
            visit.met.append(ref)
    visit.met = [r for r in visit.met if r not in visit.participants]
    return visit


def _delegation_origin(mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
                       triggers: list[Mention], lang: str) -> str | None:
    """Kazakh puts the origin before 'делегациясы' in the genitive; Russian and English after
    'делегация'/'delegation' ('делегация Актюбинской области', 'delegation from Aktobe Region')
    or, in English, before it ('the Aktobe Region delegation')."""
    for t in triggers:
        if not re.match(r"(делегац|delegation)", t.name):
            continue
        s = sentences[t.sentence]
        same = [m for m in mentions if m.sentence == t.sentence and refs.get(id(m))]
        before = [m for m in same if m.end <= t.start]
        after = [m for m in same if m.start >= t.end]
        if before and lang in ("kk", "en") and _adjacent(s, before[-1], t, r"\s*(?:'s\s*)?"):
            if lang == "en" or re.search(r"(?:ның|нің|дың|дің|тың|тің)$", before[-1].text) or before[-1].kind in ORG_KINDS:
                return refs[id(before[-1])]
        if after and lang in ("ru", "en") and _adjacent(s, t, after[0], r"\s*(?:from|of)?\s*(?:the\s+)?"):
            return refs[id(after[0])]
    return None


def _event_location(x: Extraction, mentions: list[Mention], refs: dict[int, str], event_sentences: list[int],
                    origin: str | None) -> str | None:
    """A city if any; abroad when the delegation comes from Kazakhstan, at home otherwise."""
    origin_country = x.entities[origin].country if origin and origin in x.entities else None
    inbound = origin is not None and origin_country not in ("KZ", None) or origin and origin.startswith("company:")
    ordered = [m for m in mentions if m.sentence in event_sentences] + [m for m in mentions if m.sentence not in event_sentences]
    for kinds in ({"city"}, {"region"}, {"country"}):
        for m in ordered:
            ref = refs.get(id(m))
            if m.kind not in kinds or ref is None or ref == origin or ref not in x.entities:
                continue
            country = x.entities[ref].country or (x.entities[ref].key if m.kind == "country" else None)
            if origin_country == "KZ" and country == "KZ" and not inbound:
                continue
            if inbound and country not in ("KZ", None):
                continue
            return ref
    return None


def _agreements(x: Extraction, mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
                home: str | None, lang: str) -> None:
    """One agreement per new set of parties; later sentences that name no new party add
    details (amount, project, date, place) to the agreement already found."""
    side = (x.visits[0].from_place if x.visits and x.visits[0].from_place else None) or home
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    anchors: list[tuple[Agreement, int]] = []
    for trigger in (m for m in mentions if m.kind == "agreement"):
        s = sentences[trigger.sentence]
        same = by_sentence[trigger.sentence]
        if any(i == trigger.sentence for _, i in anchors):
            continue
        statuses = [m for m in same if m.kind == "status"]
        status = min(statuses, key=lambda m: abs(m.start - trigger.start)).data["value"] if statuses else None
        count = re.search(r"(\d+)\s*$", s.text[:trigger.start - s.start])
        aggregate = bool(count and int(count.group(1)) > 1)
        parties, located = _parties(x, same, s, refs, lang)
        if trigger.data["value"] == "other" and not (statuses and any(p.startswith("company:") for p in parties)):
            continue  # "reached an agreement", "келісімге келді": not a document
        known = {p for a, _ in anchors for p in a.parties}
        fresh = [p for p in parties if p not in known and not p.startswith("region:")]
        new_kind = bool(statuses) and trigger.data["value"] != "other" and all(
            a.type != trigger.data["value"] for a, _ in anchors)
        if anchors and not fresh and not aggregate and not new_kind:
            earlier = anchors[-1][0]
            if earlier.type == "other" and trigger.data["value"] != "other":
                earlier.type = trigger.data["value"]
            continue
        if not any(p.startswith(("company:", "organization:")) for p in parties):
            for back in (trigger.sentence - 1, trigger.sentence - 2):
                if back >= 0 and not any(i == back for _, i in anchors):
                    earlier, _ = _parties(x, by_sentence.get(back, []), sentences[back], refs, lang)
                    named = [p for p in earlier if p.startswith(("company:", "organization:")) and p not in parties]
                    if named:
                        parties = [*parties, *named] if parties else earlier
                        break
        agreement = Agreement(type=trigger.data["value"], status=status or "signed",
                              evidence=Evidence(s.index, s.start, s.end, s.text), aggregate=aggregate)
        agreement.parties = list(parties)
        agreement.location_region = located
        kz_side = any(p.startswith("region:") or x.entities[p].subkind in KZ_SIDE_KINDS for p in agreement.parties)
        if not kz_side and side and len(agreement.parties) < 2:
            agreement.parties.insert(0, side)
        if not agreement.parties:
            continue
        x.agreements.append(agreement)
        anchors.append((agreement, trigger.sentence))
    for n, (agreement, index) in enumerate(anchors):
        stop = anchors[n + 1][1] if n + 1 < len(anchors) else len(sentences)
        previous = anchors[n - 1][1] if n else -1
        window = [index, *range(index + 1, min(stop, index + 3)), *([index - 1] if index - 1 > previous else [])]
        _details(x, agreement, window, by_sentence, sentences, refs, lang, single=len(anchors) == 1)


KZ_SIDE_KINDS = ("government body", "national company", "special economic zone", "development bank")


def _parties(x: Extraction, same: list[Mention], s: Sentence, refs: dict[int, str],
             lang: str) -> tuple[list[str], str | None]:
    parties: list[str] = []
    located: str | None = None
    for m in same:
        ref = refs.get(id(m))
        if ref is None or ref not in x.entities:
            continue
        if m.kind in ORG_KINDS and ref not in parties:
            parties.append(ref)
        elif m.kind == "region":
            if _locative(m, s, lang) or x.entities[ref].country not in (None, "KZ"):
                located = located or (ref if x.entities[ref].country in (None, "KZ") else None)
            elif ref not in parties:
                parties.append(ref)
    return parties, located


def _details(x: Extraction, agreement: Agreement, window: list[int], by_sentence: dict[int, list[Mention]],
             sentences: list[Sentence], refs: dict[int, str], lang: str, single: bool) -> None:
    """Amount, date, project and place of an agreement from its sentence and the next ones."""
    context = ""
    for index in window:
        same = by_sentence.get(index, [])
        s = sentences[index]
        context += " " + s.text
        anchor = next((m for m in same if m.kind == "agreement"), None)
        pos = anchor.start if anchor else s.start
        money = [m for m in same if m.kind == "money"]
        if money and agreement.amount is None:
            found = min(money, key=lambda m: abs(m.start - pos)).data["money"]
            agreement.amount = Amount(found.value, found.currency, found.qualifier, found.raw)
        dates = [m for m in same if m.kind == "date"]
        signing = index == window[0] or any(m.kind == "status" for m in same)
        if dates and agreement.date is None and signing:
            agreement.date = dates[0].data["date"]
        if agreement.project is None:
            agreement.project = _project(x, [m for m in same if m.kind == "project_head"], pos, s, lang)
        if agreement.location_region is None:
            for m in same:
                ref = refs.get(id(m))
                if m.kind == "region" and ref in x.entities and x.entities[ref].country == "KZ" and _locative(m, s, lang):
                    agreement.location_region = ref
                    break
    if agreement.amount is None and single:
        nearby = [m for i in sorted(by_sentence, key=lambda i: (abs(i - window[0]), i)) if abs(i - window[0]) <= 4
                  for m in by_sentence[i] if m.kind == "money"]
        if nearby:
            found = nearby[0].data["money"]
            agreement.amount = Amount(found.value, found.currency, found.qualifier, found.raw)
    if agreement.project is None:
        later = [m for i in sorted(by_sentence) if i > window[0] for m in by_sentence[i] if m.kind == "project_head"]
        for head in later:
            agreement.project = _project(x, [head], head.start, sentences[head.sentence], lang)
            if agreement.project:
                break
    if agreement.location_region is None:
        agreement.location_region = next((p for p in agreement.parties if p.startswith("region:")
                                          and x.entities[p].country == "KZ"), None)
    project_name = x.entities[agreement.project].name if agreement.project else ""
    agreement.sector = _sector(project_name) or _sector(context)


def _project(x: Extraction, heads: list[Mention], pos: int, s: Sentence, lang: str) -> str | None:
    for head in sorted(heads, key=lambda m: abs(m.start - pos)):
        name = _project_name(head, s, lang)
        if name:
            return x.add(Entity("project", name, keys.name_key(name), lang,
                                evidence=[Evidence(s.index, s.start, s.end, s.text)]))
    return None


def _locative(m: Mention, s: Sentence, lang: str) -> bool:
    if lang == "kk":
        return bool(KZ_LOCATIVE.search(m.text))
    return bool(LOCATIVE_BEFORE[lang].search(s.text[:m.start - s.start]))


BOUNDARY_WORD = re.compile(
    r"(?:атын|етін|йтын|йтін|ған|ген|қан|кен|ды|ді|ты|ті|мен|бен|пен|ның|нің|дың|дің|тың|тің|нан|нен|дан|ден|тан|тен|"
    r"ға|ге|қа|ке|да|де|та|те|тобы|компаниясы|серіктестігі|\d.*|[,.;:()«»])$", re.I)
UNIT_WORDS = re.compile(r"^(?:мегаватт\w*|мвт|гектар\w*|тонна\w*|мың|млн|млрд|million|billion|thousand|mw|megawatt\w*|"
                        r"hectares?|tonnes?|tons?|first|new|second|third|its|their|this|that|a|an|the|of|to|for|on|in|"
                        r"build|building|construct\w*|worth|valued|and)$", re.I)
RU_ADJECTIVE = re.compile(r"^[а-яё-]+(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ую|юю|ых|их|ым|им|ыми|ими|ом|ем|ой)$")
RU_STOP_AFTER = {"и", "в", "на", "с", "для", "стоимостью", "мощностью", "производительностью", "площадью",
                 "полного", "объемом", "объёмом", "годовой", "общей", "который", "которая", "которое"}


def _project_name(head: Mention, s: Sentence, lang: str) -> str | None:
    """The noun phrase around a facility word: 'ферроқорытпа зауытын салу' -> 'ферроқорытпа зауыты',
    'текстильную фабрику' -> 'текстильная фабрика', 'завод по производству стекла', 'caustic soda plant'."""
    before = s.text[:head.start - s.start].split()
    after = s.text[head.end - s.start:].split()
    first_word_at = len(s.text[:head.start - s.start].split()) - len(before)
    if lang == "kk":
        if re.search(r"(?:ымыз|іміз|мыз|міз|ым|ім)\w*$", head.text):
            return None  # "өз зауытымыз": our own plant, not a project name
        words: list[str] = []
        for n, w in enumerate(reversed(before[-5:])):
            position = len(before) - 1 - n
            if BOUNDARY_WORD.search(w) or UNIT_WORDS.match(w) or (w[0].isupper() and position != first_word_at):
                break
            words.insert(0, w.lower() if position == 0 else w)
        head_base = base_form(head.text, "kk")
        return " ".join([*words, head_base]) if words else None
    if lang == "ru":
        adjectives: list[str] = []
        for w in reversed(before[-3:]):
            clean = w.strip(",.;:()«»").lower()
            if not RU_ADJECTIVE.match(clean) or clean in RU_STOP_AFTER:
                break
            adjectives.insert(0, clean)
        tail: list[str] = []
        if after and after[0].strip(",.;:()«»") == "по":
            for w in after[:7]:
                clean = w.strip(",.;:()«»")
                if not clean or not clean.islower() or clean in RU_STOP_AFTER - {"и"}:
                    break
                tail.append(clean)
                if clean != w:
                    break
        elif not adjectives and after:
            clean = after[0].strip(",.;:()«»")
            if clean.islower() and clean not in RU_STOP_AFTER and not RU_ADJECTIVE.match(clean) and \
                    re.search(r"(?:ов|ев|ей|ий|ы|и|а|я)$", clean):
                tail.append(clean)
        if not adjectives and not tail:
            return None
        core = base_form(" ".join([*adjectives, head.text]), "ru") if adjectives else base_form(head.text, "ru")
        return " ".join([core.lower(), *tail])
    words = []
    for w in reversed(before[-5:]):
        clean = w.strip(",.;:()")
        if not clean or clean != w or not re.fullmatch(r"[a-z][a-z-]*", clean) or (UNIT_WORDS.match(clean) and clean != "and"):
            break
        words.insert(0, clean)
    while words and words[0] == "and":
        words.pop(0)
    return " ".join([*words, head.data["value"]]) if words else None


def _sector(text: str) -> str | None:
    """The first sector (in the table's order, specific before general) whose stem starts a word."""
    lowered = text.lower()
    for sector, stems in sectors():
        if any(re.search(rf"(?<![\w-]){re.escape(stem)}", lowered) for stem in stems):
            return sector
    return None
