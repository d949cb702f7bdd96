"""Shared test fixtures: where ../shared is, and skipping (or failing in CI) without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skip when it is missing on a user's clone, fail in CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing in CI: the shared data must be laid beside the clone")
        pytest.skip(f"{path} not found (a user's clone has no ../shared)")
    return path


@pytest.fixture
def seed_dir() -> Path:
    return shared_path("seed")


@pytest.fixture
def seed_gold() -> Path:
    return shared_path("eval", "seed_gold.jsonl")


SAMPLES_STORE = DATA / "samples_store.trig"


@pytest.fixture(scope="session")
def sample_graphs() -> dict[str, list]:
    """The bundled sample articles as dealgraph ingested them (a frozen snapshot, see the
    file's header), as {graph IRI: triples}: the project's own data behind the exact counts
    of the documented examples."""
    import pyoxigraph as ox

    graphs: dict[str, list] = {}
    for quad in ox.parse(path=str(SAMPLES_STORE), format=ox.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return graphs


@pytest.fixture
def field_dir() -> Path:
    """The field set (../shared/field): articles rewritten from real reports, with gold."""
    return shared_path("field")
