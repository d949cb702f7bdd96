"""A deal located in a district, downstream: the graph types the district a dg:Region with
dg:placeKind "district" and dg:partOf its region; region totals, the map and the README's
Chinese-companies query count it in that region, while the deal keeps the district."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import deals, query, regionmap, reviewed
from graph.facts import article_facts
from graph.namespaces import entity_iri
from graph.store import Store, iter_rows, open_store
from ingest import pipeline
from ingest.article import Article

ROOT = Path(__file__).resolve().parents[2]
# Only the district is named (its region never is); the second deal is in the region itself.
IN_A_DISTRICT = ("Қытайлық Foo Group компаниясы мен Kazakh Invest ұлттық компаниясы Сарыағаш ауданында "
                 "цемент зауытын салу туралы меморандумға қол қойды. Жобаның құны 100 млн АҚШ доллары.")
IN_THE_REGION = ("Акимат Туркестанской области и китайская компания Bar Energy подписали меморандум о "
                 "строительстве солнечной электростанции в Туркестанской области стоимостью 50 млн долларов.")
REGION = entity_iri("region", "KZ-61")
DISTRICT = entity_iri("region", "KZ-61-Saryagash")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(str(tmp_path_factory.mktemp("districts"))) as s:
        for n, text in enumerate((IN_A_DISTRICT, IN_THE_REGION)):
            done = pipeline.extract(Article(text=text, source=f"district-{n}.txt", published="2026-05-04"))
            s.replace_graphs({done.graph: done.triples})
        reviewed.refresh(s)  # the preferred labels and the reviewed graph the gallery queries read
        yield s


def _graph_of(store: Store, text_start: str) -> str:
    rows = iter_rows(store.query("PREFIX dg: <https://w3id.org/dealgraph/ontology#> "
                                 "SELECT ?g ?t WHERE { GRAPH ?g { ?g a dg:Article ; dg:text ?t } }"))
    return next(r["g"].value for r in rows if r["t"].value.startswith(text_start[:30]))


def test_the_district_is_a_region_of_kind_district_in_its_oblast(store: Store) -> None:
    graph = _graph_of(store, IN_A_DISTRICT)
    facts = article_facts(store, graph)
    assert [r["name"] for r in facts["regions"]] == ["Сарыағаш ауданы"]
    assert facts["places"] == []
    assert [a["location_region"] for a in facts["agreements"]] == ["Сарыағаш ауданы"]
    ask = ("PREFIX dg: <https://w3id.org/dealgraph/ontology#> ASK { GRAPH <" + graph + "> { "
           f"<{DISTRICT}> a dg:Region ; dg:placeKind \"district\" ; dg:partOf <{REGION}> . "
           f"<{REGION}> dg:matchKey \"KZ-61\" FILTER NOT EXISTS {{ <{REGION}> a dg:Region }} }} }}")
    assert store.query(ask)  # the oblast is linked, not claimed as named by the article


def test_region_totals_count_the_district_deal_in_its_region_and_the_deal_keeps_the_district(store: Store) -> None:
    book = deals.load(store)
    located = {r for deal in book.deals.values() for r in deal.regions}
    assert DISTRICT in located
    totals = deals.totals(book, "region")
    assert set(totals.parts) == {REGION}
    assert totals.parts[REGION].deals == 2
    # read alone, the district's deal names no region node: the region comes in under its gazetteer name
    alone = deals.load(store, only=[iri for iri, deal in book.deals.items() if DISTRICT in deal.regions])
    assert set(deals.totals(alone, "region").parts) == {REGION}
    assert alone.name(REGION) == "Turkistan Region"


def test_the_map_counts_the_district_deal_in_its_region_once(store: Store) -> None:
    book = deals.load(store)
    rows = {r.iso: r for r in regionmap.figures(store, book)}
    assert rows["KZ-61"].deals == 2
    assert rows["KZ-61"].entity != DISTRICT
    assert sum(r.deals for r in rows.values()) == 2


def test_the_readme_query_names_the_region_of_a_district_deal(store: Store) -> None:
    text = (ROOT / "graph" / "queries" / "chinese_companies_in_kazakh_regions.rq").read_text(encoding="utf-8")
    rows = {(r["company"].value, r["region"].value) for r in iter_rows(store.query(text))}
    assert rows == {("Foo Group", "Turkistan Region"), ("Bar Energy", "Turkistan Region")}


def test_the_labels_graph_names_a_region_only_linked_from_a_district(store: Store) -> None:
    rows = query.run(store, "district_regions")
    assert [(r["district"], r["region"], r["name"]) for r in rows] == [(DISTRICT, REGION, "Turkistan Region")]


def test_deals_by_region_lists_a_district_deal_under_its_region(store: Store) -> None:
    under_region = {row["agreement"] for row in query.run(store, "deals_by_region", {"region": ox.NamedNode(REGION)})}
    under_district = {row["agreement"] for row in query.run(store, "deals_by_region", {"region": ox.NamedNode(DISTRICT)})}
    assert len(under_region) == 2 and len(under_district) == 1 and under_district < under_region
