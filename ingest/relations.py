"""Mentions of one article -> entities, posts, visits and agreements.

Language enters only through the mention kinds and a few case cues (Kazakh locative endings,
Russian and English prepositions); the rules are the same in all three languages.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ingest import cues, gazetteer, keys, parties as party_model, resolve
from ingest import lang as language
from ingest.facts import Agreement, Amount, Entity, Evidence, Extraction, Post, Visit
from ingest.lexicon import for_lang, lang_rows, post_gap, sectors
from ingest.mentions import Mention
from ingest.sentences import Sentence

PLACE_KINDS = {"region", "city", "country", "place"}
NAMED_KINDS = {"region", "city", "country", "place", "organization", "company", "person", "role"}
POST_GAP = post_gap()
ORG_KINDS = {"organization", "company"}


def evidence(m: Mention) -> Evidence:
    return Evidence(m.sentence, m.start, m.end, m.text)


def entity_of(m: Mention, lang: str) -> Entity:
    entry = m.data.get("entry")
    ev = [evidence(m)]
    if entry is not None:
        return Entity(entry.entity_kind, m.name, entry.id, lang,
                      subkind=entry.kind if entry.kind != "region" else None, country=entry.country,
                      labels={lg: [n] for lg, n in entry.names.items() if n}, evidence=ev, part_of=entry.part_of)
    if m.kind in ORG_KINDS:
        key = keys.org_key(m.data.get("canonical") or m.name)
        zone = _zone_key(m)
        if zone:
            key = zone
        return Entity(m.kind, m.name, key, lang, subkind=m.data.get("org_kind"), evidence=ev,
                      country=m.data.get("country"), country_evidence=m.data.get("country_evidence"))
    if m.kind == "place":  # found by its noun ("Х ауданы", "района Х"): a district is a region
        subkind = m.data.get("subkind", "district")
        return Entity("region" if subkind == "district" else "place", m.name, keys.name_key(m.name), lang,
                      subkind=subkind, evidence=ev)
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
    """The region an article is about: the most mentioned Kazakh one (a delegation's host
    province abroad may be named more often), else the most mentioned one."""
    counts = Counter(refs[id(m)] for m in mentions if m.kind == "region" and id(m) in refs)
    kazakh = Counter({ref: n for ref, n in counts.items() if ref.startswith("region:KZ-")})
    return (kazakh or counts).most_common(1)[0][0] if counts else None


def mentions_by_sentence(mentions: list[Mention]) -> dict[int, list[Mention]]:
    """Each sentence's mentions in article order: rules that look at the mentions beside a post or
    trigger read them here, so an article costs one pass, not one pass per post or trigger."""
    index: dict[int, list[Mention]] = {}
    for m in mentions:
        index.setdefault(m.sentence, []).append(m)
    return index


def build(mentions: list[Mention], sentences: list[Sentence], lang: str, extractor: str) -> Extraction:
    x = Extraction(lang=lang, extractor=extractor)
    refs: dict[int, str] = {}
    for m in mentions:
        if m.kind in PLACE_KINDS | ORG_KINDS:
            refs[id(m)] = x.add(entity_of(m, lang))
    _short_names(x, refs)
    _akimats(x, mentions, refs, lang)
    home = home_region(mentions, refs)
    by_sentence = mentions_by_sentence(mentions)
    _posts(x, mentions, sentences, refs, home, lang, by_sentence)
    _delegation_heads(x, mentions, sentences, refs, lang, by_sentence)
    _drop_bare_surnames(x, mentions, refs)
    _visit(x, mentions, sentences, refs, lang, by_sentence)
    _agreements(x, mentions, sentences, refs, home, lang, by_sentence)
    return x


def _akimats(x: Extraction, mentions: list[Mention], refs: dict[int, str], lang: str) -> None:
    """An akimat named with its place is also an organization (FORMAT.md, "Who is a party"), one
    per place; the place stays the party, so the akimat is kept out of `refs`."""
    for m in mentions:
        name, place = m.data.get("akimat"), refs.get(id(m))
        if name and place:
            x.add(Entity("organization", name, f"akimat:{place}", lang, subkind="akimat", evidence=[evidence(m)]))
    for m in mentions:  # "citing the Akimat": an akimat without its place is no organization of its own
        ref = refs.get(id(m))
        if m.kind in ORG_KINDS and ref in x.entities and _akimat_word(m.name, lang):
            del x.entities[ref]


def _akimat_word(name: str, lang: str) -> bool:
    """Whether a name is only an akimat noun ("Akimat", "акимат"): the akimat rows of org_markers.tsv."""
    return any(p.extra[0] == "akimat" and p.regex.fullmatch(name.strip()) for p in for_lang("org_markers.tsv", lang))


def _posts(x: Extraction, mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
           home: str | None, lang: str, by_sentence: dict[int, list[Mention]]) -> None:
    last_org: Mention | None = None  # the organisation named last before the post being read
    for role in mentions:
        if role.kind in ORG_KINDS and refs.get(id(role)) in x.entities:
            last_org = role
        if role.kind != "role":
            continue
        s = sentences[role.sentence]
        same = [m for m in by_sentence[role.sentence] if m.kind in NAMED_KINDS]
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
        qualifier = cues.pattern_of("post_qualifier", lang) or ""
        noun = cues.pattern_of("owner_noun", lang) or ""
        if of is None and j > 0 and same[j - 1].kind in PLACE_KINDS | ORG_KINDS and _adjacent(
                s, same[j - 1], role, rf"\s*(?:{noun})?(?:{qualifier})?"):
            of = refs[id(same[j - 1])]  # "Kia корпорациясының ТМД елдеріндегі президенті": where he serves between
        scope = role.data["scope"]
        if scope == "country":
            of = _sending_country(same, j, s, refs, lang) or of
        if of is None and scope == "body" and ANAPHORIC_BODY.search(s.text[max(0, role.start - s.start - 25):role.end - s.start]):
            of = refs[id(last_org)] if last_org else None
        if of is None and scope == "region":
            earlier = [m for m in same[:j] if m.kind == "region" and (role.data["role"] not in AKIM_ROLES or
                                                                    x.entities[refs[id(m)]].country in ("KZ", None))]
            of = refs[id(earlier[-1])] if earlier else home
        official = Entity("official", person.name, keys.name_key(person.name), lang, evidence=[evidence(person)])
        ref = x.add(official)
        kind = role.data["role"]
        if kind in ("governor", "deputy governor") and of and of.startswith("region:KZ"):
            kind = "akim" if kind == "governor" else "deputy akim"
        x.posts.append(Post(ref, kind, role.text, of, Evidence(role.sentence, role.start, person.end,
                                                              s.text[role.start - s.start:person.end - s.start])))



AKIM_ROLES = ("akim", "deputy akim")  # heads of a Kazakh region or city only (FORMAT.md)
ANAPHORIC_BODY = re.compile("|".join(p for lang in ("kk", "ru", "en") if (p := cues.pattern_of("body_anaphor", lang))),
                            re.I)


def _delegation_heads(x: Extraction, mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
                      lang: str, by_sentence: dict[int, list[Mention]]) -> None:
    """The named head of a delegation holds a post even when the text names no other: "the
    company's delegation was led by X", "делегацию которой возглавлял X", "the head of the
    British delegation, X" make X an official (role `other`) of whom the delegation represents:
    the delegation noun's owner, else the body named last before it (the company's delegation)."""
    trips = [m for m in mentions if m.kind == "visit" and cues.has("delegation_word", lang, m.text)]
    for trip in trips:
        s = sentences[trip.sentence]
        same = [m for m in mentions if m.sentence == trip.sentence]
        people = [m for m in same if m.kind == "person" and _person_ref(x, m) is None]
        leads = [m for m in same if m.kind == "led_by"]
        heads = [m for m in same if m.kind == "role" and m.data["role"] == "head" and m.end <= trip.start
                 and re.fullmatch(r"[\s\w-]{0,30}", _between(s.text, m, trip, s.start))]
        origin = _delegation_origin(by_sentence, sentences, refs, [trip], lang)
        if origin is None:
            bodies = [m for m in mentions if m.kind in ORG_KINDS and refs.get(id(m)) in x.entities
                      and trip.sentence - 1 <= m.sentence and m.end <= trip.start]
            origin = refs[id(bodies[-1])] if bodies else None
        for post in x.posts:  # "делегация компании X во главе с вице-президентом Y": Y's post is X's
            if post.of is None and origin and leads and post.evidence.sentence == trip.sentence and \
                    origin.startswith(tuple(f"{k}:" for k in ORG_KINDS)) and post.role not in GOVERNING_ROLES:
                post.of = origin
        named = [p for p in people if leads and min(abs(p.start - led.start) for led in leads) < 40
                 or heads and p.start >= trip.end and _adjacent(s, trip, p, r"\s*[,—–-]\s*")]
        if not named:
            continue
        person = min(named, key=lambda p: abs(p.start - trip.start))
        ref = x.add(Entity("official", person.name, keys.name_key(person.name), lang, evidence=[evidence(person)]))
        words = s.text[min(trip.start, person.start) - s.start:max(trip.end, person.end) - s.start]
        x.posts.append(Post(ref, "other", trip.text, origin, Evidence(trip.sentence, min(trip.start, person.start),
                                                                      max(trip.end, person.end), words)))


def _sending_country(same: list[Mention], j: int, s: Sentence, refs: dict[int, str], lang: str) -> str | None:
    """An ambassador's country is the one that sends him, named as the post's owner: before it
    where the language puts owners first ("Корея Республикасының Қазақстандағы елшісі"), after it
    where it puts them last ("посол Германии в Казахстане", "Ambassador of Kazakhstan to Turkey"),
    never the country he serves in (after "в", "to")."""
    if cues.pattern_of("owner_before_suffix", lang) is not None:
        for m in reversed(same[:j]):
            if m.kind == "country" and _owner_before(m, lang):
                return refs[id(m)]
    if cues.pattern_of("owner_after_gap", lang) is not None:
        for m in same[j + 1:j + 4]:
            if m.kind == "country" and not cues.has("destination_before", lang, s.text[:m.start - s.start]):
                return refs[id(m)]
    return None


def _owner_before(m: Mention, lang: str) -> bool:
    suffix = cues.pattern_of("owner_before_suffix", lang)
    return suffix is not None and (suffix in ("", "(?:)") or bool(re.search(f"(?:{suffix})$", m.text)))


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
           lang: str, by_sentence: dict[int, list[Mention]]) -> None:
    """The events of an article (tests/data/dev/README.md, "Events"): the talks it reports, a visit
    or a meeting, and apart from them a forum that was held (not one where a document is only to
    be signed): a delegation's trip to a forum is two events, as the field set annotates them."""
    talks = _talks(x, mentions, sentences, refs, lang, by_sentence)
    if talks is not None:
        kind, triggers = talks
        x.visits.append(_event(kind, triggers, x, mentions, sentences, refs, lang, by_sentence))
    planned = {m.sentence for m in mentions if m.kind == "status" and m.data.get("value") == "planned"}
    forums = [m for m in mentions if m.kind == "forum" and m.sentence not in planned
              and not cues.has("future_event", lang, sentences[m.sentence].text)]
    if forums:
        x.visits.append(_event("forum", forums, x, mentions, sentences, refs, lang, by_sentence))


