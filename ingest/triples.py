"""Facts of one article -> the triples of its named graph, each fact with its evidence.

The one place that mints IRIs and stamps provenance, so every language's extractor produces
the same shape. Every fact triple gets a dg:Statement (standard RDF reification) naming the
sentence and the surface text; the extractor is named once, on the article. No confidence is
written: the rules give none, and a constant per kind carried no information
(bench/provenance.py measured the shapes; see bench/README.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from pyoxigraph import Literal, NamedNode, Triple

from graph.namespaces import DCT, DG, RDF, RDFS, SKOS, XSD, article_iri, entity_iri, node_iri
from ingest.article import Article
from ingest.facts import Agreement, Evidence, Extraction, Visit
from ingest.lexicon import gazetteer_entry
from ingest.sentences import Sentence

CLASSES = {
    "region": "Region", "place": "Place", "city": "City", "country": "Country", "official": "Official",
    "organization": "Organization", "company": "Company", "project": "Project",
}
EVENT_CLASSES = {"visit": "Visit", "meeting": "Meeting", "forum": "Forum"}
RDF_TYPE, RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = (NamedNode(RDF + term)
                                                    for term in ("type", "subject", "predicate", "object"))


@cache
def dg(term: str) -> NamedNode:
    return NamedNode(DG + term)


def lit(value: object, datatype: str | None = None, lang: str | None = None) -> Literal:
    if lang:
        return Literal(str(value), language=lang)
    return Literal(str(value), datatype=NamedNode(XSD + datatype)) if datatype else Literal(str(value))


class GraphWriter:
    """Accumulates one article graph's triples; statements reference sentence nodes."""

    def __init__(self, article: Article, sentences: list[Sentence], extractor: str) -> None:
        self.article = article
        self.hash = article.identity
        self.graph = article_iri(self.hash)
        self.sentences = sentences
        self.extractor = extractor
        self.triples: list[Triple] = []
        self._sentences: dict[int, NamedNode] = {}  # each statement names its sentence: hash it once

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.triples.append(Triple(s, p, o))

    def sentence(self, index: int) -> NamedNode:
        if index not in self._sentences:
            self._sentences[index] = NamedNode(node_iri("sentence", self.hash, str(index)))
        return self._sentences[index]

    def fact(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal, ev: Evidence) -> None:
        """The triple itself plus its reified statement with evidence."""
        self.add(s, p, o)
        st = NamedNode(node_iri("statement", self.hash, s.value, p.value, str(o)))
        self.add(st, RDF_TYPE, dg("Statement"))
        self.add(st, RDF_SUBJECT, s)
        self.add(st, RDF_PREDICATE, p)
        self.add(st, RDF_OBJECT, o)
        self.add(st, dg("evidence"), self.sentence(ev.sentence))
        self.add(st, dg("mention"), lit(ev.text))


def _part_of(w: GraphWriter, node: NamedNode, region: str) -> None:
    """A district lies in its region (the gazetteer says which, not the text): ``dg:partOf`` the
    region's node, which gets its key and gazetteer names but no class, so the article does not
    claim to name a region it does not (the labels graph still names it; the map and region
    queries reach the region through this link)."""
    parent = NamedNode(entity_iri("region", region))
    w.add(node, dg("partOf"), parent)
    w.add(parent, dg("matchKey"), lit(region))
    entry = gazetteer_entry(region)
    for lang, name in (entry.names.items() if entry else ()):
        w.add(parent, NamedNode(SKOS + "altLabel"), lit(name, lang=lang))


def entity_node(ref: str, x: Extraction) -> NamedNode:
    entity = x.entities[ref]
    return NamedNode(entity_iri(entity.kind, entity.key))


