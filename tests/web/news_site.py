"""A small news site on 127.0.0.1 for the web-ingest tests.

It serves the three article pages of tests/data/web (kk, ru, en, each inside menus, related
news, comments, a cookie notice and a footer), an RSS and an Atom feed, a sitemap, robots.txt
disallowing /private/, redirects, a redirect loop, 404 and 500, a PDF, an oversized page, a
German page and a broken feed; it answers conditional GETs with 304 and logs every request.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "data" / "web"
LAST_MODIFIED = "Tue, 12 May 2026 06:00:00 GMT"
ARTICLES = {
    "/kk/news/ekonomika/pavlodar-polimer-zauyt": "kk_pavlodar",
    "/ru/economy/2026/06/03/kombainy-kostanay.html": "ru_kostanay",
    "/business/east-kazakhstan-copper-wire-plant": "en_oskemen",
}
GERMAN = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Neues Werk in Leipzig</title></head>
<body><nav><a href="/">Startseite</a></nav><article><h1>Neues Werk in Leipzig</h1>
<p>Die Stadt Leipzig und ein Maschinenbauer aus Bayern haben einen Vertrag über ein neues Werk unterzeichnet.
Das Unternehmen investiert rund 20 Millionen Euro und will bis zum Jahr 2028 etwa 150 Arbeitsplätze schaffen.</p>
<p>Der Oberbürgermeister begrüßte die Entscheidung und sprach von einem wichtigen Signal für die Region.</p>
</article></body></html>"""


def rss(base: str, paths: list[str]) -> str:
    items = "".join(f"<item><title>item {i}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
                    f"<pubDate>Tue, 12 May 2026 0{i}:00:00 GMT</pubDate></item>" for i, p in enumerate(paths))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Ertis news</title>'
            f"<link>{base}/</link><description>Economy</description>{items}</channel></rss>")


def atom(base: str, paths: list[str]) -> str:
    entries = "".join(f'<entry><title>entry {i}</title><id>tag:example,2026:{i}</id><link rel="alternate" href="{p}"/>'
                      f"<updated>2026-06-03T10:0{i}:00Z</updated></entry>" for i, p in enumerate(paths))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/">'
            f"<title>Steppe</title><id>tag:example,2026:feed</id><updated>2026-06-03T10:00:00Z</updated>{entries}</feed>")


@dataclass
class Site:
    base: str
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str], int]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        self.routes[path] = (200, {"Content-Type": content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED,
                                   **headers}, body)

    def requests_to(self, path: str) -> list[tuple[dict[str, str], int]]:
        return [(headers, status) for p, headers, status in self.log if p == path]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 1 << 16   # headers and body leave in one write (no Nagle/delayed-ACK stall per response)

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = self.path.split("?", 1)[0]
            if path == "/huge-streamed":
                self._stream_huge()
                return
            if path == "/drip":
                self._drip()
                return
            status, headers, body = site.routes.get(path, (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"))
            etag = headers.get("ETag")
            if status == 200 and etag and self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            site.log.append((path, dict(self.headers), status))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _stream_huge(self) -> None:
            """20 MB with no Content-Length: the client must stop reading at its cap."""
            site.log.append((self.path, dict(self.headers), 200))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + "Павлодар облысы ".encode() * 4000 + b"</p>\n"
            try:
                for _ in range(20_000_000 // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

        def _drip(self) -> None:
            """A page sent a few bytes every 50 ms, for up to 10 s."""
            site.log.append((self.path, dict(self.headers), 200))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>.</p>")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


def build_routes(site: Site) -> None:
    base = site.base
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    for path, name in ARTICLES.items():
        site.page(path, (PAGES / f"{name}.html").read_bytes())
    site.page("/private/board-minutes", (PAGES / "kk_pavlodar.html").read_bytes())
    site.page("/de/nachrichten/leipzig-werk", GERMAN.encode())
    site.page("/files/report.pdf", b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")
    site.routes["/huge"] = (200, {"Content-Type": "text/html"}, b"<html><body>" + b"x" * 20_000_000 + b"</body></html>")
    site.routes["/broken"] = (500, {"Content-Type": "text/html"}, b"<h1>Internal Server Error</h1>")
    site.routes["/old/pavlodar"] = (301, {"Location": "/kk/news/ekonomika/pavlodar-polimer-zauyt"}, b"")
    site.routes["/loop/a"] = (302, {"Location": "/loop/b"}, b"")
    site.routes["/loop/b"] = (302, {"Location": base + "/loop/a"}, b"")
    paths = list(ARTICLES)
    site.page("/feed.rss", rss(base, paths).encode(), "application/rss+xml; charset=utf-8")
    site.page("/feed.atom", atom(base, paths).encode(), "application/atom+xml")
    site.page("/broken.rss", (rss(base, paths)[:-30] + "<item><title>oops</ti").encode(), "application/rss+xml")
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in [*paths, "/private/board-minutes"])
    site.page("/sitemap.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                              f"{urls}</urlset>".encode(), "application/xml")


def start() -> tuple[Site, ThreadingHTTPServer, threading.Thread]:
    """The site on a free port of 127.0.0.1, served by a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    state = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(state)
    build_routes(state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return state, server, thread
