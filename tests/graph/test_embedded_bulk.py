"""import_graphs: the bulk path into a fresh embedded store must be as atomic as the
transactional one and hold exactly the same quads. Real stores and real SIGKILLs, no mocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.namespaces import DG, RDF, RDFS, XSD
from graph.store import Store, StoreError, open_store

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REGIONS = ["Ақтөбе облысы", "Алматы", "Астана", "Қарағанды облысы", "Павлодар облысы"]
COMPANIES = 300
KILLED_IMPORT = 2000
CHILD_BATCH = 500
Article = tuple[str, list[ox.Triple]]
Quads = dict[str, frozenset[tuple[str, str, str]]]

# The child imports a generated set into its store. With a pause index it stops there,
# inside the import, and waits for the parent's SIGKILL; without one it runs to the end.
CHILD = """
import sys
sys.path.insert(0, {here!r})
from test_embedded_bulk import articles
from graph.store import open_store

location, count, version, pause = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
store = open_store(location)

def stream():
    for i, article in enumerate(articles(count, version)):
        if i == pause:
            print("paused", flush=True)
            sys.stdin.readline()
        yield article
    print("streamed", flush=True)

store.import_graphs(stream(), batch_size={batch})
store.close()
print("done", flush=True)
"""


def iri(kind: str, key: object) -> ox.NamedNode:
    return ox.NamedNode(f"https://w3id.org/dealgraph/id/{kind}/{key}")


def articles(count: int, version: str = "a") -> Iterator[Article]:
    """Article graphs in the pipeline's shape: per-article nodes, plus shared regions and
    companies whose type and label repeat in every graph that names them. ``version`` changes
    one literal per article, so two versions of a graph can be told apart. Literals are in
    canonical form (the store keeps "0.5" for a written "0.50"), so the expected content is
    the input itself."""
    a, label = ox.NamedNode(RDF + "type"), ox.NamedNode(RDFS + "label")
    decimal = ox.NamedNode(XSD + "decimal")
    for i in range(count):
        graph = f"https://w3id.org/dealgraph/article/{i:016x}"
        agreement, amount = iri("agreement", i), iri("amount", i)
        region_name = REGIONS[i % len(REGIONS)]
        region, company = iri("region", i % len(REGIONS)), iri("company", (i * i) % COMPANIES)
        triples = [
            ox.Triple(agreement, a, ox.NamedNode(DG + "Agreement")),
            ox.Triple(agreement, ox.NamedNode(DG + "status"), ox.Literal(f"signed-{version}")),
            ox.Triple(agreement, ox.NamedNode(DG + "party"), region),
            ox.Triple(agreement, ox.NamedNode(DG + "party"), company),
            ox.Triple(agreement, ox.NamedNode(DG + "locationRegion"), region),
            ox.Triple(agreement, ox.NamedNode(DG + "amount"), amount),
            ox.Triple(amount, ox.NamedNode(DG + "value"), ox.Literal(f"{i}.5", datatype=decimal)),
            ox.Triple(amount, ox.NamedNode(DG + "currency"), ox.Literal("USD")),
            ox.Triple(region, a, ox.NamedNode(DG + "Region")),
            ox.Triple(region, label, ox.Literal(region_name, language="kk")),
            ox.Triple(company, a, ox.NamedNode(DG + "Company")),
            ox.Triple(company, label, ox.Literal(f"Company {(i * i) % COMPANIES} «LLP»")),
        ]
        for n, fact in enumerate(triples[1:6]):
            statement = iri("statement", f"{i}-{n}")
            triples += [
                ox.Triple(statement, ox.NamedNode(RDF + "subject"), fact.subject),
                ox.Triple(statement, ox.NamedNode(RDF + "predicate"), fact.predicate),
                ox.Triple(statement, ox.NamedNode(RDF + "object"), fact.object),
                ox.Triple(statement, ox.NamedNode(DG + "evidence"), ox.Literal(f"Sentence {i}.{n}\n\"quoted\"")),
            ]
        yield graph, triples


def as_quads(items: list[Article]) -> Quads:
    """Expected content per graph, the last pair for an IRI winning, empty graphs absent."""
    expected = {graph: frozenset((str(t.subject), str(t.predicate), str(t.object)) for t in triples)
                for graph, triples in items}
    return {graph: triples for graph, triples in expected.items() if triples}


def contents(store: Store) -> Quads:
    grouped: dict[str, set[tuple[str, str, str]]] = {}
    for quad in ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS):
        grouped.setdefault(quad.graph_name.value, set()).add(
            (str(quad.subject), str(quad.predicate), str(quad.object)))
    return {graph: frozenset(triples) for graph, triples in grouped.items()}


def leftovers(location: Path) -> list[str]:
    return sorted(p.name for p in location.parent.iterdir() if p.name.startswith(f".{location.name}."))


def transactional(items: list[Article], location: str) -> Quads:
    """The reference: plain replace_graphs in batches."""
    with open_store(location) as store:
        for start in range(0, len(items), 500):
            store.replace_graphs(dict(items[start:start + 500]))
        return contents(store)


def start_child(location: Path, count: int, version: str, pause: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD.format(here=str(HERE), batch=CHILD_BATCH), str(location), str(count), version, str(pause)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for(child: subprocess.Popen[str], line: str) -> None:
    got = child.stdout.readline().strip() if child.stdout else ""
    if got != line:
        child.kill()
        _, err = child.communicate()
        pytest.fail(f"child said {got!r} instead of {line!r}: {err.strip()[-1500:]}")


def kill(child: subprocess.Popen[str]) -> int:
    """SIGKILL unless it already ended; its return code (-9 if killed)."""
    if child.poll() is None:
        child.send_signal(signal.SIGKILL)
    child.communicate()
    return child.returncode


def test_a_fresh_import_equals_the_transactional_path_quad_for_quad(tmp_path: Path) -> None:
    items = list(articles(1000))
    expected = transactional(items, str(tmp_path / "reference"))
    assert expected == as_quads(items)
    location = tmp_path / "store"
    with open_store(str(location)) as store:
        assert store.import_graphs(iter(items), batch_size=200) == len(items)
        assert contents(store) == expected
        assert store.named_graphs() == sorted(expected)
    with open_store(str(location), read_only=True) as reopened:
        assert contents(reopened) == expected
    assert leftovers(location) == []


def test_an_in_memory_import_equals_the_transactional_path(tmp_path: Path) -> None:
    items = list(articles(300))
    with open_store(":memory:") as store:
        assert store.import_graphs(items) == len(items)
        assert contents(store) == transactional(items, str(tmp_path / "reference"))


@pytest.mark.parametrize("location", ["disk", ":memory:"])
def test_reimporting_the_same_graphs_changes_nothing(tmp_path: Path, location: str) -> None:
    items = list(articles(700))
    with open_store(str(tmp_path / "store") if location == "disk" else location) as store:
        store.import_graphs(items, batch_size=300)
        first = contents(store)
        store.import_graphs(items, batch_size=300)
        assert contents(store) == first
        assert store.count() == sum(len(triples) for triples in first.values())


def test_an_import_into_a_filled_store_replaces_graphs_whole(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "store")) as store:
        store.import_graphs(articles(400, "a"))
        store.import_graphs(list(articles(600, "b"))[200:])
        expected = as_quads(list(articles(200, "a")) + list(articles(600, "b"))[200:])
        assert contents(store) == expected


def test_the_last_pair_for_an_iri_wins_and_an_empty_one_removes_it(any_store: Store) -> None:
    """Same rule as replace_graphs, on every backend and on the bulk path (a fresh store),
    where repeated IRIs are written after the bulk load."""
    a, b = list(articles(6, "a")), list(articles(6, "b"))
    stream = a + [b[1], (a[2][0], []), b[1], (a[3][0], []), a[3]]
    assert any_store.import_graphs(iter(stream), batch_size=4) == len(stream)
    expected = as_quads(stream)
    assert contents(any_store) == expected
    assert any_store.named_graphs() == sorted(expected)


def test_a_failing_stream_leaves_a_fresh_store_empty_and_usable(tmp_path: Path) -> None:
    location = tmp_path / "store"

    def failing() -> Iterator[Article]:
        yield from articles(800)
        raise RuntimeError("extraction crashed")

    with open_store(str(location)) as store:
        with pytest.raises(RuntimeError, match="extraction crashed"):
            store.import_graphs(failing())
        assert store.count() == 0
        assert leftovers(location) == []
        store.import_graphs(articles(10))
        assert contents(store) == as_quads(list(articles(10)))


def test_a_bad_iri_fails_the_fresh_import_as_a_whole(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with open_store(str(location)) as store:
        with pytest.raises(StoreError) as info:
            store.import_graphs(list(articles(50)) + [("urn:not an iri>", list(articles(1))[0][1])])
        assert "\n" not in str(info.value)
        assert store.count() == 0
    assert leftovers(location) == []


def test_a_read_only_store_refuses_an_import(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    open_store(location).close()
    with open_store(location, read_only=True) as store, pytest.raises(StoreError):
        store.import_graphs(articles(3))


def test_a_killed_fresh_import_leaves_no_store_and_cleans_up(tmp_path: Path) -> None:
    """Killed inside the import, the half-built sibling folder exists; the store does not
    hold any of it, and the next open for writing deletes the sibling."""
    location = tmp_path / "store"
    child = start_child(location, KILLED_IMPORT, "a", pause=1500)
    try:
        wait_for(child, "paused")
        assert any(".import-" in name for name in leftovers(location))
    finally:
        assert kill(child) == -signal.SIGKILL
    with open_store(str(location)) as store:
        assert store.count() == 0
        assert store.named_graphs() == []
    assert leftovers(location) == []


@pytest.mark.parametrize("moment", ["writing", "swapping"])
def test_a_fresh_import_killed_while_writing_is_all_or_nothing(tmp_path: Path, moment: str) -> None:
    """Killed after the stream ended: while the bulk loader writes, or once the swap has
    begun (the replaced empty store shows up beside the store, then the new one is reopened).
    Where exactly the kill lands depends on the machine; the store must be empty or complete
    whichever it was."""
    location = tmp_path / "store"
    child = start_child(location, KILLED_IMPORT, "a", pause=-1)
    try:
        wait_for(child, "streamed")
        while moment == "swapping" and child.poll() is None:
            if any(".replaced-" in name for name in leftovers(location)):
                break
            time.sleep(0.001)
    finally:
        kill(child)
    with open_store(str(location)) as store:
        assert contents(store) in ({}, as_quads(list(articles(KILLED_IMPORT))))
    assert leftovers(location) == []


def test_a_killed_import_into_a_filled_store_keeps_every_article_whole(tmp_path: Path) -> None:
    """The transactional fallback: batches already written hold the new version, the rest
    the old one, and no graph mixes the two."""
    location = tmp_path / "store"
    filled, written = KILLED_IMPORT // 2, CHILD_BATCH
    with open_store(str(location)) as store:
        store.import_graphs(articles(filled, "a"))
    child = start_child(location, KILLED_IMPORT, "b", pause=written + CHILD_BATCH // 2)
    try:
        wait_for(child, "paused")
    finally:
        assert kill(child) == -signal.SIGKILL
    old, new = as_quads(list(articles(filled, "a"))), as_quads(list(articles(written, "b")))
    with open_store(str(location)) as store:
        found = contents(store)
    assert found == old | new


def test_a_replace_with_the_stored_content_or_a_new_spelling_of_it(any_store: Store) -> None:
    """A graph given its stored triples again stays as it is; a non-canonical literal
    ("1.50") differs from the stored "1.5" as terms, is rewritten and reads back canonical."""
    graph, triples = next(articles(1))
    amount = iri("amount", "spelled")
    value = ox.NamedNode(DG + "value")
    spelled = [*triples, ox.Triple(amount, value, ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")))]
    any_store.replace_graphs({graph: spelled})
    expected = contents(any_store)
    assert (str(amount), str(value), '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>') in expected[graph]
    for again in (spelled, spelled, [*triples, ox.Triple(amount, value, ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal")))]):
        any_store.replace_graphs({graph: again})
        assert contents(any_store) == expected
