"""An in-memory index of the entity graph: nodes, names, edges and deals (from the one deal
model, graph/deals.py), with the analyst's judgements applied.

The viewer needs the whole entity layer at hand (search in any script, breadth-first focus,
tables, networkx analytics) while the store holds mostly provenance (sentences, statements).
Reading only the entity layer once, and answering every screen from it, keeps each click to
milliseconds; evidence, which is large, stays in the store and is fetched per entity.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from anyascii import anyascii

from graph import deals, judgements, query
from graph.deals import Amount, Deal, DealBook, format_amount, kind_text  # noqa: F401  (re-exported for the viewer)
from graph.judgements import Review
from graph.namespaces import DG
from graph.store import Store

# Drawn node classes, most specific first: an entity typed twice takes the first.
NODE_TYPES: tuple[str, ...] = (
    "Agreement", "Visit", "Meeting", "Forum", "Company", "Organization", "Official", "Region", "City",
    "Country", "Place", "Project",
)
EVENT_TYPES = frozenset({"Visit", "Meeting", "Forum"})
LANG_MODES: dict[str, str] = {
    "article": "as in the articles",
    "kk": "Kazakh (kk)",
    "ru": "Russian (ru)",
    "en": "English (en)",
    "latin": "Latin transliteration",
}
_LANG_ORDER = {"kk": 0, "ru": 1, "en": 2}
EDGE_LABELS: dict[str, str] = {
    "party": "party",
    "project": "project",
    "locationRegion": "located in",
    "ledBy": "led by",
    "fromPlace": "from",
    "location": "visited",
    "participant": "participant",
    "met": "met",
    "holdsPost": "post",
}
_ATTRIBUTES = {"country": "country", "orgKind": "org_kind", "placeKind": "place_kind", "date": "date"}


@dataclass(frozen=True)
class Label:
    text: str
    lang: str
    preferred: bool
    sources: int


@dataclass
class Node:
    iri: str
    type: str
    sources: int = 0
    labels: list[Label] = field(default_factory=list)
    country: str | None = None
    org_kind: str | None = None
    place_kind: str | None = None
    date: dt.date | None = None
    more_sources: bool = False  # ``sources`` counted up to a cap (graph/views.py): "N+ articles"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    predicate: str
    role: str | None
    sources: int

    @property
    def label(self) -> str:
        if self.predicate == "holdsPost" and self.role:
            return self.role
        return EDGE_LABELS.get(self.predicate, self.predicate)


@dataclass
class GraphIndex:
    nodes: dict[str, Node]
    edges: list[Edge]
    deals: dict[str, Deal]
    book: DealBook | None = None
    adjacency: dict[str, list[Edge]] = field(default_factory=dict)
    _names: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _keys: list[tuple[Node, Label, tuple[str, str, str]]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        adjacency: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.edges:
            adjacency[edge.source].append(edge)
            adjacency[edge.target].append(edge)
        self.adjacency = dict(adjacency)

    def degree(self, iri: str) -> int:
        return len(self.adjacency.get(iri, ()))

    def neighbours(self, iri: str) -> list[str]:
        seen = dict.fromkeys(e.target if e.source == iri else e.source for e in self.adjacency.get(iri, ()))
        return [n for n in seen if n in self.nodes]

    def search_keys(self) -> list[tuple[Node, Label, tuple[str, str, str, str]]]:
        """Every label with its three match keys (script, transliterated, loose), computed
        once: transliterating 60k labels on every keystroke would take a quarter second."""
        if self._keys is None:
            self._keys = [(node, label, match_keys(label.text)) for node in self.nodes.values() for label in node.labels]
        return self._keys

    def name(self, iri: str, mode: str = "article") -> str:
        """A display name in the chosen language mode (see :data:`LANG_MODES`)."""
        names = self._names.setdefault(mode, {})
        if iri not in names:
            names[iri] = self._make_name(iri, mode)
        return names[iri]

    def _make_name(self, iri: str, mode: str) -> str:
        node = self.nodes.get(iri)
        if node is None:
            return iri.rsplit("/", 1)[-1]
        if node.type == "Agreement":
            return self._agreement_name(iri, mode)
        if node.type in EVENT_TYPES:
            return self._event_name(iri, node.type, mode)
        canonical = canonical_label(node)
        if mode == "latin":
            return anyascii(canonical)
        in_lang = [lb for lb in node.labels if lb.lang == mode]
        if in_lang:
            return max(in_lang, key=lambda lb: (lb.preferred, lb.sources, -len(lb.text))).text
        return anyascii(canonical) if mode == "en" else canonical  # English pages show Latin script

    def _agreement_name(self, iri: str, mode: str) -> str:
        deal = self.deals.get(iri)
        kind = kind_text(deal.consensus("kind")) if deal else "agreement"
        parties = " · ".join(self.name(p, mode) for p in (deal.parties if deal else []))
        return f"{kind}: {parties}" if parties else kind

    def _event_name(self, iri: str, kind: str, mode: str) -> str:
        led = [e.target for e in self.adjacency.get(iri, ()) if e.source == iri and e.predicate == "ledBy"]
        to = [e.target for e in self.adjacency.get(iri, ()) if e.source == iri and e.predicate == "location"]
        who = ", ".join(self.name(n, mode) for n in led) or ("delegation" if kind == "Visit" else "")
        where = ", ".join(self.name(n, mode) for n in to)
        head = f"{kind.lower()}: {who}".rstrip(": ")
        return f"{head} → {where}" if where else head


def canonical_label(node: Node) -> str:
    """The preferred label most articles give; ties go to kk, then ru, then en."""
    if not node.labels:
        return node.iri.rsplit("/", 1)[-1]
    best = max(
        node.labels,
        key=lambda lb: (lb.preferred, lb.sources, -_LANG_ORDER.get(lb.lang, 3), lb.text),
    )
    return best.text


def fold(text: str) -> str:
    """Script-independent search key: NFC, anyascii, lower case, only letters and digits."""
    latin = anyascii(unicodedata.normalize("NFC", text)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in latin).split())


def loose(key: str) -> str:
    """A looser key where Kazakh and Russian romanisations meet ('aqtobe' ~ 'aktobe',
    'qaraghandy' ~ 'karagandy')."""
    return key.replace("q", "k").replace("gh", "g").replace("kh", "h").replace("yu", "u").replace("ya", "a")


@cache
def place_words() -> frozenset[str]:
    """Generic words of place names (graph/data/place_words.txt), left out of the core key."""
    path = Path(__file__).with_name("data") / "place_words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(loose(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


def core(key: str) -> str:
    """A loose key without generic place words: 'aktobe oblast' and 'aqtobe oblysy' -> 'aktobe'."""
    words = [w for w in key.split() if w not in place_words()]
    return " ".join(words) or key


def match_keys(text: str) -> tuple[str, str, str, str]:
    """The case-folded text, its :func:`fold` key, its :func:`loose` key and its :func:`core`."""
    key = fold(text)
    loose_key = loose(key)
    return unicodedata.normalize("NFC", text).casefold().strip(), key, loose_key, core(loose_key)


def load_index(store: Store, review: Review | None = None) -> GraphIndex:
    """Read the entity layer of the store (four queries plus the deal model) into a
    :class:`GraphIndex`, with the analyst's judgements applied: merged nodes folded into the
    one kept, rejected facts and non-entities left out, corrected deal links and countries."""
    review = review if review is not None else judgements.load(store)
    nodes: dict[str, Node] = {}
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    for row in query.run(store, "index_nodes"):
        iri, kind = review.canonical(row["e"]), local(row["type"])
        if review.drops(row["e"]) or review.drops(iri):
            continue
        known = nodes.get(iri)
        if known is None:
            nodes[iri] = Node(iri=iri, type=kind, sources=row["sources"])
        else:  # another type of the same node, or a node merged into it
            known.sources += row["sources"] if iri != row["e"] else 0
            if rank[kind] < rank[known.type] and iri == row["e"]:
                known.type = kind
    for row in query.run(store, "index_attributes"):
        node = nodes.get(review.canonical(row["e"]))
        attribute = _ATTRIBUTES[local(row["p"])]
        if node is not None and (getattr(node, attribute) is None or node.iri == row["e"]):
            setattr(node, attribute, row["v"])
    for iri, node in nodes.items():
        fix = review.correction(iri, "country")
        if fix is not None:
            node.country = fix.value
    for row in query.run(store, "index_labels"):
        node = nodes.get(review.canonical(row["e"]))
        if node is not None and row["label"]:
            node.labels.append(Label(row["label"], row["lang"] or "", bool(row["preferred"]), row["sources"]))
    infos = {iri: deals.EntityInfo(iri, n.type, canonical_label(n), n.country) for iri, n in nodes.items()
             if n.type in deals.ENTITY_TYPES}
    book = deals.load(store, review, entities=infos)
    deal_links = {"party", "locationRegion", "project"}
    merged: dict[tuple[str, str, str], Edge] = {}
    for row in query.run(store, "index_edges"):
        s, o, p = review.canonical(row["s"]), review.canonical(row["o"]), local(row["p"])
        if s in book.deals and p in deal_links:
            continue  # deal links come from the deal model, corrections applied
        if s not in nodes or o not in nodes or s == o or review.is_rejected(row["s"], DG + p, row["o"]):
            continue
        key = (s, p, o)
        old = merged.get(key)
        merged[key] = Edge(s, o, p, row["role"] or (old.role if old else None), row["sources"] + (old.sources if old else 0))
    for deal in book.deals.values():
        for p, targets in (("party", deal.parties), ("locationRegion", deal.regions), ("project", deal.projects)):
            for target in targets:
                if deal.iri in nodes and target in nodes:
                    merged[deal.iri, p, target] = Edge(deal.iri, target, p, None, deal.sources)
    edges = sorted(merged.values(), key=lambda e: (e.source, e.predicate, e.target))
    return GraphIndex(nodes=nodes, edges=edges, deals={k: v for k, v in book.deals.items() if k in nodes}, book=book)


def local(iri: str) -> str:
    return iri.removeprefix(DG).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
