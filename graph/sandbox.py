"""User-written SPARQL evaluated in worker processes that are killed at the limits.

Why processes: the engine cannot be stopped from Python while it computes an ORDER BY, an
aggregate or a big join, so a thread "timed out" at a deadline kept both cores busy for
minutes, and a query that needs more memory than the machine has aborted the whole server.
A worker (:mod:`graph.sandbox_worker`) opens a read-only *snapshot* of the store (a RocksDB
checkpoint, see :meth:`graph.store.Store.snapshot`, never the live folder beside a writer),
runs one query at a time under an address-space limit, and is killed with SIGKILL at the
time limit, so its CPU is free at once. A query running past ``demote_after_s`` is given a
lower CPU priority, so short queries of other users keep being answered meanwhile; such a
worker is retired after its query.

Every entry point that takes query text from a user (``dealgraph serve``, the app's console,
``dealgraph query``) goes through :func:`run_user_query`.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from graph.guard import QueryLimits, check_query
from graph.sandbox_worker import write_frame
from graph.store import QueryError, Store

_LENGTH_BYTES = 4


@dataclass(frozen=True)
class RunLimits:
    """Per-query limits; defaults from the environment (README, "Limits and safety")."""

    timeout_s: float = 30.0
    memory_mb: int = 1024
    workers: int = 8

    @classmethod
    def from_env(cls) -> "RunLimits":
        return cls(
            timeout_s=_env_number("DEALGRAPH_QUERY_TIMEOUT_S", cls.timeout_s),
            memory_mb=int(_env_number("DEALGRAPH_QUERY_MEMORY_MB", cls.memory_mb)),
            workers=max(1, int(_env_number("DEALGRAPH_QUERY_WORKERS", cls.workers))),
        )


@dataclass(frozen=True)
class Answer:
    """A serialised result: ``kind`` is boolean, solutions or triples."""

    kind: str
    media_type: str
    body: bytes
    truncated: bool


class QueryTimeout(QueryError):
    """The query ran to the time limit and its worker was killed."""


class QueryKilled(QueryError):
    """The worker died: the query needed more memory than allowed or crashed the engine."""


class NotAcceptable(QueryError):
    """The result kind (``kind``) cannot be given in any media type the caller accepts."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"this query gives {kind}, which cannot be given in the asked format")
        self.kind = kind


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.sandbox_worker", str(memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
            # glibc reserves 64 MB of address space per thread arena: with the engine's threads
            # that reservation, not the query, would reach the address-space limit
            env={**os.environ, "MALLOC_ARENA_MAX": "2"},
        )
        self.demoted = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


