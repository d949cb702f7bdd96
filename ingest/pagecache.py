"""Raw pages on disk, with what is needed to ask for them again and to know what was ingested.

Each fetched URL keeps its bytes and a small JSON record: where the redirects ended, the
validators for a conditional GET (ETag, Last-Modified), the content type, and — once the
article is in the store — the hash of the text that was ingested. So re-extraction (a new
extractor version) reads pages from here and never refetches them, an unchanged page costs a
304, and an interrupted run resumes: a page fetched but not yet written is taken from here.

Files are written to a temporary name and renamed, so a killed run leaves whole records only.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from platformdirs import user_cache_dir


def default_dir() -> Path:
    return Path(user_cache_dir("dealgraph")) / "pages"


@dataclass
class Entry:
    url: str                         # as asked for (normalised)
    final_url: str = ""              # after redirects
    content_type: str = ""
    charset: str | None = None
    content_language: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str = ""
    ingested: str | None = None      # content hash of the article text now in the store
    article_url: str | None = None   # the URL the article was stored under (canonical)
    extractor: str | None = None     # name and version of the extraction that wrote it


class PageCache:
    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root else default_dir()
        self.root.mkdir(parents=True, exist_ok=True)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        folder = self.root / key[:2]
        return folder / f"{key}.json", folder / f"{key}.body"

    def entry(self, url: str) -> Entry | None:
        """The record of ``url``, if its page is cached whole (record and body agree)."""
        meta, body = self._paths(url)
        try:
            entry = Entry(**json.loads(meta.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        if not body.exists():
            return None
        return entry

    def body(self, url: str) -> bytes | None:
        entry = self.entry(url)
        if entry is None:
            return None
        data = self._paths(url)[1].read_bytes()
        return data if hashlib.sha256(data).hexdigest() == entry.body_sha256 else None

    def store(self, entry: Entry, body: bytes) -> Entry:
        """Keep a freshly fetched page; the body goes first, so a record always has its body."""
        meta, body_path = self._paths(entry.url)
        meta.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(body_path, body)
        entry.body_sha256 = hashlib.sha256(body).hexdigest()
        _write_atomic(meta, json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8"))
        return entry

    def mark_ingested(self, url: str, content_hash: str | None, article_url: str | None, extractor: str) -> None:
        entry = self.entry(url)
        if entry is not None:
            entry.ingested, entry.article_url, entry.extractor = content_hash, article_url, extractor
            _write_atomic(self._paths(url)[0], json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8"))

    def articles(self) -> dict[str, str]:
        """Article URL -> content hash of the text in the store, as the last run left it."""
        try:
            data = json.loads((self.root / "articles.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save_articles(self, articles: dict[str, str]) -> None:
        _write_atomic(self.root / "articles.json", json.dumps(articles, ensure_ascii=False).encode("utf-8"))


def _write_atomic(path: Path, data: bytes) -> None:
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
