"""Main text and metadata of a page: what is kept, what is refused, and that nothing is fetched."""

from __future__ import annotations

import pytest

from ingest import pipeline
from ingest.html_text import declared_language, decode, extract
from ingest.read import ReadError
from graph.store import open_store
from news_site import PAGES

ARTICLE = ("<p>Aktobe Region and Hebei Steel signed an agreement on a new ferroalloy plant worth USD 120 million. "
           "The plant will employ 500 people when it opens in 2028, the regional akimat said on Monday.</p>")


def page(body: str, head: str = "", lang: str | None = None) -> str:
    attr = f' lang="{lang}"' if lang else ""
    return f"<!doctype html><html{attr}><head><title>Deal</title>{head}</head><body><article>{body}</article></body></html>"


def test_saved_page_keeps_the_article_and_drops_menus_related_news_comments_and_cookie_notice() -> None:
    article = extract((PAGES / "ru_kostanay.html").read_text(encoding="utf-8"), "saved.html")
    assert article.text.startswith("Акимат Костанайской области") and article.text.endswith("в 2027 году.")
    for boilerplate in ("Главная", "Читайте также", "ТрансХромИнвест", "Лисаковска", "cookie", "Степной вестник"):
        assert boilerplate not in article.text
    assert (article.title, article.published, article.author) == (
        "В Костанае построят завод по сборке комбайнов", "2026-06-03", "Ольга Маркова")


def test_undeclared_language_is_detected_and_refused_only_when_sure() -> None:
    german = ("<p>Die Stadt Leipzig und ein Maschinenbauer aus Bayern haben einen Vertrag über ein neues Werk "
              "unterzeichnet. Das Unternehmen investiert rund 20 Millionen Euro und schafft 150 Arbeitsplätze.</p>")
    with pytest.raises(ReadError, match=r"another language \(de, detected\)"):
        extract(page(german), "de.html")
    assert extract(page("<p>Aktobe Region signed.</p>"), "short.html").text == "Aktobe Region signed."


FRENCH = ("<p>La région d'Aktobe a signé un accord avec la société chinoise Hebei Steel pour construire une "
          "usine de ferroalliages de 120 millions de dollars. L'usine emploiera 500 personnes en 2028.</p>")


@pytest.mark.parametrize(("body", "lang", "ok"), [
    (ARTICLE, "kk", True), (ARTICLE, "kz", True), (ARTICLE, "ru-RU", True), (ARTICLE, "en-GB", True),
    (ARTICLE, "fr", True),                      # the text is surely English: a site-wide template's lang= is wrong
    ("<p>Aktobe Region signed.</p>", "fr", False),   # too short to be sure: the declaration decides
    (FRENCH, "en", False),                      # surely French, whatever the page says
])
def test_the_text_decides_when_sure_else_the_declared_language(body: str, lang: str, ok: bool) -> None:
    if ok:
        assert extract(page(body, lang=lang), "p.html").text.startswith("Aktobe Region")
    else:
        with pytest.raises(ReadError, match=r"another language \(fr, (declared|detected)\)"):
            extract(page(body, lang=lang), "p.html")


def test_content_language_header_wins_over_the_page() -> None:
    assert declared_language(page(ARTICLE, lang="en"), "de-DE, en") == "de"
    assert declared_language('<meta http-equiv="Content-Language" content="ru">') == "ru"


def test_canonical_link_names_the_article_only_on_its_own_site() -> None:
    own = page(ARTICLE, '<link rel="canonical" href="/business/aktobe-ferroalloy">')
    assert extract(own, "x", "http://news.example.kz/amp/123").url == "http://news.example.kz/business/aktobe-ferroalloy"
    other = page(ARTICLE, '<link rel="canonical" href="https://original.example/aktobe">')
    assert extract(other, "x", "http://news.example.kz/amp/123").url == "http://news.example.kz/amp/123"


def test_page_saved_by_a_browser_is_named_by_the_address_it_was_saved_from() -> None:
    saved = "<!-- saved from url=(0041)https://news.example.kz/business/deal-123 -->\n" + page(ARTICLE)
    article = extract(saved, "deal.html")
    assert (article.url, article.source) == ("https://news.example.kz/business/deal-123", "deal.html")


def test_web_article_is_named_by_its_url_and_a_local_one_by_its_text() -> None:
    from ingest.article import Article

    one, changed = Article("Text one.", "https://a.example/x"), Article("Text two.", "https://a.example/x")
    other_outlet = Article("Text one.", "https://b.example/y")
    assert one.identity == changed.identity != other_outlet.identity
    assert one.content_hash == other_outlet.content_hash
    assert Article("Text one.", "a.txt").identity == Article("Text one.", "b.txt").identity == one.content_hash


def test_page_without_article_text_is_one_line() -> None:
    with pytest.raises(ReadError, match="no article text found on the page"):
        extract("<html><body><script>var a = 1;</script></body></html>", "empty.html")


def test_declared_charset_decodes_a_cp1251_page() -> None:
    data = page("<p>Аким Костанайской области подписал соглашение.</p>",
                '<meta charset="windows-1251">').encode("cp1251")
    assert "Костанайской" in decode(data, "x.html")
    assert "Костанайской" in decode(data.replace(b"windows-1251", b"unknown-charset"), "x.html")


def test_uploaded_page_makes_the_server_fetch_nothing(site, tmp_path) -> None:
    """The viewer's upload runs the same extraction; links, images and the canonical URL in an
    uploaded page never make the server request anything."""
    html = (PAGES / "kk_pavlodar.html").read_text(encoding="utf-8").replace(
        '<link rel="stylesheet" href="/static/site.css">',
        f'<link rel="stylesheet" href="{site.url("/static/site.css")}"><img src="{site.url("/i.png")}">'
        f'<link rel="canonical" href="{site.url("/feed.rss")}">')
    with open_store(str(tmp_path / "store")) as store:
        result = pipeline.ingest_uploaded(store, "saved.html", html.encode())
    assert result["articles"] == 1 and not result["errors"]
    assert site.log == []
