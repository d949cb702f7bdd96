"""Subgraph -> what vis-network draws (a :class:`Picture`), shown by the explorer's clickable
component (graph/picture.py) or as one self-contained pyvis HTML page; offline, never freezing.

Measured on this stack (see STACK-NOTES): pyvis's default page loads vis-network and
Bootstrap from CDNs (a grey box offline), ``from_nx``/``add_edge`` are quadratic, and
vis-network's physics froze the tab at 5,000 nodes. So this module inlines vis-network,
strips the CDN tags, fills ``net.nodes``/``net.edges`` directly with small integer ids (no IRIs
or article URLs in the page), computes the layout beforehand with igraph's
Fruchterman-Reingold, and turns physics off: the browser only paints.
"""

from __future__ import annotations

import json
import math
import random
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import igraph
import jinja2
from pyvis.network import Network

from graph import deals, fx
from graph.explore import Subgraph, node_facts, node_label
from graph.index import GraphIndex

# colour, vis-network shape, size: one look per node class, shown in the legend.
TYPE_STYLE: dict[str, tuple[str, str, int]] = {
    "Region": ("#2471A3", "dot", 22),
    "City": ("#85C1E9", "dot", 14),
    "Country": ("#1B4F72", "star", 20),
    "Place": ("#A9CCE3", "dot", 12),
    "Official": ("#229954", "triangle", 16),
    "Organization": ("#8E44AD", "hexagon", 16),
    "Company": ("#E74C3C", "square", 16),
    "Project": ("#A0522D", "triangleDown", 14),
    "Agreement": ("#F39C12", "diamond", 18),
    "Visit": ("#7F8C8D", "dot", 10),
    "Meeting": ("#566573", "diamond", 10),
    "Forum": ("#99A3A4", "hexagon", 12),
}
EDGE_LENGTH_PX = 170.0
MAX_EXTENT_PX = 2400.0  # fitted into a ~1200 px frame: zoom >= 0.5, so 15 px labels stay >= 7 px
_CDN_TAG = re.compile(r"<(link|script)\b[^>]*https?://[^>]*>(\s*</script>)?", re.IGNORECASE)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")
# igraph draws from one global generator; the layout seeds it, so layouts take turns.
_RNG_LOCK = threading.Lock()
# Set by the page when vis-network has painted once: tests and benches wait for it.
DRAWN_FLAG = "dealgraphDrawn"


@dataclass(frozen=True)
class VisNode:
    iri: str
    type: str
    label: str
    title: str
    weight: float = 0.0  # 0..1: drawn up to 2.5 times its type's base size


@dataclass(frozen=True)
class VisEdge:
    source: int
    target: int
    label: str
    sources: int


SIZE_BY = ("type", "degree", "amount")


def render(index: GraphIndex, graph: Subgraph, *, mode: str = "article", height: int = 620, size_by: str = "degree") -> str:
    """The HTML page for a subgraph, names in the chosen language mode; node size by type only,
    by degree (links in the whole graph), or by amount (a deal's USD equivalent; the deals of a
    party summed)."""
    return page(picture(index, graph, mode=mode, size_by=size_by), height=height)


@dataclass(frozen=True)
class Picture:
    """What vis-network draws, prepared once for both ways of showing it: the explorer's
    clickable component (graph/picture.py) and the standalone pyvis page (:func:`page`).
    ``iris[i]`` is the entity drawn as node ``i``; nodes carry only small integer ids."""

    nodes: list[dict]
    edges: list[dict]
    options: dict
    legend: list[str]
    iris: list[str]


def picture(index: GraphIndex, graph: Subgraph, *, mode: str = "article", size_by: str = "degree",
            placed: Mapping[str, tuple[float, float]] | None = None) -> Picture:
    """Named, sized and placed nodes and labelled edges of a subgraph (see :func:`render`).
    With ``placed`` (:func:`positions` of the picture before an expansion) those nodes stay where
    they were and only the added ones are placed (:func:`around`)."""
    weights = node_weights(index, graph.nodes, size_by)
    nodes = [
        VisNode(iri, index.nodes[iri].type, node_label(index, iri, mode), "\n".join(node_facts(index, iri, mode)), weights.get(iri, 0.0))
        for iri in graph.nodes
    ]
    ids = {iri: i for i, iri in enumerate(graph.nodes)}
    edges = [VisEdge(ids[e.source], ids[e.target], e.label, e.sources) for e in graph.edges]
    focus = ids.get(graph.focus) if graph.focus else None
    pinned = {ids[iri]: xy for iri, xy in placed.items() if iri in ids} if placed else None
    return picture_of(nodes, edges, focus=focus, placed=pinned)


