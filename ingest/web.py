"""Polite HTTP fetching of what the user asked for: pages, feeds, sitemaps.

Polite means what site owners expect from a crawler: robots.txt honoured (with its
Crawl-delay), a pause between two requests to one host, a User-Agent that says who is
asking, retries with back-off on transient failures only, timeouts, conditional GET
(ETag / Last-Modified, so an unchanged page costs a 304 and no body), and a cap on how much
of a response is read. Only http/https URLs are fetched; redirects are followed by hand so
that each hop is checked (scheme, robots.txt, loops, count).

Every refusal is a :class:`FetchError` whose message is one line naming the URL and the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import requests
import urllib3

from ingest import __version__

USER_AGENT = f"dealgraph/{__version__} (+https://w3id.org/dealgraph; news-article ingest for a deal graph)"
MAX_BYTES = 5_000_000
ROBOTS_MAX_BYTES = 500 * 1024          # what RFC 9309 asks crawlers to read at least
RETRY_STATUSES = {429, 500, 502, 503, 504}
KINDS = {
    "page": {"text/html", "application/xhtml+xml"},
    "feed": {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
             "application/feed+xml"},
    "sitemap": {"application/xml", "text/xml", "application/x-gzip", "application/gzip"},
}
ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.8",
    "sitemap": "application/xml,text/xml;q=0.9",
}
KIND_NAMES = {"page": "an HTML page", "feed": "an RSS/Atom feed", "sitemap": "an XML sitemap"}


class FetchError(Exception):
    """A URL that could not be fetched; the message is one line with the URL and the reason."""


@dataclass(frozen=True)
class Response:
    url: str                      # after redirects
    status: int                   # 200, or 304 for a conditional GET answered "not modified"
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_language: str | None = None


def check_url(url: str) -> str:
    """Only absolute http(s) URLs with a host; the fragment is dropped (never sent anyway)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: not an http(s) URL")
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


