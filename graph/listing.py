"""One output-format option for every listing command (entities, deals, merges, stats, ...),
in the manner of datasette and sqlite-utils: ``--format table|csv|tsv|json|jsonl``.

A command hands over its records (dicts) and, for ``table``, its own human-readable lines;
CSV and TSV get one row per record with list values joined by "; " (so a spreadsheet gets one
cell), JSON the records as they are, JSON Lines one record per line. ``--json`` stays as the
short form of ``--format json``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import click

FORMATS = ("table", "csv", "tsv", "json", "jsonl")


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--format`` and its ``--json`` short form, passed to the command as ``fmt``."""
    func = click.option("--json", "as_json", is_flag=True, help="Same as --format json.")(func)
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output: an aligned table, CSV, TSV, JSON or JSON Lines.")(func)


def chosen(fmt: str, as_json: bool) -> str:
    return "json" if as_json else fmt


def plain(value: Any) -> Any:
    """JSON for the values query results hold besides str/int/float/bool: exact decimals
    as numbers, dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def cell(value: Any) -> str:
    """A value as one spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}={cell(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(records: Sequence[dict[str, Any]], fmt: str, *, document: Any = None,
           table: Callable[[], Iterable[str]] | None = None) -> str:
    """The records in ``fmt``. ``document`` replaces the records for ``json`` where a command's
    JSON has always been one object; ``table`` gives the command's own lines, else the records
    are aligned in columns."""
    if fmt == "json":
        return json.dumps(records if document is None else document, ensure_ascii=False, indent=2,
                          default=plain) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False, default=plain) + "\n" for r in records)
    columns = list(dict.fromkeys(k for r in records for k in r))
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(r.get(c)) for c in columns] for r in records)
        return out.getvalue()
    if table is not None:
        return "".join(line + "\n" for line in table())
    cells = [[cell(r.get(c)) for c in columns] for r in records]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in [columns, *cells]]
    return "\n".join(lines) + "\n" if columns else ""
