"""A store written before resolution became judgements is migrated on its first writable open."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from graph import judgements, migrate, reviewed
from graph.namespaces import ARTICLE, DG, RDF, RDFS, RESOLUTION_GRAPH, entity_iri
from graph.store import open_store
from ingest.cli import cli

ARTICLE_GRAPH = ARTICLE + "0123456789abcdef"
SUMEC, SUMEK = entity_iri("company", "sumec"), entity_iri("company", "sumek")
LIU, LYU = entity_iri("official", "liu qiang"), entity_iri("official", "lyu qiang")


def t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)


def legacy_graphs() -> dict[str, list[ox.Triple]]:
    merge = "https://w3id.org/dealgraph/id/merge/0000000000000001"
    note = "https://w3id.org/dealgraph/id/keep-apart/0000000000000001"
    return {
        ARTICLE_GRAPH: [
            t(ARTICLE_GRAPH, RDF + "type", ox.NamedNode(DG + "Article")),
            t(SUMEC, RDF + "type", ox.NamedNode(DG + "Company")),
            t(SUMEC, RDFS + "label", ox.Literal("Сумек", language="ru")),
            t(SUMEC, DG + "matchKey", ox.Literal("sumec")),
            t(merge, RDF + "type", ox.NamedNode(DG + "Merge")),
            t(merge, DG + "kind", ox.Literal("company")),
            t(merge, DG + "key", ox.Literal("sumek")),
            t(merge, DG + "into", ox.NamedNode(SUMEC)),
            t(merge, DG + "rule", ox.Literal("phonetic key")),
            t(merge, DG + "score", ox.Literal("100.0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
            t(merge, RDFS + "label", ox.Literal("Сумек", language="ru")),
        ],
        RESOLUTION_GRAPH: [
            t(note, RDF + "type", ox.NamedNode(DG + "KeepApart")),
            t(note, DG + "kind", ox.Literal("official")),
            t(note, DG + "key", ox.Literal("lyu qiang")),
            t(note, DG + "otherKey", ox.Literal("liu qiang")),
        ],
    }


def test_merge_records_and_keep_apart_notes_become_judgements_once(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    with open_store(location) as store:
        store.import_graphs(legacy_graphs().items())
    assert CliRunner().invoke(cli, ["reindex", "--store", location]).exit_code == 0
    with open_store(location) as store:
        review = judgements.load(store)
        merges = [j for j in review.active if j.action == "merge"]
        assert [(j.machine, j.subject, j.object) for j in merges] == [(True, SUMEC, SUMEK)]
        assert "phonetic key" in merges[0].why and judgements.articles_of(store, merges[0].iri) == [ARTICLE_GRAPH]
        assert review.apart == {frozenset((LYU, LIU))}
        assert RESOLUTION_GRAPH not in store.named_graphs() and reviewed.GRAPH in store.named_graphs()
        assert not store.query(f"ASK {{ ?m a <{DG}Merge> }}")
        assert not migrate.upgrade(store)  # done once: a migrated store costs two ASK queries
        assert len(judgements.load(store).judgements) == 2
