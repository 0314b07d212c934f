"""Identity: canonical names and stable IRIs for entities across documents.

(First version: canonical names pass through as extracted; the resolver of
acronyms, inflection, person-name order and GeoNames links replaces
``resolve_corpus`` without changing its signature.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.rdf.namespace import KGR, LABEL_SEGMENT
from kg.records import Extraction


@dataclass
class EntityInfo:
    """What the graph knows about one resolved entity."""

    label: str
    name: str  # canonical name
    iri: URIRef
    aliases: set[str] = field(default_factory=set)  # surface forms seen
    geonames_id: str | None = None
    country_code: str | None = None  # ISO 3166 alpha-2, e.g. "DE", "CN"


def slug(name: str) -> str:
    """ASCII slug of a name: 'Bergische Struktur- und ...' -> 'bergische-struktur-und-...'."""
    text = name.replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text or "x"


def entity_iri(label: str, canonical: str) -> URIRef:
    """IRI of an entity: a pure function of its label and canonical name."""
    return KGR[f"{LABEL_SEGMENT[label]}/{slug(canonical)}"]


def resolve_corpus(extractions: list[Extraction]) -> tuple[list[Extraction], dict[tuple[str, str], EntityInfo]]:
    """Merge mentions across documents; return records with global canonical
    names in ``entity`` and the table of entities keyed by (label, name)."""
    table: dict[tuple[str, str], EntityInfo] = {}
    for record in extractions:
        for mention in record.entities:
            key = (mention.label, mention.entity)
            info = table.get(key)
            if info is None:
                info = table[key] = EntityInfo(mention.label, mention.entity, entity_iri(mention.label, mention.entity))
            info.aliases.add(mention.text)
    return extractions, table
