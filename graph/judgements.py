"""An analyst's judgements on extracted facts, stored beside the articles and applied at read time.

Extraction is never perfect, and re-extracting must not erase what a person has checked. So a
judgement never edits an article graph: each one lands in its own named graph
(``https://w3id.org/dealgraph/judgement/…``) stamped with PROV-O — who (a name the user sets),
when, why, and what value it replaces. Article graphs are replaced whole on re-ingest; judgement
graphs are keyed by entity and deal IRIs (derived from content, see graph/namespaces.py), so the
same judgement applies to the re-extracted article. Undo marks the judgement invalidated (the
history stays); :class:`Review` is what every reader applies.

Actions:
  confirm / reject  a fact (subject, predicate, object) — rejecting ``rdf:type`` drops the node
  correct           a deal's amount, currency, type, status, region or party; an entity's country
  merge             two entities are one (the first is kept, the second maps onto it)
  keep_apart        two entities are different (the resolver and every merge respect it)
  not_entity        a node that is extraction noise: dropped from every view and every deal

Two kinds of agent judge: a person (the name they set), and the resolver (ingest/resolve.py),
whose cross-article merges ("Сумек" = "Sumec") are machine judgements of the same shape, with
``prov:SoftwareAgent`` :data:`RESOLVER` and its version, and the rule and score as the reason.
Article graphs keep each mention's own entity IRI; these merges map them onto canonical
entities at read time, so undoing one is editing a judgement, never re-extracting. A person
overrides the resolver: a keep-apart undoes every merge, the resolver's included, that would
put the two entities into one (see :class:`Review`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from graph import query
from graph.namespaces import BASE, DG, PROV, RDF, RDFS, XSD, short_hash, slug
from graph.store import Store

JUDGEMENT = BASE + "judgement/"
AGENT = BASE + "agent/"
RESOLVER = AGENT + "dealgraph-resolver"
"""The resolver's agent IRI: judgements by it are the machine's, and any person's override them."""
ACTIONS = ("confirm", "reject", "correct", "merge", "keep_apart", "not_entity")
FIELDS = {
    "amount": "deal", "currency": "deal", "qualifier": "deal", "kind": "deal", "status": "deal",
    "region": "deal", "party": "deal", "country": "entity",
}
"""Correctable fields and what they belong to; 'region' and 'party' take an entity IRI."""
IRI_FIELDS = frozenset({"region", "party"})


class JudgementError(ValueError):
    """A judgement that cannot be recorded as given; the message is for the user."""


@dataclass(frozen=True)
class Judgement:
    iri: str
    action: str
    subject: str
    predicate: str | None = None
    object: str | None = None
    value: str | None = None
    replaces: str | None = None
    who: str = ""
    when: dt.datetime | None = None
    why: str = ""
    undone: dt.datetime | None = None
    agent: str | None = None

    @property
    def machine(self) -> bool:
        """Made by the resolver, not by a person."""
        return self.agent == RESOLVER

    @property
    def field(self) -> str | None:
        """For a correction, the corrected field's name (kept in ``predicate``)."""
        return self.predicate if self.action == "correct" else None

    def describe(self) -> str:
        """One line for lists and undo buttons."""
        what = {
            "confirm": f"confirmed {_short(self.predicate)} → {_short(self.object)}",
            "reject": f"rejected {_short(self.predicate)} → {_short(self.object)}",
            "correct": f"corrected {self.predicate}: {_short(self.replaces) or '—'} → {_short(self.value)}",
            "merge": f"merged {_short(self.object)} into it",
            "keep_apart": f"kept apart from {_short(self.object)}",
            "not_entity": "marked not an entity",
        }[self.action]
        when = self.when.strftime("%Y-%m-%d %H:%M") if self.when else ""
        return f"{_short(self.subject)}: {what} — {self.who or 'anonymous'}, {when}" + (f" ({self.why})" if self.why else "")


def _short(value: str | None) -> str:
    if value is None:
        return ""
    return value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if value.startswith("http") else value


