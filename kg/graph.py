"""The graph as networkx: who knows whom, paths, neighbourhoods, centrality, communities.

``load_graph`` projects the RDF store into a ``networkx.MultiGraph`` (the
contract in CONTRACTS.md; the maps consume it): nodes are entity IRIs, edges
are the stated relations, the derived person-person ``KNOWS`` edges and, the
weakest kind, ``CO_MENTION`` (named in the same document). Every edge carries
its evidence so that every answer can show where it comes from.

Why a handful of bulk SPARQL queries on the raw Oxigraph store and no rdflib
conversion: the projection of a million-triple graph must take seconds, and
per-term rdflib objects cost more than the whole networkx build.

The analysis functions take a graph and return plain data (lists and dicts of
str/int/float), ready for tables, JSON or a notebook's DataFrame.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import weakref
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

KG_NS = "https://kg.example.org/ns#"
TYPES = {
    KG_NS + "Person": "person",
    KG_NS + "Organisation": "organisation",
    KG_NS + "Place": "place",
    KG_NS + "Agreement": "agreement",
    KG_NS + "Event": "event",
}
TYPE_ALIASES = {"person": "person", "per": "person", "org": "organisation", "organisation": "organisation",
                "organization": "organisation", "place": "place", "loc": "place", "agreement": "agreement",
                "event": "event"}

KNOWS = "KNOWS"
CO_MENTION = "CO_MENTION"
#: Why two persons are taken to know each other: relation type of both persons' statements -> reason.
KNOWS_VIA = {"PARTY_TO": "same agreement", "PARTICIPATED": "same event", "ROLE": "same organisation"}
#: Strength of each reason when ranking (met beats sharing an organisation beats being named together).
REASON_SCORE = {"met": 5.0, "same agreement": 3.0, "same event": 2.0, "same organisation": 2.0,
                "named in the same document": 1.0}
#: Share of an edge kind in the collapsed, weighted simple graph (communities, eigenvector).
KIND_FACTOR = {CO_MENTION: 0.3}
#: At most this many evidence items per person per shared entity on a derived KNOWS edge.
EVIDENCE_PER_SIDE = 3
#: Sharing an organisation, event or agreement with more persons than this says nothing about
#: knowing each other (a ministry, a trade fair), and the clique would grow quadratically.
KNOWS_MAX_GROUP = 25

PREFIXES = """PREFIX kg: <https://kg.example.org/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
# Each query reads one named graph at a time (GRAPH ?g): Oxigraph then joins inside a graph's
# own index, several times faster on disk than the same joins over the union default graph.
ENTITIES = "<https://kg.example.org/id/graph/entities>"
Q_ENTITIES = PREFIXES + """SELECT ?e ?class ?label ?country ?geonames WHERE { GRAPH %s {
  VALUES ?class { kg:Person kg:Organisation kg:Place kg:Agreement kg:Event }
  ?e a ?class .
  OPTIONAL { ?e rdfs:label ?label }
  OPTIONAL { ?e kg:countryCode ?country }
  OPTIONAL { ?e kg:geonamesId ?geonames }
} }""" % ENTITIES
Q_ALIASES = PREFIXES + "SELECT ?e ?alias WHERE { GRAPH %s { ?e skos:altLabel ?alias } }" % ENTITIES
Q_DOCUMENTS = PREFIXES + """SELECT ?g ?doc ?id ?url ?title ?date WHERE { GRAPH ?g {
  ?doc a kg:Document .
  OPTIONAL { ?doc kg:docId ?id }
  OPTIONAL { ?doc schema:url ?url }
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc schema:datePublished ?date }
} }"""
Q_STATEMENTS = PREFIXES + """SELECT ?g ?type ?s ?o ?role ?text ?date WHERE { GRAPH ?g {
  ?st kg:relationType ?type ; rdf:subject ?s ; rdf:object ?o .
  OPTIONAL { ?st kg:evidenceText ?text }
  OPTIONAL { ?st kg:role ?role }
  OPTIONAL { ?st kg:date ?date }
} }"""
Q_MENTIONS = PREFIXES + "SELECT DISTINCT ?g ?e WHERE { GRAPH ?g { ?m kg:denotes ?e } }"


