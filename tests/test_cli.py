"""The dealgraph command as a user meets it: CliRunner for the commands, a real subprocess
for the killed ingest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from graph.namespaces import article_iri
from graph.store import open_store
from ingest.cli import cli
from ingest.pipeline import extract
from ingest.pipeline import ingest as pipeline_ingest
from ingest.read import read_paths

DEAL_QUERY = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?type ?company ?region ?value ?currency ?qualifier WHERE {
  ?a a dg:Agreement ; dg:agreementType ?type ; dg:party ?c, ?r ; dg:amount ?m .
  ?c a dg:Company ; rdfs:label ?company . ?r a dg:Region ; rdfs:label ?region .
  ?m dg:value ?value ; dg:currency ?currency ; dg:qualifier ?qualifier }"""

EVIDENCE_QUERY = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?sentence ?start ?title WHERE {
  ?st rdf:subject ?a ; rdf:predicate dg:party ; rdf:object ?c ; dg:evidence ?s .
  ?c rdfs:label "Suzhou Hunan New Materials"@kk .
  ?a dg:party ?r . ?r rdfs:label "Ақтөбе облысы"@kk .
  ?s dg:text ?sentence ; dg:start ?start ; dg:inArticle ?article . ?article dct:title ?title }"""


@pytest.fixture
def run(tmp_path: Path):
    store = str(tmp_path / "store")

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, [*args, "--store", store] if args[0] not in ("extract", "evaluate", "ner-eval") else list(args), input=input)

    return invoke


def test_ingest_query_reingest_and_validate(run, seed_dir: Path) -> None:
    assert run("ingest", str(seed_dir)).exit_code == 0
    result = run("query", "--format", "csv", DEAL_QUERY)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[1] == "framework_agreement,Suzhou Hunan New Materials,Ақтөбе облысы,150000000,USD,over"
    before = run("stats", "--json").output
    assert run("ingest", str(seed_dir)).exit_code == 0
    assert run("stats", "--json").output == before
    validated = run("validate")
    assert validated.exit_code == 0 and "conforms" in validated.output


def test_evidence_query_names_the_sentence_and_article(run, seed_dir: Path) -> None:
    run("ingest", str(seed_dir))
    rows = json.loads(run("query", "--format", "json", EVIDENCE_QUERY).output)["results"]["bindings"]
    assert len(rows) == 1
    assert "рамалық келісімге қол қойылды" in rows[0]["sentence"]["value"]
    assert rows[0]["title"]["value"] == "Қос тарап келісімге қол қойды"


@pytest.mark.parametrize("fmt,marker", [("ttl", "@prefix"), ("trig", "{"), ("nq", "> ."), ("jsonld", "@id")])
def test_export_formats(run, seed_dir: Path, fmt: str, marker: str) -> None:
    run("ingest", str(seed_dir))
    result = run("export", "--format", fmt)
    assert result.exit_code == 0 and marker in result.output


def test_export_one_article_graph(run, seed_dir: Path) -> None:
    run("ingest", str(seed_dir))
    graph = json.loads(run("query", "--format", "json", "SELECT ?g WHERE { GRAPH ?g { ?g a ?t } }").output)
    iri = graph["results"]["bindings"][0]["g"]["value"]
    result = run("export", "--format", "nq", "--article", iri)
    assert result.exit_code == 0 and all(line.endswith(f"<{iri}> .") for line in result.output.strip().splitlines())


def test_extract_prints_gold_shape_without_touching_the_store(run, seed_dir: Path, tmp_path: Path) -> None:
    result = run("extract", str(next(seed_dir.iterdir())))
    record = json.loads(result.output)
    assert record["regions"] == [{"name": "Ақтөбе облысы", "country": "KZ"}]
    assert not (tmp_path / "store").exists()


def test_entities_and_deals_json(run, seed_dir: Path) -> None:
    run("ingest", str(seed_dir))
    regions = json.loads(run("entities", "--type", "region", "--json").output)
    assert [r["name"] for r in regions] == ["Ақтөбе облысы"]
    assert {"value": "Aktobe Region", "lang": "en"} in regions[0]["labels"]
    deals = json.loads(run("deals", "--json").output)
    assert deals[0]["amount"] == 150000000 and deals[0]["amount_qualifier"] == "over"
    assert set(deals[0]["parties"]) == {"Suzhou Hunan New Materials", "Ақтөбе облысы"}


@pytest.mark.parametrize(
    "content,expected",
    [(b"", "empty file"), (b"\x00\x01\x02binary" * 100, "binary"), (b"abc \xff\xfe def \x81", "UTF-8")],
)
def test_bad_article_gives_one_line_and_leaves_the_store_unchanged(run, tmp_path: Path, seed_dir: Path,
                                                                  content: bytes, expected: str) -> None:
    run("ingest", str(seed_dir))
    before = run("stats", "--json").output
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run("ingest", str(bad))
    assert result.exit_code == 1
    assert expected in result.output
    assert run("stats", "--json").output == before


def test_malformed_sparql_is_one_line_error(run) -> None:
    result = run("query", "SELECT ?x WHERE { ?x ")
    assert result.exit_code == 1
    assert result.output.startswith("Error: malformed SPARQL")
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_export_format_is_one_line_error(run) -> None:
    result = run("export", "--format", "xlsx")
    assert result.exit_code == 1 and "unknown RDF format 'xlsx'" in result.output


def test_evaluate_json_shape(seed_dir: Path, seed_gold: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(seed_gold), str(seed_dir), "--json"])
    data = json.loads(result.output)
    assert data["micro"]["f1"] == 1.0 and "agreements.amount_qualifier" in data["per_kind"]
    assert set(data["links"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    assert all(data["per_lang"][lang]["micro"]["f1"] == 1.0 for lang in data["per_lang"])


def committed_graphs(store: Path) -> int:
    """Graphs another process has committed, seen through a read-only handle (no lock taken)."""
    if not (store / "CURRENT").exists():
        return 0
    try:
        return len(list(pyoxigraph.Store.read_only(str(store)).named_graphs()))
    except (OSError, RuntimeError):  # the writer is still creating the database
        return 0


def test_killed_ingest_leaves_only_whole_articles(tmp_path: Path, seed_dir: Path) -> None:
    seed = next(seed_dir.iterdir()).read_text(encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(120):
        (corpus / f"a{i:03}.txt").write_text(f"{seed}\nҚосымша сөйлем нөмірі {i}.\n", encoding="utf-8")
    store = tmp_path / "store"
    with open_store(str(store)) as first:  # a store in use: each batch is its own transaction
        pipeline_ingest(first, read_paths([str(seed_dir)]))
    before = committed_graphs(store)  # the seed's graph and the preferred labels' graph
    env = {**os.environ, "DEALGRAPH_STORE": str(store)}
    process = subprocess.Popen([sys.executable, "-c", "from ingest.cli import main; main()", "ingest",
                                "--batch-size", "1", str(corpus)], env=env, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and process.poll() is None and committed_graphs(store) <= before:
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    articles = {article_iri(a.content_hash): a for a in read_paths([str(corpus)])}
    with open_store(str(store)) as opened:
        graphs = opened.named_graphs()
        graphs = [g for g in graphs if g in articles]
        assert 0 < len(graphs) < 120, "the kill should land midway"
        for graph in graphs:
            expected = {graph: len(extract(articles[graph]).triples)}
            count = json.loads(opened.query_serialized(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                "application/sparql-results+json"))["results"]["bindings"][0]["n"]["value"]
            assert int(count) == expected[graph]