@dataclass
class Review:
    """The judgements in force, indexed for readers (views, deal model, exports, gold)."""

    judgements: list[Judgement] = field(default_factory=list)
    rejected: set[tuple[str, str, str]] = field(default_factory=set)
    confirmed: set[tuple[str, str, str]] = field(default_factory=set)
    corrections: dict[tuple[str, str], Judgement] = field(default_factory=dict)
    not_entities: set[str] = field(default_factory=set)
    apart: set[frozenset[str]] = field(default_factory=set)
    untyped: set[str] = field(default_factory=set)  # nodes whose rdf:type was rejected
    _parent: dict[str, str] = field(default_factory=dict)
    _members: dict[str, set[str]] | None = None

    def __post_init__(self) -> None:
        active = sorted((j for j in self.judgements if j.undone is None), key=lambda j: (j.when or dt.datetime.min, j.iri))
        last: dict[frozenset[str], Judgement] = {}  # a person's latest merge or keep-apart of a pair
        for j in active:
            if j.action == "reject":
                self.rejected.add((j.subject, j.predicate or "", j.object or ""))
                if j.predicate == RDF + "type":
                    self.untyped.add(j.subject)
            elif j.action == "confirm":
                self.confirmed.add((j.subject, j.predicate or "", j.object or ""))
            elif j.action == "correct":
                self.corrections[j.subject, j.predicate or ""] = j  # the latest correction wins
            elif j.action == "not_entity":
                self.not_entities.add(j.subject)
            elif j.action in ("merge", "keep_apart") and j.object and not j.machine:
                last[frozenset((j.subject, j.object))] = j
        self.apart = {pair for pair, j in last.items() if j.action == "keep_apart"}
        # A person's merges first (their latest word on a pair), then the resolver's; no merge
        # may join two entities a person keeps apart, however indirectly.
        merges = [j for j in last.values() if j.action == "merge"]
        merges.sort(key=lambda j: (j.when or dt.datetime.min, j.iri))
        merges += [j for j in active if j.action == "merge" and j.machine and j.object]
        members: dict[str, set[str]] = {}
        for j in merges:
            keep, gone = self.canonical(j.subject), self.canonical(j.object or "")
            if keep == gone:
                continue
            mine, theirs = members.get(keep, {keep}), members.get(gone, {gone})
            if any(frozenset((a, b)) in self.apart for a in mine for b in theirs):
                continue
            self._parent[gone] = keep
            members[keep] = mine | theirs
            members.pop(gone, None)

    @property
    def active(self) -> list[Judgement]:
        return [j for j in self.judgements if j.undone is None]

    def canonical(self, iri: str) -> str:
        """The entity an IRI is merged into (itself when not merged)."""
        seen = set()
        while iri in self._parent and iri not in seen:
            seen.add(iri)
            iri = self._parent[iri]
        return iri

    def merged_into(self, iri: str) -> list[str]:
        """Every IRI that maps onto ``iri`` (itself included)."""
        if self._members is None:  # indexed once: the resolver's merges make thousands at scale
            self._members = defaultdict(set)
            for member in self._parent:
                self._members[self.canonical(member)].add(member)
        return sorted(self._members.get(iri, set()) | {iri})

    def drops(self, iri: str) -> bool:
        """Whether a node is gone from every view: not an entity, or its type was rejected."""
        return iri in self.not_entities or iri in self.untyped

    def is_rejected(self, subject: str, predicate: str, obj: str) -> bool:
        return (subject, predicate, obj) in self.rejected

    def correction(self, subject: str, name: str) -> Judgement | None:
        return self.corrections.get((subject, name))

    def __bool__(self) -> bool:
        return bool(self.active)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _term(value: str) -> ox.NamedNode | ox.Literal:
    return ox.NamedNode(value) if value.startswith(("http://", "https://", "urn:")) else ox.Literal(value)


