"""How fast does dealgraph turn articles into graphs, next to a baseline measured in the same run?

Outside the test run: ``.venv/bin/python bench/ingest.py [--articles 2000]``.

The corpus is generated, not collected: the project's own texts (``samples/``, the dev set and
the same-deal pair) are recombined per language into >= 2,000 distinct articles (lead paragraph
of one text, its other paragraphs and one or two borrowed from another text of the same
language, shuffled; region and city names swapped through ``ingest/data``'s gazetteers; money
amounts rescaled). The same seed gives the same corpus on every machine, and every article has
its own content hash, so nothing is deduplicated away by the store.

Measured on that one corpus, in one run:

* ``extract`` in one process, and ``extract_all`` with ``os.cpu_count()`` workers;
* full ``ingest`` (extraction plus atomic batch writes) into a fresh embedded store, with 1 and
  with all workers;
* BASELINE: natasha alone (Segmenter + NewsEmbedding + NewsNERTagger) on every article's text:
  Russian NER for ru, the same pipeline as a tokenise+tag reference for kk/en.

Why the baseline runs interleaved with single-process extraction: the machine is shared
(2 cores, other engineers' jobs come and go), so the two alternate in blocks of articles and any
change of load hits both alike; their ratio is the figure that holds between runs, while
absolute seconds drift. CPU seconds are reported beside wall seconds for the same reason.
Everything is warmed up once (models and vocabularies loaded) before timing; a measurement is
repeated three times (median) only when one run is cheap, so the full run stays near five
minutes on two idle cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.store import open_store  # noqa: E402
from ingest import language, pipeline  # noqa: E402
from ingest.article import Article  # noqa: E402
from ingest.read import Failure, read_paths  # noqa: E402

OUT = ROOT / "bench" / "out" / "ingest.json"
DATA = ROOT / "ingest" / "data"
SOURCES = ("samples/*.txt", "tests/data/dev/*/*.txt", "tests/data/same_deal/*.txt")
LANGS = ("kk", "ru", "en")
BASELINE = "natasha-ner"
CHEAP_S = 15.0
REPEATS = 3
WARMUP_ARTICLES = 24
BLOCK = 50
BATCH_SIZE = 50
MB = 1_000_000
THREAD_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


# ---------------------------------------------------------------------------------------------
# Corpus


@dataclass(frozen=True)
class Base:
    """One of the project's own texts, cut into the paragraphs that get recombined."""

    lang: str
    source: str
    title: str
    year: int
    paragraphs: tuple[str, ...]


def _tsv_rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def base_texts() -> dict[str, list[Base]]:
    paths = sorted(str(p.relative_to(ROOT)) for pattern in SOURCES for p in ROOT.glob(pattern))
    bases: dict[str, list[Base]] = {lang: [] for lang in LANGS}
    for item in read_paths([str(ROOT / p) for p in paths]):
        if isinstance(item, Failure):
            raise SystemExit(f"cannot read a corpus source: {item.message}")
        lang = language.detect(item.text)
        paragraphs = tuple(p.strip() for p in item.text.split("\n") if p.strip())
        year = int(item.published[:4]) if item.published else 2025
        bases[lang].append(Base(lang, item.source, item.title, year, paragraphs))
    for lang, found in bases.items():
        if len(found) < 2:
            raise SystemExit(f"need at least two {lang} source texts to recombine, found {len(found)}")
    return bases


