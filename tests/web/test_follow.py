"""`dealgraph ingest --feed/--sitemap/--urls/URL` against the local news site, end to end."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from graph.facts import article_facts
from graph.store import iter_rows, open_store
from ingest.cli import cli, facts_of
from ingest.read import read_paths

from news_site import ARTICLES, PAGES

BOILERPLATE = ["Tengri Steel", "Bazalt Group", "Екібастұз", "Атырау", "Қарағанды", "ТрансХромИнвест", "Хоргос",
               "Султангазиев", "Петропавловск", "Астан", "Лисаковск", "Рудн", "ACWA", "Mangystau", "Shubarkol",
               "Kazzinc", "Tashkent", "Ridder", "Semey", "Almaty", "Zhezkazgan", "Eurasian Development Bank",
               "Steppe Business Review", "Степной вестник", "Ертіс Жаршысы"]
SOURCES = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
SELECT ?g ?source (COUNT(?s) AS ?sentences) WHERE { GRAPH ?g { ?g a dg:Article ; dg:source ?source .
  ?s a dg:Sentence ; dg:inArticle ?g } } GROUP BY ?g ?source"""
LABELS = "SELECT DISTINCT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }"


@pytest.fixture(autouse=True)
def no_back_off(monkeypatch) -> None:
    """Retries still happen (the server sees them), without the waits between them."""
    from ingest import follow

    monkeypatch.setattr(follow, "Fetcher", functools.partial(follow.Fetcher, backoff=0))


@pytest.fixture
def run(tmp_path: Path):
    def invoke(*args: str):
        return CliRunner().invoke(cli, ["ingest", *args, "--store", str(tmp_path / "store"),
                                        "--cache", str(tmp_path / "cache"), "--delay", "0"])
    return invoke


def test_normalise_drops_fragments_and_tracking_parameters_only() -> None:
    from ingest.follow import normalise

    assert normalise("HTTP://News.Example.KZ/a?id=5&utm_source=tg&flag&fbclid=x#top") == "http://news.example.kz/a?id=5&flag"
    assert normalise("https://news.example.kz") == "https://news.example.kz/"


def dump(tmp_path: Path) -> set[str]:
    with open_store(str(tmp_path / "store")) as store:
        return set(store.dump(pyoxigraph.RdfFormat.N_QUADS).decode().splitlines())


def stored(tmp_path: Path) -> dict[str, dict]:
    """Facts of every article graph in the store, by its source URL."""
    with open_store(str(tmp_path / "store")) as store:
        return {row["source"].value: article_facts(store, row["g"].value)
                for row in iter_rows(store.query(SOURCES))}


def comparable(facts: dict) -> dict:
    """Facts with the lists the store keeps unordered (entities, parties) in one order."""
    for agreement in facts["agreements"]:
        agreement["parties"] = sorted(agreement["parties"])
    return {key: sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            if isinstance(value, list) else value for key, value in facts.items()}


def clean_facts(name: str) -> dict:
    facts = facts_of(next(read_paths([str(PAGES / f"{name}.txt")])))
    facts.pop("file")
    return comparable(facts)


def test_feed_gives_the_facts_of_the_clean_texts_with_urls_as_sources(run, site, tmp_path: Path) -> None:
    result = run("--feed", site.url("/feed.rss"))
    assert result.exit_code == 0, result.output
    assert "fetched 3, not modified 0, new 3" in result.output
    found = stored(tmp_path)
    assert set(found) == {site.url(path) for path in ARTICLES}
    for path, name in ARTICLES.items():
        facts = found[site.url(path)]
        assert facts.pop("file") == site.url(path)
        assert comparable(facts) == clean_facts(name), name
    with open_store(str(tmp_path / "store")) as store:
        labels = [row["l"].value for row in iter_rows(store.query(LABELS))]
        evidence = {row["source"].value for row in iter_rows(store.query(
            "PREFIX dg: <https://w3id.org/dealgraph/ontology#> SELECT DISTINCT ?source WHERE { "
            "?st dg:evidence ?s . ?s dg:inArticle ?a . ?a dg:source ?source }"))}
    assert not [label for label in labels if any(word in label for word in BOILERPLATE)]
    assert evidence == {site.url(path) for path in ARTICLES}


