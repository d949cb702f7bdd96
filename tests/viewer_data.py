"""The viewer's test data: articles run through the real ingest pipeline, and their landmarks.

tests/data/viewer/aktobe.jsonl holds three articles written for these tests (kk, ru, en) that
report one Aktobe Region - Suzhou Hunan New Materials framework agreement, the Russian one with
a different amount (about 200M USD instead of over 150M USD); the English one also reports a
planned 30M USD MoU between Kazakh Invest and Liando. The pipeline runs once per test process
(natasha and the taggers load once); :func:`fill` then copies the resulting graphs into any
store, so every viewer test reads exactly what ingest writes.

Landmarks are found by name in that output, never typed in as IRIs, so an extraction change that
keeps the facts keeps the tests.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox

from graph.index import GraphIndex, load_index
from graph.store import Store, iter_rows, open_store

ARTICLES = Path(__file__).resolve().parent / "data" / "viewer" / "aktobe.jsonl"
FOLLOWUP = ARTICLES.with_name("followup.jsonl")
"""A later English report for the review tests: the deputy akim spelled 'Abdikarimuly' (a second
node) and an Aktobe - Liando investment agreement."""
PREFIX = "PREFIX dg: <https://w3id.org/dealgraph/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def ingest_into(store: Store, *paths: Path) -> None:
    """Run the real pipeline (reading, extraction, resolution, triples) into a store."""
    from ingest.pipeline import ingest
    from ingest.read import read_paths

    summary = ingest(store, read_paths([str(p) for p in paths]))
    assert summary.articles and not summary.errors, summary.errors


@cache
def pipeline_graphs(*paths: Path) -> tuple[tuple[str, tuple[ox.Triple, ...]], ...]:
    """The article graphs the pipeline writes for these article files (computed once)."""
    with open_store(":memory:") as store:
        ingest_into(store, *(paths or (ARTICLES,)))
        graphs: dict[str, list[ox.Triple]] = {}
        for quad in ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS):
            graphs.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return tuple((g, tuple(t)) for g, t in sorted(graphs.items()))


def fill(store: Store, *, followup: bool = False) -> Store:
    """The viewer articles as the pipeline writes them (with the follow-up report if asked)."""
    graphs = pipeline_graphs(ARTICLES, FOLLOWUP) if followup else pipeline_graphs(ARTICLES)
    store.replace_graphs({g: list(t) for g, t in graphs})
    return store


def filled_index() -> GraphIndex:
    """The viewer's whole-graph index over the pipeline-made store (the store closed once read)."""
    store = fill(open_store(":memory:"))
    try:
        return load_index(store)
    finally:
        store.close()


@cache
def _scratch() -> Store:
    return fill(open_store(":memory:"))


def entity(kind: str, label: str) -> str:
    """The IRI of the one entity of a class with this label (in any language)."""
    rows = iter_rows(_scratch().query(
        PREFIX + "SELECT DISTINCT ?e ?l WHERE { ?e a ?class ; rdfs:label|<http://www.w3.org/2004/02/skos/core#altLabel> ?l }",
        {"class": ox.NamedNode("https://w3id.org/dealgraph/ontology#" + kind)}))
    found = {row["e"].value for row in rows if row["l"].value == label}
    assert len(found) == 1, f"{kind} {label!r}: {len(found)} matches in the pipeline output"
    return found.pop()


def deal_with(party: str) -> str:
    rows = list(iter_rows(_scratch().query(PREFIX + "SELECT DISTINCT ?a WHERE { ?a a dg:Agreement ; dg:party ?p }",
                                           {"p": ox.NamedNode(party)})))
    assert len(rows) == 1, f"{len(rows)} deals with {party}"
    return rows[0]["a"].value


def count(sparql: str) -> int:
    return int(next(iter_rows(_scratch().query(PREFIX + sparql)))["n"].value)


AKTOBE = entity("Region", "Aktobe Region")
SHANGHAI = entity("City", "Shanghai")
OFFICIAL = entity("Official", "Abzal Abdikarimov")
KAZAKH_INVEST = entity("Organization", "Kazakh Invest")
SUZHOU = entity("Company", "Suzhou Hunan New Materials")
LIANDO = entity("Company", "Liando")
FERRO_DEAL = deal_with(SUZHOU)
PARK_DEAL = deal_with(LIANDO)
ENTITY_COUNT = count(
    "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t . VALUES ?t { dg:Region dg:City dg:Country dg:Place dg:Official "
    "dg:Organization dg:Company dg:Project dg:Agreement dg:Visit dg:Meeting dg:Forum } }")
