"""Word-order and case cues that relations need, per language, read from
``ingest/data/relation_cues.tsv``: relations.py asks "is this mention a locative?", never
"is this Kazakh?", so a new language adds rows, not branches."""

from __future__ import annotations

import re
from functools import cache

from ingest.lexicon import rows


@cache
def _raw() -> dict[tuple[str, str], list[str]]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for row in rows("relation_cues.tsv"):
        lang, cue, pattern = (row + [""])[:3]
        grouped.setdefault((cue, lang), []).append(pattern)
    return grouped


def pattern_of(cue: str, lang: str) -> str | None:
    """The raw regex of a cue for a language (None when the language has no such cue): gaps
    between words are matched whole by the caller."""
    patterns = _raw().get((cue, lang))
    return "|".join(f"(?:{p})" for p in patterns) if patterns is not None else None


@cache
def _cues() -> dict[tuple[str, str], re.Pattern[str]]:
    grouped = _raw()
    compiled = {}
    for (cue, lang), patterns in grouped.items():
        body = "|".join(f"(?:{p})" for p in patterns)
        if cue.endswith(("_suffix", "_before")):
            compiled[cue, lang] = re.compile(f"(?:{body})$", re.I)
        elif cue.endswith("_after"):
            compiled[cue, lang] = re.compile(f"^(?:{body})(?![\\w-])", re.I)
        else:
            compiled[cue, lang] = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I)
    return compiled


def has(cue: str, lang: str, text: str) -> bool:
    """Whether the language has the cue and the text shows it (suffix and before cues at the
    end of the text, after cues at its start, others anywhere)."""
    pattern = _cues().get((cue, lang))
    return bool(pattern and pattern.search(text))


def locative(mention_text: str, before: str, lang: str, after: str = "") -> bool:
    """A place named as where something is: by its ending ("Ақтөбеде"), the word before it ("в
    Актобе") or the noun after it ("Ақтау қаласында")."""
    return has("locative_suffix", lang, mention_text) or has("locative_before", lang, before) or \
        has("locative_after", lang, after)


def genitive(mention_text: str, lang: str) -> bool:
    return has("genitive_suffix", lang, mention_text)


def clause_around(text: str, start: int, end: int) -> str:
    """The clause holding text[start:end]: from the punctuation before it to the one after."""
    left = max(text.rfind(c, 0, start) for c in ",;:—–(")
    rights = [i for i in (text.find(c, end) for c in ",;:—–)") if i >= 0]
    return text[left + 1:min(rights) if rights else len(text)]