class GraphError(Exception):
    """An analysis cannot answer as asked (unknown or ambiguous name, no such node); message for the user."""


# --- loading ---------------------------------------------------------------------


def _value(term: Any) -> str | None:
    return None if term is None else term.value


def _rows(store: Any, sparql: str) -> Iterable[list[str | None]]:
    for solution in store.query(sparql):
        yield [_value(t) for t in solution]


def load_graph(store_path: Path, *, include_comentions: bool = True, progress: bool = False) -> nx.MultiGraph:
    """Project the store into a MultiGraph (node/edge attributes as in CONTRACTS.md)."""
    from kg.rdf.store import open_store

    with open_store(Path(store_path), read_only=True) as store:
        raw = store.oxigraph
        entities = list(_rows(raw, Q_ENTITIES))
        aliases = list(_rows(raw, Q_ALIASES))
        documents = list(_rows(raw, Q_DOCUMENTS))
        by_graph = {row[0]: row[1] for row in documents}
        statements = [[None, rtype, s, o, role, by_graph.get(g, g), text, date]
                      for g, rtype, s, o, role, text, date in _rows(raw, Q_STATEMENTS)]
        mentions = [[by_graph.get(g, g), e] for g, e in _rows(raw, Q_MENTIONS)] if include_comentions else []
    import gc

    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small dicts: the collector would rescan them again and again
    try:
        G = build_graph(entities, aliases, [row[1:] for row in documents], statements, mentions, progress=progress)
        G.graph["store_path"] = str(store_path)
        return G
    finally:
        if enabled:
            gc.enable()


def build_graph(
    entities: list[list[str | None]],
    aliases: list[list[str | None]],
    documents: list[list[str | None]],
    statements: list[list[str | None]],
    mentions: list[list[str | None]],
    *,
    progress: bool = False,
) -> nx.MultiGraph:
    """The MultiGraph from the rows of the five loading queries (split out so that it can be tested and timed)."""
    from tqdm import tqdm

    G = nx.MultiGraph()
    nodes: dict[str, dict[str, Any]] = {}
    for iri, cls, label, country, geonames in entities:
        if iri in nodes:
            continue
        nodes[iri] = {"label": label or iri.rsplit("/", 1)[-1], "type": TYPES[cls], "aliases": [],
                      "roles": [], "country": country, "geonames": geonames}
    for iri, alias in aliases:
        if iri in nodes and alias and alias != nodes[iri]["label"] and alias not in nodes[iri]["aliases"]:
            nodes[iri]["aliases"].append(alias)

    docs: dict[str, dict[str, Any]] = {}
    for doc, doc_id, url, title, date in documents:
        docs[doc] = {"doc_id": doc_id, "doc_iri": doc, "url": url, "title": title, "date": date}

    # stated relations, aggregated per (type, head, tail); symmetric types in a canonical order
    stated: dict[tuple[str, str, str], dict[str, Any]] = {}
    by_entity_type: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for st, rtype, s, o, role, doc, text, date in tqdm(statements, desc="relations", disable=not progress, unit="st"):
        if s not in nodes or o not in nodes or s == o:
            continue
        meta = docs.get(doc or "", {"doc_id": None, "doc_iri": doc, "url": None, "title": None, "date": None})
        evidence = {**meta, "sentence": text, "date": date or meta.get("date")}
        if rtype in ("MET", "COOPERATES") and s > o:
            s, o = o, s
        edge = stated.setdefault((rtype, s, o), {"kind": rtype, "why": [], "source": s, "target": o, "roles": [],
                                                  "evidence": []})
        edge["evidence"].append(evidence)
        if role and role not in edge["roles"]:
            edge["roles"].append(role)
        if rtype == "ROLE":
            text_role = f"{role} @ {nodes[o]['label']}" if role else f"@ {nodes[o]['label']}"
            if text_role not in nodes[s]["roles"]:
                nodes[s]["roles"].append(text_role)
        if rtype in KNOWS_VIA and nodes[s]["type"] == "person":
            by_entity_type[(rtype, o)][s].append(evidence)

    G.add_nodes_from(nodes.items())
    edges, used = [], set()
    for (rtype, s, o), attrs in stated.items():
        _finish(attrs)
        pair = (s, o, rtype) if s < o else (o, s, rtype)
        key = rtype if pair not in used else f"{rtype}:{s}"  # the same type in both directions (PART_OF)
        used.add(pair)
        edges.append((s, o, key, attrs))
    G.add_edges_from(edges)

    # derived KNOWS between persons
    knows: dict[tuple[str, str], dict[str, Any]] = {}
    for (rtype, s, o), attrs in stated.items():
        if rtype == "MET" and nodes[s]["type"] == "person" and nodes[o]["type"] == "person":
            _knows(knows, s, o, "met", None, attrs["evidence"])
    for (rtype, shared), persons in by_entity_type.items():
        if not 2 <= len(persons) <= KNOWS_MAX_GROUP:
            continue
        reason = KNOWS_VIA[rtype]
        for a, b in itertools.combinations(sorted(persons), 2):
            evidence = persons[a][-EVIDENCE_PER_SIDE:] + persons[b][-EVIDENCE_PER_SIDE:]
            _knows(knows, a, b, reason, shared, evidence, nodes[shared]["label"])
    G.add_edges_from((a, b, KNOWS, _finish(attrs)) for (a, b), attrs in knows.items())

    if mentions:
        _add_comentions(G, mentions, docs, progress)
    G.graph["comentions"] = bool(mentions)
    return G


