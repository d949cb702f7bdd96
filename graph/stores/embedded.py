"""The embedded default store: pyoxigraph on RocksDB (chosen by measurement, see bench/store).

Two write paths, both all-or-nothing per article. Updates (``replace_graphs``, and
``import_graphs`` into a store that already holds data) are one SPARQL update per call, one
RocksDB transaction. A fresh store is instead filled by pyoxigraph's bulk loader, 2-3x
cheaper (1M triples: 11-14 CPU s against 27-34, bench/README.md) but not atomic itself: it
writes into a sibling folder that takes the store's place by rename only once complete. A
process killed mid-import leaves the store as it was (empty); the sibling is garbage,
removed the next time the store is opened for writing.

Which folders may be opened, swapped out or deleted at all is decided by
``graph.stores.folder`` (a marker file written by dealgraph; damaged stores are refused).
"""

from __future__ import annotations

import gc
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import PREFIXES
from graph.serialize import serialize_result
from graph.store import (
    COUNT_NAMED_QUADS,
    OUTSIDE_DEFAULT,
    SYNC_DEFAULT_GRAPH,
    BindingValue,
    QueryError,
    QueryResult,
    Store,
    StoreError,
    bind_values,
    replace_graph_operations,
)
from graph.stores import folder

BUILDING = "import"
REPLACED = "replaced"


