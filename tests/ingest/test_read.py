"""Bad input gets one clear line and never stops the other files."""

from pathlib import Path

from ingest.read import Failure, read_paths


def one(path: Path):
    items = list(read_paths([str(path)]))
    assert len(items) == 1
    return items[0]


def test_header_line_gives_date_and_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(" date 2026-02-03 Тақырып\nБірінші сөйлем.\n", encoding="utf-8")
    article = one(path)
    assert (article.published, article.title, article.text) == ("2026-02-03", "Тақырып", "Бірінші сөйлем.")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    item = one(path)
    assert isinstance(item, Failure) and "empty file" in item.message


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(256)) * 10)
    item = one(path)
    assert isinstance(item, Failure) and "binary" in item.message


def test_cp1251_russian_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes("Аким Актюбинской области подписал соглашение.".encode("cp1251"))
    assert one(path).text.startswith("Аким Актюбинской")


def test_invalid_utf8_that_is_not_cyrillic_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Hello \xff\xfe\xfd world \x81\x8d")
    item = one(path)
    assert isinstance(item, Failure) and "UTF-8" in item.message


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(b"a" * (50 * 1024 * 1024))
    item = one(path)
    assert isinstance(item, Failure) and "MB" in item.message


def test_html_page_gives_visible_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        '<html><head><title>Deal</title><meta property="article:published_time" content="2026-04-01T10:00">'
        "<script>var x = 1;</script></head><body><nav>menu</nav><p>Aktobe Region signed.</p></body></html>",
        encoding="utf-8")
    article = one(path)
    assert article.text == "Aktobe Region signed."
    assert (article.title, article.published) == ("Deal", "2026-04-01")


def test_jsonl_batch_reports_bad_lines_and_keeps_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "One article.", "title": "A", "date": "2026-01-01"}\nnot json\n{"title": "no text"}\n',
                    encoding="utf-8")
    items = list(read_paths([str(path)]))
    assert items[0].title == "A"
    assert [type(i) for i in items[1:]] == [Failure, Failure]
    assert "invalid JSON" in items[1].message and "text" in items[2].message
