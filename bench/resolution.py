"""Measure the similarity threshold used by ingest/resolve.py on the dev set's names.

True pairs: a gold entity's name and each of its aliases in another script or spelling with the
same number of words ("Sumec" / "Сумек"; translations such as "БРК" / "Development Bank of
Kazakhstan" are not spelling variants and are left out). Distinct pairs: names of different gold entities of the same kind.
Prints the score distribution on phonetic keys, so THRESHOLD sits between the two.
Run: .venv/bin/python bench/resolution.py
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from rapidfuzz import fuzz

from ingest.keys import name_key, org_key
from ingest.resolve import THRESHOLD, phonetic

ROOT = Path(__file__).resolve().parent.parent
GOLDS = [ROOT / "tests/data/dev/gold.jsonl", ROOT / "tests/data/same_deal/gold.jsonl", ROOT / "tests/data/samples_gold.jsonl"]
KINDS = {"officials": name_key, "companies": org_key, "organizations": org_key}


def main() -> None:
    entities: dict[str, dict[str, set[str]]] = {kind: {} for kind in KINDS}
    for gold in GOLDS:
        for line in gold.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for kind, key in KINDS.items():
                for e in record.get(kind) or []:
                    names = {key(e["name"]), *(key(a) for a in e.get("aliases", []))}
                    canonical = next((c for c, known in entities[kind].items() if known & names), key(e["name"]))
                    entities[kind].setdefault(canonical, set()).update(names)
    true_scores, false_scores = [], []
    for kind, groups in entities.items():
        for names in groups.values():
            for a, b in itertools.combinations(sorted(names), 2):
                if len(a.split()) != len(b.split()):
                    continue  # translations and abbreviations are not spelling variants
                true_scores.append((fuzz.ratio(phonetic(a), phonetic(b)), kind, a, b))
        for (_, x), (_, y) in itertools.combinations(groups.items(), 2):
            a, b = sorted(x)[0], sorted(y)[0]
            if phonetic(a)[:1] == phonetic(b)[:1] and len(a.split()) == len(b.split()):
                false_scores.append((fuzz.ratio(phonetic(a), phonetic(b)), kind, a, b))
    true_scores.sort()
    false_scores.sort(reverse=True)
    print(f"threshold in ingest/resolve.py: {THRESHOLD}")
    print(f"same-entity pairs: {len(true_scores)}; lowest scores:")
    for row in true_scores[:8]:
        print(f"  {row[0]:6.1f}  {row[1]:<13} {row[2]} ~ {row[3]}")
    print(f"distinct-entity pairs (same first letter and length in words): {len(false_scores)}; highest scores:")
    for row in false_scores[:8]:
        print(f"  {row[0]:6.1f}  {row[1]:<13} {row[2]} ~ {row[3]}")
    above = sum(1 for s in true_scores if s[0] >= THRESHOLD)
    wrong = sum(1 for s in false_scores if s[0] >= THRESHOLD)
    print(f"at {THRESHOLD}: {above}/{len(true_scores)} same-entity pairs merge, {wrong}/{len(false_scores)} distinct pairs merge")


if __name__ == "__main__":
    main()
