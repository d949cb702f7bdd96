"""What the viewer's screens ask of the graph: search, a focused subgraph, an entity's page
with its evidence, and the deals table with the places where sources disagree.

Everything works on a :class:`graph.index.GraphIndex`; only the entity page reads the store
again (its evidence), always through named queries with the entity bound as a value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from graph import deals as deals_model
from graph import query
from graph.index import Amount, Deal, Edge, GraphIndex, Label, Node, format_amount, kind_text, local, match_keys
from graph.judgements import Review
from graph.namespaces import RDF
from graph.store import Store, iter_rows

RDF_TYPE = RDF + "type"

DEFAULT_CAP = 500
MAX_DEPTH = 3


@dataclass(frozen=True)
class Hit:
    iri: str
    type: str
    label: str
    lang: str
    rank: tuple


TYPE_PRIORITY = {"Region": 0, "Country": 1, "City": 2, "Place": 3}
"""Among equally good matches, a region comes before a city of the same name."""
FUZZY_CUTOFF = 85.0


def search(index: GraphIndex, text: str, *, limit: int = 20, types: frozenset[str] | None = None) -> list[Hit]:
    """Entities whose label or alias matches ``text`` in any script, exactly or fuzzily.

    Keys compared: the case-folded text ('Ақтөбе' in 'Ақтөбе облысы'), its anyascii
    transliteration ('Aqtobe'), a looser romanisation where Kazakh and Russian spellings meet
    ('Aktobe' ~ 'Aqtobe'), and that key without generic place words ('Aktobe oblast' ~ 'Ақтөбе
    облысы'). Labels no key contains are compared by edit similarity (rapidfuzz) on the last
    key, so 'Karagandy' finds 'Қарағанды облысы' and 'Abdykarimov' finds 'Абдикаримов'.
    Best hits first: whole-name matches, then prefixes, word starts, substrings, fuzzy matches;
    among equals regions before cities of the same name, then preferred names. The typed text
    never reaches SPARQL: search runs on the index."""
    needles = match_keys(text)
    if not needles[0] or not needles[1]:
        return []
    keys = [(node, label, k) for node, label, k in index.search_keys() if types is None or node.type in types]
    best: dict[str, Hit] = {}

    def offer(node: Node, label: Label, rank: tuple) -> None:
        full = (rank[0], TYPE_PRIORITY.get(node.type, 9), *rank[1:], not label.preferred, -label.sources, len(label.text), label.text)
        if node.iri not in best or full < best[node.iri].rank:
            best[node.iri] = Hit(node.iri, node.type, label.text, label.lang, full)

    unmatched = []
    for node, label, k in keys:
        rank = _match_rank(k, needles)
        if rank is None:
            unmatched.append((node, label, k))
        else:
            offer(node, label, (*rank, 0.0))
    if len(needles[3]) >= 4:
        cores = [k[3] for _, _, k in unmatched]
        # whole names by edit similarity; names of 6+ letters also inside longer labels (a surname in a full name)
        scorers = [fuzz.ratio] + ([fuzz.partial_ratio] if len(needles[3]) >= 6 else [])
        for scorer in scorers:
            for _, score, position in process.extract(needles[3], cores, scorer=scorer, score_cutoff=FUZZY_CUTOFF, limit=None):
                node, label, _ = unmatched[position]
                offer(node, label, (4, 3, -score))
    return sorted(best.values(), key=lambda h: (h.rank, h.iri))[:limit]


def _match_rank(keys: tuple[str, ...], needles: tuple[str, ...]) -> tuple[int, int] | None:
    """(0 whole name, 1 prefix, 2 word start, 3 anywhere; then 0 same script, 1
    transliterated, 2 loosely romanised, 3 without place words), or None when no key matches."""
    ranks = []
    for how, (hay, needle) in enumerate(zip(keys, needles)):
        if not needle or needle not in hay:
            continue
        if hay == needle:
            ranks.append((0, how))
        elif hay.startswith(needle):
            ranks.append((1, how))
        elif re.search(r"(^|\W)" + re.escape(needle), hay):
            ranks.append((2, how))
        else:
            ranks.append((3, how))
    return min(ranks) if ranks else None


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the graph to. Empty sets and None mean 'no restriction'.

    Region, country, company, kind, status, date and amount restrict *agreements*; the
    entity types restrict which nodes are drawn at all."""

    types: frozenset[str] | None = None
    regions: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    companies: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    isolated: bool = False  # draw nodes without any link (hidden by default: they say nothing)

    @property
    def on_deals(self) -> bool:
        return bool(
            self.regions or self.countries or self.companies or self.kinds or self.statuses
            or self.date_from or self.date_to or self.amount_min is not None or self.amount_max is not None
        )


def deal_matches(index: GraphIndex, deal: Deal, filters: Filters) -> bool:
    """Whether a deal passes the filters; a deal whose sources disagree passes when any
    source's value does, so a disagreement never hides a deal. A deal in a district is also a
    deal in the region the district lies in."""
    places = set(deal.regions) | {p for p in deal.parties if index.nodes[p].type == "Region"}
    region_of = index.book.region_of if index.book is not None else {}
    places |= {region_of[p] for p in places if p in region_of}
    if filters.regions and not places & filters.regions:
        return False
    if filters.companies and not set(deal.parties) & filters.companies:
        return False
    if filters.countries:
        codes = {index.nodes[n].country for n in [*deal.parties, *deal.regions]}
        if not codes & filters.countries:
            return False
    if filters.kinds and not set(deal.values("kind")) & filters.kinds:
        return False
    if filters.statuses and not set(deal.values("status")) & filters.statuses:
        return False
    if filters.date_from or filters.date_to:
        date = deal.date
        if date is None or (filters.date_from and date < filters.date_from) or (filters.date_to and date > filters.date_to):
            return False
    if filters.amount_min is not None or filters.amount_max is not None:
        values = deal.values("value")
        if not any(
            (filters.amount_min is None or v >= filters.amount_min) and (filters.amount_max is None or v <= filters.amount_max)
            for v in values
        ):
            return False
    return True


@dataclass(frozen=True)
class SubEdge:
    source: str
    target: str
    label: str
    sources: int


@dataclass
class Subgraph:
    """Nodes in breadth-first order from the seeds, the edges among them, and whether the
    cap cut the graph (``total`` is how many nodes the same walk reaches without the cap; None
    when it was read per view and not counted, graph/views.py)."""

    nodes: list[str]
    edges: list[SubEdge]
    total: int | None
    cap: int
    focus: str | None = None

    @property
    def capped(self) -> bool:
        return self.total is None or self.total > len(self.nodes)


def subgraph(
    index: GraphIndex,
    filters: Filters = Filters(),
    *,
    focus: str | None = None,
    depth: int = 2,
    cap: int = DEFAULT_CAP,
) -> Subgraph:
    """The part of the graph to draw.

    With a focus entity: everything within ``depth`` hops (1-3). Without one: when deal
    filters are set, the matching agreements and what lies within ``depth`` of them;
    otherwise the whole graph, walked from its best-connected nodes. The walk only passes
    through nodes the filters allow, and stops adding nodes at ``cap``."""
    depth = max(1, min(MAX_DEPTH, depth))
    allowed_deals = (
        {iri for iri, deal in index.deals.items() if deal_matches(index, deal, filters)} if filters.on_deals else None
    )

    def allowed(iri: str) -> bool:
        node = index.nodes.get(iri)
        if node is None or (filters.types is not None and node.type not in filters.types):
            return False
        return allowed_deals is None or node.type != "Agreement" or iri in allowed_deals

    if focus is not None:
        seeds, limit = [focus], depth
    elif allowed_deals is not None:
        seeds = sorted(allowed_deals, key=lambda a: (-index.degree(a), a))
        seeds, limit = [a for a in seeds if allowed(a)], depth
    else:
        seeds = sorted((n for n in index.nodes if allowed(n) and (filters.isolated or index.degree(n))),
                       key=lambda n: (-index.degree(n), n))
        limit = math.inf
    order = _walk(index, seeds, limit, allowed, focus)
    chosen = set(order[:cap])
    return Subgraph(nodes=order[:cap], edges=_edges_among(index, order[:cap], chosen), total=len(order), cap=cap, focus=focus)


def _walk(index: GraphIndex, seeds: list[str], limit: float, allowed: Callable[[str], bool], focus: str | None) -> list[str]:
    seen: dict[str, int] = {}
    for seed in seeds:
        if seed in seen or seed not in index.nodes:
            continue
        seen[seed] = 0
        queue = deque([seed])
        while queue:
            current = queue.popleft()
            if seen[current] >= limit:
                continue
            for neighbour in index.neighbours(current):
                if neighbour not in seen and (allowed(neighbour) or neighbour == focus):
                    seen[neighbour] = seen[current] + 1
                    queue.append(neighbour)
    return list(seen)


def _edges_among(index: GraphIndex, nodes: list[str], chosen: set[str]) -> list[SubEdge]:
    """Edges with both ends drawn; parallel edges (party and location of one region) merge."""
    merged: dict[tuple[str, str], list[Edge]] = {}
    for iri in nodes:
        for edge in index.adjacency.get(iri, ()):
            if edge.source == iri and edge.target in chosen:
                merged.setdefault((edge.source, edge.target), []).append(edge)
    return [
        SubEdge(s, t, ", ".join(dict.fromkeys(e.label for e in group)), max(e.sources for e in group))
        for (s, t), group in merged.items()
    ]


def node_facts(index: GraphIndex, iri: str, mode: str = "article") -> list[str]:
    """The main facts of a node, one line each, for tooltips and lists."""
    node = index.nodes[iri]
    lines = [f"{index.name(iri, mode)} ({node.type})"]
    if node.type == "Agreement" and iri in index.deals:
        deal = index.deals[iri]
        lines.append(" / ".join(kind_text(k) for k in deal.values("kind")) + ", " + " / ".join(deal.values("status")))
        for amount, count in deal.values("amount").most_common():
            lines.append(f"amount: {format_amount(amount)} ({count} source{'s' if count > 1 else ''})")
        if deal.date:
            lines.append(f"date: {deal.date.isoformat()}")
        if deal.disagreements:
            lines.append("sources disagree on: " + ", ".join(deal.disagreements))
    else:
        names = _names_by_text(node)
        if len(names) > 1 or any(names.values()):
            lines.append("names: " + "; ".join(
                f"{text} ({', '.join(langs)})" if langs else text for text, langs in list(names.items())[:8]
            ))
        extra = [node.org_kind, node.place_kind, node.country and f"country {node.country}", node.date and node.date.isoformat()]
        if any(extra):
            lines.append(", ".join(x for x in extra if x))
    links = index.degree(iri)
    articles = f"{node.sources:,}" + ("+" if node.more_sources else "")
    lines.append(f"in {articles} article{'s' if node.sources != 1 else ''}, {links} link{'s' if links != 1 else ''}")
    return lines


def _names_by_text(node: Node) -> dict[str, list[str]]:
    """Each distinct name with the languages it is given in."""
    names: dict[str, set[str]] = {}
    for label in node.labels:
        names.setdefault(label.text, set()).update([label.lang] if label.lang else [])
    return {text: sorted(langs) for text, langs in sorted(names.items(), key=lambda kv: kv[0].casefold())}


def node_label(index: GraphIndex, iri: str, mode: str = "article") -> str:
    """The short text drawn under a node: deals show kind and amount instead of parties."""
    node = index.nodes[iri]
    if node.type == "Agreement" and iri in index.deals:
        deal = index.deals[iri]
        amount = format_amount(deal.amount, compact=True)
        flag = " ⚠" if deal.disagreements else ""
        return f"{kind_text(deal.consensus('kind'))}\n{amount}{flag}".strip()
    name = index.name(iri, mode)
    return name if len(name) <= 40 else name[:38] + "…"


def highlight(sentence: str, terms: list[str]) -> list[tuple[str, bool]]:
    """Split a sentence into (text, highlighted) parts where any term, or an inflected form
    of it, occurs: each word of a name matches by its first ~70% ('Актюбинская область'
    finds 'Актюбинской области', 'Ақтөбе облысы' finds 'Ақтөбе облысының')."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        words = term.split()
        if not words:
            continue
        stems = [re.escape(w if len(w) <= 3 else w[: max(3, math.ceil(len(w) * 0.7))]) + r"\w*" for w in words]
        pattern = re.compile(r"(?<!\w)" + r"\W{1,3}".join(stems), re.IGNORECASE)
        spans += [m.span() for m in pattern.finditer(sentence)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[tuple[str, bool]] = []
    position = 0
    for start, end in merged:
        if start > position:
            parts.append((sentence[position:start], False))
        parts.append((sentence[start:end], True))
        position = end
    if position < len(sentence):
        parts.append((sentence[position:], False))
    return parts


@dataclass
class Fact:
    """One stated fact with its evidence, ready to show."""

    subject: str
    predicate: str
    object: str
    text: str
    sentence: str | None
    parts: list[tuple[str, bool]]
    article: str
    title: str | None
    date: dt.date | None
    language: str | None
    source: str | None
    extractor: str | None
    confidence: Decimal | None


@dataclass
class EntityView:
    iri: str
    type: str
    name: str
    aliases: list[dict[str, Any]]
    attributes: dict[str, str]
    deals: list[str]
    posts: list[dict[str, Any]]
    neighbours: list[str]
    facts: list[Fact] = field(default_factory=list)


def entity_view(store: Store, index: GraphIndex, iri: str, mode: str = "article", *,
                articles: int | None = None) -> EntityView:
    """Everything the entity page shows. Evidence is read from the store with the entity
    (and, for an official, each post) bound as a value of the ``edge_evidence`` query; with
    ``articles``, only from that many of the articles naming it (a region named by 10,000
    articles took 46 s to read whole at 100k deals)."""
    node: Node = index.nodes[iri]
    entity = ox.NamedNode(iri)
    review = index.book.review if index.book is not None else Review()
    members = review.merged_into(iri)  # evidence of every spelling merged into this node
    graphs = None if articles is None else _articles_naming(store, members, articles)
    rows = []
    for member in members:
        rows += _evidence(store, "subject", member, graphs)
        rows += _evidence(store, "object", member, graphs)
    posts_held = {r["object"] for r in rows if r["subject"] in members and local(r["predicate"]) == "holdsPost"}
    for post in sorted(posts_held):
        rows += _evidence(store, "subject", post, graphs)
    rows = [
        r for r in rows
        if r["predicate"] != RDF_TYPE and not review.is_rejected(r["subject"], r["predicate"], str(r["object"]))
        and not review.drops(review.canonical(str(r["object"]))) and not review.drops(review.canonical(r["subject"]))
    ]
    names = [lb.text for lb in node.labels]
    facts = [_fact(index, row, names, mode) for row in rows]
    facts.sort(key=lambda f: (f.date or dt.date.max, f.article, f.text))
    bind = {"official": entity} if node.type == "Official" else {"body": entity}
    posts = query.run(store, "officials_posts", bind) if graphs is None else _posts(store, bind, graphs)
    deals = [
        a for a, d in index.deals.items() if iri == a or iri in d.parties or iri in d.regions or iri in d.projects
    ]
    attributes = {
        k: v
        for k, v in (("country", node.country), ("organization kind", node.org_kind), ("place kind", node.place_kind),
                     ("date", node.date and node.date.isoformat()),
                     ("articles", f"{node.sources:,}" + ("+" if node.more_sources else "")))
        if v
    }
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for lb in node.labels:
        entry = merged.setdefault((lb.text, lb.lang), {"name": lb.text, "language": lb.lang or "-", "kind": "alias", "articles": 0})
        entry["articles"] += lb.sources
        if lb.preferred:
            entry["kind"] = "label"
    aliases = sorted(merged.values(), key=lambda a: (a["kind"] != "label", -a["articles"], a["language"], a["name"]))
    return EntityView(
        iri=iri, type=node.type, name=index.name(iri, mode), aliases=aliases, attributes=attributes,
        deals=sorted(deals, key=lambda a: (index.deals[a].date or dt.date.min), reverse=True),
        posts=posts, neighbours=index.neighbours(iri), facts=facts,
    )


ARTICLES_NAMING = ('SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e a ?type } '
                   'FILTER(STRSTARTS(STR(?g), "https://w3id.org/dealgraph/article/")) } LIMIT ')
"""Article graphs only: the reviewed graph names every entity too."""


def _articles_naming(store: Store, members: list[str], limit: int) -> list[str]:
    """At most ``limit`` article graphs that name the entity (or a spelling merged into it)."""
    found: dict[str, None] = {}
    for member in members:
        text = ARTICLES_NAMING + str(limit - len(found))
        found.update((row["g"].value, None) for row in iter_rows(store.query(text, {"e": ox.NamedNode(member)})))
        if len(found) >= limit:
            break
    return list(found)


def _evidence(store: Store, end: str, member: str, graphs: list[str] | None) -> list[dict[str, Any]]:
    """``edge_evidence`` rows with ``member`` as the fact's subject or object (``end``), from
    the given article graphs only when given."""
    if graphs is None:
        return query.run(store, "edge_evidence", {end: ox.NamedNode(member)})
    if not graphs:
        return []
    pairs = " ".join(f"({ox.NamedNode(member)} {ox.NamedNode(g)})" for g in graphs)
    text = query.load("edge_evidence").text
    at, close = text.rindex("WHERE {") + len("WHERE {"), text.rindex("}")
    # LATERAL: each (entity, article) pair is the entry point; as a trailing VALUES join the
    # engine read every article's evidence first (446 s at 100k deals)
    text = f"{text[:at]} VALUES (?{end} ?article) {{ {pairs} }} LATERAL {{{text[at:close]}}} {text[close:]}"
    return [{k: query.python_value(v) for k, v in row.items()} for row in iter_rows(store.query(text))]


POSTS_IN = """SELECT ?official ?role ?body (SAMPLE(?text) AS ?roleText) (COUNT(DISTINCT ?g) AS ?sources) WHERE {
  VALUES ($end ?g) { $pairs } LATERAL { GRAPH ?g { ?official <https://w3id.org/dealgraph/ontology#holdsPost> ?post .
    ?post <https://w3id.org/dealgraph/ontology#role> ?role ; <https://w3id.org/dealgraph/ontology#postIn> ?body .
    OPTIONAL { ?post <https://w3id.org/dealgraph/ontology#roleText> ?text } } }
} GROUP BY ?official ?role ?body ORDER BY ?role ?official"""


def _posts(store: Store, bind: dict[str, ox.NamedNode], graphs: list[str]) -> list[dict[str, Any]]:
    """The rows of ``officials_posts`` (without the names, which the page takes from the index)
    for one official or body, from the given article graphs only."""
    (end, entity), = bind.items()
    if not graphs:
        return []
    pairs = " ".join(f"({entity} {ox.NamedNode(g)})" for g in graphs)
    text = POSTS_IN.replace("$end", "?" + end).replace("$pairs", pairs)
    return [{k: query.python_value(v) for k, v in row.items()} for row in iter_rows(store.query(text))]


def _fact(index: GraphIndex, row: dict[str, Any], names: list[str], mode: str) -> Fact:
    """A statement row as a readable line, naming things in the article's language when the
    analyst chose 'as in the articles'."""
    lang = row["language"] if mode == "article" and row["language"] else mode
    predicate = local(row["predicate"])

    def say(value: str, role: str | None) -> str:
        if value in index.nodes:
            return index.name(value, lang)
        if role:
            return f"post: {role}"
        if row["value"] is not None and value == row["object"]:
            return format_amount(Amount(row["value"], row["currency"], row["qualifier"]))
        return value

    text = f"{say(row['subject'], row['subjectRole'])} — {predicate} → {say(row['object'], row['objectRole'])}"
    sentence = row["sentenceText"]
    terms = [*names, *_labels_of(index, row["subject"]), *_labels_of(index, str(row["object"]))]
    mention = row["mention"]
    if mention and sentence and len(mention) < 0.6 * len(sentence):
        terms.append(mention)  # a mention that is (nearly) the whole sentence marks nothing
    return Fact(
        subject=row["subject"], predicate=predicate, object=row["object"], text=text, sentence=sentence,
        parts=highlight(sentence, terms) if sentence else [], article=row["article"], title=row["title"],
        date=row["date"], language=row["language"], source=row["source"], extractor=row["extractor"],
        confidence=row["confidence"],
    )


def _labels_of(index: GraphIndex, iri: str) -> list[str]:
    """The names of an entity at one end of a fact (deals and events have none to mark)."""
    node = index.nodes.get(index.book.review.canonical(iri) if index.book else iri)
    if node is None or node.type == "Agreement" or node.type in ("Visit", "Meeting", "Forum"):
        return []
    return [lb.text for lb in node.labels]


def evidence_groups(facts: list[Fact]) -> list[tuple[list[tuple[str, bool]], list[Fact]]]:
    """Facts grouped by the sentence that states them, each sentence once, with every mention
    of any of its facts marked (a deal page otherwise repeats one sentence per fact)."""
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact.sentence or "", []).append(fact)
    out = []
    for sentence, members in groups.items():
        marked = _union_marks(sentence, [f.parts for f in members]) if sentence else []
        out.append((marked, members))
    return out


def _union_marks(sentence: str, all_parts: list[list[tuple[str, bool]]]) -> list[tuple[str, bool]]:
    flags = [False] * len(sentence)
    for parts in all_parts:
        position = 0
        for text, marked in parts:
            if marked:
                flags[position:position + len(text)] = [True] * len(text)
            position += len(text)
    out: list[tuple[str, bool]] = []
    for char, flag in zip(sentence, flags):
        if out and out[-1][1] == flag:
            out[-1] = (out[-1][0] + char, flag)
        else:
            out.append((char, flag))
    return out


DEAL_COLUMNS = deals_model.COLUMNS


def deals_table(index: GraphIndex, filters: Filters = Filters(), mode: str = "article") -> list[dict[str, Any]]:
    """One row per agreement passing the filters, from the one deal model (graph/deals.py):
    single-valued columns show the analyst's value or what most sources say, ``disagree``
    flags deals whose sources differ, USD equivalents come from the rate table."""
    chosen = [deal for deal in index.deals.values() if deal_matches(index, deal, filters)]
    return deals_model.rows(index.book, chosen, name=lambda iri: index.name(iri, mode))


def table_csv(rows: list[dict[str, Any]], columns: tuple[str, ...] = DEAL_COLUMNS) -> bytes:
    return deals_model.to_csv(rows, columns)


def table_xlsx(rows: list[dict[str, Any]], columns: tuple[str, ...] = DEAL_COLUMNS, title: str = "deals") -> bytes:
    return deals_model.to_xlsx(rows, columns, title)


def filter_options(index: GraphIndex, mode: str = "article") -> dict[str, dict[str, str]]:
    """Choices for the filter widgets, as value -> display text."""
    def named(kind: str) -> dict[str, str]:
        found = {n.iri: index.name(n.iri, mode) for n in index.nodes.values() if n.type == kind}
        return dict(sorted(found.items(), key=lambda kv: kv[1].casefold()))

    kinds = sorted({k for d in index.deals.values() for k in d.values("kind")})
    statuses = sorted({s for d in index.deals.values() for s in d.values("status")})
    countries = sorted({n.country for n in index.nodes.values() if n.country})
    return {
        "regions": named("Region"),
        "companies": named("Company"),
        "countries": {c: c for c in countries},
        "kinds": {k: kind_text(k) for k in kinds},
        "statuses": {s: s for s in statuses},
    }


def deal_bounds(index: GraphIndex) -> tuple[tuple[dt.date, dt.date] | None, tuple[Decimal, Decimal] | None]:
    """The date range and amount range the deals span, for the range widgets."""
    dates = [d.date for d in index.deals.values() if d.date]
    values = [v for d in index.deals.values() for v in d.values("value")]
    return ((min(dates), max(dates)) if dates else None, (min(values), max(values)) if values else None)


def expand(index: GraphIndex, graph: Subgraph, around: tuple[str, ...], filters: Filters = Filters(), *,
           cap: int = DEFAULT_CAP) -> Subgraph:
    """The drawn subgraph with the neighbours of some of its nodes added (a double-click in the
    explorer's picture), the filters still applying, and the edges among all of them; still cut at
    the cap. A node that is no longer drawn (the filters changed) is not expanded."""
    order = dict.fromkeys(graph.nodes)
    for iri in around:
        if iri in order:
            order.update(dict.fromkeys(subgraph(index, filters, focus=iri, depth=1, cap=cap).nodes))
    nodes = list(order)[:max(cap, len(graph.nodes))]
    return Subgraph(nodes=nodes, edges=_edges_among(index, nodes, set(nodes)), total=max(graph.total, len(order)),
                    cap=cap, focus=graph.focus)
