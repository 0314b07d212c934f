"""The embedded on-disk graph store: Oxigraph (pyoxigraph) behind a small API.

Why pyoxigraph directly and not rdflib's ``Dataset`` over the oxrdflib plugin:
both run the query inside Oxigraph, but bulk writes through the plugin go
triple by triple through rdflib, and the measured load of one million triples
is many times slower (see bench/bench_store.py). Query results are converted to
an rdflib ``Result`` so callers keep rdflib's interface (``vars``, rows,
``bindings``, ``askAnswer``, ``graph``, ``serialize``).

Layout of a store directory: the RocksDB files of Oxigraph, plus
``kg-extractions.sqlite``, a cache of raw per-document extractions keyed by
(doc_id, content_hash, pipeline version) so that unchanged documents are never
run through spaCy again.

Writes are per named graph and atomic: :meth:`GraphStore.replace_graph` drops
and refills one graph in a single SPARQL UPDATE, which Oxigraph applies as one
transaction, so a killed build never leaves half a document behind.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from kg.rdf.namespace import ENTITIES_GRAPH, KG, document_graph
from kg.records import Extraction

Triple = tuple[Node, Node, Node]

CACHE_FILE = "kg-extractions.sqlite"


class StoreError(Exception):
    """A store cannot be opened or used; the message is meant for the user."""


class StoreLockedError(StoreError):
    """Another process holds the store open for writing."""


class StoreQueryError(StoreError):
    """A SPARQL query was rejected by the store (syntax or evaluation error)."""


# --- term conversion -------------------------------------------------------


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: object) -> Node | None:
    """pyoxigraph term -> rdflib term (plain literals stay plain, as rdflib parses them)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected Oxigraph term: {term!r}")


def nt_line(triple: Triple) -> str:
    """One triple in canonical N-Triples form (used for fingerprints and updates)."""
    s, p, o = triple
    return f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ."


def fingerprint(triples: Iterable[Triple]) -> str:
    """Order-independent hash of a set of triples: SHA-256 of sorted N-Triples lines."""
    h = hashlib.sha256()
    for line in sorted(set(nt_line(t) for t in triples)):
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


# --- the store --------------------------------------------------------------


@dataclass(frozen=True)
class StoredDocument:
    """What the store knows about a document it holds."""

    doc_id: str
    content_hash: str
    fingerprint: str


