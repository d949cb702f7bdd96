"""Store-side commands of ``dealgraph`` (query, export, delete, reindex, stats, validate,
entities, deals) and what every command shares: the ``--store`` option, one-line errors,
output. The group itself is built in one place, :func:`ingest.cli.build_cli`.

Every failure is one line on stderr and a non-zero exit (``dealgraph --debug`` shows the
traceback instead); ``-`` means stdin or stdout.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click
import pyoxigraph as ox

from graph import articles, facts, fx, judgements, migrate, reviewed
from graph import deals as deals_model
from graph.files import write_atomically
from graph.export import NETWORK_FORMATS, jsonld, network_bytes
from graph.listing import chosen, format_option, render
from graph.namespaces import prefixed
from graph.query import python_value
from graph.sandbox import run_user_query
from graph.serialize import RDF_FORMATS, RESULT_FORMATS, FormatError, rdf_format, serialize_result
from graph.stores.owner import query_triples
from graph.store import ENV_VAR, Store, StoreError, default_location, iter_rows, open_store
from graph.validate import validate as shacl_validate

store_option = click.option(
    "--store", "store_location", default=None, metavar="PATH|URL",
    help=f"Store folder, ':memory:' or a SPARQL endpoint URL [env {ENV_VAR}; default: a folder in the user data dir].",
)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's own errors into one-line click errors (exit 1), unless the group
    was given ``--debug``: then the exception goes on with its traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (StoreError, FormatError, KeyError, ValueError, OSError) as exc:
            if debugging():
                raise
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            raise click.ClickException(str(message).splitlines()[0] if str(message) else type(exc).__name__) from exc

    return wrapper


def open_from(location: str | None, read_only: bool = False) -> Store:
    """The store a command names; a writable one written by an older dealgraph is migrated
    first (graph/migrate.py), so every command reads judgements and the reviewed graph."""
    store = open_store(location or default_location(), read_only=read_only)
    if not read_only:
        try:
            migrate.upgrade(store)
        except BaseException:
            store.close()
            raise
    return store


def debugging() -> bool:
    """True when the running command's group was given ``--debug``."""
    context = click.get_current_context(silent=True)
    root = context.find_root() if context is not None else None
    return bool(root is not None and isinstance(root.obj, dict) and root.obj.get("debug"))


def write_output(data: bytes | str, output: str) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
    else:
        write_atomically(output, raw)  # a full disk keeps the old file, never half of a new one


def table(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> str:
    """A plain aligned text table for the terminal."""
    if isinstance(result, ox.QueryBoolean):
        return f"{bool(result)}\n"
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8")
    rows = list(iter_rows(result))
    names = list(rows[0]) if rows else [v.value for v in result.variables]
    cells = [[cell_text(r[n]) for n in names] for r in rows]
    widths = [max([len(n), *(len(c[i]) for c in cells)]) for i, n in enumerate(names)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths]), *(line(c) for c in cells), f"({len(cells)} rows)"]
    return "\n".join(out) + "\n"


