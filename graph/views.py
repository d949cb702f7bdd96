"""One picture read from the store on demand, bounded by the node cap: the viewer at scale.

:func:`graph.index.load_index` reads every node, label and edge before the first picture (80 s
and 1.5 GB at 100k deals). A view needs only the nodes it draws: this module walks the graph in
the store itself, hop by hop, then reads types, names and deals for exactly the nodes drawn,
and hands :func:`graph.viz.render` a small :class:`GraphIndex` of them. Judgements apply as in
the index (merged nodes folded, rejected facts and non-entities left out, corrected deal links
followed).

Every read is bounded by the view, never by the corpus:

- Each per-node read is a ``LATERAL`` group (Oxigraph, SPARQL 1.2 draft): the engine evaluates it
  once per bound node, starting from that node. A plain ``VALUES`` join let pyoxigraph 0.5 pick
  a hash join over the whole pattern (300 agreements at 10k deals: 2.5 s against 0.1 s), and a
  ``LIMIT`` inside the group caps what a hub with thousands of deals contributes.
- Links are read from the default graph (each fact once) with the predicate bound, so a hub is
  never scanned through every article that names it.
- Article counts ("in N articles") and name counts come from at most :data:`SOURCES_CAP`
  article graphs per node: exact below it, "N+" above.
- The overview starts at the entities most linked in a sample of :data:`SAMPLE_DEALS` deals
  (deal IRIs are hashes, so the first ones in index order are a fair sample), not at an
  aggregate over every link; where the hubs' surroundings do not fill the cap (small stores,
  unconnected parts), further link subjects are read page by page.

A store whose engine lacks ``LATERAL`` (a non-Oxigraph SPARQL server) is reported by
:func:`supported`; the viewer then loads the whole index as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph import deals, judgements, query
from graph.explore import MAX_DEPTH, Filters, Subgraph, subgraph
from graph.explore import expand as expand_index
from graph.index import NODE_TYPES, Edge, GraphIndex, Label, Node, canonical_label, local
from graph.judgements import Review
from graph.namespaces import DG, sparql_prefixes
from graph.store import QueryError, Store, Term, iter_rows

ARTICLES = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/dealgraph/article/"))'
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LINK_PREDICATES = ("party", "project", "locationRegion", "ledBy", "fromPlace", "location", "participant", "met")
HUB_SEEDS = 20
SAMPLE_DEALS = 500
SOURCES_CAP = 50
NAME_SAMPLE = 10  # articles per node whose names are counted to choose the main name
PAGE = 2000
_ATTRIBUTES = {"country": "country", "orgKind": "org_kind", "placeKind": "place_kind", "date": "date"}


def _branches(subject: str, obj: str) -> str:
    """One UNION branch per link predicate (bound, so the engine reads only those triples), and
    the post fold: official -holdsPost-> post -postIn-> body becomes one holdsPost link."""
    parts = [f"{{ {subject} dg:{p} {obj} BIND(dg:{p} AS ?p) }}" for p in LINK_PREDICATES]
    parts.append(f"{{ {subject} dg:holdsPost ?post . ?post dg:postIn {obj} BIND(dg:holdsPost AS ?p) }}")
    return " UNION ".join(parts)


OUT = _branches("?s", "?o") + " FILTER(isIRI(?o))"
IN = _branches("?s", "?o")
HUBS = sparql_prefixes() + f"""SELECT ?e (COUNT(*) AS ?links) WHERE {{
  {{ SELECT ?a WHERE {{ ?a a dg:Agreement }} LIMIT {SAMPLE_DEALS} }} LATERAL {{ {{ ?a dg:party ?e }} UNION {{ ?a dg:locationRegion ?e }} FILTER(isIRI(?e)) }}
}} GROUP BY ?e ORDER BY DESC(?links) ?e LIMIT {HUB_SEEDS}"""
LINK_SUBJECTS = sparql_prefixes() + "SELECT DISTINCT ?s WHERE { " + " UNION ".join(
    f"{{ ?s dg:{p} ?o }}" for p in (*LINK_PREDICATES, "holdsPost")) + " } LIMIT $limit OFFSET $offset"
TYPED = sparql_prefixes() + "SELECT DISTINCT ?s WHERE { " + " UNION ".join(
    f"{{ ?s a dg:{t} }}" for t in NODE_TYPES) + " } LIMIT $limit OFFSET $offset"
# ?t is bound to the node's type: with the type open, pyoxigraph 0.5 took 60x longer per graph.
SAMPLE_GRAPHS = f"{{ SELECT DISTINCT ?e ?t ?g WHERE {{ GRAPH ?g {{ ?e a ?t }} {ARTICLES} }} LIMIT {SOURCES_CAP} }}"
SOURCES = f"SELECT ?e ?t (COUNT(DISTINCT ?g) AS ?n) WHERE {{ {SAMPLE_GRAPHS} }} GROUP BY ?e ?t"
NAMES = f"""SELECT ?e ?t ?label ?preferred (COUNT(DISTINCT ?g) AS ?n) WHERE {{ {SAMPLE_GRAPHS.replace(f"LIMIT {SOURCES_CAP}", f"LIMIT {NAME_SAMPLE}")} LATERAL {{ GRAPH ?g {{
  {{ ?e rdfs:label ?label BIND(true AS ?preferred) }} UNION {{ ?e skos:altLabel ?label BIND(false AS ?preferred) }} }} }}
}} GROUP BY ?e ?t ?label ?preferred"""
ALL_NAMES = "{ ?e rdfs:label ?label BIND(true AS ?preferred) } UNION { ?e skos:altLabel ?label BIND(false AS ?preferred) }"
ATTRIBUTES = " UNION ".join(f"{{ ?e dg:{p} ?v BIND(dg:{p} AS ?p) }}" for p in ("country", "orgKind", "placeKind", "date"))
EDGE_SOURCES = (f"SELECT ?s ?p ?o (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {ARTICLES} }} "
                f"LIMIT {SOURCES_CAP} }} }} GROUP BY ?s ?p ?o")


def _values(rows: Iterable[str | tuple[str, ...]]) -> str:
    """IRIs from the store itself, serialised by pyoxigraph (escaped), for a VALUES block: one
    IRI per row, or a tuple of IRIs per row."""
    return " ".join(str(ox.NamedNode(r)) if isinstance(r, str) else "(" + " ".join(str(ox.NamedNode(i)) for i in r) + ")"
                    for r in rows)


def per_node(store: Store, var: str, nodes: list, body: str, *, limit: int | None = None,
             chunk: int = 500) -> list[dict[str, Term | None]]:
    """Rows of ``body`` for each node bound to ``?var`` (or, with ``var`` "e t", each tuple bound
    to ``(?e ?t)``), evaluated node by node (``LATERAL``), at most ``limit`` rows per node."""
    names = var.split()
    head = f"?{names[0]}" if len(names) == 1 else "(" + " ".join(f"?{n}" for n in names) + ")"
    rows: list[dict[str, Term | None]] = []
    for start in range(0, len(nodes), chunk):
        group = f"{{ SELECT * WHERE {{ {body} }} LIMIT {limit} }}" if limit else f"{{ {body} }}"
        text = (sparql_prefixes() + f"SELECT * WHERE {{ VALUES {head} {{ {_values(nodes[start:start + chunk])} }} "
                f"LATERAL {group} }}")
        rows += iter_rows(store.query(text))
    return rows


def supported(store: Store) -> bool:
    """Whether the store's engine evaluates ``LATERAL`` (Oxigraph does; SPARQL 1.1 servers may not)."""
    try:
        list(iter_rows(store.query("SELECT * WHERE { VALUES ?x { 1 } LATERAL { BIND(?x AS ?y) } }")))
    except QueryError:
        return False
    return True