@dataclass
class Fetcher:
    """One polite client for a run: a session, robots.txt per host, last request time per host."""

    user_agent: str = USER_AGENT
    delay: float = 1.0                 # seconds between two requests to one host (robots Crawl-delay if longer)
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 1.0               # first retry waits this long, then twice as long each time
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _robots: dict[str, RobotFileParser | str] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self._session.headers["User-Agent"] = self.user_agent
        self._session.trust_env = False    # no proxies or .netrc credentials picked up from the environment

    def close(self) -> None:
        self._session.close()

    def check_robots(self, url: str) -> None:
        """Raise unless robots.txt of the URL's host (read once per run) lets our User-Agent fetch it."""
        robots = self._robots_of(url)
        if isinstance(robots, str):
            raise FetchError(f"{url}: {robots}; not fetching from this host")
        if not robots.can_fetch(self.user_agent, url):
            raise FetchError(f"{url}: disallowed by robots.txt")

    def get(self, url: str, kind: str = "page", etag: str | None = None, last_modified: str | None = None) -> Response:
        """Fetch ``url`` as ``kind`` (page/feed/sitemap); conditional when etag/last_modified given."""
        url = check_url(url)
        seen = [url]
        headers = {"Accept": ACCEPT[kind]}
        headers |= {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        for _hop in range(self.max_redirects + 1):
            self.check_robots(url)
            response = self._request(url, headers)
            if response.status_code in (301, 302, 303, 307, 308):
                response.close()
                target = response.headers.get("Location")
                if not target:
                    raise FetchError(f"{url}: HTTP {response.status_code} redirect without a Location")
                try:
                    url = check_url(urljoin(url, target))
                except FetchError as exc:
                    raise FetchError(f"{seen[0]}: redirected to {target}, which is not an http(s) URL") from exc
                if url in seen:
                    raise FetchError(f"{seen[0]}: redirect loop ({' -> '.join([*seen, url])})")
                seen.append(url)
                continue
            return self._read(url, response, kind)
        raise FetchError(f"{seen[0]}: more than {self.max_redirects} redirects")

    def _request(self, url: str, headers: dict[str, str]) -> requests.Response:
        """One GET with retries on connection errors, timeouts and 429/5xx, backing off."""
        for attempt in range(self.retries + 1):
            self._wait_turn(url)
            try:
                response = self._session.get(url, headers=headers, timeout=self.timeout, stream=True,
                                             allow_redirects=False)
            except requests.Timeout:
                failure = f"{url}: timed out after {self.timeout:g} s"
            except requests.ConnectionError as exc:
                failure = f"{url}: cannot connect ({_reason(exc)})"
            except requests.RequestException as exc:
                raise FetchError(f"{url}: {_reason(exc)}") from exc
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                failure = f"{url}: HTTP {response.status_code} {response.reason or ''}".rstrip()
                wait = _retry_after(response.headers.get("Retry-After"))
                response.close()
                if attempt < self.retries:
                    self.sleep(min(max(wait or 0.0, self.backoff * 2 ** attempt), 60.0))
                continue
            if attempt < self.retries:
                self.sleep(self.backoff * 2 ** attempt)
        raise FetchError(failure + (f" (after {self.retries} retries)" if self.retries else ""))

    def _wait_turn(self, url: str) -> None:
        host = host_of(url)
        robots = self._robots.get(host)
        delay = max(self.delay, float((robots.crawl_delay(self.user_agent) or 0) if robots else 0))
        last = self._last.get(host)
        if last is not None and self.clock() - last < delay:
            self.sleep(delay - (self.clock() - last))
        self._last[host] = self.clock()

    def _read(self, url: str, response: requests.Response, kind: str) -> Response:
        headers = response.headers
        with response:
            if response.status_code == 304:
                return Response(url, 304, etag=headers.get("ETag"), last_modified=headers.get("Last-Modified"))
            if response.status_code != 200:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason or ''}".rstrip())
            mime, _, params = headers.get("Content-Type", "").partition(";")
            mime = mime.strip().lower()
            if mime not in KINDS[kind]:
                raise FetchError(f"{url}: not {KIND_NAMES[kind]} (content type {mime or 'missing'})")
            declared = headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"{url}: {int(declared) / 1_000_000:.1f} MB is larger than the "
                                 f"{self.max_bytes / 1_000_000:g} MB page limit")
            body = bytearray()
            deadline = time.monotonic() + 3 * self.timeout   # a server dripping bytes does not hold the run
            try:
                while chunk := response.raw.read1(64 * 1024, decode_content=True):   # as it arrives
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(f"{url}: larger than the {self.max_bytes / 1_000_000:g} MB page limit")
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url}: still sending after {3 * self.timeout:g} s; given up")
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                raise FetchError(f"{url}: connection broke while reading ({_reason(exc)})") from exc
        charset = next((p.split("=", 1)[1].strip().strip('"') for p in params.split(";")
                        if p.strip().lower().startswith("charset=")), None)
        return Response(url, 200, bytes(body), mime, charset, headers.get("ETag"), headers.get("Last-Modified"),
                        headers.get("Content-Language"))

    def _robots_of(self, url: str) -> RobotFileParser | str:
        """robots.txt as RFC 9309 reads it: 4xx means no rules; 5xx or unreachable means
        'disallow everything' for this run (returned as the reason, a string)."""
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = self._read_robots(host)
        return self._robots[host]

    def _read_robots(self, host: str) -> RobotFileParser | str:
        parser = RobotFileParser(host + "/robots.txt")
        self._wait_turn(host + "/robots.txt")
        try:
            with self._session.get(host + "/robots.txt", timeout=self.timeout, stream=True) as response:
                if response.status_code >= 500:
                    return f"robots.txt answered HTTP {response.status_code}"
                lines = [] if response.status_code >= 400 else \
                    response.raw.read(ROBOTS_MAX_BYTES, decode_content=True).decode("utf-8", "replace").splitlines()
        except requests.Timeout:
            return f"robots.txt timed out after {self.timeout:g} s"
        except requests.RequestException as exc:
            return f"cannot connect ({_reason(exc)})"
        parser.parse(lines)
        return parser


def _reason(exc: Exception) -> str:
    text = str(exc.args[0] if exc.args else exc)
    for marker in ("Connection refused", "Name or service not known", "Read timed out", "Connection reset"):
        if marker in text:
            return marker.lower()
    return text.splitlines()[0][:160] if text else type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
