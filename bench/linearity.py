"""Does extraction time grow linearly with the length of an article?

Outside the test run: ``.venv/bin/python bench/linearity.py [--sizes 10,100,1000,5000]
[--shapes prose,nospace,hyphens]``.

One article per shape and size (sizes in KB of UTF-8 text) goes through
``ingest.pipeline.analyse`` (language, sentences, mentions, facts: everything an ingest does
per article before the store). Shapes:

* ``prose``: the bundled English sample article repeated (ordinary text);
* ``nospace``: one line of capital Latin letters without a space or full stop (the issue's
  hostile case: 200 KB took > 300 s before sentences were bounded);
* ``hyphens``: ``Sumec-`` repeated, one "word" of hyphenated names (quadratic in the
  article-wide speaker cues before their patterns were anchored at word starts).

For each run the script prints seconds, ms per KB and the ratio of that per-KB time to the
10 KB run of the same shape: about 1 means linear, a ratio growing with size means worse.
The machine is shared, so ratios within 2x are noise; quadratic growth shows as 10x and more.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.article import Article  # noqa: E402
from ingest.pipeline import analyse  # noqa: E402

SHAPES = {
    "prose": (REPO / "samples" / "en_01_aktobe_ferroalloy.txt").read_text(encoding="utf-8") + "\n\n",
    "nospace": "A",
    "hyphens": "Sumec-",
}


def article_of(shape: str, kilobytes: int) -> Article:
    """Exactly ``kilobytes`` KB of text (ASCII shapes: one character is one byte)."""
    unit = SHAPES[shape]
    size = kilobytes * 1000
    text = (unit * (size // len(unit) + 1))[:size]
    return Article(text=text, source=f"{shape}-{kilobytes}KB")


def time_one(article: Article) -> float:
    start = time.perf_counter()
    analyse(article)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,5000", help="Article sizes in KB, smallest first.")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"Any of {', '.join(SHAPES)}.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    analyse(article_of("prose", 2))  # warm-up: vocabularies and compiled patterns
    print(f"{'shape':<9}{'KB':>7}{'seconds':>10}{'ms/KB':>9}{'ratio':>7}")
    for shape in args.shapes.split(","):
        first: float | None = None
        for kilobytes in sizes:
            seconds = time_one(article_of(shape, kilobytes))
            per_kb = seconds / kilobytes
            first = first if first is not None else per_kb
            print(f"{shape:<9}{kilobytes:>7}{seconds:>10.2f}{per_kb * 1000:>9.1f}{per_kb / first:>7.2f}", flush=True)


if __name__ == "__main__":
    main()
