"""The one place that reads vocabulary from ``ingest/data``: gazetteers, role words, markers,
agreement and status triggers, money words, months, suffix tables.

Code elsewhere asks this module for compiled patterns; word lists are never written into code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ingest.word_index import PatternIndex


@cache
def _rows(name: str) -> tuple[tuple[str, ...], ...]:
    text = resources.files("ingest").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(tuple(line.rstrip("\n").split("\t")) for line in text.splitlines()
                 if line.strip() and not line.startswith("#"))


def rows(name: str) -> list[list[str]]:
    """Data rows of a file in ``ingest/data`` (comment lines, the header among them, skipped)."""
    return [list(r) for r in _rows(name)]


def header(name: str) -> list[str]:
    """Column names of a TSV: its first line, ``# col<TAB>col...``."""
    first = resources.files("ingest").joinpath("data", name).read_text(encoding="utf-8").split("\n", 1)[0]
    return first.lstrip("# ").split("\t")


def lang_rows(name: str, lang: str) -> list[tuple[str, ...]]:
    """Rows of a ``lang<TAB>...`` file for one language, without the language column."""
    return [r[1:] for r in _rows(name) if r[0] == lang]


@cache
def word_set(name: str, lang: str, cls: str) -> frozenset[str]:
    """The |-separated words of one ``lang<TAB>class<TAB>words`` row (name_words.tsv)."""
    return frozenset(w for r in lang_rows(name, lang) if r[0] == cls for w in r[1].split("|"))


@cache
def word_regex(name: str, lang: str, cls: str) -> re.Pattern[str]:
    """The words of `word_set` as one whole-word regex, longest first; never matches when empty."""
    found = sorted(word_set(name, lang, cls), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(w) for w in found)})(?![\w-])" if found else r"(?!)")


