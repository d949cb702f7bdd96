"""kill -9 of a real `dealgraph ingest` at many random points leaves whole articles only and a
usable store; a killed `-j 2` ingest leaves no worker behind (issue 9, items 1 and 3).

Starting the CLI costs seconds of imports, so the many kills go to ingests forked from one
warmed-up process (the same ``dealgraph`` entry point, called in the forked child): each kill
costs only the ingest itself. The worker test runs the installed CLI as a plain subprocess."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import open_store

from reliability_helpers import REPO, counts_read_only, english_article, expected_counts, write_articles

FORKING_CLI = r"""
import json, os, signal, sys, time
from ingest.cli import cli
from ingest.pipeline import analyse
from ingest.read import read_paths
for article in read_paths(sys.argv[1:]):
    analyse(article)  # warm up: vocabularies, compiled patterns
print("ready", flush=True)
for line in sys.stdin:
    order = json.loads(line)
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            cli.main(args=order["args"], prog_name="dealgraph")
        except SystemExit as done:
            os._exit(done.code if isinstance(done.code, int) else 1)
        os._exit(0)
    started = time.monotonic()
    if order["delay"] is not None:
        time.sleep(order["delay"])
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"killed": os.WIFSIGNALED(status), "code": os.waitstatus_to_exitcode(status),
                      "seconds": time.monotonic() - started}), flush=True)
"""

ARTICLES = 16
BATCH = 2
FRESH_KILLS = 6
USED_KILLS = 14


@pytest.fixture
def forking_cli(tmp_path: Path) -> Iterator:
    warm = write_articles(tmp_path / "warm", 1)
    process = subprocess.Popen([sys.executable, "-c", FORKING_CLI, str(warm)], cwd=REPO, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.stdout.readline().strip() == "ready"

    def run(args: list[str], delay: float | None) -> dict:
        process.stdin.write(json.dumps({"args": args, "delay": delay}) + "\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    yield run
    process.stdin.close()
    process.wait(timeout=60)


def check_whole(store: Path, expected: dict[str, int], seeded: dict[str, int]) -> int:
    """Every graph in the store is one whole article; returns how many articles it holds."""
    counts = counts_read_only(store)
    for graph, count in counts.items():
        assert count == {**expected, **seeded}[graph], f"{graph}: {count} triples, a part of an article"
    assert set(seeded) <= set(counts), "an article written before the kill was lost"
    return sum(1 for g in counts if g in expected)


def test_kill_9_at_random_points_leaves_whole_articles(tmp_path: Path, forking_cli) -> None:
    corpus = write_articles(tmp_path / "corpus", ARTICLES)
    expected = expected_counts(corpus)
    seed_folder = tmp_path / "seed"
    seed_folder.mkdir()
    (seed_folder / "seed.txt").write_text("Pavlodar Region hosted a forum on 2 May 2024.\n", encoding="utf-8")
    seeded = expected_counts(seed_folder)
    rng = random.Random(9)
    used = tmp_path / "used"
    assert forking_cli(["ingest", "--store", str(used), str(seed_folder)], None)["code"] == 0
    full = forking_cli(["ingest", "--store", str(tmp_path / "timing"), "--batch-size", str(BATCH), str(corpus)], None)
    assert full["code"] == 0
    kills = {"fresh": 0, "used": 0}
    fresh_stores: list[Path] = []
    for attempt in range(3 * (FRESH_KILLS + USED_KILLS)):  # a run that ends before its kill is no kill
        fresh = kills["fresh"] < FRESH_KILLS  # an empty store takes the bulk-load path, a used one batches
        if not fresh and kills["used"] >= USED_KILLS:
            break
        store = tmp_path / f"fresh{attempt}" if fresh else used
        fresh_stores += [store] if fresh else []
        outcome = forking_cli(["ingest", "--store", str(store), "--batch-size", str(BATCH), str(corpus)],
                              rng.uniform(0.0, full["seconds"]))
        kills["fresh" if fresh else "used"] += outcome["killed"]
        held = check_whole(store, expected, {} if fresh else seeded) if store.exists() else 0
        if fresh:
            assert held in (0, ARTICLES), "a bulk load is all or nothing"
    assert kills == {"fresh": FRESH_KILLS, "used": USED_KILLS}, f"too few runs were killed mid-way: {kills}"
    assert forking_cli(["ingest", "--store", str(used), "--batch-size", str(BATCH), str(corpus)], None)["code"] == 0
    assert check_whole(used, expected, seeded) == ARTICLES
    for store in fresh_stores:  # the next writable open clears what a killed import or creation left
        open_store(str(store)).close()
    leftovers = [p.name for p in tmp_path.iterdir() if any(f".{k}-" in p.name for k in ("import", "replaced", "new"))]
    assert not leftovers, "a killed import left a folder behind"


def children_of(parent: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the workers")
def test_killed_parallel_ingest_leaves_no_workers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(60):
        (corpus / f"a{number:03}.txt").write_text(english_article(number) * 20, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", "from ingest.cli import main; main()", "ingest", "-j", "2",
                                "--store", str(tmp_path / "store"), str(corpus)],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
        workers |= children_of(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the ingest never started its two workers"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = [pid for pid in workers if alive(pid)]
    for pid in orphans:  # do not leave them running when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not orphans, f"workers {orphans} outlived their killed parent"
