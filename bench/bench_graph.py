"""Benchmark of the networkx side on a synthetic graph of about one million triples.

The synthetic corpus is shaped like the real one: invented press releases of a
handful of sentences, each naming persons with roles at organisations, meetings,
agreements with their parties, events with participants and venues, offices for
places; entity popularity follows a Zipf law (a few hubs, a long tail). The
records go through the project's own mapping (kg.rdf.mapping), so the store has
exactly the data model of a real build.

Measured in one run, each with a baseline measured in the same run:
- projection (kg.graph.load_graph) vs the same five queries through the store's
  rdflib-Result API (GraphStore.query) — the obvious way, and why we do not;
- who-knows vs the `co-mentions` named SPARQL query for the same person on the store;
- path (shortest + alternatives, evidence per hop) vs networkx's plain
  bidirectional shortest path on the same graph.

Usage: python bench/bench_graph.py [--triples 1000000] [--store DIR] [--queries 30]
(the store is generated once and reused when DIR already holds one).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROLES = ["Geschäftsführer", "Direktor", "Vorsitzender", "Leiterin", "Präsident", "Vize-Direktor", "Sprecherin", None]
OFFICES = ["Minister", "Oberbürgermeister", "Gouverneur", "Staatssekretärin"]
DEFAULT_STORE = Path("/tmp/kg-bench-store")


def _zipf_picker(rng: random.Random, n: int, s: float = 1.05):
    weights = [1.0 / (rank ** s) for rank in range(1, n + 1)]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    population = list(range(n))

    def pick() -> int:
        return rng.choices(population, cum_weights=cum, k=1)[0]

    return pick


def synthetic_records(n_docs: int, seed: int = 7):
    """Invented Extraction records shaped like the press releases (deterministic for a seed)."""
    from kg.records import Extraction, Mention, Relation

    rng = random.Random(seed)
    n_persons, n_orgs, n_places = max(50, n_docs * 3), max(20, n_docs), max(10, n_docs // 4)
    n_agreements, n_events = max(5, n_docs // 4), max(5, n_docs // 4)
    person, org, place = _zipf_picker(rng, n_persons), _zipf_picker(rng, n_orgs), _zipf_picker(rng, n_places)
    agreement, event = _zipf_picker(rng, n_agreements), _zipf_picker(rng, n_events)
    P = lambda i: f"Person{i} Muster"  # noqa: E731
    O = lambda i: f"Firma{i} GmbH" if i % 3 else f"Unternehmen{i} Co. Ltd."  # noqa: E731
    L = lambda i: f"Stadt{i}"  # noqa: E731
    A = lambda i: f"Abkommen{i}"  # noqa: E731
    E = lambda i: f"Forum{i}"  # noqa: E731

    for d in range(n_docs):
        parts: list[str] = []
        mentions: list[Mention] = []
        relations: list[Relation] = []
        offset = 0

        def sentence(template: str, ents: list[tuple[str, str]], rels: list[tuple[str, int, int, str | None]]) -> None:
            nonlocal offset
            text = template.format(*[name for name, _ in ents])
            ids = []
            cursor = 0
            for name, label in ents:
                start = text.index(name, cursor)
                cursor = start + len(name)
                mid = f"T{len(mentions) + 1}"
                mentions.append(Mention(mid, offset + start, offset + start + len(name), label, name, name))
                ids.append(mid)
            for rtype, h, t, role in rels:
                relations.append(Relation(rtype, ids[h], ids[t], role, offset, offset + len(text)))
            parts.append(text)
            offset += len(text) + 1

        p1, p2, p3, p4, p5 = (P(person()) for _ in range(5))
        i3 = org()
        o1, o2, o3, o4 = O(org()), O(org()), O(i3), O(org())
        l1, l2, l4 = L(place()), L(place()), L(place())
        a1, e1 = A(agreement()), E(event())
        if len({p1, p2}) == 2 and len({o1, o2}) == 2:
            sentence("{}, " + (rng.choice(ROLES) or "Mitglied") + " der {}, traf {} von der {} in {}.",
                     [(p1, "PER"), (o1, "ORG"), (p2, "PER"), (o2, "ORG"), (l1, "LOC")],
                     [("ROLE", 0, 1, rng.choice(ROLES)), ("ROLE", 2, 3, rng.choice(ROLES)), ("MET", 0, 2, None)])
            sentence("Die {} und die {} unterzeichneten das {}.", [(o1, "ORG"), (o2, "ORG"), (a1, "AGREEMENT")],
                     [("PARTY_TO", 0, 2, None), ("PARTY_TO", 1, 2, None), ("COOPERATES", 0, 1, None)])
        sentence("{} sprach auf dem {} in {}.", [(p3, "PER"), (e1, "EVENT"), (l2, "LOC")],
                 [("PARTICIPATED", 0, 1, None), ("LOCATED_IN", 1, 2, None)])
        home = L(i3 % n_places)
        sentence("Die {} hat ihren Sitz in {}.", [(o3, "ORG"), (home, "LOC")], [("LOCATED_IN", 0, 1, None)])
        sentence("{} vertrat als " + rng.choice(OFFICES) + " {}.", [(p4, "PER"), (l4, "LOC")],
                 [("AFFILIATED", 0, 1, rng.choice(OFFICES))])
        if p5 != p4:
            sentence("Auch {} und die {} waren vertreten.", [(p5, "PER"), (o4, "ORG")], [])
        if rng.random() < 0.5:
            sentence("{} nahm ebenfalls am {} teil.", [(p2 if len({p1, p2}) == 2 else p5, "PER"), (e1, "EVENT")],
                     [("PARTICIPATED", 0, 1, None)])
        date = f"20{15 + d % 10:02d}-{1 + d % 12:02d}-{1 + d % 28:02d}"
        yield Extraction(f"syn{d:06d}", "\n".join(parts), mentions, relations,
                         {"url": f"https://example.org/press/{d}", "title": f"Pressemitteilung {d}", "date": date,
                          "content_hash": f"hash{d}"})


def ensure_store(path: Path, triples: int = 1_000_000, seed: int = 7) -> Path:
    """Generate the synthetic store at ``path`` unless one is already there; returns the path."""
    from tqdm import tqdm

    from kg.identity import resolve_corpus
    from kg.rdf.mapping import complete_table, document_triples, entities_triples
    from kg.rdf.namespace import ENTITIES_GRAPH, document_graph
    from kg.rdf.store import open_store

    path = Path(path)
    if (path / "CURRENT").is_file():
        return path
    n_docs = max(10, triples // 262)  # ~262 quads per synthetic document
    started = time.perf_counter()
    records = list(synthetic_records(n_docs, seed))
    records, table = resolve_corpus(records)
    table = complete_table(records, table)
    for (label, name), info in table.items():
        if label == "LOC":
            number = int(name[5:]) if name[5:].isdigit() else 0
            info.country_code = "CN" if number % 5 < 2 else ("DE" if number % 5 < 4 else None)

    def quads():
        for record in tqdm(records, desc="mapping", unit="doc", file=sys.stderr):
            graph = document_graph(record.doc_id)
            for s, p, o in document_triples(record, table):
                yield s, p, o, graph
        for s, p, o in entities_triples(records, table):
            yield s, p, o, ENTITIES_GRAPH

    with open_store(path) as store:
        store.bulk_load(quads())
        count = store.quad_count()
    print(f"generated {n_docs} synthetic documents, {count} quads in {time.perf_counter() - started:.1f} s -> {path}")
    return path


def _timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - started


def _percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, int(0.95 * len(values)))]


NAIVE_STATEMENTS = """PREFIX kg: <https://kg.example.org/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?st ?type ?s ?o ?role ?doc ?text ?date WHERE {
  ?st a kg:Statement ; kg:relationType ?type ; rdf:subject ?s ; rdf:object ?o .
  OPTIONAL { ?st kg:role ?role }
  OPTIONAL { ?st prov:wasDerivedFrom ?doc }
  OPTIONAL { ?st kg:evidenceText ?text }
  OPTIONAL { ?st kg:date ?date }
}"""
NAIVE_MENTIONS = """PREFIX kg: <https://kg.example.org/ns#>
SELECT DISTINCT ?doc ?e WHERE { ?m kg:denotes ?e ; kg:inDocument ?doc }"""


def load_via_rdflib_results(store_path: Path, include_comentions: bool = True):
    """Baseline: the obvious queries over the union default graph through GraphStore.query
    (rdflib terms), then the same build_graph."""
    from kg import graph as g
    from kg.rdf.store import open_store

    def rows(store, sparql):
        result = store.query(sparql)
        variables = result.vars
        return [[None if b.get(v) is None else str(b.get(v)) for v in variables] for b in result.bindings]

    with open_store(store_path, read_only=True) as store:
        entities, aliases = rows(store, g.Q_ENTITIES), rows(store, g.Q_ALIASES)
        documents = [row[1:] for row in rows(store, g.Q_DOCUMENTS)]
        statements = rows(store, NAIVE_STATEMENTS)
        mentions = rows(store, NAIVE_MENTIONS) if include_comentions else []
    return g.build_graph(entities, aliases, documents, statements, mentions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--queries", type=int, default=30, help="persons / pairs sampled for who-knows and path")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    import networkx as nx

    from kg import graph as g
    from kg.rdf.store import open_store
    from kg.sparql import named_query, run_query, to_term

    store = ensure_store(args.store, args.triples)
    with open_store(store, read_only=True) as s:
        print(f"store: {s.quad_count()} quads, {s.triple_count()} distinct triples")

    G, t_load = _timed(g.load_graph, store)
    print(f"\nprojection (with co-mentions): {t_load:.2f} s -> {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    H, t_load_nc = _timed(g.load_graph, store, include_comentions=False)
    print(f"projection (--no-comentions):  {t_load_nc:.2f} s -> {H.number_of_nodes()} nodes, {H.number_of_edges()} edges")
    _, t_base = _timed(load_via_rdflib_results, store)
    print(f"baseline, union-graph queries via rdflib Result: {t_base:.2f} s   (ours is {t_base / t_load:.1f}x faster)")

    rng = random.Random(args.seed)
    persons = sorted(n for n, d in G.nodes(data=True) if d["type"] == "person" and G.degree(n) > 0)
    sample = rng.sample(persons, min(args.queries, len(persons)))
    labels = [G.nodes[n]["label"] for n in sample]

    wk, wk_base, ps, ps_base = [], [], [], []
    query = named_query("co-mentions")
    for label in labels:
        _, t = _timed(g.who_knows, G, label)
        wk.append(t)
        _, t = _timed(run_query, store, query.text, {"entity": to_term(label, "string"), "type": to_term("person", "string")})
        wk_base.append(t)
    for a, b in zip(labels, labels[1:] + labels[:1]):
        result, t = _timed(g.paths, G, a, b, max_hops=4)
        ps.append(t)
        _, t = _timed(nx.bidirectional_shortest_path, G, g.resolve(G, a), g.resolve(G, b))
        ps_base.append(t)
    ps_nc = []
    for a, b in zip(labels, labels[1:] + labels[:1]):
        _, t = _timed(g.paths, H, a, b, max_hops=4, include_comentions=False)
        ps_nc.append(t)
    (wk50, wk95), (wb50, _) = _percentiles(wk), _percentiles(wk_base)
    nc50, nc95 = _percentiles(ps_nc)
    (p50, p95), (pb50, _) = _percentiles(ps), _percentiles(ps_base)
    print(f"\nwho-knows ({len(wk)} persons): p50 {wk50 * 1000:.1f} ms, p95 {wk95 * 1000:.1f} ms;"
          f" baseline SPARQL co-mentions query p50 {wb50 * 1000:.1f} ms (ratio {wb50 / wk50:.1f}x)")
    print(f"path, max 4 hops, 5 paths with evidence ({len(ps)} pairs): p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms;"
          f" baseline nx shortest path only p50 {pb50 * 1000:.2f} ms (ratio {p50 / max(pb50, 1e-9):.0f}x slower, for alternatives+evidence)")
    print(f"path on the graph loaded --no-comentions: p50 {nc50 * 1000:.1f} ms, p95 {nc95 * 1000:.1f} ms")
    rows, t = _timed(g.centrality, G, "person", 10)
    print(f"\ncentrality (degree, betweenness from sampled sources, eigenvector): {t:.1f} s")
    found, t = _timed(g.communities, G)
    print(f"communities (Louvain, seed 42): {t:.1f} s, {len(found)} communities")

    from kg.sparql import library

    org = next(d["label"] for n, d in G.nodes(data=True) if d["type"] == "organisation" and G.degree(n) > 20)
    place = next(d["label"] for n, d in G.nodes(data=True) if d["type"] == "place" and G.degree(n) > 20)
    values = {"org": org, "person": labels[0], "entity": labels[0], "city": place, "type": "person"}
    print("\nnamed queries (kg query --name ..., whole result, bound parameters):")
    for name, q in library().items():
        bindings = {p.name: to_term(values[p.name], p.type) for p in q.params if p.name in values}
        result, t = _timed(run_query, store, q.text, bindings)
        print(f"  {name:18s} {len(result):7d} rows  {t * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
