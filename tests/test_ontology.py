"""The ontology file and the Python vocabulary agree, and every term is documented in English and German."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, PROV, SH

from kg.rdf.namespace import KG, RELATION_PROPERTY, SCHEMA
from kg.records import RELATION_TYPES
from kg.validate import ONTOLOGY_FILE, SHAPES_FILE


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def namespace_terms() -> set[URIRef]:
    return {KG[name] for name in KG.__annotations__}


def test_namespace_and_ontology_define_the_same_terms(ontology: Graph) -> None:
    ns = str(KG._NS)
    defined = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(ns)}
    python_terms = namespace_terms()
    assert len(python_terms) >= 30
    assert defined == python_terms, (
        f"only in kg.ttl: {sorted(defined - python_terms)}; only in namespace.py: {sorted(python_terms - defined)}"
    )


@pytest.mark.parametrize("prop", [RDFS.label, RDFS.comment])
def test_every_term_has_english_and_german_text(ontology: Graph, prop: URIRef) -> None:
    missing = []
    for term in sorted(namespace_terms()):
        languages = {o.language for o in ontology.objects(term, prop) if isinstance(o, Literal)}
        if not {"en", "de"} <= languages:
            missing.append(f"{term} ({sorted(filter(None, languages))})")
    assert not missing, f"{prop} lacks @en or @de: {missing}"


def test_classes_and_properties_are_typed(ontology: Graph) -> None:
    for cls in (KG.Person, KG.Organisation, KG.Place, KG.Agreement, KG.Event, KG.Document, KG.Mention, KG.Statement):
        assert (cls, RDF.type, OWL.Class) in ontology
    for prop in RELATION_PROPERTY.values():
        assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert (KG.start, RDFS.range, URIRef("http://www.w3.org/2001/XMLSchema#integer")) in ontology


@pytest.mark.parametrize(
    "triple",
    [
        (KG.Person, RDFS.subClassOf, FOAF.Person),
        (KG.Person, RDFS.subClassOf, SCHEMA.Person),
        (KG.Organisation, RDFS.subClassOf, ORG.Organization),
        (KG.Organisation, RDFS.subClassOf, SCHEMA.Organization),
        (KG.Place, RDFS.subClassOf, SCHEMA.Place),
        (KG.Event, RDFS.subClassOf, SCHEMA.Event),
        (KG.Document, RDFS.subClassOf, FOAF.Document),
        (KG.Document, RDFS.subClassOf, SCHEMA.NewsArticle),
        (KG.Document, RDFS.subClassOf, PROV.Entity),
        (KG.Statement, RDFS.subClassOf, RDF.Statement),
        (KG.Statement, RDFS.subClassOf, PROV.Entity),
        (KG.holdsRoleAt, RDFS.subPropertyOf, ORG.memberOf),
        (KG.locatedIn, RDFS.subPropertyOf, SCHEMA.location),
        (KG.cooperatesWith, RDF.type, OWL.SymmetricProperty),
        (KG.met, RDF.type, OWL.SymmetricProperty),
    ],
    ids=lambda t: " ".join(str(x).rsplit("/", 1)[-1] for x in t),
)
def test_alignment_to_standard_vocabularies(ontology: Graph, triple: tuple) -> None:
    assert triple in ontology


def test_only_the_guideline_relations_are_symmetric(ontology: Graph) -> None:
    symmetric = set(ontology.subjects(RDF.type, OWL.SymmetricProperty))
    assert symmetric == {RELATION_PROPERTY["COOPERATES"], RELATION_PROPERTY["MET"]}


def test_shapes_allow_exactly_the_guideline_relation_types(shapes: Graph) -> None:
    allowed = None
    for prop_shape in shapes.subjects(SH.path, KG.relationType):
        lists = list(shapes.objects(prop_shape, SH["in"]))
        if lists:
            from rdflib.collection import Collection

            allowed = [str(x) for x in Collection(shapes, lists[0])]
    assert allowed is not None, "no sh:in constraint on kg:relationType"
    assert sorted(allowed) == sorted(RELATION_TYPES)


def test_shapes_target_every_node_kind_the_build_writes(shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    assert {KG.Person, KG.Organisation, KG.Place, KG.Agreement, KG.Event, KG.Document, KG.Mention, KG.Statement,
            ORG.Membership, ORG.Role} <= targets