def build(article: Article, sentences: list[Sentence], x: Extraction,
          canonical: Callable[[str], str] = str) -> tuple[str, list[Triple]]:
    """The article's graph. Entities keep their mentions' own IRIs; ``canonical`` (the resolver's
    merges, ingest/resolve.Index.canonical) only decides which deals and visits are one."""
    w = GraphWriter(article, sentences, x.extractor)
    a = NamedNode(w.graph)
    rdf_type = NamedNode(RDF + "type")
    w.add(a, rdf_type, dg("Article"))
    w.add(a, NamedNode(DCT + "title"), lit(article.title))
    if article.published:
        w.add(a, NamedNode(DCT + "date"), lit(article.published, "date"))
    if article.author:
        w.add(a, NamedNode(DCT + "creator"), lit(article.author))
    w.add(a, NamedNode(DCT + "language"), lit(x.lang))
    w.add(a, dg("source"), lit(article.url or article.source))
    w.add(a, dg("contentHash"), lit(article.content_hash))
    w.add(a, dg("extractor"), lit(x.extractor))
    w.add(a, dg("text"), lit(article.text))
    for s in sentences:
        node = w.sentence(s.index)
        w.add(node, rdf_type, dg("Sentence"))
        w.add(node, dg("text"), lit(s.text))
        w.add(node, dg("start"), lit(s.start, "integer"))
        w.add(node, dg("end"), lit(s.end, "integer"))
        w.add(node, dg("inArticle"), a)

    for ref, entity in x.entities.items():
        node = entity_node(ref, x)
        w.fact(node, rdf_type, dg(CLASSES[entity.kind]), entity.evidence[0])
        w.add(node, NamedNode(RDFS + "label"), lit(entity.name, lang=x.lang))
        for alias in entity.aliases:
            w.add(node, NamedNode(SKOS + "altLabel"), lit(alias, lang=x.lang))
        for lang, names in entity.labels.items():
            for name in names:
                if name != entity.name:
                    w.add(node, NamedNode(SKOS + "altLabel"), lit(name, lang=lang))
        w.add(node, dg("matchKey"), lit(entity.key))
        if entity.kind in ("city", "country", "place") or entity.subkind == "district":
            w.add(node, dg("placeKind"), lit(entity.subkind if entity.kind in ("place", "region") else entity.kind))
        if entity.part_of:
            _part_of(w, node, entity.part_of)
        if entity.kind == "organization" and entity.subkind:
            w.add(node, dg("orgKind"), lit(entity.subkind))
        if entity.country and entity.kind in ("region", "company", "city"):
            if entity.country_evidence is not None:  # a company's nationality, as the text states it
                w.fact(node, dg("country"), lit(entity.country), entity.country_evidence)
            else:
                w.add(node, dg("country"), lit(entity.country))

    for post in x.posts:
        person = entity_node(post.official, x)
        node = NamedNode(node_iri("post", person.value, post.role, post.of or ""))
        w.fact(person, dg("holdsPost"), node, post.evidence)
        w.add(node, rdf_type, dg("Post"))
        w.add(node, dg("role"), lit(post.role))
        w.add(node, dg("roleText"), lit(post.role_text))
        if post.of:
            w.fact(node, dg("postIn"), entity_node(post.of, x), post.evidence)

    for index, visit in enumerate(x.visits):
        node = NamedNode(event_iri(visit, x, index, w.hash, canonical))
        ev = visit.evidence[0]
        w.add(node, rdf_type, dg(EVENT_CLASSES[visit.type]))
        for prop, ref in (("ledBy", visit.led_by), ("fromPlace", visit.from_place), ("location", visit.location)):
            if ref:
                w.fact(node, dg(prop), entity_node(ref, x), _evidence_for(ref, x, ev))
        for prop, group in (("participant", visit.participants), ("met", visit.met)):
            for ref in group:
                w.fact(node, dg(prop), entity_node(ref, x), _evidence_for(ref, x, ev))
        if visit.date:
            w.fact(node, dg("date"), lit(visit.date.isoformat(), "date"), ev)

    for agreement in x.agreements:
        node = NamedNode(agreement_iri(agreement, x, w.hash, canonical))
        ev = agreement.evidence
        w.fact(node, rdf_type, dg("Agreement"), ev)
        w.fact(node, dg("agreementType"), lit(agreement.type), ev)
        w.fact(node, dg("status"), lit(agreement.status), ev)
        for ref in agreement.parties:
            w.fact(node, dg("party"), entity_node(ref, x), agreement.evidence_of(f"party:{ref}"))
        if agreement.location_region:
            w.fact(node, dg("locationRegion"), entity_node(agreement.location_region, x),
                   agreement.evidence_of("location_region"))
        if agreement.project:
            w.fact(node, dg("project"), entity_node(agreement.project, x), agreement.evidence_of("project"))
        if agreement.sector:
            w.fact(node, dg("sector"), lit(agreement.sector), agreement.evidence_of("sector"))
        if agreement.date:
            w.fact(node, dg("signingDate"), lit(agreement.date.isoformat(), "date"), agreement.evidence_of("date"))
        if agreement.aggregate:
            w.fact(node, dg("aggregate"), lit("true", "boolean"), agreement.evidence_of("amount"))
        if agreement.amount:
            amount = NamedNode(node_iri("amount", node.value, w.hash))
            w.fact(node, dg("amount"), amount, agreement.evidence_of("amount"))
            w.add(amount, rdf_type, dg("MonetaryAmount"))
            w.add(amount, dg("value"), lit(agreement.amount.value, "decimal"))
            w.add(amount, dg("currency"), lit(agreement.amount.currency))
            w.add(amount, dg("qualifier"), lit(agreement.amount.qualifier))
            w.add(amount, dg("rawText"), lit(agreement.amount.raw))
    return w.graph, list(dict.fromkeys(w.triples))


