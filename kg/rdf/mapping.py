"""Mapping: resolved Extraction records + entity table -> RDF triples.

Two products, exactly as CONTRACTS.md describes the data model:

- :func:`document_triples` — the named graph of one document: the Document
  node with its metadata, one Mention node per entity mention, one Statement
  node per relation carrying its evidence (sentence text and offsets, PROV-O
  link to the document);
- :func:`entities_triples` — the derived graph over all documents: one node
  per entity (class, label, aliases, GeoNames) and the direct edge of every
  statement.

Everything is a pure function of its input and uses IRIs only (no blank
nodes), so the same input always gives the same triples and rebuilding a store
is idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from kg.identity import EntityInfo, entity_iri
from kg.rdf.namespace import GEONAMES, KG, KGR, LABEL_CLASS, RELATION_PROPERTY, SCHEMA, document_iri
from kg.rdf.store import Triple, fingerprint
from kg.records import SYMMETRIC_RELATIONS, Extraction, Mention, Relation

EntityTable = Mapping[tuple[str, str], EntityInfo]

#: The (head label, tail label) pairs each relation type allows (GUIDELINES.md);
#: the ontology's domains/ranges and the SHACL shapes rely on them.
RELATION_SIGNATURE: dict[str, frozenset[tuple[str, str]]] = {
    "ROLE": frozenset({("PER", "ORG")}),
    "AFFILIATED": frozenset({("PER", "LOC")}),
    "PART_OF": frozenset({("ORG", "ORG"), ("LOC", "LOC")}),
    "LOCATED_IN": frozenset({("ORG", "LOC"), ("EVENT", "LOC")}),
    "PARTY_TO": frozenset({("ORG", "AGREEMENT"), ("LOC", "AGREEMENT"), ("PER", "AGREEMENT")}),
    "COOPERATES": frozenset({(a, b) for a in ("ORG", "LOC") for b in ("ORG", "LOC")}),
    "PARTICIPATED": frozenset({("PER", "EVENT"), ("ORG", "EVENT")}),
    "MET": frozenset({("PER", "PER")}),
}


def relation_fits(record: Extraction, rel: Relation) -> bool:
    """Whether a relation can go into the graph: known type, both mentions
    present, labels allowed by the guidelines for that type."""
    ids = {m.id: m for m in record.entities}
    head, tail = ids.get(rel.head), ids.get(rel.tail)
    if head is None or tail is None or rel.type not in RELATION_PROPERTY:
        return False
    return (head.label, tail.label) in RELATION_SIGNATURE.get(rel.type, frozenset())


def mention_iri(doc_id: str, mention: Mention) -> URIRef:
    return URIRef(f"{document_iri(doc_id)}/mention/{mention.start}-{mention.end}")


def statement_iri(doc_id: str, number: int) -> URIRef:
    return URIRef(f"{document_iri(doc_id)}/statement/{number}")


def role_iri(role: str) -> URIRef:
    """The org:Role node of a function word; the exact spelling is the identity."""
    return KGR["role/" + quote(role, safe="")]


def valid_date(value: str | None) -> Literal | None:
    """An xsd:date literal for an ISO date, or None when absent or malformed."""
    if not value:
        return None
    try:
        dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return Literal(str(value)[:10], datatype=XSD.date)


def _entity(table: EntityTable, mention: Mention) -> URIRef:
    info = table.get((mention.label, mention.entity))
    return info.iri if info is not None else entity_iri(mention.label, mention.entity)


def _relation_key(record: Extraction, rel: Relation) -> tuple:
    head, tail = record.mention(rel.head), record.mention(rel.tail)
    return (head.start, head.end, rel.type, tail.start, tail.end, rel.role or "")


def ordered_relations(record: Extraction) -> list[Relation]:
    """Relations that can be mapped, deduplicated, in a deterministic order."""
    seen: set[tuple] = set()
    out: list[tuple[tuple, Relation]] = []
    for rel in record.relations:
        if not relation_fits(record, rel):
            continue
        key = _relation_key(record, rel)
        if key in seen:
            continue
        seen.add(key)
        out.append((key, rel))
    return [rel for _, rel in sorted(out, key=lambda item: item[0])]


def document_triples(record: Extraction, table: EntityTable) -> list[Triple]:
    """All triples of one document's named graph, including its kg:fingerprint."""
    doc_id = record.doc_id
    doc = document_iri(doc_id)
    meta = record.meta or {}
    triples: list[Triple] = [
        (doc, RDF.type, KG.Document),
        (doc, KG.docId, Literal(doc_id)),
        (doc, KG.contentHash, Literal(str(meta.get("content_hash", "")))),
    ]
    if meta.get("url"):
        triples.append((doc, SCHEMA.url, Literal(str(meta["url"]), datatype=XSD.anyURI)))
    if meta.get("title"):
        triples.append((doc, DCTERMS.title, Literal(str(meta["title"]))))
    date = valid_date(meta.get("date"))
    if date is not None:
        triples.append((doc, SCHEMA.datePublished, date))

    spans: set[tuple[int, int]] = set()
    for mention in record.entities:
        if mention.label not in LABEL_CLASS or (mention.start, mention.end) in spans:
            continue  # no entity class to denote, or a second label for the same span (first one wins)
        spans.add((mention.start, mention.end))
        m = mention_iri(doc_id, mention)
        triples += [
            (m, RDF.type, KG.Mention),
            (m, KG.inDocument, doc),
            (m, KG.denotes, _entity(table, mention)),
            (m, KG.start, Literal(mention.start, datatype=XSD.integer)),
            (m, KG.end, Literal(mention.end, datatype=XSD.integer)),
            (m, KG.surface, Literal(mention.text)),
        ]

    for number, rel in enumerate(ordered_relations(record), start=1):
        triples += _statement_triples(record, rel, statement_iri(doc_id, number), table, doc, date)

    triples.append((doc, KG.fingerprint, Literal(fingerprint(triples))))
    return triples


