"""Train the party-assignment model (ingest/parties.py) and write its weights as JSON.

Training data: the development set (tests/data/dev, 60 articles + gold.jsonl) and field articles
f01-f08 of every language (../shared/field, read through its gold.jsonl). Field f09-f12 are the
final test part: their records are refused here, before any text is read. Without ../shared the
field part is skipped with one line and the model is trained on the dev set alone.

Each article runs through the normal pipeline with the rules alone deciding; every candidate
(agreement trigger sentence, mention) that the party rules were shown is recorded with its
features. A candidate is positive when one of its entity's spellings matches a party of a gold
agreement of that article by evaluate's name matching (FORMAT.md aliases included).

The threshold is chosen on out-of-fold probabilities (grouped folds: one article never sits in
training and test at once), and the cross-validated figures are written into the model file
beside the weights. Then the model is fitted on all candidates.

    python -m ingest.models.train_party_model            # writes ingest/models/party_model.json
    python -m ingest.models.train_party_model --out /tmp/m.json --limit 10

Needs scikit-learn (the `train` extra of pyproject.toml); extraction itself reads the JSON only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "data" / "dev"
FIELD = ROOT.parent / "shared" / "field"
OUT = Path(__file__).resolve().parent / "party_model.json"
FIELD_TRAIN_PARTS = range(1, 9)  # f01-f08; f09-f12 are the final test part
C = 1.0
FOLDS = 10


def field_part(file: str) -> int | None:
    found = re.search(r"(?:^|/)f(\d+)_", file)
    return int(found.group(1)) if found else None


def refuse_test_part(file: str) -> None:
    """Field f09-f12 must never reach training: one clear error, raised before the text is read."""
    part = field_part(file)
    if part is None or part not in FIELD_TRAIN_PARTS:
        raise ValueError(f"{file}: only field f01-f08 may be trained on (f09-f12 are the final test part)")


def records(gold_file: Path, field: bool) -> Iterator[tuple[dict, Path]]:
    """(gold record, article path) of a gold file; for the field set only f01-f08."""
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        if field:
            part = field_part(gold["file"])
            if part is None or part not in FIELD_TRAIN_PARTS:
                continue  # the final test part: skipped unread
            refuse_test_part(gold["file"])
        yield gold, gold_file.parent / gold["file"]


def candidates_of(gold: dict, path: Path) -> list[dict]:
    """The article's recorded party candidates, each with its label and group."""
    from ingest import parties, pipeline, read
    from ingest.evaluate import Names

    items = [i for i in read.read_paths([str(path)]) if not isinstance(i, read.Failure)]
    if len(items) != 1:
        raise ValueError(f"{path}: expected one readable article")
    with parties.recording() as found:
        pipeline.analyse(items[0])
    names = Names(gold)
    agreements = [[p for p in a.get("parties") or [] if p] for a in gold.get("agreements") or []]
    seen: set[str] = set()
    rows = []
    calls: dict[int, list[dict]] = {}
    for c in found:
        calls.setdefault(c["call"], []).append(c)
    for shown in calls.values():
        parties = _signing(shown, agreements, names)
        for c in shown:
            key = json.dumps([c["sentence"], c["ref"], c["features"]], sort_keys=True)
            if key in seen:
                continue  # the rules read some sentences twice
            seen.add(key)
            label = any(names.same(g, n) for g in parties for n in c["names"])
            rows.append({"group": gold["file"], "features": c["features"], "label": int(label), "ref": c["ref"]})
    return rows


def _signing(shown: list[dict], agreements: list[list[str]], names: "Names") -> list[str]:
    """The gold parties a sentence's candidates are labelled by: those of the gold agreement(s)
    that share most entities with the candidates, so a region that signs another document of
    the article is not a party of this one."""
    def overlap(parties: list[str]) -> int:
        return len({c["ref"] for c in shown for g in parties if any(names.same(g, n) for n in c["names"])})

    scored = [(overlap(parties), parties) for parties in agreements]
    best = max((s for s, _ in scored), default=0)
    return [p for s, parties in scored if s == best and best > 0 for p in parties]


def collect(dev: Path, field: Path, limit: int | None) -> tuple[list[dict], dict]:
    sources = [(dev / "gold.jsonl", False)]
    if (field / "gold.jsonl").is_file():
        sources.append((field / "gold.jsonl", True))
    else:
        print(f"skipped field f01-f08: {field} not found (training on the dev set alone)")
    rows: list[dict] = []
    counts: dict[str, int] = {}
    for gold_file, is_field in sources:
        taken = 0
        for gold, path in records(gold_file, is_field):
            if limit is not None and taken >= limit:
                break
            rows += [dict(r, group=("field/" if is_field else "dev/") + r["group"]) for r in candidates_of(gold, path)]
            taken += 1
        counts["field f01-f08" if is_field else "dev"] = taken
    return rows, counts


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def figures(labels: list[int], chosen: list[bool]) -> dict:
    tp = sum(1 for y, c in zip(labels, chosen) if y and c)
    fp = sum(1 for y, c in zip(labels, chosen) if not y and c)
    fn = sum(1 for y, c in zip(labels, chosen) if y and not c)
    return prf(tp, fp, fn)


