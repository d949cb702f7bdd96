"""The seed article end to end: F1 1.00 in every kind, through the store round trip."""

from pathlib import Path

from ingest.cli import evaluate_dir


def test_seed_scores_one_in_every_kind(seed_dir: Path, seed_gold: Path) -> None:
    result = evaluate_dir(seed_dir, seed_gold)
    assert result["micro"]["f1"] == 1.0
    assert {kind: s["f1"] for kind, s in result["per_kind"].items() if s["f1"] != 1.0} == {}
    assert result["per_kind"]["agreements.amount"]["tp"] == 1