def positions(graph: Subgraph) -> dict[str, tuple[float, float]]:
    """Where :func:`picture` draws each node of a subgraph (its layout only, nothing named)."""
    ids = {iri: i for i, iri in enumerate(graph.nodes)}
    return dict(zip(graph.nodes, layout(len(graph.nodes), [(ids[e.source], ids[e.target]) for e in graph.edges])))


def node_weights(index: GraphIndex, iris: Sequence[str], size_by: str) -> dict[str, float]:
    """0..1 per node: how much bigger than its type's base size it is drawn (log scale)."""
    if size_by not in SIZE_BY:
        raise ValueError(f"size by one of {', '.join(SIZE_BY)}")
    if size_by == "type":
        return {}
    raw: dict[str, float] = {}
    if size_by == "degree":
        raw = {iri: float(index.degree(iri)) for iri in iris}
    elif index.book is not None:
        rates = fx.table()
        usd = {a: float(c.usd) for a, d in index.deals.items() if (c := deals.usd_of(d, rates)) is not None and not d.aggregate}
        for iri in iris:
            raw[iri] = usd.get(iri, 0.0) if iri in index.deals else sum(
                usd.get(a, 0.0) for a in index.neighbours(iri) if a in index.deals)
    top = max((math.log1p(v) for v in raw.values()), default=0.0) or 1.0
    return {iri: math.log1p(v) / top for iri, v in raw.items()}


def render_nodes(
    nodes: Sequence[VisNode], edges: Sequence[VisEdge], *, focus: int | None = None, height: int = 620
) -> str:
    """Lower level: already-named nodes and index-based edges (used for projections too)."""
    return page(picture_of(nodes, edges, focus=focus), height=height)


def picture_of(nodes: Sequence[VisNode], edges: Sequence[VisEdge], *, focus: int | None = None,
               placed: Mapping[int, tuple[float, float]] | None = None) -> Picture:
    """Already-named nodes and index-based edges, laid out and styled for vis-network."""
    pairs = [(e.source, e.target) for e in edges]
    xy = around(len(nodes), pairs, placed) if placed else layout(len(nodes), pairs)
    return Picture(
        nodes=[_vis_node(i, node, xy[i], i == focus) for i, node in enumerate(nodes)],
        edges=[
            {
                "from": e.source,
                "to": e.target,
                "label": e.label,
                "title": f"{e.label} ({e.sources} article{'s' if e.sources != 1 else ''})",
                "width": 1 + math.log2(max(1, e.sources)),
            }
            for e in edges
        ],
        options=vis_options(len(nodes)),
        legend=present_types([n.type for n in nodes]),
        iris=[n.iri for n in nodes],
    )


def page(drawing: Picture, *, height: int = 620) -> str:
    """The standalone pyvis page of a picture (vis-network inlined; no IRIs in it)."""
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    net.templateEnv = _template_env()
    net.nodes = drawing.nodes
    net.edges = drawing.edges
    net.options = drawing.options
    return finish_page(net.generate_html(), drawing.legend)


@cache
def _template_env() -> jinja2.Environment:
    """One Jinja environment for every page: pyvis makes a new one per Network, which
    recompiles its template (with 700 kB of inlined vis-network) on every render."""
    return Network(cdn_resources="in_line").templateEnv


def _vis_node(i: int, node: VisNode, xy: tuple[float, float], is_focus: bool) -> dict:
    color, shape, size = TYPE_STYLE.get(node.type, ("#555555", "dot", 12))
    out = {
        "id": i,
        "label": node.label,
        "title": node.title,
        "group": node.type,
        "color": color,
        "shape": shape,
        "size": round(size * (1 + 1.5 * node.weight) * (1.6 if is_focus else 1), 1),
        "x": round(xy[0], 1),
        "y": round(xy[1], 1),
    }
    if is_focus:
        out["borderWidth"] = 4
        out["font"] = {"size": 16, "bold": True}
    return out


