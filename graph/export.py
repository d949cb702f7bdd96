"""Exports for people who do not speak SPARQL: compacted JSON-LD, and the entity network as
GraphML, GEXF (networkx) or node/edge CSVs for Gephi.

JSON-LD carries the deduplicated default graph (each fact once, what a plain RDF graph
loader reads) and every article graph (what a dataset loader reads as named graphs), compacted
with the published context ``graph/context.jsonld``, which is inlined so the file loads
offline. The network holds the nodes a reader draws (entities, agreements, events, posts)
with their type and preferred labels, and the edges between them, read from the reviewed graph
(graph/reviewed.py): one node per canonical entity, every judgement applied.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from graph.namespaces import DG, PREFIXES, RDF, REVIEWED, sparql_prefixes
from graph.store import Store, iter_rows

CONTEXT_FILE = Path(__file__).with_name("context.jsonld")
ONTOLOGY_FILE = Path(__file__).with_name("ontology.ttl")
NETWORK_FORMATS = ("graphml", "gexf", "nodes-csv", "edges-csv")
NODE_CLASSES = ("Region", "City", "Country", "Place", "Official", "Organization", "Company", "Project",
                "Agreement", "Visit", "Meeting", "Forum", "Post")
LANGUAGES = ("en", "kk", "ru")


def build_context() -> dict[str, Any]:
    """The JSON-LD context from the ontology: the project's prefixes, ``id``/``type``, and one
    term per dg property (object properties coerce to IRIs). The file ``graph/context.jsonld``
    is this, written once and checked by a test, so the published context never drifts."""
    onto = ox.Store()
    onto.load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    context: dict[str, Any] = {"id": "@id", "type": "@type", **PREFIXES}
    kinds = {"ObjectProperty": True, "DatatypeProperty": False}
    terms: dict[str, Any] = {}
    for kind, is_object in kinds.items():
        for quad in onto.quads_for_pattern(None, ox.NamedNode(RDF + "type"),
                                           ox.NamedNode("http://www.w3.org/2002/07/owl#" + kind), None):
            iri = quad.subject.value
            if iri.startswith(DG):
                name = iri[len(DG):]
                terms[name] = {"@id": f"dg:{name}", "@type": "@id"} if is_object else f"dg:{name}"
    context.update(dict(sorted(terms.items())))
    context.update({"label": "rdfs:label", "prefLabel": "skos:prefLabel", "altLabel": "skos:altLabel",
                    "title": "dct:title"})
    return {"@context": context}


@cache
def published_context() -> dict[str, Any]:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def jsonld(store: Store, article: str | None = None) -> bytes:
    """The whole store as compacted JSON-LD: default graph at the top level, one
    ``{"@id": article, "@graph": [...]}`` object per named graph; or one article's graph alone
    as a plain graph. Written by rdflib (pyoxigraph writes expanded JSON-LD only), which takes
    seconds per 100k triples: fine for a dump, not for a live endpoint."""
    from rdflib import Dataset, Graph

    context = published_context()["@context"]
    if article is not None:
        graph = Graph().parse(data=store.dump(ox.RdfFormat.N_TRIPLES, article), format="nt")
        return graph.serialize(format="json-ld", context=context, auto_compact=True, ensure_ascii=False).encode()
    dataset = Dataset()
    dataset.parse(data=store.dump(ox.RdfFormat.N_QUADS), format="nquads")
    dataset.default_graph.parse(data=store.dump(ox.RdfFormat.N_TRIPLES), format="nt")
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True, ensure_ascii=False)
    return text.encode("utf-8")


NODES = sparql_prefixes() + f"""SELECT ?n ?type ?label WHERE {{
  GRAPH <{REVIEWED}> {{ ?n a ?type . VALUES ?type {{ {' '.join(f'dg:{c}' for c in NODE_CLASSES)} }} }}
  OPTIONAL {{ ?n skos:prefLabel ?label }}
}}"""
EDGES = sparql_prefixes() + f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{REVIEWED}> {{ ?s ?p ?o . FILTER(isIRI(?o) && ?p != rdf:type) }} }}"""
NAMING = sparql_prefixes() + f"""SELECT ?n ?p ?v WHERE {{
  GRAPH <{REVIEWED}> {{ ?n ?p ?v . VALUES ?p {{ dg:agreementType dg:role }} }} }}"""


def network(store: Store) -> nx.MultiDiGraph:
    """Entities, agreements, events and posts as nodes (``type``, ``label``, ``label_kk``,
    ``label_ru``, ``label_en``), dg properties between them as edges (``predicate``).

    Nodes without a preferred label (agreements, events, posts) are named by their kind:
    "Agreement: mou", "Post: akim"."""
    types: dict[str, set[str]] = defaultdict(set)
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for row in iter_rows(store.query(NODES)):
        iri = row["n"].value
        types[iri].add(row["type"].value.rsplit("#", 1)[-1])
        label = row["label"]
        if isinstance(label, ox.Literal) and label.language in LANGUAGES:
            names[iri][label.language] = label.value
    kinds: dict[str, str] = {}
    for row in iter_rows(store.query(NAMING)):
        kinds.setdefault(row["n"].value, row["v"].value)
    graph = nx.MultiDiGraph()
    for iri in sorted(types):
        kind = "|".join(sorted(types[iri]))
        named = names.get(iri, {})
        fallback = f"{kind}: {kinds[iri]}" if iri in kinds else kind
        graph.add_node(iri, type=kind, label=named.get("en", fallback),
                       **{f"label_{lang}": named.get(lang, "") for lang in LANGUAGES})
    for row in iter_rows(store.query(EDGES)):
        s, p, o = row["s"].value, row["p"].value, row["o"].value
        if s in types and o in types and p.startswith(DG):
            graph.add_edge(s, o, key=p, predicate=p[len(DG):])
    return graph


def network_bytes(store: Store, fmt: str) -> bytes:
    """The network in one of :data:`NETWORK_FORMATS`."""
    graph = network(store)
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer, encoding="utf-8")
        return buffer.getvalue()
    if fmt == "gexf":
        buffer = io.BytesIO()
        nx.write_gexf(graph, buffer, encoding="utf-8")
        return buffer.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if fmt == "nodes-csv":
        writer.writerow(["Id", "Label", "Type", "label_kk", "label_ru", "label_en"])
        for iri, data in graph.nodes(data=True):
            writer.writerow([iri, data["label"], data["type"], data["label_kk"], data["label_ru"], data["label_en"]])
    elif fmt == "edges-csv":
        writer.writerow(["Source", "Target", "Type", "Label"])
        for s, o, data in graph.edges(data=True):
            writer.writerow([s, o, "Directed", data["predicate"]])
    else:
        raise ValueError(f"unknown network format {fmt!r}; choose one of {', '.join(NETWORK_FORMATS)}")
    return out.getvalue().encode("utf-8")
