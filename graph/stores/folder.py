"""Which folders the embedded store may open, and which it may ever replace or delete.

A user's typo (``--store ~``, ``DEALGRAPH_STORE=$HOME``) must never cost a file, and a damaged
store must never be "repaired" by starting afresh over it. So:

* dealgraph writes a marker file (``MARKER``) into every store folder it creates;
* a folder is opened only if it is new, empty, marked, or an unmarked store from before the
  marker existed (only RocksDB's own files, and RocksDB opens it read-only: it is adopted and
  marked on its first writable open); any other non-empty folder is refused untouched;
* before RocksDB opens an existing store for writing (which rewrites its log and manifest
  even on failure), a read-only open, which writes nothing, checks that it is whole; a damaged
  store is reported and left exactly as it was;
* a folder is replaced (the bulk-load swap) or deleted (leftovers of a killed import) only if
  it carries the marker and holds nothing but RocksDB's files and the marker, and deletion
  removes exactly those files, never a folder tree.
"""

from __future__ import annotations

import gc
import os
import re
import secrets
from pathlib import Path

import pyoxigraph as ox

from graph.files import sync_folder, write_atomically
from graph.store import StoreError

MARKER = "dealgraph-store.txt"
NEW = "new"
MARKER_TEMP = re.compile(rf"\.{re.escape(MARKER)}\.\w+\.tmp")
MARKER_TEXT = (
    "This folder is a dealgraph store (pyoxigraph on RocksDB), created by dealgraph.\n"
    "dealgraph only replaces or deletes store folders that carry this file.\n"
)
# RocksDB's own file names, and the SST files pyoxigraph's bulk loader writes before ingesting.
ROCKSDB_FILE = re.compile(
    r"(?:CURRENT|IDENTITY|LOCK|LOG(?:\.old\.\d+)?|MANIFEST-\d+|OPTIONS-\d+(?:\.dbtmp)?|\d+\.(?:sst|log|blob|dbtmp)"
    r"|bulk-\d+\.sst)"
)


def entries(path: Path) -> list[str]:
    try:
        return os.listdir(path)
    except OSError as exc:
        raise StoreError(f"cannot read store folder {path}: {exc.strerror or exc}") from exc


def is_store_file(name: str) -> bool:
    """RocksDB's files, the marker, and the marker's temporary file (a kill while writing it)."""
    return name == MARKER or ROCKSDB_FILE.fullmatch(name) is not None or MARKER_TEMP.fullmatch(name) is not None


def prepare(path: Path, *, writable: bool) -> None:
    """Check a store folder before RocksDB sees it; raise a one-line StoreError otherwise.

    A missing or empty folder becomes a new store when opened for writing (see :func:`create`;
    a fresh account's default store gets its parent folders too)."""
    if not path.exists():
        if writable:
            create(path)
        return
    if not path.is_dir():
        raise StoreError(f"refusing to use {path} as a store: it is not a folder")
    names = entries(path)
    if not names or names == [MARKER]:
        if writable:
            create(path)
        return
    if MARKER not in names and not all(is_store_file(n) for n in names):
        raise StoreError(
            f"refusing to use {path} as a store: the folder is not empty and was not made by dealgraph "
            f"(no {MARKER}); nothing in it was changed. Give a new or empty folder with --store"
        )
    check_whole(path)


def create(path: Path) -> None:
    """Make a new, marked, empty store at ``path`` (missing, or an empty folder) in one rename:
    RocksDB creates it in a marked sibling folder first, so a process killed meanwhile leaves
    no half-made store at the path (it would look damaged), only a sibling that the next
    writable open removes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        building = path.with_name(f".{path.name}.{NEW}-{secrets.token_hex(4)}")
        building.mkdir()
        mark(building)
        made = ox.Store(str(building))
        made.flush()
        del made
        gc.collect()
        if path.is_dir() and entries(path) == [MARKER]:
            os.unlink(path / MARKER)
        os.rename(building, path)  # onto a missing path, or replacing an empty folder
    except OSError as exc:
        raise StoreError(f"cannot create store {path}: {exc.strerror or exc}") from exc
    sync_folder(path.parent)


def check_whole(path: Path) -> None:
    """Open read-only (RocksDB writes nothing in that mode, even when it fails) and read one
    quad: a store with a missing or truncated file fails here, before any write."""
    try:
        probe = ox.Store.read_only(str(path))
        next(iter(probe.quads_for_pattern(None, None, None, None)), None)
    except (OSError, RuntimeError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(
            f"store {path} is damaged and was left untouched ({detail[:200]}); "
            "restore it from a backup, or move it away and ingest again"
        ) from exc
    del probe
    gc.collect()


def mark(path: Path) -> None:
    """Write the marker into a store folder dealgraph opened for writing (new or adopted)."""
    if not (path / MARKER).exists():
        write_atomically(path / MARKER, MARKER_TEXT.encode("utf-8"))


def replaceable(path: Path) -> bool:
    """May this folder be swapped out and deleted? Only if dealgraph made it and it holds
    nothing a user could have put there (the caller has checked that the store is empty)."""
    try:
        names = os.listdir(path)
    except OSError:
        return False
    return MARKER in names and all(is_store_file(n) for n in names)


def remove(path: Path) -> bool:
    """Delete a store folder dealgraph made: its RocksDB files and marker only, then the folder
    if that left it empty. A folder killed before its marker was whole (empty, or holding only
    the marker's temporary file) goes too. Anything else keeps the folder in place."""
    try:
        names = os.listdir(path)
    except OSError:
        return False
    unmarked = all(MARKER_TEMP.fullmatch(n) for n in names)
    if not unmarked and not replaceable(path):
        return False
    for name in os.listdir(path):
        if is_store_file(name):
            try:
                os.unlink(path / name)
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError:
        return False
    return True
