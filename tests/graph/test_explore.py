"""Search, focus, filters, the entity page and the deals table on pipeline output (tests/viewer_data.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from graph import explore
from graph.index import GraphIndex, load_index
from graph.store import Store, open_store
from viewer_data import AKTOBE, ENTITY_COUNT, FERRO_DEAL, KAZAKH_INVEST, LIANDO, OFFICIAL, PARK_DEAL, SHANGHAI, SUZHOU, fill


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    s = fill(open_store(":memory:"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def index(store: Store) -> GraphIndex:
    return load_index(store)


def visits(index: GraphIndex) -> set[str]:
    """The visits the pipeline found (events are not merged across articles)."""
    return {n for n, node in index.nodes.items() if node.type == "Visit"}


def projects(index: GraphIndex, deal: str) -> set[str]:
    return set(index.deals[deal].projects)


def test_index_holds_entities_edges_and_deals(index: GraphIndex) -> None:
    assert len(index.nodes) == ENTITY_COUNT
    assert set(index.deals) == {FERRO_DEAL, PARK_DEAL}
    assert index.nodes[AKTOBE].type == "Region" and visits(index)
    assert {(e.source, e.predicate, e.target) for e in index.edges} >= {
        (FERRO_DEAL, "party", SUZHOU), (FERRO_DEAL, "locationRegion", AKTOBE), (OFFICIAL, "holdsPost", AKTOBE)}


@pytest.mark.parametrize("text", ["Ақтөбе", "Актюбинская", "Aktobe", "aqtobe", "АКТОБЕ", "aktobe region"])
def test_search_finds_aktobe_in_any_script(index: GraphIndex, text: str) -> None:
    assert explore.search(index, text)[0].iri == AKTOBE


def test_search_by_transliteration_meets_kazakh_and_russian_spellings(index: GraphIndex) -> None:
    assert explore.search(index, "Абдикаримов")[0].iri == OFFICIAL
    assert explore.search(index, "Әбдікәрімов")[0].iri == OFFICIAL
    assert explore.search(index, "Шанхай")[0].iri == SHANGHAI


@pytest.mark.parametrize("text", ['"', "} ; DROP ALL", "{ }", "", "   "])
def test_search_with_hostile_or_empty_text_finds_nothing_and_changes_nothing(store: Store, index: GraphIndex, text: str) -> None:
    before = store.count()
    assert explore.search(index, text) == []
    assert store.count() == before


def test_names_follow_the_language_choice(index: GraphIndex) -> None:
    assert index.name(AKTOBE, "kk") == "Ақтөбе облысы"
    assert index.name(AKTOBE, "ru") == "Актюбинская область"
    assert index.name(AKTOBE, "en") == "Aktobe Region"
    assert index.name(AKTOBE, "latin") == "Aqtobe oblysy"
    assert index.name(LIANDO, "kk") == "Liando"
    assert "Suzhou Hunan New Materials" in index.name(FERRO_DEAL, "ru")


def test_whole_graph_without_focus(index: GraphIndex) -> None:
    sub = explore.subgraph(index)
    assert len(sub.nodes) == ENTITY_COUNT and not sub.capped
    merged = {(e.source, e.target): e.label for e in sub.edges}
    assert set(merged[FERRO_DEAL, AKTOBE].split(", ")) == {"located in", "party"}


def test_focus_depth(index: GraphIndex) -> None:
    one = explore.subgraph(index, focus=AKTOBE, depth=1)
    assert one.nodes[0] == AKTOBE and one.focus == AKTOBE
    assert set(one.nodes) == {AKTOBE, FERRO_DEAL, PARK_DEAL, OFFICIAL} | visits(index)
    two = explore.subgraph(index, focus=SUZHOU, depth=2)
    met = {v for v in visits(index) if SUZHOU in index.neighbours(v)}
    assert met and set(two.nodes) == {SUZHOU, FERRO_DEAL, AKTOBE, OFFICIAL, SHANGHAI, KAZAKH_INVEST} | met | projects(index, FERRO_DEAL)
    three = explore.subgraph(index, focus=SUZHOU, depth=3)
    assert PARK_DEAL in three.nodes and LIANDO not in three.nodes


def test_cap_cuts_the_walk_and_says_so(index: GraphIndex) -> None:
    sub = explore.subgraph(index, focus=AKTOBE, depth=3, cap=4)
    assert len(sub.nodes) == 4 and sub.total > 4 and sub.capped
    assert all(e.source in sub.nodes and e.target in sub.nodes for e in sub.edges)


def test_type_filter_hides_nodes_and_the_paths_through_them(index: GraphIndex) -> None:
    sub = explore.subgraph(index, explore.Filters(types=frozenset({"Region", "Agreement", "Company"})), focus=AKTOBE, depth=3)
    assert set(sub.nodes) == {AKTOBE, FERRO_DEAL, PARK_DEAL, SUZHOU, LIANDO}


@pytest.mark.parametrize(("filters", "deals"), [
    (explore.Filters(statuses=frozenset({"planned"})), {PARK_DEAL}),
    (explore.Filters(kinds=frozenset({"framework_agreement"})), {FERRO_DEAL}),
    (explore.Filters(companies=frozenset({SUZHOU})), {FERRO_DEAL}),
    (explore.Filters(regions=frozenset({AKTOBE})), {FERRO_DEAL, PARK_DEAL}),
    (explore.Filters(countries=frozenset({"KZ"})), {FERRO_DEAL, PARK_DEAL}),
    (explore.Filters(countries=frozenset({"US"})), set()),
    (explore.Filters(amount_min=Decimal("180000000")), {FERRO_DEAL}),
    (explore.Filters(amount_max=Decimal("100000000")), {PARK_DEAL}),
    (explore.Filters(date_from=dt.date(2026, 1, 28)), {PARK_DEAL}),
    (explore.Filters(date_to=dt.date(2025, 12, 31)), set()),
])
def test_deal_filters(index: GraphIndex, filters: explore.Filters, deals: set[str]) -> None:
    assert {r["iri"] for r in explore.deals_table(index, filters)} == deals
    sub = explore.subgraph(index, filters, depth=1)
    assert {n for n in sub.nodes if index.nodes[n].type == "Agreement"} == deals


def test_filtered_overview_starts_from_the_matching_deals(index: GraphIndex) -> None:
    sub = explore.subgraph(index, explore.Filters(statuses=frozenset({"planned"})), depth=1)
    assert set(sub.nodes) == {PARK_DEAL, AKTOBE, KAZAKH_INVEST, LIANDO} | projects(index, PARK_DEAL)


def test_deals_table_flags_the_disputed_amount(index: GraphIndex) -> None:
    rows = {r["iri"]: r for r in explore.deals_table(index, mode="en")}
    ferro = rows[FERRO_DEAL]
    assert ferro["sources"] == 3 and ferro["disagree"] and ferro["disagreement"] == "amount, qualifier"
    assert (ferro["amount"], ferro["currency"], ferro["qualifier"]) == (150000000.0, "USD", "over")
    assert "about 200,000,000 USD ×1" in ferro["amounts reported"]
    assert ferro["parties"] == "Aktobe Region; Suzhou Hunan New Materials" and ferro["region"] == "Aktobe Region"
    assert ferro["kind"] == "framework agreement" and ferro["status"] == "signed"
    assert ferro["amount (USD)"] == 150000000.0 and ferro["article urls"].count("https://news.example.kz/") == 3
    assert ferro["date"] == dt.date(2026, 1, 27)
    park = rows[PARK_DEAL]
    assert not park["disagree"] and park["sources"] == 1 and park["status"] == "planned"


def test_deals_download_as_csv_and_excel(index: GraphIndex) -> None:
    rows = explore.deals_table(index, mode="ru")
    parsed = list(csv.DictReader(io.StringIO(explore.table_csv(rows).decode("utf-8-sig"))))
    ferro = next(r for r in parsed if r["iri"] == FERRO_DEAL)
    assert ferro["disagree"] == "True" and "Актюбинская область" in ferro["parties"]
    sheet = load_workbook(io.BytesIO(explore.table_xlsx(rows))).active
    header = [c.value for c in sheet[1]]
    assert header == list(explore.DEAL_COLUMNS) and sheet.max_row == len(rows) + 1


def test_entity_view_of_a_region(store: Store, index: GraphIndex) -> None:
    view = explore.entity_view(store, index, AKTOBE)
    assert view.name == "Ақтөбе облысы" and view.type == "Region"
    assert {(a["name"], a["language"]) for a in view.aliases} >= {
        ("Ақтөбе облысы", "kk"), ("Актюбинская область", "ru"), ("Aktobe Region", "en")
    }
    assert set(view.deals) == {FERRO_DEAL, PARK_DEAL}
    assert [(p["official"], p["role"]) for p in view.posts] == [(OFFICIAL, "deputy akim")]
    assert {f.language for f in view.facts} == {"kk", "ru", "en"}
    ru = next(f for f in view.facts if f.language == "ru" and ("Актюбинской области", True) in f.parts)
    assert "Актюбинская область" in ru.text and ru.title and ru.date == dt.date(2026, 1, 28)
    assert ru.source.startswith("https://")
    assert not any(f.predicate == "type" for f in view.facts)


def test_entity_view_of_an_official_includes_the_post_evidence(store: Store, index: GraphIndex) -> None:
    view = explore.entity_view(store, index, OFFICIAL, mode="en")
    predicates = {f.predicate for f in view.facts}
    assert {"holdsPost", "postIn", "ledBy"} <= predicates
    kk = next(f for f in view.facts if f.language == "kk" and f.predicate == "ledBy")
    assert ("Абзал Әбдікәрімовтің", True) in kk.parts


def test_entity_view_of_a_deal_lists_every_reported_amount(store: Store, index: GraphIndex) -> None:
    view = explore.entity_view(store, index, FERRO_DEAL, mode="en")
    amounts = sorted(f.text.split("→ ")[1] for f in view.facts if f.predicate == "amount")
    assert amounts == ["about 200,000,000 USD", "over 150,000,000 USD", "over 150,000,000 USD"]


def test_highlight_marks_inflected_names() -> None:
    parts = explore.highlight("Делегация Актюбинской области провела переговоры.", ["Актюбинская область"])
    assert parts == [("Делегация ", False), ("Актюбинской области", True), (" провела переговоры.", False)]
    assert explore.highlight("no names here", ["Aktobe Region"]) == [("no names here", False)]


def test_node_facts_and_labels(index: GraphIndex) -> None:
    facts = explore.node_facts(index, FERRO_DEAL, "en")
    assert "amount: over 150,000,000 USD (2 sources)" in facts
    assert "sources disagree on: amount, qualifier" in facts
    assert explore.node_label(index, FERRO_DEAL) == "framework agreement\n>150M USD ⚠"


def test_filter_options(index: GraphIndex) -> None:
    options = explore.filter_options(index, "en")
    assert options["regions"] == {AKTOBE: "Aktobe Region"}
    assert set(options["companies"]) == {SUZHOU, LIANDO}
    assert options["countries"] == {"CN": "CN", "KZ": "KZ"}  # Shanghai's and Aktobe's
    assert options["statuses"] == {"planned": "planned", "signed": "signed"}
    dates, amounts = explore.deal_bounds(index)
    assert dates == (dt.date(2026, 1, 27), dt.date(2026, 1, 29)) and amounts == (30000000, 200000000)


@pytest.mark.parametrize(("text", "landmark"), [
    ("Abdykarimov", OFFICIAL), ("Abdikarimuly", None), ("Aktobe oblast", AKTOBE), ("Актюбинская обл", AKTOBE),
    ("Suzhou Hunan", SUZHOU), ("Suzou Hunan New Materials", SUZHOU),
])
def test_fuzzy_search_over_every_label_and_its_transliteration(index: GraphIndex, text: str, landmark: str | None) -> None:
    hits = explore.search(index, text)
    assert (hits[0].iri if hits else None) == landmark


def test_a_region_ranks_before_a_city_of_the_same_name() -> None:
    from graph.index import Label, Node

    def node(iri: str, kind: str, *names: str) -> Node:
        return Node(iri, kind, 1, [Label(n, "kk" if i == 0 else "ru", True, 1) for i, n in enumerate(names)])

    nodes = {n.iri: n for n in (
        node("city", "City", "Қарағанды", "Караганда"), node("region", "Region", "Қарағанды облысы", "Карагандинская область"),
        node("firm", "Company", "Karagandy Steel"))}
    small = GraphIndex(nodes=nodes, edges=[], deals={})
    assert [h.iri for h in explore.search(small, "Karagandy")][:2] == ["region", "city"]
    assert [h.iri for h in explore.search(small, "Қарағанды")][:2] == ["region", "city"]
    assert explore.search(small, "Karagandy oblast")[0].iri == "region"


def test_deal_evidence_names_each_sentence_once_and_marks_names_not_sentences(store: Store, index: GraphIndex) -> None:
    view = explore.entity_view(store, index, FERRO_DEAL, mode="en")
    groups = explore.evidence_groups([f for f in view.facts if f.language == "en"])
    sentences = ["".join(text for text, _ in parts) for parts, _ in groups]
    assert len(sentences) == len(set(sentences)) and len(groups) < len([f for f in view.facts if f.language == "en"])
    for parts, _ in groups:
        marked = "".join(text for text, flag in parts if flag)
        assert marked and len(marked) < 0.8 * sum(len(text) for text, _ in parts)
    assert any(("Suzhou Hunan New Materials", True) in parts for parts, _ in groups)
    assert all(f.predicate != "type" and f.source.startswith("https://") for f in view.facts)


def test_english_names_are_latin_where_no_article_gives_one() -> None:
    """A name only ever written in Cyrillic is transliterated for English, as skos:prefLabel@en is."""
    import pyoxigraph as ox

    company = ox.NamedNode("https://w3id.org/dealgraph/id/company/x")
    triples = [ox.Triple(company, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                         ox.NamedNode("https://w3id.org/dealgraph/ontology#Company")),
               ox.Triple(company, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                         ox.Literal("Чжонъюн Интернешнл", language="ru"))]
    with open_store(":memory:") as own:
        own.replace_graphs({"https://w3id.org/dealgraph/article/00000000000000ff": triples})
        names = load_index(own)
    assert names.name(company.value, "en") == "Chzhon'yun Interneshnl"
    assert names.name(company.value, "ru") == "Чжонъюн Интернешнл"
