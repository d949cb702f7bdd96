"""One store folder, many processes (issue 9): the app, `dealgraph serve` and `dealgraph
ingest` on one folder at the same time, readers seeing new articles within seconds, the
folder handed over when its owner exits, and the upload-during-query race."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from graph import query
from graph.index import load_index
from graph.store import Store, StoreError, open_store
from graph.stores.owner import SharedStore, endpoint_path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
COUNT_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
DEALGRAPH = [sys.executable, "-c", "from ingest.cli import main; main()"]


def samples(tmp_path: Path, names: list[str], folder: str) -> Path:
    target = tmp_path / folder
    target.mkdir()
    for name in names:
        shutil.copy(SAMPLES / name, target / name)
    return target


@pytest.fixture
def ingest() -> Iterator[Callable[[Path, Path], subprocess.Popen[bytes]]]:
    """Start `dealgraph ingest` processes; any still running after the test is killed."""
    started: list[subprocess.Popen[bytes]] = []

    def start(store: Path, source: Path) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([*DEALGRAPH, "ingest", "--store", str(store), str(source)], cwd=REPO,
                                   env={**os.environ, "PYTHONPATH": str(REPO)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def finish(process: subprocess.Popen[bytes]) -> str:
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode(errors="replace")
    return err.decode(errors="replace")


def graphs_via(endpoint: str) -> int:
    response = requests.post(endpoint, data={"query": COUNT_GRAPHS}, timeout=60)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the condition did not come true in time")
        time.sleep(0.1)


def test_ingests_serve_and_the_app_index_share_one_folder(
    tmp_path: Path, unused_port: int, start_process: Callable[[list[str], str], subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch, ingest: Callable[[Path, Path], subprocess.Popen[bytes]],
) -> None:
    """Every pair at once: a first ingest owns the folder; serve joins it (serve while ingest
    runs); a second ingest starts beside both (ingest while serve runs, two ingests); the app's
    process loads its index meanwhile. When the ingests leave, serve takes the folder over and
    answers with every article."""
    monkeypatch.setenv("DEALGRAPH_QUERY_WORKERS", "2")
    location = tmp_path / "store"
    first = ingest(location, samples(tmp_path, ["kk_01_aktobe_ferroalloy.txt", "ru_01_aktobe_ferroalloy.txt"], "a"))
    wait_for(lambda: endpoint_path(location).exists() or first.poll() is not None)
    assert first.poll() is None, "the first ingest should still own the folder"
    base = f"http://127.0.0.1:{unused_port}"
    server = start_process([*DEALGRAPH, "serve", "--store", str(location), "--port", str(unused_port)], base + "/health")
    endpoint = base + "/sparql"
    graphs_via(endpoint)  # answered while the ingest owns the folder
    second = ingest(location, samples(tmp_path, ["en_02_turkistan_textile.txt", "ru_02_pavlodar_aluminium.txt"], "b"))
    with open_store(str(location), read_only=True) as app_store:  # the app's process: a client too
        assert isinstance(app_store, SharedStore) and not app_store.is_owner
        while first.poll() is None or second.poll() is None:
            load_index(app_store)
            time.sleep(0.2)
        index = load_index(app_store)
    finish(first)
    finish(second)
    assert index.nodes
    wait_for(lambda: graphs_via(endpoint) >= 4, seconds=10)  # all four articles, within seconds
    assert json.loads(endpoint_path(location).read_text())["pid"] == server.pid  # serve took the folder over
    assert stat.S_IMODE(endpoint_path(location).stat().st_mode) == 0o600  # its token: the user's eyes only


def test_a_client_takes_over_when_the_owner_is_killed(tmp_path: Path) -> None:
    location = tmp_path / "store"
    owner = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from graph.store import open_store; s = open_store(sys.argv[1]); "
         "s.replace_graphs({'urn:x:g': []}); print('ready', flush=True); time.sleep(600)", str(location)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
    )
    try:
        assert owner.stdout is not None and owner.stdout.readline().strip() == b"ready"
        with open_store(str(location)) as client:
            assert isinstance(client, SharedStore) and not client.is_owner
            client.replace_graphs({"urn:x:a": [ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("1"))]})
            owner.send_signal(signal.SIGKILL)
            owner.wait()
            client.replace_graphs({"urn:x:b": [ox.Triple(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.Literal("2"))]})
            assert client.is_owner
            assert client.named_graphs() == ["urn:x:a", "urn:x:b"]
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()


def test_the_owner_endpoint_wants_its_token(tmp_path: Path) -> None:
    location = tmp_path / "store"
    with open_store(str(location)):
        info = json.loads(endpoint_path(location).read_text())
        assert info["url"].startswith("http://127.0.0.1:")
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            response = requests.post(info["url"] + "/query", json={"query": "ASK {}"}, headers=headers, timeout=10)
            assert response.status_code == 403
        right = {"Authorization": f"Bearer {info['token']}"}
        assert requests.post(info["url"] + "/query", json={"query": "ASK {}"}, headers=right, timeout=10).ok


def test_two_openers_in_one_process_share_the_owner(tmp_path: Path) -> None:
    location = str(tmp_path / "store")
    with open_store(location) as first, open_store(location, read_only=True) as second:
        first.replace_graphs({"urn:x:a": [ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("1"))]})
        assert second.named_graphs() == ["urn:x:a"]
        with pytest.raises(StoreError, match="read-only"):
            second.replace_graphs({"urn:x:b": []})
    assert not endpoint_path(Path(location).resolve()).exists()


def test_the_first_upload_during_a_console_query_neither_fails_nor_corrupts(tmp_path: Path) -> None:
    """The issue's race: one user's console query runs while another user's first upload
    bulk-loads the empty store (which swaps the folder). Before: a false "in use" error and a
    corrupted store, 3 runs of 3."""
    from ingest.pipeline import ingest_uploaded

    location = str(tmp_path / "store")
    store: Store = open_store(location)
    stop = threading.Event()
    console_errors: list[BaseException] = []

    def console_user() -> None:
        while not stop.is_set():
            try:
                query.run_console(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }", time_limit_s=2)
                store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 5")  # the app's own reads too
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                console_errors.append(exc)
                return

    users = [threading.Thread(target=console_user) for _ in range(2)]
    for user in users:
        user.start()
    try:
        text = (SAMPLES / "en_01_aktobe_ferroalloy.txt").read_bytes()
        report = ingest_uploaded(store, "en_01_aktobe_ferroalloy.txt", text)
    finally:
        stop.set()
        for user in users:
            user.join()
    assert report["articles"] == 1 and not report["errors"]
    assert console_errors == []
    graphs = store.named_graphs()
    store.close()
    with open_store(location) as reopened:
        assert reopened.named_graphs() == graphs
        assert reopened.count() > 0
        assert query.run_console(reopened, "ASK { ?s ?p ?o }").boolean is True
