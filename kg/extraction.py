"""Extraction: turn processed spaCy Docs into Extraction records.

The pipeline (kg.nlp) marks entities, canonical names within the document
and relations; this module only reads those annotations and writes the
gold-format record, so the record shape never depends on how a component
works inside.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.corpus import Document
from kg.nlp.extensions import register_extensions
from kg.records import Extraction, Mention, Relation

register_extensions()


def _span_key(span: Span) -> tuple[int, int, str]:
    return (span.start_char, span.end_char, span.label_)


def doc_to_extraction(doc: Doc, document: Document) -> Extraction:
    """Read entities, canonical names and relations off a processed Doc."""
    mentions: list[Mention] = []
    ids: dict[tuple[int, int, str], str] = {}
    for number, ent in enumerate(doc.ents, start=1):
        mention_id = f"m{number}"
        ids[_span_key(ent)] = mention_id
        canonical = ent._.canonical or ent.text
        mentions.append(
            Mention(id=mention_id, start=ent.start_char, end=ent.end_char, label=ent.label_, text=ent.text, entity=canonical)
        )
    relations: list[Relation] = []
    seen: set[tuple[str, str, str]] = set()
    for rel in doc._.relations or []:
        head = ids.get(_span_key(rel.head))
        tail = ids.get(_span_key(rel.tail))
        if head is None or tail is None:
            continue  # a relation to a span that is no longer an entity
        key = (rel.type, head, tail)
        if key in seen:
            continue
        seen.add(key)
        relations.append(
            Relation(
                type=rel.type,
                head=head,
                tail=tail,
                role=rel.role,
                sentence_start=rel.sentence.start_char,
                sentence_end=rel.sentence.end_char,
            )
        )
    return Extraction(doc_id=document.doc_id, text=doc.text, entities=mentions, relations=relations, meta=document.meta())


def extract_documents(nlp: Language, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Extraction]:
    """Run the pipeline over documents, yielding one record per document.

    Canonical names here are resolved within each document only; the
    identity stage (kg.identity) merges them across documents.
    """
    docs = list(documents) if not isinstance(documents, list) else documents
    texts = (d.text for d in docs)
    for document, doc in zip(docs, nlp.pipe(texts, batch_size=batch_size)):
        yield doc_to_extraction(doc, document)
