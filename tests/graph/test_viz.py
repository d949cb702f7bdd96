"""The offline pyvis page: nothing fetched from outside, data and legend in place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import pyvis

from graph import explore, viz
from graph.index import GraphIndex
from viewer_data import AKTOBE, ENTITY_COUNT, FERRO_DEAL, filled_index

VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
URL = re.compile(r"https?://[^\s\"'<>)\\]+")
LOCAL = re.compile(r"https?://(127\.0\.0\.1|localhost)([:/]|$)")


@pytest.fixture(scope="module")
def index() -> GraphIndex:
    return filled_index()


@pytest.fixture(scope="module")
def page(index: GraphIndex) -> str:
    return viz.render(index, explore.subgraph(index, focus=AKTOBE, depth=3))


def test_page_fetches_nothing_from_outside(page: str) -> None:
    """No src/href/url()/@import points off this machine, and the only other http(s) text
    is what the inlined vis-network library itself carries (licence comments, the SVG
    namespace, error messages), none of which the browser loads."""
    references = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""", page)
    for groups in references:
        target = next(g for g in groups if g)
        assert not target.startswith(("http:", "https:", "//")) or LOCAL.match(target), target
    library = set(URL.findall(VIS_JS.read_text(encoding="utf-8")))
    foreign = {u for u in URL.findall(page) if not LOCAL.match(u)} - library
    assert foreign == set()
    assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page


def test_page_has_no_iris_or_article_links(page: str) -> None:
    assert "w3id.org" not in page and "news.example.kz" not in page


def test_page_carries_nodes_edges_and_precomputed_positions(index: GraphIndex, page: str) -> None:
    nodes, edges = viz.page_data(page)
    assert len(nodes) == ENTITY_COUNT
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    focus = next(n for n in nodes if n["label"] == "Ақтөбе облысы")
    assert focus["borderWidth"] == 4 and focus["group"] == "Region"
    assert "Aktobe Region (en)" in focus["title"]
    deal = next(n for n in nodes if n["group"] == "Agreement" and "⚠" in n["label"])
    assert "about 200,000,000 USD" in deal["title"]
    assert {e["label"] for e in edges} >= {"party", "located in, party", "deputy akim", "led by"}
    assert all(0 <= e["from"] < len(nodes) and 0 <= e["to"] < len(nodes) for e in edges)


def test_physics_off_and_vis_network_inlined(page: str) -> None:
    assert '"physics": {"enabled": false}' in page
    assert "vis.Network" in page and len(page) > 400_000
    assert viz.DRAWN_FLAG in page


def test_legend_names_each_type_drawn(page: str) -> None:
    legend = re.search(r'<div id="legend">(.*?)</div></div>', page, re.S)
    assert legend is not None
    for kind in ("Region", "City", "Official", "Organization", "Company", "Project", "Agreement", "Visit"):
        assert f"</svg>{kind}</div>" in page
    assert "</svg>Country</div>" not in page


def test_labels_cannot_inject_markup(index: GraphIndex) -> None:
    hostile = viz.VisNode("urn:x", "Company", "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>")
    html = viz.render_nodes([hostile], [])
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_layout_is_deterministic_and_spread(index: GraphIndex) -> None:
    edges = [(0, 1), (1, 2), (2, 0), (2, 3)]
    first = viz.layout(4, edges)
    assert first == viz.layout(4, edges)
    assert len({(round(x), round(y)) for x, y in first}) == 4
    assert viz.layout(0, []) == [] and viz.layout(1, []) == [(0.0, 0.0)]


def test_language_choice_reaches_the_page(index: GraphIndex) -> None:
    nodes, _ = viz.page_data(viz.render(index, explore.subgraph(index), mode="latin"))
    assert "Aqtobe oblysy" in {n["label"] for n in nodes}
    assert FERRO_DEAL not in str(nodes)


def test_unlinked_nodes_are_hidden_unless_asked_for() -> None:
    from graph.index import Edge, Node

    nodes = {iri: Node(iri, kind) for iri, kind in (("a", "Company"), ("b", "Region"), ("alone", "Company"))}
    small = GraphIndex(nodes=nodes, edges=[Edge("a", "b", "party", None, 1)], deals={})
    assert set(explore.subgraph(small).nodes) == {"a", "b"}
    assert set(explore.subgraph(small, explore.Filters(isolated=True)).nodes) == {"a", "b", "alone"}


def test_node_size_by_degree_or_amount(index: GraphIndex) -> None:
    sub = explore.subgraph(index, focus=AKTOBE, depth=3)
    by_degree = viz.node_weights(index, sub.nodes, "degree")
    top = max(sub.nodes, key=index.degree)
    assert by_degree[top] == 1.0 and min(by_degree.values()) < 1.0 and by_degree[AKTOBE] > 0
    by_amount = viz.node_weights(index, sub.nodes, "amount")
    assert by_amount[AKTOBE] == 1.0 and 0 < by_amount[FERRO_DEAL] < 1.0  # a party: its deals summed
    nodes, _ = viz.page_data(viz.render(index, sub, size_by="amount"))
    sizes = {n["label"]: n["size"] for n in nodes}
    assert sizes["framework agreement\n>150M USD ⚠"] > sizes["MoU\n30M USD"]
    with pytest.raises(ValueError):
        viz.node_weights(index, sub.nodes, "colour")
