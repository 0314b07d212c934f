"""Identity and relations as they reach the graph store.

Two layers:
- a small store built here from two synthetic documents with an entity ruler
  (independent of the NER model): one node per real-world thing across
  documents, and the "persons with a role at an organisation located in China"
  query;
- the shared ``built_store`` (bundled corpus, default pipeline): the same
  checks on the real press releases. They need the trained NER model
  (kg/nlp/model/); without it the rules find too few persons to test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from rdflib import Literal

import kg.nlp.coref  # noqa: F401
import kg.nlp.relations  # noqa: F401
from kg.build import build
from kg.nlp.pipeline import MODEL_DIR
from kg.rdf.store import open_store

PREFIXES = """
PREFIX kg: <https://kg.example.org/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

#: All persons with a role at an organisation located in China, with the role and the source sentence.
PERSONS_WITH_ROLE_IN_CHINA = PREFIXES + """
SELECT DISTINCT ?person ?personName ?role ?org ?orgName ?placeName ?sentence WHERE {
  ?statement a kg:Statement ;
             kg:relationType "ROLE" ;
             rdf:subject ?person ;
             rdf:object ?org ;
             kg:evidenceText ?sentence .
  OPTIONAL { ?statement kg:role ?role }
  ?person a kg:Person ; rdfs:label ?personName .
  ?org a kg:Organisation ; rdfs:label ?orgName ; kg:locatedIn ?place .
  ?place rdfs:label ?placeName ; kg:countryCode "CN" .
}
ORDER BY ?personName ?orgName ?sentence
"""

#: Entity nodes (with label) that mentions of a given surface form denote, and in how many documents.
NODES_OF_SURFACE = PREFIXES + """
SELECT ?entity ?label (COUNT(DISTINCT ?doc) AS ?docs) WHERE {
  ?mention a kg:Mention ; kg:surface ?surface ; kg:denotes ?entity ; kg:inDocument ?doc .
  ?entity rdfs:label ?label .
}
GROUP BY ?entity ?label
"""

AGENCY = "China International Investment Promotion Agency"

DOC_A = f"""url: https://example.org/a
title: Agentur
date: 2020-05-04
---
Die {AGENCY} (CIIPA) hat ihren Sitz in Peking. Wenlong ZHU, Vize-Direktor der CIIPA, sprach mit Hanno Rademacher in Wuppertal.
"""

DOC_B = """url: https://example.org/b
title: Besuch
date: 2021-06-01
---
Hanno Rademacher besuchte die CIIPA in Beijing. Dort lobte Rademacher die Zusammenarbeit.
"""


def _ruler_pipeline() -> spacy.Language:
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "ORG", "pattern": AGENCY},
            {"label": "ORG", "pattern": "CIIPA"},
            {"label": "PER", "pattern": "Wenlong ZHU"},
            {"label": "PER", "pattern": "Hanno Rademacher"},
            {"label": "PER", "pattern": "Rademacher"},
            {"label": "LOC", "pattern": "Peking"},
            {"label": "LOC", "pattern": "Beijing"},
            {"label": "LOC", "pattern": "Wuppertal"},
        ]
    )
    nlp.add_pipe("kg_coref")
    nlp.add_pipe("kg_relations")
    return nlp


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("identity-corpus")
    (corpus / "a.txt").write_text(DOC_A, encoding="utf-8")
    (corpus / "b.txt").write_text(DOC_B, encoding="utf-8")
    store = tmp_path_factory.mktemp("identity-store") / "kg-store"
    report = build([corpus], store, nlp=_ruler_pipeline(), progress=False)
    assert report.documents == 2
    return store


def _nodes(store: Path, surface: str) -> list[tuple[str, str, int]]:
    with open_store(store, read_only=True) as graph:
        rows = graph.query(NODES_OF_SURFACE, {"surface": Literal(surface)})
        return sorted((str(r.entity), str(r.label), int(r.docs)) for r in rows)


def _role_rows(store: Path) -> list[dict[str, str | None]]:
    with open_store(store, read_only=True) as graph:
        return [
            {name: (str(row[name]) if row[name] is not None else None) for name in ("personName", "role", "orgName", "placeName", "sentence")}
            for row in graph.query(PERSONS_WITH_ROLE_IN_CHINA)
        ]


def test_person_in_two_documents_is_one_node(small_store: Path) -> None:
    (full,) = _nodes(small_store, "Hanno Rademacher")
    assert full[1:] == ("Hanno Rademacher", 2)
    assert _nodes(small_store, "Rademacher") == [(full[0], "Hanno Rademacher", 1)]


def test_acronym_and_expansion_are_one_node_across_documents(small_store: Path) -> None:
    (expansion,) = _nodes(small_store, AGENCY)
    (acronym,) = _nodes(small_store, "CIIPA")
    assert expansion[:2] == acronym[:2] == (expansion[0], AGENCY)
    assert acronym[2] == 2  # the bare "CIIPA" of document b joins the one defined in document a
    assert expansion[0].endswith("/organisation/china-international-investment-promotion-agency")


def test_peking_and_beijing_are_one_place_with_geonames_id(small_store: Path) -> None:
    (peking,) = _nodes(small_store, "Peking")
    assert _nodes(small_store, "Beijing") == [(peking[0], "Beijing", 1)]
    with open_store(small_store, read_only=True) as graph:
        ask = graph.query(PREFIXES + 'ASK { ?p kg:geonamesId "1816670" ; kg:countryCode "CN" }', None)
        assert ask.askAnswer


def test_persons_with_role_at_organisation_in_china(small_store: Path) -> None:
    rows = _role_rows(small_store)
    assert rows == [
        {
            "personName": "Wenlong Zhu",
            "role": "Vize-Direktor",
            "orgName": AGENCY,
            "placeName": "Beijing",
            "sentence": "Wenlong ZHU, Vize-Direktor der CIIPA, sprach mit Hanno Rademacher in Wuppertal.",
        }
    ]


needs_model = pytest.mark.skipif(
    not (MODEL_DIR / "meta.json").is_file(),
    reason="the bundled-corpus checks need the trained NER model in kg/nlp/model/",
)


@needs_model
def test_bundled_corpus_rademacher_is_one_node(built_store: Path) -> None:
    nodes = _nodes(built_store, "Hanno Rademacher")
    assert len(nodes) == 1, nodes
    assert nodes[0][2] >= 2, "Hanno Rademacher should be found in two documents of the bundled corpus"


@needs_model
def test_bundled_corpus_ciipa_and_expansion_are_one_node(built_store: Path) -> None:
    acronym = {entity for entity, _, _ in _nodes(built_store, "CIIPA")}
    expansion = {entity for entity, _, _ in _nodes(built_store, AGENCY)}
    assert acronym and acronym == expansion


@needs_model
def test_bundled_corpus_persons_with_role_in_china(built_store: Path) -> None:
    rows = _role_rows(built_store)
    assert rows, "no person with a role at an organisation located in China"
    for row in rows:
        sentence = row["sentence"] or ""
        family = (row["personName"] or "").split()[-1]
        assert family.casefold() in sentence.casefold(), row
        if row["role"]:
            assert row["role"].split()[-1] in sentence, row
