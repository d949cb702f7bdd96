"""Every page of the Streamlit viewer, run headless with AppTest on pipeline output (tests/viewer_data.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph import explore
from graph.index import load_index
from graph.store import ENV_VAR, open_store
from viewer_data import AKTOBE, ENTITY_COUNT, FERRO_DEAL, LIANDO, SUZHOU, fill

APP = Path(__file__).resolve().parent.parent / "app.py"


@pytest.fixture(scope="module", autouse=True)
def viewer_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One embedded store for the module; the app opens it once and keeps it (as in
    production), so the caches are emptied before and after to release it."""
    location = str(tmp_path_factory.mktemp("viewer") / "store")
    with open_store(location) as store:
        fill(store)
    st.cache_resource.clear()
    st.cache_data.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, location)
        yield location
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def expected() -> dict[str, int]:
    store = fill(open_store(":memory:"))
    index = load_index(store)
    store.close()
    planned = explore.Filters(statuses=frozenset({"planned"}))
    return {"focus1": len(explore.subgraph(index, focus=AKTOBE, depth=1).nodes),
            "focus2": len(explore.subgraph(index, focus=AKTOBE, depth=2).nodes),
            "planned2": len(explore.subgraph(index, planned, depth=2).nodes)}


def start(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if page:
        at.radio(key="page").set_value(page).run()
    assert not at.exception, at.exception
    return at


def drawn(at: AppTest) -> dict:
    """What the explorer's picture component was asked to draw."""
    pictures = at.get("component_instance")
    assert len(pictures) == 1 and pictures[0].proto.component_name.endswith("picture.network")
    return json.loads(pictures[0].proto.json_args)


def drawn_labels(at: AppTest) -> list[str]:
    return [n["label"] for n in drawn(at)["nodes"]]


def test_explorer_draws_the_whole_graph_offline() -> None:
    at = start()
    labels = drawn_labels(at)
    assert len(labels) == ENTITY_COUNT and "Ақтөбе облысы" in labels
    assert not at.get("iframe") and "http" not in json.dumps(drawn(at)["legend"])
    assert any(f"{ENTITY_COUNT} nodes" in c.value for c in at.caption)


def test_the_explorer_and_entity_pages_never_load_the_whole_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first picture, search, focus and an entity page read the store per view; only the
    pages that sum over every deal load the index (graph/views.py)."""
    import graph.index

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole index was loaded")

    st.cache_resource.clear()
    st.cache_data.clear()
    monkeypatch.setattr(graph.index, "load_index", refuse)
    at = start()
    assert len(drawn_labels(at)) == ENTITY_COUNT
    at.text_input(key="ex_search_q").input("Aktobe").run()
    at.button(key="focus_btn").click().run()
    at.button(key="open_from_graph").click().run()
    assert not at.exception and at.radio(key="page").value == "Entity"
    at.radio(key="page").set_value("Deals").run()
    assert at.exception  # the Deals page sums over every deal: it did ask for the index
    st.cache_resource.clear()
    st.cache_data.clear()


def test_search_by_a_russian_label_then_focus(expected: dict[str, int]) -> None:
    at = start()
    at.text_input(key="ex_search_q").input("Актюбинская").run()
    assert at.selectbox(key="ex_search_pick").value == AKTOBE
    at.button(key="focus_btn").click().run()
    assert any("Focus: **Ақтөбе облысы**" in m.value for m in at.markdown)
    assert len(drawn_labels(at)) == expected["focus2"]
    at.slider(key="ex_depth").set_value(1).run()
    assert len(drawn_labels(at)) == expected["focus1"] < expected["focus2"]


def test_search_with_no_match_says_so() -> None:
    at = start()
    at.text_input(key="ex_search_q").input('"} ; DROP ALL').run()
    assert any("No entity has a name like" in i.value for i in at.info)
    assert len(drawn_labels(at)) == ENTITY_COUNT


def test_node_cap_message() -> None:
    at = start()
    at.number_input(key="cap").set_value(10).run()
    warning = " ".join(w.value for w in at.warning)
    assert "Showing 10 nodes: the node cap" in warning and "Narrow down" in warning
    assert len(drawn_labels(at)) == 10


def test_filters_narrow_the_graph(expected: dict[str, int]) -> None:
    at = start()
    at.slider(key="ex_depth").set_value(1).run()
    at.checkbox(key="ex_on_deals").check().run()  # deal filters read every deal: offered behind a tick
    at.multiselect(key="ex_statuses").set_value(["planned"]).run()
    assert len(drawn_labels(at)) == 5
    at.slider(key="ex_depth").set_value(2).run()
    assert len(drawn_labels(at)) == expected["planned2"] > 5
    at.multiselect(key="ex_statuses").set_value([]).run()
    at.multiselect(key="ex_types").set_value(["Region", "Company", "Agreement"]).run()
    assert len(drawn_labels(at)) == 5


def test_language_choice_changes_the_names() -> None:
    at = start()
    at.selectbox(key="lang").set_value("ru").run()
    assert "Актюбинская область" in drawn_labels(at)
    at.selectbox(key="lang").set_value("latin").run()
    assert "Aqtobe oblysy" in drawn_labels(at)


def test_entity_page_is_reachable_from_the_graph() -> None:
    at = start()
    at.selectbox(key="ex_graph_pick").set_value(AKTOBE).run()
    at.button(key="open_from_graph").click().run()
    assert at.radio(key="page").value == "Entity"
    assert at.subheader[0].value == "Ақтөбе облысы"
    evidence = " ".join(h.proto.body for h in at.get("html"))
    assert "<mark>Актюбинской области</mark>" in evidence and "<mark>Ақтөбе облысында</mark>" in evidence
    assert "news.example.kz" in evidence
    assert len(at.dataframe) >= 3


def test_entity_page_search() -> None:
    at = start("Entity")
    at.text_input(key="en_search_q").input("Aktobe").run()
    at.button(key="entity_open").click().run()
    assert at.subheader[0].value == "Ақтөбе облысы"


def test_deals_page_table_flags_and_downloads() -> None:
    at = start("Deals")
    frame = at.dataframe[0].value
    assert len(frame) == 2
    ferro = frame[frame["sources"] == 3].iloc[0]
    assert bool(ferro["disagree"]) and ferro["disagreement"] == "amount, qualifier"
    labels = {b.label for b in at.get("download_button")}
    assert labels == {"Download CSV", "Download Excel", "Download JSON"}
    at.selectbox(key="dl_pick").set_value(FERRO_DEAL).run()
    at.button(key="deals_open").click().run()
    assert at.radio(key="page").value == "Entity"


def test_sparql_console_runs_the_gallery_query() -> None:
    at = start("SPARQL console")
    at.selectbox(key="sq_gallery").set_value("officials_posts").run()
    assert "dg:holdsPost" in at.text_area(key="sq_text").value
    at.button(key="sparql_run").click().run()
    assert not at.error
    assert list(at.dataframe[0].value["role"]) == ["deputy akim"]
    assert {b.label for b in at.get("download_button")} == {"Download CSV", "Download TSV", "Download JSON", "Download XML"}


def test_sparql_console_refuses_updates() -> None:
    at = start("SPARQL console")
    at.text_area(key="sq_text").input("DROP ALL").run()
    at.button(key="sparql_run").click().run()
    assert "read-only" in at.error[0].value
    at.text_area(key="sq_text").input("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").run()
    at.button(key="sparql_run").click().run()
    assert int(at.dataframe[0].value["n"][0]) > 500


@pytest.mark.parametrize("text", [
    "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000,
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ",
])
def test_sparql_console_answers_hostile_text_with_one_line(text: str) -> None:
    """Deep nesting crashed the app, SERVICE sent requests anywhere (issue 9)."""
    at = start("SPARQL console")
    at.text_area(key="sq_text").input(text).run()
    at.button(key="sparql_run").click().run()
    assert not at.exception
    assert len(at.error) == 1 and len(at.error[0].value.splitlines()) == 1
    at.text_area(key="sq_text").input("ASK { ?s ?p ?o }").run()
    at.button(key="sparql_run").click().run()
    assert not at.error


def test_sparql_parameters_are_bound_not_pasted() -> None:
    at = start("SPARQL console")
    at.selectbox(key="sq_gallery").set_value("companies_by_total_amount").run()
    at.text_input(key="sq_param_companies_by_total_amount_currency").input('USD" } ; DROP ALL ; #').run()
    at.button(key="sparql_run").click().run()
    assert not at.error and len(at.dataframe[0].value) == 0
    at.text_input(key="sq_param_companies_by_total_amount_currency").input("USD").run()
    at.button(key="sparql_run").click().run()
    assert len(at.dataframe[0].value) == 2
    at.text_input(key="sq_param_companies_by_total_amount_company").input("not an iri {}").run()
    assert "not a valid iri" in at.error[0].value


def test_ingest_page_reports_each_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.pipeline

    def fake(store, name: str, data: bytes) -> dict:
        if name == "broken.html":
            raise ValueError("no article text found")
        return {"articles": 1, "facts": 12, "agreements": 1, "errors": []}

    monkeypatch.setattr(ingest.pipeline, "ingest_uploaded", fake, raising=False)
    at = start("Ingest")
    at.file_uploader(key="ingest_files").set_value([
        ("a.txt", "Ақтөбе облысы".encode(), "text/plain"),
        ("broken.html", b"<html></html>", "text/html"),
    ]).run()
    at.button(key="ingest_run").click().run()
    assert [s.value for s in at.success] == ["a.txt: 12 facts added from 1 article(s)"]
    assert [e.value for e in at.error] == ["broken.html: no article text found"]


def test_ingest_page_without_the_pipeline_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.pipeline

    monkeypatch.delattr(ingest.pipeline, "ingest_uploaded", raising=False)
    at = start("Ingest")
    at.file_uploader(key="ingest_files").set_value(("a.txt", b"text", "text/plain")).run()
    at.button(key="ingest_run").click().run()
    assert "ingest pipeline is not available" in at.error[0].value


def test_insights_page() -> None:
    at = start("Insights")
    companies = at.dataframe[0].value
    assert list(companies["name"]) == ["Suzhou Hunan New Materials", "Liando"]
    assert at.dataframe[1].value["name"][0] == "Ақтөбе облысы"
    at.text_input(key="in_path_a_q").input("Liando").run()
    at.text_input(key="in_path_b_q").input("Шанхай").run()
    path = " ".join(m.value for m in at.markdown)
    assert "Liando" in path and "Шанхай" in path and "—party—" in path
    assert [s.value for s in at.subheader] == [
        "Shortest path between two entities", "Communities", "Company – region projection", "Totals"
    ]
    assert len(at.get("vega_lite_chart")) == 2
    totals = " ".join(m.value for m in at.markdown)
    assert "By region** — 2 deal(s), 180,000,000 USD in all" in totals  # the 3-article deal once


def test_map_page_shows_the_deals_by_region_offline_and_opens_a_region() -> None:
    at = start("Map")
    frame = at.dataframe[0].value
    assert len(frame) == 20  # 17 regions and 3 cities
    aktobe = frame[frame["deals"] > 0]
    assert list(aktobe["deals"]) == [2] and float(aktobe["USD equivalent"].iloc[0]) == 180_000_000
    chart = at.get("plotly_chart")[0].proto.spec
    assert "KZ-15" in chart and "mapbox" not in chart and '"geo"' not in chart
    at.selectbox(key="map_pick").set_value(AKTOBE).run()
    at.button(key="map_open").click().run()
    assert at.radio(key="page").value == "Entity" and at.subheader[0].value == "Ақтөбе облысы"
    assert any("Signings by year and status" in m.value for m in at.markdown)


def test_ingest_page_offers_to_delete_an_article_after_confirmation() -> None:
    """Only the offer is checked here: the store is shared by this module's tests (deleting is
    tested on its own store in tests/graph/test_export.py)."""
    at = start("Ingest")
    box = at.selectbox(key="delete_article")
    assert len(box.options) == 3 and any("aktobe-suzhou" in option for option in box.options)
    assert at.button(key="delete_run").disabled
    at.checkbox(key="delete_sure").check().run()
    assert not at.button(key="delete_run").disabled


def test_keep_apart_on_a_merge_edits_judgements_only(viewer_store: str) -> None:
    """A merge listed on the entity page is undone and the pair kept apart, nothing re-extracted."""
    from graph import judgements, reviewed

    with open_store(viewer_store) as store:
        merge = judgements.record(store, "merge", SUZHOU, obj=LIANDO, who="test")
        reviewed.refresh(store)
        before = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
                             "'https://w3id.org/dealgraph/article/')) }")
        before = int(next(iter(before))["n"].value)
    st.cache_resource.clear()
    try:
        at = start("Entity")
        at.text_input(key="en_search_q").input("Suzhou Hunan").run()
        at.button(key="entity_open").click().run()
        at.button(key="rv_split_0").click().run()
        assert not at.exception, at.exception
        with open_store(viewer_store) as store:
            review = judgements.load(store)
            undone = {j.iri: j.undone is not None for j in review.judgements}
            assert undone[merge.iri] and frozenset((SUZHOU, LIANDO)) in review.apart
            after = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
                                "'https://w3id.org/dealgraph/article/')) }")
            assert int(next(iter(after))["n"].value) == before
            assert LIANDO in load_index(store).nodes
    finally:
        with open_store(viewer_store) as store:
            for j in judgements.load(store).active:
                judgements.undo(store, j.iri)
            reviewed.refresh(store)
        st.cache_resource.clear()
