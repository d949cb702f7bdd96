"""Named queries, bound values and the read-only SPARQL console."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from graph import judgements, query, reviewed
from graph.store import QueryError, Store, open_store
from viewer_data import AKTOBE, FERRO_DEAL, OFFICIAL, SUZHOU, fill

HOSTILE = ['"', "'", '"} ; DROP ALL ; SELECT * WHERE { ?s ?p "', "} ; DROP ALL", "{ }", '\\"', "<x> } DROP ALL {"]


@pytest.fixture
def store() -> Iterator[Store]:
    s = fill(open_store(":memory:"))
    yield s
    s.close()


def test_gallery_has_the_four_examples_with_titles_and_parameters() -> None:
    gallery = {q.name: q for q in query.gallery()}
    assert {"deals_by_region", "officials_posts", "companies_by_total_amount", "edge_evidence"} <= set(gallery)
    assert gallery["deals_by_region"].title == "Deals by region"
    assert [p.name for p in gallery["edge_evidence"].params] == ["subject", "predicate", "object"]
    assert all("\nPREFIX dg: <https://w3id.org/dealgraph/ontology#>\n" in q.text for q in gallery.values())


def test_every_query_file_runs_as_it_is(store: Store) -> None:
    """No PREFIX header is added by anyone: the file's text alone is valid SPARQL."""
    for path in query.QUERY_DIR.glob("*.rq"):
        assert isinstance(store.query(path.read_text(encoding="utf-8")), ox.QuerySolutions), path.name


def test_every_named_query_parses_and_runs(store: Store) -> None:
    for name in query.names():
        assert isinstance(query.run(store, name), list), name


def test_bound_region_narrows_deals_by_region(store: Store) -> None:
    rows = query.run(store, "deals_by_region", {"region": ox.NamedNode(AKTOBE)})
    assert {r["agreement"] for r in rows} >= {FERRO_DEAL}
    assert {r["value"] for r in rows if r["agreement"] == FERRO_DEAL} == {150000000, 200000000}
    assert query.run(store, "deals_by_region", {"region": ox.NamedNode("https://example.org/nowhere")}) == []


def test_officials_and_posts(store: Store) -> None:
    rows = query.run(store, "officials_posts", {"body": ox.NamedNode(AKTOBE)})
    assert [(r["official"], r["role"], r["sources"]) for r in rows] == [(OFFICIAL, "deputy akim", 3)]


def test_company_totals_count_a_disputed_deal_once(store: Store) -> None:
    """Two articles say 150M, one 200M: the deal counts once, with the amount most sources give."""
    rows = query.run(store, "companies_by_total_amount", {"company": ox.NamedNode(SUZHOU)})
    assert [(r["currency"], r["total"], r["deals"]) for r in rows] == [("USD", 150000000, 1)]


def test_named_queries_reflect_a_users_merge_and_correction() -> None:
    with open_store(":memory:") as store:
        fill(store, followup=True)
        reviewed.refresh(store)
        spelling = next(r["official"] for r in query.run(store, "officials_posts") if r["officialName"] == "Abzal Abdikarimuly")
        before = {r["official"]: r["sources"] for r in query.run(store, "officials_posts", {"body": ox.NamedNode(AKTOBE)})}
        assert before == {OFFICIAL: 3, spelling: 1}
        judgements.record(store, "merge", OFFICIAL, obj=spelling, who="test")
        judgements.record(store, "correct", FERRO_DEAL, predicate="amount", value="180000000", who="test")
        reviewed.refresh(store)
        after = [(r["official"], r["sources"]) for r in query.run(store, "officials_posts", {"body": ox.NamedNode(AKTOBE)})]
        assert after == [(OFFICIAL, 4)]
        rows = query.run(store, "companies_by_total_amount", {"company": ox.NamedNode(SUZHOU)})
        assert [(r["currency"], r["total"]) for r in rows] == [("USD", 180000000)]


