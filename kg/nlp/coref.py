"""Within-document identity component `kg_coref` (being written).

Sets Span._.canonical on each entity of doc.ents.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.extensions import register_extensions


class WithinDocumentIdentity:
    """Placeholder: leaves canonical names unset (the text is used)."""

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("kg_coref")
def make_kg_coref(nlp: Language, name: str) -> WithinDocumentIdentity:
    register_extensions()
    return WithinDocumentIdentity()
