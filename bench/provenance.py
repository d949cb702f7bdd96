"""What provenance costs: today's reified dg:Statement against leaner shapes, on the same facts.

Each article graph is rewritten from the shape dealgraph wrote until December 2026 (per fact:
rdf:type dg:Statement, rdf:subject/predicate/object, dg:evidence, dg:mention, dg:extractor,
dg:confidence; bench/generate.py still writes it, and so the synthetic rows compare all shapes)
into:

- ``reified``: as it is;
- ``reified-lean``: the same standard reification without dg:confidence (a constant per kind,
  no information) and with dg:extractor once on the article instead of once per fact (what
  dealgraph writes now, so on the samples snapshot the first two rows agree);
- ``rdf12``: RDF 1.2 reifiers, ``?r rdf:reifies <<( s p o )>> ; dg:evidence ; dg:mention``;
- ``shared``: one statement node per (subject, predicate, sentence) holding every object that
  sentence gave, so an agreement's two parties share one node.

For each: quads per article (named graphs plus the deduplicated default graph, as the store
keeps them), on-disk size, bulk-load CPU, the store query suite of bench/store.py and an
evidence query in that shape (medians), and whether rdflib (the exports, pyshacl, the
notebook Dataset) can read the data at all.

Run: .venv/bin/python bench/provenance.py [--synthetic 100000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.generate import generate_triples, hub_company_iri, region_iri  # noqa: E402
from bench.store import REGION_CODE, dir_bytes, query_suite  # noqa: E402
from graph.namespaces import DG, RDF, node_iri, sparql_prefixes  # noqa: E402

SAMPLES = ROOT / "tests" / "data" / "samples_store.trig"
Articles = list[tuple[str, list[ox.Triple]]]
TYPE, SUBJECT, PREDICATE, OBJECT = (ox.NamedNode(RDF + n) for n in ("type", "subject", "predicate", "object"))
REIFIES = ox.NamedNode(RDF + "reifies")
STATEMENT = ox.NamedNode(DG + "Statement")
EVIDENCE, MENTION, EXTRACTOR, CONFIDENCE = (ox.NamedNode(DG + n) for n in ("evidence", "mention", "extractor", "confidence"))

EVIDENCE_QUERIES = {
    "reified": """SELECT ?s ?o ?sentence WHERE { ?st rdf:subject ?s ; rdf:predicate dg:party ; rdf:object ?o ;
                     dg:evidence/dg:text ?sentence }""",
    "rdf12": """SELECT ?s ?o ?sentence WHERE { ?r rdf:reifies ?t ; dg:evidence/dg:text ?sentence .
                  FILTER(PREDICATE(?t) = dg:party) BIND(SUBJECT(?t) AS ?s) BIND(OBJECT(?t) AS ?o) }""",
}
EVIDENCE_QUERIES["reified-lean"] = EVIDENCE_QUERIES["shared"] = EVIDENCE_QUERIES["reified"]


def statements(triples: list[ox.Triple]) -> tuple[list[ox.Triple], dict[ox.NamedNode, dict]]:
    """Split a graph into its non-provenance triples and its statements (node -> fields)."""
    nodes = {t.subject for t in triples if t.predicate == TYPE and t.object == STATEMENT}
    fields: dict = defaultdict(dict)
    rest = []
    for t in triples:
        if t.subject in nodes:
            fields[t.subject][t.predicate.value] = t.object
        else:
            rest.append(t)
    return rest, fields


def reified(graph: str, triples: list[ox.Triple]) -> list[ox.Triple]:
    return triples


def reified_lean(graph: str, triples: list[ox.Triple]) -> list[ox.Triple]:
    rest, found = statements(triples)
    out = list(rest)
    extractors = set()
    for node, f in found.items():
        out += [ox.Triple(node, TYPE, STATEMENT), ox.Triple(node, SUBJECT, f[SUBJECT.value]),
                ox.Triple(node, PREDICATE, f[PREDICATE.value]), ox.Triple(node, OBJECT, f[OBJECT.value]),
                ox.Triple(node, EVIDENCE, f[EVIDENCE.value])]
        if MENTION.value in f:
            out.append(ox.Triple(node, MENTION, f[MENTION.value]))
        extractors.add(f.get(EXTRACTOR.value))
    out += [ox.Triple(ox.NamedNode(graph), EXTRACTOR, e) for e in extractors if e is not None]
    return out


def rdf12(graph: str, triples: list[ox.Triple]) -> list[ox.Triple]:
    rest, found = statements(triples)
    out = list(rest)
    extractors = set()
    for node, f in found.items():
        fact = ox.Triple(f[SUBJECT.value], f[PREDICATE.value], f[OBJECT.value])
        out += [ox.Triple(node, REIFIES, fact), ox.Triple(node, EVIDENCE, f[EVIDENCE.value])]
        if MENTION.value in f:
            out.append(ox.Triple(node, MENTION, f[MENTION.value]))
        extractors.add(f.get(EXTRACTOR.value))
    out += [ox.Triple(ox.NamedNode(graph), EXTRACTOR, e) for e in extractors if e is not None]
    return out


def shared(graph: str, triples: list[ox.Triple]) -> list[ox.Triple]:
    rest, found = statements(triples)
    out = list(rest)
    groups: dict = defaultdict(list)
    for f in found.values():
        groups[(f[SUBJECT.value], f[PREDICATE.value], f[EVIDENCE.value])].append(f)
    for (s, p, sentence), members in groups.items():
        node = ox.NamedNode(node_iri("statement", graph, str(s), str(p), str(sentence)))
        out += [ox.Triple(node, TYPE, STATEMENT), ox.Triple(node, SUBJECT, s), ox.Triple(node, PREDICATE, p),
                ox.Triple(node, EVIDENCE, sentence)]
        for f in members:
            out.append(ox.Triple(node, OBJECT, f[OBJECT.value]))
            if MENTION.value in f:
                out.append(ox.Triple(node, MENTION, f[MENTION.value]))
    return list(dict.fromkeys(out))


SHAPES: dict[str, Callable[[str, list[ox.Triple]], list[ox.Triple]]] = {
    "reified": reified, "reified-lean": reified_lean, "rdf12": rdf12, "shared": shared}


def quads(articles: Articles) -> list[ox.Quad]:
    """Named graphs plus the set-union default graph, as the store keeps them."""
    out = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g)) for g, ts in articles for t in ts]
    out += [ox.Quad(t.subject, t.predicate, t.object) for t in dict.fromkeys(t for _, ts in articles for t in ts)]
    return out


def rdflib_reads(sample: list[ox.Quad]) -> bool:
    from rdflib import Dataset

    try:
        Dataset().parse(data=ox.serialize(sample, format=ox.RdfFormat.N_QUADS), format="nquads")
        return True
    except Exception:  # noqa: BLE001 - any parser failure means "cannot read"
        return False


def median_ms(store: ox.Store, sparql: str, repeat: int = 5) -> float:
    list(store.query(sparql))
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        list(store.query(sparql))
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(name: str, articles: Articles, suite: dict[str, str]) -> dict:
    shaped = [(g, SHAPES[name](g, ts)) for g, ts in articles]
    all_quads = quads(shaped)
    with tempfile.TemporaryDirectory() as tmp:
        store = ox.Store(tmp + "/s")
        started = time.process_time()
        store.bulk_extend(all_quads)
        store.flush()
        load_cpu = time.process_time() - started
        del store
        store = ox.Store(tmp + "/s")
        suite_ms = sum(median_ms(store, q) for q in suite.values()) if suite else 0.0
        evidence_ms = median_ms(store, sparql_prefixes() + EVIDENCE_QUERIES[name])
        evidence_rows = len(list(store.query(sparql_prefixes() + EVIDENCE_QUERIES[name])))
        disk = dir_bytes(Path(tmp) / "s")
        del store
    named = sum(len(ts) for _, ts in shaped)
    return {"shape": name, "named_per_article": named / len(shaped), "quads": len(all_quads),
            "disk_mb": disk / 1e6, "load_cpu_s": load_cpu, "suite_ms": suite_ms, "evidence_ms": evidence_ms,
            "evidence_rows": evidence_rows, "rdflib": rdflib_reads(all_quads[:2000] + all_quads[-2000:])}


def samples() -> Articles:
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(SAMPLES), format=ox.RdfFormat.TRIG):
        if quad.graph_name.value.rsplit("/", 2)[-2] == "article":
            graphs[quad.graph_name.value].append(quad.triple)
    return list(graphs.items())


def report(title: str, rows: list[dict]) -> None:
    print(f"\n=== {title} ===")
    print(f"{'shape':<14}{'triples/article':>16}{'stored quads':>14}{'disk MB':>9}{'load cpu s':>11}"
          f"{'suite ms':>10}{'evidence ms':>12}{'rows':>6}  rdflib reads it")
    for r in rows:
        print(f"{r['shape']:<14}{r['named_per_article']:>16.1f}{r['quads']:>14,}{r['disk_mb']:>9.1f}"
              f"{r['load_cpu_s']:>11.2f}{r['suite_ms']:>10.1f}{r['evidence_ms']:>12.1f}{r['evidence_rows']:>6}  "
              f"{'yes' if r['rdflib'] else 'no'}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", type=int, default=100_000, help="triples of synthetic articles (0: skip)")
    args = parser.parse_args(argv)
    report(f"samples/ as ingested ({SAMPLES.name})", [measure(name, samples(), {}) for name in SHAPES])
    if args.synthetic:
        articles = list(generate_triples(args.synthetic))
        suite = query_suite(hub_company_iri(), region_iri(REGION_CODE))
        report(f"synthetic, {args.synthetic:,} triples in {len(articles):,} articles",
               [measure(name, articles, suite) for name in SHAPES])


if __name__ == "__main__":
    main()
