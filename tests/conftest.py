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
