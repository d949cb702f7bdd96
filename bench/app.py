"""Viewer benchmark: how long the explorer takes to show a hub company, beside pyvis's defaults.

For each store size (synthetic deals from bench/generate.py, in the ingest's shape, on the
embedded on-disk store the app uses) it measures, for the most connected company with the
node cap at its default:

- the index load (once per app start or ingest), the focused subgraph, the HTML page, and
  the entity page's evidence queries, in Python;
- the time until headless Chromium has drawn the page (vis-network's first paint), with
  every request that would leave the machine aborted and counted.

Beside it, on the same subgraph, pyvis used as its documentation shows: ``Network()``,
``from_nx``, default physics and the default ``cdn_resources``; and the same defaults with
vis-network inlined, to separate what the CDN costs (nothing ever draws offline) from what
physics costs. Python timings are medians of ``--repeat`` runs; a draw that has not
happened within ``--draw-timeout`` seconds is reported as such.

Run: .venv/bin/python bench/app.py --sizes 1000 2500 5000 10000

``--first-picture`` measures what an analyst waits for when the app opens: the overview picture
(no focus, node cap 500), then a hub company's picture and a first search, as HTML, through the
whole-graph index (graph/index.py) and through per-view reads of the store (graph/views.py, what
the explorer uses), each in a fresh child process so the memory (VmHWM) is the path's own. Run:
.venv/bin/python bench/app.py --first-picture --sizes 1000 10000 100000 --repeat 1 [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import pyoxigraph  # noqa: E402
from pyvis.network import Network  # noqa: E402

from bench.generate import generate_articles, hub_company_iri  # noqa: E402
from graph import explore, judgements, views, viz  # noqa: E402
from graph.index import GraphIndex, load_index  # noqa: E402
from graph.store import open_store  # noqa: E402

OUT = ROOT / "bench" / "out" / "app.json"
CHROMIUM = "/usr/bin/chromium"
BATCH = 500
DRAWN = f"window.{viz.DRAWN_FLAG} !== undefined"
HOOK = (
    "<script>network.once('afterDrawing',function(){"
    f"window.{viz.DRAWN_FLAG}=performance.now();}});</script>"
)


def median_time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def fill(location: str, deals: int) -> tuple[int, float]:
    """Write ``deals`` synthetic articles (one agreement each) in batches of whole graphs."""
    started = time.perf_counter()
    with open_store(location) as store:
        batch: dict = {}
        for graph, triples in generate_articles(deals):
            batch[graph] = triples
            if len(batch) >= BATCH:
                store.replace_graphs(batch)
                batch = {}
        store.replace_graphs(batch)
        return store.count(), time.perf_counter() - started


def default_pyvis(index: GraphIndex, sub: explore.Subgraph, cdn_resources: str) -> tuple[float, str]:
    """pyvis as documented: a networkx graph, ``from_nx``, default options and physics."""
    started = time.perf_counter()
    g = nx.DiGraph()
    for iri in sub.nodes:
        g.add_node(iri, label=explore.node_label(index, iri), title="\n".join(explore.node_facts(index, iri)))
    for edge in sub.edges:
        g.add_edge(edge.source, edge.target, label=edge.label)
    net = Network(directed=True, cdn_resources=cdn_resources)
    net.from_nx(g)
    html = net.generate_html()
    return time.perf_counter() - started, html.replace("</body>", HOOK + "</body>", 1)


def draw_seconds(page, html: str, folder: Path, name: str, timeout_s: float) -> tuple[float | None, int]:
    """Seconds from navigation start to vis-network's first paint (None: not within the
    timeout), and how many requests to other machines the page tried (all aborted)."""
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    outside: list[str] = []

    def guard(route) -> None:
        if urlparse(route.request.url).scheme in ("file", "data", "blob", "about"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=int(timeout_s * 1000))
        page.wait_for_function(DRAWN, timeout=int(timeout_s * 1000), polling=100)
        drawn = page.evaluate(f"window.{viz.DRAWN_FLAG}") / 1000
    except Exception:  # Playwright's timeout: the page never drew
        drawn = None
    finally:
        page.unroute("**/*")
        page.goto("about:blank")
    return drawn, len(outside)


def measure(deals: int, repeat: int, page, folder: Path, baseline: bool, timeout_s: float) -> dict:
    location = str(folder / f"store-{deals}")
    triples, fill_s = fill(location, deals)
    hub = hub_company_iri()
    with open_store(location) as store:
        index_s, index = median_time(lambda: load_index(store), repeat)
        sub_s, sub = median_time(lambda: explore.subgraph(index, focus=hub, depth=2, cap=explore.DEFAULT_CAP), repeat)
        html_s, html = median_time(lambda: viz.render(index, sub), repeat)
        entity_s, _ = median_time(lambda: explore.entity_view(store, index, hub), repeat)
        search_s, _ = median_time(lambda: explore.search(index, "Ақтөбе"), repeat)
    row = {
        "deals": deals,
        "triples": triples,
        "fill_s": fill_s,
        "entities": len(index.nodes),
        "hub_degree": index.degree(hub),
        "shown": len(sub.nodes),
        "reachable": sub.total,
        "edges": len(sub.edges),
        "index_s": index_s,
        "subgraph_s": sub_s,
        "html_s": html_s,
        "html_bytes": len(html),
        "entity_view_s": entity_s,
        "search_s": search_s,
    }
    draws = [draw_seconds(page, html, folder, f"dealgraph-{deals}", timeout_s) for _ in range(repeat)]
    row["draw_s"] = statistics.median(d for d, _ in draws) if all(d is not None for d, _ in draws) else None
    row["draw_outside_requests"] = max(n for _, n in draws)
    if baseline:
        for variant, resources in (("pyvis_default", "local"), ("pyvis_default_inline", "in_line")):
            build_s, page_html = default_pyvis(index, sub, resources)
            drawn, outside = draw_seconds(page, page_html, folder, variant, timeout_s)
            row[f"{variant}_build_s"] = build_s
            row[f"{variant}_draw_s"] = drawn
            row[f"{variant}_outside_requests"] = outside
    return row


def fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "no draw"
    return f"{value * 1000:.0f} ms" if unit == "ms" else f"{value:.2f} s"


def bulk_fill(location: str, deals: int) -> tuple[int, float]:
    """A fresh store through Store.import_graphs (the embedded store bulk-loads it), then
    compacted (``optimize``), as RocksDB leaves a long-lived store: lookups in the bulk-loaded,
    uncompacted 100k store took about 3x as long (per-view overview 8.5 s against 3.1 s)."""
    started = time.perf_counter()
    with open_store(location) as store:
        store.import_graphs(generate_articles(deals))
        count = store.count()
    compacted = pyoxigraph.Store(location)
    compacted.optimize()
    compacted.flush()
    del compacted
    return count, time.perf_counter() - started


def child(path: str, location: str) -> None:
    """One measured path in this (fresh) process; prints a JSON line. Memory is the kernel's
    high-water mark of this process (VmHWM; ru_maxrss would carry the parent's over exec),
    taken after the first picture and again after the hub's picture and a search."""
    base_kb = _peak_kb()
    hub = hub_company_iri()
    with open_store(location) as store:
        started = time.perf_counter()
        if path == "index":
            index = load_index(store)
            loaded = time.perf_counter() - started
            overview = viz.render(index, explore.subgraph(index, cap=explore.DEFAULT_CAP))
        else:
            loaded = 0.0
            review = judgements.load(store)
            small, picture = views.view(store, cap=explore.DEFAULT_CAP, review=review)
            overview = viz.render(small, picture)
        first = time.perf_counter() - started
        first_kb = _peak_kb()
        started = time.perf_counter()
        if path == "index":
            html = viz.render(index, explore.subgraph(index, focus=hub, depth=2, cap=explore.DEFAULT_CAP))
        else:
            small, picture = views.view(store, focus=hub, depth=2, cap=explore.DEFAULT_CAP, review=review)
            html = viz.render(small, picture)
        hub_s = time.perf_counter() - started
        started = time.perf_counter()
        names = index if path == "index" else views.search_index(store, review)
        hits = explore.search(names, "Ақтөбе")
        search_s = time.perf_counter() - started
    peak_kb = _peak_kb()
    print(json.dumps({"path": path, "index_load_s": loaded, "first_picture_s": first, "hub_picture_s": hub_s,
                      "first_search_s": search_s, "search_hits": len(hits),
                      "overview_nodes": len(viz.page_data(overview)[0]), "hub_nodes": len(viz.page_data(html)[0]),
                      "first_rss_growth_mb": (first_kb - base_kb) / 1024,
                      "peak_rss_mb": peak_kb / 1024, "rss_growth_mb": (peak_kb - base_kb) / 1024}))


def _peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def first_picture(sizes: list[int], repeat: int, keep: Path | None) -> None:
    """Both paths at each size, in one run; ``keep`` is a folder where the filled stores are
    kept and found again (a 100k store takes minutes to write)."""
    import subprocess

    rows = []
    with tempfile.TemporaryDirectory(prefix="dealgraph-bench-first-") as tmp:
        for deals in sizes:
            location = str((keep or Path(tmp)) / f"store-{deals}")
            if keep is not None and Path(location).exists():
                with open_store(location) as store:
                    triples, fill_s = store.count(), float("nan")
            else:
                triples, fill_s = bulk_fill(location, deals)
            for path in ("index", "views"):
                runs = []
                for _ in range(repeat):
                    out = subprocess.run([sys.executable, __file__, "--child", path, location], check=True,
                                         capture_output=True, text=True).stdout
                    runs.append(json.loads(out.strip().splitlines()[-1]))
                row = {"deals": deals, "triples": triples, "fill_s": fill_s, "path": path,
                       "load_avg": os.getloadavg()[0],
                       **{k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "path"}}
                rows.append(row)
                print(json.dumps(row), flush=True)
    OUT.parent.mkdir(exist_ok=True)
    (OUT.parent / "app_first_picture.json").write_text(json.dumps(rows, indent=2))
    print(f"\nFirst picture (overview, cap {explore.DEFAULT_CAP}), a hub company's picture and a first search; "
          f"medians of {repeat} fresh processes:")
    print("| deals | triples | path | index load | first picture | RSS growth at first picture | hub picture "
          "| first search | peak RSS | growth in all | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['deals']:,} | {r['triples']:,} | {r['path']} | {fmt(r['index_load_s'])} | {fmt(r['first_picture_s'])} "
              f"| {r['first_rss_growth_mb']:.0f} MB | {fmt(r['hub_picture_s'])} | {fmt(r['first_search_s'])} "
              f"| {r['peak_rss_mb']:.0f} MB | {r['rss_growth_mb']:.0f} MB | {r['load_avg']:.1f} |")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000], help="deals per store")
    parser.add_argument("--baseline-size", type=int, default=5000, help="store size for the pyvis-defaults comparison")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--draw-timeout", type=float, default=120.0, help="seconds to wait for a page to draw")
    parser.add_argument("--first-picture", action="store_true", help="index vs per-view reads: time and peak memory")
    parser.add_argument("--keep", type=Path, help="with --first-picture: keep the filled stores in this folder, reuse them")
    args = parser.parse_args()
    if args.first_picture:
        first_picture(args.sizes, args.repeat, args.keep)
        return

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="dealgraph-bench-app-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for deals in args.sizes:
            row = measure(deals, args.repeat, page, Path(tmp), deals == args.baseline_size, args.draw_timeout)
            rows.append(row)
            print(json.dumps(row), flush=True)
        browser.close()

    print(f"\nHub company, depth 2, node cap {explore.DEFAULT_CAP} (medians of {args.repeat}):")
    print("| deals | triples | entities | hub links | shown / reachable | index load | subgraph | HTML | draw | entity page |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['deals']:,} | {r['triples']:,} | {r['entities']:,} | {r['hub_degree']:,} | {r['shown']} / {r['reachable']:,} "
            f"| {fmt(r['index_s'])} | {fmt(r['subgraph_s'], 'ms')} | {fmt(r['html_s'], 'ms')} | {fmt(r['draw_s'])} "
            f"| {fmt(r['entity_view_s'], 'ms')} |"
        )
    for r in rows:
        if "pyvis_default_build_s" in r:
            ours = r["subgraph_s"] + r["html_s"]
            print(f"\nSame subgraph at {r['deals']:,} deals ({r['shown']} nodes, {r['edges']} edges):")
            print(f"- dealgraph: build {fmt(ours, 'ms')}, drawn in {fmt(r['draw_s'])}, requests off the machine: {r['draw_outside_requests']}")
            print(f"- pyvis defaults (from_nx, physics, cdn_resources='local'): build {fmt(r['pyvis_default_build_s'], 'ms')}, "
                  f"drawn: {fmt(r['pyvis_default_draw_s'])}, requests off the machine: {r['pyvis_default_outside_requests']}")
            print(f"- pyvis defaults with vis-network inlined: build {fmt(r['pyvis_default_inline_build_s'], 'ms')}, "
                  f"drawn: {fmt(r['pyvis_default_inline_draw_s'])}, requests off the machine: {r['pyvis_default_inline_outside_requests']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"\nwritten {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
