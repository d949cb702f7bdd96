"""Matching keys: one script-independent string per real entity.

"Әбдікәрімов" and "Абдикаримов" both become "abdikarimov" through anyascii (unidecode garbles
Kazakh letters); legal forms and generic words are dropped so "Sumec Group" and "Sumec
компаниялар тобы" share the key "sumec".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from ingest.lexicon import rows

_LEGAL = None


def _legal_forms() -> re.Pattern[str]:
    global _LEGAL
    if _LEGAL is None:
        words = sorted((r[0] for r in rows("legal_forms.tsv")), key=len, reverse=True)
        _LEGAL = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")
    return _LEGAL


def latin(text: str) -> str:
    return anyascii(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Key for people and places: transliterated, lowercased, punctuation folded (cached: the
    same names are keyed again for every mention and every article)."""
    folded = latin(name).lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def org_key(name: str) -> str:
    """Key for companies and organisations: as name_key, minus legal forms and generic words."""
    key = _legal_forms().sub(" ", name_key(name))
    key = re.sub(r"\s+", " ", key).strip()
    return key or name_key(name)