@dataclass
class _Corrections:
    """Deal links the analyst changed: links to leave out, and links to follow instead."""

    removed: set[tuple[str, str, str]] = field(default_factory=set)
    added: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, review: Review) -> "_Corrections":
        out = cls()
        for (subject, name), j in review.corrections.items():
            predicate = {"party": "party", "region": "locationRegion"}.get(name)
            if predicate is None or j.value is None:
                continue
            new = review.canonical(j.value)
            out.added[subject].add(new)
            out.added[new].add(subject)
            if j.replaces:
                out.removed.add((subject, predicate, review.canonical(j.replaces)))
        return out


class _Walk:
    """Breadth-first over the store from some seeds, each hop bounded by the room under the cap."""

    def __init__(self, store: Store, review: Review, cap: int, types: frozenset[str] | None, focus: str | None) -> None:
        self.store, self.review, self.cap, self.types, self.focus = store, review, cap, types, focus
        self.fixes = _Corrections.of(review)
        self.chosen: dict[str, str] = {}  # IRI -> type, in the order found
        self.capped = False

    @property
    def room(self) -> int:
        return self.cap - len(self.chosen)

    def admit(self, candidates: list[str]) -> list[str]:
        """The candidates that may be drawn (typed, allowed, not dropped), up to the room left."""
        fresh = [c for c in dict.fromkeys(candidates) if c not in self.chosen and not self.review.drops(c)]
        kinds = node_types(self.store, fresh, self.review)
        allowed = [c for c in fresh if c in kinds and (self.types is None or kinds[c] in self.types or c == self.focus)]
        if len(allowed) > self.room:
            self.capped = True
        taken = allowed[:max(0, self.room)]
        self.chosen.update((c, kinds[c]) for c in taken)
        return taken

    def run(self, frontier: list[str], hops: float) -> None:
        hop = 0
        while frontier and hop < hops:
            if self.room <= 0:
                self.capped = True
                return
            frontier = self.admit(self.neighbours(frontier))
            hop += 1

    def walk_from(self, seeds: list[str]) -> None:
        """Each seed in turn and everything reachable from it, as the index's overview walks,
        until the cap is reached (a hub of a large store fills it alone)."""
        for seed in seeds:
            if self.room <= 0:
                self.capped = True
                return
            if seed not in self.chosen:
                self.run(self.admit([seed]), float("inf"))

    def neighbours(self, frontier: list[str]) -> list[str]:
        """Linked nodes of the frontier (canonical), links the analyst rejected left out; each
        node contributes at most a few times its share of the room."""
        review, fixes = self.review, self.fixes
        members = [m for iri in frontier for m in review.merged_into(iri)]
        share = max(20, 4 * self.room // max(1, len(frontier)) + 10)
        found: list[str] = []
        for var, body, near in (("s", OUT, "o"), ("o", IN, "s")):
            rows = per_node(self.store, var, members, body, limit=share)
            counts: dict[str, int] = defaultdict(int)
            for row in rows:
                counts[row[var].value] += 1
                s, o, p = row["s"].value, row["o"].value, local(row["p"].value)
                cs, co = review.canonical(s), review.canonical(o)
                if cs == co or review.drops(cs) or review.drops(co) or review.is_rejected(s, DG + p, o):
                    continue
                if (cs, p, co) in fixes.removed:
                    continue
                found.append(co if near == "o" else cs)
            if any(n >= share for n in counts.values()):
                self.capped = True
        for iri in frontier:
            found += sorted(fixes.added.get(iri, ()))
        return found


def view(store: Store, *, focus: str | None = None, depth: int = 2, cap: int = 500, review: Review | None = None,
         types: frozenset[str] | None = None, isolated: bool = False) -> tuple[GraphIndex, Subgraph]:
    """The nodes to draw around ``focus`` (``depth`` hops), or without one the overview walked
    from the best-connected entities, read from the store, as a small index and the subgraph
    to render. ``types`` limits the node classes walked through and drawn; ``isolated`` draws
    entities without links too. The subgraph's ``total`` is None when the cap cut the walk."""
    review = review if review is not None else judgements.load(store)
    walk = _Walk(store, review, cap, types, None if focus is None else review.canonical(focus))
    if walk.focus is not None:
        seeds = walk.admit([walk.focus])
        walk.run(seeds, max(1, min(MAX_DEPTH, depth)))
    else:
        hubs = [review.canonical(r["e"].value) for r in iter_rows(store.query(HUBS))]
        walk.walk_from(hubs)
        for template in (LINK_SUBJECTS, TYPED) if isolated else (LINK_SUBJECTS,):
            offset = 0
            while walk.room > 0:
                page = [review.canonical(r["s"].value) for r in iter_rows(store.query(
                    template.replace("$limit", str(PAGE)).replace("$offset", str(offset))))]
                walk.walk_from(page)
                if len(page) < PAGE:
                    break
                offset += PAGE
    index = small_index(store, list(walk.chosen), review, kinds=walk.chosen)
    picture = subgraph(index, Filters(types=types, isolated=isolated), focus=walk.focus,
                       depth=depth if walk.focus else MAX_DEPTH, cap=cap)
    if walk.capped:
        picture.total = None
    return index, picture


def member_types(store: Store, iris: list[str], review: Review) -> dict[str, list[str]]:
    """The drawn classes (:data:`NODE_TYPES`) each node and each spelling merged into it has."""
    members = [m for iri in iris for m in review.merged_into(iri)]
    found: dict[str, list[str]] = defaultdict(list)
    for row in per_node(store, "e", members, "?e a ?type"):
        if local(row["type"].value) in NODE_TYPES:
            found[row["e"].value].append(local(row["type"].value))
    return found


def node_types(store: Store, iris: list[str], review: Review) -> dict[str, str]:
    """Each node's drawn class (the most specific of :data:`NODE_TYPES`; merged spellings
    count for the node they were merged into); nodes without one are left out."""
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    kinds: dict[str, str] = {}
    for member, types in member_types(store, iris, review).items():
        iri = review.canonical(member)
        for kind in types:
            if iri not in kinds or rank[kind] < rank[kinds[iri]]:
                kinds[iri] = kind
    return kinds


def small_index(store: Store, iris: list[str], review: Review, *, kinds: dict[str, str] | None = None) -> GraphIndex:
    """A :class:`GraphIndex` of exactly these nodes: types, names (counted over at most
    :data:`SOURCES_CAP` articles each), attributes, their deals from the deal model and the
    links among them, judgements applied."""
    typed = member_types(store, iris, review)
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    if kinds is None:
        kinds = {}
        for member, types in typed.items():
            iri = review.canonical(member)
            kinds[iri] = min([*types, *([kinds[iri]] if iri in kinds else [])], key=rank.__getitem__)
    nodes = {iri: Node(iri, kinds[iri]) for iri in iris if iri in kinds and not review.drops(iri)}
    members = {m: iri for iri in nodes for m in review.merged_into(iri)}
    if not nodes:
        return GraphIndex(nodes={}, edges=[], deals={})
    wanted = list(members)
    pairs = [(m, DG + t) for m in wanted for t in typed.get(m, ())]
    counts: dict[tuple[str, str, str, bool], int] = {}
    for row in per_node(store, "e t", pairs, NAMES):
        key = (members[row["e"].value], row["label"].value, row["label"].language or "", row["preferred"].value == "true")
        counts[key] = max(counts.get(key, 0), int(row["n"].value))  # a node of two classes: counted per class
    per_member: dict[str, int] = defaultdict(int)  # a spelling's articles (the most of its classes)
    for row in per_node(store, "e t", pairs, SOURCES):
        per_member[row["e"].value] = max(per_member[row["e"].value], int(row["n"].value))
    for row in per_node(store, "e", wanted, ALL_NAMES):  # rare spellings outside the sample, once
        key = (members[row["e"].value], row["label"].value, row["label"].language or "", row["preferred"].value == "true")
        counts.setdefault(key, 1)
    for (iri, text, lang, preferred), n in counts.items():
        nodes[iri].labels.append(Label(text, lang, preferred, n))
    for iri, node in nodes.items():
        node.sources = sum(per_member[m] for m in review.merged_into(iri))
        node.more_sources = node.sources >= SOURCES_CAP
    for row in per_node(store, "e", wanted, ATTRIBUTES):
        iri = members[row["e"].value]
        name = _ATTRIBUTES[local(row["p"].value)]
        if getattr(nodes[iri], name) is None or iri == row["e"].value:
            setattr(nodes[iri], name, query.python_value(row["v"]))
    for iri, node in nodes.items():
        fix = review.correction(iri, "country")
        if fix is not None:
            node.country = fix.value
    agreements = [m for m, iri in members.items() if nodes[iri].type == "Agreement"]
    infos = {iri: deals.EntityInfo(iri, n.type, canonical_label(n), n.country) for iri, n in nodes.items()
             if n.type in deals.ENTITY_TYPES}  # the drawn entities; a party outside the view goes unnamed
    book = deals.load(store, review, only=agreements, entities=infos, articles=False, rows=deal_rows(store, agreements))
    book.deals = {k: v for k, v in book.deals.items() if k in nodes}
    edges: dict[tuple[str, str, str], Edge] = {}
    stated: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)  # edge -> its triples
    posts: dict[tuple[str, str, str], str] = {}
    subjects = [m for m, iri in members.items() if iri not in book.deals]
    for row in per_node(store, "s", subjects, OUT, limit=4 * SOURCES_CAP):  # an official holds 100s of posts
        s, o, p = row["s"].value, row["o"].value, local(row["p"].value)
        cs, co = review.canonical(s), review.canonical(o)
        if cs not in nodes or co not in nodes or cs == co or review.is_rejected(s, DG + p, o):
            continue
        via = (s, DG + "holdsPost", row["post"].value) if p == "holdsPost" else (s, DG + p, o)
        stated[cs, p, co].append(via)
        if p == "holdsPost":
            posts.setdefault((cs, p, co), row["post"].value)
    counted = {(r["s"].value, r["p"].value, r["o"].value): int(r["n"].value)
               for r in per_node(store, "s p o", sorted({t for ts in stated.values() for t in ts}), EDGE_SOURCES)}
    post_roles = _roles(store, sorted(set(posts.values())))
    for (s, p, o), triples in stated.items():
        n = min(SOURCES_CAP, sum(counted.get(t, 0) for t in triples))
        edges[s, p, o] = Edge(s, o, p, post_roles.get(posts.get((s, p, o), "")), max(1, n))
    for deal in book.deals.values():  # deal links from the deal model, corrections applied
        for p, targets in (("party", deal.parties), ("locationRegion", deal.regions), ("project", deal.projects)):
            for target in targets:
                if target in nodes:
                    edges[deal.iri, p, target] = Edge(deal.iri, target, p, None, deal.sources)
    return GraphIndex(nodes=nodes, edges=sorted(edges.values(), key=lambda e: (e.source, e.predicate, e.target)),
                      deals=book.deals, book=book)


