"""Choose-the-engine benchmark: load and query the same synthetic deal graph with every
candidate store, and print each one as a ratio against two rdflib baselines: the Memory store
(``addN``), and the Memory store saved to an N-Quads file, which is what a persistent rdflib
store costs (the issue asks for the engine to be chosen against that one).

Why ratios: the machine is shared (2 cores, other engineers' jobs running), so absolute
seconds drift between runs while ratios measured in the same run, on the same data, hold.
Each engine runs in its own process so its memory figure is its own and one engine's heap
cannot slow the next. The query suite is identical SPARQL for every engine, over the union
of the article graphs; result rows are compared across engines so a fast wrong answer shows.

Run: .venv/bin/python bench/store.py --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import hashlib
import json
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import pyoxigraph as ox  # noqa: E402

from bench.generate import generate_triples, hub_company_iri, region_iri  # noqa: E402
from graph.namespaces import sparql_prefixes  # noqa: E402

OUT = ROOT / "bench" / "out" / "store.json"
OXIGRAPH_CLI = Path(sys.executable).with_name("oxigraph")
BASELINE = "rdflib-memory"
SAVED_BASELINE = "rdflib-memory-file"
BASELINES = {BASELINE: "rdflib Memory addN", SAVED_BASELINE: "rdflib Memory + save to file (N-Quads)"}
DEFAULT = "default"
REGION_CODE = "KZ-AKT"
LABEL_NEEDLE = "ақтөбе"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TARGETS = {"load": 5.0, "queries": 10.0}
WORKER_TIMEOUT_S = 3 * 3600
LABEL = 54
PR_SET_PDEATHSIG = 1
NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("decimal", "integer", "double", "float", "long", "int")
}

Row = tuple[str | None, ...]


def query_suite(hub: str, region: str) -> dict[str, str]:
    """The four questions the app asks most, as one SPARQL text each (IRIs inlined, so no
    engine is favoured by a binding mechanism). Oxigraph's union default graph keeps a triple
    once per graph that holds it (rdflib's keeps it once), so queries that can meet a
    repeated triple (labels, types of shared entities) say DISTINCT."""
    head = sparql_prefixes()
    return {
        "region": head + f"""
SELECT ?agreement ?type ?status ?value ?currency ?date WHERE {{
  ?agreement a dg:Agreement ;
             dg:locationRegion <{region}> ;
             dg:agreementType ?type ;
             dg:status ?status .
  OPTIONAL {{ ?agreement dg:amount ?money . ?money dg:value ?value ; dg:currency ?currency . }}
  OPTIONAL {{ ?agreement dg:signingDate ?date }}
}}
ORDER BY DESC(?value) ?agreement""",
        "hub2hop": head + f"""
SELECT DISTINCT ?node WHERE {{
  {{ ?near ?p1 <{hub}> }} UNION {{ <{hub}> ?p1 ?near }}
  FILTER(isIRI(?near) && ?p1 != rdf:type)
  {{ ?node ?p2 ?near }} UNION {{ ?near ?p2 ?node }}
  FILTER(isIRI(?node) && ?p2 != rdf:type && ?p2 != rdf:predicate && ?node != <{hub}>)
}}""",
        "sum": head + """
SELECT ?region ?currency (SUM(?value) AS ?total) (COUNT(?agreement) AS ?deals) WHERE {
  ?agreement a dg:Agreement ; dg:locationRegion ?region ; dg:amount ?money .
  ?money dg:value ?value ; dg:currency ?currency .
}
GROUP BY ?region ?currency
ORDER BY ?region ?currency""",
        "label": head + f"""
SELECT DISTINCT ?entity ?label WHERE {{
  ?entity rdfs:label ?label .
  FILTER(CONTAINS(LCASE(STR(?label)), "{LABEL_NEEDLE}"))
}}""",
    }


# ---------------------------------------------------------------- term normalisation


def norm_literal(value: str, datatype: str | None, language: str | None) -> str:
    """One spelling per value, so '1.50' (rdflib) and '1.5' (oxigraph) compare equal."""
    if datatype in NUMERIC:
        try:
            return format(Decimal(value).normalize(), "f")
        except InvalidOperation:
            return value
    return f"{value}@{language}" if language else value


def norm_ox(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return norm_literal(term.value, term.datatype.value, term.language)
    return f"<{term.value}>"


def norm_rdflib(term: object) -> str | None:
    from rdflib import Literal

    if term is None:
        return None
    if isinstance(term, Literal):
        return norm_literal(str(term), str(term.datatype) if term.datatype else None, term.language)
    return f"<{term}>"


def norm_json(cell: dict | None) -> str | None:
    if cell is None:
        return None
    if cell["type"] in ("literal", "typed-literal"):
        return norm_literal(cell["value"], cell.get("datatype"), cell.get("xml:lang"))
    return f"<{cell['value']}>"


# ---------------------------------------------------------------- engines (worker side)


def read_articles(path: Path) -> list[tuple[str, list[ox.Triple]]]:
    """The generated N-Quads back as (graph IRI, triples), in file order."""
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return list(graphs.items())


def batches(articles: list, size: int) -> Iterator[list]:
    for i in range(0, len(articles), size):
        yield articles[i : i + size]


def to_quads(articles: list[tuple[str, list[ox.Triple]]]) -> list[ox.Quad]:
    return [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for iri, triples in articles
        for graph in (ox.NamedNode(iri),)
        for t in triples
    ]


def to_rdflib_quads(articles: list[tuple[str, list[ox.Triple]]], dataset: object) -> list[tuple]:
    """rdflib terms built ahead of the timed load (an rdflib-based ingest would build them
    itself), each distinct term once, as a real producer would share them."""
    from rdflib import Literal, URIRef

    cache: dict[object, object] = {}

    def term(t: object) -> object:
        found = cache.get(t)
        if found is None:
            if isinstance(t, ox.NamedNode):
                found = URIRef(t.value)
            elif t.language:
                found = Literal(t.value, lang=t.language)
            elif t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
                found = Literal(t.value)
            else:
                found = Literal(t.value, datatype=URIRef(t.datatype.value))
            cache[t] = found
        return found

    quads = []
    for iri, triples in articles:
        graph = dataset.graph(URIRef(iri))
        quads += [(term(t.subject), term(t.predicate), term(t.object), graph) for t in triples]
    return quads


class Engine:
    """One store under test: load once, then answer the query suite."""

    def __init__(self, workdir: Path, nquads: Path, batch: int) -> None:
        self.workdir = workdir
        self.nquads = nquads
        self.batch = batch
        self.server: subprocess.Popen | None = None

    def prepare(self, articles: list) -> object:
        return articles

    def load(self, prepared: object) -> None:
        raise NotImplementedError

    def reopen(self) -> None:
        """Close and reopen an on-disk embedded store between load and queries. The app
        queries a store that an ingest process wrote and closed, so data the loading process
        still holds in RocksDB memtables (much of a transactional load) must not flatter it."""

    def count(self) -> int:
        raise NotImplementedError

    def run(self, sparql: str) -> object:
        """Execute and materialise every row: lazy iterators would time nothing."""
        raise NotImplementedError

    def rows(self, result: object) -> list[Row]:
        """The result as comparable rows (normalised terms), outside the timed part."""
        raise NotImplementedError

    def disk_bytes(self) -> int | None:
        return None

    def close(self) -> None:
        pass


class OxEngine(Engine):
    store: ox.Store

    def count(self) -> int:
        return len(self.store)

    def run(self, sparql: str) -> object:
        return list(self.store.query(sparql, use_default_graph_as_union=True))

    def rows(self, result: list) -> list[Row]:
        return [tuple(norm_ox(v) for v in solution) for solution in result]

    def disk_bytes(self) -> int | None:
        return dir_bytes(self.workdir / "store")

    def close(self) -> None:
        """Drop the store before its folder is deleted (RocksDB writes on close)."""
        self.__dict__.pop("store", None)


class DefaultEngine(OxEngine):
    """What users get: graph.store.open_store and import_graphs into a fresh store (on disk:
    bulk load into a sibling folder, then an atomic rename)."""

    memory = False

    def prepare(self, articles: list) -> object:
        from graph.store import open_store

        self.graph_store = open_store(":memory:" if self.memory else str(self.workdir / "store"))
        return articles

    def load(self, prepared: list) -> None:
        self.graph_store.import_graphs(prepared, batch_size=self.batch)

    def reopen(self) -> None:
        from graph.store import open_store

        if not self.memory:
            self.graph_store.close()
            self.graph_store = open_store(str(self.workdir / "store"))

    def count(self) -> int:
        return self.graph_store.count()

    def run(self, sparql: str) -> object:
        return list(self.graph_store.query(sparql))

    def disk_bytes(self) -> int | None:
        return None if self.memory else dir_bytes(self.workdir / "store")

    def close(self) -> None:
        if "graph_store" in self.__dict__:
            self.graph_store.close()


class DefaultMemoryEngine(DefaultEngine):
    memory = True


class DefaultBatches(DefaultEngine):
    """The transactional path (what import_graphs does on a store that holds data, and every
    replace_graphs): one SPARQL update per batch of new graphs."""

    def prepare(self, articles: list) -> object:
        super().prepare(articles)
        return [dict(b) for b in batches(articles, self.batch)]

    def load(self, prepared: list) -> None:
        for graphs in prepared:
            self.graph_store.replace_graphs(graphs)


class DefaultReimport(DefaultEngine):
    """A second ingest of the same articles: the store is full, so every batch drops and
    refills graphs that exist (the first import, untimed, happens in prepare)."""

    def prepare(self, articles: list) -> object:
        super().prepare(articles)
        self.graph_store.import_graphs(articles, batch_size=self.batch)
        return articles


class OxDiskBulk(OxEngine):
    def prepare(self, articles: list) -> object:
        self.store = ox.Store(str(self.workdir / "store"))
        return to_quads(articles)

    def load(self, prepared: list) -> None:
        self.store.bulk_extend(prepared)

    def reopen(self) -> None:
        del self.store
        self.store = ox.Store(str(self.workdir / "store"))


class OxDiskBulkFile(OxEngine):
    def prepare(self, articles: list) -> object:
        self.store = ox.Store(str(self.workdir / "store"))
        return None

    def load(self, prepared: None) -> None:
        self.store.bulk_load(path=str(self.nquads), format=ox.RdfFormat.N_QUADS)


class OxMemory(OxEngine):
    def prepare(self, articles: list) -> object:
        self.store = ox.Store()
        return to_quads(articles)

    def load(self, prepared: list) -> None:
        self.store.extend(prepared)

    def disk_bytes(self) -> int | None:
        return None


class OxMemoryFile(OxMemory):
    """The oxigraph counterpart of the saved rdflib baseline: the in-memory store written to
    an N-Quads file after the load, and read back from it on reopen (a restart's cost)."""

    def saved(self) -> Path:
        return self.workdir / "store.nq"

    def load(self, prepared: list) -> None:
        super().load(prepared)
        self.store.dump(output=str(self.saved()), format=ox.RdfFormat.N_QUADS)

    def reopen(self) -> None:
        self.store = ox.Store()
        self.store.load(path=str(self.saved()), format=ox.RdfFormat.N_QUADS)

    def disk_bytes(self) -> int | None:
        return self.saved().stat().st_size


class RdflibMemory(Engine):
    store_name = "default"

    def prepare(self, articles: list) -> object:
        from rdflib import Dataset

        self.dataset = Dataset(store=self.store_name, default_union=True)
        return to_rdflib_quads(articles, self.dataset)

    def load(self, prepared: list) -> None:
        self.dataset.addN(prepared)

    def count(self) -> int:
        return int(next(iter(self.dataset.query(COUNT_QUADS)))[0])

    def run(self, sparql: str) -> object:
        return list(self.dataset.query(sparql))

    def rows(self, result: list) -> list[Row]:
        return [tuple(norm_rdflib(v) for v in row) for row in result]


class RdflibMemoryFile(RdflibMemory):
    """A persistent rdflib store as rdflib offers one: the Memory store, written to a file
    after the load (N-Quads, rdflib's own serialiser). The file is what survives a restart;
    its quads are counted back from it, so an incomplete save shows as a wrong count."""

    def saved(self) -> Path:
        return self.workdir / "store.nq"

    def load(self, prepared: list) -> None:
        super().load(prepared)
        self.dataset.serialize(destination=str(self.saved()), format="nquads")

    def count(self) -> int:
        return sum(1 for _ in ox.parse(path=str(self.saved()), format=ox.RdfFormat.N_QUADS))

    def disk_bytes(self) -> int | None:
        return self.saved().stat().st_size


class RdflibNquads(RdflibMemory):
    def prepare(self, articles: list) -> object:
        from rdflib import Dataset

        self.dataset = Dataset(default_union=True)
        return self.nquads.read_bytes()

    def load(self, prepared: bytes) -> None:
        self.dataset.parse(data=prepared, format="nquads")


class OxRdflib(RdflibMemory):
    store_name = "Oxigraph"


class RemoteEngine(Engine):
    """A real `oxigraph serve` on loopback, started and stopped by the bench. Raw HTTP
    engines need the server's union default graph to query what they wrote into named
    graphs; dealgraph's remote store keeps the default graph itself and must not have it."""

    union_default_graph = True

    def start(self) -> None:
        import requests

        port = free_port()
        location = self.workdir / "server"
        self.server = subprocess.Popen(
            [str(OXIGRAPH_CLI), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
             *(["--union-default-graph"] if self.union_default_graph else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent,
        )
        self.url = f"http://127.0.0.1:{port}"
        self.http = requests.Session()
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.http.get(self.url + "/query", params={"query": "ASK {}"}, timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or self.server.poll() is not None:
                raise RuntimeError("oxigraph serve did not start")
            time.sleep(0.05)

    def count(self) -> int:
        rows = self.http_select(COUNT_QUADS)
        return int(rows[0]["n"]["value"])

    def http_select(self, sparql: str) -> list[dict]:
        response = self.http.post(
            self.url + "/query", data={"query": sparql},
            headers={"Accept": "application/sparql-results+json"},
        )
        response.raise_for_status()
        body = response.json()
        names = body["head"]["vars"]
        return [{n: b.get(n) for n in names} for b in body["results"]["bindings"]] if names else []

    def run(self, sparql: str) -> object:
        return self.http_select(sparql)

    def rows(self, result: list[dict]) -> list[Row]:
        return [tuple(norm_json(cell) for cell in row.values()) for row in result]

    def disk_bytes(self) -> int | None:
        return dir_bytes(self.workdir / "server")

    def server_rss(self) -> int:
        return psutil.Process(self.server.pid).memory_info().rss

    def server_cpu(self) -> float:
        times = psutil.Process(self.server.pid).cpu_times()
        return times.user + times.system

    def close(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()


class RemoteUpdate(RemoteEngine):
    """The remote backend as users get it: open_store(url) and import_graphs (for a remote
    store, replace_graphs per batch), queries through the same store. Before
    graph.stores.remote existed this was the same DROP + INSERT DATA text
    (graph.store.replace_update) POSTed by hand, which is still the fallback, so the figures
    stay comparable."""

    union_default_graph = False

    def prepare(self, articles: list) -> object:
        self.start()
        self.graph_store = remote_store(self.url + "/query")
        self.client = "graph.stores.remote" if self.graph_store is not None else "raw requests"
        return articles

    def load(self, prepared: list) -> None:
        from graph.store import replace_update

        if self.graph_store is not None:
            self.graph_store.import_graphs(prepared, batch_size=self.batch)
            return
        for graphs in batches(prepared, self.batch):
            response = self.http.post(
                self.url + "/update", data=replace_update(dict(graphs)).encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
            )
            response.raise_for_status()

    def run(self, sparql: str) -> object:
        if self.graph_store is None:
            return super().run(sparql)
        return list(self.graph_store.query(sparql))

    def rows(self, result: list) -> list[Row]:
        if self.graph_store is None:
            return super().rows(result)
        return [tuple(norm_ox(v) for v in solution) for solution in result]

    def close(self) -> None:
        if self.graph_store is not None:
            self.graph_store.close()
        super().close()


class RemoteGsp(RemoteEngine):
    def prepare(self, articles: list) -> object:
        self.start()
        return list(batches(articles, self.batch))

    def load(self, prepared: list) -> None:
        for batch in prepared:
            body = ox.serialize(to_quads(batch), format=ox.RdfFormat.N_QUADS)
            response = self.http.post(
                self.url + "/store", data=body, headers={"Content-Type": "application/n-quads"}
            )
            response.raise_for_status()


@dataclass(frozen=True)
class EngineInfo:
    label: str
    cls: type[Engine]
    queries: bool = True


ENGINES: dict[str, EngineInfo] = {
    DEFAULT: EngineInfo("default: open_store(dir), import_graphs, fresh store", DefaultEngine),
    "default-batches": EngineInfo("open_store(dir), replace_graphs per batch", DefaultBatches),
    "default-reimport": EngineInfo("open_store(dir), import_graphs again, same graphs", DefaultReimport),
    "default-memory": EngineInfo("open_store(':memory:'), import_graphs", DefaultMemoryEngine),
    "ox-disk-bulk": EngineInfo("pyoxigraph disk, bulk_extend(quads)", OxDiskBulk),
    "ox-disk-bulk-file": EngineInfo("pyoxigraph disk, bulk_load(n-quads file)", OxDiskBulkFile, queries=False),
    "ox-memory": EngineInfo("pyoxigraph memory, extend(quads)", OxMemory),
    "ox-memory-file": EngineInfo("pyoxigraph memory, extend + save to file (N-Quads)", OxMemoryFile),
    BASELINE: EngineInfo("rdflib Memory, addN(quads)  [baseline 1]", RdflibMemory),
    SAVED_BASELINE: EngineInfo("rdflib Memory, addN + save to file (N-Quads) [base 2]", RdflibMemoryFile),
    "rdflib-nquads": EngineInfo("rdflib Dataset() Memory, parse(n-quads)", RdflibNquads, queries=False),
    "oxrdflib": EngineInfo("oxrdflib Dataset(store='Oxigraph'), addN(quads)", OxRdflib),
    "remote-update": EngineInfo("oxigraph serve: open_store(url), import_graphs", RemoteUpdate),
    "remote-gsp": EngineInfo("oxigraph serve: raw POST /store n-quads per batch", RemoteGsp),
}


def remote_store(query_url: str) -> object | None:
    """open_store(url) when graph.stores.remote exists, else None (raw HTTP)."""
    from graph.store import open_store

    try:
        return open_store(query_url)
    except ModuleNotFoundError:
        return None


def die_with_parent() -> None:
    """Ask Linux to stop the server if the worker dies (timeout, Ctrl-C): no orphan servers."""
    ctypes.CDLL("libc.so.6").prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def rss() -> int:
    return psutil.Process().memory_info().rss


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def release_memory() -> None:
    """Hand freed heap back to the OS so RSS shows what the store keeps, not the input."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass


def worker(name: str, nquads: Path, meta: dict) -> dict:
    """Load one engine and time its queries; runs in its own process (see module doc)."""
    base_rss = rss()
    with tempfile.TemporaryDirectory(prefix=f"bench-store-{name}-") as tmp:
        engine = ENGINES[name].cls(Path(tmp), nquads, meta["batch"])
        try:
            holder = [engine.prepare(read_articles(nquads))]
            return measure(engine, ENGINES[name], holder, base_rss, meta)
        finally:
            engine.close()


def measure(engine: Engine, info: EngineInfo, holder: list, base_rss: int, meta: dict) -> dict:
    """Time the load, then the queries. ``holder`` carries the prepared input so it can be
    emptied after the load and the RSS figure shows the store, not the input. CPU seconds
    (this process's threads plus the server's) are kept beside wall time because on a shared
    machine they move less when other jobs compete for the cores."""
    prepared = holder.pop()
    cpu0, t0 = engine_cpu(engine), time.perf_counter()
    engine.load(prepared)
    load_s = time.perf_counter() - t0
    load_cpu = engine_cpu(engine) - cpu0
    del prepared
    release_memory()
    loaded_rss = rss()
    t0 = time.perf_counter()
    engine.reopen()
    result: dict = {
        "load_s": load_s,
        "load_cpu_s": load_cpu,
        "reopen_s": time.perf_counter() - t0,
        "count": engine.count(),
        "rss_mb": (loaded_rss - base_rss) / 2**20,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "disk_mb": None,
        "queries": {},
    }
    if isinstance(engine, RemoteEngine):
        result["server_rss_mb"] = engine.server_rss() / 2**20
        result["client"] = getattr(engine, "client", "raw requests")
    if info.queries:
        for qname, sparql in query_suite(meta["hub"], meta["region"]).items():
            rows = sorted(engine.rows(engine.run(sparql)), key=repr)
            walls, cpus = [], []
            for _ in range(meta["repeat"]):
                cpu0, t0 = engine_cpu(engine), time.perf_counter()
                engine.run(sparql)
                walls.append(time.perf_counter() - t0)
                cpus.append(engine_cpu(engine) - cpu0)
            result["queries"][qname] = {
                "median_ms": statistics.median(walls) * 1000,
                "cpu_median_ms": statistics.median(cpus) * 1000,
                "runs_ms": [t * 1000 for t in walls],
                "rows": len(rows),
                "digest": hashlib.sha256(repr(rows).encode()).hexdigest()[:16],
            }
    disk = engine.disk_bytes()
    result["disk_mb"] = None if disk is None else disk / 2**20
    return result


def engine_cpu(engine: Engine) -> float:
    return cpu_seconds() + (engine.server_cpu() if isinstance(engine, RemoteEngine) else 0.0)


# ---------------------------------------------------------------- driver (parent side)


def write_dataset(n_triples: int, seed: int, path: Path) -> dict:
    t0 = time.perf_counter()
    articles = 0
    counted = 0

    def quads() -> Iterator[ox.Quad]:
        nonlocal articles, counted
        for iri, triples in generate_triples(n_triples, seed):
            graph = ox.NamedNode(iri)
            articles += 1
            counted += len(triples)
            for t in triples:
                yield ox.Quad(t.subject, t.predicate, t.object, graph)

    ox.serialize(quads(), output=str(path), format=ox.RdfFormat.N_QUADS)
    assert counted == n_triples, (counted, n_triples)
    return {"triples": counted, "articles": articles, "generate_s": time.perf_counter() - t0,
            "nquads_mb": path.stat().st_size / 2**20}


def busy_cpu_seconds() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_worker(name: str, nquads: Path, meta: dict) -> dict:
    """Run one engine in a child process and note how busy the rest of the machine was
    (other jobs' cores, and the 1-minute load average sampled every second)."""
    busy0, ours0, t0 = busy_cpu_seconds(), children_cpu_seconds(), time.perf_counter()
    loads = [os.getloadavg()[0]]
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", name, "--data", str(nquads), "--meta", json.dumps(meta)],
        stdout=subprocess.PIPE, text=True,
    )
    while True:
        try:
            stdout, _ = proc.communicate(timeout=1)
            break
        except subprocess.TimeoutExpired:
            loads.append(os.getloadavg()[0])
            if time.perf_counter() - t0 > WORKER_TIMEOUT_S:
                proc.kill()
                proc.communicate()
                return {"error": f"worker timed out after {WORKER_TIMEOUT_S} s", "wall_s": WORKER_TIMEOUT_S}
    wall = time.perf_counter() - t0
    others = (busy_cpu_seconds() - busy0) - (children_cpu_seconds() - ours0)
    if proc.returncode != 0:
        return {"error": f"worker exited with {proc.returncode}", "wall_s": wall}
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall_s=wall, loadavg_mean=statistics.mean(loads), loadavg_max=max(loads),
                  other_cores=max(others, 0.0) / wall)
    return result


def ratios(engines: dict[str, dict]) -> None:
    """Speed-up against each baseline: baseline time / engine time (higher is better), for
    wall time and for CPU time, under ``figures["x"][baseline]``."""
    for figures in engines.values():
        if "error" in figures:
            continue
        queries = figures["queries"].values()
        figures["suite_ms"] = sum(q["median_ms"] for q in queries) or None
        figures["suite_cpu_ms"] = sum(q["cpu_median_ms"] for q in queries) or None
        figures["x"] = {}
    for baseline in BASELINES:
        base = engines.get(baseline, {})
        if not base or "error" in base:
            continue
        for figures in engines.values():
            if "error" in figures:
                continue
            x = {key: base[ref] / figures[ref] if base.get(ref) and figures.get(ref) else None
                 for key, ref in (("load", "load_s"), ("load_cpu", "load_cpu_s"),
                                  ("suite", "suite_ms"), ("suite_cpu", "suite_cpu_ms"))}
            x["queries"] = {
                q: base["queries"][q]["median_ms"] / timing["median_ms"]
                for q, timing in figures["queries"].items() if q in base.get("queries", {})
            }
            # The suite total is dominated by its slowest query; the geometric mean weighs
            # each question equally, so one pathological rdflib plan cannot carry the ratio.
            x["geomean"] = statistics.geometric_mean(x["queries"].values()) if x["queries"] else None
            figures["x"][baseline] = x


def check_results(engines: dict[str, dict]) -> dict[str, list[str]]:
    """Engines whose rows differ from the baseline's, per query (empty lists = all agree)."""
    base = engines.get(BASELINE, {}).get("queries", {})
    mismatches: dict[str, list[str]] = {}
    for qname, expected in base.items():
        mismatches[qname] = [
            name for name, figures in engines.items()
            if qname in figures.get("queries", {}) and figures["queries"][qname]["digest"] != expected["digest"]
        ]
    return mismatches


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def ratio(figures: dict, baseline: str, key: str) -> float | None:
    return figures.get("x", {}).get(baseline, {}).get(key)


def print_size(size: dict) -> None:
    data, engines = size["data"], size["engines"]
    print(f"\n=== {data['triples']:,} triples in {data['articles']:,} article graphs "
          f"(hub company: {data['hub_agreements']:,} agreements) ===")
    queries = list(query_suite("", "").keys())
    print("wall time; query columns are medians of 3 after one warm-up; x = baseline time / engine "
          "time: 'x mem' against rdflib Memory addN, 'x file' against rdflib Memory + save to file")
    header = (f"{'engine':<{LABEL}} {'load s':>7} {'x mem':>6} {'x file':>6} {'RSS MB':>7} {'disk MB':>7}"
              + "".join(f"{q + ' ms':>12}" for q in queries) + f" {'suite ms':>9} {'x mem':>6} {'x file':>6}")
    print(header)
    print("-" * len(header))
    for name, figures in engines.items():
        label = ENGINES[name].label
        if "error" in figures:
            print(f"{label:<{LABEL}} {figures['error']}")
            continue
        mem = figures.get("server_rss_mb", figures["rss_mb"])
        cells = "".join(f"{fmt(figures['queries'].get(q, {}).get('median_ms'), ',.1f'):>12}" for q in queries)
        print(f"{label:<{LABEL}} {figures['load_s']:>7.2f} {fmt(ratio(figures, BASELINE, 'load'), '.1f'):>6} "
              f"{fmt(ratio(figures, SAVED_BASELINE, 'load'), '.1f'):>6} {mem:>7.0f} "
              f"{fmt(figures['disk_mb'], '.0f'):>7}{cells} {fmt(figures['suite_ms'], ',.0f'):>9} "
              f"{fmt(ratio(figures, BASELINE, 'suite'), '.1f'):>6} {fmt(ratio(figures, SAVED_BASELINE, 'suite'), '.1f'):>6}")
    print("\nCPU time (engine threads + server process), less sensitive to other jobs on the machine")
    header = (f"{'engine':<{LABEL}} {'load cpu s':>10} {'x mem':>6} {'x file':>6} {'suite cpu ms':>12} "
              f"{'x mem':>6} {'x file':>6} {'reopen s':>8} {'wall s':>7} {'other jobs (cores)':>18} {'load avg':>12}")
    print(header)
    print("-" * len(header))
    for name, figures in engines.items():
        if "error" in figures:
            continue
        loadavg = f"{figures['loadavg_mean']:.1f} (<={figures['loadavg_max']:.1f})"
        print(f"{ENGINES[name].label:<{LABEL}} {figures['load_cpu_s']:>10.2f} "
              f"{fmt(ratio(figures, BASELINE, 'load_cpu'), '.1f'):>6} "
              f"{fmt(ratio(figures, SAVED_BASELINE, 'load_cpu'), '.1f'):>6} {fmt(figures['suite_cpu_ms'], ',.0f'):>12} "
              f"{fmt(ratio(figures, BASELINE, 'suite_cpu'), '.1f'):>6} "
              f"{fmt(ratio(figures, SAVED_BASELINE, 'suite_cpu'), '.1f'):>6} {figures['reopen_s']:>8.2f} "
              f"{figures['wall_s']:>7.1f} "
              f"{figures['other_cores']:>18.2f} {loadavg:>12}")
    print("\nper-query ratio against rdflib Memory addN (wall), and the geometric mean against each baseline")
    header = f"{'engine':<{LABEL}}" + "".join(f"{q:>10}" for q in queries) + f" {'gm mem':>7} {'gm file':>7}"
    print(header)
    print("-" * len(header))
    for name, figures in engines.items():
        if "error" in figures or not figures["queries"]:
            continue
        per_query = figures.get("x", {}).get(BASELINE, {}).get("queries", {})
        cells = "".join(f"{fmt(per_query.get(q), '.1f'):>10}" for q in queries)
        print(f"{ENGINES[name].label:<{LABEL}}{cells} {fmt(ratio(figures, BASELINE, 'geomean'), '.1f'):>7} "
              f"{fmt(ratio(figures, SAVED_BASELINE, 'geomean'), '.1f'):>7}")
    base = engines.get(BASELINE, {}).get("queries", {})
    print("\nrows per query: " + ", ".join(f"{q} {base[q]['rows']:,}" for q in base))
    bad = {q: names for q, names in size["mismatches"].items() if names}
    print("results identical across engines: " + ("yes" if not bad else f"NO: {bad}"))
    print_targets(engines)


def print_targets(engines: dict[str, dict]) -> None:
    """The issue's targets (met at 1M triples), judged for the default against each baseline,
    on wall time and on CPU time."""
    default = engines.get(DEFAULT, {})
    for baseline, label in BASELINES.items():
        for what, key in (("load", "load"), ("queries", "suite")):
            wall, cpu = ratio(default, baseline, key), ratio(default, baseline, key + "_cpu")
            if wall is None or cpu is None:
                continue
            verdicts = ", ".join(f"{kind} {x:.1f}x {'PASS' if x >= TARGETS[what] else 'FAIL'}"
                                 for kind, x in (("wall", wall), ("CPU", cpu)))
            geomean = (f"; per-query geometric mean {ratio(default, baseline, 'geomean'):.1f}x"
                       if what == "queries" else "")
            print(f"target {what} >= {TARGETS[what]:.0f}x against {label} (issue: at 1M): "
                  f"{verdicts}{geomean}")
    bulk = engines.get("ox-disk-bulk", {})
    for name in (DEFAULT, "default-batches"):
        figures = engines.get(name, {})
        if "load_s" in figures and "load_s" in bulk:
            print(f"{ENGINES[name].label} / raw bulk_extend on disk, load time: "
                  f"{figures['load_s'] / bulk['load_s']:.1f} (wall), {figures['load_cpu_s'] / bulk['load_cpu_s']:.1f} (CPU)")


def machine() -> dict:
    import rdflib
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    cli = subprocess.run([str(OXIGRAPH_CLI), "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(), "pyoxigraph": version("pyoxigraph"),
        "rdflib": rdflib.__version__, "oxrdflib": version("oxrdflib"), "oxigraph_cli": cli,
        "remote_store_module": (ROOT / "graph" / "stores" / "remote.py").exists(),
    }


def hub_agreements(nquads: Path, hub: str) -> int:
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    party = ox.NamedNode("https://w3id.org/dealgraph/ontology#party")
    return sum(1 for _ in store.quads_for_pattern(None, party, ox.NamedNode(hub), None))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000], help="total triples per run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=500, help="articles per replace_graphs call / HTTP request")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query (median), after one warm-up")
    parser.add_argument("--engines", nargs="+", choices=list(ENGINES), default=list(ENGINES))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--meta", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, args.data, json.loads(args.meta))))
        return

    report = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "seed": args.seed, "batch": args.batch, "repeat": args.repeat,
              "queries": query_suite(hub_company_iri(args.seed), region_iri(REGION_CODE)), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="bench-store-data-") as tmp:
        for n in args.sizes:
            nquads = Path(tmp) / f"synthetic-{n}.nq"
            data = write_dataset(n, args.seed, nquads)
            hub = hub_company_iri(args.seed)
            data["hub_agreements"] = hub_agreements(nquads, hub)
            meta = {"hub": hub, "region": region_iri(REGION_CODE), "batch": args.batch, "repeat": args.repeat}
            engines: dict[str, dict] = {}
            for name in args.engines:
                print(f"[{n:,}] {name} ...", file=sys.stderr, flush=True)
                engines[name] = run_worker(name, nquads, meta)
                if "count" in engines[name] and engines[name]["count"] != n:
                    engines[name]["error"] = f"loaded {engines[name]['count']} quads, expected {n}"
            ratios(engines)
            size = {"data": data, "engines": engines, "mismatches": check_results(engines)}
            report["sizes"][str(n)] = size
            print_size(size)
            os.remove(nquads)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nfigures written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