class SandboxPool:
    """Up to ``limits.workers`` worker processes, started on demand and kept while idle."""

    def __init__(self, limits: RunLimits, demote_after_s: float = 1.0) -> None:
        self.limits = limits
        self.demote_after_s = demote_after_s
        self._slots = threading.BoundedSemaphore(limits.workers)
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def prestart(self) -> None:
        """Start every worker now rather than on demand, as a server wants: a query that
        arrives while long ones hold the other workers then finds one ready instead of
        waiting about 0.3 s for a process to import the engine."""
        with self._lock:
            while not self._closed and len(self._idle) + len(self._busy) < self.limits.workers:
                self._idle.append(_Worker(self.limits.memory_mb))

    def busy_pids(self) -> list[int]:
        """Process ids of workers running a query now (tests watch their CPU)."""
        with self._lock:
            return [w.pid for w in self._busy]

    def run(
        self,
        snapshot: str,
        sparql: str,
        *,
        results_media: str | None,
        graph_media: str | None,
        max_rows: int,
        timeout_s: float | None = None,
    ) -> Answer:
        """Evaluate ``sparql`` on the snapshot folder in a worker; kill it at the time limit."""
        timeout = self.limits.timeout_s if timeout_s is None else timeout_s
        started = time.monotonic()
        deadline = started + timeout
        if not self._slots.acquire(timeout=timeout):
            raise QueryTimeout(f"all {self.limits.workers} query workers stayed busy for {timeout:g} s; try again")
        worker = None
        try:
            worker = self._take()
            request = {
                "snapshot": snapshot, "query": sparql, "results_media": results_media,
                "graph_media": graph_media, "max_rows": max_rows, "timeout_s": timeout,
            }
            try:
                assert worker.process.stdin is not None
                write_frame(worker.process.stdin, json.dumps(request).encode())
                worker.process.stdin.flush()
                header = json.loads(self._read_frame(worker, started, deadline))
                body = self._read_frame(worker, started, deadline)
            except _Expired:
                worker.kill()
                worker = None
                raise QueryTimeout(
                    f"the query ran past the time limit of {timeout:g} s and was stopped; add a LIMIT or narrow it"
                ) from None
            except (_Died, BrokenPipeError, OSError):
                worker.kill()
                worker = None
                raise QueryKilled(
                    f"the query was stopped: it needed more than the memory limit ({self.limits.memory_mb} MB) "
                    "or crashed the query engine"
                ) from None
            if not header.get("ok"):
                if header.get("error") == "not-acceptable":
                    raise NotAcceptable(str(header.get("kind")))
                if header.get("error") == "memory":
                    raise QueryKilled(f"the query needed more than the memory limit ({self.limits.memory_mb} MB)")
                prefix = "malformed SPARQL" if header.get("error") == "syntax" else "query failed"
                raise QueryError(f"{prefix}: {header.get('message', '')}")
            return Answer(str(header["kind"]), str(header["media"]), body, bool(header["truncated"]))
        finally:
            if worker is not None:
                self._give_back(worker)
            self._slots.release()

    def close(self) -> None:
        """Stop every worker (idle ones at once; busy ones are killed by their callers)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def _take(self) -> _Worker:
        """An idle worker, or a new one; and while slots remain, one spare starts loading
        (a new process needs about 0.3 s to import the engine), so the next small query
        does not wait for it when long ones hold the others."""
        with self._lock:
            worker = None
            while self._idle and worker is None:
                candidate = self._idle.pop(0)
                if candidate.process.poll() is None:
                    worker = candidate
                else:
                    candidate.kill()
            if worker is None:
                worker = _Worker(self.limits.memory_mb)
            self._busy.add(worker)
            if not self._idle and not self._closed and len(self._busy) < self.limits.workers:
                self._idle.append(_Worker(self.limits.memory_mb))
            return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            keep = not self._closed and not worker.demoted and worker.process.poll() is None
            if keep:
                self._idle.append(worker)
        if not keep:
            worker.kill()

    def _read_frame(self, worker: _Worker, started: float, deadline: float) -> bytes:
        head = self._read_exact(worker, _LENGTH_BYTES, started, deadline)
        return self._read_exact(worker, int.from_bytes(head, "big"), started, deadline)

    def _read_exact(self, worker: _Worker, size: int, started: float, deadline: float) -> bytes:
        assert worker.process.stdout is not None
        fd = worker.process.stdout.fileno()
        chunks, missing = [], size
        while missing:
            now = time.monotonic()
            if now >= deadline:
                raise _Expired
            wait = deadline - now
            if not worker.demoted:
                wait = min(wait, max(0.0, started + self.demote_after_s - now))
            readable, _, _ = select.select([fd], [], [], wait)
            if not readable:
                if not worker.demoted and time.monotonic() >= started + self.demote_after_s:
                    _demote(worker)
                continue
            chunk = os.read(fd, min(missing, 1 << 20))
            if not chunk:
                raise _Died
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)


class _Expired(Exception):
    pass


class _Died(Exception):
    pass


def _demote(worker: _Worker) -> None:
    """Lower a long query's CPU priority; a process cannot raise it again, so the worker is
    retired after this query."""
    worker.demoted = True
    try:
        os.setpriority(os.PRIO_PROCESS, worker.pid, 15)
    except OSError:
        pass


_pool: SandboxPool | None = None
_pool_lock = threading.Lock()


def shared_pool() -> SandboxPool:
    """The process's one pool, sized from the environment on first use."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = SandboxPool(RunLimits.from_env())
        return _pool


def run_user_query(
    store: Store,
    sparql: str,
    *,
    results_media: str | None,
    graph_media: str | None,
    max_rows: int,
    timeout_s: float | None = None,
    query_limits: QueryLimits | None = None,
    pool: SandboxPool | None = None,
) -> Answer:
    """Check user SPARQL text (:mod:`graph.guard`), then evaluate it in a worker on a
    snapshot of the store. A store that cannot give a snapshot (a remote SPARQL server)
    evaluates the checked text itself, under that server's own limits."""
    check_query(sparql, query_limits)
    pool = pool or shared_pool()
    snapshot = store.snapshot()
    if snapshot is None:
        return _run_remote(store, sparql, results_media, graph_media)
    try:
        return pool.run(
            snapshot, sparql, results_media=results_media, graph_media=graph_media,
            max_rows=max_rows, timeout_s=timeout_s,
        )
    except QueryError as exc:
        if "No such file" not in str(exc):
            raise
        fresh = store.snapshot()
        if fresh is None or fresh == snapshot:
            raise
    # the snapshot was removed (its owner closed) between asking for it and opening it
    return pool.run(
        fresh, sparql, results_media=results_media, graph_media=graph_media, max_rows=max_rows, timeout_s=timeout_s,
    )


def _run_remote(store: Store, sparql: str, results_media: str | None, graph_media: str | None) -> Answer:
    import pyoxigraph as ox

    from graph.serialize import serialize_result

    result = store.query(sparql)
    if isinstance(result, ox.QueryTriples):
        if graph_media is None:
            raise NotAcceptable("triples")
        return Answer("triples", graph_media, serialize_result(result, graph_media), False)
    if results_media is None:
        raise NotAcceptable("solutions")
    kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
    return Answer(kind, results_media, serialize_result(result, results_media), False)


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default

