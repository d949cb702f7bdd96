"""One node per real entity across articles and scripts, decided as judgements.

Extraction keys each entity by its transliterated name ("Сумек" -> "sumek", "Sumec" -> "sumec"),
which is deterministic but not enough across scripts and spellings. The article graph keeps
each mention's own entity IRI (kind + its key, ``graph.namespaces.entity_iri``): the same in
every article that spells the name the same way, never rewritten. Before an article is
written, each person, company and organisation key is compared with the keys already in the
store: equal phonetic keys match ("sumek" = "sumec"), and close ones match above a measured
similarity threshold ("tileumuratov" ~ "tleumuratov"). Each match is a :class:`Merge`, which
the pipeline writes as the resolver's machine judgement (graph/judgements.resolver_merge) mapping
the mention's IRI onto the known one; readers apply it, and a person's keep-apart overrides
it (undoing a merge edits a judgement, nothing is re-extracted). Pairs a person keeps apart
are never proposed again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from graph.namespaces import entity_iri
from ingest.facts import Extraction

RESOLVABLE = ("official", "company", "organization")
# Measured with bench/resolution.py on the dev set's names: the closest pair of distinct people
# scores 87.5 ("lyu yan" ~ "liu qiang"), so 90 merges none of 142 distinct pairs and 32 of 43
# same-entity spelling pairs (the rest are translations, which keys cannot bridge).
THRESHOLD = 90.0

_PHONETIC = [
    (r"ph", "f"), (r"ck", "k"), (r"c(?=[eiy])", "s"), (r"c", "k"), (r"q", "k"), (r"x", "ks"), (r"w", "v"),
    (r"y", "i"), (r"j", "zh"), (r"kh", "h"), (r"gh", "g"), (r"([a-z])\1", r"\1"),
]


def phonetic(key: str) -> str:
    """Spelling-neutral form of a transliterated key: Sumec / Сумек -> 'sumek'."""
    out = key
    for pattern, replacement in _PHONETIC:
        out = re.sub(pattern, replacement, out)
    return out


@dataclass(frozen=True)
class Merge:
    kind: str
    key: str  # the key this article gave the entity
    into: str  # the key of the node it was merged into
    label: str
    rule: str
    score: float


@dataclass
class Index:
    """Keys already in the store (and written earlier in this run), per kind."""

    keys: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in RESOLVABLE})
    apart: set[frozenset[str]] = field(default_factory=set)  # entity IRI pairs a person keeps apart
    into: dict[str, str] = field(default_factory=dict)  # the resolver's merges in force: mention IRI -> IRI

    def canonical(self, iri: str) -> str:
        """The entity IRI the resolver's merges (stored and new) lead to; what deal and visit
        IRIs are minted from (ingest/triples.py), so every spelling of a party gives one deal."""
        seen = {iri}
        while iri in self.into and self.into[iri] not in seen:
            iri = self.into[iri]
            seen.add(iri)
        return iri

    def match(self, kind: str, key: str) -> tuple[str, str, float] | None:
        known = self.keys.get(kind)
        if not known or key in known:
            return None
        mine = phonetic(key)
        best: tuple[str, str, float] | None = None
        for other in known:
            if frozenset((entity_iri(kind, key), entity_iri(kind, other))) in self.apart:
                continue
            theirs = phonetic(other)
            if mine == theirs:
                return other, "phonetic key", 100.0
            if mine[:1] != theirs[:1] or len(mine.split()) != len(theirs.split()):
                continue
            score = fuzz.ratio(mine, theirs)
            if score >= THRESHOLD and (best is None or score > best[2]):
                best = (other, "similar phonetic key", score)
        return best

    def resolve(self, x: Extraction) -> list[Merge]:
        """The merges this article's entities call for (the extraction is left as it is);
        its keys join the index, so later articles match them too."""
        merges: list[Merge] = []
        for entity in x.entities.values():
            if entity.kind not in RESOLVABLE:
                continue
            found = self.match(entity.kind, entity.key)
            if found:
                into, rule, score = found
                merges.append(Merge(entity.kind, entity.key, into, entity.name, rule, score))
                self.into[entity_iri(entity.kind, entity.key)] = entity_iri(entity.kind, into)
        for entity in x.entities.values():
            if entity.kind in RESOLVABLE:
                self.keys[entity.kind].add(entity.key)
        return list(dict.fromkeys(merges))


def rekey(x: Extraction, mapping: dict[str, str]) -> None:
    """Point every reference of the extraction from old refs to new ones: folding two mentions of
    one entity *within* an article (a short name after the long one, relations._short_names).
    Across articles nothing is re-keyed; see the module docstring."""
    if not mapping:
        return
    entities = {}
    for ref, entity in x.entities.items():
        new = mapping.get(ref, ref)
        entity.key = new.split(":", 1)[1]
        if new in entities:
            entities[new].aliases.append(entity.name)
            entities[new].evidence.extend(entity.evidence)
        else:
            entities[new] = entity
    x.entities = entities
    get = lambda ref: mapping.get(ref, ref) if ref else ref  # noqa: E731
    for post in x.posts:
        post.official, post.of = get(post.official), get(post.of)
    for visit in x.visits:
        visit.led_by, visit.from_place, visit.location = get(visit.led_by), get(visit.from_place), get(visit.location)
        visit.participants = list(dict.fromkeys(map(get, visit.participants)))
        visit.met = list(dict.fromkeys(map(get, visit.met)))
    for agreement in x.agreements:
        agreement.parties = list(dict.fromkeys(map(get, agreement.parties)))
        agreement.project, agreement.location_region = get(agreement.project), get(agreement.location_region)
