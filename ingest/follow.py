"""Following the web: URLs, feeds, sitemaps and URL lists -> articles in the store, incrementally.

A run lists the article URLs (feeds and sitemaps are fetched first), then for each URL asks
the server only for what changed since the last run (conditional GET against the page
cache), extracts the main text of new or changed pages, drops duplicates (one canonical URL,
or one text on one site under two URLs), and writes the articles in batches. After each
batch is in the store the cache records what was ingested, so a killed run resumes from the
cache without refetching, and a run over an unchanged feed fetches nothing and writes nothing.

A URL that fails (fetch, robots.txt, content type, size, parse, language) is reported with
its reason and the run goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from graph.store import Store
from ingest import feeds, html_text, pipeline
from ingest.article import Article
from ingest.pagecache import Entry, PageCache
from ingest.read import ReadError
from ingest.web import FetchError, Fetcher, Response, check_url

TRACKING = ("utm_", "fbclid", "gclid", "yclid", "_openstat")
MAX_SITEMAPS = 50


@dataclass
class Report:
    """What a run did, per URL of an article page."""

    listed: int = 0          # distinct article URLs from the arguments, feeds, sitemaps and lists
    fetched: int = 0         # answered 200 with a body
    not_modified: int = 0    # answered 304 to a conditional GET
    new: int = 0             # articles not in the store before
    changed: int = 0         # articles whose text changed since the last run
    unchanged: int = 0       # fetched again but the same text (or already ingested)
    reextracted: int = 0     # unchanged pages written again because the extractor is newer
    duplicates: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    summary: pipeline.Summary = field(default_factory=pipeline.Summary)

    def line(self) -> str:
        return (f"{self.listed} URL(s): fetched {self.fetched}, not modified {self.not_modified}, "
                f"new {self.new}, changed {self.changed}, unchanged {self.unchanged}, "
                f"duplicate {len(self.duplicates)}, failed {len(self.failures)}"
                + (f", re-extracted from the cache {self.reextracted}" if self.reextracted else ""))


def normalise(url: str) -> str:
    """One spelling per page: http(s) only, lower-case host, no fragment, no tracking parameters."""
    parts = urlsplit(check_url(url))
    query = "&".join(p for p in parts.query.split("&") if p and not p.split("=", 1)[0].lower().startswith(TRACKING))
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, query, ""))


class Follower:
    """One run over the web with one fetcher, one page cache and one report."""

    def __init__(self, fetcher: Fetcher, cache: PageCache) -> None:
        self.fetcher = fetcher
        self.cache = cache
        self.report = Report()
        self.known: dict[str, str] = cache.articles()   # article URL -> content hash in the store
        self._run_urls: set[str] = set()
        self._texts = {(urlsplit(u).hostname or "", h): u for u, h in self.known.items()}

    # -- where the URLs come from ------------------------------------------------------------
    def list_urls(self, urls: Iterable[str] = (), feed_urls: Iterable[str] = (), sitemap_urls: Iterable[str] = (),
                  url_files: Iterable[str] = ()) -> list[str]:
        """Article URLs in order, each once; a feed, sitemap or list that fails is reported."""
        found: list[str] = list(urls)
        for path in url_files:
            try:
                found += list(feeds.url_list(path))
            except feeds.FeedError as exc:
                self.report.failures.append(str(exc))
        for url in feed_urls:
            body = self._source_body(url, "feed")
            try:
                found += feeds.feed_links(body, url) if body is not None else []
            except feeds.FeedError as exc:
                self.report.failures.append(str(exc))
        pending, seen = list(sitemap_urls), 0
        while pending and seen < MAX_SITEMAPS:
            url, seen = pending.pop(0), seen + 1
            body = self._source_body(url, "sitemap")
            try:
                parsed = feeds.sitemap(body, url) if body is not None else feeds.Sitemap([], [])
            except feeds.FeedError as exc:
                self.report.failures.append(str(exc))
                continue
            found += parsed.pages
            pending += parsed.sitemaps
        listed: dict[str, None] = {}
        for url in found:
            try:
                listed[normalise(url)] = None
            except FetchError as exc:
                self.report.failures.append(str(exc))
        self.report.listed = len(listed)
        return list(listed)

    def _source_body(self, url: str, kind: str) -> bytes | None:
        """A feed or sitemap, conditionally fetched; the cached copy when it did not change."""
        try:
            url = normalise(url)
            entry = self.cache.entry(url)
            cached = self.cache.body(url) if entry else None
            response = self.fetcher.get(url, kind, *(_validators(entry) if cached is not None else (None, None)))
        except FetchError as exc:
            self.report.failures.append(str(exc))
            return None
        if response.status == 304:
            return cached
        self.cache.store(_entry_of(url, response), response.body)
        return response.body

    # -- pages -> articles ---------------------------------------------------------------------
    def articles(self, urls: Iterable[str]) -> Iterator[tuple[str, Article]]:
        """(page URL, article) for each page that is new or changed since the last run."""
        for url in urls:
            article = self._article(url)
            if article is not None:
                yield url, article

    def _article(self, url: str) -> Article | None:
        entry = self.cache.entry(url)
        cached = self.cache.body(url) if entry else None
        try:
            response = self.fetcher.get(url, "page", *(_validators(entry) if cached is not None else (None, None)))
        except FetchError as exc:
            self.report.failures.append(str(exc))
            return None
        if response.status == 304:
            self.report.not_modified += 1
            if entry.ingested and entry.extractor == pipeline.EXTRACTOR:
                self.report.unchanged += 1
                return None
            # fetched by a run that did not finish, or written by an older extractor
            body, final = cached, entry.final_url or url
        else:
            self.report.fetched += 1
            fresh = _entry_of(url, response)
            if entry:
                fresh.ingested, fresh.article_url, fresh.extractor = entry.ingested, entry.article_url, entry.extractor
            entry = self.cache.store(fresh, response.body)
            body, final = response.body, response.url
        try:
            article = html_text.extract(html_text.decode(body, final, entry.charset), final, final,
                                        entry.content_language)
        except ReadError as exc:
            self.report.failures.append(str(exc))
            return None
        return self._judge(url, article, redo=bool(entry.ingested) and entry.extractor != pipeline.EXTRACTOR)

    def _judge(self, url: str, article: Article, redo: bool = False) -> Article | None:
        """New, changed, unchanged or a duplicate of an article already seen."""
        key = article.url or url
        site = (urlsplit(key).hostname or "", article.content_hash)
        if key in self._run_urls:
            self.report.duplicates.append(f"{url}: same canonical URL as an earlier page ({key})")
            return None
        earlier = self._texts.get(site)
        if earlier and earlier != key:
            self.report.duplicates.append(f"{url}: same text as {earlier} on the same site")
            return None
        self._run_urls.add(key)
        self._texts[site] = key
        if self.known.get(key) == article.content_hash:
            if redo:
                self.report.reextracted += 1
                return article
            self.report.unchanged += 1
            self.cache.mark_ingested(url, article.content_hash, key, pipeline.EXTRACTOR)
            return None
        return article

    # -- articles -> store ---------------------------------------------------------------------
    def ingest(self, store: Store, urls: Iterable[str], batch_size: int = 50, workers: int = 1) -> Report:
        """Write new and changed articles batch by batch; the cache learns each batch once written."""
        batch: list[tuple[str, Article]] = []
        for pair in self.articles(urls):
            batch.append(pair)
            if len(batch) >= batch_size:
                self._write(store, batch, batch_size, workers)
                batch = []
        if batch:
            self._write(store, batch, batch_size, workers)
        return self.report

    def _write(self, store: Store, batch: list[tuple[str, Article]], batch_size: int, workers: int) -> None:
        summary = pipeline.ingest(store, [a for _, a in batch], batch_size, workers=workers)
        total = self.report.summary
        total.articles += summary.articles
        total.triples += summary.triples
        total.agreements += summary.agreements
        self.report.failures += summary.errors
        for url, article in batch:
            if any(error.startswith(f"{article.source}:") for error in summary.errors):
                continue
            key = article.url or url
            if key not in self.known:
                self.report.new += 1
            elif self.known[key] != article.content_hash:
                self.report.changed += 1
            self.known[key] = article.content_hash
            self.cache.mark_ingested(url, article.content_hash, key, pipeline.EXTRACTOR)
        self.cache.save_articles(self.known)


def _validators(entry: Entry | None) -> tuple[str | None, str | None]:
    return (entry.etag, entry.last_modified) if entry else (None, None)


def _entry_of(url: str, response: Response) -> Entry:
    return Entry(url=url, final_url=response.url, content_type=response.content_type, charset=response.charset,
                 content_language=response.content_language, etag=response.etag,
                 last_modified=response.last_modified)


def follow(store: Store, urls: Iterable[str] = (), feed_urls: Iterable[str] = (), sitemap_urls: Iterable[str] = (),
           url_files: Iterable[str] = (), cache_dir: str | Path | None = None, delay: float = 1.0,
           batch_size: int = 50, workers: int = 1,
           progress: Callable[[int], AbstractContextManager] | None = None) -> Report:
    """The whole run the CLI asks for: list, fetch, extract, deduplicate, write, report.

    ``progress(total)``, when given, makes a progress bar (an ``update(n)`` context manager)
    once the URLs are listed: a polite crawl of a large sitemap takes a while."""
    fetcher = Fetcher(delay=delay)
    try:
        follower = Follower(fetcher, PageCache(cache_dir))
        listed = follower.list_urls(urls, feed_urls, sitemap_urls, url_files)
        with progress(len(listed)) if progress else nullcontext() as bar:
            return follower.ingest(store, _counted(listed, bar.update) if bar else listed, batch_size, workers)
    finally:
        fetcher.close()


def _counted(urls: list[str], update: Callable[[int], None]) -> Iterator[str]:
    for url in urls:
        yield url
        update(1)