def _knows(knows: dict, a: str, b: str, reason: str, via: str | None, evidence: list, via_label: str | None = None) -> None:
    if a > b:
        a, b = b, a
    attrs = knows.setdefault((a, b), {"kind": KNOWS, "why": [], "via": [], "evidence": []})
    if reason not in attrs["why"]:
        attrs["why"].append(reason)
    if via is not None:
        attrs["via"].append({"reason": reason, "entity": via, "label": via_label})
    attrs["evidence"].extend(evidence)


def _finish(attrs: dict[str, Any]) -> dict[str, Any]:
    """Deduplicate evidence; set weight (distinct documents) and first/last date."""
    seen, unique = set(), []
    for ev in attrs["evidence"]:
        key = (ev.get("doc_iri"), ev.get("sentence"))
        if key not in seen:
            seen.add(key)
            unique.append(ev)
    attrs["evidence"] = unique
    attrs["weight"] = len({ev.get("doc_iri") for ev in unique})
    dates = sorted(ev["date"] for ev in unique if ev.get("date"))
    attrs["first_date"] = dates[0] if dates else None
    attrs["last_date"] = dates[-1] if dates else None
    return attrs


def _add_comentions(G: nx.MultiGraph, mentions: list, docs: dict, progress: bool) -> None:
    """CO_MENTION edges between entities named in the same document (one evidence item per document)."""
    from tqdm import tqdm

    per_doc: dict[str, list[str]] = defaultdict(list)
    for doc, entity in mentions:
        if entity in G:
            per_doc[doc].append(entity)
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for doc, entities in tqdm(per_doc.items(), desc="co-mentions", disable=not progress, unit="doc"):
        for a, b in itertools.combinations(sorted(set(entities)), 2):
            pairs[(a, b)].append(doc)
    evidence_of = {doc: {**docs.get(doc, {"doc_id": None, "doc_iri": doc, "url": None, "title": None, "date": None}),
                         "sentence": None} for doc in per_doc}
    date_of = {doc: ev.get("date") for doc, ev in evidence_of.items()}
    edges = []
    for (a, b), doc_list in pairs.items():
        if len(doc_list) == 1:
            first = last = date_of[doc_list[0]]
        else:
            dates = sorted(d for d in map(date_of.get, doc_list) if d)
            first, last = (dates[0], dates[-1]) if dates else (None, None)
        edges.append((a, b, CO_MENTION, {"kind": CO_MENTION, "why": ["named in the same document"],
                                         "weight": len(doc_list), "first_date": first, "last_date": last,
                                         "evidence": [evidence_of[d] for d in doc_list]}))
    G.add_edges_from(edges)


