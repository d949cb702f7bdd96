"""The text checks on user SPARQL (graph.guard): what is refused, what is not mistaken for it."""

from __future__ import annotations

import pytest

from graph.guard import QueryLimits, QueryRefused, check_query, check_update

LIMITS = QueryLimits(max_bytes=10_000, max_depth=8, max_operators=20)


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x> { }" }',
    "SELECT * WHERE { ?s ?p 'from' }",
    'SELECT * WHERE { ?s ?p """multi\nline SERVICE <http://x> {}""" }',
    "SELECT * WHERE { ?s ?p '''FROM <g>''' }",
    'SELECT * WHERE { ?s ?p "escaped \\" SERVICE" }',
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT ?service WHERE { ?service a sd:Service }",
    "SELECT ?from WHERE { ?from ?p ?o } # SERVICE <http://x> { }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 10",
    "SELECT * WHERE { ?s <http://x/(a)#frag> ?o }",
])
def test_harmless_text_passes(text: str) -> None:
    check_query(text, LIMITS)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { Service Silent ?x { } }",
    "SELECT * WHERE { ?s ?p ?o SERVICE<http://x>{} }",
    "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a<?b)SERVICE#>\n<http://127.0.0.1:9/>{} }",
    "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a<?b).SERVICE?x#>\n{} }",
    'SELECT * WHERE { ?s ?p "unclosed\n} SERVICE <http://x> { }',
])
def test_service_is_refused_however_written(text: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(text, LIMITS)


@pytest.mark.parametrize("text", [
    "SELECT * FROM <urn:g> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT (1 AS ?x) from<urn:g> WHERE {}",
])
def test_from_is_refused_with_advice(text: str) -> None:
    with pytest.raises(QueryRefused, match="GRAPH"):
        check_query(text, LIMITS)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE " + "{" * 9 + "}" * 9,
    "ASK { FILTER(" + "(" * 9 + "1" + ")" * 9 + ") }",
    "SELECT * WHERE { ?s ?p [ ?q [ ?r [ ?t [ ?u [ ?v [ ?w [ ?x [ ?y ?z ] ] ] ] ] ] ] ] }",
])
def test_nesting_beyond_the_depth_is_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="nested"):
        check_query(text, LIMITS)


@pytest.mark.parametrize("text", [
    "ASK { FILTER(" + "!" * 21 + "true) }",
    "SELECT * WHERE { " + " UNION ".join(["{}"] * 22) + " }",
    "SELECT * WHERE { " + " OPTIONAL {}" * 21 + " }",
    "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 22) + " ?o }",
    "SELECT (" + "+".join(["1"] * 22) + " AS ?n) WHERE {}",
])
def test_long_operator_chains_are_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match="operators"):
        check_query(text, LIMITS)


def test_names_with_dashes_and_dots_are_not_operators() -> None:
    check_query("SELECT * WHERE { " + " . ".join(["?s dg:has-a-long-name ?o"] * 30) + " }", LIMITS)


def test_size_is_checked_in_bytes() -> None:
    with pytest.raises(QueryRefused, match="bytes"):
        check_query('SELECT * WHERE { ?s ?p "' + "ә" * 5_001 + '" }', LIMITS)


def test_updates_may_not_load_or_federate() -> None:
    check_update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 'LOAD' } }", LIMITS)
    with pytest.raises(QueryRefused, match="LOAD"):
        check_update("LOAD <http://127.0.0.1:9/data.ttl>", LIMITS)
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_update("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x> { ?s ?p ?o } }", LIMITS)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALGRAPH_QUERY_MAX_DEPTH", "3")
    with pytest.raises(QueryRefused, match="3 levels"):
        check_query("SELECT * WHERE { { { { } } } }")
