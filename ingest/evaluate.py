"""Precision, recall and F1 of extracted facts against gold, by the rules of
../shared/eval/FORMAT.md (name normalisation, aliases, null = not scored, absent kind = not
annotated, set-valued fields compared as sets).

Beside the per-kind rows and their micro total, two views analysts ask for: ``links`` (which
investor is tied to which region through an agreement, compared as pair sets per article; not
part of micro) and ``per_lang`` (the same figures for each article language)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

from ingest.ner.scoring import prf

ENTITY_KINDS = ("regions", "places", "officials", "organizations", "companies")
AGREEMENT_FIELDS = ("type", "parties", "amount", "currency", "amount_qualifier", "location_region", "date",
                    "project", "sector", "status")
EVENT_FIELDS = ("led_by", "from", "participants", "met")
SET_FIELDS = {"parties", "participants", "met"}
NAME_FIELDS = {"location_region", "led_by", "from", "location"}
ALL_KINDS = [
    "regions", "places", "officials", "officials.role", "officials.of", "organizations", "companies", "events",
    *(f"events.{f}" for f in EVENT_FIELDS), "agreements", *(f"agreements.{f}" for f in AGREEMENT_FIELDS),
]


def norm(name: object) -> str:
    text = unicodedata.normalize("NFC", str(name)).casefold()
    text = re.sub(r"[«»\"'“”]", "", text)
    return re.sub(r"\s+", " ", text).strip()


class Names:
    """Every gold entity's accepted spellings, so a party or a led_by value may use an alias."""

    def __init__(self, gold: dict) -> None:
        self.groups: list[set[str]] = []
        for kind in ENTITY_KINDS:
            for entity in gold.get(kind) or []:
                self.groups.append({norm(entity["name"]), *(norm(a) for a in entity.get("aliases", []))})

    def variants(self, name: str, aliases: Iterable[str] = ()) -> set[str]:
        names = {norm(name), *(norm(a) for a in aliases)}
        for group in self.groups:
            if names & group:
                names |= group
        return names

    def same(self, gold_name: str, found: object, aliases: Iterable[str] = ()) -> bool:
        return found is not None and norm(found) in self.variants(gold_name, aliases)


def _match_pairs(gold: list[dict], found: list[dict], matches: Callable[[dict, dict], bool],
                 closeness: Callable[[dict, dict], int] = lambda g, f: 0,
                 ) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """One-to-one pairs of gold and found items that match; among several candidates the closest
    pairs are taken first (most equal fields), so the outcome does not hang on the order in
    which the extractor lists agreements that share their parties."""
    candidates = sorted(((closeness(g, f), -i, -j) for i, g in enumerate(gold) for j, f in enumerate(found)
                         if matches(g, f)), reverse=True)
    gold_used: set[int] = set()
    found_used: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if -i not in gold_used and -j not in found_used:
            gold_used.add(-i)
            found_used.add(-j)
            chosen.append((-i, -j))
    pairs = [(gold[i], found[j]) for i, j in sorted(chosen)]
    missed = [g for i, g in enumerate(gold) if i not in gold_used]
    unmatched = [f for j, f in enumerate(found) if j not in found_used]
    return pairs, missed, unmatched


def _field(counts: Counter, kind: str, gold_value: object, found_value: object, equal: bool) -> None:
    if gold_value is None:
        return
    if equal:
        counts[kind, "tp"] += 1
    else:
        counts[kind, "fn"] += 1
        if found_value not in (None, []):
            counts[kind, "fp"] += 1


def score_record(gold: dict, found: dict, counts: Counter) -> None:
    names = Names(gold)
    for kind in ENTITY_KINDS:
        if kind not in gold:
            continue
        pairs, missed, extra = _match_pairs(
            gold[kind], found.get(kind, []),
            lambda g, f: norm(f["name"]) in {norm(g["name"]), *(norm(a) for a in g.get("aliases", []))})
        counts[kind, "tp"] += len(pairs)
        counts[kind, "fn"] += len(missed)
        counts[kind, "fp"] += len(extra)
        if kind == "officials":
            for g, f in pairs:
                _field(counts, "officials.role", g.get("role"), f.get("role"), g.get("role") == f.get("role"))
                _field(counts, "officials.of", g.get("of"), f.get("of"),
                       g.get("of") is not None and names.same(g["of"], f.get("of")))
            for g in missed:
                for sub in ("role", "of"):
                    if g.get(sub) is not None:
                        counts[f"officials.{sub}", "fn"] += 1
    if "events" in gold:
        # a gold location of null means the text does not say where: any extracted one matches
        pairs, missed, extra = _match_pairs(
            gold["events"], found.get("events", []),
            lambda g, f: g.get("type") == f.get("type") and (
                g.get("location") is None or names.same(g["location"], f.get("location"))),
            lambda g, f: _closeness(EVENT_FIELDS, g, f, names))
        _score_structs(counts, "events", EVENT_FIELDS, pairs, missed, extra, names)
    if "agreements" in gold:
        pairs, missed, extra = _match_pairs(
            gold["agreements"], found.get("agreements", []),
            lambda g, f: any(names.same(p, q) for p in g.get("parties", []) for q in f.get("parties", [])),
            lambda g, f: _closeness(AGREEMENT_FIELDS, g, f, names))
        _score_structs(counts, "agreements", AGREEMENT_FIELDS, pairs, missed, extra, names)
        _score_links(counts, gold, found, names)