class EmbeddedStore(Store):
    """One pyoxigraph store, on disk or (path None) in memory.

    Writes from several threads are serialised by a lock, because a replace first asks which
    graphs exist. A fresh ``import_graphs`` briefly closes and reopens the RocksDB handle: no
    other call on the same object may run alongside it."""

    def __init__(self, path: str | None, *, read_only: bool = False) -> None:
        self.location = path or ":memory:"
        self._path = Path(path) if path else None
        self._writable = not (read_only and self._path is not None and self._path.exists())
        self._lock = threading.RLock()
        # Held around the close-reopen of a fresh import: a process sharing this object
        # between threads (graph.stores.owner) makes readers wait there, and only there.
        self.swap_guard: Callable[[], AbstractContextManager[object]] = nullcontext
        if self._path is not None:
            folder.prepare(self._path, writable=self._writable)
        self._store = open_folder(self._path, read_only=not self._writable)
        if self._path is not None and self._writable:
            folder.mark(self._path)
            remove_leftovers(self._path)
        self._check_default_graph()

    def _check_default_graph(self) -> None:
        """A store written before the default graph was maintained has named graphs and an
        empty default graph: rebuild it once when writable, else say how."""
        if not self._default_graph_missing():
            return
        if not self._writable:
            raise StoreError(
                f"store {self.location} was written by an older dealgraph (no deduplicated default "
                "graph yet): run `dealgraph reindex` once"
            )
        self.update("")

    def _default_graph_missing(self) -> bool:
        default = next(iter(self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
        return default is None and next(iter(self._store.named_graphs()), None) is not None

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        if not graphs:
            return
        with self._lock:
            replace(self._store, graphs)

    def import_graphs(self, graphs: Iterable[tuple[str, Sequence[ox.Triple]]], batch_size: int = 500) -> int:
        """An empty store is bulk-loaded (on disk into a sibling folder swapped in at the end),
        so the import lands whole or not at all; a store holding anything falls back to one
        transaction per ``batch_size`` graphs."""
        with self._lock:
            if not self._writable:
                raise StoreError(f"store {self.location} is open read-only")
            if not self.is_empty():
                return super().import_graphs(graphs, batch_size)
            if self._path is None:
                return load_fresh(self._store, graphs, bulk=False)
            if not folder.replaceable(self._path):
                return super().import_graphs(graphs, batch_size)
            return self._import_fresh(self._path, graphs)

    def _import_fresh(self, path: Path, graphs: Iterable[tuple[str, Sequence[ox.Triple]]]) -> int:
        building = sibling(path, BUILDING)
        try:
            building.mkdir()
            folder.mark(building)
            target = open_folder(building)
            written = load_fresh(target, graphs, bulk=True)
            target.flush()
            del target
            with self.swap_guard():
                self._swap_in(building)
        except BaseException:
            gc.collect()
            folder.remove(building)
            raise
        return written

    def _swap_in(self, built: Path) -> None:
        """Put the built folder where the store is. RocksDB must be closed before its folder
        moves and reopened after. The store being replaced is empty (checked under the lock),
        so the instant between the two renames, when no store is at the path, loses nothing;
        the folder moved aside is deleted only as far as it holds dealgraph's own files."""
        path = self.path_on_disk()
        replaced = sibling(path, REPLACED)
        del self._store
        try:
            try:
                os.rename(path, replaced)
            except FileNotFoundError:
                pass
            try:
                os.rename(built, path)
            except OSError:
                if replaced.exists() and not path.exists():
                    os.rename(replaced, path)
                raise
        finally:
            self._store = reopen(path)
        fsync_dir(path.parent)
        folder.remove(replaced)

    def path_on_disk(self) -> Path:
        if self._path is None:
            raise StoreError("an in-memory store has no folder")
        return self._path

    def is_empty(self) -> bool:
        """No quad in any graph and no named graph declared in RocksDB. What else the folder
        holds is ``folder.replaceable``'s question, asked as well before any swap."""
        no_quads = next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None
        return no_quads and next(iter(self._store.named_graphs()), None) is None

    def update(self, sparql: str) -> None:
        with self._lock:
            try:
                self._store.update(f"{sparql} ;\n{SYNC_DEFAULT_GRAPH}" if sparql.strip() else SYNC_DEFAULT_GRAPH)
            except SyntaxError as exc:
                raise QueryError(f"malformed SPARQL update: {first_line(exc)}") from exc
            except OSError as exc:
                raise StoreError(f"update failed, store unchanged: {first_line(exc)}") from exc

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        try:
            return self._store.query(bind_values(sparql, bindings))
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL: {first_line(exc)}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {first_line(exc)}") from exc

    def query_serialized(
        self, sparql: str, media_type: str, bindings: Mapping[str, BindingValue] | None = None
    ) -> bytes:
        return serialize_result(self.query(sparql, bindings), media_type)

    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        """A graph format gets the deduplicated default graph (or the one named graph); a
        dataset format gets the named graphs, from which the default graph is derived."""
        prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        if graph is not None:
            quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            if rdf_format.supports_datasets:
                return ox.serialize(quads, format=rdf_format, prefixes=prefixes)
            return ox.serialize((q.triple for q in quads), format=rdf_format, prefixes=prefixes)
        if not rdf_format.supports_datasets:
            return self._store.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        named = (q for g in self._store.named_graphs() for q in self._store.quads_for_pattern(None, None, None, g))
        return ox.serialize(named, format=rdf_format, prefixes=prefixes)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self) -> int:
        return int(next(iter(self._store.query(COUNT_NAMED_QUADS)))["n"].value)

    def pyoxigraph(self) -> ox.Store:
        """The pyoxigraph store itself, for readers that speak its API (graph.rdf's rdflib view)."""
        return self._store

    def flush(self) -> None:
        self._store.flush()

    def backup(self, target: Path) -> None:
        """Write a read-only copy of the store into the new folder ``target`` (for query
        workers, :mod:`graph.sandbox`): on disk a RocksDB checkpoint, hard links on the same
        file system (0.1 s for 200k quads); in memory a bulk load of all quads. Like a query,
        it runs beside writes but not across a fresh import's swap (see ``swap_guard``)."""
        try:
            if self._path is not None:
                self._store.backup(str(target))
                return
            copy = ox.Store(str(target))
            copy.bulk_extend(self._store.quads_for_pattern(None, None, None, None))
            copy.flush()
            del copy
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot copy store {self.location} for queries: {first_line(exc)}") from exc

    def close(self) -> None:
        """Flush before letting go: RocksDB otherwise keeps transactional writes only in its
        log, and the next open replays it (1M triples written by replace_graphs: 24 s to
        reopen unflushed, 0.3 s after a 4.6 s flush here). A failed flush loses nothing, the
        log still holds the writes."""
        if self._path is not None and self._writable:
            try:
                self._store.flush()
            except OSError:
                pass
        del self._store


class StoreInUse(StoreError):
    """RocksDB's own lock is held: another process has the folder open (or is just closing it)."""


def open_folder(path: Path | None, *, read_only: bool = False) -> ox.Store:
    try:
        if path is None:
            return ox.Store()
        if read_only:
            return ox.Store.read_only(str(path))
        return ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreInUse(
                f"store {path} is in use by another dealgraph process (the app or an ingest); "
                "stop it or point --store elsewhere"
            ) from exc
        raise StoreError(f"cannot open store {path}: {exc}") from exc


def reopen(path: Path) -> ox.Store:
    """Open the store just swapped in. A query result still alive somewhere keeps the old
    RocksDB handle, whose lock RocksDB remembers by path: collect it and try once more."""
    try:
        return open_folder(path)
    except StoreError:
        gc.collect()
        return open_folder(path)


def replace(store: ox.Store, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
    """One update, one transaction, touching only what changes; the default graph follows
    (see :func:`graph.store.replace_graph_operations`). Graphs that do not exist are
    not dropped (on a fresh load those DROPs were a quarter to 40% of the write's CPU), and a
    graph already holding exactly the given triples is left alone (a rerun of an ingest
    rewrote every article, 3-6x the cost of its first load; see bench/README.md).
    The IRIs are checked as IRIs first, so a bad one fails the whole call before any write."""
    try:
        parts: list[str] = []
        for iri, triples in graphs.items():
            graph = ox.NamedNode(iri)
            exists = store.contains_named_graph(graph)
            if exists and triples and holds_exactly(store, graph, triples):
                continue
            parts.extend(replace_graph_operations(iri, triples, exists=exists))
        if parts:
            store.update(" ;\n".join(parts))
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"write failed, store unchanged: {first_line(exc)}") from exc


def holds_exactly(store: ox.Store, graph: ox.NamedNode, triples: Sequence[ox.Triple]) -> bool:
    """The store keeps literals in canonical form ("0.90"^^xsd:decimal reads back "0.9"), so
    given triples that are not found as such are compared in the form the store would keep,
    which only the store itself knows: they go through a scratch in-memory store."""
    stored = {quad.triple for quad in store.quads_for_pattern(None, None, None, graph)}
    given = set(triples)
    unseen = given - stored
    if not unseen:
        return len(given) == len(stored)
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in unseen)
    return (given - unseen) | {quad.triple for quad in scratch} == stored