def test_second_run_asks_conditionally_fetches_nothing_and_changes_nothing(run, site, tmp_path: Path) -> None:
    assert run("--feed", site.url("/feed.rss")).exit_code == 0
    before = dump(tmp_path)
    site.log.clear()
    result = run("--feed", site.url("/feed.rss"))
    assert result.exit_code == 0, result.output
    assert "fetched 0, not modified 3, new 0, changed 0, unchanged 3" in result.output
    assert dump(tmp_path) == before
    for path in ["/feed.rss", *ARTICLES]:
        [(headers, status)] = site.requests_to(path)
        assert status == 304 and headers.get("If-None-Match")


def test_newer_extractor_re_extracts_from_the_cache_without_refetching(run, site, tmp_path, monkeypatch) -> None:
    from ingest import pipeline

    assert run("--feed", site.url("/feed.rss")).exit_code == 0
    monkeypatch.setattr(pipeline, "EXTRACTOR", "dealgraph.ingest 99.0")
    site.log.clear()
    result = run("--feed", site.url("/feed.rss"))
    assert "not modified 3" in result.output and "re-extracted from the cache 3" in result.output, result.output
    assert {status for path, _, status in site.log if path != "/robots.txt"} == {304}
    with open_store(str(tmp_path / "store")) as store:
        versions = {row["v"].value.split(" (")[0] for row in iter_rows(store.query(
            "SELECT DISTINCT ?v WHERE { ?s <https://w3id.org/dealgraph/ontology#extractor> ?v }"))}
    assert versions == {"dealgraph.ingest 99.0"}
    assert "re-extracted" not in run("--feed", site.url("/feed.rss")).output


def test_changed_page_replaces_its_article_and_only_it(run, site, tmp_path: Path) -> None:
    assert run("--feed", site.url("/feed.atom")).exit_code == 0
    path = "/business/east-kazakhstan-copper-wire-plant"
    page = (PAGES / "en_oskemen.html").read_text(encoding="utf-8")
    site.page(path, page.replace("EUR 40 million.", "EUR 55 million.").encode())
    result = run("--feed", site.url("/feed.atom"))
    assert "fetched 1, not modified 2, new 0, changed 1, unchanged 2" in result.output, result.output
    found = stored(tmp_path)
    assert len(found) == 3
    assert found[site.url(path)]["agreements"][0]["amount"] == 55_000_000


def test_sitemap_skips_what_robots_txt_disallows(run, site, tmp_path: Path) -> None:
    result = run("--sitemap", site.url("/sitemap.xml"))
    assert f"error: {site.url('/private/board-minutes')}: disallowed by robots.txt" in result.output
    assert site.requests_to("/private/board-minutes") == []
    assert len(stored(tmp_path)) == 3


