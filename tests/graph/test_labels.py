"""Preferred labels: one per entity per language, Latin script for English when no English name."""

from __future__ import annotations

import pyoxigraph as ox

from graph import labels
from graph.namespaces import DG, RDFS, SKOS, prefixed
from graph.store import iter_rows, open_store

G1 = "https://w3id.org/dealgraph/article/0000000000000001"
G2 = "https://w3id.org/dealgraph/article/0000000000000002"
E = ox.NamedNode("https://w3id.org/dealgraph/id/company/x")


def test_the_name_most_articles_give_wins_and_english_falls_back_to_latin() -> None:
    chosen = labels.preferred({"ru": [(1, 2, "Чжонъюн Интернешнл"), (1, 1, "Чжунъюн"), (0, 5, "ЧИ")],
                               "kk": [(0, 1, "Чжонъюн")]})
    assert chosen == {"ru": "Чжонъюн Интернешнл", "kk": "Чжонъюн", "en": "Chzhon'yun Interneshnl"}


def test_a_language_with_no_name_borrows_the_nearest() -> None:
    assert labels.preferred({"en": [(1, 1, "Sumec")]}) == {"en": "Sumec", "kk": "Sumec", "ru": "Sumec"}
    assert labels.preferred({"kk": [(1, 1, "Ақтөбе")]})["ru"] == "Ақтөбе"


def test_refresh_writes_one_label_per_language_across_articles() -> None:
    def names(*pairs: tuple[str, str]) -> list[ox.Triple]:
        return [ox.Triple(E, ox.NamedNode(DG + "matchKey"), ox.Literal("x"))] + [
            ox.Triple(E, ox.NamedNode(RDFS + "label"), ox.Literal(text, language=lang)) for text, lang in pairs]

    with open_store(":memory:") as store:
        store.replace_graphs({G1: names(("Пекин", "ru")), G2: names(("Бейжің", "kk"), ("Пекин", "ru"))})
        labels.refresh(store)
        rows = iter_rows(store.query(f"SELECT ?l WHERE {{ ?e <{SKOS}prefLabel> ?l }}"))
        assert sorted((r["l"].value, r["l"].language) for r in rows) == [
            ("Pekin", "en"), ("Бейжің", "kk"), ("Пекин", "ru")]
        store.replace_graphs({G2: []})
        labels.refresh(store)
        rows = iter_rows(store.query(f"SELECT ?l WHERE {{ ?e <{SKOS}prefLabel> ?l }}"))
        assert sorted(r["l"].value for r in rows) == ["Pekin", "Пекин", "Пекин"]


def test_prefixed_names_only_where_they_paste_back() -> None:
    assert prefixed(DG + "Agreement") == "dg:Agreement"
    assert prefixed("https://w3id.org/dealgraph/id/city/kz-aktobe") == "<https://w3id.org/dealgraph/id/city/kz-aktobe>"