@cache
def cue_regex(name: str, lang: str, cue: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """The patterns of a ``lang<TAB>cue<TAB>pattern`` file for one cue, as one alternation."""
    found = [r[1] for r in lang_rows(name, lang) if r[0] == cue]
    return re.compile(f"(?:{'|'.join(found)})" if found else r"(?!)", flags)


@dataclass(frozen=True)
class Pattern:
    lang: str
    regex: re.Pattern[str]
    value: str
    extra: tuple[str, ...] = ()


def _compile(lang: str, pattern: str) -> re.Pattern[str]:
    boundary_start = r"(?<![\w-])" if pattern[0] not in "$₸€" else ""
    return re.compile(f"{boundary_start}(?:{pattern})(?![\\w])", re.IGNORECASE)


@cache
def patterns(name: str) -> tuple[Pattern, ...]:
    """Rows of a `lang<TAB>regex<TAB>value[<TAB>...]` file as compiled patterns."""
    return tuple(Pattern(r[0], _compile(r[0], r[1]), r[2] if len(r) > 2 else "", tuple(r[3:])) for r in rows(name))


@cache
def for_lang(name: str, lang: str) -> tuple[Pattern, ...]:
    return tuple(p for p in patterns(name) if p.lang == lang)


@cache
def _indexed(name: str, lang: str, longest_first: bool) -> tuple[tuple[Pattern, ...], PatternIndex]:
    table = for_lang(name, lang)
    if longest_first:
        table = tuple(sorted(table, key=lambda p: len(p.regex.pattern), reverse=True))
    return table, PatternIndex([p.regex for p in table])


def rows_matching(name: str, lang: str, found: frozenset[str], longest_first: bool = False) -> list[Pattern]:
    """The rows of `for_lang` (longest pattern first if asked) that can match in a sentence whose
    words (`ingest.word_index.words`) are `found`; the others cannot, so need no search."""
    table, index = _indexed(name, lang, longest_first)
    return [table[i] for i in index.rows(found)]


@dataclass(frozen=True)
class GazetteerEntry:
    kind: str  # country | region | district | city
    id: str
    names: dict[str, str]  # the usual name per language; never empty (falls back to another language)
    aliases: tuple[str, ...]
    country: str | None
    wikidata: str | None = None

    def all_names(self) -> list[str]:
        return list(dict.fromkeys([*self.names.values(), *self.aliases]))

    @property
    def mention_kind(self) -> str:
        """The kind a sentence's mention of it has: a district is a 'place' there, like a district
        found by its noun ("X ауданы"), so it is never a signing party or the article's home region."""
        return "place" if self.kind == "district" else self.kind

    @property
    def entity_kind(self) -> str:
        """The kind of its node: a district is a region (FORMAT.md: `location_region` may name a
        district, which then appears under `regions`), told apart by its subkind."""
        return "region" if self.kind == "district" else self.kind

    @property
    def part_of(self) -> str | None:
        """The id of the region a Kazakh district lies in: district ids are the region's ISO code
        plus the district's name (``KZ-43-Shieli``, ``KZ-59-Magzhan-Zhumabaev``; built by
        ``ingest.build_gazetteers.districts``)."""
        return "-".join(self.id.split("-")[:2]) if self.kind == "district" else None


@dataclass(frozen=True)
class KnownOrganization:
    kind: str
    variants: tuple[str, ...]  # every spelling; the first is the canonical one
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (spelling, its whole-word regex), in file order


@cache
def known_organizations() -> tuple[KnownOrganization, ...]:
    """National bodies and development banks of organizations.tsv, each spelling compiled once:
    a sentence is searched only for the spellings it contains as plain text."""
    found = []
    for kind, names in rows("organizations.tsv"):
        variants = tuple(names.split("|"))
        found.append(KnownOrganization(kind, variants, tuple(
            (name, re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")) for name in variants)))
    return tuple(found)


@cache
def gazetteer() -> tuple[GazetteerEntry, ...]:
    """Every place of ``places.tsv`` (built by ``python -m ingest.build_gazetteers``)."""
    entries: list[GazetteerEntry] = []
    for r in rows("places.tsv"):
        ident, kind, country, kk, ru, en, aliases = r + [""] * (7 - len(r))
        others = tuple(a for a in aliases.split("|") if a)
        fallback = en or ru or kk or others[0]
        names = {"kk": kk or ru or fallback, "ru": ru or fallback, "en": en or fallback}
        entries.append(GazetteerEntry(kind, ident, names, others, country or None))
    return tuple(entries)


@cache
def gazetteer_entry(ident: str) -> GazetteerEntry | None:
    """The place with gazetteer id `ident` (a district's region, for its labels)."""
    return {entry.id: entry for entry in gazetteer()}.get(ident)


@cache
def money_words() -> dict[str, list[tuple[str, str, str]]]:
    """kind -> [(lang, regex, value)] for currencies, multipliers and qualifiers."""
    table: dict[str, list[tuple[str, str, str]]] = {}
    for kind, lang, regex, value in rows("money.tsv"):
        if kind.startswith("qualifier"):
            for word, qualifier in zip(regex.split("|"), value.split("|"), strict=True):
                table.setdefault(kind, []).append((lang, re.escape(word).replace(r"\ ", r"\s+"), qualifier))
        else:
            table.setdefault(kind, []).append((lang, regex, value))
    return table


@cache
def months() -> tuple[tuple[int, str, str, tuple[str, ...]], ...]:
    return tuple((int(r[0]), r[1], r[2], tuple(r[3].split("|"))) for r in rows("months.tsv"))


@cache
def sectors() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(canonical sector, its keyword patterns as one regex that must start a word), in the
    table's order (specific first)."""
    return tuple((r[0], re.compile(rf"(?<![\w-])(?:{r[1]})", re.IGNORECASE)) for r in rows("sectors.tsv"))


@cache
def suffixes(kind: str) -> tuple[str, ...]:
    """Kazakh suffix lists, longest first so stripping takes the whole ending."""
    for r in rows("kk_suffixes.tsv"):
        if r[0] == kind:
            return tuple(sorted(r[1].split("|"), key=len, reverse=True))
    raise KeyError(kind)


@cache
def post_gap() -> str:
    """Regex of what may stand between a post and its holder (post_gap.tsv), as relations use it."""
    words = "|".join(r[0] for r in rows("post_gap.tsv"))
    return rf"[\s,]*(?:(?:{words})\s*)*[\s,—–-]*"


@cache
def overrides(lang: str) -> dict[str, tuple[str, str]]:
    """Name-specific fixes of overrides.tsv: casefolded surface -> (kind or "-", base form)."""
    return {surface.casefold(): (kind, name) for surface, kind, name in lang_rows("overrides.tsv", lang)}


@cache
def stop_names() -> frozenset[str]:
    """Capitalised words that are never names (stop_names.tsv), lower-cased."""
    return frozenset(r[0] for r in _rows("stop_names.tsv"))


@cache
def legal_suffix() -> str:
    """Latin legal forms (legal_suffixes.tsv) as one regex alternation."""
    return "|".join(r[0] for r in _rows("legal_suffixes.tsv"))


@cache
def _nationality_index(lang: str) -> PatternIndex:
    return PatternIndex([pattern for _, pattern in nationality_patterns(lang)])


def nationalities_matching(lang: str, found: frozenset[str]) -> list[tuple[str, re.Pattern[str]]]:
    """The rows of `nationality_patterns` that can match in a sentence with the words `found`."""
    table = nationality_patterns(lang)
    return [table[i] for i in _nationality_index(lang).rows(found)]


@cache
def nationality_patterns(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(ISO country, compiled adjective) for one language (nationalities.tsv; "-" rows name no country)."""
    return tuple((iso, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE))
                 for iso, pattern in lang_rows("nationalities.tsv", lang) if iso != "-")