def test_url_list_file_and_redirects_land_on_one_article(run, site, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# economy\n{site.url('/old/pavlodar')}\n\n{site.url('/kk/news/ekonomika/pavlodar-polimer-zauyt')}"
                       "?utm_source=telegram\n", encoding="utf-8")
    result = run("--urls", str(listing))
    assert result.exit_code == 0, result.output
    assert "duplicate 1" in result.output
    assert list(stored(tmp_path)) == [site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt")]


def test_one_canonical_url_or_one_text_on_one_site_is_one_article_on_two_sites_two(run, site, tmp_path) -> None:
    page = (PAGES / "ru_kostanay.html").read_text(encoding="utf-8")
    site.page("/ru/amp/kombainy", page.encode())                      # names the article page as canonical
    site.page("/ru/print/kombainy", re.sub(r'<meta property="og:url"[^>]*>', "", page).encode())  # names nothing
    result = run(site.url("/ru/economy/2026/06/03/kombainy-kostanay.html"), site.url("/ru/amp/kombainy"),
                 site.url("/ru/print/kombainy"))
    assert "new 1" in result.output and "duplicate 2" in result.output, result.output
    assert "same canonical URL" in result.output and "same text as" in result.output
    other_outlet = site.url("/ru/print/kombainy").replace("127.0.0.1", "localhost")
    result = run(other_outlet)
    assert "new 1" in result.output, result.output
    assert len(stored(tmp_path)) == 2


@pytest.mark.parametrize(("path", "reason"), [
    ("/files/report.pdf", "not an HTML page (content type application/pdf)"),
    ("/missing", "HTTP 404"),
    ("/broken", "HTTP 500"),
    ("/loop/a", "redirect loop"),
    ("/huge", "larger than the 5 MB page limit"),
    ("/de/nachrichten/leipzig-werk", "page is in another language (de, detected)"),
])
def test_bad_page_is_one_clear_line_and_nothing_in_the_store(run, site, tmp_path: Path, path: str, reason: str) -> None:
    result = run(site.url(path))
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {site.url(path)}") and reason in errors[0], result.output
    assert result.exit_code == 1
    assert stored(tmp_path) == {}


def test_broken_feed_is_one_clear_line_and_nothing_in_the_store(run, site, tmp_path: Path) -> None:
    result = run("--feed", site.url("/broken.rss"))
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "broken feed XML" in errors[0] and site.url("/broken.rss") in errors[0], result.output
    assert stored(tmp_path) == {}


def test_a_failing_page_never_stops_the_run(run, site, tmp_path: Path) -> None:
    result = run(site.url("/missing"), site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt"), site.url("/loop/a"))
    assert result.exit_code == 0
    assert "new 1" in result.output and "failed 2" in result.output
    assert len(stored(tmp_path)) == 1


def test_interrupted_run_resumes_from_the_cache_without_refetching(run, site, tmp_path: Path, monkeypatch) -> None:
    from ingest import follow

    real = follow.pipeline.ingest
    calls = []

    def dies_after_the_first_batch(store, items, *args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real(store, items, *args, **kwargs)

    monkeypatch.setattr(follow.pipeline, "ingest", dies_after_the_first_batch)
    result = CliRunner().invoke(cli, ["ingest", "--feed", site.url("/feed.rss"), "--batch-size", "1", "--delay", "0",
                                      "--store", str(tmp_path / "store"), "--cache", str(tmp_path / "cache")])
    assert result.exit_code != 0
    assert len(stored(tmp_path)) == 1
    monkeypatch.setattr(follow.pipeline, "ingest", real)
    site.log.clear()
    result = run("--feed", site.url("/feed.rss"))
    # the first page was written, the second fetched but not written, the third never reached
    assert "fetched 1, not modified 2, new 2, changed 0, unchanged 1" in result.output, result.output
    assert len(stored(tmp_path)) == 3
    first, second, third = ARTICLES
    assert [status for _, status in site.requests_to(first) + site.requests_to(second)] == [304, 304]
    assert [status for _, status in site.requests_to(third)] == [200]


def test_mixed_local_files_and_urls_in_one_call(run, site, tmp_path: Path) -> None:
    result = run(str(PAGES / "en_oskemen.html"), site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt"))
    assert result.exit_code == 0, result.output
    assert "2 article(s)" in result.output
    sources = set(stored(tmp_path))
    # a saved page names itself by its canonical link; the fetched one by its URL
    assert sources == {"https://www.steppe-review.example/business/east-kazakhstan-copper-wire-plant",
                       site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt")}


def test_extract_of_a_saved_page_equals_the_clean_text(tmp_path: Path) -> None:
    for name in ARTICLES.values():
        page = json.loads(CliRunner().invoke(cli, ["extract", str(PAGES / f"{name}.html")]).output)
        text = json.loads(CliRunner().invoke(cli, ["extract", str(PAGES / f"{name}.txt")]).output)
        page.pop("file"), text.pop("file")
        assert page == text, name
