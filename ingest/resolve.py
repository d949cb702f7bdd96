"""One node per real entity across articles and scripts.

Extraction keys each entity by its transliterated name ("Сумек" -> "sumek", "Sumec" -> "sumec"),
which is deterministic but not enough across scripts and spellings. Before an article is
written, each person, company and organisation key is compared with the keys already in the
store: equal phonetic keys merge ("sumek" = "sumec"), and close ones merge above a measured
similarity threshold ("tileumuratov" ~ "tleumuratov"). Every merge is recorded in the article's
own graph (labels, rule, score), and a merge can be undone: the pair is then kept apart and
the article re-extracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

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
    apart: set[tuple[str, str, str]] = field(default_factory=set)

    def match(self, kind: str, key: str) -> tuple[str, str, float] | None:
        known = self.keys.get(kind)
        if not known or key in known:
            return None
        mine = phonetic(key)
        best: tuple[str, str, float] | None = None
        for other in known:
            if (kind, key, other) in self.apart or (kind, other, key) in self.apart:
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
        """Re-key this article's entities onto known nodes; remember its new keys."""
        mapping: dict[str, str] = {}
        merges: list[Merge] = []
        for ref, entity in list(x.entities.items()):
            if entity.kind not in RESOLVABLE:
                continue
            found = self.match(entity.kind, entity.key)
            if found:
                into, rule, score = found
                merges.append(Merge(entity.kind, entity.key, into, entity.name, rule, score))
                mapping[ref] = f"{entity.kind}:{into}"
        rekey(x, mapping)
        for entity in x.entities.values():
            if entity.kind in RESOLVABLE:
                self.keys[entity.kind].add(entity.key)
        return merges


def rekey(x: Extraction, mapping: dict[str, str]) -> None:
    """Point every reference of the extraction from old refs to new ones."""
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