def load_fresh(store: ox.Store, graphs: Iterable[tuple[str, Sequence[ox.Triple]]], *, bulk: bool) -> int:
    """Stream the graphs into an empty store with one ``bulk_extend`` (disk) or ``extend``
    (memory, a transaction), each triple also into the default graph (a set, so a triple
    several graphs state lands there once). An IRI met again is held back and written afterwards as a
    replace, so the last pair for an IRI wins, as with ``replace_graphs``."""
    seen: set[str] = set()
    later: dict[str, Sequence[ox.Triple]] = {}
    written = 0

    def quads() -> Iterator[ox.Quad]:
        nonlocal written
        for iri, triples in graphs:
            written += 1
            if iri in seen:
                later[iri] = triples
                continue
            seen.add(iri)
            graph = ox.NamedNode(iri)
            in_default = iri not in OUTSIDE_DEFAULT
            for t in triples:
                yield ox.Quad(t.subject, t.predicate, t.object, graph)
                if in_default:
                    yield ox.Quad(t.subject, t.predicate, t.object)

    try:
        (store.bulk_extend if bulk else store.extend)(quads())
    except (OSError, ValueError) as exc:
        raise StoreError(f"import failed, store unchanged: {first_line(exc)}") from exc
    if later:
        replace(store, later)
    return written


def sibling(path: Path, kind: str) -> Path:
    """A hidden folder next to the store, named after it so ``remove_leftovers`` finds it."""
    return path.with_name(f".{path.name}.{kind}-{secrets.token_hex(4)}")


def remove_leftovers(path: Path) -> None:
    """Delete folders left by an import that was killed (only dealgraph's own files in them,
    see ``folder.remove``). Called with the store's RocksDB lock held, so no live import of
    this store can own them."""
    prefixes = tuple(f".{path.name}.{kind}-" for kind in (BUILDING, REPLACED, folder.NEW))
    try:
        leftovers = [p for p in path.parent.iterdir() if p.name.startswith(prefixes)]
    except OSError:
        return
    for leftover in leftovers:
        folder.remove(leftover)


def fsync_dir(folder: Path) -> None:
    """Make the rename itself durable, not only the files it moved."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
