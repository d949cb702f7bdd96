"""The unit of ingest: one article's text with the metadata provenance needs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    text: str
    source: str
    title: str = ""
    published: str | None = None
    author: str | None = None
    url: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # What reading had to drop or correct (an impossible date), for the ingest summary.
    warnings: tuple[str, ...] = field(default=(), compare=False, hash=False)

    @property
    def content_hash(self) -> str:
        """Identity of an article is its text: the same text from two paths is one article."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def identity(self) -> str:
        """What names the article's graph. A web article is its URL: a page whose text changed
        replaces its own graph, and one story syndicated by two outlets is two articles. Any
        other article is its text (``content_hash``)."""
        locator = self.url or self.source
        if locator.startswith(("http://", "https://")):
            return hashlib.sha256(f"url {locator}".encode("utf-8")).hexdigest()
        return self.content_hash
