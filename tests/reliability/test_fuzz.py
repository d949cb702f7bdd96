"""Hypothesis fuzzing of the readers (ingest/read.py) and the extractor's entry point
(ingest.pipeline.analyse) with hostile Unicode and SPARQL syntax in titles (issue 9, item 6).

Whatever comes in, a reader gives articles or one-line failures, an article holds only text a
store can keep and a real date or none, and a title full of SPARQL stays one literal."""

from __future__ import annotations

import datetime
import json

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.store import open_store
from ingest.article import Article
from ingest.pipeline import analyse
from ingest.read import Failure, ReadError, read_bytes

HOSTILE = [
    "\ud800", "\udfff", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",
    "\ufeff", "\u0000", "\u0007", "\u0301", "\u0336", "\r", "\n", "\t", "\u2028", "\u2029", "\u00a0", "\u3000",
    "\ufffd", "\U0001f600", "\U000e0041", "{", "}", "<", ">", "\"", "'", "\\", "#", "?", "$", "^^", "@en",
    "SELECT * WHERE { ?s ?p ?o }", "} ; DROP ALL ; INSERT DATA { <a> <b> <c> } #", "\"\"\" ; CLEAR ALL",
    "SERVICE <http://127.0.0.1:1/>", "<http://example.org/x>", "Ақтөбе облысы", "Актюбинской области",
    "Aktobe Region", "Sumec Group", "signed an agreement", "$5 million", "2024-13-45", "«", "»", "ﷺ", "עברית", "العربية",
]

pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12), st.characters(codec=None, categories=None))
hostile_text = st.lists(pieces, max_size=40).map("".join)
long_line = st.integers(min_value=1_000, max_value=20_000).map(lambda n: "A" * n)
titles = st.one_of(hostile_text, long_line)
dates = st.one_of(st.none(), st.sampled_from(["2024-13-45", "2024-02-29", "2023-02-29", "0000-00-00", "9999-12-31",
                                              "2024-01-01T00:00:00Z", "", "١٢٣٤-٠١-٠١"]), hostile_text)

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_items(items: list) -> None:
    for item in items:
        if isinstance(item, Failure):
            assert item.message and "\n" not in item.message and "Traceback" not in item.message
            continue
        assert isinstance(item, Article)
        assert all(storable(v) for v in (item.text, item.title, item.source) if v)
        if item.published is not None:
            datetime.date.fromisoformat(item.published)


@FAST
@given(records=st.lists(st.fixed_dictionaries({"text": hostile_text}, optional={
    "title": titles, "date": dates, "url": hostile_text, "author": hostile_text, "id": st.integers()}), max_size=5),
    junk=st.lists(st.binary(max_size=200), max_size=3))
def test_jsonl_reader_gives_one_item_per_line_and_nothing_unstorable(records: list[dict], junk: list[bytes]) -> None:
    lines = [json.dumps(r).encode() for r in records] + [j.replace(b"\n", b" ") for j in junk]
    items = list(read_bytes(b"\n".join(lines) + b"\n", "fuzz.jsonl", ".jsonl"))
    assert len(records) <= len(items) <= max(len(lines), 1)  # one item per record, at most one per line
    assert [i.source for i in items[:len(records)] if isinstance(i, Failure)] == \
        [f"fuzz.jsonl:{n}" for n, i in enumerate(items[:len(records)], start=1) if isinstance(i, Failure)]
    check_items(items)


@FAST
@given(data=st.one_of(st.binary(max_size=2_000), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".html", ".htm"]))
def test_text_and_html_readers_give_articles_or_one_line_refusals(data: bytes, suffix: str) -> None:
    try:
        items = list(read_bytes(data, f"fuzz{suffix}", suffix))
    except ReadError as exc:
        assert "\n" not in str(exc)
        return
    check_items(items)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(body=hostile_text, title=titles)
def test_extractor_takes_hostile_text_and_sparql_titles_stay_literals(body: str, title: str) -> None:
    article = Article(text=f"Aktobe Region signed an agreement with Sumec Group. {body}", source="fuzz", title=title)
    try:
        done = analyse(article).write()
    except ValueError as exc:  # the one way analyse refuses: one line
        assert "\n" not in str(exc)
        assert not (storable(body) and storable(title)), f"refused storable text: {exc}"
        return
    with open_store(":memory:") as store:
        store.replace_graphs({done.graph: done.triples})
        found = [row["t"].value for row in store.query(
            "SELECT ?t WHERE { ?a <http://purl.org/dc/terms/title> ?t }")]
        assert found == [title]
        assert store.named_graphs() == [done.graph]
        assert isinstance(store.query("ASK { ?s ?p ?o }"), ox.QueryBoolean)
