"""The project's vocabulary as an rdflib DefinedNamespace.

``ontology/kg.ttl`` defines every term; Python code takes terms from here
(never from string literals), and ``_fail = True`` makes a mistyped term an
error at once. A test checks that both list the same terms.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://kg.example.org/"
KGR = Namespace(BASE + "id/")  # resources: entities, documents, mentions, statements, graphs
GEONAMES = Namespace("https://sws.geonames.org/")
SCHEMA = Namespace("https://schema.org/")


class KG(DefinedNamespace):
    """Terms of the kg ontology (https://kg.example.org/ns#)."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    Person: URIRef
    Organisation: URIRef
    Place: URIRef
    Agreement: URIRef
    Event: URIRef
    Document: URIRef
    Mention: URIRef
    Statement: URIRef

    # document
    docId: URIRef
    contentHash: URIRef
    fingerprint: URIRef

    # mention
    inDocument: URIRef
    denotes: URIRef
    start: URIRef
    end: URIRef
    surface: URIRef

    # entity
    geonamesId: URIRef
    countryCode: URIRef

    # statement (reified relation with evidence)
    relationType: URIRef
    role: URIRef
    evidenceText: URIRef
    sentenceStart: URIRef
    sentenceEnd: URIRef
    date: URIRef
    headMention: URIRef
    tailMention: URIRef

    # direct relations between entities (one per relation type)
    holdsRoleAt: URIRef
    affiliatedWith: URIRef
    partOf: URIRef
    locatedIn: URIRef
    partyTo: URIRef
    cooperatesWith: URIRef
    participatedIn: URIRef
    met: URIRef


#: Guideline label -> entity class and IRI path segment.
LABEL_CLASS: dict[str, URIRef] = {
    "PER": KG.Person,
    "ORG": KG.Organisation,
    "LOC": KG.Place,
    "AGREEMENT": KG.Agreement,
    "EVENT": KG.Event,
}
LABEL_SEGMENT: dict[str, str] = {
    "PER": "person",
    "ORG": "organisation",
    "LOC": "place",
    "AGREEMENT": "agreement",
    "EVENT": "event",
}

#: Guideline relation type -> direct property between the two entities.
RELATION_PROPERTY: dict[str, URIRef] = {
    "ROLE": KG.holdsRoleAt,
    "AFFILIATED": KG.affiliatedWith,
    "PART_OF": KG.partOf,
    "LOCATED_IN": KG.locatedIn,
    "PARTY_TO": KG.partyTo,
    "COOPERATES": KG.cooperatesWith,
    "PARTICIPATED": KG.participatedIn,
    "MET": KG.met,
}

ENTITIES_GRAPH = KGR["graph/entities"]


def document_iri(doc_id: str) -> URIRef:
    return KGR["doc/" + _safe(doc_id)]


def document_graph(doc_id: str) -> URIRef:
    return KGR["graph/doc/" + _safe(doc_id)]


def _safe(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="-_.~")