class Swapper:
    """Swaps region names, city names and money amounts in one language's text.

    Region names are matched on their stem where the language inflects around it (Russian
    "Актюбинск|ой области" becomes "Павлодарск|ой области", Kazakh names before "облыс…"),
    cities only as whole uninflected words, so every swap stays grammatical."""

    def __init__(self, lang: str) -> None:
        column = LANGS.index(lang)
        regions = [row[1 + column] for row in _tsv_rows("gazetteer/subdivisions.tsv") if row[0].startswith("KZ-")]
        if lang == "kk":
            stems, after = [r.removesuffix(" облысы") for r in regions], r"(?=\s+облыс)"
        elif lang == "ru":
            stems, after = [r.split()[0].removesuffix("ая") for r in regions], r"(?=[а-яё])"
        else:
            stems, after = [r.removesuffix(" Region") for r in regions], r"(?=\s+(?:region|oblast))"
        cities = [(row[0], row[1 + column]) for row in _tsv_rows("gazetteer/cities.tsv")]
        if lang == "ru":
            # only names that do not decline ("в Актобе", "в Токио"), so "в Астане" never
            # turns into "в Павлодарне"; declined forms are left as they are
            cities = [(country, name) for country, name in cities if name[-1] in "еоуыиюэ"]
        self.regions = sorted(set(stems))
        self.home_cities = sorted({name for country, name in cities if country == "KZ"})
        self.foreign_cities = sorted({name for country, name in cities if country != "KZ"})
        self.names = re.compile(
            r"(?<![\w-])(?:(?P<region>" + _alternation(self.regions) + ")" + after
            + r"|(?P<city>" + _alternation(self.home_cities + self.foreign_cities) + r")(?![\w-]))",
            re.IGNORECASE,
        )
        multipliers = [row[2] for row in _tsv_rows("money.tsv") if row[0] == "multiplier" and row[1] == lang]
        self.amounts = re.compile(
            r"(?<![\d.,])(\d+(?:[.,]\d+)?)(?=\s*(?:" + "|".join(multipliers) + r")(?!\w))", re.IGNORECASE
        )

    def mapping(self, rng: random.Random) -> dict[tuple[str, str], str]:
        """One random permutation of regions, of Kazakh cities and of foreign cities; keyed by
        kind too, since a region and its centre often share a name ("Kostanay Region")."""
        table: dict[tuple[str, str], str] = {}
        for kind, group in (("region", self.regions), ("city", self.home_cities), ("city", self.foreign_cities)):
            table.update(zip(((kind, g.lower()) for g in group), rng.sample(group, len(group))))
        return table

    def apply(self, text: str, table: dict[tuple[str, str], str], rng: random.Random) -> str:
        """Names through ``table``; each amount rescaled once per article (and remembered in
        ``table``), so a title and its text keep quoting the same figure."""
        def name(match: re.Match[str]) -> str:
            found = match.group(0)
            new = table.get((match.lastgroup or "", found.lower()), found)
            return new if found[0].isupper() else new[0].lower() + new[1:]

        def amount(match: re.Match[str]) -> str:
            number = match.group(1)
            if ("amount", number) not in table:
                separator = "," if "," in number else "."
                whole, _, fraction = number.replace(",", ".").partition(".")
                value = float(f"{whole}.{fraction or 0}") * rng.uniform(0.3, 3.0)
                table["amount", number] = (f"{value:.{len(fraction)}f}".replace(".", separator) if fraction
                                           else str(max(1, round(value))))
            return table["amount", number]

        return self.amounts.sub(amount, self.names.sub(name, text))


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def recombine(base: Base, donor: Base, swapper: Swapper, rng: random.Random, number: int) -> Article:
    """Lead of ``base``, then its other paragraphs (one may be dropped) and one or two of
    ``donor``'s, shuffled; names and amounts swapped consistently in title and text."""
    lead, *rest = base.paragraphs
    if len(rest) > 2:
        rest.pop(rng.randrange(len(rest)))
    borrowed = rng.sample(donor.paragraphs[1:], min(len(donor.paragraphs) - 1, rng.randint(1, 2)))
    body = rest + borrowed
    rng.shuffle(body)
    table = swapper.mapping(rng)
    text = "\n".join(swapper.apply(p, table, rng) for p in [lead, *body])
    day = date(base.year, 1, 1).toordinal() + rng.randrange(365)
    return Article(
        text=text,
        source=f"bench/{base.lang}/{number:05d}.txt",
        title=swapper.apply(base.title, table, rng),
        published=date.fromordinal(day).isoformat(),
    )


def corpus(size: int, seed: int) -> list[Article]:
    """``size`` distinct articles, kk/ru/en in turn, the same for the same seed."""
    bases = base_texts()
    swappers = {lang: Swapper(lang) for lang in LANGS}
    articles: list[Article] = []
    seen: set[str] = set()
    for number in range(size):
        lang = LANGS[number % len(LANGS)]
        for attempt in range(100):
            rng = random.Random(f"{seed}/{number}/{attempt}")
            base, donor = rng.sample(bases[lang], 2)
            article = recombine(base, donor, swappers[lang], rng, number)
            if article.content_hash not in seen:
                break
        else:
            raise SystemExit(f"could not make article {number} distinct from the others")
        seen.add(article.content_hash)
        articles.append(article)
    return articles


def lang_of(article: Article) -> str:
    """The language the corpus generator wrote the article in (kept in its source path)."""
    return article.source.split("/")[1]


