"""One small store interface with two backends: embedded (pyoxigraph, on disk) and remote
(any SPARQL 1.1 Query + Update server).

Every write goes through :meth:`Store.replace_graphs`, which drops and refills whole article
graphs in a single SPARQL update, so an article lands whole or not at all on either backend,
or through :meth:`Store.import_graphs` for many graphs at once, which keeps that promise.
Queries see a deduplicated default graph: every write also keeps the store's real default
graph equal to the *set* union of its named graphs, all but :data:`OUTSIDE_DEFAULT` (see
:data:`SYNC_DEFAULT_GRAPH`), so a
query without ``GRAPH`` meets each fact once on every backend, while ``GRAPH ?g`` still says
which article stated it.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from platformdirs import user_data_dir

from graph.namespaces import REVIEWED

Term = ox.NamedNode | ox.BlankNode | ox.Literal
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
BindingValue = Term | str | int | float | bool

ENV_VAR = "DEALGRAPH_STORE"


class StoreError(Exception):
    """A store could not be opened, read or written; the message is meant for the user."""


class QueryError(StoreError):
    """The SPARQL text is malformed or the server refused it."""


def to_term(value: BindingValue) -> Term:
    """Python values become typed literals; terms pass through unchanged."""
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD_BOOLEAN))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD_INTEGER))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD_DOUBLE))
    return ox.Literal(str(value))


XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


def bind_values(sparql: str, bindings: Mapping[str, BindingValue] | None) -> str:
    """Bind variables with a trailing VALUES clause, the one binding form every SPARQL 1.1
    server understands. Values are serialised as RDF terms (escaped by pyoxigraph), never
    pasted as text, so quotes or braces in user input cannot change the query.

    The clause joins with the query's solutions: a bound variable must be visible there
    (in the WHERE pattern of a query without GROUP BY, or among the grouped variables)."""
    if not bindings:
        return sparql
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(str(to_term(v)) for v in bindings.values())
    return f"{sparql.rstrip()}\nVALUES ({names}) {{ ({row}) }}\n"


def replace_update(graphs: Mapping[str, Sequence[ox.Triple]]) -> str:
    """One SPARQL update that replaces each named graph by the given triples and keeps the
    default graph the set union of all named graphs (see :func:`replace_graph_operations`)."""
    parts: list[str] = []
    for iri, triples in graphs.items():
        parts.extend(replace_graph_operations(iri, triples, exists=True))
    return " ;\n".join(parts)


def replace_graph_operations(iri: str, triples: Sequence[ox.Triple], *, exists: bool) -> list[str]:
    """The update operations that replace one named graph, in order:

    1. remove from the default graph the triples that only this graph states (a triple
       another named graph also states stays, once);
    2. drop the graph and insert its new content, in the graph and in the default graph,
       where a triple already there is not added twice (a graph is a set). One INSERT DATA
       with the text twice costs 1.75x a plain insert, against 2.9x for copying the graph
       with INSERT ... WHERE (1,000 graphs of 86 triples, CPU time).

    Run as one update request, the whole replace is one transaction on the embedded store and
    on any SPARQL 1.1 server; ``exists=False`` skips the first two steps for a graph known
    not to exist yet (most graphs of an ingest)."""
    graph = f"<{iri}>"
    outside = iri in OUTSIDE_DEFAULT
    parts: list[str] = []
    if exists:
        if not outside:
            parts.append(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph} && {IN_DEFAULT.format(g='?other')}) }} }}"
            )
        parts.append(f"DROP SILENT GRAPH {graph}")
    if triples:
        body = " .\n".join(str(t) for t in triples)
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body} .\n}}\n{'' if outside else body + ' .'}\n}}")
    return parts


OUTSIDE_DEFAULT: frozenset[str] = frozenset({REVIEWED})
"""Named graphs the default graph leaves out: the reviewed graph (graph/reviewed.py) restates
the entity layer with judgements applied, with its own amount and post nodes, so a query
without GRAPH would meet a deal's amount twice. The default graph is what the articles say
(plus labels and judgements); ``GRAPH <…/graph/reviewed>`` is the reviewed view."""
IN_DEFAULT = "{g} NOT IN (" + ", ".join(f"<{iri}>" for iri in sorted(OUTSIDE_DEFAULT)) + ")"
"""A SPARQL filter (format with g='?var') true for a graph the default graph holds."""

SYNC_DEFAULT_GRAPH = f"""DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({IN_DEFAULT.format(g="?g")}) }} }} ;
INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({IN_DEFAULT.format(g="?g")}) }}"""
"""Rebuild the default graph as the set union of the named graphs (but :data:`OUTSIDE_DEFAULT`),
in one pass over the store: after an arbitrary SPARQL update (the endpoint's token-guarded
UPDATE) and for stores written before the default graph was maintained."""

COUNT_NAMED_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


class Store(ABC):
    """What dealgraph needs from a triple store, and nothing more."""

    location: str

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """Atomically replace each named graph's content (empty sequence = remove it)."""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        """Run a read-only SPARQL query; its default graph holds each fact of any named graph once."""

    @abstractmethod
    def query_serialized(
        self, sparql: str, media_type: str, bindings: Mapping[str, BindingValue] | None = None
    ) -> bytes:
        """Run a query and return its results already serialised (results or RDF format)."""

    @abstractmethod
    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        """Serialise the whole dataset, or one named graph, in an RDF format."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of all named graphs."""

    @abstractmethod
    def count(self) -> int:
        """Number of quads in named graphs: everything the articles state, each with its
        graph (the default graph is derived from them and not counted)."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction (the endpoint's token-guarded UPDATE), with
        :data:`SYNC_DEFAULT_GRAPH` appended so the default graph stays the set union of the
        named graphs: write into named graphs; a triple written only into the default graph
        is removed again."""

    def facts(self) -> int:
        """Number of distinct triples in the default graph: each fact once."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(result))["n"].value)

    def import_graphs(self, graphs: Iterable[tuple[str, Sequence[ox.Triple]]], batch_size: int = 500) -> int:
        """Write many whole graphs, each replacing any graph of the same IRI (a later pair for
        an IRI wins), and return how many (IRI, triples) pairs were written.

        A method of its own because a backend may load a fresh store far faster than by
        updates (the embedded one does). This default sends ``batch_size`` graphs per
        :meth:`replace_graphs` call, so every graph lands whole or not at all and an
        interrupted import keeps the batches already written."""
        written = 0
        batch: dict[str, Sequence[ox.Triple]] = {}
        for iri, triples in graphs:
            batch[iri] = triples
            written += 1
            if len(batch) >= batch_size:
                self.replace_graphs(batch)
                batch = {}
        if batch:
            self.replace_graphs(batch)
        return written

    def snapshot(self) -> str | None:
        """A folder holding a read-only copy of the store as of now, for query workers
        (:mod:`graph.sandbox`); None when the backend cannot give one (a remote server)."""
        return None

    def drop_graph(self, iri: str) -> None:
        self.replace_graphs({iri: []})

    def close(self) -> None:
        """Release the store; further calls are an error."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def default_location() -> str:
    return os.environ.get(ENV_VAR) or str(Path(user_data_dir("dealgraph")) / "store")


def open_store(location: str | None = None, *, read_only: bool = False) -> Store:
    """Open the store at a folder path (embedded), ``:memory:`` or an http(s) SPARQL URL.

    A folder may be open in several processes at once: the first one owns it and the others
    reach it through the owner (:mod:`graph.stores.owner`)."""
    location = location or default_location()
    if location.startswith(("http://", "https://")):
        from graph.stores.remote import RemoteStore

        return RemoteStore(location)
    from graph.stores.owner import MemoryStore, SharedStore

    if location == ":memory:":
        return MemoryStore()
    return SharedStore(location, read_only=read_only)


def iter_rows(result: QueryResult) -> Iterable[dict[str, Term | None]]:
    """Solutions as dicts from variable name to term (None where unbound)."""
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    names = [v.value for v in result.variables]
    for solution in result:
        yield {name: solution[name] for name in names}
