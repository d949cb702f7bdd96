"""Which rows of a vocabulary table can match in a sentence, decided from the words it contains.

Roles, triggers, organisation markers and nationality adjectives are tables of regular
expressions, each searched over every sentence. A case-insensitive pattern that opens with a
word-boundary look-behind gets no help from the regex engine (it is tried at every position), so
a sentence costs one full scan per row, and the rows are many. Almost every row starts with
literal letters ("облыс", "memorand", "китайск"), so it can only match where a word of the
sentence starts with one of them. `PatternIndex` looks each distinct word up once (cached, as
words recur from sentence to sentence) and returns only the rows some word allows. A row whose
start is not literal, or whose pattern does not open at a word start, is always returned, so the
rows searched find exactly what searching every row finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

try:  # the standard parser of regular expressions (private, stable since Python 3.11)
    from re import _constants as sre_constants
    from re import _parser as sre_parser
except ImportError:  # pragma: no cover - a later Python without it: every row is searched
    sre_parser = None  # type: ignore[assignment]

WORD = re.compile(r"\w+")
WORD_CACHE = 65536


def words(text: str) -> frozenset[str]:
    """The distinct runs of word characters of `text`: where a whole-word pattern can start."""
    return frozenset(WORD.findall(text))


def _openings(items: list) -> set[str]:
    """Literal strings one of which starts every match of the parsed sequence `items`; "" when
    its start is not literal."""
    heads = {""}
    for n, (op, av) in enumerate(items):
        if op is sre_constants.LITERAL:
            heads = {h + chr(av) for h in heads}
            continue
        if op is sre_constants.BRANCH:
            tails = {o for alternative in av[1] for o in _openings(alternative)}
        elif op is sre_constants.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            tails = _openings(list(av[3]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] == 0:
            # an optional opening ("(?:first )?deputy"): the match starts with it or with what follows
            tails = _openings(list(av[2])) | _openings(list(items[n + 1:]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            tails = _openings(list(av[2]))
        else:
            tails = {""}
        return {h + t for h in heads for t in tails}
    return heads


def _after_non_word(item: tuple) -> bool:
    """Whether a parsed item is a look-behind that no word character may precede, like the
    ``(?<![\\w-])`` that opens every whole-word pattern of ``ingest.lexicon``."""
    op, av = item
    if op is not sre_constants.ASSERT_NOT or av[0] != -1 or len(av[1]) != 1:
        return False
    inner, members = av[1][0]
    return inner is sre_constants.IN and (sre_constants.CATEGORY, sre_constants.CATEGORY_WORD) in members \
        and all(member is not sre_constants.NEGATE for member, _ in members)


def opening_regex(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A regex that matches the start of every word at which `pattern` can match (same flags),
    or None when that cannot be told from the pattern: it must open with a look-behind that
    keeps it from starting inside a word, then with literal letters."""
    if sre_parser is None or pattern.flags & re.ASCII:
        return None
    try:
        items = list(sre_parser.parse(pattern.pattern, pattern.flags))
    except re.error:
        return None
    if not items or not _after_non_word(items[0]):
        return None
    # a match starts at a word start, so only its word characters are compared with the word
    openings = {found.group() if (found := WORD.match(o)) else "" for o in _openings(items[1:])}
    if "" in openings:
        return None
    return re.compile("|".join(re.escape(o) for o in sorted(openings)), pattern.flags)


class PatternIndex:
    """The rows of one table (compiled patterns, in table order) indexed by their openings."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        openings = [opening_regex(p) for p in patterns]
        self.always = frozenset(i for i, o in enumerate(openings) if o is None)
        self.indexed = tuple((i, o) for i, o in enumerate(openings) if o is not None)
        # most words open no row: one look at all openings together (when they share their flags)
        # turns them away
        flags = {o.flags for _, o in self.indexed}
        self.any_opening = re.compile("|".join(f"(?:{o.pattern})" for _, o in self.indexed), flags.pop()) \
            if len(flags) == 1 else None
        self._allowed = lru_cache(maxsize=WORD_CACHE)(self._rows_for_word)

    def _rows_for_word(self, word: str) -> frozenset[int]:
        if self.any_opening is not None and not self.any_opening.match(word):
            return frozenset()
        return frozenset(i for i, opening in self.indexed if opening.match(word))

    def rows(self, found: Iterable[str]) -> list[int]:
        """Positions, in table order, of the rows that can match in a text with the words `found`
        (see `words`)."""
        return sorted(self.always.union(*map(self._allowed, found)))
