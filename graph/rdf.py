"""rdflib as the Python face of the store, for notebooks: an rdflib ``Dataset`` over the same
data ``dealgraph query`` sees, and query results as pandas DataFrames.

>>> from graph.rdf import dataset, frame
>>> ds = dataset("~/.local/share/dealgraph/store")      # or "http://127.0.0.1:7878/query"
>>> frame(ds.query("SELECT ?a WHERE { ?a a <https://w3id.org/dealgraph/ontology#Agreement> }"))

Semantics are the store's (see :mod:`graph.store`): a query without ``GRAPH`` reads the
deduplicated default graph, each fact once; ``GRAPH ?g`` names the article that stated it.
rdflib's defaults break that in two measured ways (../shared/STACK-NOTES.md), both handled here:

- embedded: the Dataset wraps the very pyoxigraph store through oxrdflib (no copy, same
  speed), with ``default_union`` off, so the real default graph is what queries read;
- remote: rdflib's SPARQLStore sends ``default-graph-uri=urn:x-rdflib:default`` for a
  Dataset's queries, which names an empty graph; :class:`EndpointStore` sends no dataset
  parameter for the default graph, so the server answers from its own default graph.

The Dataset is for reading: write with ``dealgraph ingest`` / ``delete``, which keep the
default graph and the preferred labels in step with the article graphs.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from graph.namespaces import PREFIXES
from graph.store import Store, StoreError, open_store
from graph.stores.embedded import EmbeddedStore
from graph.stores.owner import SharedStore
from graph.stores.remote import RemoteStore


class EndpointStore(SPARQLStore):
    """A read-only SPARQLStore whose default graph is the endpoint's own default graph."""

    def _is_contextual(self, graph: Any) -> bool:
        if graph is None:
            return False
        identifier = graph if isinstance(graph, str) else graph.identifier
        if identifier in ("__UNION__", DATASET_DEFAULT_GRAPH_ID):
            return False
        return super()._is_contextual(graph)


def dataset(store: Store | str) -> Dataset:
    """An rdflib Dataset over a dealgraph store: a Store object, a store folder, or the query
    URL of a SPARQL endpoint (``dealgraph serve``'s ``/sparql`` or any server dealgraph writes
    to). The project's prefixes (dg, dgid, rdfs, skos, dct, ...) are bound, so queries may use
    them without PREFIX lines."""
    if isinstance(store, str) and store.startswith(("http://", "https://")):
        result = Dataset(store=EndpointStore(store, returnFormat="json"), default_union=False)
    else:
        opened = open_store(store, read_only=True) if isinstance(store, str) else store
        if isinstance(opened, RemoteStore):
            return dataset(opened.location)
        result = Dataset(store=OxigraphStore(store=_pyoxigraph_of(opened)), default_union=False)
        result._dealgraph_store = opened  # keeps the folder's handle open while the Dataset lives
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace, override=True)
    return result


def _pyoxigraph_of(opened: Store) -> ox.Store:
    """The engine under a store folder: the folder's own handle when this process owns it,
    else a read-only snapshot that the owner made of every write so far (a folder has one
    writer process; see graph.stores.owner)."""
    if isinstance(opened, EmbeddedStore):
        return opened.pyoxigraph()
    if isinstance(opened, SharedStore):
        if opened.is_owner:
            return opened.embedded().pyoxigraph()
        return ox.Store.read_only(opened.snapshot())
    raise StoreError(f"cannot build an rdflib Dataset over {opened.location!r}")


def frame(result: Result) -> pd.DataFrame:
    """SELECT results as a DataFrame: one column per variable, values as Python objects
    (numbers, dates, strings; IRIs as strings; unbound as None)."""
    if result.type != "SELECT":
        raise ValueError(f"a DataFrame holds SELECT results, not {result.type}")
    columns = [str(v) for v in result.vars or []]
    rows = [[None if value is None else _python(value) for value in row] for row in result]
    return pd.DataFrame(rows, columns=columns)


def _python(term: Any) -> Any:
    value = term.toPython()
    return str(value) if value is term else value
