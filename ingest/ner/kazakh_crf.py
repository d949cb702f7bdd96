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

from ingest.lexicon import suffixes
from ingest.ner.conll import iob_spans

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "kazakh_ner.crfsuite"
GAZETTEER_PATH = DATA_DIR / "kazakh_ner_gazetteer.txt"
LEXICON_PATH = DATA_DIR / "kazakh_ner_lexicon.txt"

# A word is a run of letters/digits (Python's \w covers әғқңөұүһі) optionally joined by
# hyphens or apostrophes (Қасым-Жомарт, 2020-сыншы); every other non-space char is a token,
# which matches KazNERD's tokenisation (decimal "14,8" is three tokens there too).
TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
SENTENCE_END = frozenset({".", "!", "?", "…"})
MIN_STEM = 3
CUE_WINDOW = 4
OPEN_QUOTES = frozenset({"«", "“", "„"})
CLOSE_QUOTES = frozenset({"»", "”"})
PLAIN_QUOTES = frozenset({'"'})
MAX_LEXICON_PHRASE = 6

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
def _gazetteer() -> dict[str, tuple[str, ...]]:
    """Cue stem -> categories, from the hand-written data file."""
    cues: dict[str, list[str]] = {}
    for line in _data_lines(GAZETTEER_PATH):
        category, cue = line.split("\t", 1)
        cues.setdefault(cue.lower(), []).append(category)
    return {cue: tuple(categories) for cue, categories in cues.items()}


@lru_cache(maxsize=1)
def _suffixes() -> tuple[tuple[int, frozenset[str]], ...]:
    """Endings grouped by length, longest first (two endings of one length cannot both end
    a word, so a set lookup per length equals trying each ending in turn)."""
    by_length: dict[int, set[str]] = {}
    for suffix in suffixes("stem"):
        by_length.setdefault(len(suffix), set()).add(suffix)
    return tuple((n, frozenset(by_length[n])) for n in sorted(by_length, reverse=True))


@lru_cache(maxsize=65536)
def stem(lower: str) -> str:
    """Strip inflectional endings greedily so case/possessive forms of a name share a key.

    The result over-strips (Астана -> аст) but does so the same way for every form of a word,
    which is all a feature key needs."""
    current = lower
    changed = True
    while changed:
        changed = False
        for length, endings in _suffixes():
            if len(current) - length >= MIN_STEM and current[-length:] in endings:
                current = current[:-length]
                changed = True
                break
    return current


@lru_cache(maxsize=65536)
def gazetteer_hits(lower: str) -> tuple[str, ...]:
    """Categories whose cue stem begins the word, longest cue first. Stems under four letters
    may only be followed by up to three letters of ending, so 'ел' fires on елде but not on
    елеулі."""
    cues = _gazetteer()
    hits: list[str] = []
    for length in range(len(lower), 0, -1):
        if length < 4 and len(lower) > length + 3:
            continue
        for category in cues.get(lower[:length], ()):
            if category not in hits:
                hits.append(category)
    return tuple(hits)


class EntityLexicon:
    """Entity names seen in annotated training text, keyed by the stems of their tokens.

    Built from the dev split only (by the training script, which uses out-of-fold lexicons
    for the training features so the CRF learns how far a lexicon hit can be trusted). It
    lets a name seen once as «Дүниежүзілік денсаулық сақтау ұйымы» be recognised in another
    case form, which word features alone do not do for multi-word lowercase names.
    """

    def __init__(self, entries: dict[tuple[str, ...], str]) -> None:
        self.entries = entries

    @staticmethod
    def key(tokens: list[str]) -> tuple[str, ...]:
        return tuple(stem(t.lower()) for t in tokens)

    @classmethod
    def from_spans(cls, spans: list[tuple[list[str], str]]) -> EntityLexicon:
        """Majority label per phrase; phrases with digits are left to the shape features."""
        votes: dict[tuple[str, ...], dict[str, int]] = {}
        for tokens, label in spans:
            if len(tokens) > MAX_LEXICON_PHRASE or any(
                any(c.isdigit() for c in t) or not any(c.isalpha() for c in t) for t in tokens
            ):
                continue
            counts = votes.setdefault(cls.key(tokens), {})
            counts[label] = counts.get(label, 0) + 1
        return cls({k: min(c, key=lambda lab: (-c[lab], lab)) for k, c in votes.items()})

    @classmethod
    def load(cls, path: Path) -> EntityLexicon:
        entries = {}
        for line in _data_lines(path):
            label, phrase = line.split("\t", 1)
            entries[tuple(phrase.split(" "))] = label
        return cls(entries)

    def dump(self, path: Path, header: str) -> None:
        lines = [f"# {row}" for row in header.splitlines()]
        lines += [f"{label}\t{' '.join(key)}" for key, label in sorted(self.entries.items())]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def match(self, tokens: list[str]) -> list[str | None]:
        """Per-token B-/I-LABEL from greedy longest matches, None outside any match."""
        keys = self.key(tokens)
        out: list[str | None] = [None] * len(tokens)
        i = 0
        while i < len(keys):
            for length in range(min(MAX_LEXICON_PHRASE, len(keys) - i), 0, -1):
                label = self.entries.get(keys[i : i + length])
                if label is not None:
                    out[i] = "B-" + label
                    for j in range(i + 1, i + length):
                        out[j] = "I-" + label
                    i += length
                    break
            else:
                i += 1
        return out


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


