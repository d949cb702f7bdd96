"""An HTML page -> its article: main text without the page around it, and its metadata.

A news page is mostly not the article: menus, "related news" lists, tag clouds, comments,
cookie notices and footers are full of other companies and places, and every sentence kept
from them becomes a wrong fact. trafilatura (the field's standard main-text extractor) keeps
the article body and reads title, publication date, author and canonical URL from the page.
Web pages and `.html` files saved from a browser both come through here.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urljoin, urlsplit

from py3langid.langid import MODEL_FILE, LanguageIdentifier
import trafilatura
from trafilatura.utils import load_html

from ingest.article import Article
from ingest.read import ReadError, decode as decode_text

LANGUAGES = {"kk", "kz", "ru", "en"}  # "kz" is the country code many Kazakh sites put in lang=
HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z-]+)", re.I)
META_LANG = re.compile(r"<meta\b[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content\s*=\s*[\"']?([A-Za-z-]+)",
                       re.I)
META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.I)
SURE = 0.9
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)
# langid's confusions inside the Cyrillic Turkic/Slavic family on short texts full of names:
# a Kazakh article with many Russian names can come out as Kyrgyz or Tatar, a Russian one as
# Ukrainian/Belarusian/Bulgarian. The project's own kk/ru detector decides those.
NEIGHBOURS = {"ky", "tt", "ba", "mn", "uk", "be", "bg", "mk", "sr"}


def decode(data: bytes, source: str, charset: str | None = None) -> str:
    """Bytes of a page -> text: the charset the server or the page declares, else UTF-8, else
    CP1251 when the non-ASCII letters it gives are Cyrillic (markup is ASCII either way)."""
    sniffed = META_CHARSET.search(data[:4096])
    for name in (charset, sniffed.group(1).decode("ascii") if sniffed else None):
        if name:
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                continue
    try:
        return decode_text(data, source)
    except ReadError:
        text = data.decode("cp1251", errors="replace")
        letters = [c for c in text if c.isalpha() and not c.isascii()]
        if letters and sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.9:
            return text
        raise


def declared_language(page: str, header: str | None = None) -> str | None:
    """The language the page says it is in (Content-Language header, <html lang>, meta), if any."""
    found = [m.group(1) for m in (HTML_LANG.search(page[:5000]), META_LANG.search(page[:20000])) if m]
    for value in (header, *found):
        primary = re.split(r"[-_,;\s]", (value or "").strip(), maxsplit=1)[0].lower()
        if re.fullmatch(r"[a-z]{2,3}", primary):
            return primary
    return None


@functools.cache
def _identifier():
    """langid's model with normalised probabilities (loads in ~0.6 s, so once per process)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def text_language(text: str) -> str | None:
    """The language of the main text when langid is sure of it (p >= 0.9), else None: short
    texts full of names get confident-looking but wrong guesses otherwise."""
    lang, probability = _identifier().classify(text[:5000])
    return lang if probability >= SURE else None


def check_language(text: str, source: str, declared: str | None) -> None:
    """Refuse a page that is not in Kazakh, Russian or English.

    The text decides when langid is sure of it (CMS templates often declare one language on
    every page of a site); otherwise the page's declared language does; a page with neither
    a sure guess nor a declaration is let through to the extractor's own detector."""
    guess = text_language(text)
    if guess in LANGUAGES or (guess is None and (declared is None or declared in LANGUAGES)):
        return
    if guess in NEIGHBOURS and (declared is None or declared in LANGUAGES):
        return
    lang, how = (guess, "detected") if guess else (declared, "declared")
    raise ReadError(f"{source}: page is in another language ({lang}, {how}); dealgraph reads Kazakh, Russian and English")


def same_site(a: str, b: str) -> bool:
    """Two URLs on one host (ignoring a leading www.)."""
    host = lambda u: (urlsplit(u).hostname or "").removeprefix("www.")  # noqa: E731
    return bool(host(a)) and host(a) == host(b)


def canonical_link(tree, base: str | None, page: str = "") -> str | None:
    """The page's own name for itself (<link rel=canonical>, else og:url, else the address a
    browser notes when it saves a page), made absolute."""
    saved = SAVED_FROM.search(page[:2000])
    for found in (tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"),
                  tree.xpath("//meta[@property='og:url']/@content"), [saved.group(1)] if saved else []):
        href = str(found[0]).strip() if found else ""
        absolute = urljoin(base, href) if base and href else href
        if absolute.startswith(("http://", "https://")):
            return absolute
    return None


def extract(page: str, source: str, url: str | None = None, content_language: str | None = None) -> Article:
    """The article of one page. ``url`` is where it was fetched from (None for a local file).

    The canonical link names the article when it is on the same site; a canonical pointing to
    another outlet (syndication) is ignored, so the same story from two outlets stays two
    articles. A leading line equal to the title is dropped: the headline is metadata, as a text
    file's header line is."""
    tree = load_html(page)
    if tree is None:
        raise ReadError(f"{source}: not an HTML page")
    canonical = canonical_link(tree, url, page)
    doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                                      include_images=False, include_links=False, deduplicate=False,
                                      prune_xpath=["//nav", "//footer"])
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        raise ReadError(f"{source}: no article text found on the page")
    title = (doc.title or "").strip()
    lines = text.split("\n")
    if title and lines[0].strip() == title and len(lines) > 1:
        text = "\n".join(lines[1:]).strip()
    check_language(text, source, declared_language(page, content_language))
    if url:
        canonical = canonical if canonical and same_site(canonical, url) else url
    date = doc.date if doc.date and re.match(r"\d{4}-\d{2}-\d{2}$", doc.date) else None
    return Article(text=text, source=canonical if url else source, title=title, published=date,
                   author=(doc.author or None), url=canonical)
