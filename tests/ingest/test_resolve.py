"""One node per real entity across scripts and articles: the resolver's merges are judgements, undone
without re-extracting, and kept through re-ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode

from graph.store import open_store
from ingest import pipeline
from ingest.cli import cli
from graph.namespaces import entity_iri
from ingest.resolve import Index, phonetic

DATA = Path(__file__).resolve().parent.parent / "data"


def test_phonetic_keys_bridge_cyrillic_and_latin_spellings() -> None:
    assert phonetic("sumek") == phonetic("sumec")
    assert phonetic("kazakh invest") == phonetic("kazakh invest")


def test_index_merges_spelling_variants_but_not_different_people() -> None:
    index = Index()
    index.keys["official"] |= {"erlan tileumuratov", "serik bayzhanov"}
    assert index.match("official", "erlan tleumuratov")[0] == "erlan tileumuratov"
    assert index.match("official", "serik abdrakhmanov") is None
    index.apart.add(frozenset((entity_iri("official", "erlan tleumuratov"), entity_iri("official", "erlan tileumuratov"))))
    assert index.match("official", "erlan tleumuratov") is None


def test_seed_russian_and_english_reports_give_one_region_one_company_one_deal(tmp_path: Path, seed_dir: Path) -> None:
    store = str(tmp_path / "store")
    run = lambda *args: CliRunner().invoke(cli, [*args, "--store", store])  # noqa: E731
    same = DATA / "same_deal"
    assert run("ingest", str(seed_dir), str(same / "ru_aktobe_ferroalloy.txt"), str(same / "en_aktobe_ferroalloy.txt")).exit_code == 0
    regions = json.loads(run("entities", "--type", "region", "--json").output)
    assert [len(r["sources"]) for r in regions] == [3]
    assert {"Ақтөбе облысы", "Актюбинская область"} <= {label["value"] for label in regions[0]["labels"]}
    companies = json.loads(run("entities", "--type", "company", "--json").output)
    assert [c["name"] for c in companies].count("Suzhou Hunan New Materials") == 1
    deals = json.loads(run("deals", "--json").output)
    assert len(deals) == 1
    assert len(deals[0]["sources"]) == 3
    assert deals[0]["amount"] == 150000000 and deals[0]["disagreements"] == []


def test_resolver_merge_is_a_judgement_a_user_unmerge_needs_no_re_extraction(tmp_path: Path, monkeypatch) -> None:
    store = str(tmp_path / "store")
    run = lambda *args: CliRunner().invoke(cli, [*args, "--store", store])  # noqa: E731
    kk = tmp_path / "kk.txt"
    kk.write_text("Ақтөбе облысы Sumec компаниясымен меморандумға қол қойды.", encoding="utf-8")
    ru = tmp_path / "ru.txt"
    ru.write_text("Актюбинская область подписала меморандум с компанией «Сумек».", encoding="utf-8")
    assert run("ingest", str(kk)).exit_code == 0
    assert run("ingest", str(ru)).exit_code == 0
    merges = json.loads(run("merges", "--json").output)
    assert [(m["label"], m["mention"], m["into"]) for m in merges] == [
        ("Сумек", entity_iri("company", "sumek"), entity_iri("company", "sumec"))]
    assert merges[0]["reason"].startswith("phonetic key")
    companies = json.loads(run("entities", "--type", "company", "--json").output)
    assert [c["iri"] for c in companies] == [entity_iri("company", "sumec")]
    deals = json.loads(run("deals", "--json").output)
    assert len(deals) == 1 and len(deals[0]["sources"]) == 2  # one deal, its IRI from phonetic party keys

    with open_store(store, read_only=True) as opened:  # the article graph keeps the mention's own IRI
        assert opened.query("ASK { GRAPH ?g { ?e a ?t } }", {"e": NamedNode(entity_iri("company", "sumek"))})
    monkeypatch.setattr(pipeline, "analyse", lambda *a: pytest.fail("unmerge must not re-extract"))
    assert run("unmerge", merges[0]["merge"]).exit_code == 0
    assert json.loads(run("merges", "--json").output) == []
    companies = json.loads(run("entities", "--type", "company", "--json").output)
    assert sorted(c["iri"] for c in companies) == sorted([entity_iri("company", "sumec"), entity_iri("company", "sumek")])
    review = json.loads(run("review", "list", "--json").output)
    assert {(r["action"], bool(r["undone"])) for r in review} == {("merge", True), ("keep_apart", False)}
    monkeypatch.undo()

    assert run("ingest", str(ru)).exit_code == 0  # re-ingest: the keep-apart still applies, nothing re-merged
    assert len(json.loads(run("entities", "--type", "company", "--json").output)) == 2
    assert json.loads(run("merges", "--json").output) == []


def test_re_ingest_keeps_a_users_merge_applying(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run = lambda *args: CliRunner().invoke(cli, [*args, "--store", store])  # noqa: E731
    en = tmp_path / "en.txt"
    en.write_text("Aktobe Region signed agreements with Sumec Group and Liando Company on 3 March 2024.", encoding="utf-8")
    assert run("ingest", str(en)).exit_code == 0
    companies = {c["name"]: c["iri"] for c in json.loads(run("entities", "--type", "company", "--json").output)}
    first, second = companies["Sumec"], companies["Liando Company"]
    deal = json.loads(run("deals", "--json").output)[0]["iri"]
    assert run("review", "merge", first, second, "--who", "analyst").exit_code == 0
    assert run("review", "correct", deal, "amount", "5000000", "--who", "analyst").exit_code == 0
    assert run("ingest", str(en), "--batch-size", "1").exit_code == 0
    assert [c["iri"] for c in json.loads(run("entities", "--type", "company", "--json").output)] == [first]
    deals = json.loads(run("deals", "--json").output)
    assert [(d["iri"], d["amount"], len(d["parties"])) for d in deals] == [(deal, 5000000, 2)]  # merged parties are one


def test_disagreeing_reports_keep_both_values_with_their_sources(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run = lambda *args: CliRunner().invoke(cli, [*args, "--store", store])  # noqa: E731
    en = tmp_path / "en.txt"
    en.write_text(" date 2026-05-02 Deal\nPavlodar Region signed an investment agreement with Rhein Aluminium "
                  "Technik GmbH worth 1.1 billion US dollars.", encoding="utf-8")
    ru = tmp_path / "ru.txt"
    ru.write_text(" date 2026-05-03 Сделка\nПавлодарская область и компания Rhein Aluminium Technik подписали "
                  "меморандум на сумму до 1,3 млрд долларов.", encoding="utf-8")
    assert run("ingest", str(en), str(ru)).exit_code == 0
    deals = json.loads(run("deals", "--json").output)
    assert len(deals) == 1
    deal = deals[0]
    assert deal["disagreements"] == ["amount", "amount_qualifier", "type"]
    assert deal["amount"] is None
    assert sorted(v["value"] for v in deal["values"]["amount"]) == [1_100_000_000, 1_300_000_000]
    assert all(len(v["sources"]) == 1 for v in deal["values"]["amount"])
    assert "DISAGREE: amount, amount_qualifier, type" in run("deals").output
