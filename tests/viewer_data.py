"""The viewer's hand-written test data (tests/data/viewer_store.trig) and its landmarks.

Three articles (kk, ru, en) report one Aktobe - Suzhou Hunan New Materials framework
agreement, the Russian one with a different amount (about 200M USD instead of over 150M
USD); the English one also reports a planned MoU between Kazakh Invest and Liando.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from graph.store import Store

TRIG = Path(__file__).resolve().parent / "data" / "viewer_store.trig"
ID = "https://w3id.org/dealgraph/id/"
AKTOBE = ID + "region/aqtobe-oblysy-5d1892b9"
SHANGHAI = ID + "city/shanghai-a11adefd"
OFFICIAL = ID + "official/abzal-abdikarimov-6f4205ad"
KAZAKH_INVEST = ID + "organization/kazakh-invest-e845f633"
SUZHOU = ID + "company/suzhou-hunan-new-materials-0c86dd71"
LIANDO = ID + "company/liando-bea49ca8"
FERRO_DEAL = ID + "agreement/aqtobe-oblysy-suzhou-hunan-new-materials-ferroalloy-plant-2733c6c9"
PARK_DEAL = ID + "agreement/kazakh-invest-liando-industrial-park-f4062709"
VISIT = ID + "visit/abzal-abdikarimov-shanghai-2026-01-cdd1f78f"
ENTITY_COUNT = 11
EDGE_COUNT = 14


def article_graphs() -> dict[str, list[ox.Triple]]:
    """The TriG file's quads grouped by article graph, ready for Store.replace_graphs."""
    groups: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(TRIG), format=ox.RdfFormat.TRIG):
        groups[quad.graph_name.value].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return dict(groups)


def fill(store: Store) -> Store:
    store.replace_graphs(article_graphs())
    return store
