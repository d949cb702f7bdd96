"""USD equivalents from a dated table of annual average exchange rates.

Totals over deals in several currencies need one unit, but the original amount is what the
article said, so the deal model always keeps both: the amount as reported and its USD
equivalent at the average rate of the deal's year. The bundled table (graph/data/fx_rates.csv,
written by tools/build_fx_rates.py from the ECB reference rates) names each row's source in a
``source`` column described in its header; ``DEALGRAPH_FX_RATES`` or ``--rates`` points to a
user's own table with the columns year, currency, per_usd (source optional).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

ENV_VAR = "DEALGRAPH_FX_RATES"
BUNDLED = Path(__file__).with_name("data") / "fx_rates.csv"


@dataclass(frozen=True)
class Converted:
    usd: Decimal
    year: int | None  # the year whose rate was used; None for USD itself
    exact_year: bool  # False when the deal's year is outside the table and the nearest year was used


class RateTable:
    """Rates as {currency: {year: units per USD}}, with the file they came from."""

    def __init__(self, rates: dict[str, dict[int, Decimal]], source: str) -> None:
        self.rates = rates
        self.source = source

    def to_usd(self, value: Decimal, currency: str | None, year: int | None) -> Converted | None:
        """The USD equivalent, or None when the currency is not in the table."""
        if currency == "USD":
            return Converted(value, None, True)
        years = self.rates.get(currency or "")
        if not years:
            return None
        chosen = year if year in years else (max(years) if year is None or year > max(years) else min(years))
        return Converted((value / years[chosen]).quantize(Decimal(1)), chosen, chosen == year)


def read_table(path: str | Path) -> RateTable:
    """Read a rate table; '#' lines are the header notes. Raises ValueError with the line at fault."""
    rates: dict[str, dict[int, Decimal]] = {}
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines)
    if not reader.fieldnames or not {"year", "currency", "per_usd"} <= set(reader.fieldnames):
        raise ValueError(f"{path}: a rate table needs the columns year, currency, per_usd")
    for number, row in enumerate(reader, start=2):
        try:
            year, rate = int(row["year"]), Decimal(row["per_usd"])
        except (ValueError, InvalidOperation, TypeError) as exc:
            raise ValueError(f"{path}: row {number} is not year,currency,per_usd: {row}") from exc
        if rate <= 0:
            raise ValueError(f"{path}: row {number}: a rate must be positive")
        rates.setdefault(row["currency"].strip().upper(), {})[year] = rate
    return RateTable(rates, str(path))


@cache
def _cached(path: str) -> RateTable:
    return read_table(path)


def table(path: str | None = None) -> RateTable:
    """The user's table (argument, then $DEALGRAPH_FX_RATES), else the bundled one."""
    return _cached(str(path or os.environ.get(ENV_VAR) or BUNDLED))
