"""How much does `dealgraph serve` cost over asking the store directly, and over Oxigraph's
own server? Outside the test run: ``.venv/bin/python -m bench.serve``.

One embedded store is filled with generated deals, then three targets answer the same query
mix, one after the other so they do not compete for the CPU:

* ``in-process``: ``EmbeddedStore.query_serialized`` called from client threads (the floor);
* ``dealgraph serve``: the click command in its own process, over HTTP;
* ``oxigraph serve``: ``oxigraph serve-read-only`` on the same folder (the store keeps its own
  deduplicated default graph, so no union option).

Each target gets 1, 4 and 16 concurrent clients with a fixed number of requests and a hard
time cap. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.generate import generate_articles, hub_company_iri, region_iri
from graph.namespaces import sparql_prefixes
from graph.store import open_store

REPO = Path(__file__).resolve().parent.parent
JSON_RESULTS = "application/sparql-results+json"
QUERIES = {
    "region deals": f"""SELECT DISTINCT ?agreement ?company ?value ?currency WHERE {{
  ?agreement dg:locationRegion <{region_iri("KZ-AKT")}> ; dg:party ?company .
  ?company a dg:Company .
  OPTIONAL {{ ?agreement dg:amount [ dg:value ?value ; dg:currency ?currency ] }}
}}""",
    "hub company": f"""SELECT ?agreement ?region ?date WHERE {{
  ?agreement dg:party <{hub_company_iri()}> ; dg:locationRegion ?region .
  OPTIONAL {{ ?agreement dg:signingDate ?date }}
}}""",
    "sum by region": """SELECT ?region (SUM(?value) AS ?total) (COUNT(?agreement) AS ?n) WHERE {
  ?agreement dg:locationRegion ?region ; dg:amount ?money .
  ?money dg:value ?value ; dg:currency "USD" .
} GROUP BY ?region""",
    "label search": """SELECT DISTINCT ?entity ?label WHERE {
  ?entity rdfs:label ?label FILTER(CONTAINS(LCASE(STR(?label)), "ақтөбе"))
} LIMIT 50""",
    "ask": "ASK { ?agreement a dg:Agreement }",
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@dataclass
class Run:
    target: str
    clients: int
    latencies_ms: list[float]
    by_query: dict[str, list[float]]
    errors: int
    wall_s: float
    capped: bool

    def percentile(self, p: float) -> float:
        return percentile(self.latencies_ms, p)

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.wall_s if self.wall_s else 0.0


def drive(target: str, call: Callable[[str], bool], clients: int, requests_n: int, cap_s: float) -> Run:
    """``clients`` threads share ``requests_n`` requests over the query mix, stopping at the cap."""
    names = list(QUERIES)
    texts = [sparql_prefixes() + QUERIES[name] for name in names]
    lock = threading.Lock()
    issued = 0
    latencies: list[float] = []
    by_query: dict[str, list[float]] = {name: [] for name in names}
    errors = 0
    start = time.monotonic()
    stop_at = start + cap_s

    def client() -> None:
        nonlocal issued, errors
        while True:
            with lock:
                if issued >= requests_n or time.monotonic() > stop_at:
                    return
                index = issued
                issued += 1
            began = time.perf_counter()
            try:
                ok = call(texts[index % len(texts)])
            except Exception:  # noqa: BLE001 - any failure counts as an error, the run goes on
                ok = False
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                    by_query[names[index % len(names)]].append(elapsed)
                else:
                    errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - start
    return Run(target, clients, latencies, by_query, errors, wall, capped=issued < requests_n)


def http_caller(url: str, params: dict[str, str] | None = None) -> Callable[[str], bool]:
    """One requests.Session per client thread, as a real client would keep its connection."""
    local = threading.local()

    def call(query: str) -> bool:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        response = session.post(
            url, params=params, data={"query": query}, headers={"Accept": JSON_RESULTS}, timeout=60
        )
        return response.status_code == 200 and len(response.content) > 0

    return call


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(command: list[str], ready_url: str) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {process.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
            try:
                if requests.get(ready_url, timeout=1).status_code < 500:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{ready_url} not ready after 30 s")
            time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def warm(call: Callable[[str], bool]) -> None:
    for query in QUERIES.values():
        if not call(sparql_prefixes() + query):
            raise RuntimeError(f"warm-up query failed: {query.splitlines()[0]}")


def fill(location: Path, agreements: int) -> int:
    with open_store(str(location)) as store:
        batch: dict[str, list] = {}
        for iri, triples in generate_articles(agreements):
            batch[iri] = triples
            if len(batch) == 200:
                store.replace_graphs(batch)
                batch = {}
        if batch:
            store.replace_graphs(batch)
        return store.count()


def oxigraph_executable() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise SystemExit("the oxigraph server CLI is needed for the baseline: pip install oxigraph")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=200, help="requests per (target, clients) run")
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--cap-s", type=float, default=60.0, help="hard time cap per run")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]

    with tempfile.TemporaryDirectory(prefix="dealgraph-bench-serve-") as tmp:
        location = Path(tmp) / "store"
        began = time.monotonic()
        quads = fill(location, args.agreements)
        print(f"store: {args.agreements} agreements, {quads} quads, filled in {time.monotonic() - began:.1f} s")
        runs: list[Run] = []

        def measure(target: str, call: Callable[[str], bool]) -> None:
            warm(call)
            for clients in levels:
                run = drive(target, call, clients, args.requests, args.cap_s)
                runs.append(run)
                print(report_line(run), flush=True)

        with open_store(str(location), read_only=True) as store:
            measure("in-process", lambda q: len(store.query_serialized(q, JSON_RESULTS)) > 0)

        port = free_port()
        serve_cmd = [sys.executable, "-c", "from graph.serve import serve; serve()",
                     "--store", str(location), "--port", str(port), "--max-rows", "1000000"]
        with server(serve_cmd, f"http://127.0.0.1:{port}/health"):
            measure("dealgraph serve", http_caller(f"http://127.0.0.1:{port}/sparql"))

        port = free_port()
        oxi_cmd = [oxigraph_executable(), "serve-read-only", "--location", str(location),
                   "--bind", f"127.0.0.1:{port}"]
        with server(oxi_cmd, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"):
            measure("oxigraph serve", http_caller(f"http://127.0.0.1:{port}/query"))

    print_ratios(runs, levels)


def report_line(run: Run) -> str:
    capped = "  CAPPED" if run.capped else ""
    return (
        f"{run.target:16} clients={run.clients:<3} done={len(run.latencies_ms):<5} errors={run.errors:<3} "
        f"p50={run.percentile(50):8.2f} ms  p99={run.percentile(99):8.2f} ms  "
        f"throughput={run.throughput:8.1f} req/s{capped}"
    )


def print_ratios(runs: list[Run], levels: list[int]) -> None:
    by_key = {(r.target, r.clients): r for r in runs}
    print("\ndealgraph serve against the baselines (p50 ratio, throughput ratio):")
    for clients in levels:
        ours = by_key[("dealgraph serve", clients)]
        parts = []
        for baseline in ("in-process", "oxigraph serve"):
            base = by_key[(baseline, clients)]
            p50 = ours.percentile(50) / base.percentile(50)
            rate = ours.throughput / base.throughput if base.throughput else float("nan")
            parts.append(f"vs {baseline}: p50 x{p50:.2f}, throughput x{rate:.2f}")
        print(f"  clients={clients:<3} " + "; ".join(parts))
    single = min(levels)
    print(f"\nper-query p50 with {single} client(s), ms:")
    targets = ("in-process", "dealgraph serve", "oxigraph serve")
    print(f"  {'query':14}" + "".join(f"{t:>18}" for t in targets))
    for name in QUERIES:
        cells = "".join(f"{percentile(by_key[(t, single)].by_query[name], 50):18.2f}" for t in targets)
        print(f"  {name:14}{cells}")
    medians = {
        name: statistics.median(r.percentile(50) for r in runs if r.target == name)
        for name in ("in-process", "dealgraph serve", "oxigraph serve")
    }
    print("  median p50 over client levels: " + ", ".join(f"{k} {v:.2f} ms" for k, v in medians.items()))


if __name__ == "__main__":
    main()
