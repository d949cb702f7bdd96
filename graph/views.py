"""One picture read from the store on demand, bounded by the node cap: the viewer at scale.

:func:`graph.index.load_index` reads every node, label and edge before the first picture (3 s
and growing linearly with the corpus). A view needs only the nodes it draws: this module walks
the graph in the store itself, hop by hop, a frontier of at most ``cap`` nodes bound as VALUES,
then reads types, labels and deals for exactly the nodes drawn, and hands
:func:`graph.viz.render` a small :class:`GraphIndex` of them. Judgements apply as everywhere
(merged nodes folded, rejected facts and non-entities left out).
"""

from __future__ import annotations

from collections.abc import Iterable
from string import Template

import pyoxigraph as ox

from graph import deals, judgements, query
from graph.explore import Subgraph, subgraph
from graph.index import NODE_TYPES, Edge, GraphIndex, Label, Node, canonical_label, local
from graph.judgements import Review
from graph.namespaces import DG, sparql_prefixes
from graph.store import Store, iter_rows

ARTICLES = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/dealgraph/article/"))'
LINKS = "dg:party, dg:project, dg:locationRegion, dg:ledBy, dg:fromPlace, dg:location, dg:participant, dg:met"
HUBS = sparql_prefixes() + """SELECT ?e (COUNT(*) AS ?links) WHERE {
  ?s ?p ?e . FILTER(?p IN ($links) && isIRI(?e)) } GROUP BY ?e ORDER BY DESC(?links) ?e LIMIT $limit"""
# The bound nodes come first, outside the GRAPH pattern, and the properties are a FILTER: with a
# second VALUES block (on ?p) or the first one inside GRAPH, pyoxigraph 0.5 scanned the whole
# store (3.7 s against 0.02 s for 300 agreements at 10k deals).
OUTGOING = sparql_prefixes() + """SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?s { $nodes } GRAPH ?g { ?s ?p ?o } FILTER(?p IN ($links) && isIRI(?o)) $articles } $limit"""
INCOMING = sparql_prefixes() + """SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES ?o { $nodes } GRAPH ?g { ?s ?p ?o } FILTER(?p IN ($links)) $articles } $limit"""
POSTS_OUT = sparql_prefixes() + """SELECT ?s ?o (SAMPLE(?r) AS ?role) (COUNT(DISTINCT ?g) AS ?sources) WHERE {
  VALUES ?s { $nodes } GRAPH ?g { ?s dg:holdsPost ?post . ?post dg:postIn ?o . OPTIONAL { ?post dg:role ?r } } $articles
} GROUP BY ?s ?o"""
POSTS_IN = sparql_prefixes() + """SELECT ?s ?o (SAMPLE(?r) AS ?role) (COUNT(DISTINCT ?g) AS ?sources) WHERE {
  VALUES ?o { $nodes } GRAPH ?g { ?post dg:postIn ?o . ?s dg:holdsPost ?post . OPTIONAL { ?post dg:role ?r } } $articles
} GROUP BY ?s ?o"""
EDGES = sparql_prefixes() + """SELECT ?s ?p ?o (COUNT(DISTINCT ?g) AS ?sources) WHERE {
  VALUES ?s { $nodes } GRAPH ?g { ?s ?p ?o } FILTER(?p IN ($links) && isIRI(?o)) $articles } GROUP BY ?s ?p ?o"""
NODES = sparql_prefixes() + """SELECT ?e ?type (COUNT(DISTINCT ?g) AS ?sources) WHERE {
  VALUES ?e { $nodes } GRAPH ?g { ?e a ?type } $articles } GROUP BY ?e ?type"""
LABELS = sparql_prefixes() + """SELECT ?e ?label ?preferred (COUNT(DISTINCT ?g) AS ?sources) WHERE {
  VALUES ?e { $nodes }
  GRAPH ?g { { ?e rdfs:label ?label BIND(true AS ?preferred) } UNION { ?e skos:altLabel ?label BIND(false AS ?preferred) } }
  $articles } GROUP BY ?e ?label ?preferred"""
ATTRIBUTES = sparql_prefixes() + """SELECT DISTINCT ?e ?p ?v WHERE {
  VALUES ?e { $nodes } VALUES ?p { dg:country dg:orgKind dg:placeKind dg:date } ?e ?p ?v }"""


def _text(template: str, **parts: str) -> str:
    return Template(template).substitute(links=LINKS, articles=ARTICLES, **parts)


_ATTRIBUTES = {"country": "country", "orgKind": "org_kind", "placeKind": "place_kind", "date": "date"}
HUB_SEEDS = 20
DEAL_LINKS = frozenset({"party", "locationRegion", "project"})


def _values(iris: Iterable[str]) -> str:
    """IRIs from the store itself, serialised by pyoxigraph (escaped), for a VALUES block."""
    return " ".join(str(ox.NamedNode(iri)) for iri in iris)


