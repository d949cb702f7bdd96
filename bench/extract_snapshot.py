"""Does a speed change leave extraction output exactly as it was?

Outside the test run: ``.venv/bin/python bench/extract_snapshot.py OUT.json`` writes, for every
article of the project's own texts and of ``../shared/field``, canonical JSON of what
``ingest.pipeline`` produces: the mentions per sentence, the extraction (entities, posts,
visits, agreements) and the article's triples. Run it before and after a change and ``diff``
the two files: an optimisation must leave them identical, and any difference is a behaviour
change to explain. Only outputs are compared here, never scores.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import mentions, pipeline  # noqa: E402
from ingest.read import Failure, read_paths  # noqa: E402

SOURCES = ("tests/data/dev/*/*.txt", "tests/data/heldout/*/*.txt", "tests/data/heldout2/*/*.txt", "samples/*.txt",
           "tests/data/same_deal/*.txt", "../shared/field/*/*.txt")


def plain(value: object) -> object:
    """Dataclasses, sets and dates as JSON values, in a stable order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)  # type: ignore[type-var]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def snapshot(paths: list[str]) -> dict[str, object]:
    """One entry per article, keyed by its path as given."""
    out: dict[str, object] = {}
    for item in read_paths(paths):
        if isinstance(item, Failure):
            out[item.source] = {"failure": item.message}
            continue
        done = pipeline.extract(item)
        cues = mentions.cues(item.text, done.lang)
        year = int(item.published[:4]) if item.published else None
        found = [[plain(m) for m in mentions.find(s, done.lang, year, cues)] for s in done.sentences]
        out[item.source] = {
            "lang": done.lang,
            "mentions": found,
            "extraction": plain(done.extraction),
            "triples": sorted(str(t) for t in done.triples),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    out = args.out.resolve()
    # paths relative to the checkout (they are the articles' sources in the triples), so two
    # checkouts in different folders give the same file when they extract the same
    os.chdir(ROOT)
    paths = sorted(str(p) for pattern in SOURCES for p in Path().glob(pattern))
    result = snapshot(paths)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(result)} articles -> {out}")


if __name__ == "__main__":
    main()