def vis_options(n_nodes: int) -> dict:
    """Physics off (positions are precomputed), straight edges, tooltips on hover."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 300},
        "nodes": {"font": {"size": 15, "face": "sans-serif", "background": "rgba(255,255,255,0.75)"}, "borderWidth": 1},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "color": {"color": "#9aa5b1", "highlight": "#2c3e50", "hover": "#2c3e50"},
            "font": {"size": 10, "align": "middle", "color": "#566573", "strokeWidth": 3},
        },
    }


def layout(n: int, edges: Sequence[tuple[int, int]]) -> list[tuple[float, float]]:
    """Fruchterman-Reingold positions in pixels, scaled so a typical edge is about
    :data:`EDGE_LENGTH_PX` long. The same graph always gets the same picture (a fixed
    start and a seeded generator), so the drawing does not jump when only names change."""
    if n == 0:
        return []
    if n == 1:
        return [(0.0, 0.0)]
    g = igraph.Graph(n=n, edges=list(edges))
    start = [[math.cos(2 * math.pi * i / n) * math.sqrt(n), math.sin(2 * math.pi * i / n) * math.sqrt(n)] for i in range(n)]
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(0))
        try:
            coords = g.layout_fruchterman_reingold(seed=start, niter=500, grid="auto").coords
        finally:
            igraph.set_random_number_generator(random)
    lengths = sorted(math.dist(coords[a], coords[b]) for a, b in edges if a != b)
    typical = lengths[len(lengths) // 2] if lengths else 1.0
    scale = EDGE_LENGTH_PX / (typical or 1.0)
    width = (max(x for x, _ in coords) - min(x for x, _ in coords)) or 1.0
    height = (max(y for _, y in coords) - min(y for _, y in coords)) or 1.0
    # a big graph is drawn tighter, so that fitting it on screen keeps labels at a readable size
    scale = min(scale, MAX_EXTENT_PX / max(width * scale, height * scale * 1.8) * scale)
    return [(x * scale, y * scale) for x, y in coords]


def around(n: int, edges: Sequence[tuple[int, int]], placed: Mapping[int, tuple[float, float]]) -> list[tuple[float, float]]:
    """Positions that keep the placed nodes where they are and put every other node on an arc
    around a placed neighbour, facing away from that neighbour's other links: expanding a node
    adds its neighbours beside it without moving what the user was looking at (a new layout of
    the whole picture would). Nodes linked to nothing placed go in a row below the picture."""
    where = {i: placed[i] for i in range(n) if i in placed}
    links: dict[int, list[int]] = {}
    for a, b in edges:
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)
    pending = [i for i in range(n) if i not in where]
    while pending:
        children: dict[int, list[int]] = {}
        for i in pending:
            parent = next((j for j in links.get(i, ()) if j in where), None)
            if parent is not None:
                children.setdefault(parent, []).append(i)
        if not children:
            bottom = max((y for _, y in where.values()), default=0.0) + EDGE_LENGTH_PX
            left = min((x for x, _ in where.values()), default=0.0)
            where.update({i: (left + k * EDGE_LENGTH_PX, bottom) for k, i in enumerate(pending)})
            break
        for parent, kids in children.items():
            where.update(_arc(where, parent, [j for j in links[parent] if j in where and j != parent], kids))
        pending = [i for i in pending if i not in where]
    return [where[i] for i in range(n)]


def _arc(where: Mapping[int, tuple[float, float]], parent: int, placed_links: Sequence[int],
         kids: Sequence[int]) -> dict[int, tuple[float, float]]:
    """Kids spread on an arc around their parent, centred on the direction away from the parent's
    placed links (or from the picture's centre), far enough apart for their labels."""
    px, py = where[parent]
    away = [where[j] for j in placed_links] or list(where.values())
    dx = px - sum(x for x, _ in away) / len(away)
    dy = py - sum(y for _, y in away) / len(away)
    facing = math.atan2(dy, dx) if (dx or dy) else 0.0
    width = min(2 * math.pi, max(math.pi / 2, 0.35 * len(kids)))
    step = width / len(kids) if width >= 2 * math.pi else width / max(1, len(kids) - 1)
    radius = max(EDGE_LENGTH_PX, 90.0 / step) if len(kids) > 1 else EDGE_LENGTH_PX
    start = facing - (width / 2 if len(kids) > 1 and width < 2 * math.pi else 0.0)
    return {kid: (px + radius * math.cos(start + k * step), py + radius * math.sin(start + k * step))
            for k, kid in enumerate(kids)}


def present_types(types: Sequence[str]) -> list[str]:
    """Node classes of the page, in legend order."""
    have = set(types)
    return [t for t in TYPE_STYLE if t in have]


def finish_page(html: str, legend_types: Sequence[str]) -> str:
    """Remove every CDN reference pyvis hard-codes, add the legend, plain-text tooltips
    that keep their line breaks, and a flag the page sets once vis-network has drawn."""
    html = _CDN_TAG.sub("", html)
    html = _EMPTY_HEADING.sub("", html)
    extra_head = (
        "<style>"
        ".vis-tooltip{white-space:pre-line!important;max-width:420px;font:12px sans-serif}"
        "body{margin:0;font-family:sans-serif}"
        "#mynetwork{border:none!important}"
        "#legend{position:absolute;top:8px;left:8px;z-index:5;background:rgba(255,255,255,.92);"
        "border:1px solid #ddd;border-radius:6px;padding:6px 8px;font:12px sans-serif;line-height:18px}"
        "#legend svg{vertical-align:middle;margin-right:4px}"
        "</style>"
    )
    legend = '<div id="legend">' + legend_html(legend_types) + "</div>"
    hook = (
        "<script>network.once('afterDrawing',function(){"
        f"window.{DRAWN_FLAG}=performance.now();document.body.setAttribute('data-drawn','1');}});network.fit({{animation:false}});network.redraw();"
        "</script>"
    )
    html = html.replace("</head>", extra_head + "</head>", 1)
    html = html.replace('<div class="card" style="width: 100%">', '<div class="card" style="width: 100%;position:relative">' + legend, 1)
    return html.replace("</body>", hook + "</body>", 1)


def legend_html(legend_types: Sequence[str]) -> str:
    """One line per node class: its shape in its colour, and its name (our constants only)."""
    return "".join(f"<div>{_shape_svg(TYPE_STYLE[t][1], TYPE_STYLE[t][0])}{t}</div>" for t in legend_types)


def _shape_svg(shape: str, color: str) -> str:
    """A 12 px sample of a vis-network shape for the legend (inline SVG, no fonts needed)."""
    body = {
        "dot": '<circle cx="6" cy="6" r="5"/>',
        "square": '<rect x="1" y="1" width="10" height="10"/>',
        "diamond": '<polygon points="6,0 12,6 6,12 0,6"/>',
        "triangle": '<polygon points="6,0 12,11 0,11"/>',
        "triangleDown": '<polygon points="0,1 12,1 6,12"/>',
        "hexagon": '<polygon points="3,1 9,1 12,6 9,11 3,11 0,6"/>',
        "star": '<polygon points="6,0 7.5,4.2 12,4.4 8.4,7.2 9.7,11.6 6,9 2.3,11.6 3.6,7.2 0,4.4 4.5,4.2"/>',
    }.get(shape, '<circle cx="6" cy="6" r="5"/>')
    return f'<svg width="12" height="12" viewBox="0 0 12 12" fill="{color}">{body}</svg>'


def page_data(html: str) -> tuple[list[dict], list[dict]]:
    """The nodes and edges a page hands to vis-network (for tests and checks)."""
    nodes = re.search(r"nodes = new vis\.DataSet\((.*?)\);\n", html, re.S)
    edges = re.search(r"edges = new vis\.DataSet\((.*?)\);\n", html, re.S)
    if not nodes or not edges:
        raise ValueError("not a dealgraph/pyvis page")
    return json.loads(nodes.group(1)), json.loads(edges.group(1))