class GraphStore:
    """An opened Oxigraph store; queries see the union of all named graphs."""

    def __init__(self, path: Path, store: ox.Store, read_only: bool) -> None:
        self.path = path
        self.read_only = read_only
        self._store: ox.Store | None = store

    # reading
    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store (for bulk reads such as export)."""
        if self._store is None:
            raise StoreError(f"{self.path}: store is closed")
        return self._store

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Result:
        """Run a SPARQL query; ``bindings`` pre-bind variables (values are never pasted into the text).

        Bound variables go through Oxigraph's substitutions; Oxigraph accepts
        those only for projected variables, so other ones are bound by an
        inline ``VALUES`` block at the start of the WHERE group (built from
        terms serialised by Oxigraph, never from raw strings).
        """
        substitutions = {ox.Variable(str(k).lstrip("?$")): to_ox(v) for k, v in (bindings or {}).items()}
        try:
            try:
                raw = self.oxigraph.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)
            except RuntimeError as exc:
                if not substitutions or "projection" not in str(exc):
                    raise
                raw = self.oxigraph.query(inline_values(sparql, substitutions), use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreQueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            raise StoreQueryError(f"SPARQL query failed: {exc}") from exc
        return _to_result(raw)

    def triple_count(self) -> int:
        """Number of distinct triples in the union of all graphs."""
        raw = self.oxigraph.query(
            "SELECT (COUNT(*) AS ?c) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            use_default_graph_as_union=True,
        )
        return int(next(iter(raw))[0].value)

    def quad_count(self) -> int:
        """Number of quads (a triple repeated in two graphs counts twice)."""
        return len(self.oxigraph)

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        """Every quad as rdflib terms (graph name last)."""
        for q in self.oxigraph.quads_for_pattern(None, None, None, None):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name)  # type: ignore[misc]

    def graph_triples(self, graph: URIRef) -> set[Triple]:
        """The triples of one named graph."""
        return {
            (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))  # type: ignore[misc]
            for q in self.oxigraph.quads_for_pattern(None, None, None, to_ox(graph))
        }

    def union_graph(self) -> Graph:
        """All distinct triples as an in-memory rdflib Graph (for export and validation)."""
        graph = Graph()
        for s, p, o, _ in self.quads():
            graph.add((s, p, o))
        return graph

    def documents(self) -> dict[str, StoredDocument]:
        """Documents held in the store, by doc_id."""
        raw = self.oxigraph.query(
            "SELECT ?id ?hash ?fp WHERE { GRAPH ?g { ?d a kg:Document ; kg:docId ?id ;"
            " kg:contentHash ?hash ; kg:fingerprint ?fp } }",
            prefixes={"kg": str(KG._NS)},
        )
        out: dict[str, StoredDocument] = {}
        for row in raw:
            doc_id = row["id"].value
            out[doc_id] = StoredDocument(doc_id, row["hash"].value, row["fp"].value)
        return out

    # writing
    def replace_graph(self, graph: URIRef, triples: Iterable[Triple]) -> None:
        """Drop a named graph and fill it with ``triples``, as ONE transaction."""
        self._check_writable()
        lines = sorted(set(nt_line(t) for t in triples))
        name = to_ox(graph)
        update = f"DROP SILENT GRAPH {name} ;\nINSERT DATA {{ GRAPH {name} {{\n" + "\n".join(lines) + "\n} }"
        if not lines:
            update = f"DROP SILENT GRAPH {name}"
        self.oxigraph.update(update)

    def replace_document_graph(self, doc_id: str, triples: Iterable[Triple]) -> None:
        """Replace everything the store holds about one document, atomically."""
        self.replace_graph(document_graph(doc_id), triples)

    def remove_document(self, doc_id: str) -> None:
        """Forget a document (its graph) in one transaction."""
        self.replace_graph(document_graph(doc_id), [])

    def replace_entities_graph(self, triples: Iterable[Triple]) -> None:
        """Rewrite the derived entities graph as a whole, atomically."""
        self.replace_graph(ENTITIES_GRAPH, triples)

    def bulk_load(self, quads: Iterable[tuple[Node, Node, Node, Node]]) -> None:
        """Fast, non-transactional load of many quads (benchmarks, imports)."""
        self._check_writable()
        self.oxigraph.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads)

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: store opened read-only")

    def close(self) -> None:
        """Flush and release the store (and its lock)."""
        if self._store is not None:
            if not self.read_only:
                self._store.flush()
            self._store = None
            gc.collect()  # pyoxigraph releases the RocksDB lock when the object is freed

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_IRI = re.compile(r'<[^<>"{}|^`\\\s]*>')
_WHERE = re.compile(r"\bwhere\s*$", re.IGNORECASE)


def inline_values(sparql: str, substitutions: Mapping[ox.Variable, object]) -> str:
    """The query with ``VALUES`` for the given variables inserted at the start
    of its WHERE group (the first ``{`` after the keyword WHERE, or the first
    ``{`` of a SELECT/ASK without it), skipping IRIs, strings and comments."""
    values = " ".join(f"VALUES {var} {{ {term} }}" for var, term in substitutions.items())
    first_brace: int | None = None
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "<":
            m = _IRI.match(sparql, i)
            if m:
                i = m.end()
                continue
        if c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "{":
            if _WHERE.search(sparql, 0, i):
                return sparql[: i + 1] + " " + values + " " + sparql[i + 1 :]
            if first_brace is None:
                first_brace = i
        i += 1
    head = sparql[: first_brace or 0].lower()
    if first_brace is not None and "construct" not in head:
        return sparql[: first_brace + 1] + " " + values + " " + sparql[first_brace + 1 :]
    raise StoreQueryError("cannot bind variables in this query: no WHERE group found")


def _to_result(raw: object) -> Result:
    if isinstance(raw, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(raw)
        return result
    if isinstance(raw, ox.QuerySolutions):
        result = Result("SELECT")
        variables = [Variable(v.value) for v in raw.variables]
        result.vars = variables
        rows = []
        for solution in raw:
            row = {}
            for var, value in zip(variables, solution):
                if value is not None:
                    row[var] = from_ox(value)
            rows.append(row)
        result.bindings = rows
        return result
    result = Result("CONSTRUCT")
    graph = Graph()
    for t in raw:  # type: ignore[attr-defined]
        graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))  # type: ignore[arg-type]
    result.graph = graph
    return result


def open_store_raw(path: Path, read_only: bool = False) -> GraphStore:
    """Open (or create, when writable) the store at ``path``; errors become StoreError."""
    path = Path(path)
    if read_only:
        if not (path / "CURRENT").is_file():
            raise StoreError(f"no graph store at {path} (run `kg build PATH... --store {path}` first)")
        try:
            store = ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(
                f"{path}: cannot open graph store read-only (is a build writing to it?): {_first_line(exc)}"
            ) from exc
        return GraphStore(path, store, read_only=True)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store directory")
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        raise StoreError(f"{path}: directory exists but is not a graph store; refusing to write into it")
    try:
        path.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
    except (OSError, RuntimeError) as exc:
        message = _first_line(exc)
        if "lock" in message.lower():
            raise StoreLockedError(f"{path}: graph store is locked by another process (is a build running?)") from exc
        raise StoreError(f"{path}: cannot open graph store: {message}") from exc
    return GraphStore(path, store, read_only=False)


@contextmanager
def open_store(path: Path, read_only: bool = False) -> Iterator[GraphStore]:
    """Context manager around an opened store; closes (and unlocks) it on exit."""
    store = open_store_raw(path, read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- extraction cache -------------------------------------------------------


class ExtractionCache:
    """Raw per-document extractions, keyed by (doc_id, content_hash, pipeline version).

    Lives inside the store directory; each put is committed at once, so a build
    killed half-way keeps the documents it had already extracted.
    """

    def __init__(self, store_path: Path) -> None:
        Path(store_path).mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(Path(store_path) / CACHE_FILE))
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS extraction ("
            " doc_id TEXT NOT NULL, content_hash TEXT NOT NULL, pipeline TEXT NOT NULL,"
            " record TEXT NOT NULL, PRIMARY KEY (doc_id, content_hash, pipeline))"
        )
        self._db.commit()

    def get(self, doc_id: str, content_hash: str, pipeline: str) -> Extraction | None:
        row = self._db.execute(
            "SELECT record FROM extraction WHERE doc_id=? AND content_hash=? AND pipeline=?",
            (doc_id, content_hash, pipeline),
        ).fetchone()
        return Extraction.from_json(json.loads(row[0])) if row else None

    def any_version(self, doc_id: str, content_hash: str) -> Extraction | None:
        """Any cached extraction of this exact document (its text and metadata are what matter)."""
        row = self._db.execute(
            "SELECT record FROM extraction WHERE doc_id=? AND content_hash=? ORDER BY pipeline LIMIT 1",
            (doc_id, content_hash),
        ).fetchone()
        return Extraction.from_json(json.loads(row[0])) if row else None

    def put(self, record: Extraction, content_hash: str, pipeline: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO extraction VALUES (?, ?, ?, ?)",
            (record.doc_id, content_hash, pipeline, json.dumps(record.to_json(), ensure_ascii=False)),
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


# --- statistics ---------------------------------------------------------------


@dataclass
class StoreStats:
    """Counts that describe a store: what `kg stats` prints."""

    classes: dict[str, int]
    relation_types: dict[str, int]
    documents: int
    mentions: int
    statements: int
    named_graphs: int
    triples: int
    quads: int

    def render(self) -> str:
        lines = [
            f"documents      {self.documents:>9}",
            f"mentions       {self.mentions:>9}",
            f"statements     {self.statements:>9}",
            f"named graphs   {self.named_graphs:>9}",
            f"triples        {self.triples:>9}  (distinct, union of graphs; {self.quads} quads)",
            "",
            "entities by class",
        ]
        lines += [f"  {name:<13}{count:>9}" for name, count in self.classes.items()]
        lines += ["", "statements by relation type"]
        lines += [f"  {name:<13}{count:>9}" for name, count in self.relation_types.items()]
        return "\n".join(lines)


def store_stats(store: GraphStore) -> StoreStats:
    """Count entities by class, statements by relation type, documents and triples."""
    from kg.rdf.namespace import LABEL_CLASS
    from kg.records import RELATION_TYPES

    prefixes = {"kg": str(KG._NS)}
    ox_store = store.oxigraph

    def count_by(sparql: str) -> dict[str, int]:
        rows = ox_store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)
        return {row[0].value: int(row[1].value) for row in rows}

    by_class = count_by("SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c")
    classes = {str(cls).rsplit("#", 1)[-1]: by_class.get(str(cls), 0) for cls in LABEL_CLASS.values()}
    by_type = count_by(
        "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kg:Statement ; kg:relationType ?t } GROUP BY ?t"
    )
    relation_types = {t: by_type.get(t, 0) for t in RELATION_TYPES}
    relation_types.update({t: n for t, n in by_type.items() if t not in relation_types})
    return StoreStats(
        classes=classes,
        relation_types=relation_types,
        documents=by_class.get(str(KG.Document), 0),
        mentions=by_class.get(str(KG.Mention), 0),
        statements=by_class.get(str(KG.Statement), 0),
        named_graphs=sum(1 for _ in ox_store.named_graphs()),
        triples=store.triple_count(),
        quads=store.quad_count(),
    )
