"""Never delete what dealgraph did not create (issue 9, item 1): foreign folders and damaged
stores survive byte for byte and give one line; old stores are adopted; the default store's
parent folder is created; files the CLI writes are replaced whole or not at all."""

from __future__ import annotations

import glob
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.store import StoreError, open_store
from graph.stores.folder import MARKER
from ingest.cli import cli

from reliability_helpers import REPO, snapshot

SAMPLE = str(REPO / "samples" / "en_01_aktobe_ferroalloy.txt")


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


@pytest.fixture
def home_like(tmp_path: Path) -> Path:
    """A folder that looks like a user's home: files, a subfolder, a hidden file."""
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "notes.txt").write_text("do not lose me\n", encoding="utf-8")
    (home / "Documents" / "thesis.tex").write_text("\\documentclass{article}\n", encoding="utf-8")
    (home / ".bashrc").write_text("export PATH\n", encoding="utf-8")
    return home


@pytest.mark.parametrize("how", ["--store", "env"])
def test_foreign_folder_is_refused_and_untouched_by_ingest(home_like: Path, how: str) -> None:
    before = snapshot(home_like)
    if how == "--store":
        result = invoke("ingest", "--store", str(home_like), SAMPLE)
    else:
        result = invoke("ingest", SAMPLE, env={"DEALGRAPH_STORE": str(home_like)})
    assert "not made by dealgraph" in one_line_error(result)
    assert snapshot(home_like) == before


@pytest.mark.parametrize("command", [["stats"], ["query", "ASK {}"], ["export"], ["validate"]])
def test_foreign_folder_is_refused_by_every_reader(home_like: Path, command: list[str]) -> None:
    before = snapshot(home_like)
    one_line_error(invoke(*command, "--store", str(home_like)))
    assert snapshot(home_like) == before


@pytest.mark.parametrize("read_only", [False, True])
def test_foreign_folder_is_refused_by_the_store_api(home_like: Path, read_only: bool) -> None:
    before = snapshot(home_like)
    with pytest.raises(StoreError, match="not made by dealgraph"):
        open_store(str(home_like), read_only=read_only)
    assert snapshot(home_like) == before


def test_a_file_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_text("keep\n", encoding="utf-8")
    one_line_error(invoke("ingest", "--store", str(path), SAMPLE))
    assert path.read_text(encoding="utf-8") == "keep\n"


def made_store(folder: Path) -> Path:
    assert invoke("ingest", "--store", str(folder), SAMPLE).exit_code == 0
    return folder


def damage(store: Path, how: str) -> None:
    if how == "no CURRENT":
        (store / "CURRENT").unlink()
    elif how == "empty CURRENT":
        (store / "CURRENT").write_bytes(b"")
    elif how == "truncated sst":
        biggest = max(glob.glob(str(store / "*.sst")), key=os.path.getsize)
        with open(biggest, "r+b") as handle:
            handle.truncate(os.path.getsize(biggest) // 2)
    elif how == "missing sst":
        os.unlink(max(glob.glob(str(store / "*.sst")), key=os.path.getsize))
    elif how == "missing MANIFEST":
        for manifest in glob.glob(str(store / "MANIFEST-*")):
            os.unlink(manifest)


@pytest.mark.parametrize("how", ["no CURRENT", "empty CURRENT", "truncated sst", "missing sst", "missing MANIFEST"])
def test_damaged_store_is_reported_and_survives_byte_for_byte(tmp_path: Path, how: str) -> None:
    store = made_store(tmp_path / "store")
    damage(store, how)
    before = snapshot(store)
    for _ in range(2):  # the second ingest used to take the "empty store" path and delete it
        assert "damaged" in one_line_error(invoke("ingest", "--store", str(store), SAMPLE))
        assert snapshot(store) == before
    assert "damaged" in one_line_error(invoke("stats", "--store", str(store)))
    with pytest.raises(StoreError, match="damaged"):
        open_store(str(store))
    assert snapshot(store) == before


def test_store_from_before_the_marker_is_adopted_with_its_data(tmp_path: Path) -> None:
    old = tmp_path / "old"
    raw = ox.Store(str(old))  # what dealgraph made before it wrote a marker
    raw.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("kept"), ox.NamedNode("urn:x:g")))
    raw.flush()
    del raw
    assert not (old / MARKER).exists()
    assert invoke("ingest", "--store", str(old), SAMPLE).exit_code == 0
    assert (old / MARKER).exists()
    with open_store(str(old), read_only=True) as store:
        graphs = store.named_graphs()
        assert "urn:x:g" in graphs and sum("/article/" in g for g in graphs) == 1


def test_marked_store_with_a_users_file_is_never_swapped_out(tmp_path: Path) -> None:
    """An empty store that someone put a file into is filled by transactions, not replaced."""
    store = tmp_path / "store"
    open_store(str(store)).close()
    (store / "README.txt").write_text("mine\n", encoding="utf-8")
    assert invoke("ingest", "--store", str(store), SAMPLE).exit_code == 0
    assert (store / "README.txt").read_text(encoding="utf-8") == "mine\n"
    with open_store(str(store), read_only=True) as opened:
        assert sum("/article/" in g for g in opened.named_graphs()) == 1


def test_empty_folder_becomes_a_marked_store(tmp_path: Path) -> None:
    store = tmp_path / "empty"
    store.mkdir()
    assert invoke("ingest", "--store", str(store), SAMPLE).exit_code == 0
    assert (store / MARKER).exists()


def test_default_store_parent_folders_are_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh account: no ~/.local/share yet."""
    monkeypatch.delenv("DEALGRAPH_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "fresh-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fresh-home" / ".local" / "share"))
    result = invoke("ingest", SAMPLE)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fresh-home" / ".local" / "share" / "dealgraph" / "store" / MARKER).exists()


def test_export_replaces_the_old_file_whole(tmp_path: Path) -> None:
    store = made_store(tmp_path / "store")
    target = tmp_path / "out.trig"
    target.write_text("old\n", encoding="utf-8")
    assert invoke("export", "--store", str(store), "-o", str(target)).exit_code == 0
    assert "Ferro" in target.read_text(encoding="utf-8") or "ferro" in target.read_text(encoding="utf-8").lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.trig", "store"]  # no temporary file left


def test_export_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    store = made_store(tmp_path / "store")
    one_line_error(invoke("export", "--store", str(store), "-o", str(tmp_path / "no" / "such" / "out.trig")))