def cell_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, max_literal: int = 80) -> str:
    """IRIs whole, as prefixed names where one fits (a copied cell matches in a query);
    long literals (sentences, article texts) are cut to ``max_literal`` characters with '…'."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return prefixed(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    text = " ".join(term.value.split())
    return text if len(text) <= max_literal else text[: max_literal - 1] + "…"


@click.command(help="Run a SPARQL query (text argument, --file, or '-' for stdin); without GRAPH it reads "
                    "each fact once, GRAPH ?g names the article that stated it.")
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", *RESULT_FORMATS]), default="table",
              show_default=True, help="Result format: table, JSON Lines (one object of values per row), or SPARQL "
                                      "results as json/xml/csv/tsv (CONSTRUCT/DESCRIBE give Turtle).")
@click.option("--output", "-o", default="-", show_default=True, help="Write to a file instead of stdout.")
@click.option("--timeout", "timeout_s", default=None, type=float,
              help="Seconds before the query is stopped [env DEALGRAPH_QUERY_TIMEOUT_S, 30].")
@store_option
@friendly
def query(sparql: str | None, query_file: Any, fmt: str, output: str, timeout_s: float | None,
          store_location: str | None) -> None:
    """The text is checked and run like the endpoint's (graph.sandbox): in a worker process
    stopped at the time and memory limits, never SERVICE, never deeper than the engine takes."""
    if query_file is not None:
        sparql = query_file.read()
    elif sparql == "-" or sparql is None and not sys.stdin.isatty():
        sparql = sys.stdin.read()
    if not sparql or not sparql.strip():
        raise click.ClickException("no query given: pass SPARQL text, --file FILE or '-' for stdin")
    with open_from(store_location, read_only=True) as store:
        answer = run_user_query(
            store, sparql, results_media=RESULT_FORMATS["json"], graph_media=RDF_FORMATS["nt"],
            max_rows=2**62, timeout_s=timeout_s,
        )
    if answer.kind == "triples":
        result: Any = query_triples(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    else:
        result = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    if fmt == "table":
        data = table(result)
    elif fmt == "jsonl" and isinstance(result, ox.QuerySolutions):
        data = render([{k: python_value(v) for k, v in row.items()} for row in iter_rows(result)], "jsonl")
    else:
        data = serialize_result(result, RESULT_FORMATS.get(fmt, RESULT_FORMATS["json"]))
    write_output(data, output)


@click.command(help="Dump the store as RDF (ttl/nt: each fact once; trig/nq: the article graphs; jsonld: both, "
                  "compacted with graph/context.jsonld), or one article's graph; or the entity network as "
                  "graphml, gexf, nodes-csv or edges-csv (Gephi, networkx).")
@click.option("--format", "fmt", default="trig", show_default=True,
              help=f"One of {', '.join([*RDF_FORMATS, *NETWORK_FORMATS])}.")
@click.option("--article", default=None, metavar="IRI", help="Only this article's named graph (RDF formats).")
@click.option("--output", "-o", default="-", show_default=True, help="Write to a file instead of stdout.")
@store_option
@friendly
def export(fmt: str, article: str | None, output: str, store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        if fmt in NETWORK_FORMATS:
            if article is not None:
                raise click.ClickException(f"--article applies to RDF formats, not {fmt}")
            data = network_bytes(store, fmt)
        else:
            rdf = rdf_format(fmt)
            if article is not None and article not in store.named_graphs():
                raise click.ClickException(f"no article graph {article} in the store (see `dealgraph stats --json`)")
            data = jsonld(store, article) if rdf == ox.RdfFormat.JSON_LD else store.dump(rdf, article)
    write_output(data, output)


@click.command(help="Remove an article (its IRI, or the file path / URL it was read from): its graph, and the facts "
                  "only it stated from the default graph; facts other articles also state stay.")
@click.argument("article")
@store_option
@friendly
def delete(article: str, store_location: str | None) -> None:
    with open_from(store_location) as store:
        graphs = articles.find(store, article)
        if not graphs:
            raise click.ClickException(f"no article {article} in the store (give its IRI or its source)")
        articles.delete(store, graphs)
    for iri in graphs:
        click.echo(f"deleted {iri}", err=True)


@click.command(help="Rebuild the deduplicated default graph, the preferred labels and the reviewed graph from the "
                  "named graphs (after writing with SPARQL UPDATE elsewhere, or on a store from an older dealgraph).")
@store_option
@friendly
def reindex(store_location: str | None) -> None:
    with open_from(store_location) as store:
        store.update("")
        written = reviewed.refresh(store)
        click.echo(f"{store.facts()} facts in the default graph, {written} triples in the reviewed graph", err=True)


STATS = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class .
  VALUES ?class { dg:Article dg:Region dg:City dg:Country dg:Official dg:Organization dg:Company dg:Project
                  dg:Visit dg:Agreement dg:Statement } } GROUP BY ?class"""


