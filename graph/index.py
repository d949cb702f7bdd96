"""An in-memory index of the entity graph: nodes, names, edges and deals, read with five
named queries.

The viewer needs the whole entity layer at hand (search in any script, breadth-first focus,
tables, networkx analytics) while the store holds mostly provenance (sentences, statements).
Reading only the entity layer once, and answering every screen from it, keeps each click to
milliseconds; evidence, which is large, stays in the store and is fetched per entity.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from anyascii import anyascii

from graph import query
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
_QUALIFIER_SIGNS = {"over": ">", "about": "≈", "up_to": "≤", "exact": ""}


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


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str | None
    qualifier: str | None


@dataclass
class Deal:
    """One agreement with what each source (article graph) says about it."""

    iri: str
    per_source: dict[str, dict[str, frozenset]] = field(default_factory=dict)
    reported: dt.date | None = None
    parties: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)

    @property
    def sources(self) -> int:
        return len(self.per_source)

    def values(self, name: str) -> Counter:
        """How many sources give each value of a field (kind, status, amount, signed...)."""
        return Counter(v for fields in self.per_source.values() for v in fields.get(name, ()))

    def consensus(self, name: str):
        """The value most sources give (ties: the first source by IRI order), or None."""
        counts = self.values(name)
        return counts.most_common(1)[0][0] if counts else None

    @property
    def disagreements(self) -> tuple[str, ...]:
        """Fields on which two sources that both state the field give different values."""
        out = []
        for name in ("value", "currency", "qualifier", "kind", "status"):
            stated = {fields[name] for fields in self.per_source.values() if fields.get(name)}
            if len(stated) > 1:
                out.append("amount" if name == "value" else name)
        return tuple(out)

    @property
    def amount(self) -> Amount | None:
        return self.consensus("amount")

    @property
    def date(self) -> dt.date | None:
        """The signing date when known, else the date of the first article that reports it."""
        return self.consensus("signed") or self.reported

    @property
    def aggregate(self) -> bool:
        return bool(self.consensus("aggregate"))


@dataclass
class GraphIndex:
    nodes: dict[str, Node]
    edges: list[Edge]
    deals: dict[str, Deal]
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

    def search_keys(self) -> list[tuple[Node, Label, tuple[str, str, str]]]:
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


def kind_text(kind: str | None) -> str:
    if not kind:
        return "agreement"
    return "MoU" if kind == "mou" else kind.replace("_", " ")


def format_amount(amount: Amount | None, *, compact: bool = False) -> str:
    """'over 150,000,000 USD', or '>150M USD' for canvas labels."""
    if amount is None:
        return ""
    currency = amount.currency or ""
    if compact:
        value = float(amount.value)
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
            if abs(value) >= size:
                number = f"{value / size:.3g}{suffix}"
                break
        else:
            number = f"{value:g}"
        return f"{_QUALIFIER_SIGNS.get(amount.qualifier or '', '')}{number} {currency}".strip()
    qualifier = "" if amount.qualifier in (None, "exact") else amount.qualifier.replace("_", " ") + " "
    return f"{qualifier}{amount.value:,f} {currency}".strip()


def fold(text: str) -> str:
    """Script-independent search key: NFC, anyascii, lower case, only letters and digits."""
    latin = anyascii(unicodedata.normalize("NFC", text)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in latin).split())


def loose(key: str) -> str:
    """A looser key where Kazakh and Russian romanisations meet ('aqtobe' ~ 'aktobe')."""
    return key.replace("q", "k").replace("kh", "h").replace("yu", "u").replace("ya", "a")


def match_keys(text: str) -> tuple[str, str, str]:
    """The case-folded text, its :func:`fold` key and its :func:`loose` key."""
    key = fold(text)
    return unicodedata.normalize("NFC", text).casefold().strip(), key, loose(key)


def load_index(store: Store) -> GraphIndex:
    """Read the entity layer of the store (five queries) into a :class:`GraphIndex`."""
    nodes: dict[str, Node] = {}
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    for row in query.run(store, "index_nodes"):
        kind = local(row["type"])
        known = nodes.get(row["e"])
        if known is None or rank[kind] < rank[known.type]:
            nodes[row["e"]] = Node(iri=row["e"], type=kind, sources=row["sources"])
    for row in query.run(store, "index_attributes"):
        node = nodes.get(row["e"])
        attribute = _ATTRIBUTES[local(row["p"])]
        if node is not None and getattr(node, attribute) is None:
            setattr(node, attribute, row["v"])
    for row in query.run(store, "index_labels"):
        node = nodes.get(row["e"])
        if node is not None and row["label"]:
            node.labels.append(Label(row["label"], row["lang"] or "", bool(row["preferred"]), row["sources"]))
    edges = [
        Edge(row["s"], row["o"], local(row["p"]), row["role"], row["sources"])
        for row in query.run(store, "index_edges")
        if row["s"] in nodes and row["o"] in nodes and row["s"] != row["o"]
    ]
    deals = _deals(store, nodes, edges)
    return GraphIndex(nodes=nodes, edges=sorted(edges, key=lambda e: (e.source, e.predicate, e.target)), deals=deals)


def _deals(store: Store, nodes: dict[str, Node], edges: list[Edge]) -> dict[str, Deal]:
    deals: dict[str, Deal] = {}
    collected: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in query.run(store, "index_deals"):
        deal = deals.setdefault(row["a"], Deal(row["a"]))
        fields = collected[row["a"], row["g"]]
        for name, column in (("kind", "type"), ("status", "status"), ("sector", "sector"),
                             ("signed", "signed"), ("aggregate", "aggregate"), ("value", "value"),
                             ("currency", "currency"), ("qualifier", "qualifier")):
            if row[column] is not None:
                fields[name].add(row[column])
        if row["value"] is not None:
            fields["amount"].add(Amount(row["value"], row["currency"], row["qualifier"]))
        if row["reported"] is not None and (deal.reported is None or row["reported"] < deal.reported):
            deal.reported = row["reported"]
    for (iri, graph), fields in sorted(collected.items()):
        deals[iri].per_source[graph] = {name: frozenset(values) for name, values in fields.items()}
    for edge in edges:
        deal = deals.get(edge.source)
        if deal is None:
            continue
        if edge.predicate == "party":
            deal.parties.append(edge.target)
        elif edge.predicate == "locationRegion":
            deal.regions.append(edge.target)
        elif edge.predicate == "project":
            deal.projects.append(edge.target)
    for deal in deals.values():
        deal.parties.sort(key=lambda p: (nodes[p].type != "Region", p))
    return deals


def local(iri: str) -> str:
    return iri.removeprefix(DG).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
