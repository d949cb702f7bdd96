"""The README's analyst question — Chinese companies with deals in a Kazakh region — answered on
the field set (real reports rewritten, ../shared/field) after the pipeline ingests it."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from ingest.cli import cli
from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parent.parent
QUERY = ROOT / "graph" / "queries" / "chinese_companies_in_kazakh_regions.rq"


def test_the_readme_query_is_the_gallery_file() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = QUERY.read_text(encoding="utf-8")
    assert text[text.index("PREFIX"):].strip() in readme


def test_chinese_companies_with_deals_in_kazakh_regions_on_the_field_set(tmp_path: Path) -> None:
    field = shared_path("field")
    store = str(tmp_path / "store")
    folders = [str(field / lang) for lang in ("kk", "ru", "en")]
    ingested = CliRunner().invoke(cli, ["ingest", *folders, "--store", store])
    assert ingested.exit_code == 0, ingested.output
    answer = CliRunner().invoke(cli, ["query", "--file", str(QUERY), "--format", "csv", "--store", store])
    assert answer.exit_code == 0, answer.output
    rows = [line.split(",") for line in answer.output.strip().splitlines()[1:]]
    assert rows, "no Chinese company with a deal in a Kazakh region"
    assert all(re.search(r"Region|Astana|Almaty|Shymkent", region) for _, region in rows), rows