def _roles(store: Store, posts: list[str]) -> dict[str, str]:
    """The role of each post (a link from an official is labelled with it)."""
    return {row["post"].value: row["r"].value for row in per_node(store, "post", posts, "?post dg:role ?r", limit=1)}


NAMED_TYPES = tuple(t for t in NODE_TYPES if t not in ("Agreement", "Visit", "Meeting", "Forum"))
"""Classes whose nodes have names of their own (deals and events are named after their ends)."""
SEARCH_NODES = sparql_prefixes() + "SELECT ?e ?t WHERE { " + " UNION ".join(
    f"{{ ?e a dg:{t} BIND(dg:{t} AS ?t) }}" for t in NAMED_TYPES) + " }"
SEARCH_NAMES = sparql_prefixes() + "SELECT ?e ?label ?preferred WHERE { " + ALL_NAMES + " }"
ANY_ENTITY = sparql_prefixes() + "ASK { " + " UNION ".join(f"{{ ?e a dg:{t} }}" for t in NODE_TYPES) + " }"


def search_index(store: Store, review: Review) -> GraphIndex:
    """Every named entity with its names and nothing else (no links, no deals, no counts), for
    :func:`graph.explore.search`: strings bounded by the number of entities, read from the
    default graph (each name once, not once per article). Merged spellings are found under the
    node they were merged into; dropped nodes are not found."""
    rank = {t: i for i, t in enumerate(NODE_TYPES)}
    nodes: dict[str, Node] = {}
    for row in iter_rows(store.query(SEARCH_NODES)):
        iri, kind = review.canonical(row["e"].value), local(row["t"].value)
        if review.drops(iri) or review.drops(row["e"].value):
            continue
        known = nodes.get(iri)
        if known is None:
            nodes[iri] = Node(iri, kind)
        elif rank[kind] < rank[known.type] and iri == row["e"].value:
            known.type = kind
    for row in iter_rows(store.query(SEARCH_NAMES)):
        node = nodes.get(review.canonical(row["e"].value))
        if node is not None:
            label = row["label"]
            node.labels.append(Label(label.value, label.language or "", row["preferred"].value == "true", 1))
    return GraphIndex(nodes=nodes, edges=[], deals={})