def without_comentions(G: nx.MultiGraph) -> nx.MultiGraph:
    """G without CO_MENTION edges: G itself when it was loaded without them, else a read-only view
    (slower to walk; load with include_comentions=False when they are never wanted)."""
    if G.graph.get("comentions") is False:
        return G
    return nx.subgraph_view(G, filter_edge=lambda u, v, k: G[u][v][k].get("kind") != CO_MENTION)


# --- names -----------------------------------------------------------------------

_index_cache: "weakref.WeakKeyDictionary[nx.Graph, tuple[int, dict, dict]]" = weakref.WeakKeyDictionary()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _name_index(G: nx.Graph) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    cached = _index_cache.get(G)
    if cached is not None and cached[0] == G.number_of_nodes():
        return cached[1], cached[2]
    labels: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    for node, data in G.nodes(data=True):
        labels[_norm(data.get("label") or "")].add(node)
        for alias in data.get("aliases") or []:
            aliases[_norm(alias)].add(node)
    _index_cache[G] = (G.number_of_nodes(), labels, aliases)
    return labels, aliases


def _describe(G: nx.Graph, node: str) -> str:
    data = G.nodes[node]
    return f"{data.get('label')} ({data.get('type')})"


def resolve(G: nx.Graph, name: str, types: Iterable[str] | None = None) -> str:
    """The node a name means: IRI, canonical name, alias, or unique prefix, case-insensitive.

    ``types`` (e.g. ``["person"]``) keeps only those entity types. Ambiguous or
    unknown names raise GraphError listing the candidates or close matches.
    """
    if name in G:
        return name
    wanted = {TYPE_ALIASES.get(t.lower(), t.lower()) for t in types} if types else None
    labels, aliases = _name_index(G)
    key = _norm(name)

    def keep(found: Iterable[str]) -> list[str]:
        return sorted(n for n in found if wanted is None or G.nodes[n].get("type") in wanted)

    for stage in (labels.get(key, ()), aliases.get(key, ()),
                  {n for k, ns in labels.items() if k.startswith(key) for n in ns} if key else (),
                  {n for k, ns in aliases.items() if k.startswith(key) for n in ns} if key else ()):
        found = keep(stage)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            found.sort(key=lambda n: (G.nodes[n].get("label") or "", n))
            shown = ", ".join(_describe(G, n) for n in found[:8]) + (" ..." if len(found) > 8 else "")
            raise GraphError(f"{name!r} is ambiguous: {shown}")
    candidates = {k: ns for k, ns in labels.items() if keep(ns)}
    candidates.update({k: ns for k, ns in aliases.items() if keep(ns)})
    close = difflib.get_close_matches(key, list(candidates), n=5, cutoff=0.6)
    # also names that contain the query as a word
    contains = [k for k in candidates if key and re.search(r"\b" + re.escape(key), k)][:5]
    shown = []
    for k in close + contains:
        for n in keep(candidates[k]):
            text = _describe(G, n)
            if text not in shown:
                shown.append(text)
    kind = f" {'/'.join(sorted(wanted))}" if wanted else ""
    hint = f"; close matches: {', '.join(shown[:6])}" if shown else ""
    raise GraphError(f"no{kind} entity named {name!r} in the graph{hint}")


# --- helpers for plain data -----------------------------------------------------


def _node_info(G: nx.Graph, node: str) -> dict[str, Any]:
    data = G.nodes[node]
    return {"iri": node, "label": data.get("label"), "type": data.get("type")}


def _edge_reasons(attrs: dict[str, Any], G: nx.Graph) -> list[str]:
    kind = attrs.get("kind")
    if kind == KNOWS:
        out = []
        for reason in attrs.get("why") or []:
            vias = sorted({v["label"] for v in attrs.get("via") or [] if v["reason"] == reason and v.get("label")})
            out.append(f"{reason} ({', '.join(vias)})" if vias else reason)
        return out
    if kind == CO_MENTION:
        return ["named in the same document"]
    roles = attrs.get("roles") or []
    return [f"{kind.lower()} ({', '.join(roles)})" if roles else kind.lower()]


