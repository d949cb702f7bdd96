"""What only the remote backend can get wrong: endpoints, network failures, the union check."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.store import StoreError, open_store
from graph.stores.remote import RemoteStore, derive_endpoints

G1 = "https://w3id.org/dealgraph/article/00000000000000aa"
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
def test_a_server_without_union_default_graph_is_refused(remote_store: RemoteStore, oxigraph_server: str) -> None:
    """Without Oxigraph's parameter the server queries its (empty) default graph only: the
    store must notice from the data and say how to start the server."""
    remote_store.replace_graphs({G1: [TRIPLE]})
    with pytest.raises(StoreError, match="--union-default-graph"):
        RemoteStore(oxigraph_server, union_param=False)


@pytest.mark.remote
def test_the_union_check_waits_for_data(remote_store: RemoteStore, oxigraph_server: str) -> None:
    store = RemoteStore(oxigraph_server, union_param=False)
    with pytest.raises(StoreError, match="union of its named graphs"):
        store.replace_graphs({G1: [TRIPLE]})
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
