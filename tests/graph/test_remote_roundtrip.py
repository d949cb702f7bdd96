"""The whole path against a real Oxigraph server: the CLI ingests into `--store URL`, queries,
exports and validates there, and the facts read back from the server score as from the
embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.facts import article_facts
from graph.store import open_store
from ingest.cli import cli
from ingest.evaluate import score

pytestmark = pytest.mark.remote

DEAL = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?company ?value ?currency ?qualifier WHERE {
  ?a a dg:Agreement ; dg:party ?c ; dg:amount ?m . ?c a dg:Company ; rdfs:label ?company .
  ?m dg:value ?value ; dg:currency ?currency ; dg:qualifier ?qualifier }"""


def test_ingest_query_export_validate_and_evaluate_on_a_remote_store(
        remote_store, oxigraph_server: str, seed_dir: Path, seed_gold: Path) -> None:
    run = lambda *args: CliRunner().invoke(cli, [*args, "--store", oxigraph_server])  # noqa: E731
    assert run("ingest", str(seed_dir)).exit_code == 0
    rows = run("query", "--format", "csv", DEAL).output.strip().splitlines()
    assert rows[1:] == ["Suzhou Hunan New Materials,150000000,USD,over"]
    before = run("stats", "--json").output
    assert run("ingest", str(seed_dir)).exit_code == 0
    assert run("stats", "--json").output == before
    assert "conforms" in run("validate").output
    assert "Suzhou Hunan New Materials" in run("export", "--format", "nq").output
    deals = json.loads(run("deals", "--json").output)
    assert [d["amount"] for d in deals] == [150000000]

    gold = json.loads(seed_gold.read_text(encoding="utf-8").splitlines()[0])
    with open_store(oxigraph_server) as store:
        graph = store.named_graphs()[0]
        result = score([(gold, article_facts(store, graph))])
    assert result["micro"]["f1"] == 1.0