def train(rows: list[dict], folds: int = FOLDS, c: float = C) -> dict:
    """Out-of-fold threshold and figures, then the fit on everything, as the model's JSON."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    labels = [r["label"] for r in rows]
    groups = [r["group"] for r in rows]
    if len(set(labels)) < 2:
        raise ValueError("the candidates hold only one class: nothing to learn")
    vectorizer = DictVectorizer(sparse=False)
    matrix = vectorizer.fit_transform([r["features"] for r in rows])
    n_folds = min(folds, len(set(groups)))
    out_of_fold = [0.0] * len(rows)
    for train_idx, test_idx in GroupKFold(n_splits=n_folds).split(matrix, labels, groups):
        fold_labels = [labels[i] for i in train_idx]
        if len(set(fold_labels)) < 2:
            continue
        model = LogisticRegression(C=c, max_iter=1000).fit(matrix[train_idx], fold_labels)
        for i, p in zip(test_idx, model.predict_proba(matrix[test_idx])[:, 1]):
            out_of_fold[i] = float(p)
    def f1_at(t: float) -> float:
        return figures(labels, [p >= t for p in out_of_fold])["f1"]

    # the middle of the best plateau: F1 averaged over neighbouring thresholds, so one
    # candidate's probability does not decide it
    thresholds = [t / 100 for t in range(30, 71, 2)]
    best = max(thresholds, key=lambda t: (sum(f1_at(t + d / 100) for d in (-4, -2, 0, 2, 4)), -abs(t - 0.5)))
    per_lang = {}
    for lang in sorted({g.split("/")[1] for g in groups}):
        own = [i for i, g in enumerate(groups) if g.split("/")[1] == lang]
        per_lang[lang] = {"model": figures([labels[i] for i in own], [out_of_fold[i] >= best for i in own]),
                          "rules_alone": figures([labels[i] for i in own], [bool(rows[i]["features"].get("rule")) for i in own])}
    transfer = None  # trained on the dev set alone, scored on field f01-f08: text nobody here wrote
    dev = [i for i, g in enumerate(groups) if g.startswith("dev/")]
    field = [i for i, g in enumerate(groups) if g.startswith("field/")]
    if dev and field and len({labels[i] for i in dev}) == 2:
        on_dev = LogisticRegression(C=c, max_iter=1000).fit(matrix[dev], [labels[i] for i in dev])
        field_labels = [labels[i] for i in field]
        transfer = {"model": figures(field_labels, [p >= best for p in on_dev.predict_proba(matrix[field])[:, 1]]),
                    "rules_alone": figures(field_labels, [bool(rows[i]["features"].get("rule")) for i in field])}
    final = LogisticRegression(C=c, max_iter=1000).fit(matrix, labels)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.feature_names_, final.coef_[0])}
    return {
        "weights": dict(sorted(weights.items(), key=lambda kv: -abs(kv[1]))),
        "bias": round(float(final.intercept_[0]), 4),
        "threshold": best,
        "cv": {"folds": f"{n_folds} folds grouped by article", "model": figures(labels, [p >= best for p in out_of_fold]),
               "rules_alone": figures(labels, [bool(r["features"].get("rule")) for r in rows]), "per_lang": per_lang,
               "dev_to_field": transfer},
        "candidates": len(rows), "positives": sum(labels), "regularisation_C": c,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="development set folder with gold.jsonl")
    parser.add_argument("--field", type=Path, default=FIELD, help="field set folder with gold.jsonl (f01-f08 only)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--limit", type=int, default=None, help="articles per source (a quick sample)")
    parser.add_argument("--folds", type=int, default=FOLDS)
    args = parser.parse_args(argv)
    try:
        rows, counts = collect(args.dev, args.field, args.limit)
        model = train(rows, args.folds)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    model = {"about": "Party assignment (ingest/parties.py): logistic regression over (agreement trigger, "
                      "mention) candidates; p = 1/(1+exp(-(bias + sum weight*feature))), a party when p >= threshold.",
             "trained_on": counts, **model}
    args.out.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    cv = model["cv"]
    print(f"{model['candidates']} candidates ({model['positives']} parties) from {counts}; threshold {model['threshold']}")
    print(f"CV ({cv['folds']}): model F1 {cv['model']['f1']} (P {cv['model']['precision']} R {cv['model']['recall']}); "
          f"rules alone F1 {cv['rules_alone']['f1']}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
