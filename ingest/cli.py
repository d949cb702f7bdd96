"""Ingest-side commands (ingest, extract, evaluate, ner-eval, merges, unmerge), the one place
the ``dealgraph`` group is built (:func:`build_cli`), and the console-script entry point."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import click

from graph import cli as store_commands
from graph import judgements
from graph.cli import friendly, open_from, store_option
from graph.review_cli import who_option
from graph.listing import chosen, format_option, render
from graph.facts import article_facts
from pyoxigraph import NamedNode

from graph.store import iter_rows, open_store
from ingest import evaluate as scoring
from graph import reviewed
from ingest import follow, pipeline, read


@click.command(help="Read articles (files, folders, .html, .jsonl batches, '-' for stdin, http(s) URLs of pages) "
                  "into the store; --feed/--sitemap/--urls follow the web politely and incrementally. "
                  "Each article replaces its own named graph atomically; re-ingesting changes nothing.")
@click.argument("paths", nargs=-1)
@click.option("--feed", "feed_urls", multiple=True, metavar="URL", help="RSS or Atom feed: ingest its new or changed items.")
@click.option("--sitemap", "sitemap_urls", multiple=True, metavar="URL", help="XML sitemap (or sitemap index).")
@click.option("--urls", "url_files", multiple=True, type=click.Path(dir_okay=False), help="File of page URLs, one a line.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
              help="Raw-page cache folder [default: the user cache dir, dealgraph/pages].")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(min=0), help="Seconds between two requests to one host.")
@click.option("--batch-size", default=50, show_default=True, help="Articles per atomic write.")
@click.option("--workers", "-j", default=1, show_default=True, help="Extraction processes (0 = all cores).")
@store_option
@friendly
def ingest(paths: tuple[str, ...], feed_urls: tuple[str, ...], sitemap_urls: tuple[str, ...],
           url_files: tuple[str, ...], cache_dir: str | None, delay: float, batch_size: int, workers: int,
           store_location: str | None) -> None:
    urls = [p for p in paths if p.lower().startswith(("http://", "https://"))]
    files = [p for p in paths if p not in urls]
    if not (files or urls or feed_urls or sitemap_urls or url_files):
        raise click.UsageError("give files, folders, URLs, --feed, --sitemap or --urls")
    workers = workers or os.cpu_count() or 1
    summary, web = pipeline.Summary(), None
    with open_from(store_location) as store:
        if files:
            with click.progressbar(length=count_items(files), label="ingesting", file=sys.stderr) as bar:
                summary = pipeline.ingest(store, read.read_paths(files), batch_size, progress=bar.update,
                                          workers=workers)
        if urls or feed_urls or sitemap_urls or url_files:
            web = follow.follow(store, urls, feed_urls, sitemap_urls, url_files, cache_dir, delay, batch_size, workers,
                                progress=lambda n: click.progressbar(length=n, label="following", file=sys.stderr))
    errors = summary.errors + (web.failures if web else [])
    for warning in summary.warnings + (web.summary.warnings if web else []):
        click.echo(f"warning: {warning}", err=True)
    for error in errors:
        click.echo(f"error: {error}", err=True)
    for duplicate in web.duplicates if web else []:
        click.echo(f"duplicate: {duplicate}", err=True)
    if web:
        click.echo(f"web: {web.line()}", err=True)
        for name in ("articles", "triples", "agreements"):
            setattr(summary, name, getattr(summary, name) + getattr(web.summary, name))
    click.echo(f"{summary.articles} article(s), {summary.triples} triples, {summary.agreements} agreement(s), "
               f"{len(errors)} error(s) -> {store.location}", err=True)
    if errors and not summary.articles and not (web and (web.unchanged or web.not_modified)):
        sys.exit(1)


def count_items(paths: list[str]) -> int:
    """Articles to expect, for the progress bar: one per file, one per line of a .jsonl batch."""
    total = 0
    for source in read.expand(paths):
        if source.endswith(".jsonl") and Path(source).is_file():
            try:
                total += count_lines(source)
            except OSError:
                total += 1  # reading it will report why, as one line
        else:
            total += 1
    return total


def count_lines(source: str) -> int:
    """Non-blank lines, read in bounded chunks (one line may be gigabytes of garbage)."""
    lines, blank = 0, True
    with open(source, "rb") as handle:
        while chunk := handle.read(read.CHUNK_BYTES):
            parts = chunk.split(b"\n")
            for index, part in enumerate(parts):
                if part.strip():
                    blank = False
                if index < len(parts) - 1:
                    lines += not blank
                    blank = True
    return lines + (not blank)


def _one_article(path: str) -> read.Article:
    items = list(read.read_paths([path]))
    failures = [i for i in items if isinstance(i, read.Failure)]
    if failures:
        raise click.ClickException(failures[0].message)
    if len(items) != 1:
        raise click.ClickException(f"{path}: expected one article, found {len(items)} (use ingest for batches)")
    return items[0]


@click.command(help="Print the facts of one article in the gold shape of the evaluation format; the store is untouched.")
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, default=True, help="Print JSON (the only format).")
@friendly
def extract(article: str, as_json: bool) -> None:
    facts = facts_of(_one_article(article))
    click.echo(json.dumps(facts, ensure_ascii=False, indent=2))


def facts_of(article: read.Article) -> dict:
    """Extract through a throw-away in-memory store, so the output is what the graph holds."""
    done = pipeline.extract(article)
    with open_store(":memory:") as store:
        store.replace_graphs({done.graph: done.triples})
        record = article_facts(store, done.graph)
    record["file"] = Path(article.source).name
    return record


@click.command(help="Score extraction against a gold JSONL file (../shared/eval/FORMAT.md) in a temporary store.")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--gold", "gold_file", required=True, type=click.Path(exists=True, dir_okay=False))
@format_option
@friendly
def evaluate(articles_dir: str, gold_file: str, fmt: str, as_json: bool) -> None:
    result = evaluate_dir(Path(articles_dir), Path(gold_file))
    if chosen(fmt, as_json) != "table":
        rows = [{"kind": kind, **s} for kind, s in [*result["per_kind"].items(), ("micro", result["micro"])]]
        click.echo(render(rows, chosen(fmt, as_json), document=result), nl=False)
        return
    click.echo(f"{'kind':<28}{'TP':>5}{'FP':>5}{'FN':>5}{'P':>8}{'R':>8}{'F1':>8}")
    rows = [*result["per_kind"].items(), ("micro", result["micro"]), ("links", result["links"])]
    rows += [(f"{lang} {part}", figures[part]) for lang, figures in result["per_lang"].items() for part in ("micro", "links")]
    for kind, s in rows:
        click.echo(f"{kind:<28}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}")


def evaluate_dir(articles_dir: Path, gold_file: Path) -> dict:
    """Every gold record's article is ingested into one temporary embedded store and read back."""
    golds = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = []
    with tempfile.TemporaryDirectory(prefix="dealgraph-eval-") as tmp, open_store(tmp) as store:
        for gold in golds:
            path = articles_dir / gold["file"]
            article = _one_article(str(path))
            done = pipeline.extract(article)
            store.replace_graphs({done.graph: done.triples})
            pairs.append((gold, article_facts(store, done.graph)))
    return scoring.score(pairs)


