"""The one deal model: each deal once, aggregates apart, original currency plus USD, investor
countries; the same rows for the CLI, the app and the exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import deals, fx
from ingest.cli import cli
from graph.deals import Amount, Deal, DealBook, EntityInfo
from graph.store import Store, open_store
from viewer_data import AKTOBE, FERRO_DEAL, PARK_DEAL, fill


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    s = fill(open_store(":memory:"))
    yield s
    s.close()


def test_a_deal_reported_by_three_articles_is_one_deal_counted_once(store: Store) -> None:
    book = deals.load(store)
    assert set(book.deals) == {FERRO_DEAL, PARK_DEAL}
    ferro = book.deals[FERRO_DEAL]
    assert ferro.sources == 3 and ferro.disagreements == ("amount", "qualifier")
    result = deals.totals(book, "region")
    assert result.parts[AKTOBE].deals == 2 and result.parts[AKTOBE].usd == Decimal("180000000")
    assert result.overall.deals == 2 and not result.aggregates


def test_sources_carry_title_date_url_and_the_sentence(store: Store) -> None:
    book = deals.load(store)
    sources = sorted(book.deals[FERRO_DEAL].articles.values(), key=lambda s: s.date)
    assert [s.url for s in sources] == [
        "https://news.example.kz/kk/2026/01/27/aktobe-suzhou", "https://news.example.kz/ru/2026/01/28/aktobe-ferrosplav",
        "https://news.example.kz/en/2026/01/29/aktobe-deals"]
    assert all(s.title and s.sentence for s in sources)
    assert deals.Source("g", None, None, "/home/someone/corpus/a.txt", None, None).shown_source == "a.txt"


def book_of(*specs: tuple[str, str, bool, str, list[str]]) -> DealBook:
    """Deals built in code: (iri, amount 'VALUE CUR', aggregate, signing date, parties)."""
    entities = {
        "r": EntityInfo("r", "Region", "Region R", "KZ"),
        "cn": EntityInfo("cn", "Company", "Chinese Co", "CN"),
        "de": EntityInfo("de", "Company", "German Co", "DE"),
        "kz": EntityInfo("kz", "Organization", "Kazakh Org", "KZ"),
    }
    out = {}
    for iri, money, aggregate, signed, parties in specs:
        value, currency = money.split()
        fields = {"amount": frozenset({Amount(Decimal(value), currency, "exact")}), "value": frozenset({Decimal(value)}),
                  "signed": frozenset({__import__("datetime").date.fromisoformat(signed)})}
        if aggregate:
            fields["aggregate"] = frozenset({True})
        out[iri] = Deal(iri, per_source={"g1": fields}, parties=["r", *parties])
    return DealBook(out, entities)


RATES = fx.RateTable({"EUR": {2020: Decimal("0.8"), 2024: Decimal("0.9")}, "KZT": {2024: Decimal("500")}}, "test table")


def test_aggregates_are_totalled_apart_and_never_added_to_their_parts() -> None:
    book = book_of(("a", "100 USD", False, "2024-05-01", ["cn"]), ("b", "80 EUR", False, "2020-01-01", ["de"]),
                   ("sum", "1000 USD", True, "2024-05-01", ["cn", "de"]))
    result = deals.totals(book, "region", RATES)
    assert result.parts["r"].deals == 2 and result.parts["r"].usd == Decimal(200)  # 100 USD + 80 EUR at 0.8
    assert result.aggregates["r"].deals == 1 and result.aggregates["r"].usd == Decimal(1000)
    assert result.overall.usd == Decimal(200) and result.overall_aggregates.usd == Decimal(1000)


def test_every_currency_is_in_the_totals_with_its_original_amount() -> None:
    book = book_of(("a", "40000000 EUR", False, "2024-02-01", ["de"]), ("b", "5000 KZT", False, "2024-01-01", ["kz"]),
                   ("c", "7 XAU", False, "2024-01-01", ["cn"]))
    result = deals.totals(book, "region", RATES)
    total = result.parts["r"]
    assert total.by_currency == {"EUR": Decimal(40000000), "KZT": Decimal(5000), "XAU": Decimal(7)}
    assert total.usd == Decimal(44444444) + Decimal(10) and total.unconverted == {"XAU"}
    assert "40,000,000 EUR" in total.original()


def test_by_country_names_the_investors_not_kazakhstan() -> None:
    book = book_of(("a", "100 USD", False, "2024-05-01", ["cn", "de"]), ("b", "50 USD", False, "2024-05-01", ["kz"]))
    result = deals.totals(book, "country", RATES)
    assert {k: t.deals for k, t in result.parts.items()} == {"CN": 1, "DE": 1, "KZ": 1}


def test_a_year_outside_the_table_takes_the_nearest_and_says_so() -> None:
    converted = RATES.to_usd(Decimal(90), "EUR", 2026)
    assert converted.usd == Decimal(100) and converted.year == 2024 and not converted.exact_year
    assert RATES.to_usd(Decimal(5), "USD", 1999).usd == Decimal(5)


def test_users_point_to_their_own_rate_table(tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "rates.csv"
    own.write_text("# my rates\nyear,currency,per_usd\n2026,EUR,0.5\n", encoding="utf-8")
    assert fx.table(str(own)).to_usd(Decimal(10), "EUR", 2026).usd == Decimal(20)
    bad = tmp_path / "bad.csv"
    bad.write_text("year,currency,per_usd\nlast year,EUR,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 2"):
        fx.read_table(bad)
    assert "ECB" in bundled_header()


def bundled_header() -> str:
    return fx.BUNDLED.read_text(encoding="utf-8").split("year,currency", 1)[0]


def test_cli_deals_json_csv_and_totals(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    with open_store(location) as s:
        fill(s)
    run = lambda *args: CliRunner().invoke(cli, [*args, "--store", location])  # noqa: E731
    records = {d["iri"]: d for d in json.loads(run("deals", "--json").output)}
    ferro = records[FERRO_DEAL]
    assert ferro["disagreements"] == ["amount", "amount_qualifier"] and ferro["amount"] is None
    assert len(ferro["articles"]) == 3 and all(a["url"].startswith("https://") and a["evidence"] for a in ferro["articles"])
    rows = list(csv.DictReader(io.StringIO(run("deals", "--format", "csv").output.lstrip("\ufeff"))))
    assert {r["iri"] for r in rows} == {FERRO_DEAL, PARK_DEAL} and all(r["article titles"] for r in rows)
    totals = json.loads(run("deals", "--totals", "region", "--format", "json").output)
    assert totals["overall"]["deals"] == 2 and totals["overall"]["usd"] == 180000000
    bad = run("deals", "--rates", str(tmp_path / "missing.csv"))
    assert bad.exit_code == 1 and "missing.csv" in bad.output