def view(store: Store, *, focus: str | None = None, depth: int = 2, cap: int = 500,
         review: Review | None = None) -> tuple[GraphIndex, Subgraph]:
    """The nodes to draw around ``focus`` (or, without one, around the best-connected
    entities), read from the store, as a small index and the subgraph to render."""
    review = review if review is not None else judgements.load(store)
    if focus is not None:
        seeds, hops = [review.canonical(focus)], depth
    else:
        rows = iter_rows(store.query(_text(HUBS, limit=str(HUB_SEEDS))))
        seeds, hops = [review.canonical(r["e"].value) for r in rows], depth
    chosen: dict[str, None] = dict.fromkeys(s for s in seeds if not review.drops(s))
    frontier = list(chosen)
    for _ in range(hops):
        if not frontier or len(chosen) >= cap:
            break
        found: list[str] = []
        room = cap - len(chosen)
        for row in _links(store, [m for iri in frontier for m in review.merged_into(iri)], limit=4 * room + 50):
            s, o, p = review.canonical(row["s"]), review.canonical(row["o"]), row["p"]
            if s == o or review.drops(s) or review.drops(o) or review.is_rejected(row["s"], DG + p, row["o"]):
                continue
            for end in (s, o):
                if end not in chosen and end not in found:
                    found.append(end)
        frontier = found[:room]
        chosen.update(dict.fromkeys(frontier))
    index = _small_index(store, list(chosen), review)
    picture = subgraph(index, focus=review.canonical(focus) if focus else None, depth=max(1, hops), cap=cap)
    return index, picture


def _links(store: Store, nodes: list[str], *, incoming: bool = True, limit: int | None = None) -> list[dict]:
    """Entity-to-entity links of the given nodes (and, with ``incoming``, links to them), as
    {s, p (local name), o, role, sources}; a post is folded into one holdsPost link. ``limit``
    caps the rows of each direction, so a walk through a hub with thousands of deals stops
    reading once it has found enough nodes to fill the cap."""
    block = _values(nodes)
    rows: list[dict] = []
    for template in (OUTGOING, INCOMING) if incoming else (EDGES,):
        text = _text(template, nodes=block, limit=f"LIMIT {limit}" if limit else "") if template is not EDGES \
            else _text(template, nodes=block)
        for r in iter_rows(store.query(text)):
            rows.append({"s": r["s"].value, "p": local(r["p"].value), "o": r["o"].value, "role": None,
                         "sources": int(r["sources"].value) if r.get("sources") is not None else 1})
    for template in (POSTS_OUT, POSTS_IN) if incoming else (POSTS_OUT,):
        for r in iter_rows(store.query(_text(template, nodes=block))):
            rows.append({"s": r["s"].value, "p": "holdsPost", "o": r["o"].value,
                         "role": r["role"].value if r["role"] else None, "sources": int(r["sources"].value)})
    return rows


def _small_index(store: Store, iris: list[str], review: Review) -> GraphIndex:
    nodes: dict[str, Node] = {}
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    wanted = [m for iri in iris for m in review.merged_into(iri)]
    if not wanted:
        return GraphIndex(nodes={}, edges=[], deals={})
    block = _values(wanted)
    for row in iter_rows(store.query(_text(NODES, nodes=block))):
        iri, kind = review.canonical(row["e"].value), local(row["type"].value)
        if kind not in rank:
            continue
        known = nodes.get(iri)
        if known is None:
            nodes[iri] = Node(iri, kind, int(row["sources"].value))
        elif rank[kind] < rank[known.type]:
            known.type = kind
    for row in iter_rows(store.query(_text(LABELS, nodes=block))):
        node = nodes.get(review.canonical(row["e"].value))
        if node is not None:
            label = row["label"]
            node.labels.append(Label(label.value, label.language or "", row["preferred"].value == "true", int(row["sources"].value)))
    for row in iter_rows(store.query(_text(ATTRIBUTES, nodes=block))):
        node = nodes.get(review.canonical(row["e"].value))
        name = _ATTRIBUTES[local(row["p"].value)]
        if node is not None and getattr(node, name) is None:
            setattr(node, name, query.python_value(row["v"]))
    agreements = [iri for iri, node in nodes.items() if node.type == "Agreement"]
    infos = {iri: deals.EntityInfo(iri, n.type, canonical_label(n), n.country) for iri, n in nodes.items()
             if n.type in deals.ENTITY_TYPES}  # the drawn entities; a party outside the view goes unnamed
    book = deals.load(store, review, only=agreements, entities=infos)
    edges: dict[tuple[str, str, str], Edge] = {}
    for row in _links(store, wanted, incoming=False):
        s, o, p = review.canonical(row["s"]), review.canonical(row["o"]), row["p"]
        if s not in nodes or o not in nodes or s == o or (s in book.deals and p in DEAL_LINKS):
            continue
        if review.is_rejected(row["s"], DG + p, row["o"]):
            continue
        edges[s, p, o] = Edge(s, o, p, row["role"], row["sources"])
    for deal in book.deals.values():  # deal links from the deal model, corrections applied
        for p, targets in (("party", deal.parties), ("locationRegion", deal.regions), ("project", deal.projects)):
            for target in targets:
                if target in nodes:
                    edges[deal.iri, p, target] = Edge(deal.iri, target, p, None, deal.sources)
    return GraphIndex(nodes=nodes, edges=sorted(edges.values(), key=lambda e: (e.source, e.predicate, e.target)),
                      deals=book.deals, book=book)
