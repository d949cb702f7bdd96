"""Every vocabulary file in ingest/data loads: a header line naming its columns, no row wider than
the header, language keys that exist, and every regex column compiles (row by row, so a broken row
is named)."""

import re
from importlib import resources

import pytest

from ingest import lexicon

DATA = resources.files("ingest").joinpath("data")
TSV = sorted(p.name for p in DATA.iterdir() if p.name.endswith(".tsv"))
LANGS = {"kk", "ru", "en"}


def header(name: str) -> list[str]:
    first = DATA.joinpath(name).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("# "), f"{name}: the first line must be '# column<TAB>column...'"
    return first[2:].split("\t")


def rows(name: str) -> list[list[str]]:
    lines = DATA.joinpath(name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("name", TSV)
def test_every_tsv_has_a_header_and_rows_fit_it(name: str) -> None:
    columns = header(name)
    assert rows(name), f"{name}: no rows"
    for row in rows(name):
        assert len(row) <= len(columns), f"{name}: {row!r} has more columns than {columns!r}"
    if columns[0] == "lang":
        assert {row[0] for row in rows(name)} <= LANGS, name


@pytest.mark.parametrize("name", TSV)
def test_every_regex_column_compiles_row_by_row(name: str) -> None:
    columns = header(name)
    regex_columns = [i for i, c in enumerate(columns) if re.search(r"regex|pattern|marker|\bword\b|\bitem\b|noun|conjunction|\bform\b", c)]
    for row in rows(name):
        for i in regex_columns:
            if i < len(row) and row[i]:
                re.compile(row[i])


def test_loaders_build_everything() -> None:
    assert lexicon.gazetteer() and lexicon.money_words() and lexicon.months() and lexicon.sectors()
    for kind in ("case", "case_after_possessive", "possessive3", "plural", "surname", "derivation", "stem",
                 "name_case", "outside_case"):
        assert lexicon.suffixes(kind)
    for table in ("agreements.tsv", "status.tsv", "events.tsv", "projects.tsv", "roles.tsv", "org_markers.tsv"):
        for lang in LANGS:
            assert lexicon.for_lang(table, lang), (table, lang)
    for cls in ("company_head", "body_head", "geo", "document", "event", "facility", "non_name"):
        assert lexicon.word_set("name_words.tsv", "en", cls)
    for lang in LANGS:
        for cue in ("tail", "credit", "report"):
            assert lexicon.cue_regex("outlet_cues.tsv", lang, cue).pattern != "(?!)"
        assert lexicon.lang_rows("nationalities.tsv", lang) and lexicon.lang_rows("place_words.tsv", lang)
        assert lexicon.lang_rows("region_lists.tsv", lang)
    assert re.compile(lexicon.post_gap())
