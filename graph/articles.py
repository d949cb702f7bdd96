"""The articles in a store: list them, find one by IRI or source, delete some.

Deleting goes through :meth:`graph.store.Store.replace_graphs` with no triples, so the facts
only the article stated leave the default graph and the facts other articles also state stay,
in one transaction; the preferred labels are then recomputed (:mod:`graph.labels`).
"""

from __future__ import annotations

import os

from graph import reviewed
from graph.namespaces import sparql_prefixes
from graph.store import Store, iter_rows

ARTICLES = sparql_prefixes() + """SELECT ?g ?source ?title ?date WHERE {
  GRAPH ?g { ?g a dg:Article ; dg:source ?source . OPTIONAL { ?g dct:title ?title } OPTIONAL { ?g dct:date ?date } }
} ORDER BY ?source ?g"""


def listing(store: Store) -> list[dict[str, str | None]]:
    """Every article graph with its source, title and date, by source."""
    return [{"iri": r["g"].value, "source": r["source"].value,
             "title": r["title"].value if r["title"] else None, "date": r["date"].value if r["date"] else None}
            for r in iter_rows(store.query(ARTICLES))]


def same_source(given: str, stored: str) -> bool:
    """A path matches however it was spelled at ingest time (relative or absolute)."""
    if given == stored:
        return True
    return not given.startswith(("http://", "https://")) and os.path.abspath(given) == os.path.abspath(stored)


def find(store: Store, ref: str) -> list[str]:
    """The article graphs an IRI, a file path or a URL names (one source may have been
    ingested in several versions, each its own graph)."""
    return [a["iri"] for a in listing(store) if a["iri"] == ref or same_source(ref, a["source"] or "")]


def delete(store: Store, iris: list[str]) -> None:
    """Remove the article graphs and their share of the default graph, then refresh the labels
    and the reviewed graph (graph/reviewed.py)."""
    if iris:
        store.replace_graphs({iri: [] for iri in iris})
        reviewed.refresh(store)
