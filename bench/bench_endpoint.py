"""Benchmark of `kg serve` on the synthetic million-triple store (loopback only, bounded).

1. Latency of a typical query (roles at an organisation, with evidence; one
   organisation per request, cycling), sequentially: p50/p95 through `kg serve`
   and, as the baseline measured in the same run, straight against the Oxigraph
   server behind it (the guard's overhead is the ratio).
2. Load: N concurrent clients (default 50) with keep-alive connections send
   typical queries for a fixed duration (default 30 s), then stop by themselves;
   prints requests, throughput, errors and latency percentiles.

Usage: python bench/bench_endpoint.py [--store DIR] [--clients 50] [--duration 30] [--requests 200]
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_graph import DEFAULT_STORE, ensure_store  # noqa: E402

PREFIXES = """PREFIX kg: <https://kg.example.org/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def typical_query(org_name: str) -> str:
    """Persons with a role at one organisation, with sentence and document (the name goes in as a
    VALUES row serialised by rdflib, so quotes in it could not break the query)."""
    from rdflib import Literal

    return PREFIXES + f"""SELECT ?personName ?role ?sentence ?docId WHERE {{
  VALUES ?orgName {{ {Literal(org_name).n3()} }}
  ?org rdfs:label ?orgName .
  ?st rdf:object ?org ; kg:relationType "ROLE" ; rdf:subject ?p .
  ?p rdfs:label ?personName .
  OPTIONAL {{ ?st kg:role ?role }}
  OPTIONAL {{ ?st kg:evidenceText ?sentence }}
  OPTIONAL {{ ?st prov:wasDerivedFrom ?d . ?d kg:docId ?docId }}
}} LIMIT 100"""


def org_names(store: Path, n: int = 200) -> list[str]:
    from kg.rdf.store import open_store

    with open_store(store, read_only=True) as s:
        result = s.query(PREFIXES + "SELECT ?n WHERE { ?o a kg:Organisation ; rdfs:label ?n } ORDER BY ?n LIMIT %d" % n)
        return [str(row[0]) for row in result]


def get(conn: http.client.HTTPConnection, query: str) -> tuple[int, bytes]:
    conn.request("GET", "/query?" + urllib.parse.urlencode({"query": query}),
                 headers={"Accept": "application/sparql-results+json"})
    response = conn.getresponse()
    return response.status, response.read()


def sequential(port: int, queries: list[str]) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for q in queries:
        started = time.perf_counter()
        status, _ = get(conn, q)
        times.append(time.perf_counter() - started)
        assert status == 200, status
    conn.close()
    return times


def load(port: int, queries: list[str], clients: int, duration: float) -> dict:
    stop_at = time.monotonic() + duration
    lock = threading.Lock()
    stats = {"ok": 0, "errors": 0, "times": [], "error_samples": []}

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = i
        while time.monotonic() < stop_at:
            q = queries[n % len(queries)]
            n += clients
            started = time.perf_counter()
            try:
                status, body = get(conn, q)
                ok = status == 200
            except (OSError, http.client.HTTPException) as exc:
                ok, body = False, repr(exc).encode()
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    stats["ok"] += 1
                    stats["times"].append(elapsed)
                else:
                    stats["errors"] += 1
                    if len(stats["error_samples"]) < 3:
                        stats["error_samples"].append(body[:200])
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 120)
    stats["elapsed"] = time.monotonic() - started
    return stats


def wait_for(port: int, process: subprocess.Popen) -> None:
    """Wait until the endpoint on ``port`` answers a query; a clear exit when it does not."""
    from kg.server import ServerError, wait_for_http

    try:
        wait_for_http(f"http://127.0.0.1:{port}/query", process, timeout=60)
    except ServerError as exc:
        raise SystemExit(str(exc)) from None


def ms(values: list[float], q: float) -> float:
    values = sorted(values)
    return 1000 * values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    from kg.server import free_port, start_oxigraph, stop_process

    store = ensure_store(args.store, args.triples)
    names = org_names(store)
    queries = [typical_query(n) for n in names]

    # baseline: the bare Oxigraph server on the same store
    port = free_port()
    bare = start_oxigraph(store, port, allow_update=False)
    try:
        wait_for(port, bare)
        sequential(port, queries[:20])  # warm up
        base = sequential(port, [queries[i % len(queries)] for i in range(args.requests)])
    finally:
        stop_process(bare, timeout=10)

    port = free_port()
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port), "--timeout", "30"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(port, server)
        sequential(port, queries[:20])
        ours = sequential(port, [queries[i % len(queries)] for i in range(args.requests)])
        print(f"typical query ({args.requests} sequential requests, roles at an organisation with evidence):")
        print(f"  kg serve:             p50 {ms(ours, .5):6.1f} ms   p95 {ms(ours, .95):6.1f} ms")
        print(f"  bare Oxigraph server: p50 {ms(base, .5):6.1f} ms   p95 {ms(base, .95):6.1f} ms"
              f"   (kg serve / bare = {statistics.median(ours) / statistics.median(base):.2f})")
        stats = load(port, queries, args.clients, args.duration)
        total = stats["ok"] + stats["errors"]
        print(f"\nload: {args.clients} concurrent clients for {args.duration:g} s on 127.0.0.1:")
        print(f"  {total} requests in {stats['elapsed']:.1f} s ({total / stats['elapsed']:.0f} req/s), errors: {stats['errors']}")
        if stats["times"]:
            print(f"  latency p50 {ms(stats['times'], .5):.1f} ms, p95 {ms(stats['times'], .95):.1f} ms, "
                  f"max {1000 * max(stats['times']):.0f} ms")
        for sample in stats["error_samples"]:
            print(f"  error: {sample!r}")
    finally:
        stop_process(server, timeout=15)


if __name__ == "__main__":
    main()
