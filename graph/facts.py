"""Facts read back from the graph: one article in the gold shape of the evaluation format, and
canonical entities with all their labels (deals are graph/deals.py's).

Evaluation and `dealgraph extract` read facts from here, after the store round trip, so
what is scored is what the graph really holds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pyoxigraph as ox

from graph.judgements import Review
from graph.namespaces import sparql_prefixes
from graph.store import Store, iter_rows

P = sparql_prefixes()

ARTICLE = P + """SELECT ?lang ?date ?title ?source WHERE {
  GRAPH ?g { ?g a dg:Article ; dct:language ?lang ; dg:source ?source .
             OPTIONAL { ?g dct:date ?date } OPTIONAL { ?g dct:title ?title } } }"""

ENTITIES_IN = P + """SELECT ?e ?class ?name ?placeKind ?orgKind ?country WHERE {
  GRAPH ?g { ?e a ?class ; rdfs:label ?name .
    VALUES ?class { dg:Region dg:Place dg:City dg:Country dg:Official dg:Organization dg:Company dg:Project }
    OPTIONAL { ?e dg:placeKind ?placeKind } OPTIONAL { ?e dg:orgKind ?orgKind } OPTIONAL { ?e dg:country ?country } } }"""

POSTS_IN = P + """SELECT ?person ?role ?of WHERE {
  GRAPH ?g { ?person dg:holdsPost ?post . ?post dg:role ?role . OPTIONAL { ?post dg:postIn ?of } } }"""

VISITS_IN = P + """SELECT ?v ?class ?p ?o WHERE {
  GRAPH ?g { ?v a ?class ; ?p ?o . VALUES ?class { dg:Visit dg:Meeting dg:Forum } } }"""

AGREEMENTS_IN = P + """SELECT ?a ?p ?o ?value ?currency ?qualifier WHERE {
  GRAPH ?g { ?a a dg:Agreement ; ?p ?o .
    OPTIONAL { ?o a dg:MonetaryAmount ; dg:value ?value ; dg:currency ?currency ; dg:qualifier ?qualifier } } }"""

ALL_ENTITIES = P + """SELECT ?e ?class ?label ?g WHERE {
  GRAPH ?g { ?e a ?class .
    VALUES ?class { dg:Region dg:Place dg:City dg:Country dg:Official dg:Organization dg:Company dg:Project }
    { ?e rdfs:label ?label } UNION { ?e skos:altLabel ?label } }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/dealgraph/article/")) }"""

LABELS = P + """SELECT ?e ?label WHERE { GRAPH ?g { ?e rdfs:label ?label }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/dealgraph/article/")) }"""
"""One row per article naming the entity so (the default graph would give each name once)."""

KINDS = {"Region": "region", "Place": "place", "City": "city", "Country": "country", "Official": "official",
         "Organization": "organization", "Company": "company", "Project": "project"}


def _local(term: ox.NamedNode | None) -> str | None:
    return term.value.rsplit("#", 1)[-1] if term is not None else None


def _value(term: ox.NamedNode | ox.Literal | None) -> str | None:
    return None if term is None else term.value


def _number(term: ox.Literal | None) -> int | float | None:
    if term is None:
        return None
    number = Decimal(term.value)
    return int(number) if number == number.to_integral() else float(number)


def article_facts(store: Store, graph: str) -> dict:
    """The facts of one article graph in the shape of ../shared/eval/FORMAT.md."""
    g = {"g": ox.NamedNode(graph)}
    meta = next(iter_rows(store.query(ARTICLE, g)), None)
    if meta is None:
        raise KeyError(f"no article graph {graph}")
    names: dict[str, str] = {}
    record: dict = {"file": _value(meta["source"]), "lang": _value(meta["lang"]),
                    "published": _value(meta["date"]), "regions": [], "places": [], "officials": [],
                    "organizations": [], "companies": [], "events": [], "agreements": []}
    rows = list(iter_rows(store.query(ENTITIES_IN, g)))
    for row in rows:
        names[row["e"].value] = row["name"].value
    posts = {row["person"].value: row for row in iter_rows(store.query(POSTS_IN, g))}
    for row in rows:
        kind = KINDS[_local(row["class"])]
        name = row["name"].value
        if kind == "region":
            record["regions"].append({"name": name, "country": _value(row["country"])})
        elif kind in ("city", "country", "place"):
            record["places"].append({"name": name, "kind": _value(row["placeKind"]) or kind})
        elif kind == "organization":
            record["organizations"].append({"name": name, "kind": _value(row["orgKind"])})
        elif kind == "company":
            record["companies"].append({"name": name, "country": _value(row["country"])})
        elif kind == "official":
            post = posts.get(row["e"].value)
            record["officials"].append({
                "name": name, "role": _value(post["role"]) if post else None,
                "of": names.get(post["of"].value) if post and post["of"] is not None else None})
    record["events"] = _visits(store, g, names)
    record["agreements"] = _agreements(store, g, names)
    return record


def _visits(store: Store, g: dict, names: dict[str, str]) -> list[dict]:
    visits: dict[str, dict] = {}
    for row in iter_rows(store.query(VISITS_IN, g)):
        v = visits.setdefault(row["v"].value, {"type": _local(row["class"]).lower(), "led_by": None, "from": None, "location": None,
                                               "participants": [], "met": [], "date": None})
        prop, obj = _local(row["p"]), row["o"]
        if prop in ("ledBy", "fromPlace", "location"):
            v[{"ledBy": "led_by", "fromPlace": "from", "location": "location"}[prop]] = names.get(obj.value)
        elif prop in ("participant", "met"):
            v["participants" if prop == "participant" else "met"].append(names.get(obj.value))
        elif prop == "date":
            v["date"] = obj.value
    return [visits[k] for k in sorted(visits)]


def _agreements(store: Store, g: dict, names: dict[str, str]) -> list[dict]:
    found: dict[str, dict] = {}
    for row in iter_rows(store.query(AGREEMENTS_IN, g)):
        a = found.setdefault(row["a"].value, {
            "type": None, "parties": [], "project": None, "sector": None, "location_region": None,
            "amount": None, "currency": None, "amount_qualifier": None, "date": None, "status": None,
            "aggregate": False})
        prop, obj = _local(row["p"]), row["o"]
        if prop == "agreementType":
            a["type"] = obj.value
        elif prop == "party":
            a["parties"].append(names.get(obj.value, obj.value))
        elif prop == "project":
            a["project"] = names.get(obj.value)
        elif prop == "sector":
            a["sector"] = obj.value
        elif prop == "locationRegion":
            a["location_region"] = names.get(obj.value)
        elif prop == "signingDate":
            a["date"] = obj.value
        elif prop == "status":
            a["status"] = obj.value
        elif prop == "aggregate":
            a["aggregate"] = obj.value == "true"
        elif prop == "amount" and row["value"] is not None:
            a["amount"] = _number(row["value"])
            a["currency"] = row["currency"].value
            a["amount_qualifier"] = row["qualifier"].value
    return [found[k] for k in sorted(found)]


def entities(store: Store, kind: str | None = None, review: Review | None = None) -> list[dict]:
    """Canonical entities with every label (language-tagged) and the articles naming them: the
    merges in ``review`` (the resolver's and the analyst's) folded in, non-entities left out."""
    review = review or Review()
    by_iri: dict[str, dict] = {}
    for row in iter_rows(store.query(ALL_ENTITIES)):
        entity_kind = KINDS[_local(row["class"])]
        iri = review.canonical(row["e"].value)
        if (kind and entity_kind != kind) or review.drops(iri) or review.drops(row["e"].value):
            continue
        e = by_iri.setdefault(iri, {"iri": iri, "type": entity_kind, "labels": set(), "sources": set()})
        e["labels"].add((row["label"].value, row["label"].language or ""))
        e["sources"].add(row["g"].value)
    main_labels = _main_labels(store, review)
    return [
        {"iri": iri, "type": e["type"], "name": main_labels.get(iri) or sorted(e["labels"])[0][0],
         "labels": [{"value": v, "lang": lang} for v, lang in sorted(e["labels"])],
         "sources": sorted(e["sources"])}
        for iri, e in sorted(by_iri.items())
    ]


def _main_labels(store: Store, review: Review) -> dict[str, str]:
    """The name an entity is most often given in articles (ties broken alphabetically)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in iter_rows(store.query(LABELS)):
        counts[review.canonical(row["e"].value)][row["label"].value] += 1
    return {iri: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for iri, c in counts.items()}
