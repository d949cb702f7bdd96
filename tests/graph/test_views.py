"""Pictures read from the store per view, bounded by the cap, agree with the whole-graph index
(on the pipeline's output, with and without judgements)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph import deals, explore, judgements, views, viz
from graph.index import EVENT_TYPES, GraphIndex, load_index
from graph.store import Store, open_store
from viewer_data import AKTOBE, FERRO_DEAL, KAZAKH_INVEST, LIANDO, OFFICIAL, PARK_DEAL, SUZHOU, fill

DG = "https://w3id.org/dealgraph/ontology#"


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    s = fill(open_store(":memory:"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def judged() -> Iterator[Store]:
    """The follow-up report too (a second spelling of the official), then judgements: the two
    spellings merged, a party rejected, a party corrected to another entity."""
    s = fill(open_store(":memory:"), followup=True)
    spelling = next(iri for iri, node in load_index(s).nodes.items() if any(lb.text == "Abzal Abdikarimuly" for lb in node.labels))
    judgements.record(s, "merge", OFFICIAL, obj=spelling, who="test")
    judgements.record(s, "reject", PARK_DEAL, predicate=DG + "party", obj=KAZAKH_INVEST, who="test")
    judgements.record(s, "correct", FERRO_DEAL, predicate="party", value=LIANDO, replaces=SUZHOU, who="test")
    yield s
    s.close()


def edges(picture: explore.Subgraph) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.label) for e in picture.edges}


def same_picture(small: GraphIndex, picture: explore.Subgraph, index: GraphIndex, expected: explore.Subgraph) -> None:
    assert set(picture.nodes) == set(expected.nodes)
    assert edges(picture) == edges(expected)
    for iri in picture.nodes:
        assert small.nodes[iri].type == index.nodes[iri].type
        if small.nodes[iri].type not in EVENT_TYPES:  # an event is named after its ends, which may lie outside the view
            assert explore.node_label(small, iri) == explore.node_label(index, iri)


@pytest.mark.parametrize("fixture", ["store", "judged"])
def test_the_overview_draws_what_the_whole_index_draws(fixture: str, request: pytest.FixtureRequest) -> None:
    s = request.getfixturevalue(fixture)
    index = load_index(s)
    small, picture = views.view(s)
    same_picture(small, picture, index, explore.subgraph(index))
    assert picture.total is not None  # the whole graph fits under the cap: nothing was cut


@pytest.mark.parametrize("fixture", ["store", "judged"])
@pytest.mark.parametrize("depth", [1, 2])
def test_every_focused_view_draws_what_the_whole_index_draws(fixture: str, depth: int, request: pytest.FixtureRequest) -> None:
    s = request.getfixturevalue(fixture)
    index = load_index(s)
    review = judgements.load(s)
    for focus in index.nodes:
        small, picture = views.view(s, focus=focus, depth=depth, review=review)
        same_picture(small, picture, index, explore.subgraph(index, focus=focus, depth=depth))


def test_judgements_apply_to_the_view(judged: Store) -> None:
    small, picture = views.view(judged, focus=FERRO_DEAL, depth=1)
    assert LIANDO in picture.nodes and SUZHOU not in picture.nodes  # the corrected party
    small, picture = views.view(judged, focus=PARK_DEAL, depth=1)
    assert KAZAKH_INVEST not in picture.nodes  # the rejected party
    spellings = {lb.text for lb in views.view(judged, focus=OFFICIAL, depth=1)[0].nodes[OFFICIAL].labels}
    assert {"Abzal Abdikarimuly", "Abzal Abdikarimov"} <= spellings  # merged into one node


def test_types_limit_what_is_walked_and_drawn(store: Store) -> None:
    index = load_index(store)
    kinds = frozenset({"Region", "Company", "Agreement"})
    small, picture = views.view(store, types=kinds)
    assert set(picture.nodes) == set(explore.subgraph(index, explore.Filters(types=kinds)).nodes)
    assert {small.nodes[n].type for n in picture.nodes} <= kinds


def test_the_cap_bounds_what_is_read_and_says_so(store: Store) -> None:
    small, picture = views.view(store, focus=AKTOBE, depth=3, cap=4)
    assert len(small.nodes) <= 4 and len(picture.nodes) <= 4
    assert picture.capped and picture.total is None


def test_overview_starts_at_the_best_connected_entities(store: Store) -> None:
    small, picture = views.view(store, depth=2, cap=3)
    assert AKTOBE in picture.nodes
    nodes, _ = viz.page_data(viz.render(small, picture))
    assert "Ақтөбе облысы" in {n["label"] for n in nodes}


@pytest.mark.parametrize("fixture", ["store", "judged"])
def test_deals_read_by_one_scan_per_agreement_equal_the_named_queries(fixture: str, request: pytest.FixtureRequest) -> None:
    s = request.getfixturevalue(fixture)
    review = judgements.load(s)
    agreements = list(load_index(s).deals)
    by_queries = deals.load(s, review, only=agreements, articles=False)
    by_scan = deals.load(s, review, only=agreements, articles=False, rows=views.deal_rows(s, agreements))
    assert set(by_scan.deals) == set(by_queries.deals) and by_scan.deals
    for iri, deal in by_queries.deals.items():
        other = by_scan.deals[iri]
        assert (other.per_source, other.parties, sorted(other.regions), sorted(other.projects), other.reported, other.reviewed) == \
               (deal.per_source, deal.parties, sorted(deal.regions), sorted(deal.projects), deal.reported, deal.reviewed)


def test_deals_of_some_agreements_only(store: Store) -> None:
    book = deals.load(store, only=[FERRO_DEAL])
    assert set(book.deals) == {FERRO_DEAL} and book.deals[FERRO_DEAL].sources == 3
    assert deals.load(store, only=[]).deals == {}


def test_search_reads_names_only_and_finds_merged_spellings_under_the_node_kept(judged: Store) -> None:
    names = views.search_index(judged, judgements.load(judged))
    assert not names.edges and not names.deals
    assert explore.search(names, "Aktobe oblast")[0].iri == AKTOBE
    assert explore.search(names, "Abdikarimuly")[0].iri == OFFICIAL
    assert all(not n.type == "Agreement" for n in names.nodes.values())


def test_an_entity_page_gets_its_deals_with_their_parties(store: Store) -> None:
    index, capped = views.neighbourhood(store, AKTOBE)
    assert not capped and FERRO_DEAL in index.deals and SUZHOU in index.nodes
    assert explore.deals_table(index)  # every party of its deals is named
    small, capped = views.neighbourhood(store, AKTOBE, cap=2)
    assert capped


def test_an_empty_store_has_nothing_to_draw() -> None:
    with open_store(":memory:") as empty:
        assert not views.has_entities(empty) and views.supported(empty)
        small, picture = views.view(empty)
        assert picture.nodes == [] and small.nodes == {}


def test_an_entity_page_reads_evidence_from_a_bounded_number_of_articles(store: Store) -> None:
    index, _ = views.neighbourhood(store, AKTOBE)
    whole = explore.entity_view(store, index, AKTOBE)
    bounded = explore.entity_view(store, index, AKTOBE, articles=10)
    assert [(f.article, f.text) for f in bounded.facts] == [(f.article, f.text) for f in whole.facts]
    assert bounded.posts == [{k: v for k, v in p.items() if not k.endswith("Name")} for p in whole.posts]
    one = explore.entity_view(store, index, AKTOBE, articles=1)
    assert len({f.article for f in one.facts}) == 1 and len({f.article for f in whole.facts}) == 3


def test_expanding_a_node_adds_what_the_index_adds(store: Store) -> None:
    index = load_index(store)
    before = explore.subgraph(index, focus=SUZHOU, depth=1)
    expected = explore.expand(index, before, (AKTOBE, FERRO_DEAL))
    small, picture = views.view(store, focus=SUZHOU, depth=1)
    grown_index, grown = views.expand(store, picture, (AKTOBE, FERRO_DEAL))
    assert set(grown.nodes) == set(expected.nodes) and len(grown.nodes) > len(picture.nodes)
    assert edges(grown) == edges(expected)
    assert set(grown.nodes) <= set(grown_index.nodes)