@lru_cache(maxsize=65536)
def _context_features(word: str) -> tuple[tuple[str, str | float], ...]:
    """The lighter view of a token that its neighbours see."""
    lower = word.lower()
    feats: list[tuple[str, str | float]] = [
        ("lw", lower),
        ("stem", stem(lower)),
        ("title", float(word[:1].isupper())),
        ("shape", _shape(word)),
        ("s3", lower[-3:]),
    ]
    for category in gazetteer_hits(lower):
        feats.append(("gaz:" + category, 1.0))
    return tuple(feats)


def _quote_heads(tokens: list[str]) -> list[str | None]:
    """For tokens inside «...» / "...", the word right after the closing quote.

    KazNERD puts many organisation, project and artwork names in quotes and the noun after
    the quote says which (компаниясы, қоры, бағдарламасы, әні); a +-2 window misses it for
    names longer than one word.
    """
    heads: list[str | None] = [None] * len(tokens)
    open_at = -1
    for i, tok in enumerate(tokens):
        if tok in OPEN_QUOTES or (tok in PLAIN_QUOTES and open_at < 0):
            open_at = i
        elif open_at >= 0 and (tok in CLOSE_QUOTES or tok in PLAIN_QUOTES):
            head = stem(tokens[i + 1].lower()) if i + 1 < len(tokens) else "<end>"
            for j in range(open_at + 1, i):
                heads[j] = head
            open_at = -1
    return heads


def sent_features(
    tokens: list[str], lexicon: EntityLexicon | None = None
) -> list[dict[str, str | float]]:
    """CRF feature dicts for a tokenised sentence: the token itself, +-2 neighbours, bigrams,
    cue words a few tokens ahead/behind (heads of multi-word names), quote context and
    entity-lexicon hits."""
    n = len(tokens)
    lowers = [t.lower() for t in tokens]
    context = [_context_features(t) for t in tokens]
    cues = [gazetteer_hits(lower) for lower in lowers]
    heads = _quote_heads(tokens)
    hits = lexicon.match(tokens) if lexicon is not None else [None] * n
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
                for key, value in context[j]:
                    feats[f"{offset}:{key}"] = value
        for j in range(i + 1, min(n, i + 1 + CUE_WINDOW)):
            for category in cues[j]:
                feats["ahead:" + category] = 1.0
        for j in range(max(0, i - CUE_WINDOW), i):
            for category in cues[j]:
                feats["behind:" + category] = 1.0
        for offset in (-1, 0, 1):
            j = i + offset
            if 0 <= j < n and hits[j] is not None:
                feats[f"{offset}:lex"] = hits[j]
        if heads[i] is not None:
            feats["inquote"] = 1.0
            feats["quotehead"] = heads[i]
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
_MODELS: dict[tuple[Path, Path], tuple[sklearn_crfsuite.CRF, EntityLexicon]] = {}


def _load(model_path: Path, lexicon_path: Path) -> tuple[sklearn_crfsuite.CRF, EntityLexicon]:
    """One model and lexicon per file pair per process: loading costs ~0.2 s."""
    with _LOCK:
        loaded = _MODELS.get((model_path, lexicon_path))
        if loaded is None:
            for path in (model_path, lexicon_path):
                if not path.is_file():
                    raise FileNotFoundError(f"Kazakh NER model file missing: {path}")
            loaded = (
                sklearn_crfsuite.CRF(model_filename=str(model_path)),
                EntityLexicon.load(lexicon_path),
            )
            _MODELS[(model_path, lexicon_path)] = loaded
        return loaded


class KazakhTagger:
    """IOB2 tagger for Kazakh text (KazNERD's 25 classes as trained); loads its model lazily."""

    def __init__(self, model_path: Path = MODEL_PATH, lexicon_path: Path = LEXICON_PATH) -> None:
        self.model_path = Path(model_path)
        self.lexicon_path = Path(lexicon_path)

    def tag(self, tokens: list[str]) -> list[str]:
        if not tokens:
            return []
        model, lexicon = _load(self.model_path, self.lexicon_path)
        return list(model.predict_single(sent_features(tokens, lexicon)))

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