def _check_value(name: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise JudgementError(f"no new value given for {name}")
    if name == "amount":
        try:
            number = Decimal(value.replace(",", "").replace(" ", ""))
        except InvalidOperation as exc:
            raise JudgementError(f"amount {value!r} is not a number") from exc
        if number < 0:
            raise JudgementError("an amount cannot be negative")
        return format(number.normalize(), "f")
    if name in ("currency", "country"):
        code = value.upper()
        if not (code.isalpha() and len(code) in (2, 3)):
            raise JudgementError(f"{name} {value!r} is not an ISO code (e.g. USD, EUR; KZ, CN)")
        return code
    if name in IRI_FIELDS and not value.startswith(("http://", "https://")):
        raise JudgementError(f"{name} must be an entity IRI, not {value!r}")
    return value


def record(
    store: Store,
    action: str,
    subject: str,
    *,
    predicate: str | None = None,
    obj: str | None = None,
    value: str | None = None,
    replaces: str | None = None,
    who: str = "",
    why: str = "",
    articles: Iterable[str] = (),
) -> Judgement:
    """Write one judgement into its own named graph and return it.

    ``articles`` are the article graphs the judgement touches (for gold export); the caller
    knows them from the fact's evidence. Nothing is written when the judgement is malformed."""
    if action not in ACTIONS:
        raise JudgementError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if not subject.startswith(("http://", "https://")):
        raise JudgementError(f"the subject must be an IRI, not {subject!r}")
    if action in ("confirm", "reject") and (not predicate or obj is None):
        raise JudgementError(f"{action} needs a fact: subject, predicate and object")
    if action in ("merge", "keep_apart"):
        if not obj or not obj.startswith(("http://", "https://")) or obj == subject:
            raise JudgementError(f"{action} needs a second, different entity IRI")
    if action == "correct":
        if predicate not in FIELDS:
            raise JudgementError(f"cannot correct {predicate!r}; correctable: {', '.join(FIELDS)}")
        value = _check_value(predicate, value or "")
    if not articles:
        articles = _articles_naming(store, subject, obj if obj and obj.startswith(("http://", "https://")) else None)
    when = _now()
    who = " ".join(who.split())[:200]
    why = " ".join(why.split())[:1000]
    iri = JUDGEMENT + short_hash(action, subject, predicate or "", obj or "", value or "", when.isoformat(), who, length=16)
    agent = (AGENT + slug(who), who, PROV + "Agent") if who else None
    store.replace_graphs({iri: _triples(iri, action, subject, predicate, obj, value, replaces, when, why, agent, articles)})
    return Judgement(iri, action, subject, predicate, obj, value, replaces, who, when, why, agent=agent[0] if agent else None)


def _triples(iri: str, action: str, subject: str, predicate: str | None, obj: str | None, value: str | None,
             replaces: str | None, when: dt.datetime, why: str, agent: tuple[str, str, str] | None,
             articles: Iterable[str]) -> list[ox.Triple]:
    """One judgement's graph: the PROV-O activity, what it judges, and the agent (IRI, name, class)."""
    j = ox.NamedNode(iri)
    triples = [
        ox.Triple(j, ox.NamedNode(RDF + "type"), ox.NamedNode(DG + "Judgement")),
        ox.Triple(j, ox.NamedNode(RDF + "type"), ox.NamedNode(PROV + "Activity")),
        ox.Triple(j, ox.NamedNode(DG + "action"), ox.Literal(action)),
        ox.Triple(j, ox.NamedNode(DG + "judgedSubject"), ox.NamedNode(subject)),
        ox.Triple(j, ox.NamedNode(PROV + "endedAtTime"), ox.Literal(when.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))),
    ]
    if agent:
        node = ox.NamedNode(agent[0])
        triples += [
            ox.Triple(j, ox.NamedNode(PROV + "wasAssociatedWith"), node),
            ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(agent[2])),
            ox.Triple(node, ox.NamedNode(RDFS + "label"), ox.Literal(agent[1])),
        ]
    if why:
        triples.append(ox.Triple(j, ox.NamedNode(RDFS + "comment"), ox.Literal(why)))
    if predicate:
        triples.append(ox.Triple(j, ox.NamedNode(DG + "judgedPredicate"), _term(predicate)))
    if obj is not None:
        triples.append(ox.Triple(j, ox.NamedNode(DG + "judgedObject"), _term(obj)))
    if value is not None:
        triples.append(ox.Triple(j, ox.NamedNode(DG + "newValue"), _term(value)))
    if replaces is not None:
        triples.append(ox.Triple(j, ox.NamedNode(DG + "replaces"), _term(replaces)))
    for article in sorted(set(articles)):
        triples.append(ox.Triple(j, ox.NamedNode(PROV + "used"), ox.NamedNode(article)))
    return triples