def _score(attrs: dict[str, Any]) -> float:
    kind = attrs.get("kind")
    if kind == KNOWS:
        base = sum(REASON_SCORE.get(r, 1.0) for r in attrs.get("why") or [])
    elif kind == CO_MENTION:
        base = REASON_SCORE["named in the same document"]
    elif kind == "MET":
        base = 0.0  # counted through its KNOWS edge
    else:
        base = 2.0
    return base * (1.0 + math.log1p(attrs.get("weight") or 0))


def _public_edge(attrs: dict[str, Any], max_evidence: int | None = 3) -> dict[str, Any]:
    evidence = sorted(attrs.get("evidence") or [], key=lambda e: (e.get("sentence") is None, e.get("date") or ""), reverse=False)
    return {
        "kind": attrs.get("kind"),
        "why": list(attrs.get("why") or []),
        "weight": attrs.get("weight"),
        "first_date": attrs.get("first_date"),
        "last_date": attrs.get("last_date"),
        "evidence": [dict(e) for e in (evidence if max_evidence is None else evidence[:max_evidence])],
    }


def _kind_rank(kind: str | None) -> int:
    return 2 if kind == CO_MENTION else (0 if kind == KNOWS else 1)


# --- sentences for co-mentions ------------------------------------------------------

Q_SPANS = PREFIXES + """SELECT ?g ?e ?start ?end WHERE { GRAPH ?g { ?m kg:denotes ?e ; kg:start ?start ; kg:end ?end } }"""
Q_HASH = PREFIXES + "SELECT ?g ?hash WHERE { GRAPH ?g { ?d kg:contentHash ?hash } }"
_SENTENCE_END = re.compile(r"(?<=[.!?“”\"])\s+(?=[A-ZÄÖÜ„\"])|\n+")


_ABBREVIATIONS = ("Dr.", "Prof.", "Nr.", "St.", "bzw.", "z.B.", "Mio.", "Mrd.", "ca.", "Dipl.", "Ing.", "Hr.", "Fr.", "u.a.")