def test_edge_evidence_gives_sentence_article_and_date(store: Store) -> None:
    rows = query.run(store, "edge_evidence", {"subject": ox.NamedNode(FERRO_DEAL), "object": ox.NamedNode(SUZHOU)})
    assert {r["language"] for r in rows} == {"kk", "ru", "en"}
    assert all(r["sentenceText"] and r["title"] and r["date"] for r in rows)
    assert {r["language"] for r in rows if "Suzhou" in r["sentenceText"]} >= {"ru", "en"}


def test_unknown_parameter_is_refused(store: Store) -> None:
    with pytest.raises(query.ParameterError):
        query.run(store, "deals_by_region", {"regoin": ox.NamedNode(AKTOBE)})


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_stay_values(store: Store, hostile: str) -> None:
    before = store.count()
    assert query.run(store, "companies_by_total_amount", {"currency": hostile}) == []
    param = query.load("deals_by_region").params[0]
    with pytest.raises(query.ParameterError):
        query.run(store, "deals_by_region", {"region": query.parse_param(param, hostile)})
    result = query.run_console(store, "SELECT ?x WHERE { }", {"x": hostile})
    assert [r[0].value for r in result.rows] == [hostile]
    assert store.count() == before


@pytest.mark.parametrize("text", [
    "DROP ALL",
    "PREFIX dg: <https://w3id.org/dealgraph/ontology#>\n# SELECT in a comment\nINSERT DATA { <a:b> <a:c> <a:d> }",
    "delete where { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:1/x.ttl>",
])
def test_console_refuses_updates_with_a_clear_message(store: Store, text: str) -> None:
    before = store.count()
    with pytest.raises(query.ReadOnlyError, match="read-only"):
        query.run_console(store, text)
    assert store.count() == before


def test_console_update_smuggled_after_a_query_is_a_syntax_error(store: Store) -> None:
    before = store.count()
    with pytest.raises(QueryError):
        query.run_console(store, "SELECT * WHERE { ?s ?p ?o } ; DROP ALL")
    assert store.count() == before


def test_console_row_limit(store: Store) -> None:
    result = query.run_console(store, "SELECT * WHERE { ?s ?p ?o }", row_limit=7)
    assert len(result.rows) == 7 and result.row_limited and "row limit" in result.message


def test_console_time_limit_stops_a_long_query() -> None:
    big = open_store(":memory:")
    triples = [ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i % 7))) for i in range(3000)]
    big.replace_graphs({"urn:g": triples})
    started = time.monotonic()
    result = query.run_console(
        big, "SELECT * WHERE { ?a <urn:p> ?x . ?b <urn:p> ?y . ?c <urn:p> ?z }", row_limit=10**9, time_limit_s=0.5
    )
    assert result.timed_out and "time limit" in result.message
    assert time.monotonic() - started < 30
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            assert query.run_console(big, "ASK { ?s ?p ?o }").boolean is True
            break
        except QueryError:
            time.sleep(0.1)
    else:
        pytest.fail("the stopped query never released the console")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_console_downloads_in_every_results_format(store: Store, fmt: str) -> None:
    result = query.run_console(store, query.load("officials_posts").text)
    data = result.serialize(fmt)
    assert b"deputy akim" in data
    if fmt == "json":
        assert json.loads(data)["results"]["bindings"][0]["role"]["value"] == "deputy akim"


def test_console_construct_downloads_rdf(store: Store) -> None:
    result = query.run_console(store, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{SUZHOU}>) }}")
    assert result.columns == ["subject", "predicate", "object"] and result.rows
    assert "ttl" in result.formats()
    assert b"Suzhou Hunan New Materials" in result.serialize("ttl")


def test_python_values_are_typed(store: Store) -> None:
    rows = query.run(store, "index_deals")
    values = {r["value"] for r in rows}
    assert all(not isinstance(v, str) for v in values)
    assert {type(r["reported"]).__name__ for r in rows} == {"date"}
