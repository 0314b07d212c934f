"""Validation: run the SHACL shapes (ontology/shapes.ttl) over a store with pySHACL.

The data graph is the union of the store's named graphs; the ontology
(ontology/kg.ttl) is given to pySHACL as the ontology graph so that
``sh:class`` checks see the class hierarchy. No inference is run: the build
writes every type explicitly, and validation must check what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

import kg
from kg.rdf.store import open_store

ONTOLOGY_DIR = Path(kg.__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass
class ValidationResult:
    """Outcome of a SHACL run: whether the data conforms, and pySHACL's report."""

    conforms: bool
    text: str
    results_graph: Graph
    triples: int


def load_ontology() -> Graph:
    """The kg ontology as an rdflib Graph."""
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def load_shapes() -> Graph:
    """The SHACL shapes as an rdflib Graph."""
    return Graph().parse(SHAPES_FILE, format="turtle")


def validate_graph(data: Graph) -> ValidationResult:
    """Validate an in-memory graph against the shapes."""
    from pyshacl import validate

    conforms, results_graph, text = validate(
        data,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
    )
    return ValidationResult(bool(conforms), str(text), results_graph, len(data))


def validate_store(store_path: Path) -> ValidationResult:
    """Validate everything a store holds (opened read-only)."""
    with open_store(Path(store_path), read_only=True) as store:
        data = store.union_graph()
    return validate_graph(data)
