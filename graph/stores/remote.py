"""The remote backend: any SPARQL 1.1 Query + Update server (Oxigraph, Fuseki, GraphDB...).

Writes go to the update endpoint as the single update string built by
:func:`graph.store.replace_update`, so a per-article replace stays atomic on any server that
runs one update request in one transaction. Reads ask for SPARQL JSON results (or N-Triples for
CONSTRUCT/DESCRIBE) and hand back the same pyoxigraph objects as the embedded store.

Queries see the server's real default graph, which every write keeps equal to the set union
of the named graphs (:func:`graph.store.replace_update`), so each fact comes back once. A
server that instead answers with a union of graphs (``oxigraph serve --union-default-graph``,
Fuseki's ``tdb2:unionDefaultGraph``) would count a fact once per graph: the store checks with
data, at open time and after its first write, that a stored triple comes back exactly once, and
fills a default graph left empty by an older dealgraph.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests

from graph.serialize import serialize_result
from graph.store import (
    BindingValue,
    QueryError,
    QueryResult,
    Store,
    StoreError,
    IN_DEFAULT,
    SYNC_DEFAULT_GRAPH,
    bind_values,
    replace_update,
)

UPDATE_URL_ENV = "DEALGRAPH_UPDATE_URL"
STORE_PROTOCOL_URL_ENV = "DEALGRAPH_STORE_PROTOCOL_URL"

JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
# SELECT/ASK answer in JSON, CONSTRUCT/DESCRIBE in N-Triples: one request whatever the kind.
_READ_ACCEPT = f"{JSON_RESULTS}, {N_TRIPLES};q=0.9"
_CONNECT_TIMEOUT_S = 5.0
_PROBE = ("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?s) && !isBlank(?o) && "
          + IN_DEFAULT.format(g="?g") + ") } LIMIT 1")
"""A triple of a graph the default graph holds (not of :data:`graph.store.OUTSIDE_DEFAULT`)."""


def derive_endpoints(query_url: str) -> tuple[str, str]:
    """Update and Graph Store Protocol URLs for the usual server layouts.

    Oxigraph ``/query`` -> ``/update``, ``/store``; Fuseki ``/ds/query`` or ``/ds/sparql`` ->
    ``/ds/update``, ``/ds/data``; GraphDB/RDF4J ``/repositories/X`` ->
    ``/repositories/X/statements``, ``/repositories/X/rdf-graphs/service``. Anything else
    keeps the query URL for updates (many servers serve both on one path) and has no store URL
    guess beyond ``/store`` next to it."""
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")

    def with_path(new_path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    if re.search(r"/repositories/[^/]+$", path):
        return with_path(path + "/statements"), with_path(path + "/rdf-graphs/service")
    head, _, last = path.rpartition("/")
    if last == "query" and not head:
        return with_path("/update"), with_path("/store")
    if last in ("query", "sparql"):
        return with_path(f"{head}/update"), with_path(f"{head}/data")
    return query_url, with_path(f"{head}/store")


class RemoteStore(Store):
    """A store behind a SPARQL 1.1 endpoint, addressed by its *query* URL."""

    def __init__(
        self,
        location: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout_s: float = 30.0,
    ) -> None:
        derived_update, derived_store = derive_endpoints(location)
        self.location = location
        self.update_url = update_url or os.environ.get(UPDATE_URL_ENV) or derived_update
        self.store_url = store_url or os.environ.get(STORE_PROTOCOL_URL_ENV) or derived_store
        self.timeout_s = timeout_s
        self._session = requests.Session()
        self._default_confirmed = False
        try:
            self._request("POST", self.location, data={"query": "ASK {}"})
            self._check_default_graph(rebuild=True)
        except StoreError:
            self._session.close()
            raise

    # ------------------------------------------------------------------ Store interface

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        if not graphs:
            return
        self._send_update(replace_update(graphs), failure="write failed, store unchanged")
        if not self._default_confirmed:
            self._check_default_graph(rebuild=False)

    def update(self, sparql: str, *, failure: str = "update failed") -> None:
        """Run a SPARQL update as one request (one transaction on the server), followed by
        the default-graph sync. A refused update (4xx: malformed, forbidden) is a QueryError,
        a failing server a StoreError."""
        self._send_update(f"{sparql} ;\n{SYNC_DEFAULT_GRAPH}" if sparql.strip() else SYNC_DEFAULT_GRAPH, failure=failure)

    def _send_update(self, sparql: str, *, failure: str) -> None:
        response = self._request(
            "POST",
            self.update_url,
            data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            check=False,
        )
        if 400 <= response.status_code < 500:
            raise QueryError(f"{failure}: {_first_line(response)}")
        if response.status_code >= 300:
            raise StoreError(f"{failure}: {_first_line(response)}")

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        response = self._query(bind_values(sparql, bindings), _READ_ACCEPT)
        media = _media_type(response)
        try:
            rdf = ox.RdfFormat.from_media_type(media)
            if rdf is not None:
                return _as_query_triples(ox.parse(response.content, format=rdf))
            results = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
            return ox.parse_query_results(response.content, format=results)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"unreadable answer ({media}) from {self.location}: {exc}") from exc

    def query_serialized(
        self, sparql: str, media_type: str, bindings: Mapping[str, BindingValue] | None = None
    ) -> bytes:
        """Let the server serialise; fall back to local serialisation when it cannot give the
        asked format (e.g. CSV for a CONSTRUCT), so both backends answer alike."""
        response = self._query(bind_values(sparql, bindings), media_type, accept_refusal=True)
        if response.status_code < 300 and _media_type(response) == media_type:
            return response.content
        return serialize_result(self.query(sparql, bindings), media_type)

    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        media = rdf_format.media_type
        if graph is None and not rdf_format.supports_datasets:
            return self.query_serialized("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", media)
        if graph is None:
            return self._dump_by_query(rdf_format, None)
        params = {"graph": graph} if graph is not None else {}
        response = self._request(
            "GET", self.store_url, params=params, headers={"Accept": media}, check=False
        )
        if response.status_code < 300 and _media_type(response) == media:
            return response.content
        return self._dump_by_query(rdf_format, graph)

    def named_graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } FILTER(isIRI(?g)) }")
        return sorted(row["g"].value for row in rows)

    def count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(result))["n"].value)

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------------ helpers

    def _query(self, sparql: str, accept: str, *, accept_refusal: bool = False) -> requests.Response:
        response = self._request(
            "POST",
            self.location,
            data={"query": sparql},
            headers={"Accept": accept},
            check=False,
        )
        if response.status_code == 406 and accept_refusal:
            return response
        if response.status_code == 400:
            raise QueryError(f"malformed SPARQL: {_first_line(response)}")
        if response.status_code >= 300:
            raise QueryError(
                f"SPARQL endpoint {self.location} answered {response.status_code}: {_first_line(response)}"
            )
        return response

    def _request(self, method: str, url: str, *, check: bool = True, **kwargs: object) -> requests.Response:
        """One HTTP exchange; network trouble becomes a one-line StoreError naming the URL."""
        try:
            response = self._session.request(
                method, url, timeout=(_CONNECT_TIMEOUT_S, self.timeout_s), **kwargs  # type: ignore[arg-type]
            )
        except requests.Timeout as exc:
            raise StoreError(f"SPARQL endpoint {url} did not answer within {self.timeout_s:g} s") from exc
        except requests.ConnectionError as exc:
            raise StoreError(f"cannot reach SPARQL endpoint {url}: {_connection_reason(exc)}") from exc
        except requests.RequestException as exc:
            raise StoreError(f"cannot talk to SPARQL endpoint {url}: {exc}") from exc
        if check and response.status_code >= 300:
            raise StoreError(f"SPARQL endpoint {url} answered {response.status_code}: {_first_line(response)}")
        return response

    def _check_default_graph(self, *, rebuild: bool) -> None:
        """Confirm with one stored triple that a query without GRAPH meets it exactly once.

        Zero times: the default graph was never filled (a store written by an older
        dealgraph), so it is rebuilt when ``rebuild`` allows. More than once: the server
        answers with a union of graphs. An empty store proves nothing, so the check repeats
        after writes until it can run."""
        rows = list(self.query(_PROBE))
        if not rows:
            return
        s, p, o = rows[0]["s"], rows[0]["p"], rows[0]["o"]
        seen = int(next(iter(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {s} {p} {o} }}")))["n"].value)
        if seen == 0 and rebuild:
            self.update("", failure="cannot fill the default graph")
            return self._check_default_graph(rebuild=False)
        if seen != 1:
            raise StoreError(
                f"SPARQL endpoint {self.location} does not answer from a plain default graph (a stored "
                f"triple came back {seen} times); start Oxigraph without --union-default-graph and "
                "leave tdb2:unionDefaultGraph off on Fuseki: dealgraph keeps the default graph itself"
            )
        self._default_confirmed = True

    def _dump_by_query(self, rdf_format: ox.RdfFormat, graph: str | None) -> bytes:
        """Dump through SPARQL when the Graph Store Protocol gave nothing usable: no such
        endpoint, a format it cannot write, or a graph that does not exist (404)."""
        if graph is not None:
            result = self.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": ox.NamedNode(graph)}
            )
            return ox.serialize(list(result), format=rdf_format) or b""
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        quads = (ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)
        return ox.serialize(quads, format=rdf_format) or b""


def _as_query_triples(triples: Iterable[ox.Quad]) -> ox.QueryTriples:
    """pyoxigraph builds QueryTriples only from a query, so run one over the parsed triples."""
    scratch = ox.Store()
    scratch.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in triples)
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # type: ignore[return-value]


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _first_line(response: requests.Response) -> str:
    text = response.text.strip()
    return text.splitlines()[0][:300] if text else f"HTTP {response.status_code} {response.reason}"


def _connection_reason(exc: requests.ConnectionError) -> str:
    text = str(exc)
    for marker, reason in (
        ("Connection refused", "connection refused"),
        ("Name or service not known", "unknown host"),
        ("Failed to resolve", "unknown host"),
        ("timed out", "connection timed out"),
        ("Connection reset", "connection reset"),
    ):
        if marker in text:
            return reason
    return text.splitlines()[0][:200]

