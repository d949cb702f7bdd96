"""Article -> sentences -> mentions -> facts -> triples, and batches of articles -> store.

Extraction is pure per article (no store access), so it runs in worker processes; only the
write, one atomic update per batch, touches the store.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from pyoxigraph import Triple
from threadpoolctl import threadpool_limits

from graph import judgements, reviewed
from graph.store import Store
from graph.facts import KINDS
from graph.namespaces import DG, entity_iri
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
        """Build the article's triples, and resolve its entities against what the store already
        holds (the merges become the resolver's judgements, see :meth:`judgement_graphs`)."""
        if index is not None:
            self.merges = index.resolve(self.extraction)
        self.graph, self.triples = triples.build(self.article, self.sentences, self.extraction,
                                                 index.canonical if index is not None else str)
        return self

    def judgement_graphs(self) -> list[tuple[str, list[Triple]]]:
        """The resolver's merges as machine judgements (graph/judgements.py), written in the same
        batch as the article: the article keeps its mentions' own IRIs, these map them."""
        return [
            judgements.resolver_merge(
                entity_iri(m.kind, m.key), entity_iri(m.kind, m.into),
                f"{m.rule} ({m.score:.1f}): '{m.label}' ({m.key}) is {m.into}", self.graph, __version__)
            for m in self.merges
        ]


def analyse(article: Article) -> Extracted:
    """The pure part: text -> facts, no store and no other article involved. Every refusal is
    a one-line ValueError."""
    for name, value in (("text", article.text), ("title", article.title), ("source", article.source)):
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"{article.source!r}: the {name} holds a lone surrogate (U+{ord(value[exc.start]):04X}), not text") from None
    lang = language.detect(article.text)
    if lang == "und":
        raise ValueError(f"{article.source}: no Kazakh, Russian or English text found")
    spans = sentences.split(article.text)
    year = int(article.published[:4]) if article.published else None
    cues = mentions.cues(article.text, lang)
    published = _published_date(article.published)
    found = [m for s in spans for m in mentions.find(s, lang, year, cues, published)]
    extraction = relations.build(found, spans, lang, f"{EXTRACTOR} ({lang})")
    return Extracted(article, lang, spans, extraction)


def _published_date(value: str | None) -> date | None:
    """The report's date when its header gives a full one ("2026-05-04"), else None."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def extract(article: Article, index: resolve.Index | None = None) -> Extracted:
    return analyse(article).write(index)


@dataclass
class Summary:
    articles: int = 0
    triples: int = 0
    agreements: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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
            if not isinstance(done, Failure):
                summary.warnings.extend(done.article.warnings)
                done = _write_or_fail(done, index)
            if isinstance(done, Failure):
                summary.errors.append(done.message)
            else:
                summary.articles += 1
                summary.triples += len(done.triples)
                summary.agreements += len(done.extraction.agreements)
                yield done.graph, done.triples
                yield from done.judgement_graphs()
            if progress:
                progress(1)

    store.import_graphs(graphs(), batch_size)
    reviewed.refresh(store)
    return summary


def _write_or_fail(done: Extracted, index: resolve.Index) -> Extracted | Failure:
    """Triples for one article; a value the store cannot hold fails this article only."""
    try:
        return done.write(index)
    except ValueError as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Failure(done.article.source, f"{done.article.source}: {message}")


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
                             initializer=_start_worker, initargs=(os.getpid(),)) as pool:
        yield from pool.map(_extract_or_fail, items, chunksize=8)


def _start_worker(parent: int) -> None:
    """natasha's tagger multiplies tiny matrices; OpenBLAS's default threads only spin-wait for
    a core (bench/ingest: 19.5 vs 4.8 articles/s with one thread), so each worker keeps one.
    And a worker dies with its parent: a killed ingest (kill -9 gives the pool no chance to
    stop its workers) left them running, ~330 MB each."""
    threadpool_limits(1, "blas")
    _die_with(parent)


PR_SET_PDEATHSIG = 1
PARENT_POLL_S = 1.0


def _die_with(parent: int) -> None:
    """Linux delivers SIGKILL to this process when its parent dies (prctl PR_SET_PDEATHSIG);
    elsewhere a daemon thread polls the parent's pid. Either way, a parent that died before
    this ran is noticed at once."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


KNOWN_KEYS = f"""PREFIX dg: <{DG}>
SELECT DISTINCT ?class ?key WHERE {{ ?e a ?class ; dg:matchKey ?key .
  VALUES ?class {{ dg:Official dg:Company dg:Organization }} }}"""


def index_of(store: Store) -> resolve.Index:
    """The keys already in the store, the resolver's merges in force and the pairs a person keeps
    apart (all judgements)."""
    index = resolve.Index()
    for row in iter_rows(store.query(KNOWN_KEYS)):
        index.keys[KINDS[row["class"].value.rsplit("#", 1)[-1]]].add(row["key"].value)
    review = judgements.load(store)
    index.apart = set(review.apart)
    index.into = {j.object: j.subject for j in review.active if j.machine and j.action == "merge" and j.object}
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
    return {"articles": summary.articles, "facts": summary.triples,
            "errors": summary.errors + [f"warning: {w}" for w in summary.warnings]}
