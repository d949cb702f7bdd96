"""One contract, every backend: the embedded, in-memory and remote stores must behave alike."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from graph.namespaces import DG, RDFS, REVIEWED
from graph.serialize import rdf_format
from graph.store import QueryError, Store, StoreError, iter_rows

G1 = "https://w3id.org/dealgraph/article/0000000000000001"
G2 = "https://w3id.org/dealgraph/article/0000000000000002"
LABEL = ox.NamedNode(RDFS + "label")
HOSTILE = [
    "\"quote'",
    "} ; DROP ALL ; {",
    "{ } }} {{",
    "line one\nline two\r\n",
    "back\\slash \\\" \"\"\" '''",
    "> <urn:x> . GRAPH <urn:y> {",
]


def node(name: str) -> ox.NamedNode:
    return ox.NamedNode(f"https://w3id.org/dealgraph/id/test/{name}")


def labelled(*pairs: tuple[str, ox.Literal]) -> list[ox.Triple]:
    return [ox.Triple(node(name), LABEL, label) for name, label in pairs]


def deal(prefix: str) -> list[ox.Triple]:
    agreement, amount = node(f"{prefix}-agreement"), node(f"{prefix}-amount")
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    return [
        ox.Triple(agreement, ox.NamedNode(DG + "party"), node("aktobe")),
        ox.Triple(agreement, ox.NamedNode(DG + "party"), node("suzhou")),
        ox.Triple(agreement, ox.NamedNode(DG + "amount"), amount),
        ox.Triple(amount, ox.NamedNode(DG + "value"), ox.Literal("150000000", datatype=decimal)),
        ox.Triple(amount, ox.NamedNode(DG + "currency"), ox.Literal("USD")),
        ox.Triple(amount, ox.NamedNode(DG + "qualifier"), ox.Literal("over")),
    ]


def triples_in(store: Store, graph: str) -> set[tuple[str, str, str]]:
    rows = store.query(
        "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": ox.NamedNode(graph)}
    )
    return {(str(r["s"]), str(r["p"]), str(r["o"])) for r in iter_rows(rows)}


def as_set(triples: list[ox.Triple]) -> set[tuple[str, str, str]]:
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in triples}


def test_replace_then_query_the_union_of_graphs(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a"), G2: deal("b")})
    rows = list(
        iter_rows(any_store.query(f"SELECT ?a WHERE {{ ?a <{DG}party> <{node('suzhou').value}> }}"))
    )
    assert {r["a"] for r in rows} == {node("a-agreement"), node("b-agreement")}


def test_query_result_kinds(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a")})
    assert bool(any_store.query("ASK { ?s ?p ?o }")) is True
    assert isinstance(any_store.query("ASK { ?s ?p ?o }"), ox.QueryBoolean)
    constructed = any_store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(constructed, ox.QueryTriples)
    assert as_set(list(constructed)) == as_set(deal("a"))


def test_replacing_again_leaves_exactly_the_new_content(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a"), G2: deal("b")})
    any_store.replace_graphs({G1: deal("a")})
    new = deal("c")
    any_store.replace_graphs({G1: new})
    assert triples_in(any_store, G1) == as_set(new)
    assert triples_in(any_store, G2) == as_set(deal("b"))
    assert any_store.count() == len(new) + len(deal("b"))


def test_a_failed_replace_leaves_the_previous_content(any_store: Store) -> None:
    """The second graph name is not an IRI, so the one update string is invalid as a whole;
    G1 comes first, so a backend that ran it piecewise would have emptied G1 already."""
    old = deal("a")
    any_store.replace_graphs({G1: old})
    with pytest.raises(StoreError) as info:
        any_store.replace_graphs({G1: deal("c"), "urn:not an iri>": deal("d")})
    assert "\n" not in str(info.value)
    assert triples_in(any_store, G1) == as_set(old)
    assert any_store.count() == len(old)


def test_dropping_a_graph(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a"), G2: deal("b")})
    any_store.drop_graph(G1)
    assert any_store.named_graphs() == [G2]
    assert any_store.count() == len(deal("b"))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_bindings_are_values(any_store: Store, hostile: str) -> None:
    stored = labelled(("evil", ox.Literal(hostile)), ("plain", ox.Literal("plain")))
    any_store.replace_graphs({G1: stored})
    before = any_store.count()
    query = f"SELECT ?s WHERE {{ ?s <{LABEL.value}> ?label }}"
    rows = list(iter_rows(any_store.query(query, {"label": hostile})))
    assert [r["s"] for r in rows] == [node("evil")]
    assert list(iter_rows(any_store.query(query, {"label": hostile + " "}))) == []
    assert any_store.count() == before
    assert triples_in(any_store, G1) == as_set(stored)


def test_malformed_sparql_is_a_one_line_query_error(any_store: Store) -> None:
    with pytest.raises(QueryError) as info:
        any_store.query("SELEC ?s WHERE { ?s ?p ?o }")
    message = str(info.value)
    assert message.startswith("malformed SPARQL:")
    assert "\n" not in message


def test_an_update_sent_as_query_is_refused(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a")})
    with pytest.raises(QueryError):
        any_store.query("DROP ALL")
    assert any_store.count() == len(deal("a"))


@pytest.mark.parametrize("name", ["trig", "nq", "ttl", "jsonld"])
def test_dump_round_trips(any_store: Store, name: str) -> None:
    any_store.replace_graphs({G1: deal("a"), G2: deal("b") + labelled(("kk", ox.Literal("Ақтөбе", language="kk")))})
    fmt = rdf_format(name)
    reloaded = ox.Store()
    reloaded.load(any_store.dump(fmt), format=fmt)
    assert len(reloaded) == any_store.count()
    if fmt.supports_datasets:
        assert sorted(g.value for g in reloaded.named_graphs()) == [G1, G2]
    one = ox.Store()
    one.load(any_store.dump(fmt, graph=G1), format=fmt)
    assert len(one) == len(deal("a"))


def test_dump_of_a_missing_graph_is_empty(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a")})
    reloaded = ox.Store()
    reloaded.load(any_store.dump(ox.RdfFormat.N_TRIPLES, graph=G2), format=ox.RdfFormat.N_TRIPLES)
    assert len(reloaded) == 0


def test_named_graphs_and_count(any_store: Store) -> None:
    assert any_store.named_graphs() == []
    assert any_store.count() == 0
    any_store.replace_graphs({G2: deal("b"), G1: deal("a")})
    assert any_store.named_graphs() == [G1, G2]
    assert any_store.count() == 2 * len(deal("a"))


def test_kazakh_and_russian_literals_survive(any_store: Store) -> None:
    kk = ox.Literal("Ақтөбе облысы", language="kk")
    ru = ox.Literal("Актюбинская область", language="ru")
    any_store.replace_graphs({G1: labelled(("aktobe", kk), ("aktobe", ru))})
    query = f"SELECT ?label WHERE {{ <{node('aktobe').value}> <{LABEL.value}> ?label }}"
    assert {r["label"] for r in iter_rows(any_store.query(query))} == {kk, ru}
    found = any_store.query(f"SELECT ?s WHERE {{ ?s <{LABEL.value}> ?label }}", {"label": kk})
    assert [r["s"] for r in iter_rows(found)] == [node("aktobe")]
    csv = any_store.query_serialized(query, "text/csv").decode("utf-8")
    assert "Ақтөбе облысы" in csv and "Актюбинская область" in csv


@pytest.mark.parametrize(
    "media", ["application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_query_serialized_results(any_store: Store, media: str) -> None:
    any_store.replace_graphs({G1: deal("a")})
    data = any_store.query_serialized("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", media)
    if media == "text/csv":  # lossy, so pyoxigraph will not parse it back
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert rows[0] == ["s", "p", "o"] and len(rows) - 1 == len(deal("a"))
        return
    fmt = ox.QueryResultsFormat.from_media_type(media)
    assert fmt is not None
    assert len(list(ox.parse_query_results(data, format=fmt))) == len(deal("a"))


@pytest.mark.parametrize("media", ["text/turtle", "application/n-triples", "application/ld+json"])
def test_query_serialized_graphs(any_store: Store, media: str) -> None:
    any_store.replace_graphs({G1: deal("a")})
    data = any_store.query_serialized("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", media)
    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None
    assert len(list(ox.parse(data, format=fmt))) == len(deal("a"))


def test_construct_asked_as_csv_falls_back_to_turtle(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a")})
    data = any_store.query_serialized("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "text/csv")
    assert len(list(ox.parse(data, format=ox.RdfFormat.TURTLE))) == len(deal("a"))


def count_of(store: Store, sparql: str) -> int:
    return int(next(iter_rows(store.query(sparql)))["n"].value)


SHARED = labelled(("aktobe", ox.Literal("Ақтөбе облысы", language="kk")))


def test_a_fact_stated_by_two_graphs_comes_back_once(any_store: Store) -> None:
    """The default graph is a set: a shared triple counts once without GRAPH, and once per
    article inside GRAPH ?g."""
    any_store.replace_graphs({G1: deal("a") + SHARED, G2: deal("b") + SHARED})
    assert count_of(any_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == 2 * len(deal("a")) + 1
    assert count_of(any_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{LABEL.value}> ?l }}") == 1
    assert count_of(any_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{LABEL.value}> ?l }} }}") == 2
    assert any_store.facts() == 2 * len(deal("a")) + 1
    assert any_store.count() == 2 * len(deal("a")) + 2


def test_replacing_or_dropping_a_graph_keeps_what_another_graph_states(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a") + SHARED, G2: deal("b") + SHARED})
    any_store.replace_graphs({G1: deal("c")})
    default = {(str(r["s"]), str(r["p"]), str(r["o"]))
               for r in iter_rows(any_store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))}
    assert default == as_set(deal("c") + deal("b") + SHARED)
    any_store.drop_graph(G2)
    default = {(str(r["s"]), str(r["p"]), str(r["o"]))
               for r in iter_rows(any_store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))}
    assert default == as_set(deal("c"))


def test_an_update_keeps_the_default_graph_in_step(any_store: Store) -> None:
    any_store.replace_graphs({G1: deal("a")})
    any_store.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ ?s <{DG}party> ?o }} }} ; "
                     f"INSERT DATA {{ GRAPH <{G2}> {{ {SHARED[0]} }} }}")
    default = {(str(r["s"]), str(r["p"]), str(r["o"]))
               for r in iter_rows(any_store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))}
    assert default == as_set([t for t in deal("a") if t.predicate.value != DG + "party"] + SHARED)


def test_an_import_fills_the_default_graph_as_a_set(any_store: Store) -> None:
    """A fresh embedded store is bulk-loaded, the others replace batch by batch: alike."""
    any_store.import_graphs([(G1, deal("a") + SHARED), (G2, deal("b") + SHARED)], batch_size=1)
    assert count_of(any_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{LABEL.value}> ?l }}") == 1
    assert any_store.facts() == 2 * len(deal("a")) + 1


def test_the_reviewed_graph_stays_out_of_the_default_graph(any_store: Store) -> None:
    """It restates facts with judgements applied: written, imported or re-synced, a query
    without GRAPH never meets it, and a fact only it and a deleted article state leaves."""
    reviewed = deal("r")
    any_store.import_graphs([(REVIEWED, reviewed + SHARED), (G1, deal("a") + SHARED)], batch_size=1)
    default = lambda: {(str(r["s"]), str(r["p"]), str(r["o"]))  # noqa: E731
                       for r in iter_rows(any_store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }"))}
    assert default() == as_set(deal("a") + SHARED)
    any_store.replace_graphs({REVIEWED: reviewed + SHARED})
    any_store.update("")
    assert default() == as_set(deal("a") + SHARED)
    any_store.replace_graphs({G1: []})
    assert default() == set() and count_of(any_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{REVIEWED}> {{ ?s ?p ?o }} }}") > 0
