"""The polite fetcher against the local news site: what it asks for, what it refuses, and why."""

from __future__ import annotations

import gzip

import pytest

from ingest.web import USER_AGENT, FetchError, Fetcher
from news_site import PAGES


def fetcher(**options) -> Fetcher:
    return Fetcher(**{"delay": 0, "backoff": 0, **options})


def test_page_is_fetched_with_our_user_agent_and_validators(site) -> None:
    response = fetcher().get(site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt"))
    assert (response.status, response.content_type, response.charset) == (200, "text/html", "utf-8")
    assert response.etag and response.last_modified
    assert "Павлодар облысының әкімдігі" in response.body.decode()
    headers, _ = site.requests_to("/kk/news/ekonomika/pavlodar-polimer-zauyt")[0]
    assert headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("dealgraph/")
    assert headers["Accept"].startswith("text/html")


def test_compressed_page_is_read_whole(site) -> None:
    body = (PAGES / "en_oskemen.html").read_bytes()
    site.routes["/gz"] = (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzip.compress(body))
    assert fetcher().get(site.url("/gz")).body == body


def test_conditional_get_is_answered_not_modified(site) -> None:
    path = "/ru/economy/2026/06/03/kombainy-kostanay.html"
    first = fetcher().get(site.url(path))
    again = fetcher().get(site.url(path), etag=first.etag, last_modified=first.last_modified)
    assert (again.status, again.body) == (304, b"")
    headers, status = site.requests_to(path)[-1]
    assert (headers["If-None-Match"], headers["If-Modified-Since"], status) == (first.etag, first.last_modified, 304)


def test_robots_txt_is_read_once_and_honoured(site) -> None:
    client = fetcher()
    client.get(site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt"))
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        client.get(site.url("/private/board-minutes"))
    assert site.requests_to("/private/board-minutes") == []
    assert len(site.requests_to("/robots.txt")) == 1


def test_robots_txt_server_error_means_no_fetching_from_that_host(site) -> None:
    site.routes["/robots.txt"] = (503, {"Content-Type": "text/plain"}, b"down")
    with pytest.raises(FetchError, match="robots.txt answered HTTP 503"):
        fetcher().get(site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt"))
    assert site.requests_to("/kk/news/ekonomika/pavlodar-polimer-zauyt") == []


def test_missing_robots_txt_means_no_rules(site) -> None:
    del site.routes["/robots.txt"]
    assert fetcher().get(site.url("/private/board-minutes")).status == 200


def test_robots_txt_rules_for_our_agent_apply(site) -> None:
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: dealgraph\nDisallow: /kk/\n")
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        fetcher().get(site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt"))


def test_redirect_is_followed_to_the_final_url(site) -> None:
    response = fetcher().get(site.url("/old/pavlodar"))
    assert response.url == site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt")


@pytest.mark.parametrize(("path", "message"), [
    ("/loop/a", "redirect loop"),
    ("/missing", "HTTP 404"),
    ("/broken", "HTTP 500"),
    ("/files/report.pdf", "not an HTML page (content type application/pdf)"),
    ("/huge", "20.0 MB is larger than the 5 MB page limit"),
    ("/huge-streamed", "larger than the 5 MB page limit"),
])
def test_bad_responses_are_one_line_with_url_and_reason(site, path: str, message: str) -> None:
    with pytest.raises(FetchError) as info:
        fetcher().get(site.url(path))
    text = str(info.value)
    assert text.startswith(site.url(path)) and message in text and "\n" not in text


def test_a_server_dripping_bytes_is_given_up(site) -> None:
    with pytest.raises(FetchError, match="still sending after"):
        fetcher(timeout=0.5).get(site.url("/drip"))


def test_server_errors_are_retried_with_back_off(site) -> None:
    waits: list[float] = []
    client = Fetcher(delay=0, backoff=0.5, retries=2, sleep=waits.append)
    with pytest.raises(FetchError, match=r"HTTP 500 .*after 2 retries"):
        client.get(site.url("/broken"))
    assert len(site.requests_to("/broken")) == 3
    assert waits == [0.5, 1.0]


def test_retry_after_of_a_busy_server_is_honoured(site) -> None:
    site.routes["/busy"] = (429, {"Content-Type": "text/html", "Retry-After": "7"}, b"slow down")
    waits: list[float] = []
    with pytest.raises(FetchError, match="HTTP 429"):
        Fetcher(delay=0, backoff=0.5, retries=1, sleep=waits.append).get(site.url("/busy"))
    assert waits == [7.0]


def test_client_errors_are_not_retried(site) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher(retries=3).get(site.url("/missing"))
    assert len(site.requests_to("/missing")) == 1


def test_requests_to_one_host_are_spaced_by_the_delay() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 3))
        now[0] += seconds

    client = Fetcher(delay=2.0, sleep=sleep, clock=lambda: now[0])
    client._wait_turn("http://a.example/1")
    now[0] += 0.5
    client._wait_turn("http://a.example/2")
    client._wait_turn("http://b.example/1")
    assert waits == [1.5]


def test_crawl_delay_of_robots_txt_wins_when_longer(site) -> None:
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 3\n")
    waits: list[float] = []
    client = Fetcher(delay=0.1, sleep=waits.append, clock=lambda: 0.0)
    client.get(site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt"))
    assert waits and all(w == 3.0 for w in waits)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x", "javascript:alert(1)",
                                 "http:///nohost", "/relative/path"])
def test_only_http_urls_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="not an http\\(s\\) URL"):
        fetcher().get(url)


def test_redirect_to_another_scheme_is_refused(site) -> None:
    site.routes["/to-file"] = (302, {"Location": "file:///etc/passwd"}, b"")
    with pytest.raises(FetchError, match="not an http\\(s\\) URL"):
        fetcher().get(site.url("/to-file"))


def test_feed_content_type_is_checked_for_feeds(site) -> None:
    assert fetcher().get(site.url("/feed.rss"), "feed").status == 200
    with pytest.raises(FetchError, match="not an RSS/Atom feed"):
        fetcher().get(site.url("/kk/news/ekonomika/pavlodar-polimer-zauyt"), "feed")
