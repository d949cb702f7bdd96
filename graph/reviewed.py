"""The reviewed view: the entity layer with every judgement applied, materialised in one named
graph so that plain SPARQL (the endpoint, the console, any client) can see corrected facts;
and the gold records of the articles judgements touch.

Article graphs keep exactly what extraction said (re-ingest replaces them whole); judgements
live in their own graphs; this graph is derived from both and rebuilt after each judgement and
each ingest (graph/labels.py's preferred labels with it). Query it as ``GRAPH <https://w3id.org/dealgraph/graph/reviewed> { … }``: one
node per real entity (merged ones folded, ``owl:sameAs`` to what was folded in), one value per
deal field (the analyst's, else what most sources say), no rejected facts and no non-entities.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from graph import facts, judgements, labels
from graph.index import GraphIndex, load_index
from graph.namespaces import DG, RDF, RDFS, REVIEWED, SKOS, XSD, node_iri
from graph.store import Store, iter_rows

GRAPH = REVIEWED
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def _lit(value: object, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype)) if datatype else ox.Literal(str(value))


def triples(index: GraphIndex, bodiless: list[tuple[str, str, str]] = ()) -> list[ox.Triple]:
    """The reviewed entity layer of an index built with the judgements applied, and the posts
    an article names without the body they are in (official, post, role as the article says)."""
    out: list[ox.Triple] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o))

    review = index.book.review if index.book else judgements.Review()
    for iri, node in index.nodes.items():
        add(iri, RDF + "type", ox.NamedNode(DG + node.type))
        for label in {(lb.text, lb.lang, lb.preferred) for lb in node.labels}:  # merged spellings included
            add(iri, RDFS + "label" if label[2] else SKOS + "altLabel", ox.Literal(label[0], language=label[1] or None))
        if node.country:
            add(iri, DG + "country", _lit(node.country))
        for other in review.merged_into(iri):
            if other != iri:
                add(iri, OWL_SAME_AS, ox.NamedNode(other))
    for edge in index.edges:
        if edge.predicate == "holdsPost":  # the index folds the post node into the edge; unfold it
            post = node_iri("reviewed-post", edge.source, edge.role or "", edge.target)
            add(edge.source, DG + "holdsPost", ox.NamedNode(post))
            add(post, RDF + "type", ox.NamedNode(DG + "Post"))
            add(post, DG + "role", _lit(edge.role or "official"))
            add(post, DG + "postIn", ox.NamedNode(edge.target))
        else:
            add(edge.source, DG + edge.predicate, ox.NamedNode(edge.target))
    for official, stated, role in bodiless:  # the index folds a post into an edge to its body; these have none
        person = review.canonical(official)
        if person in index.nodes and not review.is_rejected(official, DG + "holdsPost", stated):
            post = node_iri("reviewed-post", person, role, "")
            add(person, DG + "holdsPost", ox.NamedNode(post))
            add(post, RDF + "type", ox.NamedNode(DG + "Post"))
            add(post, DG + "role", _lit(role))
    for iri, deal in index.deals.items():
        for name, prop, datatype in (("kind", "agreementType", None), ("status", "status", None),
                                     ("sector", "sector", None), ("signed", "signingDate", "date")):
            value = deal.consensus(name)
            if value is not None:
                add(iri, DG + prop, _lit(value.isoformat() if datatype else value, datatype))
        if deal.aggregate:
            add(iri, DG + "aggregate", _lit("true", "boolean"))
        amount = deal.amount
        if amount is not None:
            money = node_iri("reviewed-amount", iri)
            add(iri, DG + "amount", ox.NamedNode(money))
            add(money, RDF + "type", ox.NamedNode(DG + "MonetaryAmount"))
            add(money, DG + "value", _lit(format(amount.value, "f"), "decimal"))
            add(money, DG + "currency", _lit(amount.currency or ""))
            add(money, DG + "qualifier", _lit(amount.qualifier or "exact"))
    return out


def refresh(store: Store) -> int:
    """Rebuild what derives from the articles and the judgements — the preferred labels of
    canonical entities (graph/labels.py) and the reviewed graph — after every ingest, delete and
    judgement; returns the reviewed graph's size. The resolver's merges are judgements too, so
    every store has a reviewed graph, and the named queries read it."""
    review = judgements.load(store)
    labels.refresh(store, review)
    bodiless = [(r["s"].value, r["post"].value, r["role"].value) for r in iter_rows(store.query(BODILESS_POSTS))]
    built = triples(load_index(store, review), bodiless)
    store.replace_graphs({GRAPH: built})
    return len(built)


BODILESS_POSTS = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
SELECT DISTINCT ?s ?post ?role WHERE { GRAPH ?g { ?s dg:holdsPost ?post . ?post dg:role ?role
  FILTER NOT EXISTS { ?post dg:postIn ?body } } FILTER(STRSTARTS(STR(?g), "https://w3id.org/dealgraph/article/")) }"""