def _closeness(fields: Iterable[str], g: dict, f: dict, names: Names) -> int:
    return sum(1 for field in fields if g.get(field) is not None and _equal(field, g, f, names))


def _places(record: dict) -> set[str]:
    """Spellings of the record's regions and places (a region, district or city with oblast
    status is the region side of a link)."""
    spellings: set[str] = set()
    for kind in ("regions", "places"):
        for entity in record.get(kind) or []:
            spellings |= {norm(entity["name"]), *(norm(a) for a in entity.get("aliases", []))}
    return spellings


def links(record: dict) -> set[tuple[str, str]]:
    """Investor-region pairs of one article: each party that is not a place with each party that
    is one and with the agreement's location_region."""
    places = _places(record)
    pairs: set[tuple[str, str]] = set()
    for agreement in record.get("agreements") or []:
        parties = [p for p in agreement.get("parties") or [] if p]
        sides = {norm(p) for p in parties if norm(p) in places}
        if agreement.get("location_region"):
            sides.add(norm(agreement["location_region"]))
        pairs |= {(norm(p), side) for p in parties if norm(p) not in places for side in sides}
    return pairs


def _score_links(counts: Counter, gold: dict, found: dict, names: Names) -> None:
    pairs, missed, extra = _match_pairs(
        [{"investor": i, "region": r} for i, r in sorted(links(gold))],
        [{"investor": i, "region": r} for i, r in sorted(links(found))],
        lambda g, f: names.same(g["investor"], f["investor"]) and names.same(g["region"], f["region"]))
    counts["links", "tp"] += len(pairs)
    counts["links", "fn"] += len(missed)
    counts["links", "fp"] += len(extra)


def _equal(field: str, g: dict, f: dict, names: Names) -> bool:
    gv, fv = g.get(field), f.get(field)
    if fv is None:
        return False
    if field in SET_FIELDS:
        if len(gv) != len(fv or []):
            return False
        remaining = list(fv)
        for item in gv:
            hit = next((x for x in remaining if names.same(item, x)), None)
            if hit is None:
                return False
            remaining.remove(hit)
        return True
    if field in NAME_FIELDS:
        return names.same(gv, fv)
    if field == "project":
        return norm(fv) in {norm(gv), *(norm(a) for a in g.get("project_aliases", []))}
    if field == "sector":
        return norm(fv) in {norm(gv), *(norm(a) for a in g.get("sector_aliases", []))}
    if field == "amount":
        return float(gv) == float(fv)
    return str(gv) == str(fv)


def _score_structs(counts: Counter, kind: str, fields: Iterable[str], pairs, missed, extra, names: Names) -> None:
    counts[kind, "tp"] += len(pairs)
    counts[kind, "fn"] += len(missed)
    counts[kind, "fp"] += len(extra)
    for g, f in pairs:
        for field in fields:
            _field(counts, f"{kind}.{field}", g.get(field), f.get(field), g.get(field) is not None and _equal(field, g, f, names))
    for g in missed:
        for field in fields:
            if g.get(field) not in (None, []):
                counts[f"{kind}.{field}", "fn"] += 1
    for f in extra:
        for field in fields:
            if f.get(field) not in (None, []):
                counts[f"{kind}.{field}", "fp"] += 1


def _summary(counts: Counter) -> dict:
    per_kind = {kind: prf(counts[kind, "tp"], counts[kind, "fp"], counts[kind, "fn"]) for kind in ALL_KINDS}
    micro = prf(sum(v["tp"] for v in per_kind.values()), sum(v["fp"] for v in per_kind.values()),
                sum(v["fn"] for v in per_kind.values()))
    return {"per_kind": per_kind, "micro": micro, "links": prf(counts["links", "tp"], counts["links", "fp"],
                                                                counts["links", "fn"])}


def score(pairs: Iterable[tuple[dict, dict]]) -> dict:
    """Per-kind rows, micro, links, and the same for each language (the gold record's ``lang``)."""
    counts: Counter = Counter()
    by_lang: dict[str, Counter] = {}
    for gold, found in pairs:
        own: Counter = Counter()
        score_record(gold, found, own)
        counts.update(own)
        by_lang.setdefault(gold.get("lang") or "und", Counter()).update(own)
    return {**_summary(counts), "per_lang": {lang: _summary(c) for lang, c in sorted(by_lang.items())}}