def _boundaries(text: str, start: int, stop: int) -> Iterable[re.Match[str]]:
    for match in _SENTENCE_END.finditer(text, start, stop):
        if "\n" not in match.group() and text[: match.start()].endswith(_ABBREVIATIONS):
            continue  # "Dr. Johannes ..." does not end a sentence
        yield match


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence holding [start, end) (a light splitter: . ! ? before a capital, or a line break)."""
    left = 0
    for match in _boundaries(text, 0, start):
        left = match.end()
    following = next(iter(_boundaries(text, end, len(text))), None)
    return left, (following.start() if following else len(text))


def fill_comention_sentences(G: nx.MultiGraph, pairs: list[tuple[str, str, list[dict[str, Any]]]]) -> None:
    """Give CO_MENTION evidence items (document-level) the sentence(s) of the document that name the
    two entities: one sentence naming both where there is one, else the first naming each.

    Mention offsets come from the store, document texts from the store's extraction cache; without
    either (a graph not loaded from a store, a store built without the cache) items stay as they are.
    Items are copied before they are changed: edges share one item per document.
    """
    from kg.rdf.namespace import document_graph
    from kg.rdf.store import CACHE_FILE, ExtractionCache, StoreError, open_store

    store_path = G.graph.get("store_path")
    todo = [(a, b, ev) for a, b, items in pairs for ev in items if not ev.get("sentence") and ev.get("doc_id")]
    if not store_path or not todo or not (Path(store_path) / CACHE_FILE).is_file():
        return
    import pyoxigraph as ox

    graphs = {ev["doc_id"]: document_graph(ev["doc_id"]) for _, _, ev in todo}
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    hashes: dict[str, str] = {}
    try:
        with open_store(Path(store_path), read_only=True) as store:
            raw = store.oxigraph
            for doc_id, graph in graphs.items():
                g = ox.NamedNode(str(graph))
                for row in raw.query(Q_SPANS, substitutions={ox.Variable("g"): g}):
                    spans[(doc_id, row["e"].value)].append((int(row["start"].value), int(row["end"].value)))
                for row in raw.query(Q_HASH, substitutions={ox.Variable("g"): g}):
                    hashes[doc_id] = row["hash"].value
        cache = ExtractionCache(Path(store_path))
    except (StoreError, OSError, RuntimeError, ValueError):
        return
    try:
        texts = {}
        for doc_id, content_hash in hashes.items():
            record = cache.any_version(doc_id, content_hash)
            if record is not None:
                texts[doc_id] = record.text
    finally:
        cache.close()
    for a, b, ev in todo:
        text = texts.get(ev["doc_id"])
        if not text:
            continue
        sa = sorted({_sentence_around(text, s, e) for s, e in spans.get((ev["doc_id"], a), [])})
        sb = sorted({_sentence_around(text, s, e) for s, e in spans.get((ev["doc_id"], b), [])})
        both = sorted(set(sa) & set(sb))
        chosen = both[:1] or (sa[:1] + sb[:1])
        if chosen:
            ev_copy = dict(ev)
            ev_copy["sentence"] = " … ".join(" ".join(text[s:e].split()) for s, e in chosen)
            ev.clear()
            ev.update(ev_copy)


# --- who knows whom --------------------------------------------------------------


def who_knows(G: nx.MultiGraph, name: str, *, top: int | None = None, include_comentions: bool = True,
              max_evidence: int | None = 3, sentences: bool = True) -> list[dict[str, Any]]:
    """Persons connected to NAME, strongest first, each with reasons and evidence.

    With ``sentences`` (default), co-mention evidence gets the sentences naming both (see
    fill_comention_sentences); the evidence of stated relations always has its sentence.
    """
    node = resolve(G, name)
    out = []
    for other, keyed in G[node].items():
        if other == node or G.nodes[other].get("type") != "person":
            continue
        edges = [a for a in keyed.values() if include_comentions or a.get("kind") != CO_MENTION]
        if not edges:
            continue
        edges.sort(key=lambda a: (_kind_rank(a.get("kind")), -(a.get("weight") or 0)))
        why: list[str] = []
        evidence: list[dict[str, Any]] = []
        for attrs in edges:
            for reason in _edge_reasons(attrs, G):
                if reason not in why:
                    why.append(reason)
            items = _public_edge(attrs, None)["evidence"]
            for item in items:
                item["kind"] = attrs.get("kind")
            evidence.extend(items)
        with_sentence = {ev.get("doc_iri") for ev in evidence if ev.get("sentence")}
        seen, unique = set(), []
        for ev in evidence:
            key = (ev.get("doc_iri"), ev.get("sentence"))
            if key in seen or (not ev.get("sentence") and ev.get("doc_iri") in with_sentence):
                continue  # a document-level item adds nothing where the document gave a sentence
            seen.add(key)
            unique.append(ev)
        unique.sort(key=lambda e: e.get("sentence") is None)
        dates = sorted(e["date"] for e in unique if e.get("date"))
        out.append({
            **_node_info(G, other),
            "score": round(sum(_score(a) for a in edges), 3),
            "why": why,
            "kinds": sorted({a.get("kind") for a in edges}),
            "documents": len({e.get("doc_iri") for e in unique}),
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
            "evidence": unique if max_evidence is None else unique[:max_evidence],
        })
    out.sort(key=lambda r: (-r["score"], -r["documents"], r["label"] or ""))
    out = out[:top] if top else out
    if sentences:
        fill_comention_sentences(G, [(node, r["iri"], [e for e in r["evidence"] if e.get("kind") == CO_MENTION])
                                     for r in out])
    return out


# --- paths -----------------------------------------------------------------------


def paths(G: nx.MultiGraph, a: str, b: str, *, max_hops: int = 4, k: int = 5, include_comentions: bool = True,
          max_evidence: int | None = 2, sentences: bool = True) -> dict[str, Any]:
    """The shortest path between two entities and alternatives (up to ``k``, at most ``max_hops`` hops,
    and at most one hop longer than the shortest).

    Among paths of the same length, those over stronger edges (not only
    co-mentions) and through less generic nodes (lower degree) come first.
    Each hop lists the edges between its two ends with their evidence.
    """
    source, target = resolve(G, a), resolve(G, b)
    if source == target:
        raise GraphError(f"{a!r} and {b!r} are the same entity")
    view = G if include_comentions else without_comentions(G)
    result: dict[str, Any] = {"source": _node_info(G, source), "target": _node_info(G, target), "max_hops": max_hops,
                              "paths": []}
    try:
        shortest = nx.shortest_path_length(view, source, target)  # bidirectional BFS
    except nx.NetworkXNoPath:
        return result
    if shortest > max_hops:
        return result
    # alternatives: paths at most one hop longer than the shortest; every inner node x of such a
    # path has d(source, x) + d(x, target) <= limit, so two small BFS balls bound the search
    limit = min(max_hops, shortest + 1)
    dist_a = nx.single_source_shortest_path_length(view, source, cutoff=limit - 1)
    dist_b = nx.single_source_shortest_path_length(view, target, cutoff=limit - 1)
    keep = {n for n, d in dist_a.items() if d + dist_b.get(n, limit + 1) <= limit} | {source, target}
    H = nx.Graph()
    for u in sorted(keep):  # sorted: the same alternatives in the same order on every run
        for v, keyed in sorted(view[u].items()):
            if v in keep and u < v:
                kinds = {attrs.get("kind") for attrs in keyed.values()}
                H.add_edge(u, v, comention_only=kinds == {CO_MENTION})
    candidates = []
    for path in nx.shortest_simple_paths(H, source, target):
        if len(path) - 1 > limit or len(candidates) >= max(4 * k, 20):
            break
        weak = sum(1 for u, v in zip(path, path[1:]) if H[u][v]["comention_only"])
        hub = sum(math.log1p(view.degree(n)) for n in path[1:-1])
        candidates.append((len(path) - 1, weak, hub, path))
    candidates.sort(key=lambda c: (c[0], c[1], round(c[2], 9), c[3]))  # ties: by the nodes' IRIs
    for hops, weak, hub, path in candidates[:k]:
        steps = []
        for u, v in zip(path, path[1:]):
            edges = sorted(view[u][v].values(), key=lambda x: (_kind_rank(x.get("kind")), -(x.get("weight") or 0)))
            steps.append({"from": _node_info(G, u), "to": _node_info(G, v),
                          "edges": [_public_edge(e, max_evidence) | {"reasons": _edge_reasons(e, G)} for e in edges]})
        result["paths"].append({"hops": hops, "nodes": [_node_info(G, n) for n in path], "steps": steps})
    if sentences:
        fill_comention_sentences(G, [(s["from"]["iri"], s["to"]["iri"], e["evidence"]) for p in result["paths"]
                                     for s in p["steps"] for e in s["edges"] if e["kind"] == CO_MENTION])
    return result


# --- neighbourhood ---------------------------------------------------------------


def ego_graph(G: nx.MultiGraph, name: str, depth: int = 1, *, include_comentions: bool = True) -> nx.MultiGraph:
    """The subgraph within ``depth`` hops of NAME (a copy)."""
    node = resolve(G, name)
    view = G if include_comentions else without_comentions(G)
    return nx.MultiGraph(nx.ego_graph(view, node, radius=depth))


def ego(G: nx.MultiGraph, name: str, depth: int = 1, *, include_comentions: bool = True) -> dict[str, Any]:
    """NAME's neighbourhood as plain data: nodes with their distance, edges with kinds and reasons."""
    node = resolve(G, name)
    sub = ego_graph(G, node, depth, include_comentions=include_comentions)
    dist = nx.single_source_shortest_path_length(sub, node, cutoff=depth)
    nodes = [{**_node_info(G, n), "distance": dist.get(n), "degree": sub.degree(n)} for n in sub]
    nodes.sort(key=lambda r: (r["distance"], -r["degree"], r["label"] or ""))
    edges = []
    for u, v, attrs in sub.edges(data=True):
        if dist.get(u, 0) > dist.get(v, 0):
            u, v = v, u
        edges.append({"from": G.nodes[u].get("label"), "to": G.nodes[v].get("label"), "from_iri": u, "to_iri": v,
                      "kind": attrs.get("kind"), "why": _edge_reasons(attrs, G), "weight": attrs.get("weight"),
                      "first_date": attrs.get("first_date"), "last_date": attrs.get("last_date")})
    edges.sort(key=lambda e: (_kind_rank(e["kind"]), -(e["weight"] or 0), e["from"] or "", e["to"] or ""))
    return {"center": _node_info(G, node), "depth": depth, "nodes": nodes, "edges": edges}


