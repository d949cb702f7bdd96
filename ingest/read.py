"""Files, folders, stdin, HTML and JSON Lines batches -> :class:`Article` objects.

Every refusal is a :class:`ReadError` whose message is one line a user can act on; a bad file
never stops the others from being read, nor a bad line of a JSON Lines batch the other lines.

Input is untrusted: sizes are bounded by what is actually read (never by ``st_size``, which is 0
for /dev/zero), only regular files are opened (a FIFO would block), and a date is kept only if
it is a real calendar date (``2024-13-45`` is dropped with a warning, never stored).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.article import Article

if TYPE_CHECKING:
    import io

MAX_ARTICLE_BYTES = 5_000_000
# A JSON line may escape every character of a maximal article (\u0430 is 6 bytes for 2).
MAX_JSONL_LINE_BYTES = 3 * MAX_ARTICLE_BYTES
CHUNK_BYTES = 1 << 20
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
        return dated(Article(text=body, source=source, title=match.group(2).strip()), match.group(1))
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    return Article(text=text.strip("\n"), source=source, title=first[:200])


def parse_html(text: str, source: str) -> Article:
    """The article of an HTML page: main text and metadata, the same extraction as a fetched
    page; its date is kept only if it is a calendar date."""
    from ingest import html_text  # here, not at the top: html_text raises this module's ReadError

    article = html_text.extract(text, source)
    return dated(replace(article, published=None), article.published)


def dated(article: Article, value: str | None) -> Article:
    """The article with ``published`` set only to a real calendar date (YYYY-MM-DD); anything
    else is dropped with a warning, so the store never holds an invalid xsd:date."""
    if not value:
        return article
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        warning = f"{article.source}: date {value[:40]!r} is not a calendar date (YYYY-MM-DD); article kept without a date"
        return replace(article, published=None, warnings=(*article.warnings, warning))
    return replace(article, published=value)


OPTIONAL_FIELDS = ("title", "date", "published", "url", "author", "id", "format")


def parse_json_record(line: str, source: str) -> Article:
    """One JSON Lines record: {"text": ..., "title"?, "date"?, "url"?, "author"?, "id"?}."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{source}: invalid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise ReadError(f"{source}: JSON nested too deeply to be an article record") from exc
    if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
        raise ReadError(f"{source}: JSON record has no non-empty \"text\" field")
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str) and not (name == "id" and isinstance(value, int)):
            raise ReadError(f"{source}: JSON field \"{name}\" must be a string, not {type(value).__name__}")
    for name, value in record.items():
        if isinstance(value, str) and has_surrogate(value):
            raise ReadError(f"{source}: JSON field \"{name[:40]}\" holds a lone surrogate (\\ud800-\\udfff), not text")
    text = _check_text(record["text"], source)
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        raise ReadError(f"{source}: article text is larger than the {MAX_ARTICLE_BYTES // 1_000_000} MB limit")
    if "html" in str(record.get("format", "")).lower() or re.search(r"<(p|div|html|body)\b", text[:2000], re.I):
        article = parse_html(text, source)
    else:
        article = Article(text=text.strip(), source=source)
    given_date = record.get("date") or record.get("published")
    result = Article(
        text=article.text,
        source=str(record.get("url") or record.get("id") or source),
        title=str(record.get("title") or article.title or ""),
        published=article.published if not given_date else None,
        author=record.get("author") or article.author,
        url=record.get("url") or article.url,
        warnings=article.warnings,
    )
    return dated(result, given_date[:10]) if given_date else result


def has_surrogate(text: str) -> bool:
    """JSON may escape half of a UTF-16 pair (\\ud800); such a string cannot be stored."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_jsonl(lines: Iterable[bytes | None], source: str) -> Iterator[Article | Failure]:
    """One article or one failure per non-blank line, each failure naming its line number;
    ``None`` stands for a line that was too long to read (see :func:`bounded_lines`)."""
    seen = False
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if raw is None:
            seen = True
            yield Failure(where, f"{where}: line longer than {MAX_JSONL_LINE_BYTES // 1_000_000} MB, skipped")
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        seen = seen or bool(raw.strip())
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Failure(where, f"{where}: not valid UTF-8 (byte {exc.start}), line skipped")
            continue
        if not line.strip():
            continue
        try:
            yield parse_json_record(line, where)
        except ReadError as exc:
            yield Failure(where, str(exc))
    if not seen:
        yield Failure(source, f"{source}: empty file")


def split_lines(data: bytes) -> Iterator[bytes | None]:
    for line in data.split(b"\n"):
        yield line.rstrip(b"\r") if len(line) <= MAX_JSONL_LINE_BYTES else None


def bounded_lines(handle: "io.BufferedReader") -> Iterator[bytes | None]:
    """Lines of a stream, each read with a bound: an overlong line is skipped chunk by chunk
    (memory stays at one bound) and yields ``None`` in its place."""
    while True:
        line = handle.readline(MAX_JSONL_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(CHUNK_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line.rstrip(b"\r\n")


def read_bytes(data: bytes, source: str, suffix: str) -> Iterator[Article | Failure]:
    """Articles (or failures, one per bad record) from one input's bytes."""
    if suffix == ".jsonl":
        yield from read_jsonl(split_lines(data), source)
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


def too_large(source: str) -> ReadError:
    return ReadError(
        f"{source}: larger than the {MAX_ARTICLE_BYTES // 1_000_000} MB article limit; "
        "split it or use a .jsonl batch"
    )


def read_bounded(handle: "io.BufferedReader", source: str) -> bytes:
    """At most the article limit plus one byte: more means too large, whatever stat said."""
    data = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        raise too_large(source)
    return data


def open_regular(source: str) -> "io.BufferedReader":
    """Open without blocking (a FIFO would wait for a writer) and refuse anything but a
    regular file: /dev/zero, a FIFO or a socket is not an article."""
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError as exc:
        raise ReadError(f"{source}: no such file or folder") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise ReadError(f"{source}: not a regular file (a device, FIFO or socket), not an article")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_paths(paths: list[str]) -> Iterator[Article | Failure]:
    for source in expand(paths):
        try:
            if source == "-":
                yield from read_bytes(read_bounded(sys.stdin.buffer, "-"), "-", ".txt")
                continue
            suffix = Path(source).suffix.lower()
            with open_regular(source) as handle:
                if suffix == ".jsonl":
                    yield from read_jsonl(bounded_lines(handle), source)
                    continue
                data = read_bounded(handle, source)
            yield from read_bytes(data, source, suffix)
        except ReadError as exc:
            yield Failure(source, str(exc))
        except OSError as exc:
            yield Failure(source, f"{source}: cannot read ({exc.strerror or exc})")