@click.command(help="Counts of quads, article graphs, facts (default graph) and nodes of each class.")
@format_option
@store_option
@friendly
def stats(fmt: str, as_json: bool, store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        counts = {"quads": store.count(), "graphs": len(store.named_graphs()), "facts": store.facts()}
        for row in iter_rows(store.query(STATS)):
            counts[row["class"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
        counts["location"] = store.location
    records = [{"key": key, "value": value} for key, value in counts.items()]
    click.echo(render(records, chosen(fmt, as_json), document=counts,
                      table=lambda: (f"{key:>14}  {value}" for key, value in counts.items())), nl=False)


@click.command(help="Check the store against the SHACL shapes (graph/shapes.ttl); exit 1 when it does not conform.")
@store_option
@friendly
def validate(store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        conforms, report = shacl_validate(store)
    if not conforms:
        click.echo(report, err=True)
        raise click.ClickException("the store does not conform to graph/shapes.ttl (report above)")
    click.echo("conforms: the store matches graph/shapes.ttl")


@click.command(help="Canonical entities with IRI, type, all labels and the articles that name them.")
@click.option("--type", "kind", type=click.Choice(list(facts.KINDS.values())), default=None)
@format_option
@store_option
@friendly
def entities(kind: str | None, fmt: str, as_json: bool, store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        found = facts.entities(store, kind, judgements.load(store))

    def lines() -> Iterable[str]:
        for e in found:
            others = sorted({label["value"] for label in e["labels"]} - {e["name"]})
            yield f"{e['type']:<13} {e['name']:<40} {len(e['sources'])} source(s)  {' | '.join(others)}"

    records = [{**e, "labels": [f"{label['value']}@{label['lang']}" for label in e["labels"]]} for e in found]
    click.echo(render(records if chosen(fmt, as_json) in ("csv", "tsv") else found, chosen(fmt, as_json),
                      table=lines), nl=False)


@click.command(help="Agreements with parties, amount (original currency and USD), region, status and sources; "
                    "disagreements between sources are shown; analysts' judgements are applied. Totals with --totals.")
@format_option
@click.option("--totals", "by", type=click.Choice(["region", "country"]), default=None,
              help="Totals by region or by investor country instead (each deal once; aggregates apart).")
@click.option("--rates", "rates_file", default=None, metavar="CSV",
              help=f"Exchange-rate table (year,currency,per_usd) [env {fx.ENV_VAR}; default: the bundled table].")
@click.option("--excel", "excel_file", default=None, metavar="FILE",
              help="Also write the viewer's deal export (titles, URLs, dates, evidence) as an Excel file.")
@store_option
@friendly
def deals(fmt: str, as_json: bool, by: str | None, rates_file: str | None, excel_file: str | None,
          store_location: str | None) -> None:
    fmt = chosen(fmt, as_json)
    rates = fx.table(rates_file)
    with open_from(store_location, read_only=True) as store:
        book = deals_model.load(store, judgements.load(store))
    if by:
        click.echo(_totals_text(deals_model.totals(book, by, rates), book, fmt), nl=False)
        return
    ordered = [book.deals[iri] for iri in sorted(book.deals)]
    if excel_file:
        write_output(deals_model.to_xlsx(deals_model.rows(book, ordered, rates)), excel_file)
    records = [deals_model.as_record(book, d, rates) for d in ordered]

    def lines() -> Iterable[str]:
        for d in records:
            amount = " / ".join(f"{v['value']}" for v in d["values"].get("amount", [])) or "-"
            currency = " / ".join(v["value"] for v in d["values"].get("currency", []))
            usd = f" (≈{d['amount_usd']:,} USD)" if d["amount_usd"] is not None and currency != "USD" else ""
            flag = f"  DISAGREE: {', '.join(d['disagreements'])}" if d["disagreements"] else ""
            kind = d["type"] or "/".join(v["value"] for v in d["values"].get("type", []))
            yield (f"{' + '.join(d['parties'])}: {kind} {d['status'] or ''} {amount} {currency}{usd} "
                   f"({len(d['sources'])} source(s)){flag}")

    # CSV/TSV: the viewer's flat export rows (titles, URLs, dates, evidence); JSON: the full records
    flat = deals_model.rows(book, ordered, rates) if fmt in ("csv", "tsv") else records
    click.echo(render(flat, fmt, table=lines), nl=False)


def _totals_text(result: deals_model.Totals, book: deals_model.DealBook, fmt: str) -> str:
    def name(key: str) -> str:
        return book.name(key) if key.startswith("http") else key

    def entry(key: str, total: deals_model.Total) -> dict[str, Any]:
        return {"key": key, "name": name(key), "deals": total.deals, "usd": float(total.usd),
                "by_currency": {c: float(v) for c, v in total.by_currency.items()}, "unconverted": sorted(total.unconverted)}

    data = {
        "by": result.by,
        "deals": [entry(k, t) for k, t in sorted(result.parts.items(), key=lambda kv: -kv[1].usd)],
        "aggregates": [entry(k, t) for k, t in sorted(result.aggregates.items(), key=lambda kv: -kv[1].usd)],
        "overall": entry("all", result.overall),
        "overall_aggregates": entry("all", result.overall_aggregates),
    }
    if fmt in ("json", "jsonl"):
        return json.dumps(data, ensure_ascii=False, indent=2 if fmt == "json" else None) + "\n"
    out = [f"deals by {result.by}:"]
    for section in ("deals", "aggregates"):
        if section == "aggregates":
            out.append("aggregates (totals over several documents; never added to the deals above):")
        for e in data[section]:
            out.append(f"  {e['name'][:40]:<40} {e['deals']:>5} deal(s)  {e['usd']:>18,.0f} USD  "
                       + "; ".join(f"{v:,.0f} {c}" for c, v in e["by_currency"].items()))
    o = data["overall"]
    out.append(f"all deals (each once): {o['deals']} deal(s), {o['usd']:,.0f} USD")
    return "\n".join(out) + "\n"

