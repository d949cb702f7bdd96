"""Input that cannot hurt (issue 9, item 5): each bad .jsonl line is reported by line number
and the good ones kept; impossible dates are dropped with a warning; reads are bounded by
what is read, not by st_size; devices and FIFOs are refused at once; hostile shapes of text
are extracted in time linear in their length."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.store import open_store
from ingest.article import Article
from ingest.cli import cli
from ingest.read import Failure, MAX_ARTICLE_BYTES, read_bytes, read_paths

from reliability_helpers import REPO

GOOD = {"text": "Aktobe Region signed an agreement with Sumec Group.", "title": "good"}

BAD_LINES = {
    "lone surrogate": b'{"text": "Aktobe \\ud800 Region signed."}',
    "lone surrogate in title": b'{"text": "Aktobe Region signed.", "title": "\\udfff"}',
    "deep nesting": b"[" * 200_000 + b"]" * 200_000,
    "deep object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "invalid UTF-8": b'{"text": "Aktobe \xff\xfe Region"}',
    "text not a string": b'{"text": ["Aktobe"]}',
    "title not a string": b'{"text": "Aktobe Region signed.", "title": {"x": 1}}',
    "date not a string": b'{"text": "Aktobe Region signed.", "date": 20240101}',
    "url not a string": b'{"text": "Aktobe Region signed.", "url": [1, 2]}',
    "not an object": b'"just a string"',
    "truncated JSON": b'{"text": "Aktobe',
    "NUL bytes only": b"\x00" * 64,
}


@pytest.mark.parametrize("name", BAD_LINES)
def test_each_bad_jsonl_line_is_one_failure_with_its_line_number(name: str) -> None:
    good = json.dumps(GOOD).encode()
    data = b"\n".join([good, BAD_LINES[name], good.replace(b"good", b"also good")]) + b"\n"
    items = list(read_bytes(data, "batch.jsonl", ".jsonl"))
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Article"]
    failure = items[1]
    assert failure.message.startswith("batch.jsonl:2: ") and "\n" not in failure.message


def test_bad_lines_do_not_stop_the_good_files_and_lines(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    good = json.dumps(GOOD).encode()
    batch.write_bytes(b"\n".join([*BAD_LINES.values(), good]) + b"\n")
    other = tmp_path / "other.txt"
    other.write_text("Pavlodar Region hosted a forum on 2 May 2024.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", "--store", str(tmp_path / "store"), str(batch), str(other)])
    assert result.exit_code == 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == len(BAD_LINES)
    assert all(f"batch.jsonl:{n}:" in e for n, e in enumerate(errors, start=1))
    assert "2 article(s)" in result.output


@pytest.mark.parametrize("value", ["2024-13-45", "2024-02-30", "0000-01-01", "20240101", "2024-1-5", "yesterday"])
def test_impossible_date_is_dropped_with_a_warning_never_stored(tmp_path: Path, value: str) -> None:
    batch = tmp_path / "dated.jsonl"
    batch.write_text(json.dumps({**GOOD, "date": value}) + "\n", encoding="utf-8")
    plain = tmp_path / "dated.txt"
    plain.write_text(f" date {value} A title\nPavlodar Region hosted a forum.\n", encoding="utf-8")
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["ingest", "--store", str(store), str(batch), str(plain)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    header_is_a_date = value[:4].isdigit() and len(value) == 10
    assert len(warnings) == 1 + header_is_a_date, result.output
    with open_store(str(store), read_only=True) as opened:
        dates = list(opened.query("SELECT ?d WHERE { ?a <http://purl.org/dc/terms/date> ?d }"))
    assert dates == []
    assert CliRunner().invoke(cli, ["validate", "--store", str(store)]).exit_code == 0


def test_a_real_date_is_kept(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({**GOOD, "date": "2024-02-29T10:00:00Z"}) + "\n", encoding="utf-8")
    (article,) = read_paths([str(tmp_path / "a.jsonl")])
    assert (article.published, article.warnings) == ("2024-02-29", ())


def ingest_subprocess(args: list[str], stdin: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from ingest.cli import main; main()", "ingest", *args],
                          cwd=REPO, stdin=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    done = ingest_subprocess(["--store", str(tmp_path / "store"), "/dev/zero"])
    assert done.returncode == 1
    assert "not a regular file" in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    done = ingest_subprocess(["--store", str(tmp_path / "store"), str(fifo)])
    assert done.returncode == 1
    assert "not a regular file" in done.stderr


def test_stdin_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") if Path("/dev/zero").exists() else open(os.devnull, "rb") as endless:
        done = ingest_subprocess(["--store", str(tmp_path / "store"), "-"], stdin=endless.fileno())
    assert done.returncode == 1
    assert "limit" in done.stderr or "empty" in done.stderr


def test_size_is_what_is_read_not_what_stat_says(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.write(b"Aktobe Region signed. " * (MAX_ARTICLE_BYTES // 22 + 10))
    (failure,) = read_paths([str(big)])
    assert isinstance(failure, Failure) and "limit" in failure.message


def test_an_overlong_jsonl_line_is_skipped_and_the_next_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ingest.read.MAX_JSONL_LINE_BYTES", 1000)
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(json.dumps({"text": "A" * 5000}).encode() + b"\n" + json.dumps(GOOD).encode() + b"\n")
    items = list(read_paths([str(batch)]))
    assert [type(i).__name__ for i in items] == ["Failure", "Article"]
    assert "batch.jsonl:1" in items[0].message


# Shapes that made one of the extractor's patterns backtrack over the whole line or sentence.
HOSTILE_SHAPES = ["A", "a", "Ab", "A-", "Sumec-", "Co. ", "A A ", "Aktobe ", "Астана,", "1."]
HOSTILE_CHARS = 20_000


def test_hostile_shapes_are_extracted_without_blowing_up() -> None:
    """20 KB of each shape took from 7 s to 40 s before (quadratic patterns), 5 MB hours; they run in a
    child process so that a regression fails by its time-out rather than hanging the suite."""
    code = ("import sys; from ingest.pipeline import analyse; from ingest.article import Article\n"
            "for unit in sys.argv[2:]:\n"
            "    text = (unit * (int(sys.argv[1]) // len(unit) + 1))[:int(sys.argv[1])]\n"
            "    try:\n        analyse(Article(text=text, source='x'))\n    except ValueError:\n        pass\n"
            "    print(repr(unit), flush=True)")
    done = subprocess.run([sys.executable, "-c", code, str(HOSTILE_CHARS), *HOSTILE_SHAPES], cwd=REPO,
                          capture_output=True, text=True, timeout=150, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.split("\n")[:-1] == [repr(u) for u in HOSTILE_SHAPES], done.stderr[-500:]


def test_lone_surrogate_reaching_the_extractor_is_one_line() -> None:
    from ingest.pipeline import analyse

    with pytest.raises(ValueError, match="surrogate") as raised:
        analyse(Article(text="Aktobe Region \ud800 signed.", source="x"))
    assert "\n" not in str(raised.value)