def _talks(x: Extraction, mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
           lang: str, by_sentence: dict[int, list[Mention]]) -> tuple[str, list[Mention]] | None:
    """Visit or meeting, and the words that report it. A trip of the home side abroad is a visit
    wherever the text tells it. Guests who come to a home official are a meeting when the text
    reports the official meeting them before it reports their trip ("the akim met X. X's
    delegation was led by Y"), a visit when it reports the trip first ("a delegation arrived ...
    and held talks"). A delegation named only in a signing sentence at home, with no talks anywhere,
    is a signing, and a signing alone is no event; signing abroad it was on a trip."""
    trips = [m for m in mentions if m.kind == "visit"]
    meets = [m for m in mentions if m.kind == "meet_verb"]
    talk = sorted((m for m in meets + [m for m in mentions if m.kind == "meeting"]
                   if not cues.has("future_event", lang, sentences[m.sentence].text)), key=lambda m: m.start)
    if not trips:
        if meets and _abroad(x, by_sentence, sentences, refs, meets, lang):
            return "visit", meets  # "the akim met X in Beijing": talks abroad are a trip
        return ("meeting", meets) if meets else None
    signing = {m.sentence for m in mentions if m.kind == "status"}
    if not talk and all(t.sentence in signing for t in trips) and not _abroad(x, by_sentence, sentences, refs, trips, lang):
        return None
    if not talk or _abroad(x, by_sentence, sentences, refs, [trips[0], talk[0]], lang):
        return "visit", trips
    first_trip, first_talk = trips[0], talk[0]
    if first_talk.sentence < first_trip.sentence or first_talk.sentence == first_trip.sentence and \
            _host_before(x, mentions, first_trip):
        return "meeting", meets or talk
    return "visit", trips


def _home_side(x: Extraction, ref: str | None) -> bool | None:
    """Whether an entity (or an official, through his post) is on the Kazakh side: a Kazakh
    region, city or body, or Kazakhstan; None when the text does not tell."""
    if ref is None or ref not in x.entities:
        return None
    if ref.startswith("official:"):
        post = next((p for p in x.posts if p.official == ref and p.of), None)
        return _home_side(x, post.of) if post else None
    entity = x.entities[ref]
    if entity.kind in ORG_KINDS:
        return True if entity.subkind in KZ_SIDE_KINDS else entity.country == "KZ" if entity.country else None
    country = entity.country or (entity.key if entity.kind == "country" else None)
    return None if country is None else country == "KZ"