# --- centrality and communities --------------------------------------------------


def simple_graph(G: nx.MultiGraph, *, include_comentions: bool = True) -> nx.Graph:
    """Collapse parallel edges: weight = sum of edge weights (co-mentions count for less)."""
    S = nx.Graph()
    S.add_nodes_from(G.nodes)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, attrs in G.edges(data=True):
        kind = attrs.get("kind")
        if u == v or (kind == CO_MENTION and not include_comentions):
            continue
        key = (u, v) if u < v else (v, u)
        weights[key] += KIND_FACTOR.get(kind, 1.0) * (attrs.get("weight") or 1)
    S.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items())
    return S


def centrality(G: nx.MultiGraph, type: str | None = None, top: int = 20, *, by: str = "degree",
               include_comentions: bool = True, sample: int | None = None, seed: int = 42) -> list[dict[str, Any]]:
    """Most central entities by degree (distinct neighbours), betweenness and eigenvector centrality.

    Betweenness is exact on small graphs; on large ones it is estimated from
    ``sample`` BFS sources (fixed seed; by default as many as fit a budget of
    about 10 million edge visits), so that a million-triple graph answers in seconds.
    """
    if by not in ("degree", "betweenness", "eigenvector"):
        raise GraphError(f"unknown centrality {by!r} (degree, betweenness, eigenvector)")
    wanted = TYPE_ALIASES.get(type.lower(), type.lower()) if type else None
    S = simple_graph(G, include_comentions=include_comentions)
    if S.number_of_nodes() == 0:
        return []
    degree = dict(S.degree())
    if sample is None:
        sample = max(32, int(1e7 / max(S.number_of_edges(), 1)))
    k = sample if S.number_of_nodes() > sample else None
    betweenness = nx.betweenness_centrality(S, k=k, seed=seed, normalized=True)
    try:
        eigen = nx.eigenvector_centrality(S, max_iter=1000, tol=1e-6, weight="weight")
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        eigen = {}
    rows = [{**_node_info(G, n), "degree": degree[n], "betweenness": round(betweenness.get(n, 0.0), 6),
             "eigenvector": round(eigen.get(n, 0.0), 6)}
            for n in S if wanted is None or G.nodes[n].get("type") == wanted]
    rows.sort(key=lambda r: (-r[by], -r["degree"], r["label"] or ""))
    return rows[:top] if top else rows


def communities(G: nx.MultiGraph, *, include_comentions: bool = True, seed: int = 42, resolution: float = 1.0,
                top: int = 5, min_size: int = 2) -> list[dict[str, Any]]:
    """Louvain communities (networkx, fixed seed): members and top entities (by weighted degree inside)."""
    S = simple_graph(G, include_comentions=include_comentions)
    S.remove_nodes_from([n for n in list(S) if S.degree(n) == 0])
    if S.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(S, weight="weight", seed=seed, resolution=resolution)
    out = []
    for members in sorted(found, key=lambda c: (-len(c), min(c))):
        if len(members) < min_size:
            continue
        inner = S.subgraph(members)
        strength = dict(inner.degree(weight="weight"))
        ordered = sorted(members, key=lambda n: (-strength[n], G.nodes[n].get("label") or ""))
        out.append({
            "id": len(out) + 1,
            "size": len(members),
            "types": dict(Counter(G.nodes[n].get("type") for n in members).most_common()),
            "top": [{**_node_info(G, n), "strength": round(strength[n], 3)} for n in ordered[:top]],
            "members": [_node_info(G, n) for n in ordered],
        })
    return out
