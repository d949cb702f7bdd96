"""One store folder, many processes: the first opener owns the folder, the others are its
clients.

RocksDB lets one process write a folder, and a read-only open beside that writer is undefined
behaviour (an endpoint started before an ingest never saw the new articles; the app locked the
CLI out). So the first dealgraph process that opens a folder takes a lock file next to it and
becomes the *owner*: it holds the only RocksDB handle and answers the other processes on a
local endpoint (127.0.0.1, a random port, a random token; both written to a file next to the
folder that only the user can read). Later openers become *clients* of that endpoint, and
when the owner exits, the next call of a client takes over the folder. Inside one process,
every opener of a folder shares the owner's handle.

The lock is a POSIX record lock (``lockf``): released when the owner dies however it dies, and
not inherited by forked extraction workers. Files next to the folder (not inside it) survive
the bulk loader's swap of the folder.

Owners also make the read-only snapshots that query workers open (:mod:`graph.sandbox`):
RocksDB checkpoints (hard links, about 0.1 s), a new one for the first user query after a
write, the superseded ones removed ``SNAPSHOT_GRACE_S`` later.
"""

from __future__ import annotations

import fcntl
import hmac
import json
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import requests

from graph.store import BindingValue, QueryError, QueryResult, Store, StoreError, bind_values
from graph.stores.embedded import EmbeddedStore, StoreInUse

SNAPSHOT_GRACE_S = 600.0
ATTACH_WAIT_S = 60.0
HANDOVER_WAIT_S = 5.0
HANDOVERS = 3
"""Owners one call may see leave before it gives up with OwnerGone."""
"""How long a new owner waits for the previous one to let go of RocksDB after its lock file;
a folder some other program holds open is refused after that."""
_JSON = ox.QueryResultsFormat.JSON
_NT = ox.RdfFormat.N_TRIPLES


def lock_path(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}~owner.lock")


def endpoint_path(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}~owner.json")


def snapshots_path(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}~snapshots")


class OwnerGone(StoreError):
    """The owning process no longer answers; the caller may take the folder over."""


# --------------------------------------------------------------------------- the local store


class LocalStore:
    """The one EmbeddedStore of a folder (or of ``:memory:``) in this process, with what
    sharing it needs: a readers-writer lock whose writer side is only the close-and-reopen
    of a fresh bulk import (transactional writes run beside readers), results copied out of
    the store before the lock is released, a write counter, and snapshots for workers."""

    def __init__(self, store: EmbeddedStore, snapshot_dir: Path) -> None:
        self.store = store
        store.swap_guard = self._write
        self.location = store.location
        self._snapshot_dir = snapshot_dir
        self._readers = 0
        self._writing = False
        self._gate = threading.Condition()
        self._generation = 0
        self._snapshot: tuple[int, str, float] | None = None
        self._retired: list[tuple[str, float]] = []
        self._snapshot_lock = threading.Lock()

    # readers-writer lock
    def _read(self) -> "_Held":
        with self._gate:
            while self._writing:
                self._gate.wait()
            self._readers += 1
        return _Held(self, writer=False)

    def _write(self) -> "_Held":
        with self._gate:
            while self._writing or self._readers:
                self._gate.wait()
            self._writing = True
        return _Held(self, writer=True)

    def _release(self, writer: bool) -> None:
        with self._gate:
            if writer:
                self._writing = False
            else:
                self._readers -= 1
            self._gate.notify_all()

    def _wrote(self) -> None:
        with self._gate:
            self._generation += 1

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        with self._read():
            return detach(self.store.query(sparql, bindings))

    def query_serialized(self, sparql: str, media_type: str, bindings: Mapping[str, BindingValue] | None = None) -> bytes:
        with self._read():
            return self.store.query_serialized(sparql, media_type, bindings)

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        try:
            self.store.replace_graphs(graphs)
        finally:
            self._wrote()

    def import_graphs(self, graphs, batch_size: int = 500) -> int:  # type: ignore[no-untyped-def]
        try:
            return self.store.import_graphs(graphs, batch_size)
        finally:
            self._wrote()

    def update(self, sparql: str) -> None:
        try:
            self.store.update(sparql)
        finally:
            self._wrote()

    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        with self._read():
            return self.store.dump(rdf_format, graph)

    def named_graphs(self) -> list[str]:
        with self._read():
            return self.store.named_graphs()

    def count(self) -> int:
        with self._read():
            return self.store.count()

    def snapshot(self) -> str:
        """A snapshot folder holding every write made so far (a new one after any write)."""
        with self._snapshot_lock:
            now = time.monotonic()
            if self._snapshot is not None and self._snapshot[0] == self._generation:
                return self._snapshot[1]
            self._snapshot_dir.mkdir(parents=True, exist_ok=True)
            target = self._snapshot_dir / f"s{self._generation}-{secrets.token_hex(4)}"
            with self._read():
                generation = self._generation
                self.store.backup(target)
            if self._snapshot is not None:
                self._retired.append((self._snapshot[1], now))
            self._snapshot = (generation, str(target), now)
            self._drop_retired(now - SNAPSHOT_GRACE_S)
            return str(target)

    def _drop_retired(self, before: float) -> None:
        keep = []
        for path, when in self._retired:
            if when < before:
                shutil.rmtree(path, ignore_errors=True)
            else:
                keep.append((path, when))
        self._retired = keep

    def close(self) -> None:
        with self._write():
            self.store.close()
        shutil.rmtree(self._snapshot_dir, ignore_errors=True)