def _statement_triples(
    record: Extraction, rel: Relation, st: URIRef, table: EntityTable, doc: URIRef, date: Literal | None
) -> list[Triple]:
    head, tail = record.mention(rel.head), record.mention(rel.tail)
    head_iri, tail_iri = _entity(table, head), _entity(table, tail)
    triples: list[Triple] = [
        (st, RDF.type, KG.Statement),
        (st, RDF.subject, head_iri),
        (st, RDF.predicate, RELATION_PROPERTY[rel.type]),
        (st, RDF.object, tail_iri),
        (st, KG.relationType, Literal(rel.type)),
        (st, PROV.wasDerivedFrom, doc),
        (st, KG.headMention, mention_iri(record.doc_id, head)),
        (st, KG.tailMention, mention_iri(record.doc_id, tail)),
    ]
    role_word = (rel.role or "").strip() or None
    if role_word:
        triples.append((st, KG.role, Literal(role_word)))
    start, end = _sentence_span(record, rel, head, tail)
    triples += [
        (st, KG.evidenceText, Literal(record.text[start:end])),
        (st, KG.sentenceStart, Literal(start, datatype=XSD.integer)),
        (st, KG.sentenceEnd, Literal(end, datatype=XSD.integer)),
    ]
    if date is not None:
        triples.append((st, KG.date, date))
    if rel.type == "ROLE":
        triples += [
            (st, RDF.type, ORG.Membership),
            (st, ORG.member, head_iri),
            (st, ORG.organization, tail_iri),
        ]
        if role_word:
            role = role_iri(role_word)
            triples += [(st, ORG.role, role), (role, RDF.type, ORG.Role), (role, RDFS.label, Literal(role_word))]
    return triples


def _sentence_span(record: Extraction, rel: Relation, head: Mention, tail: Mention) -> tuple[int, int]:
    """Evidence offsets: the relation's sentence, or else the line holding both mentions."""
    n = len(record.text)
    if rel.sentence_start is not None and rel.sentence_end is not None:
        start, end = max(0, int(rel.sentence_start)), min(n, int(rel.sentence_end))
        if start <= end:
            return start, end
    lo, hi = min(head.start, tail.start), max(head.end, tail.end)
    start = record.text.rfind("\n", 0, lo) + 1
    newline = record.text.find("\n", hi)
    return start, (n if newline < 0 else newline)


# --- the entities graph -----------------------------------------------------


def complete_table(records: Iterable[Extraction], table: EntityTable) -> dict[tuple[str, str], EntityInfo]:
    """The entity table plus an entry for any mention the resolver left out,
    so that every kg:denotes points at an entity node of the entities graph."""
    full = dict(table)
    for record in records:
        for mention in record.entities:
            key = (mention.label, mention.entity)
            if key not in full and mention.label in LABEL_CLASS:
                full[key] = EntityInfo(mention.label, mention.entity, entity_iri(mention.label, mention.entity))
            if key in full and key not in table:
                full[key].aliases.add(mention.text)
    return full


def _label_key(name: str) -> tuple[int, str]:
    """Preferred label among names that share one IRI: usual capitalisation first."""
    return (sum(c.isupper() for c in name), name)


def entities_triples(records: Iterable[Extraction], table: EntityTable) -> list[Triple]:
    """Entity nodes and direct edges, derived from all resolved records."""
    by_iri: dict[URIRef, list[EntityInfo]] = {}
    for info in table.values():
        if info.label in LABEL_CLASS:
            by_iri.setdefault(info.iri, []).append(info)

    triples: set[Triple] = set()
    for iri, infos in by_iri.items():
        infos = sorted(infos, key=lambda i: _label_key(i.name))
        label = infos[0].name
        triples.add((iri, RDF.type, LABEL_CLASS[infos[0].label]))
        triples.add((iri, RDFS.label, Literal(label)))
        for info in infos:
            for alias in {info.name, *info.aliases}:
                if alias != label:
                    triples.add((iri, SKOS.altLabel, Literal(alias)))
        geonames = next((i.geonames_id for i in infos if i.geonames_id), None)
        if geonames:
            triples.add((iri, KG.geonamesId, Literal(str(geonames))))
            triples.add((iri, OWL.sameAs, GEONAMES[f"{geonames}/"]))
        country = next((i.country_code for i in infos if i.country_code), None)
        if country:
            triples.add((iri, KG.countryCode, Literal(country)))

    for record in records:
        for rel in ordered_relations(record):
            head = _entity(table, record.mention(rel.head))
            tail = _entity(table, record.mention(rel.tail))
            prop = RELATION_PROPERTY[rel.type]
            triples.add((head, prop, tail))
            if rel.type in SYMMETRIC_RELATIONS:
                triples.add((tail, prop, head))
            if rel.type == "ROLE":
                triples.add((head, ORG.memberOf, tail))
    return list(triples)
