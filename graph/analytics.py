"""networkx views of the entity graph: rankings, paths, communities, a company-region
projection (money totals are graph/deals.py's).

The networkx graph is built from the ``index_edges`` SPARQL result (entity-to-entity edges
only), never with ``rdflib_to_networkx``, which turns every literal into a node (462k nodes
for 1M triples on this stack). Agreements and visits stay nodes, so a company and a region
are two hops apart through their deal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from graph.index import GraphIndex


def entity_graph(index: GraphIndex) -> nx.Graph:
    """Undirected graph of entities; an edge keeps its labels and how many articles state it."""
    g = nx.Graph()
    for iri, node in index.nodes.items():
        g.add_node(iri, type=node.type)
    for edge in index.edges:
        if g.has_edge(edge.source, edge.target):
            data = g.edges[edge.source, edge.target]
            data["labels"].append(edge.label)
            data["weight"] += edge.sources
        else:
            g.add_edge(edge.source, edge.target, labels=[edge.label], weight=edge.sources)
    return g


def rank(g: nx.Graph, *, types: Iterable[str], metric: str = "pagerank", top: int = 20) -> list[tuple[str, float]]:
    """Entities of the given types by degree (number of neighbours) or PageRank over the
    whole graph (so a company's score reflects the regions and deals around it)."""
    wanted = set(types)
    if metric == "degree":
        scores = dict(g.degree())
    elif metric == "pagerank":
        scores = nx.pagerank(g, weight="weight") if g.number_of_edges() else {n: 0.0 for n in g}
    else:
        raise ValueError(f"unknown metric {metric!r}; use 'degree' or 'pagerank'")
    chosen = [(n, float(s)) for n, s in scores.items() if g.nodes[n]["type"] in wanted]
    return sorted(chosen, key=lambda ns: (-ns[1], ns[0]))[:top]


def shortest_path(g: nx.Graph, source: str, target: str) -> list[str] | None:
    """The nodes of one shortest path (agreements and visits included), or None."""
    try:
        return nx.shortest_path(g, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def path_labels(g: nx.Graph, path: list[str]) -> list[str]:
    """The edge labels along a path, one per step."""
    return [", ".join(g.edges[a, b]["labels"]) for a, b in zip(path, path[1:])]


def communities(g: nx.Graph, *, min_size: int = 3) -> list[list[str]]:
    """Louvain communities (fixed seed, so the same graph gives the same answer), largest
    first; smaller groups than ``min_size`` are left out."""
    if g.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(g, weight="weight", seed=0)
    return sorted((sorted(c) for c in found if len(c) >= min_size), key=lambda c: (-len(c), c[0]))


def company_region_projection(index: GraphIndex) -> list[dict]:
    """Company - region pairs joined by agreements (the region the deal is located in, or a
    region that is a party), with how many deals join them."""
    pairs: Counter[tuple[str, str]] = Counter()
    for deal in index.deals.values():
        companies = {p for p in deal.parties if index.nodes[p].type == "Company"}
        regions = set(deal.regions) | {p for p in deal.parties if index.nodes[p].type == "Region"}
        for company in companies:
            for region in regions:
                pairs[company, region] += 1
    return [
        {"company": c, "region": r, "deals": n}
        for (c, r), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def projection_graph(rows: list[dict]) -> nx.Graph:
    """The projection as a weighted bipartite graph (companies and regions only)."""
    g = nx.Graph()
    for row in rows:
        g.add_node(row["company"], type="Company")
        g.add_node(row["region"], type="Region")
        g.add_edge(row["company"], row["region"], weight=row["deals"])
    return g
