"""The child side of :mod:`graph.sandbox`: one process that evaluates user queries on a
read-only snapshot of the store, one at a time, under an address-space limit.

It exists so that the parent can kill a query outright (the engine cannot be interrupted
from Python once an ORDER BY or an aggregate is computing) and so that a query needing more
memory than allowed, or crashing the engine, takes down only this process.

Protocol on stdin/stdout: frames of a 4-byte big-endian length and a payload. The parent
sends one JSON request; the child answers with a JSON header frame and a body frame.
"""

from __future__ import annotations

import gc
import json
import resource
import struct
import sys
from typing import BinaryIO

import pyoxigraph as ox


_LENGTH = struct.Struct(">I")


def read_frame(stream: BinaryIO) -> bytes | None:
    """One frame, or None when the other side closed the pipe."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    return data if len(data) == size else None


def write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(_LENGTH.pack(len(data)) + data)


class _Enough(Exception):
    """Raised inside the engine's serialisation once the row limit is reached."""


class _Lines:
    """A sink that keeps whole lines up to ``limit`` of them (plus header lines), then stops
    the evaluation; ``truncated`` says whether anything was left out."""

    def __init__(self, limit: int, header_lines: int) -> None:
        self._limit = limit + header_lines
        self._chunks: list[bytes] = []
        self._lines = 0
        self.truncated = False

    def write(self, chunk: bytes) -> int:
        data = bytes(chunk)
        count = data.count(b"\n")
        if self._lines + count > self._limit:
            keep = self._limit - self._lines
            cut = -1
            for _ in range(keep):
                cut = data.index(b"\n", cut + 1)
            self._chunks.append(data[: cut + 1])
            self._lines = self._limit
            self.truncated = True
            raise _Enough
        self._lines += count
        self._chunks.append(data)
        return len(data)

    def flush(self) -> None:
        """The engine flushes its sink at the end; everything is in memory already."""

    def data(self) -> bytes:
        return b"".join(self._chunks)


class NotAcceptable(Exception):
    """The caller can take no format this kind of result comes in."""


def evaluate(
    store: ox.Store, sparql: str, results_media: str | None, graph_media: str | None, max_rows: int
) -> tuple[dict[str, object], bytes]:
    """Run the query and serialise at most ``max_rows`` rows or triples: solutions and
    booleans in ``results_media``, triples (CONSTRUCT/DESCRIBE) in ``graph_media``; a kind
    whose media type is None cannot be answered."""
    result = store.query(sparql)  # the default graph holds each fact once (graph.store)
    if isinstance(result, ox.QueryTriples):
        rdf = ox.RdfFormat.from_media_type(graph_media or "")
        if rdf is None:
            raise NotAcceptable("triples")
        lines = _Lines(max_rows, header_lines=0)
        try:
            result.serialize(lines, format=ox.RdfFormat.N_TRIPLES)
        except _Enough:
            pass
        data = lines.data()
        if rdf != ox.RdfFormat.N_TRIPLES:
            data = ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=rdf) or b""
        return {"kind": "triples", "media": rdf.media_type, "truncated": lines.truncated}, data
    results = ox.QueryResultsFormat.from_media_type(results_media or "")
    if results is None:
        raise NotAcceptable("solutions")
    if isinstance(result, ox.QueryBoolean):
        return {"kind": "boolean", "media": results.media_type, "truncated": False}, result.serialize(format=results)
    lines = _Lines(max_rows, header_lines=1)
    try:
        result.serialize(lines, format=ox.QueryResultsFormat.TSV)
    except _Enough:
        pass
    data = lines.data()
    if results != ox.QueryResultsFormat.TSV:
        data = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV).serialize(format=results)
    return {"kind": "solutions", "media": results.media_type, "truncated": lines.truncated}, data


def main() -> None:
    """Serve requests until stdin closes. argv[1]: the address-space limit in MB (0: none)."""
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    store: ox.Store | None = None
    opened: str | None = None
    while (frame := read_frame(requests)) is not None:
        request = json.loads(frame)
        limit_cpu(float(request.get("timeout_s") or 0))
        try:
            if request["snapshot"] != opened:
                store = None
                gc.collect()
                store = ox.Store.read_only(request["snapshot"])
                opened = request["snapshot"]
            assert store is not None
            header, body = evaluate(
                store, request["query"], request["results_media"], request["graph_media"], int(request["max_rows"])
            )
            header["ok"] = True
        except NotAcceptable as exc:
            header, body = {"ok": False, "error": "not-acceptable", "kind": str(exc), "message": ""}, b""
        except SyntaxError as exc:
            header, body = {"ok": False, "error": "syntax", "message": _first_line(exc)}, b""
        except MemoryError:
            header, body = {"ok": False, "error": "memory", "message": "out of memory"}, b""
        except (OSError, ValueError, RuntimeError) as exc:
            header, body = {"ok": False, "error": "failed", "message": _first_line(exc)}, b""
        write_frame(answers, json.dumps(header).encode())
        write_frame(answers, body)
        answers.flush()


def limit_cpu(seconds: float) -> None:
    """Let this query use at most ``seconds`` (+2) more CPU seconds; the kernel ends the
    process past that. The parent kills the worker at the time limit anyway; this bound
    holds even when the parent itself died and nobody is left to kill the worker."""
    if seconds <= 0:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 2
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


if __name__ == "__main__":
    main()