ARTICLE_AGREEMENTS = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a a dg:Agreement } } ORDER BY ?a"""
ARTICLE_ENTITIES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?name WHERE { GRAPH ?g { ?e rdfs:label ?name } }"""
TOUCHED = """PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?j ?a WHERE { GRAPH ?j { ?j prov:used ?a } }"""


def gold(store: Store) -> list[dict[str, Any]]:
    """Each article a person's active judgement touches, in the gold shape, with the judgements applied:
    rejected parties and non-entities removed, two spellings of one entity in one article listed
    once (the other as an alias), corrected amounts, kinds, statuses and countries."""
    review = judgements.load(store)
    active = {j.iri for j in review.active if not j.machine}  # the resolver's merges review nothing
    touched = sorted({r["a"].value for r in iter_rows(store.query(TOUCHED)) if r["j"].value in active})
    return [_reviewed_record(store, graph, review) for graph in touched]


def _reviewed_record(store: Store, graph: str, review: judgements.Review) -> dict[str, Any]:
    record = facts.article_facts(store, graph)
    bind = {"g": ox.NamedNode(graph)}
    names = {r["e"].value: r["name"].value for r in iter_rows(store.query(ARTICLE_ENTITIES, bind))}
    dropped = {names[i] for i in names if review.drops(i) or review.drops(review.canonical(i))}
    # a merged entity named twice in this article: the folded spelling becomes an alias
    renamed: dict[str, str] = {}
    for iri, name in names.items():
        keep = review.canonical(iri)
        if keep != iri and keep in names and names[keep] != name:
            renamed[name] = names[keep]
    for key in ("regions", "places", "officials", "organizations", "companies"):
        kept = []
        for entry in record[key]:
            if entry["name"] in dropped:
                continue
            if entry["name"] in renamed:
                target = next((e for e in record[key] if e["name"] == renamed[entry["name"]]), None)
                if target is not None:
                    target.setdefault("aliases", []).append(entry["name"])
                    continue
            kept.append(entry)
        record[key] = kept
    for iri, name in names.items():
        fix = review.correction(review.canonical(iri), "country")
        if fix is not None:
            for key in ("regions", "companies"):
                for entry in record[key]:
                    if entry["name"] == name:
                        entry["country"] = fix.value
    deals = [r["a"].value for r in iter_rows(store.query(ARTICLE_AGREEMENTS, bind))]
    kept_agreements = []
    for iri, agreement in zip(deals, record["agreements"]):
        if review.drops(iri):
            continue
        by_name = {v: k for k, v in names.items()}
        parties = []
        for party in agreement["parties"]:
            party_iri = by_name.get(party, "")
            if party in dropped or review.is_rejected(iri, DG + "party", party_iri):
                continue
            parties.append(renamed.get(party, party))
        agreement["parties"] = list(dict.fromkeys(parties))
        for name, key in (("amount", "amount"), ("currency", "currency"), ("qualifier", "amount_qualifier"),
                          ("kind", "type"), ("status", "status")):
            fix = review.correction(iri, name)
            if fix is not None:
                agreement[key] = _number(fix.value) if name == "amount" else fix.value
        fix = review.correction(iri, "party")
        if fix is not None and fix.value in names:
            agreement["parties"] = [p for p in agreement["parties"] if p != names.get(fix.replaces or "")] + [names[fix.value]]
        kept_agreements.append(agreement)
    record["agreements"] = kept_agreements
    for event in record["events"]:
        for key in ("participants", "met"):
            event[key] = [renamed.get(n, n) for n in event[key] if n not in dropped]
        for key in ("led_by", "from", "location"):
            if event[key] in dropped:
                event[key] = None
            elif event[key] in renamed:
                event[key] = renamed[event[key]]
    return record


def _number(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral() else float(value)
