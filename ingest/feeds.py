"""Where article URLs come from: RSS/Atom feeds, XML sitemaps, and plain lists of URLs.

Each reader takes bytes already fetched (see ``ingest.web``) and returns the article URLs in
document order; broken input is a :class:`FeedError` with one line naming the source.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXException

import feedparser
from lxml import etree

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_UNZIPPED = 50_000_000  # the sitemap protocol's own limit for one file


class FeedError(Exception):
    """A feed, sitemap or URL list that cannot be read; one line with its source."""


@dataclass(frozen=True)
class Sitemap:
    pages: list[str]
    sitemaps: list[str]   # children of a sitemap index, to fetch in turn


def _http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def feed_links(data: bytes, url: str) -> list[str]:
    """Item links of an RSS or Atom feed (relative links resolved against the feed URL)."""
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if parsed.bozo and isinstance(parsed.bozo_exception, SAXException):
        raise FeedError(f"{url}: broken feed XML ({_first_line(parsed.bozo_exception)})")
    if not parsed.version:
        raise FeedError(f"{url}: not an RSS or Atom feed")
    links = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", []) if l.get("href")), None)
        if link and _http(urljoin(url, link)):
            links.append(urljoin(url, link))
    return list(dict.fromkeys(links))


def sitemap(data: bytes, url: str) -> Sitemap:
    """Page URLs of a <urlset>, or the child sitemaps of a <sitemapindex> (same host only, as
    the sitemap protocol requires); gzip-compressed sitemaps are unpacked within a size cap."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, url)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"{url}: broken sitemap XML ({_first_line(exc)})") from exc
    locs = [(el.text or "").strip() for el in root.iter(f"{SITEMAP_NS}loc", "loc")]
    locs = [urljoin(url, loc) for loc in locs if loc]
    tag = etree.QName(root).localname
    if tag == "urlset":
        return Sitemap([loc for loc in dict.fromkeys(locs) if _http(loc)], [])
    if tag == "sitemapindex":
        host = urlsplit(url).hostname
        return Sitemap([], [loc for loc in dict.fromkeys(locs) if _http(loc) and urlsplit(loc).hostname == host])
    raise FeedError(f"{url}: not a sitemap (root element <{tag}>)")


def url_list(path: str) -> Iterator[str]:
    """A plain text file of URLs: one per line; blank lines and '#' comments are skipped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(f"{path}: cannot read the URL list ({getattr(exc, 'strerror', None) or exc})") from exc
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def _gunzip(data: bytes, url: str) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_UNZIPPED + 1)
    except zlib.error as exc:
        raise FeedError(f"{url}: broken gzip data ({exc})") from exc
    if len(out) > MAX_UNZIPPED:
        raise FeedError(f"{url}: unpacks to more than {MAX_UNZIPPED // 1_000_000} MB")
    return out


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:160]

