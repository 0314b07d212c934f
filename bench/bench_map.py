"""Benchmark: how long a map page needs until its layout has settled, in headless Chromium.

Synthetic graphs with the contract's attributes (kg.viz.synthetic) of 500,
1,500 and 3,000 nodes are written as map pages and opened offline; printed per
size: file size, time to write the HTML, the page's own milliseconds from
script start to "stabilised" (physics then off), and wall time from navigation
until stabilised. Run: python bench/bench_map.py [SIZES...] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kg.viz import MapOptions, make_map
from kg.viz.browser import chromium, open_offline, wait_stabilised
from kg.viz.synthetic import synthetic_graph


def measure(browser, html: Path) -> tuple[int, float, int]:
    """(page ms to stabilise, wall seconds from navigation, drawn node count) for one load."""
    start = time.perf_counter()
    page, log = open_offline(browser, html)
    page_ms = wait_stabilised(page, timeout_ms=180_000)
    wall = time.perf_counter() - start
    drawn = page.evaluate("() => kgMap.network.body.nodeIndices.length")
    page.context.close()
    if log.page_errors or log.blocked:
        raise SystemExit(f"page problems: {log.page_errors or log.blocked}")
    return page_ms, wall, drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 1500, 3000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'nodes':>6} {'edges':>6} {'html MB':>8} {'write s':>8} {'stabilised ms (median)':>23} "
          f"{'wall s (median)':>16}")
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        for size in args.sizes:
            graph = synthetic_graph(size, seed=size)
            html = Path(tmp) / f"map_{size}.html"
            start = time.perf_counter()
            selection = make_map(graph, html, MapOptions(max_nodes=max(size, 1)))
            write_s = time.perf_counter() - start
            runs = [measure(browser, html) for _ in range(args.repeat)]
            assert all(r[2] == size for r in runs), "not every node was drawn"
            pairs = len({frozenset(e) for e in selection.graph.edges()})
            print(f"{size:>6} {pairs:>6} {html.stat().st_size / 1e6:>8.2f} {write_s:>8.2f} "
                  f"{statistics.median(r[0] for r in runs):>23.0f} {statistics.median(r[1] for r in runs):>16.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
