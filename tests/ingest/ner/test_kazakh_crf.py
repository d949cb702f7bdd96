"""Kazakh CRF tagger: IOB2 helpers, tagging of sentences written for these tests (not corpus
lines), and a floor on exact-span F1 over a fixed sample of KazNERD's test split."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.models.train_kazakh_ner import near_duplicate_groups, split
from ingest.ner.conll import (
    SEVEN_CLASSES,
    evaluate_sentences,
    iob_spans,
    iter_conll,
    read_conll,
)
from ingest.ner.kazakh_crf import EntityLexicon, KazakhTagger, stem, tokenize

KAZNERD_TEST = Path(__file__).resolve().parents[3].parent / "shared/data/kaznerd/IOB2_test.txt"


@pytest.fixture(scope="module")
def tagger() -> KazakhTagger:
    return KazakhTagger()


def spans_of(text: str, tagger: KazakhTagger) -> set[tuple[str, str]]:
    return {(text[start:end], label) for start, end, label in tagger.tag_text(text)}


def test_iob_spans_basic_and_adjacent_chunks() -> None:
    tags = ["B-PERSON", "I-PERSON", "O", "B-GPE", "B-GPE", "I-GPE"]
    assert iob_spans(tags) == {(0, 2, "PERSON"), (3, 4, "GPE"), (4, 6, "GPE")}


def test_iob_spans_stray_inside_tags_open_chunks_like_conlleval() -> None:
    assert iob_spans(["I-DATE", "I-DATE", "O"]) == {(0, 2, "DATE")}
    assert iob_spans(["B-MONEY", "I-DATE"]) == {(0, 1, "MONEY"), (1, 2, "DATE")}


def test_iob_spans_span_running_to_the_end_and_empty() -> None:
    assert iob_spans(["O", "B-ORGANISATION", "I-ORGANISATION"]) == {(1, 3, "ORGANISATION")}
    assert iob_spans([]) == set()
    assert iob_spans(["O", "O"]) == set()


def test_iter_conll_accepts_tabs_crlf_and_missing_final_blank_line() -> None:
    lines = ["Ол O\r\n", "\r\n", "Алматыға\tB-GPE\n", "барды O"]
    assert list(iter_conll(lines)) == [(["Ол"], ["O"]), (["Алматыға", "барды"], ["B-GPE", "O"])]


def test_tokenizer_keeps_kazakh_words_and_hyphens_and_splits_punctuation() -> None:
    text = "Қасым-Жомарт Тоқаев «Бәйтерек» холдингіне 1,5 млрд теңге бөлді."
    tokens = [t for _, _, t in tokenize(text)]
    assert tokens == ["Қасым-Жомарт", "Тоқаев", "«", "Бәйтерек", "»", "холдингіне",
                      "1", ",", "5", "млрд", "теңге", "бөлді", "."]
    assert all(text[s:e] == t for s, e, t in tokenize(text))


def test_stem_joins_case_forms_of_one_name() -> None:
    assert stem("тоқаевтың") == stem("тоқаевқа") == "тоқаев"


def test_entity_lexicon_matches_other_case_forms_longest_first(tmp_path: Path) -> None:
    lexicon = EntityLexicon.from_spans([
        (["Ұлттық", "банк"], "ORGANISATION"),
        (["Ұлттық", "банктің"], "ORGANISATION"),
        (["Ұлттық"], "NORP"),
        (["2024", "жылы"], "DATE"),
    ])
    assert set(lexicon.entries.values()) == {"ORGANISATION", "NORP"}  # digits left to shape
    tokens = ["Ұлттық", "банкке", "хат", "келді"]
    assert lexicon.match(tokens) == ["B-ORGANISATION", "I-ORGANISATION", None, None]
    path = tmp_path / "lexicon.txt"
    lexicon.dump(path, "test lexicon")
    assert EntityLexicon.load(path).entries == lexicon.entries


def test_holdout_keeps_near_duplicate_sentences_together() -> None:
    """KazNERD repeats sentences with numbers spelled out; twins must not straddle the split."""
    tail = ["тамызда", "Алматыдағы", "жаңа", "зауыттың", "ашылу", "салтанатына", "келеді", "."]
    twin_a = (["Министр", "20-сыншы", *tail], ["O"] * 10)
    twin_b = (["Министр", "жиырмасыншы", *tail], ["O"] * 10)
    others = [([f"Сөйлем{i}", "мүлде", "басқа", "."], ["O"] * 4) for i in range(20)]
    sentences = [twin_a, *others, twin_b]
    groups = near_duplicate_groups(sentences)
    assert [0, len(sentences) - 1] in groups
    for seed in range(5):
        train, dev = split(sentences, 0.3, seed)
        assert (twin_a in dev) == (twin_b in dev)
        assert len(train) + len(dev) == len(sentences)


def test_person_and_position_in_a_written_sentence(tagger: KazakhTagger) -> None:
    """KazNERD marks the whole title, region included, as one POSITION (Астана қаласының
    әкімі), so the tagger is expected to do the same."""
    text = "Павлодар облысының әкімі Асқар Жұмабеков жаңа зауыттың ашылуына қатысты."
    found = spans_of(text, tagger)
    assert ("Асқар Жұмабеков", "PERSON") in found
    assert ("Павлодар облысының әкімі", "POSITION") in found


def test_region_in_a_written_sentence(tagger: KazakhTagger) -> None:
    text = "Қытайлық инвесторлар Павлодар облысында мыс зауытын салады."
    assert ("Павлодар облысында", "GPE") in spans_of(text, tagger)


def test_money_and_date_in_a_written_sentence(tagger: KazakhTagger) -> None:
    text = "Компания 2025 жылы жаңа кен орнын игеруге 40 миллиард теңге салады."
    found = spans_of(text, tagger)
    assert ("40 миллиард теңге", "MONEY") in found
    assert ("2025 жылы", "DATE") in found


def test_minister_title_and_capital_city(tagger: KazakhTagger) -> None:
    text = "Ауыл шаруашылығы министрі Ербол Сапаров Астанада шетелдік инвесторлармен кездесті."
    found = spans_of(text, tagger)
    assert ("Ербол Сапаров", "PERSON") in found
    assert ("Астанада", "GPE") in found
    assert any(label == "POSITION" and part.endswith("министрі") for part, label in found)


def test_tag_text_handles_empty_and_multi_sentence_text(tagger: KazakhTagger) -> None:
    assert tagger.tag_text("") == []
    text = "Бүгін Шымкентке келді. Ертең Түркістанға барады."
    found = spans_of(text, tagger)
    assert ("Шымкентке", "GPE") in found
    assert ("Түркістанға", "GPE") in found


def test_exact_span_f1_on_a_kaznerd_test_sample() -> None:
    """Every 30th test sentence (~380 sentences, all seven classes present); the floor sits
    a little below the measured micro F1 (0.858; 0.882 on the whole split) so it guards
    against regressions, not noise."""
    if not KAZNERD_TEST.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"KazNERD test split missing: {KAZNERD_TEST}")
        pytest.skip(f"KazNERD test split not available at {KAZNERD_TEST}")
    sample = read_conll(KAZNERD_TEST)[::30]
    scores = evaluate_sentences(sample, KazakhTagger().tag, SEVEN_CLASSES)
    assert set(scores) == {"per_class", "micro"}
    assert set(scores["per_class"]) == set(SEVEN_CLASSES)
    assert scores["micro"]["f1"] >= 0.83
