"""networkx views of the index built from pipeline output (tests/viewer_data.py)."""

from __future__ import annotations

import networkx as nx
import pytest

from graph import analytics
from graph.index import GraphIndex
from viewer_data import AKTOBE, ENTITY_COUNT, FERRO_DEAL, LIANDO, OFFICIAL, SHANGHAI, SUZHOU, filled_index


@pytest.fixture(scope="module")
def index() -> GraphIndex:
    return filled_index()


@pytest.fixture(scope="module")
def g(index: GraphIndex) -> nx.Graph:
    return analytics.entity_graph(index)


def test_graph_has_entities_only_and_merges_parallel_edges(index: GraphIndex, g: nx.Graph) -> None:
    assert g.number_of_nodes() == ENTITY_COUNT
    assert g.number_of_edges() == len({frozenset((e.source, e.target)) for e in index.edges})
    assert sorted(g.edges[FERRO_DEAL, AKTOBE]["labels"]) == ["located in", "party"]
    assert all(isinstance(n, str) and n.startswith("https://w3id.org/dealgraph/id/") for n in g)


@pytest.mark.parametrize("metric", ["degree", "pagerank"])
def test_region_outranks_and_companies_are_ranked(g: nx.Graph, metric: str) -> None:
    regions = analytics.rank(g, types={"Region"}, metric=metric)
    assert regions[0][0] == AKTOBE
    companies = analytics.rank(g, types={"Company"}, metric=metric)
    assert [c for c, _ in companies] == [SUZHOU, LIANDO]


def test_unknown_metric(g: nx.Graph) -> None:
    with pytest.raises(ValueError):
        analytics.rank(g, types={"Company"}, metric="fame")


def test_shortest_path_goes_through_the_deal(g: nx.Graph) -> None:
    path = analytics.shortest_path(g, SUZHOU, LIANDO)
    assert path is not None and path[0] == SUZHOU and path[-1] == LIANDO and FERRO_DEAL in path
    assert len(analytics.path_labels(g, path)) == len(path) - 1
    assert analytics.shortest_path(g, SUZHOU, "https://example.org/none") is None


def test_communities_are_deterministic_and_cover_the_graph(g: nx.Graph) -> None:
    first = analytics.communities(g, min_size=1)
    assert first == analytics.communities(g, min_size=1)
    assert sorted(n for c in first for n in c) == sorted(g)


def test_company_region_projection(index: GraphIndex) -> None:
    rows = analytics.company_region_projection(index)
    assert {(r["company"], r["region"], r["deals"]) for r in rows} == {(SUZHOU, AKTOBE, 1), (LIANDO, AKTOBE, 1)}
    bipartite = analytics.projection_graph(rows)
    assert bipartite.degree(AKTOBE) == 2


def test_visit_links_official_and_city(index: GraphIndex, g: nx.Graph) -> None:
    visits = [n for n, node in index.nodes.items() if node.type == "Visit"]
    assert visits and all(set(g.neighbors(v)) >= {OFFICIAL, SHANGHAI, AKTOBE} for v in visits)
