"""The look-up structures that keep extraction fast find exactly what a plain search finds: the
word index over vocabulary rows, the known-organisation spellings, the gazetteer's per-token
names, the sector stems, the by-sentence mention index and the cached Russian base forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest import gazetteer, lexicon, mentions, relations, russian, sentences, word_index
from ingest.article import Article
from ingest.mentions import Finder, Mention
from ingest.read import read_paths
from ingest.sentences import Sentence

from tests.conftest import DATA

TABLES = ("agreements.tsv", "status.tsv", "events.tsv", "projects.tsv", "roles.tsv", "org_markers.tsv")
OWN_TEXTS = sorted(str(p) for p in [*(DATA / "dev").glob("*/*.txt"), *Path("samples").glob("*.txt")])


def own_sentences() -> list[tuple[str, str]]:
    """(language, sentence) of the project's own development texts and samples."""
    from ingest import language

    found = []
    for article in read_paths(OWN_TEXTS):
        lang = language.detect(article.text)
        found += [(lang, s.text) for s in sentences.split(article.text)]
    return found


def sentence(text: str) -> Sentence:
    return sentences.split(text)[0]


# ---------------------------------------------------------------------------------------------
# word_index


@pytest.mark.parametrize(("pattern", "opens"), [
    (r"(?<![\w-])(?:memorand\w*)", {"memorandum", "Memoranda"}),
    (r"(?<![\w-])(?:(?:облыс|өңір)\w* әкім\w*)", {"облысының", "Өңір"}),
    (r"(?<![\w-])(?:(?:first )?deputy akim)", {"first", "Deputy"}),  # an optional opening word
    (r"(?<![\w-])(?:келісім-шарт\w*)", {"келісім"}),  # only the word characters of the opening
    (r"(?<![\w.-])(?:Kazinform|Trend)", {"KAZINFORM", "trend"}),  # another look-behind that keeps out words
])
def test_an_opening_regex_matches_every_word_a_row_can_start_at(pattern: str, opens: set[str]) -> None:
    regex = word_index.opening_regex(re.compile(pattern, re.IGNORECASE))
    assert regex is not None
    assert all(regex.match(w) for w in opens)
    assert not regex.match("agreement")


@pytest.mark.parametrize("pattern", [
    r"(?:memorand\w*)",  # no word-start look-behind: it may match inside a word
    r"(?<![\w-])(?:[a-z]+ agreement)",  # a class, not a literal, opens it
    r"(?<![\w-])(?:\d+ memoranda)",
    r"(?<![\w-])(?:«deal»)",  # opens with a quote, not a word character
    r"(?<![\w-])(?:(?-i:Deal)s?)",  # a group with its own flags
    r"(?<![\w-])memorandum|agreement",  # the look-behind guards one alternative only
    r"(?<![^\w])(?:memorand\w*)",  # a look-behind that requires a word character
    r"(?a)(?<![\w-])(?:memorand\w*)",  # \w of ASCII only: a match may start inside a word
])
def test_a_row_whose_opening_cannot_be_told_is_always_searched(pattern: str) -> None:
    regex = re.compile(pattern, re.IGNORECASE)
    assert word_index.opening_regex(regex) is None
    assert word_index.PatternIndex([regex]).rows(frozenset()) == [0]


def test_the_index_returns_the_possible_rows_in_table_order() -> None:
    rows = [re.compile(p, re.IGNORECASE) for p in (r"(?<![\w-])(?:sign\w*)", r"(?<![\w-])(?:memorand\w*)",
                                                     r"(?:\$\d+)", r"(?<![\w-])(?:agree\w*)")]
    index = word_index.PatternIndex(rows)
    text = "The sides SIGNED a Memorandum worth $5"
    assert index.rows(word_index.words(text)) == [0, 1, 2]
    assert index.rows(word_index.words("Nothing here")) == [2]
    assert index.rows(word_index.words(text)) == [0, 1, 2]  # the same from the per-word cache


def test_every_vocabulary_row_that_matches_an_own_sentence_is_searched() -> None:
    """Over every sentence of the project's own texts: the rows the index skips match nowhere."""
    for lang, text in own_sentences():
        words = word_index.words(text)
        for table in TABLES:
            searched = {p.regex.pattern for p in lexicon.rows_matching(table, lang, words)}
            for p in lexicon.for_lang(table, lang):
                assert p.regex.pattern in searched or not p.regex.search(text), (table, p.regex.pattern, text)
        kept = {iso for iso, _ in lexicon.nationalities_matching(lang, words)}
        for iso, regex in lexicon.nationality_patterns(lang):
            assert iso in kept or not regex.search(text), (iso, text)
        for rows in (mentions._place_word_rows(lang), mentions._org_phrase_rows(lang)):
            table, index = rows
            searched = set(index.rows(words))
            assert all(n in searched or not row[0].search(text) for n, row in enumerate(table)), text


def test_triggers_are_searched_longest_pattern_first() -> None:
    table = lexicon.rows_matching("agreements.tsv", "en", frozenset(["memorandum", "agreement", "investment"]),
                                  longest_first=True)
    lengths = [len(p.regex.pattern) for p in table]
    assert table and lengths == sorted(lengths, reverse=True)


