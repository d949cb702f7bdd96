"""The generated documentation and its example queries, run as a researcher would: through
the CLI (embedded store and a real Oxigraph server), SPARQLWrapper against a real
`dealgraph serve`, and the rdflib Dataset view, each with the exact row counts the docs give."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import requests
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

from graph import docs
from ingest.cli import cli
from graph.rdf import dataset, frame
from graph.store import Store, open_store

EXAMPLES = docs.examples()
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def samples_folder(tmp_path_factory: pytest.TempPathFactory, sample_graphs: dict[str, list]) -> str:
    location = str(tmp_path_factory.mktemp("docs") / "store")
    with open_store(location) as store:
        store.import_graphs(sample_graphs.items())
    return location


@pytest.fixture
def samples_on_server(remote_store: Store, sample_graphs: dict[str, list]) -> str:
    remote_store.import_graphs(sample_graphs.items())
    return remote_store.location


def cli_rows(location: str, example: docs.Example) -> list[dict]:
    result = CliRunner().invoke(cli, ["query", "--file", str(docs.EXAMPLES / f"{example.name}.rq"),
                                      "--format", "json", "--store", location])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["results"]["bindings"]


def test_the_markdown_in_the_repository_is_what_the_generator_writes() -> None:
    assert docs.MARKDOWN.read_text(encoding="utf-8") == docs.markdown(), "run: python -m graph.docs"


def test_the_docs_list_every_class_and_property_and_ten_examples() -> None:
    page = docs.markdown()
    ontology = docs.ONTOLOGY.read_text(encoding="utf-8")
    for name in set(re.findall(r"^(dg:\w+) a owl:", ontology, flags=re.M)):
        assert f"`{name}`" in page, name
    assert len(EXAMPLES) >= 10 and all(ex.rows >= 1 for ex in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[ex.name for ex in EXAMPLES])
def test_every_example_gives_its_documented_rows_through_the_cli(samples_folder: str, example: docs.Example) -> None:
    assert len(cli_rows(samples_folder, example)) == example.rows


@pytest.mark.remote
def test_every_example_gives_its_documented_rows_on_an_oxigraph_server(samples_on_server: str) -> None:
    for example in EXAMPLES:
        assert len(cli_rows(samples_on_server, example)) == example.rows, example.name


def test_exact_answers_to_the_readme_example_and_a_count(samples_folder: str) -> None:
    """Each fact once: 40 deals counted 43 times, or 4 sentences given as 32 rows, were the
    multiset union's answers; the default graph now answers one row per fact."""
    by_name = {ex.name: ex for ex in EXAMPLES}
    count = cli_rows(samples_folder, by_name["01_count_agreements"])
    assert count[0]["agreements"]["value"] == "5"
    sentences = cli_rows(samples_folder, by_name["03_evidence_sentence"])
    assert len(sentences) == len({row["sentence"]["value"] for row in sentences}) == 3
    readme_query = re.search(r"```sparql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert readme_query is not None
    result = CliRunner().invoke(cli, ["query", readme_query.group(1), "--format", "json", "--store", samples_folder])
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 3


def test_every_example_through_sparqlwrapper_against_dealgraph_serve(
    samples_folder: str, unused_port: int, start_process: Callable[[list[str], str], object]
) -> None:
    base = f"http://127.0.0.1:{unused_port}"
    command = [sys.executable, "-c", "from graph.serve import serve; serve()"]
    start_process([*command, "--store", samples_folder, "--port", str(unused_port)], base + "/health")
    for example in EXAMPLES:
        client = SPARQLWrapper(base + "/sparql")
        client.setQuery(example.text)
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        assert len(rows) == example.rows, example.name
        if example.name == "01_count_agreements":
            assert rows[0]["agreements"]["value"] == "5"
    page = requests.get(base + "/", timeout=10)
    assert page.headers["content-type"].startswith("text/html")
    assert all(ex.title.replace("'", "&#x27;") in page.text for ex in EXAMPLES)
    context = requests.get(base + "/context.jsonld", timeout=10).json()
    assert context["@context"]["dg"] == "https://w3id.org/dealgraph/ontology#"


def same_answers(location: str) -> None:
    """Every example through the rdflib Dataset gives the CLI's rows, value for value."""
    ds = dataset(location)
    for example in EXAMPLES:
        table = frame(ds.query(example.text))
        via_rdflib = sorted(tuple("" if pd.isna(v) else str(v) for v in row) for row in table.itertuples(index=False))
        via_cli = sorted(tuple(row.get(c, {}).get("value", "") for c in table.columns)
                         for row in cli_rows(location, example))
        assert len(via_rdflib) == example.rows and via_rdflib == via_cli, example.name


def test_the_rdflib_dataset_answers_as_the_cli_does_on_the_embedded_store(samples_folder: str) -> None:
    same_answers(samples_folder)


@pytest.mark.remote
def test_the_rdflib_dataset_answers_as_the_cli_does_on_an_oxigraph_server(samples_on_server: str) -> None:
    same_answers(samples_on_server)


def readme_notebook() -> str:
    section = README.read_text(encoding="utf-8").split("## Python and notebooks", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


def test_the_readme_notebook_example_runs_on_the_embedded_store(samples_folder: str) -> None:
    scope: dict = {"STORE": samples_folder}
    exec(readme_notebook(), scope)  # noqa: S102 - the README's own example
    assert list(scope["deals"]["agreements"]) == [1, 1, 1, 1]
    assert list(scope["deals"]["region"]) == ["Aktobe Region", "Karaganda Region", "Pavlodar Region", "Turkistan Region"]


@pytest.mark.remote
def test_the_readme_notebook_example_runs_on_an_oxigraph_server(samples_on_server: str) -> None:
    scope: dict = {"STORE": samples_on_server}
    exec(readme_notebook(), scope)  # noqa: S102 - the README's own example
    assert list(scope["deals"]["agreements"]) == [1, 1, 1, 1]
