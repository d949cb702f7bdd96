"""Deals, amounts and investor countries per region of Kazakhstan, for an offline choropleth.

The boundaries are vendored (graph/data/kz-adm1.geojson, see kz-adm1.LICENSE): 17 regions and
the cities Almaty, Astana and Shymkent, each with its ISO 3166-2 code, which is the matching key
ingest gives Kazakh regions, so a region node joins its shape without any name matching. A
district (a region node with ``dg:partOf`` its region) joins its region's shape: a deal located
in a district counts in that region, once even when the region is named too. A district the
gazetteer does not know (found only by its noun, "X ауданы") has no region and is not on the map.
Figures come from the one deal model (each deal once, aggregates apart, USD at the deal year's rate).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from graph import deals, fx, query
from graph.deals import DealBook
from graph.store import Store

GEOJSON = Path(__file__).with_name("data") / "kz-adm1.geojson"


@cache
def geojson() -> dict[str, Any]:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def units() -> list[dict[str, Any]]:
    """The 20 units: name, ISO code and the matching keys that join them to graph nodes."""
    return [feature["properties"] for feature in geojson()["features"]]


@dataclass
class UnitFigures:
    iso: str
    name: str
    entity: str | None = None  # the region (or city) node, to open its page
    deals: int = 0
    usd: Decimal = Decimal(0)
    by_currency: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    investors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    aggregates: int = 0
    iris: list[str] = field(default_factory=list)

    def original(self) -> str:
        return "; ".join(f"{v:,.0f} {c}" for c, v in sorted(self.by_currency.items()))

    def investor_text(self) -> str:
        return ", ".join(f"{c} ({n})" for c, n in sorted(self.investors.items(), key=lambda kv: (-kv[1], kv[0])))


def figures(store: Store, book: DealBook, rates: fx.RateTable | None = None) -> list[UnitFigures]:
    """One row per unit of the map (all 20, with zeros where no deal is located)."""
    rates = rates or fx.table()
    by_key = {key: unit["iso"] for unit in units() for key in unit["keys"]}
    rows = {unit["iso"]: UnitFigures(unit["iso"], unit["name"]) for unit in units()}
    unit_of: dict[str, str] = {}
    for row in query.run(store, "place_keys"):
        iso = by_key.get(row["key"])
        entity = book.review.canonical(row["e"])
        if iso is not None and not book.review.drops(entity):
            unit_of[entity] = iso
            if row["district"]:
                continue  # the unit's page is its region's, never one of its districts'
            if rows[iso].entity is None or entity.split("/")[-2] == "region":
                rows[iso].entity = entity
    for deal in book.deals.values():
        places = book.deal_regions(deal) | {p for p in deal.parties if p in unit_of}
        for iso in sorted({unit_of[p] for p in places if p in unit_of}):
            row = rows[iso]
            if deal.aggregate:
                row.aggregates += 1
                continue
            row.deals += 1
            row.iris.append(deal.iri)
            converted = deals.usd_of(deal, rates)
            if deal.amount is not None:
                row.by_currency[deal.amount.currency or "?"] += deal.amount.value
            if converted is not None:
                row.usd += converted.usd
            for country in book.investor_countries(deal):
                row.investors[country] += 1
    return sorted(rows.values(), key=lambda r: r.iso)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]  # outer rings; the units have no holes worth drawing


def centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """A label point: the mean of the largest ring's vertices."""
    ring = max(_rings(geometry), key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def figure(rows: list[UnitFigures], names: dict[str, str], values: dict[str, float], hover: dict[str, str]):
    """The choropleth as filled polygons on plain axes (plotly's geo layers fetch a world map
    from a CDN even when hidden, so they are not used): one filled shape per unit coloured by
    ``values``, and a clickable marker at its centre carrying the unit's ISO code."""
    import plotly.graph_objects as go
    from plotly.colors import sample_colorscale

    top = max(values.values(), default=0) or 1
    fig = go.Figure()
    by_iso = {r.iso: r for r in rows}
    for feature in geojson()["features"]:
        iso = feature["properties"]["iso"]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in _rings(feature["geometry"]):
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
        share = values.get(iso, 0) / top
        colour = sample_colorscale("Blues", [0.08 + 0.9 * share])[0]
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines", line={"color": "#666", "width": 1},
                                 hoverinfo="skip", showlegend=False, name=iso))
    isos = [r.iso for r in rows]
    points = [centre(next(f["geometry"] for f in geojson()["features"] if f["properties"]["iso"] == iso)) for iso in isos]
    fig.add_trace(go.Scatter(
        x=[p[0] for p in points], y=[p[1] for p in points], mode="markers+text", customdata=isos,
        text=[names.get(iso, by_iso[iso].name) if by_iso[iso].deals else "" for iso in isos], textposition="top center",
        marker={"size": [10 + 20 * (values.get(iso, 0) / top) for iso in isos], "color": "#d62728", "opacity": 0.8},
        hovertext=[hover.get(iso, "") for iso in isos], hoverinfo="text", showlegend=False, name="units",
    ))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.5)  # about 1/cos(48°), Kazakhstan's latitude
    fig.update_layout(height=520, margin={"l": 0, "r": 0, "t": 0, "b": 0}, plot_bgcolor="white", dragmode="pan")
    return fig
