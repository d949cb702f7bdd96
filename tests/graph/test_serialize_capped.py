"""serialize_capped counts rows through a line format: every term must survive that trip."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.serialize import TooManyRows, serialize_capped, serialize_result

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
OBJECTS = [
    ox.Literal("line one\nline two\r\n\ttabbed"),
    ox.Literal("Ақтөбе облысы", language="kk"),
    ox.Literal("Актюбинская область", language="ru"),
    ox.Literal("150000000", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal('quote " and \\ backslash'),
    ox.BlankNode("b1"),
    ox.NamedNode(EX + "o"),
]
SELECT = "SELECT ?s ?o ?missing WHERE { ?s ?p ?o } ORDER BY STR(?o)"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
RESULT_MEDIA = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
RDF_MEDIA = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]


@pytest.fixture
def store() -> ox.Store:
    store = ox.Store()
    for number, obj in enumerate(OBJECTS):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{number}"), ox.NamedNode(EX + "p"), obj, ox.NamedNode(EX + "g")))
    return store


def run(store: ox.Store, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    return store.query(query, use_default_graph_as_union=True)


@pytest.mark.parametrize("media", RESULT_MEDIA)
def test_solutions_match_the_uncapped_serialisation(store: ox.Store, media: str) -> None:
    capped = serialize_capped(run(store, SELECT), media, max_rows=len(OBJECTS))
    assert capped == serialize_result(run(store, SELECT), media)


@pytest.mark.parametrize("media", RDF_MEDIA)
def test_triples_survive(store: ox.Store, media: str) -> None:
    data = serialize_capped(run(store, CONSTRUCT), media, max_rows=len(OBJECTS))
    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None
    back = ox.Dataset(ox.parse(data, format=fmt))
    assert len(back) == len(OBJECTS)
    literals = {q.object for q in back if isinstance(q.object, ox.Literal)}
    assert literals == {o for o in OBJECTS if isinstance(o, ox.Literal)}
    assert sum(isinstance(q.object, ox.BlankNode) for q in back) == 1


@pytest.mark.parametrize(("query", "unit"), [(SELECT, "rows"), (CONSTRUCT, "triples")])
def test_one_row_too_many_is_refused(store: ox.Store, query: str, unit: str) -> None:
    with pytest.raises(TooManyRows, match=f"more than {len(OBJECTS) - 1} {unit}"):
        serialize_capped(run(store, query), "application/sparql-results+json" if unit == "rows" else "text/turtle", len(OBJECTS) - 1)


def test_empty_and_boolean_results(store: ox.Store) -> None:
    empty = serialize_capped(run(store, "SELECT ?s WHERE { ?s <urn:none> ?o }"), "application/sparql-results+json", 0)
    assert list(ox.parse_query_results(empty, format=ox.QueryResultsFormat.JSON)) == []
    assert serialize_capped(run(store, "ASK { ?s ?p ?o }"), "application/sparql-results+json", 0) == (
        serialize_result(run(store, "ASK { ?s ?p ?o }"), "application/sparql-results+json")
    )


def test_the_chunk_hook_can_abort(store: ox.Store) -> None:
    class Stop(Exception):
        pass

    def stop() -> None:
        raise Stop

    with pytest.raises(Stop):
        serialize_capped(run(store, SELECT), "text/csv", 100, on_chunk=stop)