@click.command("ner-eval", help="Score the NER taggers on a public corpus: KazNERD (--format conll FILE) "
                              "or factRuEval-2016 (--format factru DIR); exact-span P/R/F1.")
@click.argument("path", type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["conll", "factru"]), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@friendly
def ner_eval(path: str, fmt: str, as_json: bool) -> None:
    if fmt == "conll":
        from ingest.ner.conll import evaluate_file

        result = evaluate_file(Path(path))
    else:
        from ingest.ner.factru import evaluate_dir as factru_dir

        result = factru_dir(Path(path))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for label, s in [*result["per_class"].items(), ("micro", result["micro"])]:
        click.echo(f"{label:<14}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}")


def main() -> None:
    build_cli()()


@click.command(help="Entity merges the resolver made across articles (judgements: mention, target, reason, "
                    "article); undo one with `unmerge`.")
@format_option
@store_option
@friendly
def merges(fmt: str, as_json: bool, store_location: str | None) -> None:
    with open_from(store_location, read_only=True) as store:
        rows = [{"merge": j.iri, "label": _mention_label(store, j), "mention": j.object, "into": j.subject,
                 "reason": j.why, "articles": judgements.articles_of(store, j.iri)}
                for j in judgements.load(store).active if j.machine and j.action == "merge"]
    click.echo(render(rows, chosen(fmt, as_json), table=lambda: (
        f"{r['merge']}  '{r['label']}' {r['mention']} -> {r['into']}  [{r['reason']}]" for r in rows)), nl=False)


def _mention_label(store, merge: judgements.Judgement) -> str:
    """How the merged entity is written in the article the merge was made for."""
    query = "SELECT ?label WHERE { GRAPH ?a { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label } }"
    for article in judgements.articles_of(store, merge.iri):
        for row in iter_rows(store.query(query, {"a": NamedNode(article), "e": NamedNode(merge.object or "")})):
            return row["label"].value
    return ""


@click.command(help="Undo a merge (IRI from `dealgraph merges` or `dealgraph review list`): the merge judgement is "
                    "undone and the two entities kept apart from then on; nothing is re-extracted.")
@click.argument("merge_iri")
@who_option
@store_option
@friendly
def unmerge(merge_iri: str, who: str, store_location: str | None) -> None:
    with open_from(store_location) as store:
        try:
            kept = judgements.split(store, merge_iri, who)
        except judgements.JudgementError as exc:
            raise click.ClickException(str(exc)) from exc
        reviewed.refresh(store)
    click.echo(f"kept {kept.object} apart from {kept.subject} ({kept.iri})", err=True)


def build_cli() -> click.Group:
    """The ``dealgraph`` group, built here and only here from an explicit list of commands
    (no command registers itself on import), with the options every command shares."""
    from graph.review_cli import review
    from graph.serve import serve

    @click.group(help="dealgraph: an offline investment-deal knowledge graph from kk/ru/en news articles.")
    @click.version_option(package_name="dealgraph")
    @click.option("--debug", is_flag=True, help="Show the full traceback of an error instead of one line.")
    @click.pass_context
    def group(context: click.Context, debug: bool) -> None:
        context.obj = {"debug": debug}

    commands = [ingest, extract, evaluate, ner_eval, merges, unmerge,
                store_commands.query, store_commands.export, store_commands.delete, store_commands.reindex,
                store_commands.stats, store_commands.validate, store_commands.entities, store_commands.deals,
                serve, review]
    for command in commands:
        group.add_command(command)
    group.name = "dealgraph"
    return group


cli = build_cli()
"""The group, for ``CliRunner().invoke(cli, [...])`` in tests and for ``python -m``."""
