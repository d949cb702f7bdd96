"""Bring a store written by an older dealgraph up to the shape this one reads, on a writable open.

Before resolution was stored as judgements, the resolver re-keyed entities before writing and
recorded each merge as a ``dg:Merge`` node inside the article's graph, and `dealgraph unmerge`
wrote ``dg:KeepApart`` notes into ``…/graph/resolution``. Both become judgements of
graph/judgements.py here: a merge becomes the resolver's machine judgement (its article graph
keeps the re-keyed IRI until the article is next ingested, when it gets its mention's own IRI
and the judgement maps it), a keep-apart note a person's keep-apart judgement. Then the derived
graphs (preferred labels, the reviewed graph) are rebuilt, which also gives a store that never
had a reviewed graph the one the named queries read. Each step is idempotent, and a current
store costs two ASK queries.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph import judgements, reviewed
from graph.namespaces import ARTICLE, DG, RESOLUTION_GRAPH, entity_iri
from graph.store import Store, iter_rows

LEGACY = f"""ASK {{ {{ GRAPH <{RESOLUTION_GRAPH}> {{ ?s ?p ?o }} }} UNION {{ GRAPH ?g {{ ?m a <{DG}Merge> }} }} }}"""
HAS_ARTICLES_WITHOUT_REVIEW = f"""ASK {{ GRAPH ?g {{ ?g a <{DG}Article> }}
  FILTER NOT EXISTS {{ GRAPH <{reviewed.GRAPH}> {{ ?s ?p ?o }} }} }}"""
MERGES = f"""PREFIX dg: <{DG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?g ?m ?kind ?key ?into ?rule ?score ?label WHERE {{ GRAPH ?g {{
  ?m a dg:Merge ; dg:kind ?kind ; dg:key ?key ; dg:into ?into ; dg:rule ?rule ; dg:score ?score .
  OPTIONAL {{ ?m rdfs:label ?label }} }} }}"""
KEPT_APART = f"""PREFIX dg: <{DG}>
SELECT ?kind ?key ?other WHERE {{ GRAPH <{RESOLUTION_GRAPH}> {{ ?n a dg:KeepApart ; dg:kind ?kind ;
  dg:key ?key ; dg:otherKey ?other }} }}"""
DROP_MERGE_NODES = f"""DELETE {{ GRAPH ?g {{ ?m ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?m a <{DG}Merge> ; ?p ?o }} }}"""
"""The old merge records, once they are judgements (every update also re-syncs the default graph)."""
LEGACY_VERSION = "before 0.2 (re-keyed)"


def upgrade(store: Store) -> bool:
    """Migrate what an older dealgraph wrote; returns whether anything was done."""
    legacy = bool(store.query(LEGACY))
    if not legacy and not bool(store.query(HAS_ARTICLES_WITHOUT_REVIEW)):
        return False
    if legacy:
        graphs: dict[str, list[ox.Triple]] = {}
        for row in iter_rows(store.query(MERGES)):
            if not row["g"].value.startswith(ARTICLE):
                continue
            mention = entity_iri(row["kind"].value, row["key"].value)
            label = row["label"].value if row["label"] else row["key"].value
            reason = f"{row['rule'].value} ({row['score'].value}): '{label}' ({row['key'].value})"
            iri, triples = judgements.resolver_merge(mention, row["into"].value, reason, row["g"].value, LEGACY_VERSION)
            graphs[iri] = triples
        store.replace_graphs(graphs)
        review = judgements.load(store)
        for row in iter_rows(store.query(KEPT_APART)):
            first = entity_iri(row["kind"].value, row["key"].value)
            second = entity_iri(row["kind"].value, row["other"].value)
            if row["other"].value and frozenset((first, second)) not in review.apart:
                judgements.record(store, "keep_apart", first, obj=second, why="kept apart by `dealgraph unmerge` (migrated)")
        store.replace_graphs({RESOLUTION_GRAPH: []})
        store.update(DROP_MERGE_NODES)
    reviewed.refresh(store)
    return True
