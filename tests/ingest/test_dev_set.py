"""Extraction quality on the project's own annotated development set (tests/data/dev).

The floors sit just under the levels reached (dev micro F1 0.855 on 36 articles, same-deal
pair 0.981, bundled samples 0.862); a change that lowers them fails here. Raise them as
extraction improves. The dev set is what the rules were tuned on; tests/data/heldout (micro F1
0.675 when first scored) is not, and must not become so: fix what it shows with new dev articles.
The same holds for tests/data/heldout2 (0.7285 when first scored)."""

from pathlib import Path

import pytest

from ingest.cli import evaluate_dir
DATA = Path(__file__).resolve().parent.parent / "data"

FLOORS = {
    "dev": (DATA / "dev", DATA / "dev" / "gold.jsonl", 0.85),
    "same_deal": (DATA / "same_deal", DATA / "same_deal" / "gold.jsonl", 0.97),
    "samples": (DATA.parent.parent / "samples", DATA / "samples_gold.jsonl", 0.85),
    # Written after the rules were tuned and never used to tune them: the honest figure (0.675).
    "heldout": (DATA / "heldout", DATA / "heldout" / "gold.jsonl", 0.66),
    # Written and committed before it was first scored (0.7285 then), never tuned on: a floor
    # 0.10 below that level, so it catches a collapse, not noise.
    "heldout2": (DATA / "heldout2", DATA / "heldout2" / "gold.jsonl", 0.60),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_micro_f1_does_not_drop_below_the_recorded_level(name: str) -> None:
    folder, gold, floor = FLOORS[name]
    result = evaluate_dir(Path(folder), Path(gold))
    assert result["micro"]["f1"] >= floor, result["micro"]
