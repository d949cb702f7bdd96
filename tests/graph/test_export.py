"""Exports a researcher opens elsewhere: JSON-LD in rdflib, GraphML/GEXF in networkx, CSVs."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from graph import export
from ingest.cli import cli
from graph.store import Store, open_store


@pytest.fixture
def samples_dir(tmp_path, sample_graphs) -> str:
    location = str(tmp_path / "store")
    with open_store(location) as store:
        store.import_graphs(sample_graphs.items())
    return location


def test_the_published_context_is_the_ontology_s() -> None:
    assert export.published_context() == json.loads(json.dumps(export.build_context()))


def test_jsonld_loads_into_a_plain_graph_and_a_dataset_with_the_same_facts(samples_dir: str) -> None:
    data = CliRunner().invoke(cli, ["export", "--format", "jsonld", "--store", samples_dir]).stdout_bytes
    document = json.loads(data)
    assert document["@context"]["party"] == {"@id": "dg:party", "@type": "@id"}
    graph = Graph().parse(data=data, format="json-ld")
    dataset = Dataset().parse(data=data, format="json-ld")
    with open_store(samples_dir, read_only=True) as store:
        facts, quads, graphs = store.facts(), store.count(), set(store.named_graphs())
    assert len(graph) == facts
    assert set(graph) == set(dataset.default_graph)
    named = {str(g.identifier): len(g) for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier}
    assert set(named) == graphs and sum(named.values()) == quads


def test_graphml_and_gexf_open_in_networkx_with_types_and_labels(sample_store: Store) -> None:
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        graph = reader(io.BytesIO(export.network_bytes(sample_store, fmt)))
        types = nx.get_node_attributes(graph, "type")
        labels = nx.get_node_attributes(graph, "label")
        aktobe = next(n for n, label in labels.items() if label == "Aktobe Region")
        assert types[aktobe] == "Region"
        assert {"Agreement", "Company", "Official", "Region"} <= set(types.values())
        assert graph.number_of_edges() == export.network(sample_store).number_of_edges() > 0


def test_node_and_edge_csvs_agree(sample_store: Store) -> None:
    nodes = list(csv.DictReader(io.StringIO(export.network_bytes(sample_store, "nodes-csv").decode())))
    edges = list(csv.DictReader(io.StringIO(export.network_bytes(sample_store, "edges-csv").decode())))
    ids = {n["Id"] for n in nodes}
    assert edges and all(e["Source"] in ids and e["Target"] in ids for e in edges)
    assert any(e["Label"] == "party" for e in edges)


def test_delete_removes_one_article_and_only_its_own_facts(samples_dir: str) -> None:
    runner = CliRunner()
    with open_store(samples_dir, read_only=True) as store:
        before = set(store.named_graphs())
        shared = "PREFIX dg: <https://w3id.org/dealgraph/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?s a dg:Region }"
        regions = int(next(iter(store.query(shared)))["n"].value)
    result = runner.invoke(cli, ["delete", "samples/en_01_aktobe_ferroalloy.txt", "--store", samples_dir])
    assert result.exit_code == 0, result.output
    with open_store(samples_dir, read_only=True) as store:
        gone = before - set(store.named_graphs())
        assert len(gone) == 1
        assert not bool(store.query(f"ASK {{ GRAPH <{gone.pop()}> {{ ?s ?p ?o }} }}"))
        # the Aktobe region is still named by the kk and ru reports of the same deal
        assert int(next(iter(store.query(shared)))["n"].value) <= regions
        aktobe = store.query("ASK { <https://w3id.org/dealgraph/id/region/kz-akt-95883df5> ?p ?o }")
        assert bool(aktobe)
    missing = runner.invoke(cli, ["delete", "no-such-article.txt", "--store", samples_dir])
    assert missing.exit_code == 1 and "no article no-such-article.txt" in missing.stderr


def test_one_article_as_jsonld_is_its_graph(samples_dir: str) -> None:
    with open_store(samples_dir, read_only=True) as store:
        article = next(g for g in store.named_graphs() if "/article/" in g)
        size = len(list(store.query(f"SELECT * WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}")))
    data = CliRunner().invoke(cli, ["export", "--format", "jsonld", "--article", article, "--store", samples_dir])
    assert "@context" in json.loads(data.stdout)
    assert len(Graph().parse(data=data.stdout_bytes, format="json-ld")) == size