def _abroad(x: Extraction, by_sentence: dict[int, list[Mention]], sentences: list[Sentence], refs: dict[int, str],
            trips: list[Mention], lang: str) -> bool:
    """The home side travels: the first trip or talks word in a sentence that puts it in a foreign
    place ("находясь с рабочей поездкой в Эр-Риаде", "the first meeting took place in Shanghai"),
    or a delegation owned by a Kazakh region or Kazakhstan."""
    for t in trips:
        s = sentences[t.sentence]
        for m in by_sentence[t.sentence]:
            if m.kind in PLACE_KINDS and _home_side(x, refs.get(id(m))) is False \
                    and _locative(m, s, lang):
                return True
    origin = _delegation_origin(by_sentence, sentences, refs, trips, lang)
    return bool(origin) and _home_side(x, origin) is True and not origin.startswith(tuple(f"{k}:" for k in ORG_KINDS))


def _host_before(x: Extraction, mentions: list[Mention], trip: Mention) -> bool:
    """"The akim received the company's delegation", "Deputy Prime Minister X met a delegation of
    Y": a home official named before the trip word in its sentence is the host, unless he leads
    it ("әкімі X бастаған делегация")."""
    leads = [m for m in mentions if m.sentence == trip.sentence and m.kind == "led_by"]
    return any(m.sentence == trip.sentence and m.end <= trip.start and m.kind == "person"
               and _home_side(x, _person_ref(x, m)) and not any(m.end <= led.start < trip.start for led in leads)
               for m in mentions)


def _person_ref(x: Extraction, person: Mention) -> str | None:
    ref = f"official:{keys.name_key(person.name)}"
    return ref if ref in x.entities else None


def _event(kind: str, triggers: list[Mention], x: Extraction, mentions: list[Mention], sentences: list[Sentence],
           refs: dict[int, str], lang: str, by_sentence: dict[int, list[Mention]]) -> Visit:
    event_sentences = sorted({m.sentence for m in triggers})
    in_event = set(event_sentences)
    visit = Visit(evidence=[Evidence(i, sentences[i].start, sentences[i].end, sentences[i].text) for i in event_sentences],
                  type=kind)
    posts = {p.official: p for p in x.posts}
    origin = _delegation_origin(by_sentence, sentences, refs, triggers, lang) if kind == "visit" else None
    if kind == "visit":
        # the home side travels when the trip says so or when it ends abroad; its leader is then
        # a home official, else a guest
        where = _event_location(x, mentions, sentences, refs, event_sentences, origin, lang)
        abroad = _abroad(x, by_sentence, sentences, refs, triggers[:1], lang) or origin is None and _home_side(x, where) is False
        leader = _leader(kind, triggers, x, mentions, abroad)
    else:
        leader = _leader(kind, triggers, x, mentions, False) if kind == "meeting" else None
    visit.led_by = _person_ref(x, leader) if leader else None
    visit.from_place = origin
    if kind != "forum" and visit.from_place is None and visit.led_by in posts:
        visit.from_place = posts[visit.led_by].of  # whom the leader represents: his region, body or country
    dates = [m for m in mentions if m.kind == "date" and m.sentence in in_event]
    visit.date = dates[0].data["date"] if dates else None
    if kind == "meeting":
        visit.location = _meeting_place(x, mentions, sentences, refs, event_sentences, lang, visit.from_place)
    else:
        visit.location = _event_location(x, mentions, sentences, refs, event_sentences, visit.from_place, lang)
    participant_sentences = {m.sentence for m in mentions if m.kind == "participants"}
    if kind == "forum":  # the members of a delegation are the visit's, not the forum's
        participant_sentences &= set(event_sentences)
    meeting_sentences = {m.sentence for m in mentions if m.kind in ("meeting", "meet_verb", "forum")}
    if kind == "meeting":  # the guests' delegation is whom the host met
        meeting_sentences |= {m.sentence for m in mentions if m.kind in ("visit", "led_by")}
    own = {visit.led_by, visit.from_place, visit.location}
    own |= {p.official for p in x.posts if p.of and p.of == visit.from_place}
    travelling = _home_side(x, visit.led_by) if kind == "visit" else None
    for co in _co_leaders(x, mentions, sentences, visit.led_by) if kind == "visit" else []:
        visit.participants.append(co)
    outbound = bool(visit.from_place) and (visit.from_place.startswith("region:") and
                                            x.entities[visit.from_place].country == "KZ" or visit.from_place == "country:KZ")
    for m in mentions:
        ref = refs.get(id(m)) if m.kind in ORG_KINDS else _person_ref(x, m) if m.kind == "person" else None
        if ref is None or ref in own or ref not in x.entities or _reporting(m, sentences[m.sentence], lang):
            continue
        if m.sentence in participant_sentences or kind == "forum" and m.sentence in meeting_sentences and m.kind in ORG_KINDS:
            if ref not in visit.participants:
                visit.participants.append(ref)
        elif m.sentence in meeting_sentences and kind != "forum" and ref not in visit.met:
            if outbound and x.entities[ref].subkind in KZ_SIDE_KINDS:
                continue  # a Kazakh body travelling with the delegation is not whom it met
            if travelling is not None and _home_side(x, ref) is travelling:
                continue  # an official of the travelling side travels with it
            visit.met.append(ref)
    visit.met = [r for r in visit.met if r not in visit.participants]
    return visit


def _leader(kind: str, triggers: list[Mention], x: Extraction, mentions: list[Mention], abroad: bool) -> Mention | None:
    """Who leads the talks. A visit: the person named with "led by"/"во главе с"/"бастауымен",
    else an official named with the trip word, of the travelling side (the home side when it
    goes abroad, the guests' otherwise) or of a side the text does not tell.
    A meeting: the host, the official named before the verb of meeting ("the akim met X") or,
    in a relative clause, after it ("совещание, которое провела аким X"), else the home official
    who heads what the article is about."""
    officials = [m for m in mentions if m.kind == "person" and _person_ref(x, m)]
    if kind == "visit":
        members = [m for m in officials if any(p.kind == "participants" and p.sentence == m.sentence and p.end <= m.start
                                               for p in mentions)]  # "делегация құрамында X болды": a member
        for led in (m for m in mentions if m.kind == "led_by"):
            people = [m for m in officials if m.sentence == led.sentence]
            if people:
                return min(people, key=lambda p: abs(p.start - led.start))
        sentences = {t.sentence for t in triggers}
        near = [m for m in officials if m.sentence in sentences and m not in members]
        travelling = [m for m in near if _home_side(x, _person_ref(x, m)) is abroad]
        unknown = [m for m in near if _home_side(x, _person_ref(x, m)) is None]
        if travelling or unknown or not abroad:
            return (travelling or unknown or [None])[0]
        # abroad with no official named at the trip word ("находясь в Китае, аким посетил ..."):
        # the home official who heads a region or city
        heads = [m for m in officials if _home_side(x, _person_ref(x, m)) and any(
            p.official == _person_ref(x, m) and p.role in GOVERNING_ROLES for p in x.posts)]
        return heads[0] if heads else None
    for trigger in triggers:
        same = [m for m in officials if m.sentence == trigger.sentence]
        before = [m for m in same if m.start < trigger.start]
        after = [m for m in same if m.start > trigger.end and _home_side(x, _person_ref(x, m)) is not False]
        if before:
            return before[0]
        if after:
            return after[0]
    heads = [m for m in officials if _home_side(x, _person_ref(x, m)) is not False and any(
        p.official == _person_ref(x, m) and p.role in GOVERNING_ROLES for p in x.posts)]
    return heads[0] if heads else None