class _Held:
    def __init__(self, local: LocalStore, *, writer: bool) -> None:
        self._local, self._writer = local, writer

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        self._local._release(self._writer)


def detach(result: QueryResult) -> QueryResult:
    """A copy of a lazy result that no longer refers to the store, so it can be read after
    the store's handle was closed and reopened (a bulk import swaps the folder)."""
    if isinstance(result, ox.QuerySolutions):
        return ox.parse_query_results(result.serialize(format=_JSON), format=_JSON)
    if isinstance(result, ox.QueryTriples):
        return query_triples(ox.parse(result.serialize(format=_NT), format=_NT))
    return result


def query_triples(triples) -> ox.QueryTriples:  # type: ignore[no-untyped-def]
    """pyoxigraph builds QueryTriples only from a query, so run one over the triples."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # type: ignore[return-value]


# --------------------------------------------------------------------------- the owner


class _Owner:
    """This process owns the folder: the lock, the store, the local endpoint."""

    def __init__(self, folder: Path, lock_fd: int) -> None:
        self.folder = folder
        self.lock_fd = lock_fd
        self.users = 0
        store = EmbeddedStore(str(folder))  # first: a foreign or damaged folder is refused before any change
        shutil.rmtree(snapshots_path(folder), ignore_errors=True)
        self.local = LocalStore(store, snapshots_path(folder))
        self.token = secrets.token_urlsafe(32)
        self.server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="dealgraph-owner", daemon=True)
        self.thread.start()
        url = f"http://127.0.0.1:{self.server.server_address[1]}"
        write_private(endpoint_path(folder), json.dumps({"url": url, "token": self.token, "pid": os.getpid()}))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        try:
            info = json.loads(endpoint_path(self.folder).read_text())
            if info.get("token") == self.token:
                endpoint_path(self.folder).unlink()
        except (OSError, ValueError):
            pass
        try:
            self.local.close()
        finally:
            lock_path(self.folder).unlink(missing_ok=True)
            os.close(self.lock_fd)


class _QuietServer(ThreadingHTTPServer):
    """A client that went away mid-answer (a killed process) is no error worth a traceback;
    anything else is one line on stderr."""

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            print(f"dealgraph store owner: {type(error).__name__}: {error}", file=sys.stderr)


_owners: dict[Path, _Owner] = {}
_owners_lock = threading.RLock()  # re-entered when the garbage collector closes a dropped store inside _attach


def _close_sockets_in_child() -> None:
    """A forked child (ingest's extraction workers) must not keep the owner's listening
    socket open: clients would connect to it after the owner died and wait for an answer."""
    for owner in list(_owners.values()):
        try:
            owner.server.socket.close()
        except OSError:
            pass


os.register_at_fork(after_in_child=_close_sockets_in_child)


def write_private(path: Path, text: str) -> None:
    """Write a file only the user can read, whole (temp file renamed into place)."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _try_lock(folder: Path) -> int | None:
    """The lock's descriptor if this process now owns the folder. The owner removes the lock
    file when it closes, so a lock won on a file that was removed meanwhile does not count."""
    path = lock_path(folder)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(f"cannot create the lock file {path}: {exc.strerror}") from exc
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino != os.stat(path).st_ino:
            raise FileNotFoundError(path)
    except OSError:
        os.close(fd)
        return None
    return fd


def _handler(owner: _Owner) -> type[BaseHTTPRequestHandler]:
    local = owner.local

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            return

        def do_POST(self) -> None:  # noqa: N802 - the http.server name
            if not hmac.compare_digest(self.headers.get("Authorization", "").encode(), f"Bearer {owner.token}".encode()):
                self._send(403, b"wrong token\n")
                return
            try:
                size = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(size) or b"{}")
                status, body, kind = 200, *self._answer(urlsplit(self.path).path, payload)
            except QueryError as exc:
                status, body, kind = 400, _one_line(exc).encode(), ""
            except StoreError as exc:
                status, body, kind = 503, _one_line(exc).encode(), ""
            except (ValueError, KeyError, TypeError, OSError) as exc:
                status, body, kind = 400, _one_line(exc).encode(), ""
            self._send(status, body, kind)

        def _answer(self, path: str, payload: dict) -> tuple[bytes, str]:  # type: ignore[type-arg]
            if path == "/query":
                result = local.query(payload["query"])
                if isinstance(result, ox.QueryTriples):
                    return result.serialize(format=_NT), "triples"
                return result.serialize(format=_JSON), "results"
            if path == "/replace":
                graphs: dict[str, list[ox.Triple]] = {iri: [] for iri in payload["graphs"]}
                for quad in ox.parse(payload["nquads"].encode(), format=ox.RdfFormat.N_QUADS):
                    graphs[quad.graph_name.value].append(quad.triple)
                local.replace_graphs(graphs)
                return b"", ""
            if path == "/update":
                local.update(payload["update"])
                return b"", ""
            if path == "/dump":
                fmt = ox.RdfFormat.from_media_type(payload["media"])
                if fmt is None:
                    raise ValueError(f"unknown RDF media type {payload['media']}")
                return local.dump(fmt, payload.get("graph")), ""
            if path == "/info":
                return json.dumps({"graphs": local.named_graphs(), "count": local.count()}).encode(), ""
            if path == "/snapshot":
                return local.snapshot().encode(), ""
            raise ValueError(f"unknown call {path}")

        def _send(self, status: int, body: bytes, kind: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Kind", kind)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --------------------------------------------------------------------------- the client


class OwnerClient:
    """Calls on the owner's local endpoint, with the same methods as :class:`LocalStore`."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def _call(self, name: str, payload: dict, timeout: float = 600.0) -> requests.Response:  # type: ignore[type-arg]
        try:
            response = self._session.post(f"{self.url}/{name}", json=payload, timeout=(5.0, timeout))
        except requests.ConnectionError as exc:
            raise OwnerGone(f"the process that owns the store no longer answers ({self.url})") from exc
        except requests.RequestException as exc:
            raise StoreError(f"the process that owns the store did not answer: {exc}") from exc
        if response.status_code == 400:
            raise QueryError(response.text.strip())
        if response.status_code >= 300:
            raise StoreError(response.text.strip() or f"owner answered {response.status_code}")
        return response

    def ping(self) -> bool:
        try:
            self._call("info", {}, timeout=5.0)
            return True
        except StoreError:
            return False

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        response = self._call("query", {"query": bind_values(sparql, bindings)})
        if response.headers.get("X-Kind") == "triples":
            return query_triples(ox.parse(response.content, format=_NT))
        return ox.parse_query_results(response.content, format=_JSON)

    def query_serialized(self, sparql: str, media_type: str, bindings: Mapping[str, BindingValue] | None = None) -> bytes:
        from graph.serialize import serialize_result

        return serialize_result(self.query(sparql, bindings), media_type)

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        quads = (ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri)) for iri, ts in graphs.items() for t in ts)
        nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
        self._call("replace", {"graphs": list(graphs), "nquads": nquads.decode("utf-8")})

    def update(self, sparql: str) -> None:
        self._call("update", {"update": sparql})

    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        return self._call("dump", {"media": rdf_format.media_type, "graph": graph}).content

    def named_graphs(self) -> list[str]:
        return list(self._call("info", {}).json()["graphs"])

    def count(self) -> int:
        return int(self._call("info", {}).json()["count"])

    def snapshot(self) -> str:
        return self._call("snapshot", {}).text

    def close(self) -> None:
        self._session.close()


# --------------------------------------------------------------------------- what open_store returns


class SharedStore(Store):
    """A store folder opened by this process, as owner or as client; calls that find the
    owner gone take the folder over (or find its new owner) and run once more."""

    def __init__(self, location: str, *, read_only: bool = False) -> None:
        self.location = location
        self._folder = Path(location).expanduser().resolve()
        self._read_only = read_only
        self._target: LocalStore | OwnerClient | None = None
        self._owner: _Owner | None = None
        self._attach()

    @property
    def is_owner(self) -> bool:
        return self._owner is not None

    def _attach(self) -> None:
        started = time.monotonic()
        deadline = started + ATTACH_WAIT_S
        try:
            self._folder.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder {self._folder.parent}: {exc.strerror}") from exc
        while True:
            with _owners_lock:
                owner = _owners.get(self._folder)
                if owner is None and (fd := _try_lock(self._folder)) is not None:
                    try:
                        owner = _Owner(self._folder, fd)
                    except BaseException as exc:
                        lock_path(self._folder).unlink(missing_ok=True)  # still ours: no lock file left behind
                        os.close(fd)
                        # the previous owner gave up the lock file and is still letting go of
                        # RocksDB (a request it was answering holds the store a moment longer)
                        if not isinstance(exc, StoreInUse) or time.monotonic() > started + HANDOVER_WAIT_S:
                            raise
                    else:
                        _owners[self._folder] = owner
                if owner is not None:
                    owner.users += 1
                    self._owner, self._target = owner, owner.local
                    return
            client = _client_of(self._folder)
            if client is not None:
                self._target = client
                return
            if time.monotonic() > deadline:
                raise StoreError(f"store {self.location} is owned by another process that does not answer")
            time.sleep(0.05)

    def _run(self, name: str, *args: object) -> object:
        if self._target is None:
            raise StoreError(f"store {self.location} is closed")
        for _ in range(HANDOVERS):
            try:
                return getattr(self._target, name)(*args)
            except OwnerGone:  # several processes may leave one after the other (two ingests ending)
                self._target.close() if isinstance(self._target, OwnerClient) else None
                self._target = None
                self._attach()
        return getattr(self._target, name)(*args)

    def _writable(self) -> None:
        if self._read_only:
            raise StoreError(f"store {self.location} is open read-only")

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        self._writable()
        if graphs:
            self._run("replace_graphs", graphs)

    def import_graphs(self, graphs, batch_size: int = 500) -> int:  # type: ignore[no-untyped-def]
        self._writable()
        if isinstance(self._target, LocalStore):
            return int(self._run("import_graphs", graphs, batch_size))  # type: ignore[arg-type]
        return super().import_graphs(graphs, batch_size)

    def update(self, sparql: str) -> None:
        self._writable()
        self._run("update", sparql)

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        return self._run("query", sparql, bindings)  # type: ignore[return-value]

    def query_serialized(self, sparql: str, media_type: str, bindings: Mapping[str, BindingValue] | None = None) -> bytes:
        return self._run("query_serialized", sparql, media_type, bindings)  # type: ignore[return-value]

    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        return self._run("dump", rdf_format, graph)  # type: ignore[return-value]

    def named_graphs(self) -> list[str]:
        return self._run("named_graphs")  # type: ignore[return-value]

    def count(self) -> int:
        return self._run("count")  # type: ignore[return-value]

    def snapshot(self) -> str | None:
        return self._run("snapshot")  # type: ignore[return-value]

    def embedded(self) -> EmbeddedStore:
        """The folder's own handle; only its owner has one."""
        if not isinstance(self._target, LocalStore):
            raise StoreError(f"store {self.location} is owned by another process")
        return self._target.store

    def __del__(self) -> None:
        """A store dropped without close (a cache cleared) still lets the folder go."""
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing useful to do at collection time
            pass

    def close(self) -> None:
        target, self._target = getattr(self, "_target", None), None
        if isinstance(target, OwnerClient):
            target.close()
        owner, self._owner = getattr(self, "_owner", None), None
        if owner is not None:
            with _owners_lock:
                owner.users -= 1
                if owner.users > 0:
                    return
                _owners.pop(owner.folder, None)
            owner.close()


def _client_of(folder: Path) -> OwnerClient | None:
    try:
        info = json.loads(endpoint_path(folder).read_text())
    except (OSError, ValueError):
        return None
    client = OwnerClient(str(info["url"]), str(info["token"]))
    if client.ping():
        return client
    client.close()
    return None


class MemoryStore(Store):
    """``:memory:``: one in-process store, with snapshots for query workers like a folder."""

    def __init__(self) -> None:
        self.location = ":memory:"
        snapshots = tempfile.mkdtemp(prefix="dealgraph-memory-")
        self._local = LocalStore(EmbeddedStore(None), Path(snapshots))
        weakref.finalize(self, shutil.rmtree, snapshots, True)

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        self._local.replace_graphs(graphs)

    def import_graphs(self, graphs, batch_size: int = 500) -> int:  # type: ignore[no-untyped-def]
        return self._local.import_graphs(graphs, batch_size)

    def update(self, sparql: str) -> None:
        self._local.update(sparql)

    def query(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> QueryResult:
        return self._local.query(sparql, bindings)

    def query_serialized(self, sparql: str, media_type: str, bindings: Mapping[str, BindingValue] | None = None) -> bytes:
        return self._local.query_serialized(sparql, media_type, bindings)

    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        return self._local.dump(rdf_format, graph)

    def named_graphs(self) -> list[str]:
        return self._local.named_graphs()

    def count(self) -> int:
        return self._local.count()

    def snapshot(self) -> str | None:
        return self._local.snapshot()

    def close(self) -> None:
        self._local.close()
