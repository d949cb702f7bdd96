"""Web ingest against the reader it replaced: what each keeps of a real-looking news page, the
facts that follow, and how many pages per second fetching and extraction manage.

Outside the test run: ``.venv/bin/python bench/web.py [--copies 100]``.

Pages: the three article pages of ``tests/data/web`` (kk, ru, en, each inside a menu, related
news, comments, a cookie notice and a footer), with their clean article texts beside them.
Both readers run in the same process on the same pages:

* BASELINE: the HTML reader of ``ingest/read.py`` before issue 12 (all visible text except
  ``nav``/``footer``), kept below verbatim;
* NEW: ``ingest.html_text.extract`` (trafilatura main text + metadata).

Quality, per reader: sentences of its text that are not sentences of the clean article
(boilerplate kept), clean sentences it lost, the facts it yields scored against the facts of
the clean text (``ingest.evaluate.score``: the clean text's facts are the gold; note that its
greedy matching scores one record, f01_ru, below 1.0 even against itself), and the number of
articles whose facts are exactly the clean text's. With ``../shared/field`` present, its
f01-f08 texts (never f09-f12) are also wrapped into the three pages' boilerplate and measured.

Throughput: the test suite's local news site (``tests/web/news_site.py``) on 127.0.0.1 serves
``--copies`` distinct URLs per page; measured are fetch only (polite fetcher, delay 0, so the
figure is the client's and the local server's cost, not a crawl rate: a real crawl waits
``--delay`` seconds per host), extraction only (both readers, over the fetched bodies), and a
second, conditional pass (every URL answered 304).
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "web")]

from ingest import html_text, sentences  # noqa: E402
from ingest.article import Article  # noqa: E402
from ingest.cli import facts_of  # noqa: E402
from ingest.evaluate import score  # noqa: E402
from ingest.read import ReadError, read_paths  # noqa: E402
from ingest.web import Fetcher  # noqa: E402
from news_site import ARTICLES, PAGES, start  # noqa: E402


REPEATS = 3


# ---- BASELINE: ingest/read.py's HTML reader before issue 12, verbatim ----------------------
class _TextOfHtml(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "header"}
    SKIP = {"script", "style", "noscript", "template", "nav", "footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.meta: dict[str, str] = {}
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            a = {k: v or "" for k, v in attrs}
            key = a.get("property") or a.get("name") or a.get("itemprop")
            if key and a.get("content"):
                self.meta[key.lower()] = a["content"]
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def baseline_parse_html(text: str, source: str) -> Article:
    parser = _TextOfHtml()
    parser.feed(text)
    parser.close()
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in "".join(parser.parts).split("\n")]
    body = "\n".join(ln for ln in lines if ln)
    if not body:
        raise ReadError(f"{source}: HTML page has no visible text")
    meta = parser.meta
    date = meta.get("article:published_time") or meta.get("datepublished") or meta.get("date")
    return Article(
        text=body,
        source=source,
        title=html.unescape(meta.get("og:title") or parser.title).strip(),
        published=date[:10] if date and re.match(r"\d{4}-\d{2}-\d{2}", date) else None,
        author=meta.get("author"),
        url=meta.get("og:url"),
    )


# ---------------------------------------------------------------------------------------------


def sentence_set(text: str) -> set[str]:
    return {re.sub(r"\s+", " ", s.text).strip() for s in sentences.split(text)}


BODY = {"kk": r'(<div class="news-body">)(.*?)(</div>\s*<div class="tags">)',
        "ru": r'(<div itemprop="articleBody" class="article-text">)(.*?)(</div>\s*<p class="source-note">)',
        "en": r'(<div class="story-body">)(.*?)(</div>\s*<div class="newsletter">)'}
TEMPLATE = {"kk": "kk_pavlodar", "ru": "ru_kostanay", "en": "en_oskemen"}


def wrap(clean: Article, lang: str) -> str:
    """A clean article inside the page (menu, related news, comments, cookie notice, footer) of
    the test site in its language: its paragraphs replace the page's, its title the page's."""
    page = (PAGES / f"{TEMPLATE[lang]}.html").read_text(encoding="utf-8")
    old = next(read_paths([str(PAGES / f"{TEMPLATE[lang]}.txt")]))
    paragraphs = "".join(f"\n<p>{html.escape(line)}</p>" for line in clean.text.splitlines() if line.strip())
    page = re.sub(BODY[lang], lambda m: m.group(1) + paragraphs + "\n" + m.group(3), page, count=1, flags=re.S)
    page = page.replace(old.title, html.escape(clean.title))
    return page.replace(old.published or "-", clean.published or "2026-01-01")


def quality(reader, page: str, clean: Article, name: str) -> dict:
    """A page refused by a reader counts as every clean sentence lost and no facts."""
    gold = facts_of(clean)
    try:
        article = reader(page, f"{name}.html")
        facts = facts_of(Article(article.text, clean.source, article.title, article.published))
    except (ReadError, ValueError) as exc:
        print(f"    {name}: refused ({exc})")
        article, facts = Article("", name), {kind: [] for kind in gold if isinstance(gold[kind], list)}
    found, wanted = sentence_set(article.text), sentence_set(clean.text)
    return {"kept": len(found - wanted), "lost": len(wanted - found), "sentences": len(found),
            "gold": gold, "facts": facts}


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:8.1f} pages/s ({seconds * 1000 / count:6.2f} ms/page)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=100, help="URLs served per page for the throughput runs")
    parser.add_argument("--field", type=Path, default=ROOT.parent / "shared" / "field",
                        help="field set folder: its f01-f08 texts are also wrapped into the pages [../shared/field]")
    args = parser.parse_args()
    readers = {"baseline (old reader)": baseline_parse_html, "trafilatura (new)": html_text.extract}

    html_text.extract((PAGES / "en_oskemen.html").read_text(encoding="utf-8"), "warm-up")
    own = [((PAGES / f"{name}.html").read_text(encoding="utf-8"), next(read_paths([str(PAGES / f"{name}.txt")])), name)
           for name in ARTICLES.values()]
    report_quality("the three test pages", own, readers, detail=True)
    field = sorted(p for p in args.field.glob("*/f0[1-8]_*.txt")) if args.field.is_dir() else []
    if field:
        wrapped = []
        for path in field:
            clean = next(read_paths([str(path)]))
            wrapped.append((wrap(clean, path.parent.name), clean, path.stem))
        report_quality(f"{len(field)} field texts f01-f08 wrapped in the test pages", wrapped, readers, detail=False)
    else:
        print(f"(no field set at {args.field}: only the test pages)")
    throughput(args.copies, readers)


def report_quality(what: str, pages: list[tuple[str, Article, str]], readers: dict, detail: bool) -> None:
    print(f"== Quality on {what} (boilerplate sentences kept / clean sentences lost / facts vs the clean text's)")
    for label, reader in readers.items():
        rows = [quality(reader, page, clean, name) for page, clean, name in pages]
        result = score((row["gold"], row["facts"]) for row in rows)["micro"]
        kept, lost, total = (sum(row[k] for row in rows) for k in ("kept", "lost", "sentences"))
        same = sum(row["facts"] == row["gold"] for row in rows)
        print(f"{label:<24} sentences {total:3d}, boilerplate kept {kept:3d}, clean lost {lost:2d} | facts "
              f"tp {result['tp']:3d} fp {result['fp']:3d} fn {result['fn']:3d}  P {result['precision']:.3f} "
              f"R {result['recall']:.3f} F1 {result['f1']:.3f} | identical to the clean text's in {same}/{len(rows)}")
        for (_, _, name), row in (zip(pages, rows) if detail else ()):
            extra = sorted({e["name"] for kind in ("regions", "places", "officials", "organizations", "companies")
                            for e in row["facts"][kind]} - {e["name"] for kind in ("regions", "places", "officials",
                            "organizations", "companies") for e in row["gold"][kind]})
            print(f"    {name:<12} kept {row['kept']:2d} lost {row['lost']:2d}  entities not in the article: "
                  f"{', '.join(extra) or '-'}")


def throughput(copies: int, readers: dict) -> None:
    site, server, thread = start()
    try:
        bodies = {name: (PAGES / f"{name}.html").read_bytes() for name in ARTICLES.values()}
        urls = []
        for name, body in bodies.items():
            for i in range(copies):
                path = f"/bench/{name}/{i}"
                site.page(path, body)
                urls.append(site.url(path))
        fetcher = Fetcher(delay=0, backoff=0)
        fetcher.get(site.url(next(iter(ARTICLES))))  # robots.txt read, connection open
        timings: dict[str, list[float]] = {}
        for _ in range(REPEATS):   # interleaved, so a change of machine load hits every figure alike
            t = time.perf_counter()
            responses = [fetcher.get(url) for url in urls]
            timings.setdefault("fetch (200, body read)", []).append(time.perf_counter() - t)
            t = time.perf_counter()
            again = [fetcher.get(url, etag=r.etag, last_modified=r.last_modified) for url, r in zip(urls, responses)]
            timings.setdefault("fetch again (conditional, 304)", []).append(time.perf_counter() - t)
            assert all(r.status == 304 for r in again)
            pages = [(html_text.decode(r.body, r.url, r.charset), r.url) for r in responses]
            for label, reader in readers.items():
                t = time.perf_counter()
                for page, url in pages:
                    reader(page, url) if reader is baseline_parse_html else reader(page, url, url)
                timings.setdefault(f"extract, {label}", []).append(time.perf_counter() - t)
        fetcher.close()
        median = {label: statistics.median(runs) for label, runs in timings.items()}
        for label in readers:
            median[f"fetch + extract, {label}"] = median["fetch (200, body read)"] + median[f"extract, {label}"]
        print(f"\n== Throughput on 127.0.0.1 ({len(urls)} URLs, {copies} per page; median of {REPEATS} "
              "interleaved runs)")
        for label, seconds in median.items():
            print(f"{label:<40} {rate(len(urls), seconds)}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


if __name__ == "__main__":
    main()
