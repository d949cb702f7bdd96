"""The explorer's clickable picture (graph/picture.py and its HTML folder): what it sends to the
browser, what it accepts back, what it loads, and the expansion a double-click asks for.
The click itself is driven in Chromium by tests/test_app_browser.py."""

from __future__ import annotations

import fnmatch
import math
import re
import tomllib
from pathlib import Path

import pytest
import pyvis

from graph import explore, picture, viz
from graph.index import Edge, GraphIndex, Node
from viewer_data import AKTOBE, OFFICIAL, filled_index

ROOT = Path(__file__).resolve().parents[2]
PYVIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"


@pytest.fixture(scope="module")
def index() -> GraphIndex:
    return filled_index()


def test_the_folder_loads_only_its_own_files() -> None:
    page = (picture.FOLDER / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert loaded == ["vis-network.min.js"] and all((picture.FOLDER / name).is_file() for name in loaded)
    assert not re.search(r"https?://|//cdn|@import|url\(", page)
    for message in ("streamlit:componentReady", "streamlit:setFrameHeight", "streamlit:setComponentValue", "streamlit:render"):
        assert message in page
    # names and facts reach vis-network only as data (canvas text, tooltips set as innerText); the
    # only markup inserted is the legend, which graph/viz.py builds from its own type names
    assert re.findall(r"\.innerHTML\s*=\s*([\w.]+)", page) == ["args.legend"]


def test_vendored_vis_network_is_pyvis_own_copy_with_its_licence() -> None:
    assert (picture.FOLDER / "vis-network.min.js").read_bytes() == PYVIS_JS.read_bytes()
    assert "MIT License" in (picture.FOLDER / "vis-network.LICENSE").read_text(encoding="utf-8")


def test_every_file_of_the_folder_is_installed_as_package_data() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["graph"]
    for path in picture.FOLDER.iterdir():
        relative = path.relative_to(ROOT / "graph").as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_the_component_gets_what_the_export_page_gets(index: GraphIndex) -> None:
    drawing = viz.picture(index, explore.subgraph(index, focus=AKTOBE, depth=2))
    args = picture.arguments(drawing, height=500, click_action="open")
    nodes, edges = viz.page_data(viz.page(drawing))
    assert args["nodes"] == nodes and args["edges"] == edges
    assert args["iris"][next(i for i, n in enumerate(nodes) if n["borderWidth"] == 4)] == AKTOBE
    assert "</svg>Region</div>" in args["legend"] and args["height"] == 500
    hostile = viz.picture_of([viz.VisNode("urn:x", "<img src=x onerror=alert(1)>", "<b>x</b>", "<script>")], [])
    assert "<img" not in picture.arguments(hostile, height=500, click_action="open")["legend"]
    with pytest.raises(ValueError):
        picture.arguments(drawing, height=500, click_action="delete")


def test_the_token_changes_with_the_picture_only(index: GraphIndex) -> None:
    first = viz.picture(index, explore.subgraph(index, focus=AKTOBE, depth=1))
    again = viz.picture(index, explore.subgraph(index, focus=AKTOBE, depth=1))
    other = viz.picture(index, explore.subgraph(index, focus=AKTOBE, depth=1), mode="latin")
    assert picture.token(first) == picture.token(again) != picture.token(other)


def test_only_a_well_formed_click_on_a_drawn_node_counts() -> None:
    drawn = ["urn:a", "urn:b"]
    assert picture.read_click({"iri": "urn:a", "action": "expand", "seq": "1-1"}, drawn) == picture.Click("urn:a", "expand", "1-1")
    for value in (None, "urn:a", ["urn:a"], {"iri": "urn:c", "action": "open", "seq": "1"},
                  {"iri": "urn:a", "action": "drop", "seq": "1"}, {"iri": "urn:a", "action": "open", "seq": 1},
                  {"iri": "urn:a", "action": "open", "seq": "x" * 65}, {"iri": ["urn:a"], "action": "open", "seq": "1"}):
        assert picture.read_click(value, drawn) is None, value


def test_expanding_adds_the_neighbours_with_their_edges_within_filters_and_cap() -> None:
    nodes = {iri: Node(iri, kind) for iri, kind in
             (("r", "Region"), ("a", "Company"), ("b", "Company"), ("d", "Agreement"), ("far", "Company"))}
    edges = [Edge("d", "a", "party", None, 1), Edge("d", "r", "party", None, 1), Edge("b", "r", "located in", None, 1),
             Edge("b", "a", "partner", None, 1), Edge("far", "b", "partner", None, 1)]
    small = GraphIndex(nodes=nodes, edges=edges, deals={})
    sub = explore.subgraph(small, focus="a", depth=1)
    assert set(sub.nodes) == {"a", "d", "b"}
    grown = explore.expand(small, sub, ("b",))
    assert grown.nodes[:3] == sub.nodes and set(grown.nodes) == {"a", "d", "b", "r", "far"} and grown.focus == "a"
    assert {(e.source, e.target) for e in grown.edges} == {(e.source, e.target) for e in edges}
    only_companies = explore.Filters(types=frozenset({"Company"}))
    assert set(explore.expand(small, sub, ("b",), only_companies).nodes) == {"a", "d", "b", "far"}
    assert len(explore.expand(small, sub, ("b",), cap=4).nodes) == 4
    assert explore.expand(small, sub, ("r",)).nodes == sub.nodes  # not drawn: nothing to expand


def test_expanding_in_the_pipeline_graph(index: GraphIndex) -> None:
    sub = explore.subgraph(index, focus=OFFICIAL, depth=1)
    border = next(n for n in sub.nodes if set(index.neighbours(n)) - set(sub.nodes))
    grown = explore.expand(index, sub, (border,))
    assert set(grown.nodes) == set(sub.nodes) | set(index.neighbours(border))


def test_an_expansion_keeps_the_drawn_nodes_in_place_and_spreads_the_new_ones(index: GraphIndex) -> None:
    sub = explore.subgraph(index, focus=OFFICIAL, depth=1)
    border = next(n for n in sub.nodes if set(index.neighbours(n)) - set(sub.nodes))
    before = viz.picture(index, sub)
    after = viz.picture(index, explore.expand(index, sub, (border,)), placed=viz.positions(sub))
    where = {iri: (n["x"], n["y"]) for iri, n in zip(after.iris, after.nodes)}
    assert all(where[iri] == (n["x"], n["y"]) for iri, n in zip(before.iris, before.nodes))
    new = [where[iri] for iri in after.iris if iri not in before.iris]
    assert new and len(set(new)) == len(new)
    parent = where[border]
    assert all(math.dist(xy, parent) >= viz.EDGE_LENGTH_PX - 1 for xy in new)


def test_new_nodes_on_an_arc_far_enough_apart_for_their_labels() -> None:
    placed = {0: (0.0, 0.0), 1: (-170.0, 0.0)}
    spots = viz.around(12, [(0, 1)] + [(0, k) for k in range(2, 11)] + [(10, 11)], placed)
    assert spots[:2] == [(0.0, 0.0), (-170.0, 0.0)]
    kids = spots[2:11]
    assert min(math.dist(a, b) for i, a in enumerate(kids) for b in kids[i + 1:]) >= 85
    assert sum(x for x, _ in kids) / len(kids) > 100 and abs(sum(y for _, y in kids)) < 1e-6  # facing away from its other link
    assert math.dist(spots[11], spots[10]) == pytest.approx(viz.EDGE_LENGTH_PX)  # a chain: placed around its own parent
    assert viz.around(2, [], {0: (5.0, 5.0)})[1] == (5.0, 5.0 + viz.EDGE_LENGTH_PX)  # linked to nothing: a row below