def _co_leaders(x: Extraction, mentions: list[Mention], sentences: list[Sentence], leader: str | None) -> list[str]:
    """Officials joined to the leader as the subject of the trip ("the minister X and the
    chairman of Y, Z, held talks"): the other members of the delegation, on the leader's side."""
    if leader is None:
        return []
    first = next((m for m in mentions if m.kind == "person" and _person_ref(x, m) == leader), None)
    if first is None:
        return []
    side = _home_side(x, leader)
    text = sentences[first.sentence]
    joined = cues.pattern_of("coordinator", x.lang) or "(?!)"
    return [ref for m in mentions if m.kind == "person" and m.sentence == first.sentence and m.start > first.end
            and (ref := _person_ref(x, m)) and ref != leader and side is not None and _home_side(x, ref) is side
            and re.match(joined, _between(text.text, first, m, text.start))
            and not any(v.kind in ("meet_verb", "meeting") and first.end <= v.start < m.start for v in mentions
                        if v.sentence == first.sentence)]


def _delegation_origin(by_sentence: dict[int, list[Mention]], sentences: list[Sentence], refs: dict[int, str],
                       triggers: list[Mention], lang: str) -> str | None:
    """Where a delegation comes from is the owner of the delegation noun, before or after it as
    the language orders owners ('Ақтөбе облысының делегациясы', 'the Aktobe Region delegation';
    'делегация Актюбинской области', 'delegation from Aktobe Region')."""
    before_gap = cues.pattern_of("owner_before_gap", lang)
    after_gap = cues.pattern_of("owner_after_gap", lang)
    for t in triggers:
        if not cues.has("delegation_word", lang, t.text):
            continue
        s = sentences[t.sentence]
        same = [m for m in by_sentence[t.sentence] if refs.get(id(m))]
        before = [m for m in same if m.end <= t.start]
        after = [m for m in same if m.start >= t.end]
        if before and before_gap is not None and _adjacent(s, before[-1], t, before_gap):
            if _owner_before(before[-1], lang) or before[-1].kind in ORG_KINDS:
                return refs[id(before[-1])]
        if after and after_gap is not None and _adjacent(s, t, after[0], after_gap):
            return refs[id(after[0])]
    return None


def _meeting_place(x: Extraction, mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
                   event_sentences: list[int], lang: str, host: str | None) -> str | None:
    """Talks at home happen where a sentence about the meeting says they did ("met in Astana",
    "Тараз қаласында өткен кездесуде"), else in the city the report was filed from (its
    dateline), else at home: in the region or city the host heads."""
    talk = set(event_sentences) | {m.sentence for m in mentions if m.kind in ("meeting", "meet_verb")}
    for kinds in ({"city", "place"}, {"region"}):
        for m in mentions:
            ref = refs.get(id(m))
            if m.sentence in talk and m.kind in kinds and ref in x.entities and \
                    _locative(m, sentences[m.sentence], lang) and not _dateline(m, sentences[m.sentence]):
                return ref
    for m in mentions:
        ref = refs.get(id(m))
        if m.kind == "city" and ref in x.entities and _dateline(m, sentences[m.sentence]):
            return ref
    return host if host and host.startswith(("region:", "city:")) and _home_side(x, host) is not False else None


def _event_location(x: Extraction, mentions: list[Mention], sentences: list[Sentence], refs: dict[int, str],
                    event_sentences: list[int], origin: str | None, lang: str) -> str | None:
    """A city if any, else the place the event's own sentence names as where it is ("с рабочей
    поездкой в Китае"), else a region or country; abroad when the delegation comes from
    Kazakhstan, at home otherwise."""
    origin_country = x.entities[origin].country if origin and origin in x.entities else None
    inbound = origin is not None and origin_country not in ("KZ", None) or origin and origin.startswith("company:")
    own = [m for m in mentions if m.sentence in event_sentences]
    said = [m for m in own if m.kind in PLACE_KINDS and _locative(m, sentences[m.sentence], lang)
            and not _dateline(m, sentences[m.sentence])]
    ordered = own + [m for m in mentions if m.sentence not in event_sentences]
    for kinds, among in (({"city"}, ordered), ({"city", "region", "country"}, said), ({"region"}, ordered),
                         ({"country"}, ordered)):
        for m in among:
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
                home: str | None, lang: str, by_sentence: dict[int, list[Mention]]) -> None:
    """One agreement per new set of parties; later sentences that name no new party add
    details (amount, project, date, place) to the agreement already found."""
    heads = governed(x)
    home = home or _governed_home(x, mentions, refs, heads)
    side = (x.visits[0].from_place if x.visits and x.visits[0].from_place else None) or home
    anchors: list[tuple[Agreement, int]] = []
    totals: dict[int, Agreement] = {}  # id of a listed part -> the total it is part of
    for trigger in (m for m in mentions if m.kind == "agreement"):
        s = sentences[trigger.sentence]
        same = by_sentence[trigger.sentence]
        if any(i == trigger.sentence for _, i in anchors):
            continue
        statuses = [m for m in same if m.kind == "status"]
        status = min(statuses, key=lambda m: abs(m.start - trigger.start)).data["value"] if statuses else None
        aggregate = _several(trigger, s, sentences[trigger.sentence + 1] if trigger.sentence + 1 < len(sentences) else None,
                             lang, [m for m in same if m.kind == "money"])
        parties, located = _parties(x, same, s, refs, lang, heads, home)
        if home and home not in parties and cues.has("region_side", lang, s.text):
            parties.insert(0, home)  # "the akimat and X signed": the region is the party
        known = {p for a, _ in anchors for p in a.parties}
        fresh = [p for p in parties if p not in known and not _kazakh_place(x, p)]
        new_kind = bool(statuses) and trigger.data["value"] != "other" and all(
            a.type != trigger.data["value"] for a, _ in anchors)
        if anchors and not fresh and not aggregate and not new_kind:
            earlier = anchors[-1][0]
            if earlier.type == "other" and trigger.data["value"] != "other":
                earlier.type = trigger.data["value"]
            continue
        # a Kazakh region signing with a foreign one names both signatories: nobody to look back for
        named_here = any(p.startswith(("company:", "organization:")) or not _kazakh_place(x, p) for p in parties)
        if not named_here and anchors and cues.has("parties_word", lang, s.text):
            # "the parties also agreed ...": the signatories named last
            parties = [*parties, *[p for p in anchors[-1][0].parties if p not in parties]]
        elif not named_here or cues.has("parties_word", lang, s.text):
            # "the parties signed" after a meeting: the signatories are those of the meeting
            for back in (trigger.sentence - 1, trigger.sentence - 2):
                if back >= 0 and not any(i == back for _, i in anchors):
                    earlier, where = _parties(x, by_sentence.get(back, []), sentences[back], refs, lang, heads)
                    if home and home not in earlier and cues.has("region_side", lang, sentences[back].text):
                        earlier.insert(0, home)
                    if cues.has("parties_word", lang, s.text) and where and where not in earlier:
                        earlier.append(where)  # "arrived in Atyrau Region ... the two regions signed"
                    named = [p for p in earlier if p not in parties and (
                        p.startswith(("company:", "organization:")) or cues.has("parties_word", lang, s.text))]
                    if named:
                        parties = [*parties, *[p for p in earlier if p not in parties]]
                        break
        signers = [] if named_here else _signers_after(x, trigger.sentence, by_sentence, sentences, refs, lang, heads)
        if signers:
            parties = signers
        places = [p for p in parties if p.startswith(("region:", "city:"))]
        if trigger.data["value"] == "other" and not (statuses and (
                any(p.startswith(("company:", "organization:")) for p in parties) or len(places) > 1)):
            continue  # "reached an agreement", "келісімге келді": not a document
        kind = trigger.data["value"]
        joined = cues.pattern_of("coordinator", lang)
        if joined and any(m.kind == "agreement" and m is not trigger and m.data["value"] != kind and re.fullmatch(
                joined, s.text[min(m.end, trigger.end) - s.start:max(m.start, trigger.start) - s.start], re.I)
                for m in same):
            kind = "other"  # "10 contracts and agreements": documents of several kinds
        agreement = Agreement(type=kind, status=status or "signed",
                              evidence=Evidence(s.index, s.start, s.end, s.text), aggregate=aggregate)
        agreement.parties = list(parties)
        agreement.location_region = located
        if located:
            agreement.cites["location_region"] = Evidence(s.index, s.start, s.end, s.text)
        kz_side = any(p.startswith("region:") or x.entities[p].subkind in KZ_SIDE_KINDS for p in agreement.parties)
        if not kz_side and side and len(agreement.parties) < 2:
            agreement.parties.insert(0, side)
        if not agreement.parties:
            continue
        x.agreements.append(agreement)
        anchors.append((agreement, trigger.sentence))
        if aggregate or cues.has("plural_trigger", lang, trigger.text):
            for part, index in _listed_parts(x, agreement, trigger.sentence, by_sentence, sentences, refs, lang, heads):
                x.agreements.append(part)
                anchors.append((part, index))
                totals[id(part)] = agreement
    taken: set[int] = set()  # an amount states the value of one deal only
    for n, (agreement, index) in enumerate(anchors):
        stop = anchors[n + 1][1] if n + 1 < len(anchors) else len(sentences)
        previous = anchors[n - 1][1] if n else -1
        window = [index, *range(index + 1, min(stop, index + 5)), *([index - 1] if index - 1 > previous else [])]
        _details(x, agreement, window, by_sentence, sentences, refs, lang, single=len(anchors) == 1, taken=taken)
    for agreement, _ in anchors:  # a listed part is signed with its total, for its project, place and industry
        total = totals.get(id(agreement))
        for name in ("project", "location_region", "sector", "date") if total else ():
            if getattr(agreement, name) is None and getattr(total, name) is not None:
                setattr(agreement, name, getattr(total, name))
                agreement.cites[name] = total.cites.get(name, total.evidence)



