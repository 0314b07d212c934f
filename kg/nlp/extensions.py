"""Custom attributes that our spaCy components fill and extraction reads.

- ``Span._.canonical``: the canonical name of an entity mention within its
  document (set by the identity component; None means "use the text").
- ``Doc._.relations``: the relations the relation component found, as
  :class:`RelationSpan` records pointing at entity spans of ``doc.ents``.

Relations are kept in ``doc.user_data`` as plain tuples of character offsets
and strings, and turned back into spans when read: ``nlp.pipe(n_process=2)``
sends Docs between processes with msgpack, which cannot carry Span objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

_RELATIONS_KEY = "kg_relations"

#: (type, head start, head end, head label, tail start, tail end, tail label, role, sentence start, sentence end)
StoredRelation = tuple[str, int, int, str, int, int, str, "str | None", int, int]


@dataclass(frozen=True)
class RelationSpan:
    """A relation between two entity spans, with its evidence sentence."""

    type: str
    head: Span
    tail: Span
    role: str | None
    sentence: Span

    def to_stored(self) -> StoredRelation:
        return (
            self.type,
            self.head.start_char,
            self.head.end_char,
            self.head.label_,
            self.tail.start_char,
            self.tail.end_char,
            self.tail.label_,
            self.role,
            self.sentence.start_char,
            self.sentence.end_char,
        )


def _span(doc: Doc, start: int, end: int, label: str = "") -> Span:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:  # offsets always come from spans of this doc; this is a broken Doc
        raise ValueError(f"no span at characters {start}-{end}")
    return span


def _get_relations(doc: Doc) -> list[RelationSpan] | None:
    stored = doc.user_data.get(_RELATIONS_KEY)
    if stored is None:
        return None
    return [
        RelationSpan(
            type=rel_type,
            head=_span(doc, hs, he, hl),
            tail=_span(doc, ts, te, tl),
            role=role,
            sentence=_span(doc, ss, se),
        )
        for rel_type, hs, he, hl, ts, te, tl, role, ss, se in stored
    ]


def _set_relations(doc: Doc, relations: list[RelationSpan] | None) -> None:
    doc.user_data[_RELATIONS_KEY] = None if relations is None else [list(r.to_stored()) for r in relations]


def register_extensions() -> None:
    """Register the attributes once; safe to call repeatedly."""
    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", getter=_get_relations, setter=_set_relations)


register_extensions()
