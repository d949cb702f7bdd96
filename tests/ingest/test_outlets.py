"""No news outlet is an entity in any dev article or in any of the 36 field articles, whatever
their position: dateline, "reports", photo credit."""

import re
from pathlib import Path

import pytest

from ingest import pipeline, read
from ingest.lexicon import cue_regex, rows

DEV = Path(__file__).resolve().parent.parent / "data" / "dev"
OUTLETS = {r[0].casefold() for r in rows("outlets.tsv")}
ENTITY_KINDS = ("region", "city", "country", "place", "organization", "company", "official")


def is_outlet(name: str, lang: str) -> bool:
    """The outlet's name, alone or with a word around it ("KAZINFORM The", "Kazinform News Agency")."""
    folded = name.casefold()
    tail = cue_regex("outlet_cues.tsv", lang, "tail").pattern
    return folded in OUTLETS or any(
        re.fullmatch(rf"(?:\w+ )?{re.escape(o)}(?: \w+|\s+(?:{tail}))?", folded) for o in OUTLETS)


def outlet_entities(path: Path) -> list[str]:
    extraction = pipeline.analyse(next(iter(read.read_paths([str(path)])))).extraction
    return [e.name for e in extraction.entities.values() if e.kind in ENTITY_KINDS and is_outlet(e.name, extraction.lang)]


@pytest.mark.parametrize("path", sorted(DEV.glob("*/*.txt")), ids=lambda p: p.name)
def test_no_outlet_is_an_entity_in_dev(path: Path) -> None:
    assert outlet_entities(path) == []


@pytest.mark.parametrize("name", [f"{lang}/f{n:02d}_{lang}.txt" for lang in ("kk", "ru", "en") for n in range(1, 13)])
def test_no_outlet_is_an_entity_in_the_field_set(field_dir: Path, name: str) -> None:
    assert outlet_entities(field_dir / name) == []
