"""What only the remote backend can get wrong: endpoints, network failures, the default-graph check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from graph.store import StoreError, open_store
from graph.stores.remote import RemoteStore, derive_endpoints

G1 = "https://w3id.org/dealgraph/article/00000000000000aa"
G2 = "https://w3id.org/dealgraph/article/00000000000000bb"
TRIPLE = ox.Triple(
    ox.NamedNode("https://w3id.org/dealgraph/id/region/aktobe"),
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ox.Literal("Ақтөбе облысы", language="kk"),
)


@pytest.mark.parametrize(
    ("query_url", "update_url", "store_url"),
    [
        ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store"),
        ("http://host:3030/ds/query", "http://host:3030/ds/update", "http://host:3030/ds/data"),
        ("http://host:3030/ds/sparql", "http://host:3030/ds/update", "http://host:3030/ds/data"),
        (
            "http://host:7200/repositories/deals",
            "http://host:7200/repositories/deals/statements",
            "http://host:7200/repositories/deals/rdf-graphs/service",
        ),
    ],
)
def test_endpoints_are_derived_from_the_query_url(query_url: str, update_url: str, store_url: str) -> None:
    assert derive_endpoints(query_url) == (update_url, store_url)


def test_an_unreachable_endpoint_is_one_clear_line(unused_port: int) -> None:
    url = f"http://127.0.0.1:{unused_port}/query"
    with pytest.raises(StoreError) as info:
        RemoteStore(url)
    assert str(info.value) == f"cannot reach SPARQL endpoint {url}: connection refused"


@pytest.mark.remote
def test_open_store_picks_the_remote_backend(remote_store: RemoteStore, oxigraph_server: str) -> None:
    store = open_store(oxigraph_server)
    assert isinstance(store, RemoteStore)
    store.close()


@pytest.mark.remote
def test_a_server_answering_with_a_union_of_graphs_is_refused(
    tmp_path: Path, unused_port: int, oxigraph_exe: str, start_process: Callable[[list[str], str], object]
) -> None:
    """`--union-default-graph` would count every fact once per graph that holds it, plus
    the maintained default graph: the store must notice it from the data after a write."""
    base = f"http://127.0.0.1:{unused_port}"
    start_process([oxigraph_exe, "serve", "--location", str(tmp_path / "ox"), "--bind", f"127.0.0.1:{unused_port}",
                   "--union-default-graph"], f"{base}/query?query=ASK%7B%7D")
    store = RemoteStore(f"{base}/query")
    with pytest.raises(StoreError, match="without --union-default-graph"):
        store.replace_graphs({G1: [TRIPLE]})
    store.close()


@pytest.mark.remote
def test_a_store_written_without_a_default_graph_gets_one(remote_store: RemoteStore, oxigraph_server: str) -> None:
    """Data an older dealgraph wrote sits in named graphs only: opening fills the default graph."""
    update_url = oxigraph_server.rsplit("/", 1)[0] + "/update"
    body = f"INSERT DATA {{ GRAPH <{G1}> {{ {TRIPLE} }} GRAPH <{G2}> {{ {TRIPLE} }} }}".encode()
    requests.post(update_url, data=body, headers={"Content-Type": "application/sparql-update"}, timeout=10).raise_for_status()
    store = RemoteStore(oxigraph_server)
    rows = list(store.query("SELECT ?s WHERE { ?s ?p ?o }"))
    assert [r["s"] for r in rows] == [TRIPLE.subject]
    assert store.count() == 2 and store.facts() == 1
    store.close()


@pytest.mark.remote
def test_dump_without_a_graph_store_endpoint_uses_sparql(remote_store: RemoteStore, oxigraph_server: str) -> None:
    remote_store.replace_graphs({G1: [TRIPLE]})
    store = RemoteStore(oxigraph_server, store_url=oxigraph_server.rsplit("/", 1)[0] + "/no-such-endpoint")
    for fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        quads = list(ox.parse(store.dump(fmt), format=fmt))
        assert quads == [ox.Quad(TRIPLE.subject, TRIPLE.predicate, TRIPLE.object, ox.NamedNode(G1))]
    graph = list(ox.parse(store.dump(ox.RdfFormat.TURTLE, graph=G1), format=ox.RdfFormat.TURTLE))
    assert [q.triple for q in graph] == [TRIPLE]
    store.close()


@pytest.mark.remote
def test_update_endpoint_can_be_set_by_environment(
    remote_store: RemoteStore, oxigraph_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALGRAPH_UPDATE_URL", oxigraph_server.rsplit("/", 1)[0] + "/elsewhere")
    store = RemoteStore(oxigraph_server)
    with pytest.raises(StoreError, match="write failed, store unchanged"):
        store.replace_graphs({G1: [TRIPLE]})
    assert store.count() == 0
    store.close()
