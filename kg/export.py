"""Export: write the graph of a store in other formats.

One small base class (:class:`Exporter`, ``write`` to a binary stream, or
``export`` to a path) and one subclass per format:

- ``turtle``, ``nt``, ``jsonld`` — all triples (union of the named graphs),
  serialised by rdflib;
- ``graphml`` — the entity network for Gephi and networkx: nodes are
  entities with ``type``/``label`` (and ``country``/``geonames``) attributes,
  edges are the direct relations with their guideline ``relation`` type and
  a ``weight`` (number of documents stating them);
- ``csv`` — the same network as two files, ``nodes.csv`` and ``edges.csv``.
"""

from __future__ import annotations

import csv
import io
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, ClassVar

import networkx as nx
from rdflib import Graph
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.rdf.namespace import KG, KGR, LABEL_CLASS, LABEL_SEGMENT, SCHEMA
from kg.rdf.store import GraphStore
from kg.records import SYMMETRIC_RELATIONS


class ExportError(Exception):
    """An export cannot be written as asked; the message is meant for the user."""


class Exporter(ABC):
    """Writes a store in one format; subclasses implement :meth:`write`."""

    name: ClassVar[str]
    suffix: ClassVar[str]

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    @abstractmethod
    def write(self, out: BinaryIO) -> None:
        """Serialise the store's graph to a binary stream."""

    def export(self, target: Path | None) -> list[Path]:
        """Write to ``target`` (a file), or to stdout when None; return the files written."""
        if target is None:
            self.write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
            return []
        with open(target, "wb") as out:
            self.write(out)
        return [Path(target)]


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes so Turtle and JSON-LD output stays readable."""
    for prefix, ns in {
        "kg": KG._NS,
        "kgr": KGR,
        "org": ORG,
        "schema": SCHEMA,
        "prov": PROV,
        "dcterms": DCTERMS,
        "skos": SKOS,
        "rdfs": RDFS,
        "owl": OWL,
        "xsd": XSD,
    }.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


class RDFExporter(Exporter):
    """All distinct triples of the store, serialised by rdflib."""

    rdflib_format: ClassVar[str]

    def write(self, out: BinaryIO) -> None:
        graph = bind_prefixes(self.store.union_graph())
        graph.serialize(destination=out, format=self.rdflib_format, encoding="utf-8")


class TurtleExporter(RDFExporter):
    name, suffix, rdflib_format = "turtle", ".ttl", "turtle"


class NTriplesExporter(RDFExporter):
    name, suffix, rdflib_format = "nt", ".nt", "nt"


class JSONLDExporter(RDFExporter):
    name, suffix, rdflib_format = "jsonld", ".jsonld", "json-ld"


# --- the entity network ------------------------------------------------------

_TYPE_OF_CLASS = {cls: LABEL_SEGMENT[label] for label, cls in LABEL_CLASS.items()}

_NODES = """
SELECT ?e ?cls ?label ?country ?geonames WHERE {
  ?e a ?cls ; rdfs:label ?label .
  VALUES ?cls { kg:Person kg:Organisation kg:Place kg:Agreement kg:Event }
  OPTIONAL { ?e kg:countryCode ?country }
  OPTIONAL { ?e kg:geonamesId ?geonames }
}"""

_EDGES = """
SELECT ?s ?type ?o (COUNT(DISTINCT ?doc) AS ?docs) (COUNT(DISTINCT ?st) AS ?statements) WHERE {
  ?st a kg:Statement ; kg:relationType ?type ; rdf:subject ?s ; rdf:object ?o ; prov:wasDerivedFrom ?doc .
} GROUP BY ?s ?type ?o"""

_PREFIXES = (
    f"PREFIX kg: <{KG._NS}>\nPREFIX rdfs: <{RDFS}>\nPREFIX rdf: <{RDF}>\nPREFIX prov: <{PROV}>\n"
)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str
    weight: int  # distinct documents
    statements: int


def entity_network(store: GraphStore) -> nx.MultiDiGraph:
    """Entities and their direct relations as a networkx MultiDiGraph.

    Symmetric relations (COOPERATES, MET) appear once, from the smaller to the
    larger IRI, so Gephi does not draw them twice.
    """
    graph = nx.MultiDiGraph()
    for row in store.query(_PREFIXES + _NODES):
        iri = str(row.e)
        graph.add_node(
            iri,
            label=str(row.label),
            type=_TYPE_OF_CLASS.get(row.cls, "entity"),
            country=str(row.country) if row.country is not None else "",
            geonames=str(row.geonames) if row.geonames is not None else "",
        )
    merged: dict[tuple[str, str, str], list[int]] = {}
    for row in store.query(_PREFIXES + _EDGES):
        source, target, relation = str(row.s), str(row.o), str(row.type)
        if relation in SYMMETRIC_RELATIONS and target < source:
            source, target = target, source
        counts = merged.setdefault((source, relation, target), [0, 0])
        counts[0] += int(row.docs)
        counts[1] += int(row.statements)
    for (source, relation, target), (docs, statements) in sorted(merged.items()):
        graph.add_edge(source, target, key=relation, relation=relation, label=relation, weight=docs, statements=statements)
    return graph


class GraphMLExporter(Exporter):
    """The entity network as GraphML (Gephi, networkx, yEd)."""

    name, suffix = "graphml", ".graphml"

    def write(self, out: BinaryIO) -> None:
        nx.write_graphml(entity_network(self.store), out, encoding="utf-8")


class CSVExporter(Exporter):
    """The entity network as two CSV files: nodes and edges (Gephi's spreadsheet import)."""

    name, suffix = "csv", ".csv"
    NODE_FIELDS = ("id", "label", "type", "country", "geonames")
    EDGE_FIELDS = ("source", "target", "relation", "weight", "statements")

    def write(self, out: BinaryIO) -> None:
        """Nodes only (a stream holds one table); :meth:`export` writes both files."""
        out.write(self.nodes_csv().encode("utf-8"))

    def nodes_csv(self, network: nx.MultiDiGraph | None = None) -> str:
        network = network if network is not None else entity_network(self.store)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.NODE_FIELDS, lineterminator="\n")
        writer.writeheader()
        for node, data in sorted(network.nodes(data=True)):
            writer.writerow({"id": node, **{k: data.get(k, "") for k in self.NODE_FIELDS[1:]}})
        return buffer.getvalue()

    def edges_csv(self, network: nx.MultiDiGraph | None = None) -> str:
        network = network if network is not None else entity_network(self.store)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.EDGE_FIELDS, lineterminator="\n")
        writer.writeheader()
        for source, target, data in sorted(network.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
            writer.writerow({"source": source, "target": target, **{k: data[k] for k in self.EDGE_FIELDS[2:]}})
        return buffer.getvalue()

    def export(self, target: Path | None) -> list[Path]:
        """Write ``nodes.csv`` and ``edges.csv`` into the directory ``target``, or
        ``X-nodes.csv``/``X-edges.csv`` beside it when ``target`` is ``X.csv``."""
        if target is None:
            raise ExportError("csv export writes two files (nodes and edges): give -o DIRECTORY or -o NAME.csv")
        target = Path(target)
        if target.suffix.lower() == ".csv":
            nodes_path = target.with_name(target.stem + "-nodes.csv")
            edges_path = target.with_name(target.stem + "-edges.csv")
        else:
            target.mkdir(parents=True, exist_ok=True)
            nodes_path, edges_path = target / "nodes.csv", target / "edges.csv"
        network = entity_network(self.store)
        nodes_path.write_text(self.nodes_csv(network), encoding="utf-8")
        edges_path.write_text(self.edges_csv(network), encoding="utf-8")
        return [nodes_path, edges_path]


EXPORTERS: dict[str, type[Exporter]] = {
    cls.name: cls for cls in (TurtleExporter, NTriplesExporter, JSONLDExporter, GraphMLExporter, CSVExporter)
}


def exporter_for(name: str, store: GraphStore) -> Exporter:
    """The exporter of a format name (one of EXPORTERS)."""
    try:
        return EXPORTERS[name](store)
    except KeyError:
        raise ExportError(f"unknown export format {name!r} (choose from {', '.join(EXPORTERS)})") from None
