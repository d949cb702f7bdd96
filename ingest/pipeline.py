"""Article -> sentences -> mentions -> facts -> triples, and batches of articles -> store.

Extraction is pure per article (no store access), so it runs in worker processes; only the
write, one atomic update per batch, touches the store.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from pyoxigraph import Triple
from threadpoolctl import threadpool_limits

from graph import labels
from graph.store import Store
from graph.facts import KINDS
from graph.namespaces import DG, RESOLUTION_GRAPH
from graph.store import iter_rows
from ingest import __version__, language, mentions, relations, resolve, sentences, triples
from ingest.article import Article
from ingest.facts import Extraction
from ingest.read import SUFFIXES, Failure, ReadError, read_bytes

EXTRACTOR = f"dealgraph.ingest {__version__}"


@dataclass
class Extracted:
    article: Article
    lang: str
    sentences: list[sentences.Sentence]
    extraction: Extraction
    graph: str = ""
    triples: list[Triple] = field(default_factory=list)
    merges: list[resolve.Merge] = field(default_factory=list)

    def write(self, index: resolve.Index | None = None) -> "Extracted":
        """Resolve against what the store already holds, then build the article's triples."""
        if index is not None:
            self.merges = index.resolve(self.extraction)
        self.graph, self.triples = triples.build(self.article, self.sentences, self.extraction, self.merges)
        return self


def analyse(article: Article) -> Extracted:
    """The pure part: text -> facts, no store and no other article involved."""
    lang = language.detect(article.text)
    if lang == "und":
        raise ValueError(f"{article.source}: no Kazakh, Russian or English text found")
    spans = sentences.split(article.text)
    year = int(article.published[:4]) if article.published else None
    cues = mentions.cues(article.text, lang)
    found = [m for s in spans for m in mentions.find(s, lang, year, cues)]
    extraction = relations.build(found, spans, lang, f"{EXTRACTOR} ({lang})")
    return Extracted(article, lang, spans, extraction)


def extract(article: Article, index: resolve.Index | None = None) -> Extracted:
    return analyse(article).write(index)


@dataclass
class Summary:
    articles: int = 0
    triples: int = 0
    agreements: int = 0
    errors: list[str] = field(default_factory=list)


def ingest(store: Store, items: Iterable[Article | Failure], batch_size: int = 50,
           progress: Callable[[int], None] | None = None, workers: int = 1) -> Summary:
    """Write each article's graph; a failing article is reported and skipped, never half-written.

    Graphs go to :meth:`Store.import_graphs`: batches of whole graphs, one atomic update each
    (a fresh embedded store is bulk-loaded aside and swapped in whole). An interrupted ingest is
    resumed by running it again: articles already written are replaced by themselves. The
    preferred labels (:mod:`graph.labels`) are recomputed once at the end."""
    summary = Summary()
    index = index_of(store)

    def graphs() -> Iterator[tuple[str, list[Triple]]]:
        for done in extract_all(items, workers):
            if isinstance(done, Failure):
                summary.errors.append(done.message)
            else:
                done.write(index)
                summary.articles += 1
                summary.triples += len(done.triples)
                summary.agreements += len(done.extraction.agreements)
                yield done.graph, done.triples
            if progress:
                progress(1)

    store.import_graphs(graphs(), batch_size)
    labels.refresh(store)
    return summary


def _extract_or_fail(item: Article | Failure) -> Extracted | Failure:
    if isinstance(item, Failure):
        return item
    try:
        return analyse(item)
    except ValueError as exc:
        return Failure(item.source, str(exc))


def extract_all(items: Iterable[Article | Failure], workers: int = 1) -> Iterator[Extracted | Failure]:
    """Analysis in order; with workers > 1 in a process pool (analysis is pure per article).
    Resolution and triples (``Extracted.write``) happen in the caller, in article order."""
    if workers <= 1:
        with threadpool_limits(1, "blas"):
            yield from map(_extract_or_fail, items)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_one_blas_thread) as pool:
        yield from pool.map(_extract_or_fail, items, chunksize=8)


def _one_blas_thread() -> None:
    """natasha's tagger multiplies tiny matrices; OpenBLAS's default threads only spin-wait for
    a core (bench/ingest: 19.5 vs 4.8 articles/s with one thread), so each worker keeps one."""
    threadpool_limits(1, "blas")


KNOWN_KEYS = f"""PREFIX dg: <{DG}>
SELECT DISTINCT ?class ?key WHERE {{ ?e a ?class ; dg:matchKey ?key .
  VALUES ?class {{ dg:Official dg:Company dg:Organization }} }}"""
KEPT_APART = f"""PREFIX dg: <{DG}>
SELECT ?kind ?key ?other WHERE {{ GRAPH <{RESOLUTION_GRAPH}> {{ ?split a dg:KeepApart ; dg:kind ?kind ;
  dg:key ?key ; dg:otherKey ?other }} }}"""


def index_of(store: Store) -> resolve.Index:
    """The keys already in the store, and the pairs a user asked to keep apart."""
    index = resolve.Index()
    for row in iter_rows(store.query(KNOWN_KEYS)):
        index.keys[KINDS[row["class"].value.rsplit("#", 1)[-1]]].add(row["key"].value)
    for row in iter_rows(store.query(KEPT_APART)):
        index.apart.add((row["kind"].value, row["key"].value, row["other"].value))
    return index


def ingest_uploaded(store: Store, name: str, data: bytes) -> dict:
    """One uploaded file (the viewer's ingest page): same reading, checks and atomic writes as
    `dealgraph ingest`, reported as articles, facts (triples) and one line per problem."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return {"articles": 0, "facts": 0, "errors": [f"{name}: not a .txt, .html or .jsonl file"]}
    try:
        items = list(read_bytes(data, name, suffix))
    except ReadError as exc:
        return {"articles": 0, "facts": 0, "errors": [str(exc)]}
    summary = ingest(store, items)
    return {"articles": summary.articles, "facts": summary.triples, "errors": summary.errors}
