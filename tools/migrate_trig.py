"""Migrate a TriG dump written by an older dealgraph to the current store shape, keeping its
article graphs (the extraction) as they are.

tests/data/samples_store.trig is a frozen ingest of samples/, so that the documented examples
keep exact counts while extraction improves; when the *storage* shape changes (here: resolution
as judgements and the reviewed graph the named queries read), it is migrated the way an older
store is migrated on open (graph/migrate.py), not re-extracted:

    python tools/migrate_trig.py tests/data/samples_store.trig

The `#` header lines are kept; a line saying what was migrated and when is added after them.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from graph import migrate
from graph.store import open_store


def main(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "store")) as store:
        store.import_graphs(graphs.items())
        migrate.upgrade(store)
        dumped = store.dump(ox.RdfFormat.TRIG).decode("utf-8")
    note = f"# Migrated {dt.date.today().isoformat()} by tools/migrate_trig.py (graph/migrate.py): the extraction kept, its merge records made judgements."
    path.write_text("\n".join([*header, *([note] if note not in header else []), dumped]), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