def resolver_merge(mention: str, into: str, reason: str, article: str, version: str,
                   when: dt.datetime | None = None) -> tuple[str, list[ox.Triple]]:
    """The resolver's decision that the entity an article names as ``mention`` is ``into``, as a
    machine judgement graph (IRI, triples) for the caller to write with the article.

    The IRI depends only on the pair, so the same decision made again is the same graph; the
    caller never re-makes a decision it finds undone (a keep-apart then stands for it)."""
    iri = JUDGEMENT + "resolver-" + short_hash("merge", into, mention, length=16)
    agent = (RESOLVER, f"dealgraph resolver {version}", PROV + "SoftwareAgent")
    return iri, _triples(iri, "merge", into, None, mention, None, None, when or _now(), reason, agent, [article])


def undo(store: Store, iri: str, who: str = "") -> None:
    """Invalidate a judgement: it stays in the store as history and stops applying."""
    if not iri.startswith(JUDGEMENT):
        raise JudgementError(f"{iri!r} is not a judgement IRI")
    rows = store.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": ox.NamedNode(iri)})
    triples = [ox.Triple(s["s"], s["p"], s["o"]) for s in rows]
    if not triples:
        raise JudgementError(f"no judgement {iri}")
    j = ox.NamedNode(iri)
    when = ox.Literal(_now().isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    triples = [t for t in triples if t.predicate.value != PROV + "invalidatedAtTime"]
    triples.append(ox.Triple(j, ox.NamedNode(PROV + "invalidatedAtTime"), when))
    if who:
        triples.append(ox.Triple(j, ox.NamedNode(DG + "undoneBy"), ox.Literal(" ".join(who.split())[:200])))
    store.replace_graphs({iri: triples})


def split(store: Store, merge: str, who: str = "", why: str = "") -> Judgement:
    """Undo a merge — the resolver's or a person's — and keep the two entities apart from then on
    (`dealgraph unmerge`, the viewer's "Keep apart" on a merge): two judgements edited, nothing
    re-extracted. Returns the keep-apart judgement."""
    found = next((j for j in load(store).judgements if j.iri == merge), None)
    if found is None or found.action != "merge" or not found.object:
        raise JudgementError(f"no merge {merge} in the store (see `dealgraph merges`)")
    if found.undone is None:
        undo(store, merge, who)
    return record(store, "keep_apart", found.subject, obj=found.object, who=who,
                  why=why or f"unmerge of {merge}", articles=articles_of(store, merge))


NAMING = """SELECT DISTINCT ?g WHERE { GRAPH ?g { ?x ?p ?y } FILTER(STRSTARTS(STR(?g), "https://w3id.org/dealgraph/article/")) }"""


def _articles_naming(store: Store, subject: str, other: str | None) -> set[str]:
    """The article graphs in which the judged node (or the second entity) is the subject of a fact."""
    found: set[str] = set()
    for iri in (subject, other):
        if iri:
            found |= {row["g"].value for row in store.query(NAMING, {"x": ox.NamedNode(iri)})}
    return found


def load(store: Store) -> Review:
    """Every judgement in the store (undone ones included, marked), as a :class:`Review`."""
    found: dict[str, dict] = {}
    for row in query.run(store, "judgements"):
        j = found.setdefault(row["j"], {"articles": set()})
        for key in ("action", "subject", "predicate", "object", "value", "replaces", "who", "when", "why", "undone", "agent"):
            if row.get(key) is not None:
                j[key] = row[key]
    judgements = [
        Judgement(
            iri=iri, action=str(j["action"]), subject=str(j["subject"]), predicate=_str(j.get("predicate")),
            object=_str(j.get("object")), value=_str(j.get("value")), replaces=_str(j.get("replaces")),
            who=str(j.get("who") or ""), when=_time(j.get("when")), why=str(j.get("why") or ""), undone=_time(j.get("undone")),
            agent=_str(j.get("agent")),
        )
        for iri, j in found.items() if "action" in j and "subject" in j
    ]
    judgements.sort(key=lambda j: (j.when or dt.datetime.min, j.iri))
    return Review(judgements)


def articles_of(store: Store, iri: str) -> list[str]:
    """The article graphs a judgement names (prov:used)."""
    rows = store.query(f"SELECT ?a WHERE {{ GRAPH ?g {{ ?g <{PROV}used> ?a }} }}", {"g": ox.NamedNode(iri)})
    return sorted(r["a"].value for r in rows)


def _str(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _time(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
