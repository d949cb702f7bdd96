"""Feeds, sitemaps and URL lists: the article URLs they give, and one line when they are broken."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from ingest.feeds import FeedError, feed_links, sitemap, url_list
from news_site import atom, rss

BASE = "http://news.example.kz"


def test_rss_and_atom_give_absolute_item_links_in_order() -> None:
    assert feed_links(rss(BASE, ["/a", "/b"]).encode(), BASE + "/feed.rss") == [BASE + "/a", BASE + "/b"]
    assert feed_links(atom(BASE, ["a", "/b"]).encode(), BASE + "/feed.atom") == [BASE + "/a", BASE + "/b"]


def test_feed_links_that_are_not_http_are_dropped() -> None:
    feed = rss(BASE, ["/a"]).replace("</channel>", "<item><link>javascript:alert(1)</link></item></channel>")
    assert feed_links(feed.encode(), BASE + "/feed.rss") == [BASE + "/a"]


@pytest.mark.parametrize(("data", "message"), [
    (b"<rss version='2.0'><channel><item><title>x</ti", "broken feed XML"),
    (b"<html><body><p>Not a feed at all</p></body></html>", "not an RSS or Atom feed"),
])
def test_broken_feeds_are_one_line(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message) as info:
        feed_links(data, BASE + "/feed")
    assert str(info.value).startswith(BASE + "/feed: ") and "\n" not in str(info.value)


URLSET = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
          b"<url><loc>http://news.example.kz/a</loc></url><url><loc> http://news.example.kz/b </loc></url>"
          b"<url><loc>ftp://news.example.kz/c</loc></url></urlset>")


def test_sitemap_gives_page_urls_also_gzipped() -> None:
    assert sitemap(URLSET, BASE + "/sitemap.xml").pages == [BASE + "/a", BASE + "/b"]
    assert sitemap(gzip.compress(URLSET), BASE + "/sitemap.xml.gz").pages == [BASE + "/a", BASE + "/b"]


def test_sitemap_index_lists_child_sitemaps_of_its_own_host_only() -> None:
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>http://news.example.kz/s1.xml</loc></sitemap>"
             b"<sitemap><loc>http://elsewhere.example/s2.xml</loc></sitemap></sitemapindex>")
    found = sitemap(index, BASE + "/sitemap.xml")
    assert (found.pages, found.sitemaps) == ([], [BASE + "/s1.xml"])


def test_sitemap_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN-7f3a", encoding="utf-8")
    data = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://news.example.kz/p&x;</loc>'
            "</url></urlset>").encode()
    pages = sitemap(data, BASE + "/sitemap.xml").pages
    assert not any("TOKEN" in page for page in pages)


@pytest.mark.parametrize("data", [b"<urlset><url><loc>x</loc>", b"<html><body>hi</body></html>", b"\x1f\x8bnot gzip"])
def test_broken_sitemaps_are_one_line(data: bytes) -> None:
    with pytest.raises(FeedError) as info:
        sitemap(data, BASE + "/sitemap.xml")
    assert str(info.value).startswith(BASE + "/sitemap.xml: ")


def test_url_list_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("\ufeff# economy\nhttp://a.example/1\n\n  http://a.example/2  \n", encoding="utf-8")
    assert list(url_list(str(path))) == ["http://a.example/1", "http://a.example/2"]
    with pytest.raises(FeedError, match="cannot read the URL list"):
        list(url_list(str(tmp_path / "missing.txt")))
