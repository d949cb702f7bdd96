"""Store fixtures: every backend behind one parametrised fixture, and a real Oxigraph server
started by the tests themselves (no network beyond 127.0.0.1)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
import uvicorn
from starlette.types import ASGIApp

from graph.store import Store, open_store

_STARTUP_TIMEOUT_S = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_executable() -> str | None:
    """The server CLI installed next to this interpreter (the venv), else one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def wait_until_ready(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll until the URL answers; fail early with the server's own words if it died."""
    deadline = time.monotonic() + _STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            pytest.fail(f"server exited with {process.returncode}: {err.strip()[:500]}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.05)
    pytest.fail(f"server at {url} not ready after {_STARTUP_TIMEOUT_S:g} s")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Query URL of a fresh `oxigraph serve` on a free loopback port, deliberately started
    WITHOUT --union-default-graph: the remote store must cope on its own."""
    exe = oxigraph_executable()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph server CLI is not installed (pip install oxigraph)")
        pytest.skip("the oxigraph server CLI is not installed (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(f"{base}/query?query=ASK%7B%7D", process)
        yield f"{base}/query"
    finally:
        stop(process)


@pytest.fixture
def oxigraph_exe() -> str:
    """Path of the oxigraph server CLI, for tests that start a server of their own."""
    exe = oxigraph_executable()
    if exe is None:
        pytest.skip("the oxigraph server CLI is not installed (pip install oxigraph)")
    return exe


@pytest.fixture
def unused_port() -> int:
    return free_port()


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def start_process() -> Iterator[Callable[[list[str], str], subprocess.Popen[bytes]]]:
    """Start a server process, wait until ``ready_url`` answers, stop it after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start(command: list[str], ready_url: str) -> subprocess.Popen[bytes]:
        repo = Path(__file__).resolve().parents[2]
        process = subprocess.Popen(
            command,
            cwd=repo,
            env={**os.environ, "PYTHONPATH": str(repo)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        wait_until_ready(ready_url, process)
        return process

    yield start
    for process in started:
        stop(process)


@pytest.fixture(scope="session")
def start_app() -> Iterator[Callable[[ASGIApp], str]]:
    """Serve an ASGI app with real uvicorn on a free loopback port, in a background thread;
    returns its base URL. Every app started this way stops at the end of the session."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: ASGIApp) -> str:
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread))
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail(f"uvicorn did not start on 127.0.0.1:{port}")
            time.sleep(0.02)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, _ in running:
        server.should_exit = True
    for _, thread in running:
        thread.join(timeout=10)


def clear_server(query_url: str) -> None:
    update_url = query_url.rsplit("/", 1)[0] + "/update"
    response = requests.post(
        update_url, data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}, timeout=30
    )
    response.raise_for_status()


@pytest.fixture
def remote_store(oxigraph_server: str) -> Iterator[Store]:
    from graph.stores.remote import RemoteStore

    clear_server(oxigraph_server)
    store = RemoteStore(oxigraph_server)
    yield store
    store.close()
    clear_server(oxigraph_server)


@pytest.fixture(
    params=["embedded", "memory", pytest.param("remote", marks=pytest.mark.remote)],
)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store of each backend in turn: the contract tests run on all three."""
    if request.param == "remote":
        yield request.getfixturevalue("remote_store")
        return
    store = open_store(str(tmp_path / "store") if request.param == "embedded" else ":memory:")
    yield store
    store.close()


@pytest.fixture
def sample_store(any_store: Store, sample_graphs: dict[str, list]) -> Store:
    """Every backend in turn, holding the sample articles."""
    any_store.import_graphs(sample_graphs.items())
    return any_store
