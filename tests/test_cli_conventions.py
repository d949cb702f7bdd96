"""CLI conventions: the README documents every command and option (adding one without a word
there fails here), listing commands share one --format option, --debug shows tracebacks."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graph.listing import FORMATS
from graph.store import StoreError, open_store
from ingest.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def shared_paragraph() -> str:
    """The paragraph under the command table that names the options every command shares."""
    start = README.index("Every command takes")
    return README[start:README.index("\n\n", start)]


def long_options(command: click.Command) -> list[str]:
    return [opt for param in command.params if isinstance(param, click.Option)
            for opt in [*param.opts, *param.secondary_opts] if opt.startswith("--") and opt != "--help"]


def test_every_command_has_a_row_naming_its_options() -> None:
    shared = shared_paragraph()
    missing = []
    for name, command in sorted(cli.commands.items()):
        rows = [line for line in README.splitlines() if line.startswith(f"| `dealgraph {name}")]
        if not rows:
            missing.append(f"command {name}")
            continue
        missing += [f"{name} {opt}" for opt in long_options(command) if opt not in rows[0] and opt not in shared]
    assert not missing, f"not in the README's command table: {', '.join(missing)}"


def test_the_group_options_are_documented() -> None:
    assert all(opt in shared_paragraph() for opt in long_options(cli))


def test_debug_shows_the_traceback_where_errors_are_otherwise_one_line(unused_port_url: str) -> None:
    plain = CliRunner().invoke(cli, ["stats", "--store", unused_port_url])
    assert plain.exit_code == 1 and plain.stderr.count("\n") == 1
    assert plain.stderr.startswith("Error: cannot reach SPARQL endpoint")
    debug = CliRunner().invoke(cli, ["--debug", "stats", "--store", unused_port_url])
    assert isinstance(debug.exception, StoreError)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_listing_command_speaks_every_format(tmp_path: Path, fmt: str, sample_graphs: dict) -> None:
    store = str(tmp_path / "store")
    with open_store(store) as opened:
        opened.import_graphs(sample_graphs.items())
    for command in ("entities", "deals", "merges", "stats"):
        result = CliRunner().invoke(cli, [command, "--format", fmt, "--store", store])
        assert result.exit_code == 0, (command, result.output)
        out = result.stdout
        if fmt == "json":
            json.loads(out)
        elif fmt == "jsonl":
            assert all(isinstance(json.loads(line), dict) for line in out.splitlines())
        elif fmt in ("csv", "tsv"):
            rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
            assert len({len(row) for row in rows}) == 1 and len(rows) > 1
        else:
            assert out.strip()


@pytest.fixture
def unused_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/query"
