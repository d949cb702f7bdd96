"""Judgements with provenance, applied at read time by the deal model, the index, the CLI, the
reviewed graph (plain SPARQL) and the gold export; they survive re-ingest and can be undone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph import deals, judgements, reviewed
from ingest.cli import cli
from graph.index import load_index
from graph.store import open_store
from viewer_data import AKTOBE, FERRO_DEAL, FOLLOWUP, KAZAKH_INVEST, LIANDO, OFFICIAL, PARK_DEAL, fill

DG = "https://w3id.org/dealgraph/ontology#"


@pytest.fixture
def store_dir(tmp_path: Path) -> str:
    location = str(tmp_path / "store")
    with open_store(location) as store:
        fill(store, followup=True)
    return location


@pytest.fixture
def run(store_dir: str) -> Callable[..., Result]:
    return lambda *args: CliRunner().invoke(cli, [*args, "--store", store_dir])  # noqa: E731


def entity_named(store_dir: str, name: str) -> str:
    with open_store(store_dir, read_only=True) as store:
        index = load_index(store)
    return next(iri for iri, node in index.nodes.items() if any(lb.text == name for lb in node.labels))


def test_reject_merge_correct_then_every_reader_agrees_and_undo_restores(store_dir: str, run) -> None:
    # the party rejected: Kazakh Invest on the MoU (any party the analyst judges wrong works the same)
    agency = KAZAKH_INVEST
    spelling = entity_named(store_dir, "Abzal Abdikarimuly")
    liando_deal = PARK_DEAL

    assert run("review", "reject", liando_deal, "party", agency, "--who", "Aigerim", "--why", "only an adviser").exit_code == 0
    assert run("review", "merge", OFFICIAL, spelling, "--who", "Aigerim").exit_code == 0
    correct = run("review", "correct", FERRO_DEAL, "amount", "180,000,000", "--who", "Aigerim", "--why", "press release")
    assert correct.exit_code == 0, correct.output

    records = {d["iri"]: d for d in json.loads(run("deals", "--json").output)}
    assert records[liando_deal]["parties"] == ["Liando"]
    assert records[FERRO_DEAL]["amount"] == 180000000 and records[FERRO_DEAL]["disagreements"] == ["amount_qualifier"]
    assert records[FERRO_DEAL]["reviewed"] == ["amount"]
    with open_store(store_dir, read_only=True) as store:
        index = load_index(store)
        assert spelling not in index.nodes and OFFICIAL in index.nodes
        assert {"Abzal Abdikarimuly", "Abzal Abdikarimov"} <= {lb.text for lb in index.nodes[OFFICIAL].labels}
        assert agency not in index.neighbours(liando_deal)
        total = deals.totals(index.book, "region").parts[AKTOBE]
        assert total.deals == 3 and int(total.usd) == 180_000_000 + 30_000_000 + 30_000_000
        review = judgements.load(store)
        j = next(j for j in review.active if j.action == "correct")
        assert (j.who, j.why, j.value, j.when is not None) == ("Aigerim", "press release", "180000000", True)

    sparql = (f"SELECT ?v WHERE {{ GRAPH <{reviewed.GRAPH}> {{ <{FERRO_DEAL}> <{DG}amount>/<{DG}value> ?v }} }}")
    assert run("query", "--format", "csv", sparql).output.split() == ["v", "180000000"]
    parties = f"SELECT ?p WHERE {{ GRAPH <{reviewed.GRAPH}> {{ <{liando_deal}> <{DG}party> ?p }} }}"
    assert agency not in run("query", "--format", "csv", parties).output

    # re-ingest the article: its graph is replaced whole, the judgements still apply
    assert CliRunner().invoke(cli, ["ingest", str(FOLLOWUP), "--store", store_dir]).exit_code == 0
    assert agency not in run("query", "--format", "csv", parties).output
    records = {d["iri"]: d for d in json.loads(run("deals", "--json").output)}
    assert records[liando_deal]["parties"] == ["Liando"]

    gold = [json.loads(line) for line in run("review", "gold").output.splitlines()]
    english = next(g for g in gold if g["published"] == "2026-01-29")
    mou = next(a for a in english["agreements"] if a["type"] == "mou")
    assert mou["parties"] == ["Liando"]
    assert "Kazakh Invest" in {o["name"] for o in english["organizations"]}  # still named, no longer a party

    listed = json.loads(run("review", "list", "--json").output)
    assert [j["action"] for j in listed] == ["reject", "merge", "correct"]
    assert run("review", "undo", listed[2]["iri"], "--who", "Aigerim").exit_code == 0
    records = {d["iri"]: d for d in json.loads(run("deals", "--json").output)}
    assert records[FERRO_DEAL]["amount"] is None and records[FERRO_DEAL]["disagreements"] == ["amount", "amount_qualifier"]
    assert "UNDONE" in run("review", "list").output


def test_not_an_entity_and_country_corrections(store_dir: str, run) -> None:
    agency = KAZAKH_INVEST
    assert run("review", "not-entity", agency).exit_code == 0
    suzhou_country = run("review", "correct", entity_named(store_dir, "Suzhou Hunan New Materials"), "country", "cn")
    assert suzhou_country.exit_code == 0
    with open_store(store_dir, read_only=True) as store:
        book = deals.load(store, judgements.load(store))
    assert all(agency not in d.parties for d in book.deals.values())
    assert book.investor_countries(book.deals[FERRO_DEAL]) == {"CN"}
    assert LIANDO in book.entities


@pytest.mark.parametrize("args,message", [
    (("correct", FERRO_DEAL, "amount", "lots"), "not a number"),
    (("correct", FERRO_DEAL, "currency", "US dollars"), "ISO code"),
    (("correct", FERRO_DEAL, "party", "Liando"), "entity IRI"),
    (("merge", OFFICIAL, OFFICIAL), "different"),
    (("undo", "https://example.org/x"), "not a judgement"),
])
def test_bad_judgements_give_one_line_and_write_nothing(store_dir: str, run, args: tuple[str, ...], message: str) -> None:
    result = run("review", *args)
    assert result.exit_code == 1 and message in result.output and len(result.output.strip().splitlines()) == 1
    assert json.loads(run("review", "list", "--json").output) == []