def has_entities(store: Store) -> bool:
    """Whether the store holds anything to draw (one index lookup, not a count)."""
    return bool(store.query(ANY_ENTITY))


def neighbourhood(store: Store, iri: str, *, cap: int = 500, review: Review | None = None) -> tuple[GraphIndex, bool]:
    """An entity page's nodes: the entity, at most ``cap`` nodes it links to, and the parties,
    regions and projects of the deals among them (named in the deals table); and whether the
    cap cut the links."""
    review = review if review is not None else judgements.load(store)
    small, picture = view(store, focus=iri, depth=1, cap=cap, review=review)
    ends = [t for deal in small.deals.values() for t in (*deal.parties, *deal.regions, *deal.projects)]
    extra = [t for t in dict.fromkeys(ends) if t not in small.nodes]
    if extra:
        small = small_index(store, [*small.nodes, *extra], review)
    return small, picture.capped


_DEAL_FIELDS = {"agreementType": "type", "status": "status", "sector": "sector", "signingDate": "signed",
                "aggregate": "aggregate"}
_AMOUNT_FIELDS = {"value": "value", "currency": "currency", "qualifier": "qualifier"}
_ROW = ("a", "g", *_DEAL_FIELDS.values(), *_AMOUNT_FIELDS.values(), "reported")
DCT_DATE = "http://purl.org/dc/terms/date"