def _listed_parts(x: Extraction, total: Agreement, index: int, by_sentence: dict[int, list[Mention]],
                  sentences: list[Sentence], refs: dict[int, str], lang: str,
                  heads: dict[str, str]) -> list[tuple[Agreement, int]]:
    """"The company signed contracts with Chinese firms worth 356 billion tenge. X is to design
    the plant for 10.9 billion. Y will deliver the equipment for 240 billion.": the sentences
    right after a plural document that each name one new company or body and an amount, and no
    document of their own ("under its contract" is one of them), are its parts, one deal each,
    signed by the total's parties and that company; the total gains the company as a party."""
    parts: list[tuple[Agreement, int]] = []
    signers = list(total.parties)
    for i in range(index + 1, len(sentences)):
        same = by_sentence.get(i, [])
        s = sentences[i]
        triggers = [m for m in same if m.kind == "agreement"]
        if any(m.kind == "status" for m in same) and triggers or any(
                cues.has("plural_trigger", lang, m.text) for m in triggers):
            break
        found, _ = _parties(x, same, s, refs, lang, heads)
        named = [p for p in found if p.startswith(("company:", "organization:")) and p not in total.parties]
        if len(named) != 1 or not _deal_money([m for m in same if m.kind == "money"], s, lang):
            break
        part = Agreement(type=total.type, status=total.status, evidence=_sentence_evidence(s))
        part.parties = [*signers, named[0]]
        total.parties.append(named[0])
        parts.append((part, i))
    return parts


def _kazakh_place(x: Extraction, ref: str) -> bool:
    """A Kazakh region or city: the side that signs most of an article's documents, so naming it
    again starts no new one (a foreign region does: "the region and Liaoning Province also signed
    a twinning agreement")."""
    return ref.startswith(("region:", "city:")) and x.entities[ref].country in ("KZ", None)


def _governed_home(x: Extraction, mentions: list[Mention], refs: dict[int, str], heads: dict[str, str]) -> str | None:
    """With no region named, the city whose akim the article names is its home (a city with
    oblast status: Shymkent, Almaty, Astana)."""
    counts = Counter(refs[id(m)] for m in mentions if id(m) in refs and refs[id(m)] in set(heads.values()))
    return counts.most_common(1)[0][0] if counts else None


KZ_SIDE_KINDS = ("government body", "national company", "special economic zone", "development bank")


GOVERNING_ROLES = ("akim", "deputy akim", "governor", "deputy governor", "mayor", "deputy mayor")


def governed(x: Extraction) -> dict[str, str]:
    """Official -> the region or city he heads, or the body he holds a post in: when an akim or
    governor signs, or meets and then "the parties" sign, the party is his region (FORMAT.md,
    "Who is a party"); when a bank's president signs, the bank is."""
    heads = {}
    for p in x.posts:
        kind = p.of.split(":", 1)[0] if p.of else None
        if kind in ("region", "city") and p.role in GOVERNING_ROLES or kind in ORG_KINDS:
            heads[p.official] = p.of
    return heads


