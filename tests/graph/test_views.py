"""Pictures read from the store per view, bounded by the cap, agree with the whole-graph index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph import deals, explore, views, viz
from graph.index import load_index
from graph.store import Store, open_store
from viewer_data import AKTOBE, FERRO_DEAL, SUZHOU, fill


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    s = fill(open_store(":memory:"))
    yield s
    s.close()


@pytest.mark.parametrize("focus,depth", [(AKTOBE, 1), (SUZHOU, 2), (SUZHOU, 3)])
def test_a_focused_view_draws_what_the_whole_index_draws(store: Store, focus: str, depth: int) -> None:
    index = load_index(store)
    expected = explore.subgraph(index, focus=focus, depth=depth)
    small, picture = views.view(store, focus=focus, depth=depth)
    assert set(picture.nodes) == set(expected.nodes)
    assert {(e.source, e.target) for e in picture.edges} == {(e.source, e.target) for e in expected.edges}
    assert len(small.nodes) <= len(index.nodes)
    for iri in picture.nodes:  # an event is named after its ends, which may lie outside the view
        if small.nodes[iri].type != "Visit":
            assert explore.node_label(small, iri) == explore.node_label(index, iri)


def test_the_cap_bounds_what_is_read(store: Store) -> None:
    small, picture = views.view(store, focus=AKTOBE, depth=3, cap=4)
    assert len(small.nodes) <= 4 and len(picture.nodes) <= 4


def test_overview_without_focus_starts_at_the_best_connected_entities(store: Store) -> None:
    small, picture = views.view(store, depth=2, cap=50)
    assert AKTOBE in picture.nodes and FERRO_DEAL in picture.nodes
    nodes, _ = viz.page_data(viz.render(small, picture))
    assert "Ақтөбе облысы" in {n["label"] for n in nodes}


def test_deals_of_some_agreements_only(store: Store) -> None:
    book = deals.load(store, only=[FERRO_DEAL])
    assert set(book.deals) == {FERRO_DEAL} and book.deals[FERRO_DEAL].sources == 3
    assert deals.load(store, only=[]).deals == {}
