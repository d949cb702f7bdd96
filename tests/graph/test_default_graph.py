"""A store written before the default graph was maintained (named graphs only) is upgraded."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.store import StoreError, open_store
from graph.stores.embedded import EmbeddedStore
from ingest.cli import cli

G1 = ox.NamedNode("https://w3id.org/dealgraph/article/0000000000000001")
G2 = ox.NamedNode("https://w3id.org/dealgraph/article/0000000000000002")
FACT = ox.Triple(ox.NamedNode("https://w3id.org/dealgraph/id/x"), ox.NamedNode("https://w3id.org/dealgraph/ontology#party"),
                 ox.NamedNode("https://w3id.org/dealgraph/id/y"))


def old_store(path: Path) -> str:
    raw = ox.Store(str(path))
    raw.extend([ox.Quad(*FACT, G1), ox.Quad(*FACT, G2)])
    raw.flush()
    del raw
    return str(path)


def test_a_read_only_embedded_handle_says_to_reindex_and_reindex_fills_the_default_graph(tmp_path: Path) -> None:
    """A raw read-only handle cannot upgrade (dealgraph's own readers go through the folder's
    owner, which opens it for writing and upgrades it, as the next test shows)."""
    location = old_store(tmp_path / "store")
    with pytest.raises(StoreError, match="dealgraph reindex"):
        EmbeddedStore(location, read_only=True)
    result = CliRunner().invoke(cli, ["reindex", "--store", location])
    assert result.exit_code == 0, result.output
    with open_store(location, read_only=True) as store:
        assert store.facts() == 1 and store.count() == 2


def test_opening_for_writing_upgrades_on_its_own(tmp_path: Path) -> None:
    with open_store(old_store(tmp_path / "store")) as store:
        assert [r["s"] for r in store.query("SELECT ?s WHERE { ?s ?p ?o }")] == [FACT.subject]