def text_mb(articles: list[Article]) -> float:
    return sum(len(a.text.encode("utf-8")) for a in articles) / MB


# ---------------------------------------------------------------------------------------------
# Measurement


@dataclass
class Result:
    name: str
    workers: int
    articles: int
    mb: float
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    per_lang_wall_s: dict[str, float] = field(default_factory=dict)
    per_lang_cpu_s: dict[str, float] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_s)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_s)

    def as_json(self) -> dict:
        return {
            "name": self.name, "workers": self.workers, "runs": len(self.wall_s),
            "articles": self.articles, "mb": round(self.mb, 4),
            "wall_s": round(self.wall, 3), "cpu_s": round(self.cpu, 3),
            "articles_per_s": round(self.articles / self.wall, 2), "mb_per_s": round(self.mb / self.wall, 4),
            "articles_per_cpu_s": round(self.articles / self.cpu, 2),
            "all_wall_s": [round(w, 3) for w in self.wall_s], "load_avg_1m_at_start": self.load,
            "per_lang_wall_s": {k: round(v, 3) for k, v in self.per_lang_wall_s.items()},
            "per_lang_cpu_s": {k: round(v, 3) for k, v in self.per_lang_cpu_s.items()},
            **self.extra,
        }


def cpu_seconds() -> float:
    """This process and its waited-for children (the pool's workers once it has shut down)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def repeat(result: Result, run: Callable[[], dict], log: Callable[[str], None]) -> Result:
    """One timed run; two more (median of three) only when a run is cheap."""
    while len(result.wall_s) < REPEATS:
        result.load.append(round(os.getloadavg()[0], 2))
        cpu0, wall0 = cpu_seconds(), time.perf_counter()
        result.extra = run()
        result.wall_s.append(time.perf_counter() - wall0)
        result.cpu_s.append(cpu_seconds() - cpu0)
        log(f"  {result.name} ({result.workers} worker(s)): {result.wall_s[-1]:.1f} s wall")
        if result.wall_s[-1] >= CHEAP_S:
            break
    return result


def natasha_pipeline() -> Callable[[str], int]:
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())

    def tag(text: str) -> int:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return len(doc.spans)

    return tag


def interleaved(articles: list[Article], ours: Result, baseline: Result,
                tag: Callable[[str], int], log: Callable[[str], None]) -> None:
    """Single-process extract and the natasha baseline over the same texts, alternating in
    blocks so both see the same load; per-article timings give per-language figures."""
    for result in (ours, baseline):
        result.load.append(round(os.getloadavg()[0], 2))
        result.per_lang_wall_s = dict.fromkeys(LANGS, 0.0)
        result.per_lang_cpu_s = dict.fromkeys(LANGS, 0.0)
    langs = [lang_of(a) for a in articles]
    failures = spans = agreements = 0

    def ours_one(article: Article) -> None:
        nonlocal failures, agreements
        try:
            agreements += len(pipeline.extract(article).extraction.agreements)
        except ValueError:
            failures += 1

    def baseline_one(article: Article) -> None:
        nonlocal spans
        spans += tag(article.text)

    turns = [(ours, ours_one), (baseline, baseline_one)]
    for number, start in enumerate(range(0, len(articles), BLOCK)):
        if number and number % 10 == 0:
            log(f"  {start} of {len(articles)} articles")
        for result, one in turns if number % 2 == 0 else turns[::-1]:
            for i in range(start, min(start + BLOCK, len(articles))):
                cpu0, wall0 = time.process_time(), time.perf_counter()
                one(articles[i])
                result.per_lang_wall_s[langs[i]] += time.perf_counter() - wall0
                result.per_lang_cpu_s[langs[i]] += time.process_time() - cpu0
    for result in (ours, baseline):
        result.wall_s.append(sum(result.per_lang_wall_s.values()))
        result.cpu_s.append(sum(result.per_lang_cpu_s.values()))
        log(f"  {result.name} (1 worker): {result.wall_s[-1]:.1f} s wall")
    ours.extra = {"failures": failures, "agreements": agreements}
    baseline.extra = {"spans": spans}


def extract_parallel(articles: list[Article], workers: int) -> dict:
    failures = agreements = 0
    for done in pipeline.extract_all(articles, workers=workers):
        if isinstance(done, Failure):
            failures += 1
        else:
            agreements += len(done.extraction.agreements)
    return {"failures": failures, "agreements": agreements}


def ingest_fresh(articles: list[Article], workers: int) -> dict:
    """Full ingest into a new embedded store; the store's quad count checks it was written, and
    the time spent inside ``replace_graphs`` separates writing from extracting."""
    folder = tempfile.mkdtemp(prefix="dealgraph-bench-ingest-")
    try:
        store = open_store(folder)
        write = store.replace_graphs
        write_s = 0.0

        def timed_write(graphs: dict) -> None:
            nonlocal write_s
            start = time.perf_counter()
            write(graphs)
            write_s += time.perf_counter() - start

        store.replace_graphs = timed_write  # type: ignore[method-assign]
        try:
            summary = pipeline.ingest(store, articles, batch_size=BATCH_SIZE, workers=workers)
            quads = store.count()
        finally:
            store.close()
        disk = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"written": summary.articles, "triples": summary.triples, "quads_in_store": quads,
            "errors": len(summary.errors), "store_mb": round(disk / MB, 2), "store_write_s": round(write_s, 3)}


# ---------------------------------------------------------------------------------------------
# Report


def machine() -> dict:
    """Taken before measuring: the code under test is the checkout as it was at the start."""
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()

    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "host": platform.node(), "cpu_count": os.cpu_count(), "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(), "pyoxigraph": version("pyoxigraph"),
        "natasha": version("natasha"), "slovnet": version("slovnet"), "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_in_measured_code": git("status", "--porcelain", "--", "ingest", "graph").splitlines(),
        "thread_env": {k: os.environ[k] for k in THREAD_ENV if k in os.environ},
    }


def table(results: list[Result]) -> str:
    head = f"{'measurement':<28}{'workers':>8}{'runs':>6}{'art/s':>9}{'MB/s':>9}{'wall s':>9}{'cpu s':>9}{'load':>7}"
    lines = [head, "-" * len(head)]
    for r in results:
        name = f"BASELINE {r.name}" if r.name == BASELINE else r.name
        lines.append(f"{name:<28}{r.workers:>8}{len(r.wall_s):>6}{r.articles / r.wall:>9.1f}"
                     f"{r.mb / r.wall:>9.3f}{r.wall:>9.1f}{r.cpu:>9.1f}{max(r.load):>7.2f}")
    return "\n".join(lines)


def lang_table(ours: Result, base: Result, sizes: dict[str, tuple[int, float]]) -> tuple[str, dict]:
    head = (f"{'lang':<6}{'articles':>9}{'MB':>8}{'extract art/s':>15}{'natasha art/s':>15}"
            f"{'ratio wall':>12}{'ratio cpu':>11}")
    lines, ratios = [head, "-" * len(head)], {}
    for lang in LANGS:
        n, mb = sizes[lang]
        ours_rate, base_rate = n / ours.per_lang_wall_s[lang], n / base.per_lang_wall_s[lang]
        cpu_ratio = base.per_lang_cpu_s[lang] / ours.per_lang_cpu_s[lang]
        ratios[lang] = {"wall": round(ours_rate / base_rate, 2), "cpu": round(cpu_ratio, 2)}
        lines.append(f"{lang:<6}{n:>9}{mb:>8.2f}{ours_rate:>15.1f}{base_rate:>15.1f}"
                     f"{ours_rate / base_rate:>11.2f}x{cpu_ratio:>10.2f}x")
    return "\n".join(lines), ratios


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="the 'all cores' pool size")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", flush=True)

    load_start = os.getloadavg()
    host = machine()
    if host["thread_env"]:
        print("thread settings: " + " ".join(f"{k}={v}" for k, v in host["thread_env"].items()))
    print(f"code: commit {host['commit']}"
          + (f" plus {len(host['uncommitted_in_measured_code'])} uncommitted path(s) in ingest/ or graph/"
             if host["uncommitted_in_measured_code"] else ""))
    articles = corpus(args.articles, args.seed)
    sizes = {}
    for lang in LANGS:
        group = [a for a in articles if lang_of(a) == lang]
        sizes[lang] = (len(group), text_mb(group))
    total_mb = text_mb(articles)
    print(f"corpus: {len(articles)} articles, {total_mb:.2f} MB UTF-8 text "
          f"({len({a.content_hash for a in articles})} distinct content hashes, seed {args.seed})")
    for lang, (n, mb) in sizes.items():
        print(f"  {lang}: {n} articles, {mb:.2f} MB, {mb * MB / max(n, 1) / 1000:.1f} kB per article")
    print(f"load average at start (1/5/15 min): {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}"
          f" on {os.cpu_count()} cores")

    log("warm-up: vocabularies, natasha models, one extraction per language")
    warm = time.perf_counter()
    tag = natasha_pipeline()
    for article in articles[:WARMUP_ARTICLES]:
        pipeline.extract(article)
        tag(article.text)
    warmup_s = time.perf_counter() - warm

    n = len(articles)
    ours = Result("extract", 1, n, total_mb)
    baseline = Result(BASELINE, 1, n, total_mb)
    log("extract (1 worker) and natasha baseline, interleaved")
    interleaved(articles, ours, baseline, tag, log)
    log(f"extract ({args.workers} workers)")
    parallel = repeat(Result("extract", args.workers, n, total_mb),
                      lambda: extract_parallel(articles, args.workers), log)
    log("ingest into fresh embedded stores")
    ingest_one = repeat(Result("ingest", 1, n, total_mb), lambda: ingest_fresh(articles, 1), log)
    ingest_all = repeat(Result("ingest", args.workers, n, total_mb), lambda: ingest_fresh(articles, args.workers), log)
    results = [ours, parallel, ingest_one, ingest_all, baseline]
    load_end = os.getloadavg()

    per_lang, lang_ratios = lang_table(ours, baseline, sizes)
    ratios = {
        "extract_1_vs_natasha_wall": round(baseline.wall / ours.wall, 2),
        "extract_1_vs_natasha_cpu": round(baseline.cpu / ours.cpu, 2),
        f"extract_{args.workers}_vs_natasha_1_wall": round(baseline.wall / parallel.wall, 2),
        f"extract_{args.workers}_vs_extract_1_wall": round(ours.wall / parallel.wall, 2),
        f"ingest_{args.workers}_vs_ingest_1_wall": round(ingest_one.wall / ingest_all.wall, 2),
        "ingest_1_vs_natasha_wall": round(baseline.wall / ingest_one.wall, 2),
        "per_lang_extract_1_vs_natasha": lang_ratios,
    }
    print()
    print(table(results))
    print()
    print("single process, per language (extract vs natasha on the same texts):")
    print(per_lang)
    print()
    print(f"dealgraph extract is {ratios['extract_1_vs_natasha_wall']}x natasha-NER throughput on the same "
          f"texts ({ratios['extract_1_vs_natasha_cpu']}x by CPU time), 1 process each; "
          f"with {args.workers} workers {ratios[f'extract_{args.workers}_vs_natasha_1_wall']}x.")
    print(f"full ingest (1 worker) is {ratios['ingest_1_vs_natasha_wall']}x natasha-NER throughput; "
          f"{args.workers} workers speed extract up {ratios[f'extract_{args.workers}_vs_extract_1_wall']}x, "
          f"ingest {ratios[f'ingest_{args.workers}_vs_ingest_1_wall']}x.")
    print(f"ingest (1 worker) spent {ingest_one.extra['store_write_s']:.1f} s of {ingest_one.wall:.1f} s inside "
          f"store writes (batches of {BATCH_SIZE}); {args.workers} workers: "
          f"{ingest_all.extra['store_write_s']:.1f} s of {ingest_all.wall:.1f} s")
    print(f"store: {ingest_one.extra.get('quads_in_store')} quads, {ingest_one.extra.get('store_mb')} MB on disk; "
          f"extraction failures {ours.extra['failures']}, ingest errors {ingest_one.extra.get('errors')}")
    elapsed = time.perf_counter() - started
    print(f"load average at end (1/5/15 min): {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}; "
          f"total {elapsed:.0f} s")

    report = {
        "machine": host,
        "load_avg_start": [round(x, 2) for x in load_start], "load_avg_end": [round(x, 2) for x in load_end],
        "total_s": round(elapsed, 1), "warmup_s": round(warmup_s, 1), "warmup_articles": WARMUP_ARTICLES,
        "corpus": {"articles": n, "mb": round(total_mb, 4), "seed": args.seed, "sources": list(SOURCES),
                   "per_lang": {k: {"articles": v[0], "mb": round(v[1], 4)} for k, v in sizes.items()}},
        "baseline": f"{BASELINE}: natasha Segmenter + NewsEmbedding + NewsNERTagger per article (ru NER; "
                    "kk/en as a tokenise+tag reference)",
        "results": [r.as_json() for r in results],
        "ratios": ratios,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
