"""Calendar dates in Kazakh, Russian and English, with month names in any case form.

Own month-stem rules: dateparser's Kazakh locale misses "2026 жылғы 27 қаңтарда" and is slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from datetime import timedelta

from ingest.lexicon import lang_rows, months


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int
    raw: str


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    kk = "|".join(f"(?P<kk{n}>{stem})" for n, stem, _, _ in months())
    ru = "|".join(f"(?P<ru{n}>{stem})" for n, _, stem, _ in months())
    en = "|".join(f"(?P<en{n}>{'|'.join(names)})" for n, _, _, names in months())
    return [
        (re.compile(rf"(?P<y>\d{{4}})\s*ж(?:ылғы|ылы|\.)?\s*(?P<d>\d{{1,2}})\s*(?:{kk})\w*", re.I), "kk"),
        (re.compile(rf"(?P<d>\d{{1,2}})\s*(?:{kk})\w*\s*(?P<y>\d{{4}})?", re.I), "kk"),
        (re.compile(rf"(?P<d>\d{{1,2}})\s+(?:{ru})\w*(?:\s+(?P<y>\d{{4}})(?:\s*(?:года|г\.|г\b))?)?", re.I), "ru"),
        (re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:{en})\.?,?(?:\s+(?P<y>\d{{4}}))?", re.I), "en"),
        (re.compile(rf"(?:{en})\.?\s+(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?,?(?:\s+(?P<y>\d{{4}}))?", re.I), "en"),
        (re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\d.])"), "num"),
        (re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])"), "num"),
    ]


@cache
def _relative(lang: str) -> tuple[tuple[re.Pattern[str], int], ...]:
    """relative_days.tsv: words that name a day by its distance from the report's date."""
    return tuple((re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I), int(days))
                 for pattern, days in lang_rows("relative_days.tsv", lang))


def find(text: str, lang: str, default_year: int | None = None, offset: int = 0,
         published: date | None = None) -> list[FoundDate]:
    """Dates in the text; a day and month without a year take the article's year; "today",
    "бүгін", "сегодня" (and "yesterday" ...) are the report's own date (and the day before),
    when it is known. "July 2018" has no day: it is not read as "July 20"."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    if published is not None:
        for pattern, days in _relative(lang):
            for match in pattern.finditer(text):
                taken.append((match.start(), match.end()))
                found.append(FoundDate(published + timedelta(days=days), offset + match.start(), offset + match.end(),
                                       match.group()))
    for pattern, kind in _patterns():
        if kind not in (lang, "num"):
            continue
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            groups = match.groupdict()
            month = int(groups["m"]) if groups.get("m") else next(
                int(name[2:]) for name, value in groups.items() if value and name[:2] in ("kk", "ru", "en") and name[2:].isdigit()
            )
            year = int(groups["y"]) if groups.get("y") else default_year
            if year is None:
                continue
            try:
                value = date(year, month, int(groups["d"]))
            except ValueError:
                continue
            taken.append((match.start(), match.end()))
            found.append(FoundDate(value, offset + match.start(), offset + match.end(), match.group().strip()))
    return sorted(found, key=lambda d: d.start)
