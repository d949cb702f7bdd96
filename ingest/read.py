"""Files, folders, stdin, HTML and JSON Lines batches -> :class:`Article` objects.

Every refusal is a :class:`ReadError` whose message is one line a user can act on; a bad file
never stops the others from being read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.article import Article

MAX_ARTICLE_BYTES = 5_000_000
SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}
HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$")
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


class ReadError(Exception):
    """An input that cannot become an article; the message says why in one line."""


@dataclass(frozen=True)
class Failure:
    source: str
    message: str


def decode(data: bytes, source: str) -> str:
    """UTF-8 first; CP1251 only when it yields mostly Cyrillic text; refuse anything else."""
    if not data.strip():
        raise ReadError(f"{source}: empty file")
    if b"\x00" in data[:4096]:
        raise ReadError(f"{source}: binary file (contains NUL bytes), not an article")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = data.decode("cp1251", errors="replace")
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum(1 for c in letters if CYRILLIC.match(c))
    if letters and cyrillic / len(letters) > 0.5 and "\ufffd" not in text:
        return text
    raise ReadError(
        f"{source}: not valid UTF-8 (byte {utf8_error.start}) and not CP1251 Russian text; "
        "re-save it as UTF-8"
    )


def _check_text(text: str, source: str) -> str:
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")
    if controls > max(8, len(text) // 100):
        raise ReadError(f"{source}: binary or corrupt file ({controls} control characters), not an article")
    if not any(c.isalpha() for c in text):
        raise ReadError(f"{source}: no text in file")
    return text


def parse_plain(text: str, source: str) -> Article:
    """Plain text; an optional first line ` date YYYY-MM-DD <title>` carries date and title."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    match = HEADER.match(lines[0]) if lines else None
    if match:
        body = "\n".join(lines[1:]).strip("\n")
        return Article(text=body, source=source, title=match.group(2).strip(), published=match.group(1))
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    return Article(text=text.strip("\n"), source=source, title=first[:200])


def parse_html(text: str, source: str) -> Article:
    """The article of an HTML page: main text and metadata, the same extraction as a fetched page."""
    from ingest import html_text  # here, not at the top: html_text raises this module's ReadError

    return html_text.extract(text, source)


def parse_json_record(line: str, source: str) -> Article:
    """One JSON Lines record: {"text": ..., "title"?, "date"?, "url"?, "author"?, "id"?}."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{source}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        raise ReadError(f"{source}: JSON record has no non-empty \"text\" field")
    text = _check_text(record["text"], source)
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        raise ReadError(f"{source}: article text is larger than the {MAX_ARTICLE_BYTES // 1_000_000} MB limit")
    if "html" in str(record.get("format", "")).lower() or re.search(r"<(p|div|html|body)\b", text[:2000], re.I):
        article = parse_html(text, source)
    else:
        article = Article(text=text.strip(), source=source)
    return Article(
        text=article.text,
        source=str(record.get("url") or record.get("id") or source),
        title=str(record.get("title") or article.title or ""),
        published=str(record.get("date") or record.get("published") or article.published or "")[:10] or None,
        author=record.get("author") or article.author,
        url=record.get("url") or article.url,
    )


def read_bytes(data: bytes, source: str, suffix: str) -> Iterator[Article | Failure]:
    """Articles (or failures, one per bad record) from one input's bytes."""
    if suffix == ".jsonl":
        text = decode(data, source)
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    yield parse_json_record(line, f"{source}:{number}")
                except ReadError as exc:
                    yield Failure(f"{source}:{number}", str(exc))
        return
    if len(data) > MAX_ARTICLE_BYTES:
        raise ReadError(
            f"{source}: {len(data) / 1_000_000:.1f} MB is larger than the "
            f"{MAX_ARTICLE_BYTES // 1_000_000} MB article limit; split it or use a .jsonl batch"
        )
    text = _check_text(decode(data, source), source)
    looks_html = suffix in {".html", ".htm"} or re.match(r"\s*(<!doctype html|<html)", text[:500], re.I)
    yield parse_html(text, source) if looks_html else parse_plain(text, source)


def expand(paths: list[str]) -> Iterator[str]:
    """Folders become their article files (sorted, recursive); '-' stays stdin."""
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield raw


def read_paths(paths: list[str]) -> Iterator[Article | Failure]:
    for source in expand(paths):
        try:
            if source == "-":
                data, suffix = sys.stdin.buffer.read(), ".txt"
            else:
                path = Path(source)
                if not path.exists():
                    raise ReadError(f"{source}: no such file or folder")
                if path.stat().st_size > MAX_ARTICLE_BYTES and path.suffix.lower() != ".jsonl":
                    raise ReadError(
                        f"{source}: {path.stat().st_size / 1_000_000:.1f} MB is larger than the "
                        f"{MAX_ARTICLE_BYTES // 1_000_000} MB article limit; split it or use a .jsonl batch"
                    )
                data, suffix = path.read_bytes(), path.suffix.lower()
            yield from read_bytes(data, source, suffix)
        except ReadError as exc:
            yield Failure(source, str(exc))
        except OSError as exc:
            yield Failure(source, f"{source}: cannot read ({exc.strerror or exc})")