def deal_rows(store: Store, agreements: list[str]) -> tuple[list[dict], list[dict]]:
    """The rows of the ``index_deals`` and ``deal_links`` queries for these agreements, read as
    one scan of each agreement's quads (and of its amounts' and articles' dates): each OPTIONAL
    of ``index_deals`` is a lookup of its own, 5x the time at 100k deals."""
    quads: dict[tuple[str, str], list[tuple[str, Term]]] = defaultdict(list)
    for row in per_node(store, "a", agreements, f"GRAPH ?g {{ ?a ?p ?o }} {ARTICLES}"):
        quads[row["a"].value, row["g"].value].append((row["p"].value, row["o"]))
    typed = {key: found for key, found in quads.items() if (RDF_TYPE, ox.NamedNode(DG + "Agreement")) in found}
    money = sorted({(o.value, g) for (a, g), found in typed.items() for p, o in found if p == DG + "amount"})
    amounts: dict[tuple[str, str], dict[str, Term]] = defaultdict(dict)
    for row in per_node(store, "m g", money, "GRAPH ?g { ?m ?p ?v }"):
        name = _AMOUNT_FIELDS.get(local(row["p"].value))
        if name and row["p"].value.startswith(DG):
            amounts[row["m"].value, row["g"].value][name] = row["v"]
    graphs = sorted({g for _, g in typed})
    reported = {row["g"].value: row["d"] for row in per_node(store, "g", graphs, f"GRAPH ?g {{ ?g <{DCT_DATE}> ?d }}")}
    out: list[dict] = []
    links: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for (a, g), found in typed.items():
        base = dict.fromkeys(_ROW)
        base.update(a=a, g=g, reported=query.python_value(reported[g]) if g in reported else None)
        out.append(base)
        for p, o in found:
            name = _DEAL_FIELDS.get(local(p)) if p.startswith(DG) else None
            if name:
                out.append({**base, name: query.python_value(o)})
            elif p == DG + "amount" and isinstance(o, ox.NamedNode):
                out.append({**base, **{k: query.python_value(v) for k, v in amounts.get((o.value, g), {}).items()}})
            if p in (DG + "party", DG + "locationRegion", DG + "project") and isinstance(o, ox.NamedNode):
                links[a, p, o.value].add(g)
    return out, [{"a": a, "p": p, "o": o, "sources": len(found)} for (a, p, o), found in links.items()]


def expand(store: Store, picture: Subgraph, around: tuple[str, ...], *, cap: int = 500, review: Review | None = None,
           types: frozenset[str] | None = None, isolated: bool = False) -> tuple[GraphIndex, Subgraph]:
    """A picture with the neighbours of some of its nodes added (the explorer's double-click), as
    :func:`graph.explore.expand` does on the whole index: each expanded node's neighbours are read
    per view, then the index of all drawn nodes is read once."""
    review = review if review is not None else judgements.load(store)
    nodes = dict.fromkeys(picture.nodes)
    for iri in around:
        if iri in nodes:
            nodes.update(dict.fromkeys(view(store, focus=iri, depth=1, cap=cap, review=review, types=types)[1].nodes))
    index = small_index(store, list(nodes), review)
    drawn = [n for n in picture.nodes if n in index.nodes]
    counted = picture.total if picture.total is not None else len(drawn)
    start = Subgraph(nodes=drawn, edges=[], total=counted, cap=cap, focus=picture.focus)
    grown = expand_index(index, start, around, Filters(types=types, isolated=isolated), cap=cap)
    if picture.total is None:
        grown.total = None
    return index, grown
