"""Article -> sentences -> mentions -> facts -> triples, and batches of articles -> store.

Extraction is pure per article (no store access), so it runs in worker processes; only the
write, one atomic update per batch, touches the store.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from pyoxigraph import Triple

from graph.store import Store
from ingest import __version__, language, mentions, relations, sentences, triples
from ingest.article import Article
from ingest.facts import Extraction
from ingest.read import Failure

EXTRACTOR = f"dealgraph.ingest {__version__}"


@dataclass
class Extracted:
    article: Article
    lang: str
    extraction: Extraction
    graph: str
    triples: list[Triple]


def extract(article: Article) -> Extracted:
    lang = language.detect(article.text)
    if lang == "und":
        raise ValueError(f"{article.source}: no Kazakh, Russian or English text found")
    spans = sentences.split(article.text)
    year = int(article.published[:4]) if article.published else None
    cues = mentions.speakers(article.text, lang)
    found = [m for s in spans for m in mentions.find(s, lang, year, cues)]
    extraction = relations.build(found, spans, lang, f"{EXTRACTOR} ({lang})")
    graph, quads = triples.build(article, spans, extraction)
    return Extracted(article, lang, extraction, graph, quads)


@dataclass
class Summary:
    articles: int = 0
    triples: int = 0
    agreements: int = 0
    errors: list[str] = field(default_factory=list)


def ingest(store: Store, items: Iterable[Article | Failure], batch_size: int = 50,
           progress: Callable[[int], None] | None = None, workers: int = 1) -> Summary:
    """Write each article's graph; a failing article is reported and skipped, never half-written.

    Articles are written in batches of whole graphs, one atomic update each, so an interrupted
    bulk ingest is resumed by running it again: done articles are replaced by themselves."""
    summary = Summary()
    batch: dict[str, list[Triple]] = {}
    pending: list[Extracted] = []

    def flush() -> None:
        if batch:
            store.replace_graphs(batch)
            for done in pending:
                summary.articles += 1
                summary.triples += len(done.triples)
                summary.agreements += len(done.extraction.agreements)
            batch.clear()
            pending.clear()

    for done in extract_all(items, workers):
        if isinstance(done, Failure):
            summary.errors.append(done.message)
        else:
            batch[done.graph] = done.triples
            pending.append(done)
            if len(batch) >= batch_size:
                flush()
        if progress:
            progress(1)
    flush()
    return summary


def _extract_or_fail(item: Article | Failure) -> Extracted | Failure:
    if isinstance(item, Failure):
        return item
    try:
        return extract(item)
    except ValueError as exc:
        return Failure(item.source, str(exc))


def extract_all(items: Iterable[Article | Failure], workers: int = 1) -> Iterator[Extracted | Failure]:
    """Extraction in order; with workers > 1 in a process pool (extraction is pure per article)."""
    if workers <= 1:
        yield from map(_extract_or_fail, items)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_extract_or_fail, items, chunksize=8)
