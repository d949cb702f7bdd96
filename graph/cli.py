"""The ``dealgraph`` command group: store-side commands (query, export, stats, validate,
entities, deals, serve). Ingest-side commands are added by ``ingest.cli``.

Every failure is one line on stderr and a non-zero exit; ``-`` means stdin or stdout.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
import pyoxigraph as ox

from graph import deals as deals_model
from graph import facts, fx, judgements
from graph.serialize import RDF_FORMATS, RESULT_FORMATS, FormatError, rdf_format, serialize_result
from graph.store import ENV_VAR, Store, StoreError, default_location, iter_rows, open_store
from graph.validate import validate as shacl_validate

store_option = click.option(
    "--store", "store_location", default=None, metavar="PATH|URL",
    help=f"Store folder, ':memory:' or a SPARQL endpoint URL [env {ENV_VAR}; default: a folder in the user data dir].",
)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's own errors into one-line click errors (exit 1)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (StoreError, FormatError, KeyError, ValueError, OSError) as exc:
            message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            raise click.ClickException(str(message).splitlines()[0] if str(message) else type(exc).__name__) from exc

    return wrapper


def open_from(location: str | None, read_only: bool = False) -> Store:
    return open_store(location or default_location(), read_only=read_only)


@click.group(help="dealgraph: an offline investment-deal knowledge graph from kk/ru/en news articles.")
@click.version_option(package_name="dealgraph")
def cli() -> None:
    pass


def write_output(data: bytes | str, output: str) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if output == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
    else:
        with open(output, "wb") as handle:
            handle.write(raw)


def table(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> str:
    """A plain aligned text table for the terminal."""
    if isinstance(result, ox.QueryBoolean):
        return f"{bool(result)}\n"
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8")
    rows = list(iter_rows(result))
    names = list(rows[0]) if rows else [v.value for v in result.variables]
    cells = [[("" if r[n] is None else r[n].value) for n in names] for r in rows]
    widths = [min(60, max([len(n), *(len(c[i]) for c in cells)])) for i, n in enumerate(names)]
    line = lambda values: "  ".join(v[:60].ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths]), *(line(c) for c in cells), f"({len(cells)} rows)"]
    return "\n".join(out) + "\n"


@cli.command(help="Run a SPARQL query (text argument, --file, or '-' for stdin) over all article graphs.")
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("--format", "fmt", type=click.Choice(["table", *RESULT_FORMATS]), default="table", show_default=True,
              help="Result format (CONSTRUCT/DESCRIBE give Turtle unless json/xml/csv/tsv is asked of SELECT).")
@click.option("--output", "-o", default="-", show_default=True, help="Write to a file instead of stdout.")
@store_option
@friendly
def query(sparql: str | None, query_file: Any, fmt: str, output: str, store_location: str | None) -> None:
    if query_file is not None:
        sparql = query_file.read()
    elif sparql == "-" or sparql is None and not sys.stdin.isatty():
        sparql = sys.stdin.read()
    if not sparql or not sparql.strip():
        raise click.ClickException("no query given: pass SPARQL text, --file FILE or '-' for stdin")
    with open_from(store_location, read_only=True) as store:
        result = store.query(sparql)
        data = table(result) if fmt == "table" else serialize_result(result, RESULT_FORMATS[fmt])
    write_output(data, output)


@cli.command(help="Dump the store, or one article's graph, as Turtle, TriG, N-Quads or JSON-LD.")
@click.option("--format", "fmt", default="trig", show_default=True, help=f"One of {', '.join(RDF_FORMATS)}.")
@click.option("--article", default=None, metavar="IRI", help="Only this article's named graph.")
@click.option("--output", "-o", default="-", show_default=True, help="Write to a file instead of stdout.")
@store_option
@friendly
def export(fmt: str, article: str | None, output: str, store_location: str | None) -> None:
    rdf = rdf_format(fmt)
    with open_from(store_location, read_only=True) as store:
        if article is not None and article not in store.named_graphs():
            raise click.ClickException(f"no article graph {article} in the store (see `dealgraph stats --json`)")
        data = store.dump(rdf, article)
    write_output(data, output)


STATS = """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class .
  VALUES ?class { dg:Article dg:Region dg:City dg:Country dg:Official dg:Organization dg:Company dg:Project
                  dg:Visit dg:Agreement dg:Statement } } GROUP BY ?class"""


@cli.command(help="Counts of quads, article graphs and nodes of each class.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@store_option
@friendly
def stats(as_json: bool, store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        counts = {"quads": store.count(), "graphs": len(store.named_graphs())}
        for row in iter_rows(store.query(STATS)):
            counts[row["class"].value.rsplit("#", 1)[-1]] = int(row["n"].value)
        counts["location"] = store.location
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
    else:
        for key, value in counts.items():
            click.echo(f"{key:>14}  {value}")


@cli.command(help="Check the store against the SHACL shapes (graph/shapes.ttl); exit 1 when it does not conform.")
@store_option
@friendly
def validate(store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        conforms, report = shacl_validate(store)
    if not conforms:
        click.echo(report, err=True)
        raise click.ClickException("the store does not conform to graph/shapes.ttl (report above)")
    click.echo("conforms: the store matches graph/shapes.ttl")


@cli.command(help="Canonical entities with IRI, type, all labels and the articles that name them.")
@click.option("--type", "kind", type=click.Choice(list(facts.KINDS.values())), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (default is a table).")
@store_option
@friendly
def entities(kind: str | None, as_json: bool, store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        found = facts.entities(store, kind)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for e in found:
        others = sorted({label["value"] for label in e["labels"]} - {e["name"]})
        click.echo(f"{e['type']:<13} {e['name']:<40} {len(e['sources'])} source(s)  {' | '.join(others)[:80]}")


@cli.command(help="Agreements with parties, amount (original currency and USD), region, status and sources; "
                  "disagreements between sources are shown; analysts' judgements are applied. Totals with --totals.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (default is a table).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default=None,
              help="Output format (csv/xlsx are the viewer's export, with titles, URLs, dates and evidence).")
@click.option("--totals", "by", type=click.Choice(["region", "country"]), default=None,
              help="Print totals by region or by investor country instead (each deal once; aggregates apart).")
@click.option("--rates", "rates_file", default=None, metavar="CSV",
              help=f"Exchange-rate table (year,currency,per_usd) [env {fx.ENV_VAR}; default: the bundled table].")
@click.option("--output", "-o", default="-", show_default=True, help="Write to a file instead of stdout.")
@store_option
@friendly
def deals(as_json: bool, fmt: str | None, by: str | None, rates_file: str | None, output: str, store_location: str | None) -> None:
    fmt = fmt or ("json" if as_json else "table")
    rates = fx.table(rates_file)
    with open_from(store_location, read_only=True) as store:
        book = deals_model.load(store, judgements.load(store))
    if by:
        write_output(_totals_text(deals_model.totals(book, by, rates), book, fmt), output)
        return
    ordered = [book.deals[iri] for iri in sorted(book.deals)]
    if fmt == "json":
        write_output(json.dumps([deals_model.as_record(book, d, rates) for d in ordered], ensure_ascii=False, indent=2) + "\n", output)
    elif fmt in ("csv", "xlsx"):
        rows = deals_model.rows(book, ordered, rates)
        write_output(deals_model.to_csv(rows) if fmt == "csv" else deals_model.to_xlsx(rows), output)
    else:
        lines = []
        for d in (deals_model.as_record(book, d, rates) for d in ordered):
            amount = " / ".join(f"{v['value']}" for v in d["values"].get("amount", [])) or "-"
            currency = " / ".join(v["value"] for v in d["values"].get("currency", []))
            usd = f" (≈{d['amount_usd']:,} USD)" if d["amount_usd"] is not None and currency != "USD" else ""
            flag = f"  DISAGREE: {', '.join(d['disagreements'])}" if d["disagreements"] else ""
            kind = d["type"] or "/".join(v["value"] for v in d["values"].get("type", []))
            lines.append(f"{' + '.join(d['parties'])}: {kind} {d['status'] or ''} {amount} {currency}{usd} "
                         f"({len(d['sources'])} source(s)){flag}")
        write_output("".join(line + "\n" for line in lines), output)


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
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
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


def _register_serve() -> None:
    from graph.review_cli import review
    from graph.serve import serve

    cli.add_command(serve)
    cli.add_command(review)


_register_serve()
