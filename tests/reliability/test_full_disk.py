"""A disk that fills up mid-write: a tiny tmpfs (issue 9, items 1 and 6). The store keeps
exactly what it held and the user gets one line; an export keeps the old file.

Mounting needs root (or CAP_SYS_ADMIN); elsewhere these tests skip and say why."""

from __future__ import annotations

import base64
import gc
import os
import random
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.store import open_store
from ingest.cli import cli

from reliability_helpers import REPO, counts_read_only, snapshot, write_jsonl

SAMPLE = str(REPO / "samples" / "en_01_aktobe_ferroalloy.txt")
HUGE_TITLE = 700_000  # bytes of title per article: cheap to extract, heavy to store


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        point = tmp_path / f"tmpfs-{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({(done.stderr or 'not permitted').strip()[:120]})")
        mounted.append(point)
        return point

    if os.name != "posix" or not Path("/proc/mounts").exists():
        pytest.skip("tmpfs needs Linux")
    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def heavy_batch(folder: Path, count: int) -> Path:
    """Articles whose titles alone outgrow the tmpfs (random, so compression cannot help)."""
    rng = random.Random(count)
    return write_jsonl(folder / f"heavy-{uuid.uuid4().hex[:6]}.jsonl", [
        {"text": f"Aktobe Region signed an agreement with Sumec Group, report {n}.",
         "title": base64.b85encode(rng.randbytes(HUGE_TITLE * 4 // 5)).decode("ascii")}
        for n in range(count)])


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in result.output, result.output
    return errors[0]


def test_disk_full_mid_ingest_leaves_a_used_store_unchanged(tmpfs, tmp_path: Path) -> None:
    disk = tmpfs("3m")
    store = disk / "store"
    assert CliRunner().invoke(cli, ["ingest", "--store", str(store), SAMPLE]).exit_code == 0
    before = counts_read_only(store)
    batch = heavy_batch(tmp_path, 4)
    result = CliRunner().invoke(cli, ["ingest", "--store", str(store), "--batch-size", "100", str(batch)])
    assert "No space left" in one_line_error(result)
    del result  # its traceback holds the failed write's RocksDB handle (a real process has exited)
    gc.collect()
    assert counts_read_only(store) == before


def test_disk_full_while_bulk_loading_a_fresh_store_leaves_it_empty(tmpfs, tmp_path: Path) -> None:
    disk = tmpfs("2m")
    store = disk / "store"
    result = CliRunner().invoke(cli, ["ingest", "--store", str(store), str(heavy_batch(tmp_path, 6))])
    assert "No space left" in one_line_error(result)
    with open_store(str(store), read_only=True) as opened:
        assert opened.named_graphs() == []
    assert sorted(p.name for p in disk.iterdir()) == ["store"], "the folder built aside was not removed"


def test_export_onto_a_full_disk_keeps_the_old_file(tmpfs, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert CliRunner().invoke(cli, ["ingest", "--store", str(store), SAMPLE]).exit_code == 0
    disk = tmpfs("1m")
    target = disk / "graph.nq"
    old = b"<urn:x:s> <urn:x:p> \"the good old export\" <urn:x:g> .\n" * 2000
    target.write_bytes(old)
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # the disk is full now
        pass
    finally:
        os.close(fd)
    before = snapshot(disk)
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "--format", "nq", "-o", str(target)])
    assert "No space left" in one_line_error(result)
    assert target.read_bytes() == old
    assert snapshot(disk) == before, "a temporary file was left behind"
