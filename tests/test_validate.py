"""SHACL validation: the freshly built graph conforms, and the shapes catch broken data."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV

from kg.cli import main
from kg.rdf.namespace import KG, KGR, document_iri
from kg.rdf.store import open_store
from kg.validate import validate_graph, validate_store

# (not rdflib's XSD namespace object: pytest's collection probes module attributes and it warns)
INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


def test_freshly_built_graph_conforms(built_store: Path) -> None:
    result = validate_store(built_store)
    assert result.triples > 1000
    assert result.conforms, result.text[:3000]


def _small_valid_graph() -> Graph:
    g = Graph()
    doc = document_iri("x1")
    person = KGR["person/max-mustermann"]
    mention = URIRef(f"{doc}/mention/0-14")
    st = URIRef(f"{doc}/statement/1")
    g.add((doc, RDF.type, KG.Document))
    g.add((doc, KG.docId, Literal("x1")))
    g.add((doc, KG.contentHash, Literal("a" * 64)))
    g.add((doc, KG.fingerprint, Literal("b" * 64)))
    g.add((person, RDF.type, KG.Person))
    g.add((person, RDFS.label, Literal("Max Mustermann")))
    for s, p, o in [
        (mention, RDF.type, KG.Mention), (mention, KG.inDocument, doc), (mention, KG.denotes, person),
        (mention, KG.start, Literal(0, datatype=INTEGER)), (mention, KG.end, Literal(14, datatype=INTEGER)),
        (mention, KG.surface, Literal("Max Mustermann")),
        (st, RDF.type, KG.Statement), (st, RDF.subject, person), (st, RDF.predicate, KG.met), (st, RDF.object, person),
        (st, KG.relationType, Literal("MET")), (st, PROV.wasDerivedFrom, doc), (st, KG.evidenceText, Literal("Satz.")),
        (st, KG.sentenceStart, Literal(0, datatype=INTEGER)), (st, KG.sentenceEnd, Literal(5, datatype=INTEGER)),
        (st, KG.headMention, mention), (st, KG.tailMention, mention),
    ]:
        g.add((s, p, o))
    return g


def test_small_hand_made_graph_conforms() -> None:
    result = validate_graph(_small_valid_graph())
    assert result.conforms, result.text


ST = URIRef(f"{document_iri('x1')}/statement/1")
PERSON = KGR["person/max-mustermann"]


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda g: g.add((PERSON, RDFS.label, Literal("Max M."))), id="two-labels"),
        pytest.param(lambda g: g.set((ST, KG.relationType, Literal("LIKES"))), id="unknown-relation-type"),
        pytest.param(lambda g: g.set((ST, KG.sentenceStart, Literal(9, datatype=INTEGER))), id="start-after-end"),
        pytest.param(lambda g: g.set((ST, KG.sentenceEnd, Literal("5"))), id="offset-not-integer"),
        pytest.param(lambda g: g.remove((ST, PROV.wasDerivedFrom, None)), id="no-provenance"),
        pytest.param(lambda g: g.remove((document_iri("x1"), KG.contentHash, None)), id="no-content-hash"),
        pytest.param(lambda g: g.remove((PERSON, RDF.type, None)), id="mention-denotes-untyped-node"),
        pytest.param(lambda g: g.set((ST, RDF.predicate, KG.holdsRoleAt)), id="predicate-does-not-match-type"),
        pytest.param(lambda g: g.set((ST, KG.relationType, Literal("ROLE"))), id="type-does-not-fit-classes"),
    ],
)
def test_shapes_catch_broken_data(breakage) -> None:
    g = _small_valid_graph()
    breakage(g)
    assert not validate_graph(g).conforms


def test_validate_command_exit_codes(tmp_path: Path) -> None:
    with open_store(tmp_path / "good") as store:
        store.replace_graph(KGR["graph/test"], _small_valid_graph())
    ok = CliRunner().invoke(main, ["validate", "--store", str(tmp_path / "good")])
    assert ok.exit_code == 0 and "conforms" in ok.output

    broken = _small_valid_graph()
    broken.add((PERSON, RDFS.label, Literal("Max M.")))
    with open_store(tmp_path / "broken") as store:
        store.replace_graph(KGR["graph/test"], broken)
    bad = CliRunner().invoke(main, ["validate", "--store", str(tmp_path / "broken")])
    assert bad.exit_code == 1
    assert "does not conform" in bad.output and "Traceback" not in bad.output

    missing = CliRunner().invoke(main, ["validate", "--store", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "no graph store" in missing.output