def _evidence_for(ref: str, x: Extraction, fallback: Evidence) -> Evidence:
    """A role in a visit is evidenced by where the entity was named, if that was in the visit."""
    entity = x.entities.get(ref)
    return entity.evidence[0] if entity and entity.evidence else fallback


def event_iri(visit: Visit, x: Extraction, index: int, article_hash: str, canonical: Callable[[str], str] = str) -> str:
    """One visit, one node: keyed by its type, place and day (or its leader when no day is
    stated), so several articles about the same trip or meeting meet on one IRI. An event with no
    place, or with neither day nor leader, stays the article's own."""
    if visit.location and (visit.date or visit.led_by):
        second = visit.date.isoformat() if visit.date else canonical(entity_node(visit.led_by, x).value)
        return node_iri("visit", visit.type, canonical(entity_node(visit.location, x).value), second)
    return node_iri("visit", article_hash, str(index))


def agreement_iri(agreement: Agreement, x: Extraction, article_hash: str, canonical: Callable[[str], str] = str) -> str:
    """One real deal, one node, with an IRI that only this deal's own parties decide.

    A deal with two or more parties is keyed by its parties' IRIs as the resolver resolved them
    (``canonical``: its merges are judgements that stay in the store, so re-ingesting an article
    resolves the same way) — not by their position, the article, or an analyst's judgements.
    Reports of one deal from several articles, in any language, meet on one IRI even when they
    disagree on its type or amount. An article that reports several documents between the same
    parties (a memorandum, then a loan agreement) keeps them apart: the first in the text keeps
    the plain IRI, a later one adds its type, then its amount. A deal with fewer than two
    parties, or an article's total over several deals, is the article's own, keyed by its
    content (type, parties, amount), never by its position.

    So the IRI changes only when this deal's own party set changes at extraction, when the
    resolver's merge of one of its parties is undone and the article re-ingested, or when an
    earlier document of the same article comes to have exactly the same parties; a fix that adds
    or removes a party of another deal, here or in another article, leaves it alone."""
    parties = _parties(agreement, x, canonical)
    own = _own(agreement, x, canonical)
    if own is not None:
        equal = [a for a in x.agreements if _own(a, x, canonical) == own]
        return node_iri("agreement", article_hash, *own, str(_position(agreement, equal)))
    twins = [a for a in x.agreements if _own(a, x, canonical) is None and _parties(a, x, canonical) == parties]
    earlier = twins[:_position(agreement, twins)]
    if not earlier:
        return node_iri("agreement", *parties)
    if all(a.type != agreement.type for a in earlier):
        return node_iri("agreement", *parties, agreement.type)
    same = [a for a in earlier if a.type == agreement.type and _money(a) == _money(agreement)]
    return node_iri("agreement", *parties, agreement.type, _money(agreement), *([str(len(same))] if same else []))


def _parties(agreement: Agreement, x: Extraction, canonical: Callable[[str], str]) -> list[str]:
    return sorted({canonical(entity_node(ref, x).value) for ref in agreement.parties})


def _money(agreement: Agreement) -> str:
    return f"{agreement.amount.value}{agreement.amount.currency}" if agreement.amount else ""


def _own(agreement: Agreement, x: Extraction, canonical: Callable[[str], str]) -> tuple[str, ...] | None:
    """What keys a deal that is the article's own (fewer than two parties, or a total), else None."""
    parties = _parties(agreement, x, canonical)
    if len(parties) >= 2 and not agreement.aggregate:
        return None
    return (agreement.type or "", *parties, _money(agreement), "aggregate" if agreement.aggregate else "")


def _position(agreement: Agreement, among: list[Agreement]) -> int:
    return next(i for i, a in enumerate(among) if a is agreement)
