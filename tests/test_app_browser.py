"""The viewer as an analyst meets it: `streamlit run app.py` on a loopback port, driven by
Debian's headless Chromium through Playwright, with every request the browser makes recorded.

One server and one browser serve the whole module; the tests run in file order and share the
page (search, then deals, then the request check at the end)."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from graph import explore, viz
from graph.index import load_index
from graph.store import open_store
from browser_support import chromium_page, streamlit_server
from viewer_data import ENTITY_COUNT, OFFICIAL, fill

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_SCHEMES = ("data", "blob", "about")
PICTURE = 'iframe[data-testid="stCustomComponentV1"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    location = str(tmp_path_factory.mktemp("browser") / "store")
    with open_store(location) as store:
        fill(store)
    with streamlit_server(location) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page(server: str) -> Iterator[tuple[object, list[str]]]:
    with chromium_page(server) as opened:
        yield opened


@pytest.fixture(scope="module")
def expected() -> dict[str, int]:
    store = fill(open_store(":memory:"))
    index = load_index(store)
    store.close()
    around = explore.subgraph(index, focus=OFFICIAL, depth=2)
    border = next(n for n in around.nodes if set(index.neighbours(n)) - set(around.nodes))
    return {
        "all": len(explore.subgraph(index).nodes),
        "official": len(around.nodes),
        "border": border,
        "expanded": len(explore.expand(index, around, (border,)).nodes),
    }


def graph_frame(page, *, nodes: int, timeout_s: float = 30.0):
    """The picture's iframe once vis-network has drawn exactly ``nodes`` nodes (looked up again
    until it matches: a rerun may replace the iframe)."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        try:
            frame = page.wait_for_selector(PICTURE, timeout=5_000).content_frame()
            if frame and frame.evaluate("window.dealgraphDrawn !== undefined && typeof network !== 'undefined'"):
                last = frame.evaluate("network.body.data.nodes.length")
                if last == nodes:
                    return frame
        except Exception:  # the frame was replaced mid-call; look again
            pass
        time.sleep(0.2)
    pytest.fail(f"the graph did not draw {nodes} nodes (last seen: {last})")


def test_graph_canvas_draws_the_whole_graph(browser_page, expected: dict[str, int]) -> None:
    page, _ = browser_page
    frame = graph_frame(page, nodes=expected["all"])
    assert expected["all"] == ENTITY_COUNT
    labels = frame.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert "Ақтөбе облысы" in labels
    painted = frame.evaluate(
        """() => { const c = document.querySelector('#mynetwork canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
    )
    assert painted > 1000
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer.png"), full_page=True)


def test_search_by_a_russian_spelling_focuses_the_graph(browser_page, expected: dict[str, int]) -> None:
    page, _ = browser_page
    box = page.get_by_label("Search by name (any script or language)")
    box.fill("Абдикаримов")
    box.press("Enter")
    page.get_by_text("1 match(es)").wait_for()
    page.get_by_role("button", name="Focus the graph on it").click()
    page.get_by_text("Focus: Абзал Әбдікәрімов").wait_for()
    assert expected["official"] < ENTITY_COUNT
    frame = graph_frame(page, nodes=expected["official"])
    focus = frame.evaluate("network.body.data.nodes.get().filter(n => n.borderWidth === 4).map(n => n.label)")
    assert focus == ["Абзал Әбдікәрімов"]


def node_position(frame, iri: str) -> dict[str, float]:
    """Where vis-network drew a node, in CSS pixels from the canvas's top-left corner."""
    return frame.evaluate(
        "iri => { const id = iris.indexOf(iri); return network.canvasToDOM(network.getPositions([id])[id]); }", iri)


def test_double_click_on_a_node_adds_its_neighbours(browser_page, expected: dict) -> None:
    page, _ = browser_page
    frame = graph_frame(page, nodes=expected["official"])
    assert expected["expanded"] > expected["official"]
    frame.locator("#mynetwork canvas").dblclick(position=node_position(frame, expected["border"]))
    graph_frame(page, nodes=expected["expanded"])
    page.get_by_role("button", name="Collapse").wait_for()


def test_the_picture_downloads_as_one_offline_page(browser_page, expected: dict) -> None:
    page, _ = browser_page
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the picture (HTML, works offline)").click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    nodes, _ = viz.page_data(html)
    assert len(nodes) == expected["expanded"] and "cdn.jsdelivr.net" not in html and "w3id.org" not in html


def test_click_on_a_node_opens_its_entity_view(browser_page, expected: dict) -> None:
    page, seen = browser_page
    assert any(urlparse(u).hostname == "127.0.0.1" and u.endswith("/vis-network.min.js") for u in seen)
    frame = graph_frame(page, nodes=expected["expanded"])
    frame.locator("#mynetwork canvas").click(position=node_position(frame, OFFICIAL))
    page.get_by_role("heading", name="Абзал Әбдікәрімов").wait_for()
    page.get_by_text(OFFICIAL).wait_for()
    assert page.get_by_role("radio", name="Entity").is_checked()


def test_deals_table_downloads_a_csv_with_the_disputed_deal(browser_page) -> None:
    page, _ = browser_page
    page.get_by_test_id("stSidebar").get_by_text("Deals", exact=True).click()
    button = page.get_by_role("button", name="Download CSV")
    button.wait_for()
    with page.expect_download() as download:
        button.click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    ferro = [r for r in rows if "Suzhou Hunan New Materials" in r["parties"]]
    assert len(ferro) == 1
    assert ferro[0]["disagree"] == "True" and ferro[0]["sources"] == "3" and ferro[0]["currency"] == "USD"


def test_no_request_left_this_machine(browser_page) -> None:
    _, seen = browser_page
    assert seen, "no request was recorded"
    outside = [
        url for url in seen
        if urlparse(url).scheme not in LOCAL_SCHEMES and urlparse(url).hostname not in ("127.0.0.1", "localhost")
    ]
    assert outside == []
