"""One node per real entity across scripts and articles, with merges recorded and undoable."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ingest.cli import cli
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
    index.apart.add(("official", "erlan tleumuratov", "erlan tileumuratov"))
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


def test_merge_is_recorded_and_can_be_undone(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run = lambda *args: CliRunner().invoke(cli, [*args, "--store", store])  # noqa: E731
    kk = tmp_path / "kk.txt"
    kk.write_text("Ақтөбе облысы Sumec компаниясымен меморандумға қол қойды.", encoding="utf-8")
    ru = tmp_path / "ru.txt"
    ru.write_text("Актюбинская область подписала меморандум с компанией «Сумек».", encoding="utf-8")
    run("ingest", str(kk))
    run("ingest", str(ru))
    merges = json.loads(run("merges", "--json").output)
    assert [(m["label"], m["rule"]) for m in merges] == [("Сумек", "phonetic key")]
    assert len(json.loads(run("entities", "--type", "company", "--json").output)) == 1
    assert run("unmerge", merges[0]["merge"]).exit_code == 0
    assert json.loads(run("merges", "--json").output) == []
    assert len(json.loads(run("entities", "--type", "company", "--json").output)) == 2
    run("ingest", str(ru))
    assert len(json.loads(run("entities", "--type", "company", "--json").output)) == 2


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
