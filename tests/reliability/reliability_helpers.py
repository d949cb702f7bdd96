"""Shared by the reliability tests: byte-for-byte folder snapshots, small synthetic articles,
and the per-graph quad counts that tell a whole article from part of one."""

from __future__ import annotations

import gc
import hashlib
import json
import os
from pathlib import Path

import pyoxigraph as ox

from graph.store import Store
from ingest.pipeline import extract
from ingest.read import read_paths

REPO = Path(__file__).resolve().parents[2]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with its content hash and mode: what "byte for
    byte untouched" compares."""
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            path = Path(root, name)
            found[str(path.relative_to(folder)) + "/"] = oct(path.stat().st_mode)
        for name in files:
            path = Path(root, name)
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest() + oct(path.stat().st_mode)
    return found


def english_article(number: int) -> str:
    """A short English article of its own (distinct text, same entities every time, so no
    cross-article merge changes what a graph holds)."""
    return (f"Aktobe Region signed an agreement with Sumec Group on {number % 28 + 1} March 2024 in Astana. "
            f"The project number {number} is worth $5 million.\n")


def write_articles(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"a{number:03}.txt").write_text(english_article(number), encoding="utf-8")
    return folder


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def expected_counts(folder: Path) -> dict[str, int]:
    """Graph IRI -> number of triples a whole write of each article in ``folder`` puts in its
    graph (extracted in this process, as the CLI would)."""
    counts: dict[str, int] = {}
    for article in read_paths([str(folder)]):
        done = extract(article)
        counts[done.graph] = len(done.triples)
    return counts


def graph_counts(store: Store) -> dict[str, int]:
    """Article graph IRI -> its number of triples (the store's own graphs, such as labels, aside)."""
    rows = json.loads(store.query_serialized(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "application/sparql-results+json"))["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows if "/article/" in r["g"]["value"]}


def counts_read_only(store: Path) -> dict[str, int]:
    """Article graph sizes read straight from RocksDB in read-only mode: no owner, no lock, no
    write (works on a full disk, and costs a fraction of an owner's open)."""
    opened = ox.Store.read_only(str(store))
    rows = opened.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {row["g"].value: int(row["n"].value) for row in rows if "/article/" in row["g"].value}
    del opened, rows
    gc.collect()
    return counts