def _parties(x: Extraction, same: list[Mention], s: Sentence, refs: dict[int, str],
             lang: str, heads: dict[str, str] | None = None,
             home: str | None = None) -> tuple[list[str], str | None]:
    """Signatories named in one sentence: companies and bodies, regions that are not only a
    location, a city or region whose head (akim, governor) is named there, and a foreign region
    only when no company or body is named beside it (region-to-region documents; otherwise it
    only tells where a company comes from)."""
    heads = heads or {}
    parties: list[str] = []
    foreign: list[str] = []
    located: str | None = None
    governed_places = set(heads.values())
    for m in same:
        ref = refs.get(id(m))
        head_of = heads.get(_person_ref(x, m) or "") if m.kind == "person" else None
        if head_of:
            if x.entities[head_of].country not in (None, "KZ"):
                foreign.append(head_of)
            elif head_of not in parties:
                parties.append(head_of)
            continue
        if m.kind == "role" and m.data.get("role") in GOVERNING_ROLES and m.data.get("scope") == "region" and home \
                and _signer(m, lang) and home not in parties:
            parties.append(home)
            continue
        if ref is None or ref not in x.entities or _dateline(m, s) or _reporting(m, s, lang):
            continue
        if m.kind in ORG_KINDS and ref not in parties:
            parties.append(ref)
        elif m.kind == "region" or m.kind == "city" and ref in governed_places:
            if _locative(m, s, lang) or _owns_district(x, m, same, s, refs, lang):
                located = located or (ref if x.entities[ref].country in (None, "KZ") else None)
            elif x.entities[ref].country not in (None, "KZ"):
                foreign.append(ref)
            elif ref not in parties:
                parties.append(ref)
    if foreign and not any(p.startswith(("company:", "organization:")) for p in parties):
        parties += [f for f in dict.fromkeys(foreign) if f not in parties]
    context = party_model.Context(
        x, refs, heads, home, lang, KZ_SIDE_KINDS, lambda m: _dateline(m, s) or _reporting(m, s, lang),
        lambda m: m.data.get("role") in GOVERNING_ROLES and m.data.get("scope") == "region" and _signer(m, lang))
    return party_model.decide(context, same, s, parties), located


def _owns_district(x: Extraction, m: Mention, same: list[Mention], s: Sentence, refs: dict[int, str],
                   lang: str) -> bool:
    """A region named as the owner of a district where something is ("в Шиелийском районе
    Кызылординской области", "Түркістан облысының Сарыағаш ауданында", "in the Karasai district
    of Almaty region") is part of that location, not a signatory."""
    def district(o: Mention) -> bool:
        ref = refs.get(id(o))
        return o.kind == "place" and ref in x.entities and x.entities[ref].subkind == "district" and _locative(o, s, lang)

    i = same.index(m)
    return any(0 <= j < len(same) and district(same[j]) and _adjacent(s, *sorted((m, same[j]), key=lambda o: o.start))
               for j in (i - 1, i + 1))


def _several(trigger: Mention, s: Sentence, following: Sentence | None, lang: str,
             money: list[Mention] = ()) -> bool:
    """A total over several documents: a count before the document noun ("14 меморандумов",
    "two agreements", "40 меморандумға"), or a plural document noun with a total stated in its
    sentence or the next ("Меморандумы подписаны ... на общую сумму свыше 6 млрд тенге").
    A number inside an amount ("a KZT 5.4 billion loan agreement") counts nothing."""

    def money_before(at: int) -> bool:
        return any(m.start - s.start <= at < m.end - s.start for m in money)

    before = s.text[:trigger.start - s.start]
    count = re.search(r"(?<![\d.,])(\d+)\s*(?:[^\W\d]+\s+)?$", before)
    if count and 1 < int(count.group(1)) < 1000 and not money_before(count.start()):
        return True
    last_words = " ".join(before.split()[-2:])
    if cues.has("count_word", lang, last_words):
        return True
    plural = cues.has("plural_trigger", lang, trigger.text)
    return plural and (cues.has("total_word", lang, s.text) or following is not None and
                       cues.has("total_word", lang, following.text))


def _counts_documents(same: list[Mention], s: Sentence, lang: str) -> bool:
    """Whether a sentence speaks of several documents of its own ("49 agreements", "мемлекеттер
    арасында 12 келісімге"): what it states belongs to them."""
    return any(m.kind == "agreement" and _several(m, s, None, lang, [o for o in same if o.kind == "money"])
               for m in same)


def _deal_money(money: list[Mention], s: Sentence, lang: str) -> list[Mention]:
    """Amounts that can be a deal's value: not output, trade turnover, grants, portfolios or
    budgets (the words of relation_cues.tsv "non_deal" in the amount's own clause), and not a
    conversion in brackets after another amount ("134.5 billion tenge (around $256 million)")."""
    def conversion(m: Mention) -> bool:
        before = s.text[:m.start - s.start].rstrip()
        return before.endswith("(") and any(0 <= len(before) - 1 - (o.end - s.start) <= 2 for o in money if o is not m)

    return [m for m in money if not conversion(m) and not cues.has("non_deal", lang, cues.clause_around(
        s.text, m.start - s.start, m.end - s.start))]


def _signers_after(x: Extraction, index: int, by_sentence: dict[int, list[Mention]], sentences: list[Sentence],
                   refs: dict[int, str], lang: str, heads: dict[str, str]) -> list[str]:
    """"An agreement was signed. The document was signed by X, Y and Z." (or "Three companies
    signed it. They are X, Y and Z."): a signing sentence right after the trigger that names no
    new document names its signatories, possibly in the sentence after it."""
    following = by_sentence.get(index + 1, [])
    if not any(m.kind == "status" for m in following) or any(m.kind == "agreement" for m in following):
        return []
    listed = [index + 1]
    if index + 2 < len(sentences) and cues.has("signer_count", lang, sentences[index + 1].text):
        listed.append(index + 2)  # "Three companies signed it. They are X, Y and Z."
    for n in listed:
        if any(m.kind == "agreement" for m in by_sentence.get(n, [])):
            break
        found, _ = _parties(x, by_sentence.get(n, []), sentences[n], refs, lang, heads)
        if any(p.startswith(("company:", "organization:")) for p in found):
            return found
    return []


def _reporting(m: Mention, s: Sentence, lang: str) -> bool:
    """The outlet reporting a signing is not a party: "передает Politico.kz", "Kazinform
    reports", "according to Kursiv.kz", a name that is a web address or a news agency."""
    if m.kind not in ORG_KINDS:
        return False
    if m.text.isupper() and m.start - s.start < 40 and re.match(r"\s*[-–—]", s.text[m.end - s.start:]):
        return True  # the agency in a dateline: "UST-KAMENOGORSK. KAZINFORM -"
    name = cues.pattern_of("source_name", lang)
    return bool(name and re.fullmatch(name, m.text, re.I)) or cues.has("source_before", lang, s.text[:m.start - s.start]) \
        or bool(re.match(cues.pattern_of("source_after", lang) or "(?!)", s.text[m.end - s.start:], re.I))


def _dateline(m: Mention, s: Sentence) -> bool:
    """"ASTANA. KAZINFORM –", "ШЫМКЕНТ –": the place a report was filed from signs nothing."""
    return m.start - s.start < 3 and m.text.isupper() and len(m.text) > 3


def _signer(role: Mention, lang: str) -> bool:
    """A post named without a person ("the akim of the region signed") stands for its
    region only as the subject of the signing, not as a modifier of another noun."""
    return not cues.genitive(role.text, lang)


