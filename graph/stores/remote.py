"""The remote backend: any SPARQL 1.1 Query + Update server (Oxigraph, Fuseki, GraphDB...).

Writes go to the update endpoint as the single update string built by
:func:`graph.store.replace_update`, so a per-article replace stays atomic on any server that
runs one update request in one transaction. Reads ask for SPARQL JSON results (or N-Triples for
CONSTRUCT/DESCRIBE) and hand back the same pyoxigraph objects as the embedded store.

Queries must see the union of all named graphs as their default graph, because every fact
lives in its article's graph. Servers differ in how that is switched on, so the store checks
it with data instead of trusting configuration: Oxigraph gets its ``union-default-graph``
query parameter (no server flag needed), any other server is probed at open time and after
the first write, and a clear :class:`StoreError` says how to fix the server when the union is
off.
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
_UNION_PROBE = (
    "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?s) && !isBlank(?o)) } LIMIT 1"
)


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
        union_param: bool | None = None,
    ) -> None:
        """``union_param``: send Oxigraph's ``union-default-graph`` parameter with every query;
        None decides from the server's ``Server`` header at open time."""
        derived_update, derived_store = derive_endpoints(location)
        self.location = location
        self.update_url = update_url or os.environ.get(UPDATE_URL_ENV) or derived_update
        self.store_url = store_url or os.environ.get(STORE_PROTOCOL_URL_ENV) or derived_store
        self.timeout_s = timeout_s
        self._session = requests.Session()
        self._query_params: dict[str, str] = {}
        self._union_confirmed = False
        try:
            server = self._request("POST", self.location, data={"query": "ASK {}"}).headers.get("Server", "")
            if union_param is None:
                union_param = server.lower().startswith("oxigraph")
            if union_param:
                self._query_params["union-default-graph"] = "true"
            self._check_union()
        except StoreError:
            self._session.close()
            raise

    # ------------------------------------------------------------------ Store interface

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        if not graphs:
            return
        self.update(replace_update(graphs), failure="write failed, store unchanged")
        if not self._union_confirmed:
            self._check_union()

    def update(self, sparql: str, *, failure: str = "update failed") -> None:
        """Run a SPARQL update as one request (one transaction on the server). A refused
        update (4xx: malformed, forbidden) is a QueryError, a failing server a StoreError."""
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
        """Quads in named graphs: with the default graph being their union, that is all data
        dealgraph writes."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(result))["n"].value)

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------------ helpers

    def _query(self, sparql: str, accept: str, *, accept_refusal: bool = False) -> requests.Response:
        response = self._request(
            "POST",
            self.location,
            params=self._query_params,
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

    def _check_union(self) -> None:
        """Confirm with one stored triple that the default graph is the union of named graphs.

        An empty store proves nothing, so the check repeats after writes until it can run."""
        rows = list(self.query(_UNION_PROBE))
        if not rows:
            return
        s, p, o = rows[0]["s"], rows[0]["p"], rows[0]["o"]
        if not bool(self.query(f"ASK {{ {s} {p} {o} }}")):
            raise StoreError(
                f"SPARQL endpoint {self.location} does not query the union of its named graphs by "
                "default; start Oxigraph with `oxigraph serve --union-default-graph`, or set "
                "tdb2:unionDefaultGraph true on a Fuseki dataset"
            )
        self._union_confirmed = True

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

