"""Kazakh named-entity tagger: a linear-chain CRF over hand-made token features.

Kazakh is agglutinative: one name surfaces as Астана, Астанада, Астананың, Астанаға. A CRF
with prefix/suffix features, a rough stem and capitalisation cues generalises across those
forms from the 11k-sentence KazNERD dev split we are allowed to learn from, is small (a few
MB) and tags a sentence in well under a millisecond, so it runs offline with the pipeline.
The model is trained by ``ingest/models/train_kazakh_ner.py``.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

import sklearn_crfsuite

from ingest.ner.conll import iob_spans

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "kazakh_ner.crfsuite"
GAZETTEER_PATH = DATA_DIR / "kazakh_ner_gazetteer.txt"
SUFFIXES_PATH = DATA_DIR / "kazakh_suffixes.txt"

# A word is a run of letters/digits (Python's \w covers әғқңөұүһі) optionally joined by
# hyphens or apostrophes (Қасым-Жомарт, 2020-сыншы); every other non-space char is a token,
# which matches KazNERD's tokenisation (decimal "14,8" is three tokens there too).
TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
SENTENCE_END = frozenset({".", "!", "?", "…"})
MIN_STEM = 3

Token = tuple[int, int, str]
Span = tuple[int, int, str]


def _data_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[tuple[str, str], ...]:
    """(stem, category) pairs, longest stem first so the most specific cue is seen first."""
    pairs = []
    for line in _data_lines(GAZETTEER_PATH):
        category, stem = line.split("\t", 1)
        pairs.append((stem.lower(), category))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0], p[1])))


@lru_cache(maxsize=1)
def _suffixes() -> tuple[str, ...]:
    return tuple(sorted(set(_data_lines(SUFFIXES_PATH)), key=lambda s: (-len(s), s)))


@lru_cache(maxsize=65536)
def stem(lower: str) -> str:
    """Strip inflectional endings greedily so case/possessive forms of a name share a key."""
    current = lower
    changed = True
    while changed:
        changed = False
        for suffix in _suffixes():
            if current.endswith(suffix) and len(current) - len(suffix) >= MIN_STEM:
                current = current[: -len(suffix)]
                changed = True
                break
    return current


@lru_cache(maxsize=65536)
def gazetteer_hits(lower: str) -> tuple[str, ...]:
    """Categories whose stem begins the word; short stems must match the whole word or a
    hyphen-free continuation of at least the stem, so 'ел' does not fire on every 'ел...'."""
    hits: list[str] = []
    for cue, category in _gazetteer():
        if category in hits:
            continue
        if lower == cue or (lower.startswith(cue) and (len(cue) >= 4 or len(lower) <= len(cue) + 3)):
            hits.append(category)
    return tuple(hits)


def _shape(word: str) -> str:
    shape = []
    for ch in word:
        if ch.isupper():
            code = "X"
        elif ch.islower():
            code = "x"
        elif ch.isdigit():
            code = "d"
        else:
            code = ch
        if not shape or shape[-1] != code:
            shape.append(code)
    return "".join(shape)


@lru_cache(maxsize=65536)
def _word_features(word: str) -> tuple[tuple[str, str | float], ...]:
    """Context-free features of one token (cached: the same words recur across sentences)."""
    lower = word.lower()
    feats: list[tuple[str, str | float]] = [
        ("w", word),
        ("lw", lower),
        ("stem", stem(lower)),
        ("shape", _shape(word)),
        ("title", float(word[:1].isupper())),
        ("upper", float(word.isupper() and len(word) > 1)),
        ("digit", float(word.isdigit())),
        ("hasdigit", float(any(c.isdigit() for c in word))),
        ("hyphen", float("-" in word)),
        ("punct", float(not any(c.isalnum() for c in word))),
        ("len", str(min(len(word), 12))),
    ]
    for n in (1, 2, 3, 4, 5):
        if len(lower) > n:
            feats.append((f"p{n}", lower[:n]))
            feats.append((f"s{n}", lower[-n:]))
    for category in gazetteer_hits(lower):
        feats.append(("gaz:" + category, 1.0))
    return tuple(feats)


def _context_features(word: str) -> dict[str, str | float]:
    lower = word.lower()
    feats: dict[str, str | float] = {
        "lw": lower,
        "stem": stem(lower),
        "title": float(word[:1].isupper()),
        "shape": _shape(word),
        "s3": lower[-3:],
    }
    for category in gazetteer_hits(lower):
        feats["gaz:" + category] = 1.0
    return feats


def sent_features(tokens: list[str]) -> list[dict[str, str | float]]:
    """CRF feature dicts for a tokenised sentence: the token itself, +-2 neighbours, bigrams."""
    n = len(tokens)
    lowers = [t.lower() for t in tokens]
    context = [_context_features(t) for t in tokens]
    out = []
    for i, word in enumerate(tokens):
        feats: dict[str, str | float] = {"bias": 1.0}
        feats.update(_word_features(word))
        if i == 0:
            feats["BOS"] = 1.0
        if i == n - 1:
            feats["EOS"] = 1.0
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                for key, value in context[j].items():
                    feats[f"{offset}:{key}"] = value
        if i > 0:
            feats["bi-1"] = lowers[i - 1] + "|" + lowers[i]
        if i < n - 1:
            feats["bi+1"] = lowers[i] + "|" + lowers[i + 1]
        out.append(feats)
    return out


def tokenize(text: str) -> list[Token]:
    """(start, end, token) triples with character offsets into ``text``."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


_LOCK = threading.Lock()
_MODELS: dict[Path, sklearn_crfsuite.CRF] = {}


def _load(path: Path) -> sklearn_crfsuite.CRF:
    """One model object per file per process: opening the crfsuite file costs ~0.1 s."""
    with _LOCK:
        model = _MODELS.get(path)
        if model is None:
            if not path.is_file():
                raise FileNotFoundError(f"Kazakh NER model missing: {path}")
            model = sklearn_crfsuite.CRF(model_filename=str(path))
            _MODELS[path] = model
        return model


class KazakhTagger:
    """IOB2 tagger for Kazakh text (KazNERD's 25 classes as trained); loads its model lazily."""

    def __init__(self, model_path: Path = MODEL_PATH) -> None:
        self.model_path = Path(model_path)

    def tag(self, tokens: list[str]) -> list[str]:
        if not tokens:
            return []
        return list(_load(self.model_path).predict_single(sent_features(tokens)))

    def tag_text(self, text: str) -> list[Span]:
        """Entity spans as (char_start, char_end, label) on ``text``; sentences are tagged one
        at a time because the model was trained on sentences (BOS/EOS cues)."""
        tokens = tokenize(text)
        spans: list[Span] = []
        begin = 0
        for i, (_, _, tok) in enumerate(tokens):
            if tok in SENTENCE_END or i == len(tokens) - 1:
                sentence = tokens[begin : i + 1]
                tags = self.tag([t for _, _, t in sentence])
                for start, end, label in sorted(iob_spans(tags)):
                    spans.append((sentence[start][0], sentence[end - 1][1], label))
                begin = i + 1
        return spans