def _details(x: Extraction, agreement: Agreement, window: list[int], by_sentence: dict[int, list[Mention]],
             sentences: list[Sentence], refs: dict[int, str], lang: str, single: bool,
             taken: set[int] | None = None) -> None:
    """Amount, date, project and place of an agreement from its sentence and the next ones."""
    cite = agreement.cites
    taken = set() if taken is None else taken
    where: dict[str, tuple[str, int]] = {}
    for index in window:
        same = by_sentence.get(index, [])
        s = sentences[index]
        sentence = Evidence(s.index, s.start, s.end, s.text)
        anchor = next((m for m in same if m.kind == "agreement"), None)
        pos = anchor.start if anchor else s.start
        money = [m for m in _deal_money([m for m in same if m.kind == "money"], s, lang) if id(m) not in taken]
        if index != window[0] and _counts_documents(same, s, lang):
            money = []  # "In total, 49 agreements worth $7.5 billion were signed": their sum, not this deal's
        if money and agreement.amount is None:
            chosen = min(money, key=lambda m: abs(m.start - pos))
            taken.add(id(chosen))
            found = chosen.data["money"]
            agreement.amount = Amount(found.value, found.currency, found.qualifier, found.raw)
            cite["amount"] = sentence
        dates = [m for m in same if m.kind == "date" and not _deadline(m, s, lang)]
        signing = index == window[0] or any(m.kind == "status" for m in same)
        if dates and agreement.date is None and signing:
            agreement.date = dates[0].data["date"]
            cite["date"] = sentence
        if agreement.project is None:
            agreement.project = _project(x, [m for m in same if m.kind == "project_head"], pos, s, lang)
            if agreement.project:
                cite["project"] = sentence
        for m in same:
            kind = _where_kind(x, m, same, s, refs, lang)
            if kind:
                where.setdefault(kind, (refs[id(m)], index))
    signing = window[0]
    if agreement.date is None and signing > 0 and cues.has("meeting_anaphor", lang, sentences[signing].text):
        # "They met in Astana today. At the meeting they signed ...": the day of that meeting
        met = [m for m in by_sentence.get(signing - 1, []) if m.kind == "date" and not _deadline(m, sentences[signing - 1], lang)]
        if met:
            agreement.date = met[0].data["date"]
            cite["date"] = _sentence_evidence(sentences[signing - 1])
    if agreement.amount is None and single:
        # the only deal of the article: its project's cost may be stated paragraphs later
        nearby = [m for i in sorted(by_sentence, key=lambda i: (abs(i - window[0]), i))
                  if i == window[0] or not _counts_documents(by_sentence[i], sentences[i], lang)
                  for m in _deal_money([m for m in by_sentence[i] if m.kind == "money"], sentences[i], lang)]
        if nearby:
            found = nearby[0].data["money"]
            agreement.amount = Amount(found.value, found.currency, found.qualifier, found.raw)
            cite["amount"] = _sentence_evidence(sentences[nearby[0].sentence])
    if agreement.project is None:
        later = [m for i in sorted(by_sentence) if i > window[0] for m in by_sentence[i] if m.kind == "project_head"]
        for head in later:
            agreement.project = _project(x, [head], head.start, sentences[head.sentence], lang)
            if agreement.project:
                cite["project"] = _sentence_evidence(sentences[head.sentence])
                break
    for ref in agreement.parties:
        cite[f"party:{ref}"] = _party_evidence(x, ref, window[0], by_sentence, sentences, refs) or agreement.evidence
    _article_districts(x, where, by_sentence, sentences, refs, lang)
    _location(x, agreement, where, sentences, by_sentence, refs)
    _deal_sector(x, agreement, window, sentences, by_sentence)


def _without_names(s: Sentence, same: list[Mention]) -> str:
    """The sentence with the names of companies, bodies and places blanked: "Tobyl AgroTechnika"
    names a firm, not an industry."""
    chars = list(s.text)
    for m in same:
        if m.kind in ORG_KINDS | PLACE_KINDS:
            chars[m.start - s.start:m.end - s.start] = " " * (m.end - m.start)
    return "".join(chars)


def _deal_sector(x: Extraction, agreement: Agreement, window: list[int], sentences: list[Sentence],
                 by_sentence: dict[int, list[Mention]]) -> None:
    """The industry of a deal: the one the signing sentence names (the document's own subject:
    "a memorandum on supplying potable water"), else the one its project's name names, else the
    one the first sentence after the signing (or, last, the one before it: "по этому проекту")
    that names any names alone."""
    signing = sentences[window[0]]
    text = {i: _without_names(sentences[i], by_sentence.get(i, [])) for i in window}
    named = _one_sector(text[window[0]])
    if named:
        agreement.sector = named
        agreement.cites["sector"] = _sentence_evidence(signing)
        return
    project_name = x.entities[agreement.project].name if agreement.project else ""
    agreement.sector = _sector(project_name)
    if agreement.sector:
        agreement.cites["sector"] = agreement.cites.get("project", agreement.evidence)
        return
    stating = next((i for i in window if i != window[0] and _sector(text[i])), None)
    if stating is not None:
        agreement.sector = _one_sector(text[stating])
        if agreement.sector:
            agreement.cites["sector"] = _sentence_evidence(sentences[stating])


def _deadline(m: Mention, s: Sentence, lang: str) -> bool:
    """"by February 1, 2029", "до 1 декабря", "2028 жылғы 1 желтоқсанға дейін": a deadline, not the
    day of signing."""
    return cues.has("deadline_before", lang, s.text[:m.start - s.start]) or \
        cues.has("deadline_after", lang, s.text[m.end - s.start:])


def _where_kind(x: Extraction, m: Mention, same: list[Mention], s: Sentence, refs: dict[int, str],
                lang: str) -> str | None:
    """What a mention can tell of where a deal is ("district", "region", "city"...), or None: a
    Kazakh place (or one of unknown country) named as where something is, not as where a
    resource comes from ("gas from fields in Zhylyoi District"); a district listed with other
    places ("in Zhezkazgan city, Satpayev town and Ulytau district") names no single place."""
    ref = refs.get(id(m))
    if ref not in x.entities or x.entities[ref].country not in ("KZ", None) or not _locative(m, s, lang) \
            or _origin(m, s, lang):
        return None
    if m.kind != "place" or x.entities[ref].subkind != "district":
        return m.kind
    return None if _listed(m, same, s, lang) else "district"


def _origin(m: Mention, s: Sentence, lang: str) -> bool:
    """A place named as where something comes from ("from deposits in X", "из месторождений в
    X", "X ауданындағы кен орындарынан"; relation_cues.tsv "origin")."""
    return cues.has("origin_before", lang, s.text[:m.start - s.start]) or \
        cues.has("origin_after", lang, s.text[m.end - s.start:])


@cache
def _place_noun(lang: str) -> str:
    stems = [stem for (stem,) in lang_rows("gazetteer/place_nouns.tsv", lang)]
    return rf"(?:{'|'.join(map(re.escape, stems))})\w*" if stems else "(?!)"


