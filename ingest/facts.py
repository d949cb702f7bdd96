"""What extraction finds in one article, before it becomes triples.

Entities are referred to by ``ref`` (kind + matching key) so relations stay plain data; the
gold-shaped dict of ``../shared/eval/FORMAT.md`` is read back from the graph, not from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Evidence:
    sentence: int
    start: int
    end: int
    text: str


@dataclass
class Entity:
    kind: str  # region (a district too) | place | city | country | official | organization | company | project
    name: str  # base form in the article's language
    key: str  # matching key: gazetteer id or transliterated, normalised name
    lang: str
    subkind: str | None = None  # org kind, e.g. "national company"
    country: str | None = None
    country_evidence: Evidence | None = None  # the sentence that states a company's nationality
    aliases: list[str] = field(default_factory=list)  # other base forms seen in this article
    labels: dict[str, list[str]] = field(default_factory=dict)  # gazetteer names by language
    part_of: str | None = None  # a district's region, as its gazetteer id ("KZ-43")
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass
class Post:
    official: str  # ref
    role: str
    role_text: str
    of: str | None  # ref of region / organization / country
    evidence: Evidence


@dataclass
class Amount:
    value: Decimal
    currency: str
    qualifier: str
    raw: str


@dataclass
class Visit:
    """A delegation trip, a forum or a meeting (``type``), with who led it, from where, where."""

    evidence: list[Evidence]
    type: str = "visit"
    led_by: str | None = None
    from_place: str | None = None
    location: str | None = None
    participants: list[str] = field(default_factory=list)
    met: list[str] = field(default_factory=list)
    date: date | None = None


@dataclass
class Agreement:
    type: str
    status: str
    evidence: Evidence
    parties: list[str] = field(default_factory=list)
    project: str | None = None  # ref of a project entity
    sector: str | None = None
    location_region: str | None = None
    amount: Amount | None = None
    date: date | None = None
    aggregate: bool = False
    # the sentence stating each value ("amount", "date", "project", "location_region",
    # "sector", "party:<ref>"); a value without an entry cites ``evidence``, the signing sentence
    cites: dict[str, Evidence] = field(default_factory=dict)

    def evidence_of(self, value: str) -> Evidence:
        return self.cites.get(value, self.evidence)


@dataclass
class Extraction:
    lang: str
    extractor: str
    entities: dict[str, Entity] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)

    def add(self, entity: Entity) -> str:
        """Merge mentions of one entity within the article; returns its ref."""
        known = self.entities.get(entity.ref)
        if known is None:
            self.entities[entity.ref] = entity
        else:
            if entity.name != known.name and entity.name not in known.aliases:
                if len(entity.name) > len(known.name) and entity.kind == "country":
                    known.aliases.append(known.name)
                    known.name = entity.name
                else:
                    known.aliases.append(entity.name)
            known.evidence.extend(entity.evidence)
            known.subkind = known.subkind or entity.subkind
            if known.country is None and entity.country:
                known.country, known.country_evidence = entity.country, entity.country_evidence
        return entity.ref
