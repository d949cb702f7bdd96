"""CoNLL/IOB2 corpus reading and conlleval-style evaluation of the Kazakh tagger.

KazNERD ships one ``token tag`` pair per line (single space; tab also accepted), a blank line
between sentences, UTF-8. Scoring is exact-span (start, end and label must all match) via
``ingest.ner.scoring.score_spans``, so figures are comparable with the published conlleval ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.ner.scoring import Span, score_spans

SEVEN_CLASSES: tuple[str, ...] = (
    "PERSON", "GPE", "LOCATION", "ORGANISATION", "POSITION", "MONEY", "DATE",
)

Sentence = tuple[list[str], list[str]]


def iter_conll(lines: Iterable[str]) -> Iterator[Sentence]:
    """Yield (tokens, tags) per sentence; the tag is the last whitespace-separated field so a
    stray extra column cannot shift it."""
    tokens: list[str] = []
    tags: list[str] = []
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n").lstrip("\ufeff")
        if not line.strip():
            if tokens:
                yield tokens, tags
                tokens, tags = [], []
            continue
        fields = line.split()
        if len(fields) < 2:
            raise ValueError(f"line {number}: expected 'token tag', got {line!r}")
        tokens.append(fields[0])
        tags.append(fields[-1])
    if tokens:
        yield tokens, tags


def read_conll(path: Path) -> list[Sentence]:
    with Path(path).open(encoding="utf-8") as handle:
        return list(iter_conll(handle))


def iob_spans(tags: list[str]) -> set[Span]:
    """Spans (start_tok, end_tok exclusive, label) from IOB2 tags, conlleval-style: an I- tag
    that does not continue a chunk of the same label opens a new chunk rather than being lost."""
    spans: set[Span] = set()
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label and start >= 0
        if start >= 0 and not continues:
            spans.add((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    return spans


def evaluate_sentences(
    sentences: Iterable[Sentence], tag, labels: Iterable[str] = SEVEN_CLASSES
) -> dict[str, dict]:
    """Score a predictor ``tag(tokens) -> tags`` against gold sentences."""
    pairs = ((iob_spans(gold), iob_spans(tag(tokens))) for tokens, gold in sentences)
    return score_spans(pairs, labels)


def evaluate_file(path: Path, labels: Iterable[str] = SEVEN_CLASSES) -> dict[str, dict]:
    """``{"per_class": {...}, "micro": {...}}`` for the shipped Kazakh tagger on a CoNLL file."""
    # Imported here because the tagger module itself uses iob_spans from this module.
    from ingest.ner.kazakh_crf import KazakhTagger

    return evaluate_sentences(read_conll(path), KazakhTagger().tag, labels)