def _listed(m: Mention, same: list[Mention], s: Sentence, lang: str) -> bool:
    """Whether a place stands in a list of places ("Zhezkazgan city, Satpayev town and Ulytau
    district"): another place, region aside, next to it with only a place noun, a comma or a
    conjunction between them, or its noun in the plural ("Ескелді және Көксу аудандарында", "в
    Жанакорганском и Шиелийском районах": the other names may be no mention at all)."""
    if cues.has("plural_place_suffix", lang, m.text):
        return True
    gap = rf"\s*(?:{_place_noun(lang)})?\s*(?:,|{cues.pattern_of('coordinator', lang) or '(?!)'})\s*"
    places = [o for o in same if o.kind in ("city", "place")]
    i = places.index(m)
    neighbours = [(places[i - 1], m)] if i else []
    neighbours += [(m, places[i + 1])] if i + 1 < len(places) else []
    return any(_adjacent(s, a, b, gap) for a, b in neighbours)


def _article_districts(x: Extraction, where: dict[str, tuple[str, int]], by_sentence: dict[int, list[Mention]],
                       sentences: list[Sentence], refs: dict[int, str], lang: str) -> None:
    """Districts of the whole article for `_location`: the one district it names as where
    something is ("Шиелі ауданында цемент зауытын салу жобасы талқыланды" paragraphs before the
    signing) goes under "article district"; a district it lists with other places anywhere
    ("22 projects in Zhezkazgan city, Satpayev town and Ulytau district") is one of several
    places of the deal, so it is dropped, near the signing too."""
    found: dict[str, int] = {}
    listed: set[str] = set()
    for index in sorted(by_sentence):
        same, s = by_sentence[index], sentences[index]
        for m in same:
            if _where_kind(x, m, same, s, refs, lang) == "district":
                found.setdefault(refs[id(m)], index)
            elif m.kind == "place" and id(m) in refs and _listed(m, same, s, lang):
                listed.add(refs[id(m)])
    if where.get("district", ("",))[0] in listed:
        del where["district"]
    alone = [(ref, index) for ref, index in found.items() if ref not in listed]
    if len(found) == 1 and alone:
        where["article district"] = alone[0]


def _location(x: Extraction, agreement: Agreement, where: dict[str, tuple[str, int]], sentences: list[Sentence],
              by_sentence: dict[int, list[Mention]], refs: dict[int, str]) -> None:
    """Where the deal is, the most specific Kazakh place the text gives (FORMAT.md): a district
    named as where it is near the signing (unless the gazetteer puts it in another Kazakh region
    than the one found), else the article's only such district when it lies in the region found; else
    a region named as where it is, else a region party, else a city when no Kazakh region is
    named at all (a city only when only the city is named). A total over several documents is
    never placed in one district."""
    if agreement.location_region is None:
        _region_or_city(x, agreement, where, sentences, by_sentence, refs)
    found = agreement.location_region
    for key in ("district", "article district") if not agreement.aggregate else ():
        if key not in where:
            continue
        ref, index = where[key]
        parent = x.entities[ref].part_of
        inside = found is not None and parent is not None and x.entities[found].key == parent
        elsewhere = found is not None and parent is not None and not inside and \
            x.entities[found].kind == "region" and x.entities[found].country == "KZ"
        if inside or key == "district" and not elsewhere:
            agreement.location_region = ref
            agreement.cites["location_region"] = _sentence_evidence(sentences[index])
            return


def _region_or_city(x: Extraction, agreement: Agreement, where: dict[str, tuple[str, int]],
                    sentences: list[Sentence], by_sentence: dict[int, list[Mention]], refs: dict[int, str]) -> None:
    """The location above district level, in the order `_location` gives."""
    kz_region_named = any(m.kind == "region" and x.entities.get(refs.get(id(m), ""), None) is not None
                          and x.entities[refs[id(m)]].country == "KZ" for ms in by_sentence.values() for m in ms)
    if "region" in where:
        ref, index = where["region"]
        agreement.location_region = ref
        agreement.cites["location_region"] = _sentence_evidence(sentences[index])
        return
    party = next((p for p in agreement.parties if p.startswith(("region:", "city:"))
                  and x.entities[p].country in ("KZ", None)), None)
    if party:
        agreement.location_region = party
        agreement.cites["location_region"] = agreement.cites.get(f"party:{party}", agreement.evidence)
    elif "city" in where and not kz_region_named:
        ref, index = where["city"]
        agreement.location_region = ref
        agreement.cites["location_region"] = _sentence_evidence(sentences[index])


def _sentence_evidence(s: Sentence) -> Evidence:
    return Evidence(s.index, s.start, s.end, s.text)


def _party_evidence(x: Extraction, ref: str, index: int, by_sentence: dict[int, list[Mention]],
                    sentences: list[Sentence], refs: dict[int, str]) -> Evidence | None:
    """The sentence nearest the signing that names the party (or the official who signs for it)."""
    heads = governed(x)
    for i in sorted(by_sentence, key=lambda i: (abs(i - index), i)):
        for m in by_sentence[i]:
            if refs.get(id(m)) == ref or m.kind == "person" and heads.get(_person_ref(x, m) or "") == ref:
                return _sentence_evidence(sentences[i])
    return None


def _project(x: Extraction, heads: list[Mention], pos: int, s: Sentence, lang: str) -> str | None:
    # "greenhouse complex", "жылыжай кешені": the last noun of a compound is its head
    heads = [h for h in heads if not any(0 < o.start - h.end <= 1 for o in heads)]
    for head in sorted(heads, key=lambda m: abs(m.start - pos)):
        name = _project_name(head, s, lang)
        if name:
            return x.add(Entity("project", name, keys.name_key(name), lang,
                                evidence=[Evidence(s.index, s.start, s.end, s.text)]))
    return None


def _locative(m: Mention, s: Sentence, lang: str) -> bool:
    return cues.locative(m.text, s.text[:m.start - s.start], lang, s.text[m.end - s.start:])


def _project_name(head: Mention, s: Sentence, lang: str) -> str | None:
    """The noun phrase a facility word heads; the language module knows how its phrases are built."""
    return language.get(lang).project_name(s.text[:head.start - s.start], head.text, head.data["value"],
                                           s.text[head.end - s.start:])


def _sectors(text: str) -> list[str]:
    """Sectors (in the table's order, specific before general) whose patterns start a word; a
    general sector found only inside a more specific one's words ("инфраструктуры" in
    "социальной инфраструктуры", "machine" in "machine building") is not named apart."""
    named: list[str] = []
    covered: list[tuple[int, int]] = []
    for sector, pattern in sectors():
        spans = [m.span() for m in pattern.finditer(text)]
        if spans and not all(any(a <= start and end <= b for a, b in covered) for start, end in spans):
            named.append(sector)
        covered += spans
    return named


def _sector(text: str) -> str | None:
    found = _sectors(text)
    return found[0] if found else None


def _one_sector(text: str) -> str | None:
    """A sentence that lists several industries ("agriculture, machinery and logistics") names
    no single sector of the deal."""
    found = _sectors(text)
    return found[0] if len(found) == 1 else None
