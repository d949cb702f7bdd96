"""The embedded default store: pyoxigraph on RocksDB (chosen by measurement, see bench/store)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pathlib import Path

import pyoxigraph as ox

from graph.store import (
    BindingValue,
    QueryError,
    QueryResult,
    Store,
    StoreError,
    bind_values,
    replace_update,
)
from graph.namespaces import PREFIXES
from graph.serialize import serialize_result


class EmbeddedStore(Store):
    def __init__(self, path: str | None, *, read_only: bool = False) -> None:
        self.location = path or ":memory:"
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only and Path(path).exists():
                self._store = ox.Store.read_only(path)
            else:
                self._store = ox.Store(path)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"store {path} is in use by another dealgraph process (the app or an ingest); "
                    "stop it or point --store elsewhere"
                ) from exc
            raise StoreError(f"cannot open store {path}: {exc}") from exc

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        if not graphs:
            return
        try:
            self._store.update(replace_update(graphs))
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"write failed, store unchanged: {exc}") from exc

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL update: {first_line(exc)}") from exc
        except OSError as exc:
            raise StoreError(f"update failed, store unchanged: {first_line(exc)}") from exc

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        try:
            return self._store.query(bind_values(sparql, bindings), use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {first_line(exc)}") from exc

    def query_serialized(
        self, sparql: str, media_type: str, bindings: Mapping[str, BindingValue] | None = None
    ) -> bytes:
        return serialize_result(self.query(sparql, bindings), media_type)

    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        if graph is not None:
            quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            if rdf_format.supports_datasets:
                return ox.serialize(quads, format=rdf_format, prefixes=prefixes)
            return ox.serialize((q.triple for q in quads), format=rdf_format, prefixes=prefixes)
        if not rdf_format.supports_datasets:
            union = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            return ox.serialize(union, format=rdf_format, prefixes=prefixes)
        return self._store.dump(format=rdf_format, prefixes=prefixes)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        del self._store


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
