"""Exact-span NER scoring, conlleval style: a predicted span counts only when its start, end
and label all equal a gold span."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

Span = tuple[int, int, str]


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if not fp else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4)}


def score_spans(
    pairs: Iterable[tuple[set[Span], set[Span]]], labels: Iterable[str]
) -> dict[str, dict]:
    """Score (gold, predicted) span sets per document or sentence over the given labels."""
    wanted = set(labels)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, pred in pairs:
        gold = {s for s in gold if s[2] in wanted}
        pred = {s for s in pred if s[2] in wanted}
        for span in gold & pred:
            tp[span[2]] += 1
        for span in pred - gold:
            fp[span[2]] += 1
        for span in gold - pred:
            fn[span[2]] += 1
    per_class = {label: prf(tp[label], fp[label], fn[label]) for label in sorted(wanted)}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {"per_class": per_class, "micro": micro}