# ---------------------------------------------------------------------------------------------
# known organisations


def test_each_known_organisation_spelling_is_found_as_a_whole_word_only() -> None:
    for org in lexicon.known_organizations():
        for name, _pattern in org.patterns:
            hit = [m for m in mentions.find(sentence(f"Сделку поддержал {name} вчера."), "ru", 2026)
                   if m.kind == "organization" and m.data.get("canonical") == org.variants[0]]
            assert hit, name
            inside = [m for m in mentions.find(sentence(f"Сделку поддержал X{name}X вчера."), "ru", 2026)
                      if m.text == name]
            assert not inside, name


# ---------------------------------------------------------------------------------------------
# gazetteer


def test_a_lower_case_word_opens_no_capitalised_place_and_the_cache_keeps_cases_apart() -> None:
    assert [p.entry.id for p in gazetteer.find("They met in The Hague.")] == ["NL-The Hague"]
    assert gazetteer.find("the hague of it") == []
    assert [p.entry.id for p in gazetteer.find("They met in The Hague again.")] == ["NL-The Hague"]


def test_inflected_tokens_still_reach_their_place_after_the_base_form_was_seen() -> None:
    for text in ("Шанхай", "Шанхайда", "Шанхайдан", "Шанхай"):
        assert [p.entry.id for p in gazetteer.find(f"Делегация {text} келді.", 0, "kk")] == ["CN-Shanghai"]


# ---------------------------------------------------------------------------------------------
# tagged people


@pytest.mark.parametrize(("text", "pair"), [
    ("the akim met Askar Zhumagaliyev", True),
    ("the akim met «Askar Zhumagaliyev»", True),  # the name may start after a quote
    ("the akim met the investors", False),
    ("Akim met the investors", False),  # one capitalised word is no name of two
])
def test_a_capitalised_pair_is_where_a_tagged_name_can_be(text: str, pair: bool) -> None:
    assert mentions.capitalised_pair(text) is pair


def test_the_tagger_runs_only_where_its_names_can_be_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    tagged: list[str] = []
    monkeypatch.setattr(type(mentions.lang.get("ru")), "tagged_people", lambda self, text: tagged.append(text) or [])

    def tag(text: str, taken: tuple[str, ...] = ()) -> bool:
        """Whether the tagger runs on a sentence that opens with a post and has `taken` spans."""
        tagged.clear()
        f = Finder(sentence(text), "ru")
        f.add("role", 0, 5, "посол", role="ambassador", scope="country")
        for kind, words in (("region", w) for w in taken):
            at = text.index(words)
            f.add(kind, at, at + len(words), words)
        mentions.find_tagged_people(f)
        return bool(tagged)

    assert tag("Посол встретился с Айдосом Ермековым.")
    assert not tag("Посол встретился с инвесторами.")  # no two capitalised words
    assert not tag("Посол посетил Южно-Казахстанскую Область.",  # the only pair is a taken place
                   taken=("Южно-Казахстанскую Область",))


# ---------------------------------------------------------------------------------------------
# sectors, the by-sentence index, Russian base forms


@pytest.mark.parametrize(("text", "sectors"), [
    ("a steel plant and a copper smelter", ["metallurgy"]),
    ("the omnibus bill", []),  # a stem counts only at a word start: no "bus" in "omnibus"
    ("Ферросплавный завод", ["metallurgy"]),
])
def test_sector_stems_match_at_word_starts(text: str, sectors: list[str]) -> None:
    assert relations._sectors(text) == sectors


def test_mentions_by_sentence_keeps_article_order_within_each_sentence() -> None:
    ms = [Mention("city", 0, 1, "a", "a", 0), Mention("role", 5, 6, "b", "b", 1),
          Mention("person", 2, 3, "c", "c", 0), Mention("date", 7, 8, "d", "d", 1)]
    index = relations.mentions_by_sentence(ms)
    assert {k: [m.text for m in v] for k, v in index.items()} == {0: ["a", "c"], 1: ["b", "d"]}


def test_cached_name_readings_cannot_be_changed_by_a_caller() -> None:
    readings = russian.name_token_readings("Абзалом")
    assert isinstance(readings, tuple) and readings
    assert russian.person_base_form("Абзалом Абдикаримовым") == "Абзал Абдикаримов"
    assert russian.person_base_form("Абзала Абдикаримова") == "Абзал Абдикаримов"


def test_rows_with_other_flags_are_indexed_apart() -> None:
    rows = [re.compile(r"(?<![\w-])(?:Deal\w*)"), re.compile(r"(?<![\w-])(?:memorand\w*)", re.IGNORECASE)]
    index = word_index.PatternIndex(rows)
    assert index.rows(word_index.words("a deal and a MEMORANDUM")) == [1]
    assert index.rows(word_index.words("Deals")) == [0]


def test_the_company_of_an_anaphoric_post_is_the_one_named_last_before_it() -> None:
    from ingest import pipeline

    text = ("Zhongtai Steel Ltd opened an office in Astana. Polymet LLP also came. "
            "The company's president John Smith met the investors.")
    x = pipeline.analyse(Article(text=text, source="test.txt")).extraction
    assert [(p.official, p.of) for p in x.posts] == [("official:john smith", "company:polymet")]
