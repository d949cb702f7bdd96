"""`dealgraph serve` through real HTTP: uvicorn on loopback, real SPARQL clients."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

from graph.namespaces import DG, RDF, RDFS, XSD
from graph.serve import create_app, serve
from graph.store import Store, open_store

ARTICLE = "https://w3id.org/dealgraph/article/5e1ec7ed00000001"
AGREEMENT = "https://w3id.org/dealgraph/id/agreement/aktobe-suzhou"
REGION = "https://w3id.org/dealgraph/id/region/aktobe-oblysy"
COMPANY = "https://w3id.org/dealgraph/id/company/suzhou-hunan-new-materials"
AMOUNT = "https://w3id.org/dealgraph/id/amount/aktobe-suzhou"
TOKEN = "s3cret-token"
DEAL_QUERY = f"""SELECT ?company ?regionLabel ?value ?currency ?qualifier WHERE {{
  ?agreement <{DG}party> ?region, ?company ;
             <{DG}locationRegion> ?region ;
             <{DG}amount> [ <{DG}value> ?value ; <{DG}currency> ?currency ; <{DG}qualifier> ?qualifier ] .
  ?region <{RDFS}label> ?regionLabel .
  ?company a <{DG}Company> .
}}"""


def deal_triples() -> list[ox.Triple]:
    def t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
        return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)

    return [
        t(AGREEMENT, RDF + "type", ox.NamedNode(DG + "Agreement")),
        t(AGREEMENT, DG + "party", ox.NamedNode(REGION)),
        t(AGREEMENT, DG + "party", ox.NamedNode(COMPANY)),
        t(AGREEMENT, DG + "locationRegion", ox.NamedNode(REGION)),
        t(AGREEMENT, DG + "amount", ox.NamedNode(AMOUNT)),
        t(AMOUNT, RDF + "type", ox.NamedNode(DG + "MonetaryAmount")),
        t(AMOUNT, DG + "value", ox.Literal("150000000", datatype=ox.NamedNode(XSD + "decimal"))),
        t(AMOUNT, DG + "currency", ox.Literal("USD")),
        t(AMOUNT, DG + "qualifier", ox.Literal("over")),
        t(REGION, RDF + "type", ox.NamedNode(DG + "Region")),
        t(REGION, RDFS + "label", ox.Literal("Ақтөбе облысы", language="kk")),
        t(COMPANY, RDF + "type", ox.NamedNode(DG + "Company")),
        t(COMPANY, RDFS + "label", ox.Literal("Suzhou Hunan New Materials", language="en")),
    ]


def deal_store() -> Store:
    store = open_store(":memory:")
    store.replace_graphs({ARTICLE: deal_triples()})
    return store


@pytest.fixture(scope="module")
def base(start_app: Callable[..., str]) -> str:
    return start_app(create_app(deal_store(), max_body_bytes=20_000))


@pytest.fixture(scope="module")
def endpoint(base: str) -> str:
    return base + "/sparql"


def test_health(base: str) -> None:
    response = requests.get(base + "/health", timeout=10)
    assert response.status_code == 200 and response.text == "ok"


def test_sparqlwrapper_json(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(DEAL_QUERY)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert len(rows) == 1
    row = rows[0]
    assert row["company"]["value"] == COMPANY
    assert row["regionLabel"] == {"type": "literal", "value": "Ақтөбе облысы", "xml:lang": "kk"}
    assert row["value"]["value"] == "150000000" and row["value"]["datatype"] == XSD + "decimal"
    assert (row["currency"]["value"], row["qualifier"]["value"]) == ("USD", "over")


def test_sparqlwrapper_xml(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(DEAL_QUERY)
    client.setReturnFormat(XML)
    document = client.query().convert()
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert "Ақтөбе облысы" in literals and "USD" in literals


def test_sparqlwrapper_csv(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(DEAL_QUERY)
    client.setReturnFormat(CSV)
    rows = list(csv.DictReader(io.StringIO(client.query().convert().decode("utf-8"))))
    assert rows == [
        {
            "company": COMPANY,
            "regionLabel": "Ақтөбе облысы",
            "value": "150000000",
            "currency": "USD",
            "qualifier": "over",
        }
    ]


def test_rdflib_sparqlstore(endpoint: str) -> None:
    graph = Graph(SPARQLStore(endpoint, returnFormat="json"))
    rows = list(graph.query(DEAL_QUERY))
    assert len(rows) == 1
    assert rows[0].company == URIRef(COMPANY)
    assert rows[0].regionLabel == Literal("Ақтөбе облысы", lang="kk")
    assert rows[0].value.toPython() == 150000000
    labels = set(graph.objects(URIRef(REGION), URIRef(RDFS + "label")))
    assert labels == {Literal("Ақтөбе облысы", lang="kk")}


def test_rdflib_construct_with_its_default_accept(endpoint: str) -> None:
    graph = Graph(SPARQLStore(endpoint))
    result = graph.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{AMOUNT}>) }}")
    assert len(result.graph) == 4


def test_csv_by_accept_header(endpoint: str) -> None:
    response = requests.get(endpoint, params={"query": DEAL_QUERY}, headers={"Accept": "text/csv"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "Ақтөбе облысы" in response.content.decode("utf-8")


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml;q=0.5, text/csv;q=0.9", "text/csv"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
    ],
)
def test_content_negotiation(endpoint: str, accept: str, media: str) -> None:
    response = requests.get(endpoint, params={"query": DEAL_QUERY}, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media


def test_post_direct_and_form(endpoint: str) -> None:
    direct = requests.post(
        endpoint,
        data=DEAL_QUERY.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=10,
    )
    form = requests.post(endpoint, data={"query": DEAL_QUERY}, timeout=10)
    assert direct.status_code == form.status_code == 200
    assert direct.json() == form.json()
    assert len(form.json()["results"]["bindings"]) == 1


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_formats(endpoint: str, accept: str, fmt: ox.RdfFormat) -> None:
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = requests.get(endpoint, params={"query": query}, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    assert len(list(ox.parse(response.content, format=fmt))) == len(deal_triples())


def test_ask(endpoint: str) -> None:
    response = requests.get(endpoint, params={"query": f"ASK {{ <{REGION}> ?p ?o }}"}, timeout=10)
    assert response.json()["boolean"] is True


def test_select_as_turtle_is_not_acceptable(endpoint: str) -> None:
    response = requests.get(endpoint, params={"query": DEAL_QUERY}, headers={"Accept": "text/turtle"}, timeout=10)
    assert response.status_code == 406


def test_malformed_query_is_400_with_one_line(endpoint: str) -> None:
    response = requests.get(endpoint, params={"query": "SELEC ?s WHERE { ?s ?p ?o }"}, timeout=10)
    assert response.status_code == 400
    assert response.text.startswith("malformed SPARQL:")
    assert response.text.strip().count("\n") == 0


def test_update_sent_as_query_is_refused(endpoint: str) -> None:
    response = requests.post(endpoint, data={"query": "DROP ALL"}, timeout=10)
    assert response.status_code == 400
    assert len(requests.get(endpoint, params={"query": DEAL_QUERY}, timeout=10).json()["results"]["bindings"]) == 1


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "DROP ALL"}},
        {"data": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"data": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}},
    ],
)
def test_updates_are_forbidden_by_default(endpoint: str, request_kwargs: dict) -> None:
    response = requests.post(endpoint, timeout=10, **request_kwargs)
    assert response.status_code == 403
    assert len(requests.get(endpoint, params={"query": DEAL_QUERY}, timeout=10).json()["results"]["bindings"]) == 1


def test_oversized_body_is_413(endpoint: str) -> None:
    padding = "#" + "x" * 30_000 + "\n"
    response = requests.post(
        endpoint, data=(padding + DEAL_QUERY).encode(), headers={"Content-Type": "application/sparql-query"}, timeout=10
    )
    assert response.status_code == 413


def test_dataset_parameters_are_refused(endpoint: str) -> None:
    response = requests.get(endpoint, params={"query": DEAL_QUERY, "default-graph-uri": ARTICLE}, timeout=10)
    assert response.status_code == 400
    assert "default-graph-uri" in response.text


def test_unsupported_post_body_is_415(endpoint: str) -> None:
    response = requests.post(endpoint, data=b"{}", headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == 415


def test_no_cors_by_default(endpoint: str) -> None:
    """Any web page the user visits could otherwise read the local graph."""
    origin = {"Origin": "http://evil.example"}
    response = requests.get(endpoint, params={"query": DEAL_QUERY}, headers=origin, timeout=10)
    assert "access-control-allow-origin" not in response.headers
    preflight = requests.options(
        endpoint, headers={**origin, "Access-Control-Request-Method": "POST"}, timeout=10
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_configured_origins_only(start_app: Callable[..., str]) -> None:
    endpoint = start_app(create_app(deal_store(), cors_origins=("http://yasgui.example",))) + "/sparql"
    origin = {"Origin": "http://yasgui.example"}
    response = requests.get(endpoint, params={"query": DEAL_QUERY}, headers=origin, timeout=10)
    assert response.headers["access-control-allow-origin"] == "http://yasgui.example"
    preflight = requests.options(
        endpoint,
        headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        timeout=10,
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    other = requests.get(endpoint, params={"query": DEAL_QUERY}, headers={"Origin": "http://evil.example"}, timeout=10)
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "192.168.1.5"])
def test_a_foreign_host_header_is_refused(endpoint: str, host: str) -> None:
    """DNS rebinding: a page at evil.example re-pointed to 127.0.0.1 sends its own name."""
    response = requests.get(endpoint, params={"query": "ASK {}"}, headers={"Host": host}, timeout=10)
    assert response.status_code == 421
    assert len(response.text.strip().splitlines()) == 1


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:9", "[::1]:80"])
def test_local_host_headers_are_served(endpoint: str, host: str) -> None:
    response = requests.get(endpoint, params={"query": "ASK {}"}, headers={"Host": host}, timeout=10)
    assert response.status_code == 200


def test_configured_host_names_are_served(start_app: Callable[..., str]) -> None:
    endpoint = start_app(create_app(deal_store(), allowed_hosts=("graph.lan",))) + "/sparql"
    response = requests.get(endpoint, params={"query": "ASK {}"}, headers={"Host": "graph.lan:8000"}, timeout=10)
    assert response.status_code == 200


def test_service_description(endpoint: str) -> None:
    response = requests.get(endpoint, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    description = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(endpoint)
    assert (service, URIRef(RDF + "type"), URIRef(sd + "Service")) in description
    assert (service, URIRef(sd + "endpoint"), service) in description
    assert (service, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in description
    formats = set(description.objects(service, URIRef(sd + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) not in description


def test_too_many_rows_is_a_clear_error(start_app: Callable[..., str]) -> None:
    endpoint = start_app(create_app(deal_store(), max_rows=3)) + "/sparql"
    response = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=10)
    assert response.status_code == 400
    assert "more than 3 rows" in response.text
    small = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}, timeout=10)
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 3


def test_timeout_is_503(start_app: Callable[..., str]) -> None:
    """A cartesian product of a thousand triples cubed cannot finish; the worker stops
    taking rows at the deadline, so it does not keep running after the test."""
    store = open_store(":memory:")
    node = ox.NamedNode(DG + "n")
    store.replace_graphs({ARTICLE: [ox.Triple(node, node, ox.Literal(str(i))) for i in range(1000)]})
    endpoint = start_app(create_app(store, timeout_s=0.3, max_rows=10**12)) + "/sparql"
    query = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    response = requests.get(endpoint, params={"query": query}, timeout=30)
    assert response.status_code == 503
    assert "timed out" in response.text


@pytest.mark.remote
def test_updates_with_the_token_when_allowed(start_app: Callable[..., str], remote_store: Store) -> None:
    """The remote backend runs SPARQL updates, so the endpoint can proxy them."""
    remote_store.replace_graphs({ARTICLE: deal_triples()})
    endpoint = start_app(create_app(remote_store, allow_update=True, token=TOKEN)) + "/sparql"
    drop = f"DROP GRAPH <{ARTICLE}>"
    kinds = {"Content-Type": "application/sparql-update"}
    assert requests.post(endpoint, data=drop.encode(), headers=kinds, timeout=10).status_code == 403
    wrong = {**kinds, "Authorization": "Bearer nope"}
    assert requests.post(endpoint, data=drop.encode(), headers=wrong, timeout=10).status_code == 403
    assert remote_store.count() == len(deal_triples())
    right = {**kinds, "Authorization": f"Bearer {TOKEN}"}
    response = requests.post(endpoint, data=drop.encode(), headers=right, timeout=10)
    assert 200 <= response.status_code < 300
    assert remote_store.count() == 0
    form = requests.post(
        endpoint,
        data={"update": f"INSERT DATA {{ GRAPH <{ARTICLE}> {{ <{REGION}> <{RDFS}label> \"Ақтөбе\"@kk }} }}"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert 200 <= form.status_code < 300
    assert remote_store.count() == 1
    malformed = requests.post(endpoint, data=b"DROPP ALL", headers=right, timeout=10)
    assert malformed.status_code == 400 and remote_store.count() == 1
    described = requests.get(endpoint, timeout=10).text
    assert "SPARQL11Update" in described


@pytest.mark.remote
def test_serving_a_remote_store(start_app: Callable[..., str], remote_store: Store) -> None:
    remote_store.replace_graphs({ARTICLE: deal_triples()})
    endpoint = start_app(create_app(remote_store)) + "/sparql"
    response = requests.get(endpoint, params={"query": DEAL_QUERY}, headers={"Accept": "text/csv"}, timeout=10)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert [r["regionLabel"] for r in rows] == ["Ақтөбе облысы"]


def test_allow_update_needs_a_token() -> None:
    with pytest.raises(ValueError):
        create_app(deal_store(), allow_update=True)
    result = CliRunner().invoke(serve, ["--store", ":memory:", "--allow-update"], env={"DEALGRAPH_TOKEN": ""})
    assert result.exit_code != 0
    assert "--token-file" in result.output


def test_the_token_never_comes_from_the_command_line() -> None:
    """argv is visible to every user of the machine in ps."""
    result = CliRunner().invoke(serve, ["--store", ":memory:", "--allow-update", "--token", TOKEN])
    assert result.exit_code != 0
    assert "No such option" in result.output


def test_the_token_comes_from_a_file(tmp_path: Path) -> None:
    from graph.serve import read_token

    secret = tmp_path / "token"
    secret.write_text(TOKEN + "\n", encoding="utf-8")
    assert read_token(secret) == TOKEN


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve, ["--store", str(tmp_path / "nothing")])
    assert result.exit_code != 0
    assert "no store at" in result.output


def test_the_click_command_serves_an_embedded_store(
    tmp_path: Path, unused_port: int, start_process: Callable[[list[str], str], object]
) -> None:
    """The real command in its own process: opens the folder read-only and serves it."""
    location = tmp_path / "store"
    with open_store(str(location)) as store:
        store.replace_graphs({ARTICLE: deal_triples()})
    command = [sys.executable, "-c", "from graph.serve import serve; serve()"]
    base = f"http://127.0.0.1:{unused_port}"
    start_process([*command, "--store", str(location), "--port", str(unused_port)], base + "/health")
    response = requests.get(base + "/sparql", params={"query": DEAL_QUERY}, headers={"Accept": "text/csv"}, timeout=10)
    assert response.status_code == 200
    assert "Ақтөбе облысы" in response.content.decode("utf-8")
    with open_store(str(location), read_only=True) as reader:
        assert reader.count() == len(deal_triples())
