"""`streamlit run app.py` as `make run` starts it listens on the loopback interface only:
the viewer has no authentication (issue 9: it served `*:8501`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from graph.store import ENV_VAR

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_app_listens_on_loopback_only(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, ENV_VAR: str(tmp_path / "store")}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "streamlit exited"
            try:
                if requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).text == "ok":
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not answer /_stcore/health")
            time.sleep(0.1)
        listening = {c.laddr.ip for c in psutil.Process(process.pid).net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
        assert listening == {"127.0.0.1"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
