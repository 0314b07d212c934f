"""Relation component `kg_relations` (being written).

Fills Doc._.relations with RelationSpan records.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.extensions import register_extensions


class RelationExtractor:
    """Placeholder: finds no relations yet."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = []
        return doc


@Language.factory("kg_relations")
def make_kg_relations(nlp: Language, name: str) -> RelationExtractor:
    register_extensions()
    return RelationExtractor()
